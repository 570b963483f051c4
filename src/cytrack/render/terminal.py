"""The one place that owns the console: a stdout and a stderr ``Console`` per invocation.

Consoles are made when a command runs (not at import) so that ``NO_COLOR``, ``COLUMNS``
and piping are read fresh every time.  Markup, emoji codes and highlighting are off:
text from the ledger is data, never instructions to the terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from cytrack.textsafe import one_line

if TYPE_CHECKING:  # Rich costs ~20 ms to import; JSON, CSV and plain text never need it.
    from rich.console import Console


def make_console(*, stderr: bool = False) -> Console:
    """A console for stdout (or stderr) that never interprets text as markup."""
    from rich.console import Console

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


def write_chunks(chunks: Iterable[str]) -> None:
    """``write_plain`` for text that comes in pieces (a long JSON list), never joined in memory."""
    last = ""
    for chunk in chunks:
        if chunk:
            sys.stdout.write(chunk)
            last = chunk
    if not last.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()


MAX_MESSAGE = 2000  # characters; a message echoing a pasted megabyte keeps its head and its hint at the end


def say(message: str) -> None:
    """One line for the user on stderr (notes, warnings, errors), control characters shown.

    Newlines count as control characters here: a value echoed in a message cannot start a line of its own.
    """
    if len(message) > MAX_MESSAGE:
        cut = len(message) - MAX_MESSAGE
        from cytrack.i18n.messages import message as words

        gap = words("left_out", count=cut)
        message = f"{message[: MAX_MESSAGE * 2 // 3]}{gap}{message[-MAX_MESSAGE // 3 :]}"
    write_plain(one_line(message), stderr=True)
