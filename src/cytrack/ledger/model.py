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
KINDS = ("proposal", "suggestion")  # 政协提案, 人大建议 (contract §6)


def default_key(kind: str, number: str) -> str:
    """A reply's short name in qualified ids when ``[source] key`` is absent: ``1181`` or ``s523``."""
    return ("s" + number) if kind == "suggestion" else number


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
    # Part two (contract §6): the office ledger.  ``build_ledger`` fills in the defaults, so a
    # loaded reply always has its ``kind``, its ``key`` and (when a date says it) its ``year``.
    kind: str = "proposal"
    session: str = ""
    year: int | None = None
    key: str = ""

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
        wanted = ascii_id(cid).casefold()
        for c in self.commitments:
            if c.id.casefold() == wanted:
                return c
        return None


class Office(NamedTuple):
    """The whole ledger as the entry file reaches it: every reply, in order (contract §6).

    ``replies[0]`` is the entry file's own reply when it holds one; the included files
    follow, sorted by path within each pattern.  ``patterns`` are the entry file's
    ``include`` globs.  A ledger of one reply is an office of one.
    """

    path: str
    replies: tuple[Ledger, ...] = ()
    patterns: tuple[str, ...] = ()
    total: int = 0  # replies in the whole ledger, before ``--reply``/``--kind``/``--year`` narrowed it

    @property
    def multi(self) -> bool:
        """Whether the ledger holds several replies: then ids are shown qualified (``KEY/ID``)."""
        return max(self.total, len(self.replies)) > 1

    @property
    def single(self) -> Ledger | None:
        """The one reply of a one-reply ledger (the code paths of part one), else None."""
        return self.replies[0] if len(self.replies) == 1 and self.total <= 1 else None

    @property
    def commitments(self) -> tuple[Commitment, ...]:
        return tuple(c for r in self.replies for c in r.commitments)

    def keys(self) -> list[str]:
        return [r.source.key for r in self.replies]

    def reply(self, key: str) -> Ledger | None:
        wanted = key.strip().casefold()
        for r in self.replies:
            if r.source.key.casefold() == wanted:
                return r
        return None

    def holders(self, cid: str) -> list[tuple[Ledger, Commitment]]:
        """Every (reply, commitment) that ``cid`` names: a qualified ``KEY/ID`` names at most one."""
        key, slash, bare = cid.strip().partition("/")  # a key never holds "/": it names a file
        if slash:
            r = self.reply(key)
            found = r.find(bare) if r is not None else None
            if r is not None and found is not None:
                return [(r, found)]
        out = []
        for r in self.replies:
            found = r.find(cid)
            if found is not None:
                out.append((r, found))
        return out


# Dashes that look like '-' but are not: hyphens, figure/en/em dashes, the minus sign, the
# small and full-width hyphen-minus (NFKC folds those two), the katakana-hiragana prolonged
# sound mark and the ideographic "one" are left alone (they are words, not dashes).
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"), "-")


def ascii_id(text: str) -> str:
    """An id as typed, with look-alikes made ASCII: full-width digits and letters (NFKC) and the
    dashes above become ``0-9 A-Z -``; ``２－３`` and ``2–3`` are ``2-3``.  Surrounding space is trimmed."""
    text = text.strip()
    if text.isascii():
        return text
    import unicodedata  # only for an id that is not ASCII already

    return unicodedata.normalize("NFKC", text).translate(_DASHES).strip()
