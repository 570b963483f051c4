"""Filters and sorts over computed states, and the ``list``-shaped row of contract §3."""

import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from cytrack.core.state import LIGHTS, State, state_of
from cytrack.i18n import STATUS_NAMES
from cytrack.i18n.messages import either, listing, message
from cytrack.ledger.errors import UsageError
from cytrack.ledger.model import KINDS, STATUS_VALUES, Commitment, Ledger, Office, ProgressEntry, Status

ROW_KEYS = (
    "id", "reply", "section", "title", "lead", "co_owners", "status", "percent",
    "due", "days_overdue", "last_update", "tags", "light",
)
SORT_KEYS = ("id", "due", "status", "owner", "percent", "updated")
STATUS_ORDER = {s: i for i, s in enumerate(STATUS_VALUES)}


class Filters(NamedTuple):
    """What ``cytrack list`` was asked to show; empty fields do not filter."""

    statuses: Sequence[str] = ()
    owners: Sequence[str] = ()
    section: int | None = None
    tags: Sequence[str] = ()
    due_before: date | None = None
    due_after: date | None = None
    overdue: bool = False
    stale: bool = False
    search: str | None = None
    ids: Sequence[str] = ()
    lights: Sequence[str] = ()  # any of LIGHTS; a commitment matches when its light is among them


