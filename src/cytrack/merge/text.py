"""The merge plan as text: ours' file with only the pieces that change replaced, added or marked.

The texts are cut into pieces by ``merge.pieces``.  The merged text is ours' text wherever
the plan keeps ours, with pieces of their text copied verbatim (comments and all) where it
takes theirs, and git's conflict markers around the two versions of a piece where the sides
conflict.  A commitment laid out in a way the pieces cannot express is written afresh, in
the layout ``add`` and ``update`` write (``store.edit.render_commitment``); anything else
unusual is refused.
"""

from __future__ import annotations

import tomllib
from typing import Any

from cytrack.i18n.messages import message
from cytrack.merge.pieces import Chunk, Pieces, Stmt, Unit, cut_pieces
from cytrack.merge.plan import (
    ENTRY_KINDS,
    OURS,
    THEIRS,
    CommitmentPlan,
    KeyChange,
    MergeError,
    MergePlan,
    apply_commitment,
    canon,
)
from cytrack.store.edit import render_commitment, render_key, render_value
from cytrack.textsafe import one_line

# Tags of output lines: in every version, a conflict marker (or OURS/THEIRS: one side of a conflict).
BOTH = "both"
CONFLICT_TAG = "marker"


def marker_label(label: str) -> str:
    """What a conflict marker line says after ``ours``/``theirs``: the commitment and field, on one line."""
    return one_line(label)[:80]


class Output:
    """The merged text as tagged lines, so that each side's resolution of the conflicts can be read back."""

    def __init__(self, newline: str) -> None:
        self.newline = newline
        self.items: list[tuple[str, str]] = []

    def add(self, lines: list[str], tag: str = BOTH) -> None:
        self.items += [(line, tag) for line in lines]

    def conflict(self, label: str, ours: list[str], theirs: list[str]) -> None:
        shown = f" ({marker_label(label)})" if label else ""
        nl = self.newline
        self.add([f"<<<<<<< ours{shown}{nl}"], CONFLICT_TAG)
        self.add(ours, OURS)
        self.add([f"======={nl}"], CONFLICT_TAG)
        self.add(theirs, THEIRS)
        self.add([f">>>>>>> theirs{shown}{nl}"], CONFLICT_TAG)

    def text(self, pick: str | None = None) -> str:
        """The whole text (markers included), or with every conflict resolved to ``pick``."""
        keep = (BOTH, CONFLICT_TAG, OURS, THEIRS) if pick is None else (BOTH, pick)
        lines = [line for line, tag in self.items if tag in keep]
        for n, line in enumerate(lines[:-1]):
            if not line.endswith("\n"):  # ours' last line had no newline, and now something follows it
                lines[n] = line + self.newline
        return "".join(lines)


class NotPieces(Exception):
    """A change the statement pieces cannot express: the commitment is written afresh."""


def _one(stmts: list[Stmt], key: str, where: str) -> Stmt | None:
    found = [s for s in stmts if s.key == key]
    if len(found) > 1:
        raise MergeError(message("merge_dotted", where=where, key=key))
    return found[0] if found else None


def render_stmts(out: Output, ours: list[Stmt], theirs: list[Stmt], changes: tuple[KeyChange, ...], place: str) -> None:
    """Ours' statements with the changes made: theirs' statement text where theirs' value is taken."""
    where = place or "the top level"
    by_key = {ch.key: ch for ch in changes}
    inserts: dict[str | None, list[tuple[KeyChange, Stmt]]] = {}
    for ch in changes:
        if ch.action == "nested":
            raise MergeError(message("merge_inline", where=where, key=ch.key))
        if _one(ours, ch.key, where) is not None:
            continue
        t = _one(theirs, ch.key, where)
        if ch.action == "value":
            if t is not None and canon(tomllib.loads("".join(t.body)).get(ch.key)) == canon(ch.value):
                ch = KeyChange(ch.key, "add")  # theirs' line says it already
            else:
                raise NotPieces(ch.key)
        if t is None or ch.action not in ("add", "conflict"):
            raise MergeError(message("merge_not_found", where=where, key=ch.key))
        keys = [s.key for s in theirs]
        before = [k for k in keys[: keys.index(ch.key)] if any(s.key == k for s in ours)]
        inserts.setdefault(before[-1] if before else None, []).append((ch, t))

    def insert(anchor: str | None) -> None:
        for ch, t in inserts.pop(anchor, []):
            if ch.action == "add":
                out.add(t.lead + t.body)
            else:
                out.conflict(f"{place} {ch.key}".strip(), [], t.lead + t.body)

    insert(None)
    for s in ours:
        ch = by_key.get(s.key)
        t = _one(theirs, s.key, where) if ch is not None else None
        if ch is None:
            out.add(s.lead + s.body)
        elif ch.action == "set":
            assert t is not None
            out.add(s.lead + t.body)
        elif ch.action == "conflict":
            out.add(s.lead)
            out.conflict(f"{place} {s.key}".strip(), s.body, t.body if t else [])
        elif ch.action == "value":
            out.add(s.lead + [f"{render_key(s.key)} = {render_value(ch.value)}{out.newline}"])
        insert(s.key)


