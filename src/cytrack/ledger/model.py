"""The ledger as immutable records; each record knows the line it came from."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import NamedTuple


class Status(enum.StrEnum):
    """The stored execution status of a commitment (contract §1)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def closed(self) -> bool:
        # A set of plain strings: looking up ``Status.DONE`` on the class costs microseconds
        # in Python 3.11, and ``list`` asks this of every commitment.
        return self in _CLOSED


_CLOSED = frozenset({"done", "dropped"})
STATUS_VALUES = tuple(s.value for s in Status)
RHYTHMS = ("weekly", "monthly", "quarterly", "half-yearly", "yearly")
DUE_BASES = ("source", "assumed")
FEEDBACK_VALUES = ("pending", "satisfied", "basically_satisfied", "dissatisfied")
CATEGORIES = ("A", "B", "C")


class ProgressEntry(NamedTuple):
    """One dated line of the append-only progress log."""

    date: date
    note: str
    status: Status | None = None
    percent: int | None = None
    by: str | None = None
    evidence: str | None = None
    line: int = 0


class Extension(NamedTuple):
    """An approved deadline extension (延期)."""

    date: date
    new_due: date
    reason: str = ""
    approved_by: str | None = None
    line: int = 0


class Commitment(NamedTuple):
    """One promise of the reply, with its owners, dates and progress log."""

    id: str
    section: int
    title: str
    quote: str = ""
    lead: str = ""
    lead_basis: str | None = None
    co_owners: tuple[str, ...] = ()
    status: Status = Status.NOT_STARTED
    percent: int = 0
    due: date | None = None
    due_basis: str | None = None
    review: str | None = None
    tags: tuple[str, ...] = ()
    progress: tuple[ProgressEntry, ...] = ()
    extensions: tuple[Extension, ...] = ()
    line: int = 0

    @property
    def owners(self) -> tuple[str, ...]:
        return (self.lead, *self.co_owners)


class Source(NamedTuple):
    """The reply the commitments come from (``[source]``)."""

    proposal: str = ""
    title: str = ""
    proposer: str = ""
    lead_unit: str = ""
    co_units: tuple[str, ...] = ()
    signed_by: str = ""
    category: str = ""
    feedback: str = ""
    replied: date | None = None
    tracking_since: date | None = None  # when tracking began, for a reply whose date is unknown (contract §7)

    @property
    def start(self) -> date | None:
        """What a commitment with no progress counts toward stale from: ``replied``, else ``tracking_since``."""
        return self.replied or self.tracking_since


class Ledger(NamedTuple):
    """A whole ledger file: its source, section headings and commitments in file order."""

    path: str
    source: Source = Source()
    sections: Mapping[int, str] = MappingProxyType({})
    commitments: tuple[Commitment, ...] = ()

    def find(self, cid: str) -> Commitment | None:
        """The commitment with this id (ids compare case-insensitively), or None."""
        wanted = cid.strip().casefold()
        for c in self.commitments:
            if c.id.casefold() == wanted:
                return c
        return None
