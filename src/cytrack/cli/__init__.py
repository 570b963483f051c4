"""The ``cytrack`` command line: ``app`` plus one module of commands per area."""

from cytrack.cli import read  # noqa: F401  (registers list, show, validate)
from cytrack.cli import interop  # noqa: F401  (registers export, init)
from cytrack.cli import reports  # noqa: F401  (registers overdue, stale, summary, report weekly)
from cytrack.cli import write  # noqa: F401  (registers update, extend, add)
from cytrack.cli import git  # noqa: F401  (registers git-setup, merge-driver)
from cytrack.cli.app import app

__all__ = ["app"]