class Renderer:
    """Writes one merge: ``plan`` applied to ours' text, with pieces of theirs'."""

    def __init__(self, plan: MergePlan, ours: Pieces, theirs: Pieces, a: dict[str, Any], b: dict[str, Any],
                 newline: str) -> None:
        self.plan, self.ours, self.theirs = plan, ours, theirs
        self.ca, self.cb = a.get("commitments", []), b.get("commitments", [])
        self.out = Output(newline)
        self.theirs_units = theirs.commitments()
        if len(self.theirs_units) != len(self.cb):
            self.theirs_units = []  # commitments written inline: their pieces are written afresh

    def render(self) -> Output:
        root = [ch for ch in self.plan.root if self._in_root(ch.key)]
        tables = {ch.key: ch for ch in self.plan.root if ch not in root}
        for key, ch in tables.items():
            if self.ours.table(key) is None and ch.action != "add":
                raise MergeError(message("merge_removed_changed", table=key))
        render_stmts(self.out, self.ours.root, self.theirs.root, tuple(root), "")
        units = self.ours.commitments()
        changed = any(p.action != "ours" for p in self.plan.commitments) or len(self.plan.commitments) != len(self.ca)
        if changed and len(units) != len(self.ca):
            raise MergeError(message("merge_inline_commitments"))
        new_tables = [key for key, ch in tables.items() if ch.action == "add"]
        front, after = self._placement()
        k = 0
        for unit in self.ours.units:
            name = unit.head.path[0]
            if unit.is_commitment:
                if k == 0:
                    self._new_tables(new_tables)
                    self._commitments(front)
                for n, plan_no in enumerate(after.get(k, [])):
                    self._commitment(self.plan.commitments[plan_no], unit if n == 0 else None)
                k += 1
            elif name in tables and unit is self.ours.table(name):
                self._table(unit, tables[name])
            else:
                self.out.add(unit.lines())
        if k == 0:
            self._new_tables(new_tables)
            self._commitments(front)
        self.out.add(self.ours.tail)
        return self.out

    def _in_root(self, key: str) -> bool:
        """Whether a top-level key to change is a statement of the top level (else it is a table)."""
        if any(s.key == key for s in self.ours.root):
            return True
        if self.ours.table(key) is not None or self.theirs.table(key) is not None:
            return False
        if any(s.key == key for s in self.theirs.root):
            return True
        raise MergeError(message("merge_unusual_top", key=key))

    def _new_tables(self, keys: list[str]) -> None:
        for key in keys:
            unit = self.theirs.table(key)
            assert unit is not None
            self.out.add(unit.lines())
        keys.clear()

    def _table(self, unit: Unit, ch: KeyChange) -> None:
        name = unit.head.path[0]
        if ch.action == "remove":
            return
        theirs = self.theirs.table(name)
        if ch.action != "nested" or theirs is None:
            raise MergeError(message("merge_replaced_changed", table=name))
        self.out.add(unit.head.lead + [unit.head.header])
        render_stmts(self.out, unit.head.stmts, theirs.head.stmts, ch.nested, f"[{name}]")
        for chunk in unit.chunks[1:]:
            self.out.add(chunk.lines())

    def _placement(self) -> tuple[list[int], dict[int, list[int]]]:
        """Plans before ours' first commitment, and for each of ours' its plan then the new ones after it."""
        front: list[int] = []
        after: dict[int, list[int]] = {}
        current = front
        for n, p in enumerate(self.plan.commitments):
            if p.ours is not None:
                current = after[p.ours] = [n]
            else:
                current.append(n)
        return front, after

    def _commitments(self, plans: list[int]) -> None:
        for n in plans:
            self._commitment(self.plan.commitments[n], None)

    def _matches(self, unit: Unit | None, c: dict[str, Any], *, pieces: bool) -> bool:
        """The unit's text alone parses to ``c``; with ``pieces``, its parts can also be moved one by one."""
        if unit is None:
            return False
        if pieces:
            if any(len(s.path) != 2 or s.path[1] not in ENTRY_KINDS or not s.array for s in unit.chunks[1:]):
                return False
            keys = [s.key for s in unit.head.stmts]
            if len(set(keys)) != len(keys) or set(keys) & set(ENTRY_KINDS):
                return False
        try:
            parsed = tomllib.loads("".join(unit.lines(lead=False)))
        except tomllib.TOMLDecodeError:
            return False
        return canon(parsed) == canon({"commitments": [c]})

    def _theirs_lines(self, j: int) -> list[str]:
        unit = self.theirs_units[j] if self.theirs_units else None
        if unit is not None and self._matches(unit, self.cb[j], pieces=False):
            return unit.lines()
        return [self.out.newline, *render_commitment(self.cb[j], self.out.newline)]

    def _commitment(self, p: CommitmentPlan, unit: Unit | None) -> None:
        if p.action == "theirs":
            self.out.add(self._theirs_lines(p.theirs))  # type: ignore[arg-type]
        elif p.action == "deleted_or_theirs":
            self.out.conflict(p.label, [], self._theirs_lines(p.theirs))  # type: ignore[arg-type]
        elif unit is None:
            raise AssertionError(f"no text for commitment {p.label}")
        elif p.action == "ours":
            self.out.add(unit.lines())
        elif p.action == "ours_or_deleted":
            self.out.add(unit.head.lead)
            self.out.conflict(p.label, unit.lines(lead=False), [])
        elif p.action == "both_added":
            self.out.add(unit.head.lead)
            theirs = self._theirs_lines(p.theirs)  # type: ignore[arg-type]
            self.out.conflict(p.label, unit.lines(lead=False), theirs)
        else:
            self._merged(p, unit)

    def _merged(self, p: CommitmentPlan, unit: Unit) -> None:
        ca, cb = self.ca[p.ours], self.cb[p.theirs]  # type: ignore[index]
        tu = self.theirs_units[p.theirs] if self.theirs_units else None  # type: ignore[index]
        if tu is None or not (self._matches(unit, ca, pieces=True) and self._matches(tu, cb, pieces=True)):
            self._afresh(p, unit)
            return
        if p.entry_conflicts:
            self._afresh(p, unit)
            return
        mark = len(self.out.items)
        self.out.add(unit.head.lead + [unit.head.header])
        try:
            render_stmts(self.out, unit.head.stmts, tu.head.stmts, p.fields, p.label)
        except NotPieces:
            del self.out.items[mark:]
            self._afresh(p, unit)
            return
        self._entries(p, unit.chunks[1:], tu.chunks[1:])

    def _afresh(self, p: CommitmentPlan, unit: Unit) -> None:
        """A merged commitment whose layout the pieces cannot express, written afresh."""
        nl = self.out.newline
        ours_c = render_commitment(apply_commitment(p, self.ca, self.cb, OURS) or {}, nl)
        theirs_c = render_commitment(apply_commitment(p, self.ca, self.cb, THEIRS) or {}, nl)
        self.out.add(unit.head.lead)
        if ours_c == theirs_c:
            self.out.add(ours_c)
        else:
            self.out.conflict(p.label, ours_c, theirs_c)

    def _entries(self, p: CommitmentPlan, ours: list[Chunk], theirs: list[Chunk]) -> None:
        """Ours' entry chunks in place, minus the removed ones, with theirs' new ones after their predecessors."""
        by_kind = {kind: [c for c in theirs if c.path[1] == kind] for kind in ENTRY_KINDS}
        keep: set[tuple[str, int]] = set()
        front: dict[str, list[Chunk]] = {}
        after: dict[tuple[str, int], list[Chunk]] = {}
        for kind in ENTRY_KINDS:
            refs = p.entries.get(kind)
            if refs is None:
                keep.update((kind, i) for i in range(sum(c.path[1] == kind for c in ours)))
                continue
            current = front[kind] = []
            for side, i in refs:
                if side == OURS:
                    keep.add((kind, i))
                    current = after[(kind, i)] = []
                else:
                    current.append(by_kind[kind][i])
        seen = dict.fromkeys(ENTRY_KINDS, 0)
        for chunk in ours:
            kind = chunk.path[1]
            i = seen[kind]
            seen[kind] += 1
            if i == 0:
                self._chunks(front.pop(kind, []))
            if (kind, i) in keep:
                self.out.add(chunk.lines())
            self._chunks(after.get((kind, i), []))
        for kind in ENTRY_KINDS:
            self._chunks(front.pop(kind, []))

    def _chunks(self, chunks: list[Chunk]) -> None:
        for c in chunks:
            self.out.add(c.lines())


def render_merge(plan: MergePlan, ours_text: str, theirs_text: str, a: dict[str, Any], b: dict[str, Any],
                 newline: str) -> Output:
    """The merged text of ``plan``, built from ours' text and pieces of theirs' (already in ours' newline style)."""
    return Renderer(plan, cut_pieces(ours_text), cut_pieces(theirs_text), a, b, newline).render()
