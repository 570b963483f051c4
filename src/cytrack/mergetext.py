"""The merge plan as text: ours' file with only the pieces that change replaced, added or marked.

A ledger's text is cut into pieces that can move: key statements (a ``key = value`` line,
or several for a multi-line value), chunks (a table header and its statements) and units
(a top-level table, or one commitment with its progress and extension chunks).  Blank and
comment lines belong to the piece that follows them, as in the store.  The merged text is
ours' text wherever the plan keeps ours, with pieces of their text copied verbatim
(comments and all) where it takes theirs, and git's conflict markers around the two
versions of a piece where the sides conflict.  A commitment laid out in a way the pieces
cannot express is written afresh by tomlkit; anything else unusual is refused.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Any

import tomlkit

from cytrack.edit import split_lines
from cytrack.mergeplan import (
    ENTRY_KINDS,
    OURS,
    THEIRS,
    CommitmentPlan,
    Conflict,
    KeyChange,
    MergeError,
    Plan,
    apply_commitment,
    canon,
)
from cytrack.textsafe import one_line

BOTH = "both"  # tags of output lines: in every version, only in ours' or theirs' side of a conflict, a marker
MARKER = "marker"
_CLOSERS = ("]", '"""', "'''")  # a multi-line value can only end on a line holding one of these


@dataclass
class Stmt:
    lead: list[str]
    body: list[str]
    key: str


@dataclass
class Chunk:
    lead: list[str]
    header: str
    path: tuple[str, ...]
    array: bool
    stmts: list[Stmt] = field(default_factory=list)

    def lines(self, *, lead: bool = True) -> list[str]:
        out = [*self.lead] if lead else []
        out.append(self.header)
        for s in self.stmts:
            out += s.lead + s.body
        return out


@dataclass
class Unit:
    """A top-level table or one commitment, with the chunks of its sub-tables."""

    chunks: list[Chunk]

    @property
    def head(self) -> Chunk:
        return self.chunks[0]

    @property
    def is_commitment(self) -> bool:
        return self.head.path == ("commitments",) and self.head.array

    def lines(self, *, lead: bool = True) -> list[str]:
        out = self.head.lines(lead=lead)
        for c in self.chunks[1:]:
            out += c.lines()
        return out


@dataclass
class Layout:
    root: list[Stmt]
    units: list[Unit]
    tail: list[str]

    def commitments(self) -> list[Unit]:
        return [u for u in self.units if u.is_commitment]

    def table(self, name: str) -> Unit | None:
        return next((u for u in self.units if u.head.path == (name,) and not u.head.array), None)


