"""The three-way merge of two ledgers as data: what the merged ledger holds, decided key by key.

Works on the dicts tomllib returns for the common ancestor, ours and theirs (contract §5,
"Merging clones").  Commitments are matched by id (case-insensitively); progress entries
and extensions are joined in date order, an entry both sides carry appearing once; any
other value changed on one side only takes that change, and a value changed to different
values on both sides is a ``Conflict``.  The decisions form a ``MergePlan``: ``apply_plan``
turns it into the merged data, and ``mergetext`` turns the same plan into text, so the
text can be checked against the data before anything is written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cytrack.i18n.messages import message
from cytrack.ledger.errors import LedgerUnusable

OURS = "ours"
THEIRS = "theirs"
ENTRY_KINDS = ("progress", "extensions")


class _Missing:
    """A key that one version does not have."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class MergeError(LedgerUnusable):
    """The versions cannot be merged automatically (exit 3); the file git holds is left as it was."""


def canon(value: Any) -> Hashable:
    """A hashable form of a TOML value that tells types apart (``1``, ``1.0`` and ``true`` differ)."""
    if isinstance(value, dict):
        return ("table", tuple(sorted((k, canon(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("array", tuple(canon(v) for v in value))
    return (type(value).__name__, repr(value))


def same(x: Any, y: Any) -> bool:
    return canon(x) == canon(y)


@dataclass(frozen=True)
class KeyChange:
    """How the merged table differs from ours at one key; ``nested`` holds a sub-table's changes."""

    key: str
    action: str  # "set" | "add" | "remove" (take theirs) | "conflict" | "nested" | "value" (set to ``value``)
    nested: tuple[KeyChange, ...] = ()
    value: Any = None


@dataclass(frozen=True)
class Conflict:
    """A value both sides changed differently (``key`` set), or a commitment deleted on one side
    and changed on the other (``key`` None)."""

    place: str  # "2-3", "[source]" or "" for the top level
    key: str | None
    ours: Any
    theirs: Any

    @property
    def label(self) -> str:
        return " ".join(part for part in (self.place, self.key) if part)


EntryRef = tuple[str, int]  # (OURS or THEIRS, index in that side's array)


@dataclass
class CommitmentPlan:
    """One commitment of the merged ledger and where it comes from.

    ``action``: ``ours`` (ours' unchanged), ``theirs`` (new on their side), ``merge``
    (``fields`` and ``entries`` say what changes), ``ours_or_deleted`` (changed by us,
    deleted by them) or ``deleted_or_theirs`` (deleted by us, changed by them).
    ``entries`` holds the merged order of a kind of entry only when it differs from ours.
    """

    action: str
    label: str
    ours: int | None = None
    theirs: int | None = None
    fields: tuple[KeyChange, ...] = ()
    entries: dict[str, list[EntryRef]] = field(default_factory=dict)
    # kinds of entries whose logs conflict (an entry changed differently on both sides, or
    # deleted on one and changed on the other): each side's resolution keeps that side's log
    entry_conflicts: tuple[str, ...] = ()


@dataclass
class MergePlan:
    root: tuple[KeyChange, ...]
    commitments: list[CommitmentPlan]
    conflicts: list[Conflict]


def _keys(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return [*a, *(k for k in b if k not in a)]


def decide_keys(
    o: dict[str, Any], a: dict[str, Any], b: dict[str, Any], place: str, conflicts: list[Conflict],
    *, skip: tuple[str, ...] = (), nest: bool = False,
) -> tuple[KeyChange, ...]:
    """The changes ours needs at each key; with ``nest``, tables both sides kept merge key by key."""
    changes = []
    for key in _keys(a, b):
        if key in skip:
            continue
        va, vb, vo = a.get(key, MISSING), b.get(key, MISSING), o.get(key, MISSING)
        if same(va, vb) or same(vb, vo):
            continue
        if nest and isinstance(va, dict) and isinstance(vb, dict) and (vo is MISSING or isinstance(vo, dict)):
            inner = decide_keys(vo if isinstance(vo, dict) else {}, va, vb, f"[{key}]", conflicts)
            changes.append(KeyChange(key, "nested", inner))
        elif same(va, vo):
            action = "add" if va is MISSING else "remove" if vb is MISSING else "set"
            changes.append(KeyChange(key, action))
        else:
            changes.append(KeyChange(key, "conflict"))
            conflicts.append(Conflict(place, key, va, vb))
    return tuple(changes)


def _day(entry: dict[str, Any]) -> date | None:
    value = entry.get("date")
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _wanted(o: int, a: int, b: int) -> int:
    """How many copies of one entry the merge keeps: a side's change wins, both changed → the larger."""
    if a == o:
        return b
    if b == o:
        return a
    return max(a, b)


def merge_entries(o: list[dict[str, Any]], a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[EntryRef]:
    """Ours' entries in their order, minus those theirs removed, plus theirs' new ones by date.

    Each new entry of theirs goes after the last entry dated on or before it, so for equal
    dates ours' entries come first, then theirs' in their order.  An entry (same content)
    that both sides added appears once; one removed (or edited) on one side and untouched
    on the other is removed (or edited), as for any other value.
    """
    ko, ka, kb = [canon(e) for e in o], [canon(e) for e in a], [canon(e) for e in b]
    co, ca, cb = Counter(ko), Counter(ka), Counter(kb)
    want = {k: _wanted(co[k], ca[k], cb[k]) for k in ca | cb}
    merged: list[EntryRef] = []
    taken: Counter[Hashable] = Counter()
    for i, k in enumerate(ka):
        if taken[k] < want[k]:
            merged.append((OURS, i))
            taken[k] += 1
    extra = {k: want[k] - taken[k] for k in cb}
    theirs_new = []
    for j in range(len(kb) - 1, -1, -1):  # their last copies are the new ones
        if extra[kb[j]] > 0:
            extra[kb[j]] -= 1
            theirs_new.append(j)
    days = [_day(a[i]) for _, i in merged]
    for j in reversed(theirs_new):
        day = _day(b[j])
        at = len(merged)
        if day is not None:
            at = 0
            for pos in range(len(merged) - 1, -1, -1):
                seen = days[pos]
                if seen is not None and seen <= day:
                    at = pos + 1
                    break
        merged.insert(at, (THEIRS, j))
        days.insert(at, day)
    return merged


def _entry_list(value: Any) -> bool:
    return value is MISSING or (isinstance(value, list) and all(isinstance(e, dict) for e in value))


def _touched(o: list[dict[str, Any]], side: list[dict[str, Any]]) -> dict[Hashable, str]:
    """The ancestor's entries a side no longer has, by date: ``"changed"`` when the side has a new
    entry of that date (the entry was edited), else ``"deleted"``."""
    have = Counter(canon(e) for e in side)
    ancestor = Counter(canon(e) for e in o)
    new_days = {_day(e) for e in side if have[canon(e)] > ancestor[canon(e)]}
    touched: dict[Hashable, str] = {}
    left = Counter(have)
    for e in o:
        k = canon(e)
        if left[k] > 0:
            left[k] -= 1
            continue
        touched[k] = "changed" if _day(e) in new_days else "deleted"
    return touched


def entry_conflict(o: list[dict[str, Any]], a: list[dict[str, Any]], b: list[dict[str, Any]]) -> bool:
    """Whether an entry of the ancestor was changed differently on both sides, or deleted on one
    side and changed on the other (contract §10): joining the logs would fuse or drop it."""
    ta, tb = _touched(o, a), _touched(o, b)
    for k in ta.keys() & tb.keys():
        if "changed" in (ta[k], tb[k]):
            new_a = [canon(e) for e in a if canon(e) not in {canon(x) for x in o}]
            new_b = [canon(e) for e in b if canon(e) not in {canon(x) for x in o}]
            if ta[k] == tb[k] == "changed" and sorted(map(repr, new_a)) == sorted(map(repr, new_b)):
                continue  # the same edit on both sides
            return True
    return False


def _log_values(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """What a progress log sets: the status and the percent of its latest entry that has each."""
    found: dict[str, Any] = {}
    for e in entries:  # in date order: the last one that has a key wins
        for key in ("status", "percent"):
            if key in e:
                found[key] = e[key]
    return found


def plan_commitment(o: dict[str, Any], a: dict[str, Any], b: dict[str, Any], label: str,
                    conflicts: list[Conflict], *, ours: int, theirs: int) -> CommitmentPlan:
    """Merge one commitment both sides have (``o`` is ``{}`` when both added it)."""
    kinds = tuple(k for k in ENTRY_KINDS if all(_entry_list(x.get(k, MISSING)) for x in (o, a, b)))
    clashing = tuple(k for k in kinds if entry_conflict(o.get(k, []), a.get(k, []), b.get(k, [])))
    found: list[Conflict] = []
    fields = decide_keys(o, a, b, label, found, skip=kinds)
    entries = {}
    for kind in kinds:
        if kind in clashing:
            continue
        refs = merge_entries(o.get(kind, []), a.get(kind, []), b.get(kind, []))
        if refs != [(OURS, i) for i in range(len(a.get(kind, [])))]:
            entries[kind] = refs
    refs = entries.get("progress")
    joined = [(a if side == OURS else b)["progress"][i] for side, i in refs] if refs is not None else None
    if joined is not None and not same(joined, b.get("progress", [])):
        # A real join of both logs: the stored status/percent are what the joined log sets
        # (a side's stored value may be older than the other side's later entry).
        log = _log_values(joined)
        decided = {ch.key: ch for ch in fields}
        for key, value in log.items():
            if key in decided and decided[key].action == "conflict":
                continue  # changed differently on both sides: the user decides (contract §5)
            if same(b.get(key, MISSING) if key in decided else a.get(key, MISSING), value):
                continue
            decided[key] = KeyChange(key, "value", value=value)
        fields = tuple(decided.values())
    for kind in clashing:
        found.append(Conflict(label, kind, a.get(kind, MISSING), b.get(kind, MISSING)))
    conflicts.extend(found)
    action = "merge" if fields or entries or clashing else "ours"
    return CommitmentPlan(action, label, ours, theirs, fields, entries, clashing)


def _commitments(data: dict[str, Any], side: str) -> list[dict[str, Any]]:
    value = data.get("commitments", [])
    if not isinstance(value, list) or not all(isinstance(c, dict) for c in value):
        raise MergeError(message("merge_not_list", side=message(side)))
    return value


def _by_id(commitments: list[dict[str, Any]], side: str) -> dict[str, int]:
    """Commitment positions by case-folded id; a missing or repeated id makes matching impossible."""
    found: dict[str, int] = {}
    for i, c in enumerate(commitments):
        cid = c.get("id")
        if not isinstance(cid, str) or not cid.strip():
            raise MergeError(message("merge_no_id", side=message(side), n=i + 1))
        key = cid.strip().casefold()
        if key in found:
            raise MergeError(message("merge_twice", side=message(side), cid=cid))
        found[key] = i
    return found


def _same_commitment(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two commitments added on both sides with one id are one commitment (the same
    section and title: both clones were made from one ledger, say) rather than two that got
    the same id; only the first are merged key by key."""
    return same(a.get("section"), b.get("section")) and same(a.get("title"), b.get("title"))


def plan_commitments(o: list[dict[str, Any]], a: list[dict[str, Any]], b: list[dict[str, Any]],
                     conflicts: list[Conflict], sides: tuple[str, str, str]) -> list[CommitmentPlan]:
    """The merged commitments in order: ours' order, each new one of theirs after its predecessor."""
    io, ia, ib = (_by_id(x, side) for x, side in zip((o, a, b), sides, strict=True))
    front: list[CommitmentPlan] = []  # new ones of theirs that come before all of ours
    groups: dict[int, list[CommitmentPlan]] = {}  # ours' index → its plan (if kept) and the new ones after it
    for i, c in enumerate(a):
        key = c["id"].strip().casefold()
        j, k = ib.get(key), io.get(key)
        group = groups[i] = []
        if j is not None and k is None and not _same_commitment(c, b[j]):
            # Two different commitments that got the same id on both sides: never fused into one.
            group.append(CommitmentPlan("both_added", c["id"], ours=i, theirs=j))
            conflicts.append(Conflict(c["id"], None, c, b[j]))
        elif j is not None:
            group.append(plan_commitment(o[k] if k is not None else {}, c, b[j], c["id"], conflicts, ours=i, theirs=j))
        elif k is None:
            group.append(CommitmentPlan("ours", c["id"], ours=i))
        elif not same(c, o[k]):
            group.append(CommitmentPlan("ours_or_deleted", c["id"], ours=i))
            conflicts.append(Conflict(c["id"], None, c, MISSING))
    current = front
    for j, c in enumerate(b):
        key = c["id"].strip().casefold()
        if key in ia:
            current = groups[ia[key]]
            continue
        k = io.get(key)
        if k is None:
            current.append(CommitmentPlan("theirs", c["id"], theirs=j))
        elif not same(c, o[k]):
            current.append(CommitmentPlan("deleted_or_theirs", c["id"], theirs=j))
            conflicts.append(Conflict(c["id"], None, MISSING, c))
        # else: deleted by us, untouched by them
    return [*front, *(p for i in range(len(a)) for p in groups[i])]


def plan_merge(o: dict[str, Any], a: dict[str, Any], b: dict[str, Any],
               sides: tuple[str, str, str] = ("the ancestor", OURS, THEIRS)) -> MergePlan:
    """Decide the whole merge; ``sides`` names the three versions in error messages."""
    conflicts: list[Conflict] = []
    root = decide_keys(o, a, b, "", conflicts, skip=("commitments",), nest=True)
    commitments = plan_commitments(*(_commitments(x, s) for x, s in zip((o, a, b), sides, strict=True)),
                                   conflicts, sides)
    return MergePlan(root, commitments, conflicts)


def apply_changes(a: dict[str, Any], b: dict[str, Any], changes: tuple[KeyChange, ...], pick: str) -> dict[str, Any]:
    """Ours' table with the changes made; a conflict takes the ``pick`` side's value."""
    out = dict(a)
    for ch in changes:
        if ch.action == "nested":
            out[ch.key] = apply_changes(a[ch.key], b[ch.key], ch.nested, pick)
            continue
        if ch.action == "value":
            out[ch.key] = ch.value
            continue
        value = a.get(ch.key, MISSING) if ch.action == "conflict" and pick == OURS else b.get(ch.key, MISSING)
        if value is MISSING:
            out.pop(ch.key, None)
        else:
            out[ch.key] = value
    return out


def apply_commitment(p: CommitmentPlan, a: list[dict[str, Any]], b: list[dict[str, Any]], pick: str) -> dict | None:
    """The merged commitment of ``p`` (None when it is gone), conflicts resolved to ``pick``."""
    if p.action == "ours" or (p.action in ("ours_or_deleted", "both_added") and pick == OURS):
        return a[p.ours]  # type: ignore[index]
    if p.action == "theirs" or (p.action in ("deleted_or_theirs", "both_added") and pick == THEIRS):
        return b[p.theirs]  # type: ignore[index]
    if p.action != "merge":
        return None
    ca, cb = a[p.ours], b[p.theirs]  # type: ignore[index]
    out = apply_changes(ca, cb, p.fields, pick)
    for kind, refs in p.entries.items():
        items = [(ca if side == OURS else cb)[kind][i] for side, i in refs]
        if items:
            out[kind] = items
        else:
            out.pop(kind, None)
    for kind in p.entry_conflicts:  # each side's resolution keeps that side's whole log
        log = (ca if pick == OURS else cb).get(kind, MISSING)
        if log is MISSING:
            out.pop(kind, None)
        else:
            out[kind] = log
    return out


def apply_plan(plan: MergePlan, a: dict[str, Any], b: dict[str, Any], pick: str = OURS) -> dict[str, Any]:
    """The merged ledger data; where the sides conflict, the ``pick`` side's version."""
    out = apply_changes(a, b, plan.root, pick)
    ca, cb = a.get("commitments", []), b.get("commitments", [])
    merged = [c for p in plan.commitments if (c := apply_commitment(p, ca, cb, pick)) is not None]
    if merged or ("commitments" in a and not ca):
        out["commitments"] = merged
    else:
        out.pop("commitments", None)
    return out
