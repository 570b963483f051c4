"""The ``cytrack`` command line: ``app`` plus one module of commands per area.

The modules register their commands on import, so this order is the order of ``--help``.
"""
# isort: skip_file

from cytrack.cli.app import app
from cytrack.cli import read  # noqa: F401  (list, show, validate)
from cytrack.cli import write  # noqa: F401  (update, extend, add)
from cytrack.cli import reports  # noqa: F401  (overdue, stale, summary, report weekly)
from cytrack.cli import interop  # noqa: F401  (export, init)
from cytrack.cli import git  # noqa: F401  (git-setup, merge-driver)

__all__ = ["app"]