def _trivia(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _header(line: str) -> tuple[tuple[str, ...], bool]:
    """The dotted name of a ``[table]`` or ``[[array]]`` header, and whether it is an array."""
    try:
        value: Any = tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        raise MergeError(f"cannot read the table header {line.strip()!r}; merge by hand.") from None
    path = []
    while True:
        ((key, value),) = value.items()
        path.append(key)
        if isinstance(value, list):
            return tuple(path), True
        if not value:
            return tuple(path), False


def _statement(lines: list[str], i: int) -> tuple[int, str]:
    """Where the statement starting at line ``i`` ends (exclusive), and its key: the shortest
    run of lines that parses on its own is exactly one statement."""
    for j in range(i, len(lines)):
        if j > i and not any(c in lines[j] for c in _CLOSERS):
            continue
        try:
            data = tomllib.loads("".join(lines[i : j + 1]))
        except tomllib.TOMLDecodeError:
            continue
        return j + 1, next(iter(data))
    raise MergeError(f"cannot find the end of the value that starts with {lines[i].strip()[:40]!r}; merge by hand.")


def scan_layout(text: str) -> Layout:
    """Cut a ledger's text (one that parses) into statements, chunks and units; joining them gives it back."""
    lines = split_lines(text)
    root: list[Stmt] = []
    chunks: list[Chunk] = []
    stmts = root
    pending: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _trivia(line):
            pending.append(line)
            i += 1
        elif line.lstrip().startswith("["):
            path, array = _header(line)
            chunks.append(Chunk(pending, line, path, array))
            stmts, pending = chunks[-1].stmts, []
            i += 1
        else:
            end, key = _statement(lines, i)
            stmts.append(Stmt(pending, lines[i:end], key))
            pending, i = [], end
    units: list[Unit] = []
    for chunk in chunks:
        top = units[-1].head.path if units else ()
        if len(top) == 1 and len(chunk.path) > 1 and chunk.path[0] == top[0]:
            units[-1].chunks.append(chunk)
        else:
            units.append(Unit([chunk]))
    return Layout(root, units, pending)


class Output:
    """The merged text as tagged lines, so that each side's resolution of the conflicts can be read back."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, lines: list[str], tag: str = BOTH) -> None:
        self.items += [(line, tag) for line in lines]

    def conflict(self, label: str, ours: list[str], theirs: list[str]) -> None:
        shown = f" ({one_line(label)[:80]})" if label else ""
        self.add([f"<<<<<<< ours{shown}\n"], MARKER)
        self.add(ours, OURS)
        self.add(["=======\n"], MARKER)
        self.add(theirs, THEIRS)
        self.add([f">>>>>>> theirs{shown}\n"], MARKER)

    def text(self, newline: str, pick: str | None = None) -> str:
        """The whole text (markers included), or with every conflict resolved to ``pick``."""
        keep = (BOTH, MARKER, OURS, THEIRS) if pick is None else (BOTH, pick)
        lines = [line for line, tag in self.items if tag in keep]
        for n, line in enumerate(lines[:-1]):
            if not line.endswith("\n"):
                lines[n] = line + newline
            elif tag_is_marker_newline(line) and newline != "\n":
                lines[n] = line[:-1] + newline
        if lines and tag_is_marker_newline(lines[-1]) and newline != "\n":
            lines[-1] = lines[-1][:-1] + newline
        return "".join(lines)


def tag_is_marker_newline(line: str) -> bool:
    """Lines this module writes end in a bare LF; they take the file's newline style on output."""
    return line.endswith("\n") and not line.endswith("\r\n")


def _one(stmts: list[Stmt], key: str, where: str) -> Stmt | None:
    found = [s for s in stmts if s.key == key]
    if len(found) > 1:
        raise MergeError(f"{where}: the value of {key!r} is written in several pieces (dotted keys); merge by hand.")
    return found[0] if found else None


def render_stmts(out: Output, ours: list[Stmt], theirs: list[Stmt], changes: tuple[KeyChange, ...],
                 place: str, conflicts: dict[str, Conflict]) -> None:
    """Ours' statements with the changes made: theirs' statement text where theirs' value is taken."""
    where = place or "the top level"
    by_key = {ch.key: ch for ch in changes}
    inserts: dict[str | None, list[tuple[KeyChange, Stmt]]] = {}
    for ch in changes:
        if ch.action == "nested":
            raise MergeError(f"{where}: {ch.key!r} is an inline table changed on both sides; merge by hand.")
        mine = _one(ours, ch.key, where)
        if mine is None and ch.action in ("add", "conflict"):
            theirs_stmt = _one(theirs, ch.key, where)
            assert theirs_stmt is not None
            keys = [s.key for s in theirs]
            before = [k for k in keys[: keys.index(ch.key)] if any(s.key == k for s in ours)]
            inserts.setdefault(before[-1] if before else None, []).append((ch, theirs_stmt))
        elif mine is None:
            raise MergeError(f"{where}: cannot find {ch.key!r} in the text; merge by hand.")

    def insert(anchor: str | None) -> None:
        for ch, s in inserts.pop(anchor, []):
            if ch.action == "add":
                out.add(s.lead + s.body)
            else:
                out.conflict(conflicts[f"{place} {ch.key}".strip()].label, [], s.lead + s.body)

    insert(None)
    for s in ours:
        ch = by_key.get(s.key)
        if ch is None:
            out.add(s.lead + s.body)
        elif ch.action == "set":
            t = _one(theirs, s.key, where)
            assert t is not None
            out.add(s.lead + t.body)
        elif ch.action == "conflict":
            t = _one(theirs, s.key, where)
            out.add(s.lead)
            out.conflict(conflicts[f"{place} {s.key}".strip()].label, s.body, t.body if t else [])
        insert(s.key)


def _fresh(c: dict[str, Any]) -> list[str]:
    """A commitment written afresh by tomlkit, for layouts the pieces cannot express."""
    return ["\n", *split_lines(tomlkit.dumps({"commitments": [c]}))]


class Renderer:
    """Writes one merge: ``plan`` applied to ours' text, with pieces of theirs."""

    def __init__(self, plan: Plan, ours: Layout, theirs: Layout, a: dict[str, Any], b: dict[str, Any]) -> None:
        self.plan, self.ours, self.theirs = plan, ours, theirs
        self.ca, self.cb = a.get("commitments", []), b.get("commitments", [])
        self.conflicts = {c.label: c for c in plan.conflicts}
        self.out = Output()
        self.theirs_units = theirs.commitments()
        if len(self.theirs_units) != len(self.cb):
            self.theirs_units = []  # commitments written inline: use tomlkit for theirs' pieces

    def _matches(self, unit: Unit | None, c: dict[str, Any], *, pieces: bool) -> bool:
        """The unit's text alone parses to ``c``; with ``pieces``, its parts can also be moved one by one."""
        if unit is None:
            return False
        if pieces:
            subs = unit.chunks[1:]
            if any(len(s.path) != 2 or s.path[1] not in ENTRY_KINDS or not s.array for s in subs):
                return False
            keys = [s.key for s in unit.head.stmts]
            if len(set(keys)) != len(keys) or set(keys) & set(ENTRY_KINDS):
                return False
        try:
            parsed = tomllib.loads("".join(unit.lines(lead=False)))
        except tomllib.TOMLDecodeError:
            return False
        return canon(parsed) == canon({"commitments": [c]})

    def _theirs_unit(self, j: int) -> Unit | None:
        return self.theirs_units[j] if self.theirs_units else None

    def render(self) -> Output:
        changes = {ch.key: ch for ch in self.plan.root}
        stmt_changes = tuple(ch for ch in self.plan.root if self._in_root(ch.key))
        render_stmts(self.out, self.ours.root, self.theirs.root, stmt_changes, "", self.conflicts)
        units = self.ours.commitments()
        changed = any(p.action != "ours" for p in self.plan.commitments) or len(self.plan.commitments) != len(self.ca)
        if changed and len(units) != len(self.ca):
            raise MergeError("our version writes its commitments inline, not as [[commitments]] tables; merge by hand.")
        new_tables = [ch for ch in self.plan.root if not self._in_root(ch.key) and ch.action == "add"]
        front, after = self._placement()
        k = 0
        for unit in self.ours.units:
            if unit.is_commitment:
                if k == 0:
                    self._new_tables(new_tables)
                    self._commitments(front)
                if k in after:
                    self._commitment(self.plan.commitments[after[k][0]], unit)
                    self._commitments(after[k][1:])
                k += 1
            elif unit.head.path[0] in changes and len(unit.head.path) == 1 and not unit.head.array:
                self._table(unit, changes[unit.head.path[0]])
            else:
                self.out.add(unit.lines())
        if k == 0:
            self._new_tables(new_tables)
            self._commitments(front)
        self.out.add(self.ours.tail)
        return self.out

    def _in_root(self, key: str) -> bool:
        """Whether a top-level key is written as a statement (not as a table) where it must be edited."""
        if any(s.key == key for s in self.ours.root):
            return True
        if self.ours.table(key) is not None or self.theirs.table(key) is not None:
            return False
        if any(s.key == key for s in self.theirs.root):
            return True
        raise MergeError(f"the top-level {key!r} is laid out in an unusual way; merge by hand.")

    def _new_tables(self, changes: list[KeyChange]) -> None:
        for ch in changes:
            unit = self.theirs.table(ch.key)
            assert unit is not None
            self.out.add(unit.lines())
        changes.clear()

    def _table(self, unit: Unit, ch: KeyChange) -> None:
        name = unit.head.path[0]
        if ch.action == "remove":
            return
        theirs = self.theirs.table(name)
        if ch.action != "nested" or theirs is None:
            raise MergeError(f"[{name}] was removed or replaced on one side and changed on the other; merge by hand.")
        self.out.add(unit.head.lead + [unit.head.header])
        render_stmts(self.out, unit.head.stmts, theirs.head.stmts, ch.nested, f"[{name}]", self.conflicts)
        for chunk in unit.chunks[1:]:
            self.out.add(chunk.lines())

    def _placement(self) -> tuple[list[int], dict[int, list[int]]]:
        """Plans before ours' first commitment, and for each of ours' the plan of it plus the new ones after it."""
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

    def _commitment(self, p: CommitmentPlan, unit: Unit | None) -> None:
        if p.action == "ours":
            assert unit is not None
            self.out.add(unit.lines())
        elif p.action in ("theirs", "deleted_or_theirs"):
            c = self.cb[p.theirs]  # type: ignore[index]
            tu = self._theirs_unit(p.theirs)  # type: ignore[arg-type]
            lines = tu.lines() if self._matches(tu, c, pieces=False) else _fresh(c)  # type: ignore[union-attr]
            if p.action == "theirs":
                self.out.add(lines)
            else:
                self.out.conflict(self.conflicts[p.label].label, [], lines)
        elif p.action == "ours_or_deleted":
            assert unit is not None
            self.out.add(unit.head.lead)
            self.out.conflict(self.conflicts[p.label].label, unit.lines(lead=False), [])
        else:
            assert unit is not None
            self._merged(p, unit)

    def _merged(self, p: CommitmentPlan, unit: Unit) -> None:
        ca, cb = self.ca[p.ours], self.cb[p.theirs]  # type: ignore[index]
        tu = self._theirs_unit(p.theirs)  # type: ignore[arg-type]
        if not (self._matches(unit, ca, pieces=True) and self._matches(tu, cb, pieces=True)):
            self.out.add(unit.head.lead)
            ours_c = apply_commitment(p, self.ca, self.cb, OURS)
            theirs_c = apply_commitment(p, self.ca, self.cb, THEIRS)
            if same_data(ours_c, theirs_c):
                self.out.add(_fresh(ours_c)[1:])  # type: ignore[arg-type]
            else:
                self.out.conflict(p.label, _fresh(ours_c)[1:], _fresh(theirs_c)[1:])  # type: ignore[arg-type]
            return
        assert tu is not None
        self.out.add(unit.head.lead + [unit.head.header])
        render_stmts(self.out, unit.head.stmts, tu.head.stmts, p.fields, p.label, self.conflicts)
        self._entries(p, unit.chunks[1:], tu.chunks[1:])

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


def same_data(x: Any, y: Any) -> bool:
    return canon(x) == canon(y)


def render_merge(plan: Plan, ours_text: str, theirs_text: str, a: dict[str, Any], b: dict[str, Any]) -> Output:
    """The merged text of ``plan`` built from ours' text (and pieces of theirs', already in ours' newline style)."""
    return Renderer(plan, scan_layout(ours_text), scan_layout(theirs_text), a, b).render()
