"""cytrack: a ledger and command-line tracker for the commitments in a reply to a proposal."""

__version__ = "0.1.0"
