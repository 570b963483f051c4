"""Dates as users type them, ISO weeks, and review rhythms; never reads the clock itself."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from cytrack.i18n.messages import message
from cytrack.ledger.errors import UsageError
from cytrack.ledger.lazyre import Lazy

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

_ISO = Lazy(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_ZH = Lazy(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_COMPACT = Lazy(r"(\d{4})(\d{2})(\d{2})")
_AMBIGUOUS = Lazy(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_OFFSET = Lazy(r"([+-])\s*(\d{1,6})\s*([dwmy])", re.IGNORECASE)
_WEEK = Lazy(r"(\d{4})-?[Ww](\d{1,2})")

_WORDS = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "yesterday": -1,
    "昨天": -1,
    "tomorrow": 1,
    "明天": 1,
}

DATE_HINT = (
    "use YYYY-MM-DD (2026-11-25), 2026/11/25, 2026年11月25日, today, yesterday, tomorrow"
    " or an offset such as +7d, -2w, +3m"
)


def _hint() -> str:
    return message("date_hint")

RHYTHM_MONTHS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}
DEFAULT_STALE_DAYS = 30


def _real(y: str, m: str, d: str) -> date | None:
    """The date ``y-m-d`` when it exists, else None."""
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def _make(text: str, y: str, m: str, d: str) -> date:
    found = _real(y, m, d)
    if found is None:
        raise UsageError(message("date_no_such_day", text=text, hint=_hint()))
    return found


def parse_date(text: str, today: date) -> date:
    """Read a date from the command line; offsets and words count from ``today``.

    Anything ambiguous (``03/04/2026``) or unknown raises ``UsageError`` (exit 2)
    with a message that shows the accepted ISO form.
    """
    raw = text
    text = text.strip()
    key = text.lower()
    if key in _WORDS:
        try:
            return today + timedelta(days=_WORDS[key])
        except OverflowError:  # "tomorrow" counted from 9999-12-31
            raise UsageError(message("date_out_of_range", text=raw)) from None
    for pattern in (_ISO, _ZH, _COMPACT):
        m = pattern.fullmatch(text)
        if m:
            return _make(raw, *m.groups())
    m = _AMBIGUOUS.fullmatch(text)
    if m:
        a, b, y = m.groups()
        forms = sorted({d.isoformat() for d in (_real(y, a, b), _real(y, b, a)) if d is not None})
        if not forms:
            raise UsageError(message("date_no_such_day", text=raw, hint=_hint()))
        raise UsageError(message("date_ambiguous", text=raw, forms=message("or").join(forms)))
    m = _OFFSET.fullmatch(text)
    if m:
        sign, amount, unit = m.groups()
        n = int(amount) * (1 if sign == "+" else -1)
        unit = unit.lower()
        try:
            if unit == "d":
                return today + timedelta(days=n)
            if unit == "w":
                return today + timedelta(weeks=n)
            return today + months(n if unit == "m" else 12 * n)
        except (OverflowError, ValueError):
            raise UsageError(message("date_out_of_range", text=raw)) from None
    raise UsageError(message("date_unreadable", text=raw, hint=_hint()))


def parse_week(text: str) -> tuple[date, date]:
    """``2026-W47`` → (Monday, Sunday) of that ISO week; a week the year lacks is refused."""
    m = _WEEK.fullmatch(text.strip())
    if not m:
        raise UsageError(message("week_unreadable", text=text))
    year, week = int(m.group(1)), int(m.group(2))
    if not 1 <= year <= 9999:
        raise UsageError(message("week_out_of_range", text=text))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        last = date(year, 12, 28).isocalendar().week
        raise UsageError(message("week_missing", text=text, year=year, last=f"{last:02d}")) from None
    if monday > date.max - timedelta(days=6):
        raise UsageError(message("week_past_end", text=text))
    return monday, monday + timedelta(days=6)


def week_of(d: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week holding ``d``."""
    monday = d - timedelta(days=d.weekday())
    return monday, shift(monday, 6)


def shift(d: date, days: int) -> date:
    """``d`` plus ``days``, held at the calendar's ends (date.min / date.max) instead of overflowing."""
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def months(n: int) -> relativedelta:
    """``n`` calendar months, the day held at the month's end (2026-01-31 + 1 month = 2026-02-28)."""
    # dateutil imports calendar and locale (a few ms); only runs that count months pay for it.
    from dateutil.relativedelta import relativedelta

    return relativedelta(months=n)


def rhythm_step(rhythm: str | None, days: int | None = None) -> timedelta | relativedelta:
    """How long a commitment stays fresh after an update under ``rhythm``; ``days`` overrides it.

    Monthly rhythms are calendar months; no rhythm means 30 days.
    """
    if days is not None:  # held within timedelta's range: a longer one passes the calendar's end anyway
        return timedelta(days=max(min(days, timedelta.max.days), -timedelta.max.days))
    if rhythm == "weekly":
        return timedelta(days=7)
    if rhythm in RHYTHM_MONTHS:
        return months(RHYTHM_MONTHS[rhythm])
    return timedelta(days=DEFAULT_STALE_DAYS)


def after(d: date, step: timedelta | relativedelta) -> date:
    """``d`` plus ``step``, held at the calendar's end (date.max) instead of overflowing."""
    try:
        return d + step
    except (OverflowError, ValueError):  # date() says "year 10000 is out of range" as a ValueError
        return date.max


def add_rhythm(d: date, rhythm: str | None, days: int | None = None) -> date:
    """The last day a commitment updated on ``d`` counts as fresh under ``rhythm`` (or ``days``)."""
    return after(d, rhythm_step(rhythm, days))


class Freshness:
    """Which updates are too old as of one day, each rhythm's step and cut-off computed once.

    A commitment last updated on ``base`` is stale on ``as_of`` when ``base + step < as_of``.
    Adding calendar months never moves a later day before an earlier one, so for each
    rhythm there is one cut-off day: updates before it are stale, from it on fresh.  A
    ledger of 20,000 commitments then costs one comparison each instead of 20,000
    calendar sums; the last fresh day is computed only for the stale ones, once per day.
    """

    def __init__(self, as_of: date, days: int | None = None) -> None:
        self.as_of = as_of
        self.days = days
        self._cutoffs: dict[str | None, tuple[date, timedelta | relativedelta]] = {}
        self._ends: dict[tuple[date, str | None], date] = {}

    def _cutoff(self, rhythm: str | None) -> tuple[date, timedelta | relativedelta]:
        found = self._cutoffs.get(rhythm)
        if found is None:
            step = rhythm_step(rhythm, self.days)
            try:
                first = self.as_of - step
            except (OverflowError, ValueError):
                first = date.min
            one = timedelta(days=1)
            while first < date.max and after(first, step) < self.as_of:
                first += one
            while first > date.min and after(first - one, step) >= self.as_of:
                first -= one
            found = self._cutoffs[rhythm] = (first, step)
        return found

    def stale_since(self, base: date, rhythm: str | None) -> date | None:
        """The last day an update on ``base`` counted as fresh, when that is before ``as_of``; else None."""
        first_fresh, step = self._cutoff(rhythm)
        if base >= first_fresh:
            return None
        key = (base, rhythm)
        end = self._ends.get(key)
        if end is None:
            end = self._ends[key] = after(base, step)
        return end


@lru_cache(maxsize=16)
def freshness(as_of: date, days: int | None = None) -> Freshness:
    """The one ``Freshness`` of a day (and ``--days``), shared by every commitment looked at."""
    return Freshness(as_of, days)
