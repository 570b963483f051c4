"""The parse cache: a folder of entries keyed by the ledger's bytes, and their codec.

The cache can only make cytrack faster; every entry is checked before it is used.
May import ``ledger.model``, ``ledger.errors`` and ``ledger.layout``.
"""