def parse_status(text: str) -> Status:
    """A status given on the command line: the stored value or its Chinese/English name."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    if key in STATUS_VALUES:
        return Status(key)
    for names in STATUS_NAMES.values():
        for value, name in names.items():
            if text.strip() == name or key == name.replace(" ", "_"):
                return Status(value)
    raise UsageError(message("unknown_status", text=text, values=listing(STATUS_VALUES)))


def id_key(cid: str) -> tuple[Any, ...]:
    """Natural order for ids: ``2-10`` after ``2-9``; a qualified ``KEY/ID`` by key, then id."""
    key, slash, bare = cid.partition("/")
    if slash:
        return _key_order(key) + id_key(bare)
    return _id_key(cid)


@lru_cache(maxsize=4096)
def _key_order(key: str) -> tuple[Any, ...]:
    return (*_id_key(key), (2, 0, "/"))


def _id_key(cid: str) -> tuple[Any, ...]:
    head, dash, tail = cid.partition("-")
    if dash and head.isascii() and head.isdigit() and tail.isascii() and tail.isdigit():
        return (0, int(head), ""), (1, 0, "-"), (0, int(tail), "")  # the usual "2-10", without a regex
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in re.split(r"(\d+)", cid) if p)


def find_commitment(ledger: Ledger, cid: str) -> Commitment:
    """The commitment with id ``cid``, or ``UsageError`` (exit 2) with a "did you mean" hint."""
    found = ledger.find(cid)
    if found is not None:
        return found
    raise unknown_id(cid, [c.id for c in ledger.commitments], ledger.path)


def find_in_office(office: Office, cid: str) -> tuple[Ledger, Commitment]:
    """The reply and commitment ``cid`` names: ``KEY/ID`` always, a bare id when one reply holds it.

    Unknown: exit 2 with a "did you mean" hint; held by several replies: exit 2 listing them.
    """
    found = office.holders(cid)
    if len(found) == 1:
        return found[0]
    if not found:
        if office.single is not None:
            raise unknown_id(cid, [c.id for c in office.single.commitments], office.path)
        ids = [f"{r.source.key}/{c.id}" for r in office.replies for c in r.commitments]
        raise unknown_id(cid, ids, office.path)
    names = listing(f"{r.source.key}/{c.id}" for r, c in found)
    raise UsageError(message("id_in_several", cid=cid, count=len(found), names=names))


def unknown_id(cid: str, ids: Iterable[str], path: str) -> UsageError:
    """The error for an id that is not among ``ids`` (exit 2), with a "did you mean" hint."""
    import difflib  # only for this hint

    known = {x.casefold(): x for x in ids}
    close = [known[x] for x in difflib.get_close_matches(cid.strip().casefold(), list(known), n=3, cutoff=0.5)]
    hint = message("unknown_id_close", names=either(close)) if close else message("unknown_id_list")
    return UsageError(message("unknown_id", cid=cid, path=path, hint=hint))


def _matches(st: State, f: Filters, statuses: set[Status]) -> bool:
    c = st.commitment
    if statuses and st.status not in statuses:
        return False
    if f.owners:
        owners = [o.casefold() for o in c.owners]
        if not any(any(w.casefold() in o for o in owners) for w in f.owners):
            return False
    if f.section is not None and c.section != f.section:
        return False
    if f.tags:
        tags = {t.casefold() for t in c.tags}
        if not any(t.casefold() in tags for t in f.tags):
            return False
    if f.due_before is not None and (st.due is None or not st.due < f.due_before):
        return False
    if f.due_after is not None and (st.due is None or not st.due > f.due_after):
        return False
    if f.overdue and not st.overdue:
        return False
    if f.stale and not st.stale:
        return False
    if f.lights and st.light not in f.lights:
        return False
    if f.search:
        needle = f.search.casefold()
        haystack = [c.title, c.quote, c.id, *(e.note for e in st.entries)]
        if not any(needle in h.casefold() for h in haystack):
            return False
    return True


def as_office(ledger: Ledger | Office) -> Office:
    """A ledger of one reply as the office it is; an office as it is."""
    return ledger if isinstance(ledger, Office) else Office(ledger.path, (ledger,), (), 1)


def qualified(c: Commitment, key: str) -> Commitment:
    """``c`` with its qualified id ``KEY/ID`` (contract §6), as tables, text and JSON show it."""
    return tuple.__new__(Commitment, (f"{key}/{c.id}", *c[1:]))


def states(ledger: Ledger | Office, as_of: date, stale_days: int | None = None) -> list[State]:
    """Every commitment's state as of D, in file order, reply after reply.

    With several replies in the ledger each state's commitment carries its qualified id.
    """
    office = as_office(ledger)
    out: list[State] = []
    multi = office.multi
    for r in office.replies:
        replied, key = r.source.start, r.source.key
        if multi:
            out.extend([state_of(qualified(c, key), as_of, replied, stale_days, key) for c in r.commitments])
        else:
            out.extend([state_of(c, as_of, replied, stale_days, key) for c in r.commitments])
    return out


def reply_filter(
    office: Office, replies: Sequence[str] = (), kinds: Sequence[str] = (), years: Sequence[int] = ()
) -> Office:
    """The office narrowed to the replies asked for by ``--reply``, ``--kind`` and ``--year``.

    An unknown key is a usage error (exit 2) listing the keys.  Ids stay qualified when the
    whole ledger holds several replies, however few are left.
    """
    if not replies and not kinds and not years:
        return office
    keep = list(office.replies)
    if replies:
        wanted = []
        for key in replies:
            r = office.reply(key)
            if r is None:
                known = listing(office.keys()) or "-"
                raise UsageError(message("no_such_reply", key=key, path=office.path, known=known))
            wanted.append(r)
        keep = [r for r in keep if any(r is w for w in wanted)]
    if kinds:
        for k in kinds:
            if k not in KINDS:
                raise UsageError(message("unknown_kind", kind=k, values=listing(KINDS)))
        keep = [r for r in keep if r.source.kind in kinds]
    if years:
        keep = [r for r in keep if r.source.year in years]
    return office._replace(replies=tuple(keep), total=max(office.total, len(office.replies)))


def select(
    ledger: Ledger | Office, as_of: date, f: Filters | None = None, stale_days: int | None = None
) -> list[State]:
    """The states of the commitments that pass every filter, in file order."""
    f = f or Filters()
    statuses = {parse_status(s) for s in f.statuses}
    for light in f.lights:
        if light not in LIGHTS:
            raise UsageError(message("unknown_light", light=light, values=listing(LIGHTS)))
    return [st for st in states(ledger, as_of, stale_days) if _matches(st, f, statuses)]


def sort_states(items: Iterable[State], key: str = "id") -> list[State]:
    """Sort by one of ``SORT_KEYS``; ties and missing values fall back to id order."""
    items = sorted(items, key=lambda st: id_key(st.commitment.id))
    if key == "id":
        return items
    if key == "due":
        return sorted(items, key=lambda st: (st.due is None, st.due or date.max))
    if key == "status":
        return sorted(items, key=lambda st: STATUS_ORDER[st.status.value])
    if key == "owner":
        return sorted(items, key=lambda st: st.commitment.lead)
    if key == "percent":
        return sorted(items, key=lambda st: -st.percent)
    if key == "updated":
        return sorted(items, key=lambda st: (st.last_update is None, -(st.last_update or date.min).toordinal()))
    raise UsageError(message("unknown_sort", key=key, values=listing(SORT_KEYS)))


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def row(st: State) -> dict[str, Any]:
    """The ``list``-shaped JSON object of contract §3 (exactly these keys, and ``reply`` of §6)."""
    c = st.commitment
    return {
        "id": c.id,
        "reply": st.reply,
        "section": c.section,
        "title": c.title,
        "lead": c.lead,
        "co_owners": list(c.co_owners),
        "status": str(st.status),  # the value; ``.value`` is a slow enum property in Python 3.11
        "percent": st.percent,
        "due": _iso(st.due),
        "days_overdue": st.days_overdue,
        "last_update": _iso(st.last_update),
        "tags": list(c.tags),
        "light": st.light,  # "red" | "yellow" | "blue" | None (contract §7)
    }


def entry_fields(e: ProgressEntry) -> dict[str, Any]:
    """A progress entry as JSON: date, status, percent, note, by, evidence (null when not set)."""
    return {
        "date": e.date.isoformat(),
        "status": e.status.value if e.status else None,
        "percent": e.percent,
        "note": e.note,
        "by": e.by,
        "evidence": e.evidence,
    }


def detail(st: State) -> dict[str, Any]:
    """The ``show``-shaped object: the row plus quote, due basis, review, progress, extensions."""
    c = st.commitment
    out = row(st)
    out.update(
        {
            "quote": c.quote,
            "due_basis": c.due_basis,
            "review": c.review,
            "progress": [entry_fields(e) for e in c.progress],
            "extensions": [
                {
                    "date": x.date.isoformat(),
                    "new_due": x.new_due.isoformat(),
                    "reason": x.reason,
                    "approved_by": x.approved_by,
                }
                for x in c.extensions
            ],
        }
    )
    return out
