"""The ledger as data: the model, its errors, reading and diagnosing the TOML text, validation.

Owns everything that turns ledger bytes into a ``Ledger`` and every problem found on
the way (``FILE:LINE: message``).  Imports nothing of cytrack outside ``ledger`` except
the parse cache, which it consults on load, and the words of ``i18n`` (a leaf package).
"""
