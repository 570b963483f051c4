"""The ``cytrack`` command line: ``spec`` declares every command and option once; ``app`` builds
the Typer application from it; ``quick`` runs the everyday commands without Typer.

``app`` is imported on first use, so the quick path never imports Typer or Click.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app"]


def __getattr__(name: str) -> Any:
    if name == "app":
        from cytrack.cli.typer_app import app

        return app
    raise AttributeError(name)
