"""Plain computations on a loaded ledger: dates, the state of a commitment as of a day,
queries and filters, and the reports (as data, with ``as_of`` an argument).

May import ``ledger``; never the store, the renderers or the command line.
"""
