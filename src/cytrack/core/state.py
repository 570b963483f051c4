"""Computed states of a commitment as of a date D (contract §1): due, overdue, stale.

Everything here is a pure function of the ledger and D; nothing reads the clock.
"""

from datetime import date
from typing import NamedTuple

from cytrack.core.dates import freshness
from cytrack.ledger.model import Commitment, Extension, ProgressEntry, Status

DUE_SOON_DAYS = 7  # "due soon" and the yellow light: due within this many days
BLUE_LIGHT_DAYS = 30  # the blue light: due within DUE_SOON_DAYS + 1 .. this many days

LIGHTS = ("red", "yellow", "blue")  # warning lights (预警, contract §7), most urgent first


class State(NamedTuple):
    """What a commitment looks like as of ``as_of``."""

    commitment: Commitment
    as_of: date
    status: Status
    percent: int
    due: date | None  # the effective due: the latest extension on or before D, else ``due``
    extension: Extension | None
    last_update: date | None
    entries: tuple[ProgressEntry, ...]  # entries dated on or before D
    stale_since: date | None  # the last day it counted as fresh, when stale
    counts_from: date | None = None  # what staleness counts from: the latest entry, else the tracking start
    reply: str = ""  # the key of the reply that holds it (contract §6)

    @property
    def closed(self) -> bool:
        return self.status.closed

    @property
    def days_overdue(self) -> int | None:
        """Days past the effective due; a date-only due means the end of that day."""
        if self.closed or self.due is None or self.as_of <= self.due:
            return None
        return (self.as_of - self.due).days

    @property
    def overdue(self) -> bool:
        return self.days_overdue is not None

    @property
    def days_left(self) -> int | None:
        if self.due is None:
            return None
        return (self.due - self.as_of).days

    @property
    def due_soon(self) -> bool:
        left = self.days_left
        return not self.closed and left is not None and 1 <= left <= DUE_SOON_DAYS

    @property
    def stale(self) -> bool:
        return self.stale_since is not None

    @property
    def unjudged(self) -> bool:
        """Open, with no entry on or before D and no tracking start: nobody can say whether it is stale."""
        return self.counts_from is None and not self.closed

    @property
    def light(self) -> str | None:
        """The warning light as of D (contract §7): the first of red, yellow, blue that applies."""
        if self.closed:
            return None
        if self.overdue:
            return "red"
        left = self.days_left
        if self.status is Status.BLOCKED or self.stale or (left is not None and 0 <= left <= DUE_SOON_DAYS):
            return "yellow"
        if left is not None and DUE_SOON_DAYS < left <= BLUE_LIGHT_DAYS:
            return "blue"
        return None


def effective_due(c: Commitment, as_of: date) -> tuple[date | None, Extension | None]:
    """The ``new_due`` of the latest extension dated on or before ``as_of``, else ``due``."""
    latest = None
    for ext in c.extensions:
        if ext.date <= as_of and (latest is None or ext.date >= latest.date):
            latest = ext
    return (latest.new_due, latest) if latest else (c.due, None)


def status_after(c: Commitment, count: int) -> tuple[Status, int]:
    """Status and percent once the first ``count`` log entries apply (contract §1).

    The weekly report also uses it for the state just before an entry, to say what changed.
    """
    entries = c.progress[:count]
    status = next((e.status for e in reversed(entries) if e.status is not None), None)
    percent = next((e.percent for e in reversed(entries) if e.percent is not None), None)
    later = c.progress[len(entries):]
    if status is None:
        later_sets = any(e.status is not None for e in later)
        status = Status.NOT_STARTED if later_sets else c.status
    if percent is None:
        later_sets = any(e.percent is not None for e in later)
        percent = 0 if later_sets else c.percent
    return status, percent


def state_of(
    c: Commitment, as_of: date, replied: date | None = None, stale_days: int | None = None, reply: str = ""
) -> State:
    """The computed state of ``c`` as of ``as_of``; entries and extensions after it are ignored.

    ``replied`` is the tracking start (contract §7: ``[source] replied``, else
    ``tracking_since``; ``Source.start``): what a commitment with no entry counts from.
    """
    count = 0
    for e in c.progress:  # entries are oldest first, so the ones on or before D are a prefix
        if e.date > as_of:
            break
        count += 1
    entries = c.progress[:count]
    status, percent = status_after(c, count)
    due, extension = effective_due(c, as_of)
    last_update = entries[-1].date if entries else None
    stale_since = None
    base = last_update or replied
    if not status.closed and base is not None:
        stale_since = freshness(as_of, stale_days).stale_since(base, c.review)
    return State(c, as_of, status, percent, due, extension, last_update, entries, stale_since, base, reply)
