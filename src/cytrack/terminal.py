"""The one place that owns the console: a stdout and a stderr ``Console`` per invocation.

Consoles are made when a command runs (not at import) so that ``NO_COLOR``, ``COLUMNS``
and piping are read fresh every time.  Markup, emoji codes and highlighting are off:
text from the ledger is data, never instructions to the terminal.
"""

from __future__ import annotations

import os
import sys

from rich.console import Console

from cytrack.textsafe import visible


def make_console(*, stderr: bool = False) -> Console:
    """A console for stdout (or stderr) that never interprets text as markup."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(
        file=stream,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        no_color=bool(os.environ.get("NO_COLOR")) or None,
    )


def write_plain(text: str, *, stderr: bool = False) -> None:
    """Write already-safe plain text (JSON, CSV, reports) without any Rich processing."""
    stream = sys.stderr if stderr else sys.stdout
    stream.write(text)
    if not text.endswith("\n"):
        stream.write("\n")
    stream.flush()


def say(message: str) -> None:
    """One line for the user on stderr (notes, warnings, errors), control characters shown."""
    write_plain(visible(message), stderr=True)
