"""What one invocation knows: the global options, the ledger location and the consoles."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from cytrack.core.dates import parse_date
from cytrack.i18n import LANGS
from cytrack.i18n.messages import message
from cytrack.ledger.errors import UsageError
from cytrack.ledger.load import LedgerLocation, LoadResult, load_ledger, locate_ledger
from cytrack.ledger.model import Ledger, Office
from cytrack.render.terminal import make_console, say

if TYPE_CHECKING:  # Rich is imported only by commands that draw on the terminal.
    from rich.console import Console


def clock() -> date:
    """The real today: the one place cytrack reads the calendar (tests replace it)."""
    return date.today()


class Session:
    """Global options of one run; commands ask it for the ledger, dates and consoles."""

    def __init__(self, ledger_flag: str | None = None, lang: str = "zh", today: date | None = None) -> None:
        self.ledger_flag, self.lang = ledger_flag, lang
        self.today = today if today is not None else clock()
        if self.lang not in LANGS:
            raise UsageError(message("unknown_lang", lang=self.lang))

    @cached_property
    def location(self) -> LedgerLocation:
        return locate_ledger(self.ledger_flag)

    def ledger_files(self) -> tuple[Path, ...]:
        """Every file of the ledger: the entry file (and, for an office ledger, its included files)."""
        entry = Path(self.location.path)
        from cytrack.ledger.office import file_has_include

        if self.location.bundled or not file_has_include(entry):
            return (entry,)
        from cytrack.ledger.office import include_patterns, matches

        try:
            from cytrack.ledger.rawfile import read_regular

            patterns, _ = include_patterns(read_regular(entry)[0], str(entry))
        except OSError:
            return (entry,)
        return (entry, *(Path(p) for p in matches(str(entry), patterns)))

    @property
    def protected(self) -> tuple[Path, ...]:
        """What no output may overwrite: ``outputs.protected_paths`` of ``ledger_files``."""
        from cytrack.store.outputs import protected_paths

        return protected_paths(self.ledger_files())

    def load(self) -> LoadResult:
        """Load and validate the ledger; warnings and the bundled-copy note go to stderr."""
        location = self.location
        if location.bundled:
            say(message("bundled"))
        result = load_ledger(location.path)
        for warning in result.warnings:
            say(str(warning))
        return result

    def ledger(self) -> Ledger:
        result = self.load()
        assert result.ledger is not None
        return result.ledger

    def office(
        self, reply: list[str] | None = None, kind: list[str] | None = None, year: list[int] | None = None
    ) -> Office:
        """Every reply of the ledger (contract §6), narrowed by ``--reply``/``--kind``/``--year``."""
        from cytrack.ledger.office import load_office

        location = self.location
        if location.bundled:
            say(message("bundled"))
        result = load_office(location.path)
        for warning in result.warnings:
            say(str(warning))
        office = result.office
        if reply or kind or year:
            from cytrack.core.query import reply_filter

            office = reply_filter(office, reply or (), kind or (), year or ())
        return office

    def date(self, text: str | None) -> date:
        """A date option as typed (default today); only the CLI layer reads the clock."""
        return self.today if text is None else parse_date(text, self.today)

    @cached_property
    def out(self) -> Console:
        return make_console()
