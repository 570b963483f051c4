"""The ``cytrack`` command line: ``app`` plus one module of commands per area."""

from cytrack.cli import read  # noqa: F401  (registers list, show, validate)
from cytrack.cli.app import app

__all__ = ["app"]
