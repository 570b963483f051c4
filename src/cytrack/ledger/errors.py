"""The exceptions that stop a command, each carrying the exit code the contract assigns.

Problems found *in* a ledger are values (``Problem``); only conditions that end a
command raise.  ``cli.py`` converts these into one line on stderr in one place.
"""

from __future__ import annotations

from typing import NamedTuple

from cytrack.i18n.messages import message

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_USAGE = 2
EXIT_LEDGER = 3


class Problem(NamedTuple):
    """One problem in a ledger file, printed as ``FILE:LINE: message``."""

    path: str
    line: int
    message: str
    column: int | None = None
    warning: bool = False
    context: tuple[str, ...] = ()  # the line quoted and a caret under the column, printed below

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        if self.column is not None:
            where += f":{self.column}"
        prefix = message("warning") if self.warning else ""
        return f"{where}: {prefix}{self.message}"

    def lines(self) -> list[str]:
        """What the user sees: the ``FILE:LINE: message`` line, then the quoted line and its caret."""
        return [str(self), *self.context]


class CytrackError(Exception):
    """Base of every error that ends a command; ``exit_code`` is what the process returns."""

    exit_code = EXIT_LEDGER

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class UsageError(CytrackError):
    """Bad option value, unparseable date, unknown id (exit 2)."""

    exit_code = EXIT_USAGE


class LedgerUnusable(CytrackError):
    """The ledger is missing, unreadable, invalid, or cannot be written (exit 3)."""

    exit_code = EXIT_LEDGER

    def __init__(self, message: str, *, problems: list[Problem] | None = None) -> None:
        self.problems = [p for p in (problems or []) if not p.warning]
        super().__init__(message, details=[line for p in self.problems for line in p.lines()])


class LockTimeout(LedgerUnusable):
    """Another writer held the lock past the timeout (exit 3)."""


class ReadOnlyLedger(LedgerUnusable):
    """A write was asked of the copy bundled in the package (exit 3)."""


class WriteFailed(LedgerUnusable):
    """The write failed; ``replaced`` says whether the new ledger is in place already."""

    def __init__(self, message: str, *, replaced: bool = False) -> None:
        super().__init__(message)
        self.replaced = replaced

