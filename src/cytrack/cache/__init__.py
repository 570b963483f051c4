"""The parse cache: a folder of entries keyed by the ledger's bytes, and their codec.

The cache can only make cytrack faster; every entry is checked before it is used.
May import ``ledger.model``, ``ledger.errors`` and ``ledger.layout``, and of the store only
``store.files`` (the one atomic writer, which imports nothing but ``store.faults``) to
write its entries; never the rest of the store, which imports the cache.
"""
