"""A ledger's text cut into pieces the merge can move, keep or replace.

Key statements (a ``key = value`` line, or several for a multi-line value), chunks (a
table header and its statements) and units (a top-level table, or one commitment with
its progress and extension chunks).  Blank and comment lines belong to the piece that
follows them, as in the store; joining every piece in order gives the text back, byte
for byte.  The statement scanner needs no TOML grammar of its own: the shortest run of
lines that tomllib parses on its own is exactly one statement.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Any

from cytrack.i18n.messages import message
from cytrack.ledger.scan import header_of, is_trivia, key_of, lines_with_ends
from cytrack.merge.plan import MergeError

_CLOSERS = ("]", '"""', "'''")  # a multi-line value can only end on a line holding one of these
_OPENERS = ("[", '"""', "'''")  # ... and can only start on a line holding one of these


@dataclass
class Stmt:
    """One ``key = value`` statement (all its lines), with the blank and comment lines before it."""

    lead: list[str]
    body: list[str]
    key: str


@dataclass
class Chunk:
    """A ``[table]`` or ``[[array]]`` header with the lines leading into it and its statements."""

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
class Pieces:
    """A whole text: the top-level statements, the units, and the blank/comment lines at the end."""

    root: list[Stmt]
    units: list[Unit]
    tail: list[str]

    def commitments(self) -> list[Unit]:
        return [u for u in self.units if u.is_commitment]

    def table(self, name: str) -> Unit | None:
        return next((u for u in self.units if u.head.path == (name,) and not u.head.array), None)


def _header(line: str) -> tuple[tuple[str, ...], bool]:
    """The dotted name of a ``[table]`` or ``[[array]]`` header, and whether it is an array."""
    found = header_of(line) if "\"" not in line and "'" not in line else None
    if found:  # bare keys only: a quoted part may hold a dot, so tomllib reads those
        return tuple(found[0].split(".")), found[1]
    try:
        value: Any = tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        raise MergeError(message("merge_header", header=line.strip())) from None
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
    key = key_of(lines[i]) if not lines[i].lstrip().startswith(("\"", "'")) else None
    if key and not any(c in lines[i] for c in _OPENERS):
        return i + 1, key  # no array or multi-line string opens here: one line (the file parsed)
    for j in range(i, len(lines)):
        if j > i and not any(c in lines[j] for c in _CLOSERS):
            continue
        try:
            data = tomllib.loads("".join(lines[i : j + 1]))
        except tomllib.TOMLDecodeError:
            continue
        return j + 1, next(iter(data))
    raise MergeError(message("merge_value_end", start=lines[i].strip()[:40]))


def cut_pieces(text: str) -> Pieces:
    """Cut a ledger's text (one that parses) into statements, chunks and units; joining them gives it back."""
    lines = lines_with_ends(text)
    root: list[Stmt] = []
    chunks: list[Chunk] = []
    stmts = root
    pending: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if is_trivia(line):
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
    return Pieces(root, units, pending)
