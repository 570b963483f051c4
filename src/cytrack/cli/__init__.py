"""The ``cytrack`` command line: the Typer ``app`` plus one module of commands per area.

Importing this package costs nothing: the quick path (``cli.quick``) lives here too and
must not build Typer.  ``app`` is assembled on first access; the modules register their
commands on import, so their order is the order of ``--help``.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    if name != "app":
        raise AttributeError(name)
    from cytrack.cli import read, write, reports, interop, git, office  # noqa: F401  (register in --help order)
    from cytrack.cli.typer_app import app

    globals()["app"] = app
    return app


__all__ = ["app"]
