"""The only writer: the lock, the view of the file under the lock, the changes, the
style-preserving edit, and the one atomic file writer with its fault seam.

May import ``ledger``, ``core`` and ``cache``; never the renderers or the command line.
``files`` and ``faults`` import nothing of the store but each other, so that the cache
writes its entries through the same atomic writer without an import cycle.
"""
