"""The git merge driver: a three-way merge of ledger texts (plan, pieces, text) and the
git plumbing (``git-setup``, ``merge-driver``).

May import ``ledger`` and ``store``; never the renderers.
"""
