"""Where things are in a ledger's text: the line of every table header and key.

tomllib and tomlkit report no line numbers for values, so the loader scans the text
once with this small scanner and keeps its own map.  It understands the layout people
write (``[[commitments]]`` blocks, ``key = value`` lines, multi-line strings); for
anything more exotic it falls back to the nearest enclosing header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ARRAY_HEADER = re.compile(r"\s*\[\[\s*([^\[\]#]+?)\s*\]\]\s*(?:#.*)?")
_TABLE_HEADER = re.compile(r"\s*\[\s*([^\[\]#]+?)\s*\]\s*(?:#.*)?")
_KEY = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*[=.]""")

CONFLICT_MARKERS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")


@dataclass
class Block:
    """One table (or one element of an array of tables): its header line and key lines."""

    line: int
    keys: dict[str, int] = field(default_factory=dict)

    def key_line(self, key: str) -> int:
        return self.keys.get(key, self.line)


@dataclass
class Header:
    """A ``[table]`` or ``[[array]]`` header line; ``end`` is the last line of its block."""

    line: int
    name: str
    array: bool
    end: int = 0


@dataclass
class LineIndex:
    root: Block = field(default_factory=lambda: Block(1))
    tables: dict[str, Block] = field(default_factory=dict)
    commitments: list[Block] = field(default_factory=list)
    progress: dict[int, list[Block]] = field(default_factory=dict)
    extensions: dict[int, list[Block]] = field(default_factory=dict)
    headers: list[Header] = field(default_factory=list)

    def commitment(self, i: int) -> Block:
        if i < len(self.commitments):
            return self.commitments[i]
        return Block(self.tables["commitments"].line if "commitments" in self.tables else 1)

    def entry(self, kind: str, i: int, j: int) -> Block:
        blocks = (self.progress if kind == "progress" else self.extensions).get(i, [])
        if j < len(blocks):
            return blocks[j]
        parent = self.commitment(i)
        return Block(parent.key_line(kind))


def _name(raw: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in raw.split("."))


def index_lines(text: str) -> LineIndex:
    """Scan ``text`` once and return where each header and key stands (1-based lines)."""
    index = LineIndex()
    current = index.root
    closing: str | None = None  # the delimiter of an open multi-line string
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if closing is not None:
            if line.count(closing) % 2 == 1:
                closing = None
            continue
        stripped = line.lstrip()
        if not stripped or stripped[0] == "#":
            continue
        if stripped[0] == "[":
            m = _ARRAY_HEADER.fullmatch(line)
            if m:
                name = _name(m.group(1))
                current = Block(number)
                _close(index, number)
                index.headers.append(Header(number, name, True))
                if name == "commitments":
                    index.commitments.append(current)
                elif name in ("commitments.progress", "commitments.extensions"):
                    kind = name.split(".")[1]
                    owner = max(len(index.commitments) - 1, 0)
                    getattr(index, kind).setdefault(owner, []).append(current)
                continue
            m = _TABLE_HEADER.fullmatch(line)
            if m:
                name = _name(m.group(1))
                current = Block(number)
                _close(index, number)
                index.headers.append(Header(number, name, False))
                index.tables.setdefault(name, current)
                continue
        m = _KEY.match(line)
        if m:
            key = m.group(1).strip("\"'")
            current.keys.setdefault(key, number)
            rest = line[m.end():]
            for delim in ('"""', "'''"):
                if rest.count(delim) % 2 == 1:
                    closing = delim
                    break
    _close(index, len(lines) + 1)
    return index


def _close(index: LineIndex, next_line: int) -> None:
    if index.headers and not index.headers[-1].end:
        index.headers[-1].end = next_line - 1


def conflict_marker_lines(text: str) -> list[int]:
    """Lines that start with one of git's conflict markers."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(CONFLICT_MARKERS):
            marker = line[:7]
            rest = line[7:]
            if marker == "=======" and rest.strip():
                continue
            if not rest or rest[0] in " \r" or marker == "=======":
                found.append(number)
    return found
