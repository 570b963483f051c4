"""What the commands do, apart from how their options are declared.

Each function here takes the ``Session`` and the option values as plain Python values
(strings, ints, lists; an option not given has its default) and returns the exit code.
Typer calls them from ``cytrack.cli`` after parsing; ``cytrack.cli.quick`` calls them
directly for the everyday commands, without building the Typer application.  Nothing
here imports Typer or Click.

``exit_code_for`` is the one place that turns an error from a command into what the
user sees and the exit code, for both ways in.
"""

from __future__ import annotations

import os
import sys

from cytrack.i18n.messages import message
from cytrack.ledger.errors import CytrackError
from cytrack.render.terminal import say

EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in cytrack, not in the ledger or the command line


def exit_code_for(exc: Exception) -> int | None:
    """Tell the user about ``exc`` on stderr and return the exit code; None when it is not
    cytrack's to handle (the caller re-raises it: a usage error of the parser, or
    ``CYTRACK_DEBUG`` is set and an unexpected error should show its traceback)."""
    if isinstance(exc, CytrackError):
        for line in exc.details:
            say(line)
        say(f"cytrack: {exc.message}")
        return exc.exit_code
    if isinstance(exc, BrokenPipeError):
        # The reader went away (``cytrack list | head``): stop quietly, as cat does, and keep
        # Python from complaining again when it flushes stdout at exit.
        silence_stdout()
        return 0
    if os.environ.get("CYTRACK_DEBUG"):
        return None
    if isinstance(exc, OSError):
        say("cytrack: " + message("os_error", path=exc.filename or message("a_file"), reason=exc.strerror or exc))
        return 3
    if getattr(exc, "exit_code", None) is not None or type(exc).__name__.endswith("UsageError"):
        return None  # the parser's own errors (Click) print themselves
    say("cytrack: " + message("internal", error=f"{type(exc).__name__}: {exc}"))
    return EXIT_INTERNAL


def silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (e.g. under CliRunner): nothing will complain at exit
