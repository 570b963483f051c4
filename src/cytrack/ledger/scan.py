"""The one scanner of a ledger's TOML line structure: headers, keys, multi-line strings.

tomllib and tomlkit report no line numbers for values, so the loader scans the text
once with ``index_lines`` and keeps its own map.  It understands the layout people
write (``[[commitments]]`` blocks, ``key = value`` lines, multi-line strings); for
anything more exotic it falls back to the nearest enclosing header.  The same pieces
serve every other reader of lines: the write path's edit (``line_kinds``,
``content_end``, ``header_name``, and ``value_start``/``value_end`` for a value to replace),
the block layout (``header_offsets``), the merge's pieces (``header_of``, ``key_of``,
``is_trivia``) and the diagnosis (conflict markers, ``key_text``, ``plain_string``,
``too_deep_line``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from typing import NamedTuple

from cytrack.ledger.lazyre import Lazy

_ARRAY_HEADER = re.compile(r"\s*\[\[\s*([^\[\]#]+?)\s*\]\]\s*(?:#.*)?")
_HEADER_START = re.compile(r"(?m)^[ \t]*\[")
_TABLE_HEADER = re.compile(r"\s*\[\s*([^\[\]#]+?)\s*\]\s*(?:#.*)?")
_KEY_NAME = r"""("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)"""
_KEY = re.compile(rf"""\s*{_KEY_NAME}\s*[=.]""")
# Used off the read path only (a write's replaced value, a diagnosis): compiled on first use.
_KEY_VALUE = Lazy(rf"""\s*{_KEY_NAME}\s*=[ \t]*""")
_DOTTED_KEY = Lazy(rf"""\s*((?:{_KEY_NAME})(?:\s*\.\s*(?:{_KEY_NAME}))*)\s*=""")
_PLAIN_STRING = Lazy(r""""([^"\\]*)"|'([^']*)'""")

# A value that opens and closes on its line: a string without escapes, a bare word (number,
# date, true/false) or a one-line array of those, then perhaps a comment.
_ATOM = r"""(?:"[^"\\]*"|'[^']*'|[0-9A-Za-z_:.+-]+)"""
_CLOSED_VALUE = re.compile(
    rf"""\s*(?:{_ATOM}|\[\s*(?:{_ATOM}\s*,\s*)*(?:{_ATOM}\s*)?\])\s*(?:#.*)?"""
)

_NEXT_SPECIAL = re.compile(r"""[#"'\[\]{}]""")

CONFLICT_MARKERS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")


class TableLines:
    """One table (or one element of an array of tables): its header line and key lines.

    A large ledger has ~10^5 tables and ~10^6 key lines, so the key lines are kept compactly:
    as offsets from the header line (small ints, which Python shares) in a dict that
    ``index_lines`` shares between all tables of the same shape once a table is complete
    (most progress entries have the same keys on the same relative lines). At 20,000
    commitments this took the line index from ~67 MB to ~15 MB.
    """

    __slots__ = ("_offsets", "_own", "line")

    def __init__(self, line: int, keys: dict[str, int] | None = None) -> None:
        self.line = line
        self._offsets: dict[str, int] = {k: v - line for k, v in keys.items()} if keys else {}
        self._own = True  # False once ``_offsets`` is a dict shared with other tables: copy before a change

    @property
    def keys(self) -> dict[str, int]:
        """Each key's line (a new dict: change it with ``add``)."""
        line = self.line
        return {k: line + v for k, v in self._offsets.items()}

    def key_line(self, key: str) -> int:
        offset = self._offsets.get(key)
        return self.line if offset is None else self.line + offset

    def add(self, key: str, line: int) -> None:
        """Record that ``key`` stands on ``line`` unless it was seen before (the first line counts)."""
        if key in self._offsets:
            return
        if not self._own:
            self._offsets, self._own = dict(self._offsets), True
        self._offsets[key] = line - self.line

    def share(self, shapes: dict[tuple[tuple[str, int], ...], dict[str, int]]) -> None:
        """Use the one dict in ``shapes`` equal to this table's offsets (adding it when new)."""
        if self._own:
            self._offsets = shapes.setdefault(tuple(self._offsets.items()), self._offsets)
            self._own = False


class Header:
    """A ``[table]`` or ``[[array]]`` header line; ``end`` is the last line of its block."""

    __slots__ = ("array", "end", "line", "name")

    def __init__(self, line: int, name: str, array: bool, end: int = 0) -> None:
        self.line, self.name, self.array, self.end = line, name, array, end


class LineIndex:
    """Where each header and key of a ledger text stands, filled in by ``index_lines``."""

    def __init__(self) -> None:
        self.root = TableLines(1)
        self.tables: dict[str, TableLines] = {}
        self.commitments: list[TableLines] = []
        self.progress: dict[int, list[TableLines]] = {}  # by commitment index
        self.extensions: dict[int, list[TableLines]] = {}
        self.headers: list[Header] = []

    def commitment(self, i: int) -> TableLines:
        if i < len(self.commitments):
            return self.commitments[i]
        table = self.tables.get("commitments")
        return TableLines(table.line if table else self.root.key_line("commitments"))

    def entry(self, kind: str, i: int, j: int) -> TableLines:
        blocks = (self.progress if kind == "progress" else self.extensions).get(i, [])
        if j < len(blocks):
            return blocks[j]
        parent = self.commitment(i)
        return TableLines(parent.key_line(kind))


def _name(raw: str) -> str:
    return sys.intern(".".join(part.strip().strip("\"'") for part in raw.split(".")))


def header_of(line: str) -> tuple[str, bool] | None:
    """``("commitments.progress", True)`` for ``  [[commitments.progress]]  # …``; None for a line
    that is no table header.  Quotes around the parts of the name are dropped."""
    line = line.rstrip("\r\n")
    m = _ARRAY_HEADER.fullmatch(line)
    if m:
        return _name(m.group(1)), True
    m = _TABLE_HEADER.fullmatch(line)
    return (_name(m.group(1)), False) if m else None


def header_name(line: str) -> str | None:
    """The dotted name of a ``[table]`` or ``[[array]]`` header line, None for other lines."""
    found = header_of(line)
    return found[0] if found else None


_LOOSE_HEADER = Lazy(r"\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$")


def loose_header(line: str) -> str | None:
    """The name of a header as a person typed it, quotes and all (``"a b".c`` for ``[ "a b".c ]``),
    for messages about a text that may not be valid TOML; None for a line that is no header."""
    m = _LOOSE_HEADER.match(line)
    return m.group(1) if m and line.lstrip().startswith("[") else None


def code_positions(line: str) -> list[int]:
    """Positions of the characters of ``line`` that are not inside a "…" or '…' string (or a comment)."""
    spots, quote = [], ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        else:
            spots.append(i)
    return spots


def key_of(line: str) -> str | None:
    """The key a ``key = value`` line starts with (the first part of a dotted key, unquoted); else None."""
    m = _KEY.match(line)
    return m.group(1).strip("\"'") if m else None


def value_start(line: str) -> tuple[str, int] | None:
    """The key of a ``key = value`` line (not a dotted key, unquoted) and the index its value starts at; else None."""
    m = _KEY_VALUE.match(line)
    return (m.group(1).strip("\"'"), m.end()) if m else None


def key_text(line: str) -> tuple[str, int] | None:
    """A ``key = value`` line's whole key as written (dotted parts, quotes and blanks kept) and the
    index it starts at; None for other lines."""
    m = _DOTTED_KEY.match(line)
    return (m.group(1), m.start(1)) if m else None


def plain_string(line: str, i: int) -> str | None:
    """The text of a one-line string without escapes (``"…"`` or ``'…'``) that starts at ``line[i]``; else None."""
    m = _PLAIN_STRING.match(line, i)
    if m is None:
        return None
    return m.group(1) if m.group(1) is not None else m.group(2)


def value_end(lines: Sequence[str], j: int, i: int) -> tuple[int, int]:
    """Where the value that starts at ``lines[j][i]`` ends: the index of its last line and the index
    just past its last character there.  A string, array or inline table may span lines (the
    scanner follows it to its close); a bare word (number, date, boolean) ends before the
    comment or the end of its line.  Raises ``ValueError`` when the value never closes."""
    line = lines[j]
    if i >= len(line) or line[i] not in "\"'[{":
        cut = line.find("#", i)
        return j, len(line[: None if cut < 0 else cut].rstrip())
    scan = _Scan()
    for k in range(j, len(lines)):
        end = scan.advance(lines[k], i if k == j else 0, stop=True)
        if end >= 0:
            return k, end
    raise ValueError(f"the value on line {j + 1} of the block never closes")


def is_trivia(line: str) -> bool:
    """A blank line or a comment line."""
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def lines_with_ends(text: str) -> list[str]:
    """``text`` as lines that keep their ``\\n`` (and ``\\r\\n``); only LF splits, unlike ``str.splitlines``."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


_last_kinds: tuple[list[str], list[str]] = ([], [])


def iter_kinds(lines: Sequence[str]) -> Iterator[str]:
    """``line_kinds`` one line at a time, for callers that stop early (a block's head)."""
    scan = _Scan()
    for line in lines:
        if scan.closing is not None:
            yield "string"
        else:
            yield "trivia" if is_trivia(line) else "code"
        scan.advance(line, 0)


def line_kinds(lines: Sequence[str]) -> list[str]:
    """For each line (the first outside any string): ``"trivia"`` (blank or comment),
    ``"string"`` (inside a multi-line string) or ``"code"``.

    One write asks this of a block and of its prefixes several times; the kinds of the last
    long block are kept, so a commitment of 10,000 entries is scanned once (a line's kind
    depends only on the lines before it, so a prefix's kinds are a prefix of the block's).
    """
    global _last_kinds
    seen, known = _last_kinds
    n = len(lines)
    if n and n <= len(seen) and seen[:n] == list(lines):
        return known[:n]
    kinds = list(iter_kinds(lines))
    if n > 1000:
        _last_kinds = (list(lines), kinds)
    return kinds[:]


def content_end(lines: Sequence[str], start: int, stop: int) -> int:
    """The index after the last line in ``lines[start:stop]`` that is not blank or a comment."""
    kinds = line_kinds(lines)[:stop] if start == 0 else line_kinds(lines[start:stop])
    end = len(kinds)
    while end > 0 and kinds[end - 1] == "trivia":
        end -= 1
    return start + end


def header_offsets(text: str, wanted: set[int]) -> dict[int, int]:
    """Character offsets of the wanted lines among those that start with ``[`` (after blanks)."""
    found: dict[int, int] = {}
    line, pos = 1, 0
    for m in _HEADER_START.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        if line in wanted:
            found[line] = pos
    return found


def index_lines(text: str) -> LineIndex:
    """Scan ``text`` once and return where each header and key stands (1-based lines)."""
    index = LineIndex()
    current = index.root
    scan = _Scan()
    number = 0
    shapes: dict[tuple[tuple[str, int], ...], dict[str, int]] = {}
    for number, line in enumerate(iter_lines(text), start=1):
        if scan.closing is not None or scan.depth:
            scan.advance(line, 0)  # inside a multi-line string or array: no keys or headers here
            continue
        stripped = line.lstrip()
        if not stripped or stripped[0] == "#":
            continue
        if stripped[0] == "[":
            m = _ARRAY_HEADER.fullmatch(line)
            if m:
                current = _open_table(index, shapes, current, number, _name(m.group(1)), True)
                continue
            m = _TABLE_HEADER.fullmatch(line)
            if m:
                current = _open_table(index, shapes, current, number, _name(m.group(1)), False)
                continue
        m = _KEY.match(line)
        if m:
            # Interned: a large ledger repeats a few key names a million times.
            current.add(sys.intern(m.group(1).strip("\"'")), number)
            if _CLOSED_VALUE.fullmatch(line, m.end()):
                continue  # the usual one-line value: nothing stays open, no need to step through it
        scan.advance(line, m.end() if m else 0)
    current.share(shapes)
    _close(index, number + 1)
    return index


# The ledger's own subset of TOML, read a line at a time by ``read_plain``. Every line is blank,
# a comment, a one-part ``[table]`` header, a ``[[name]]`` or ``[[name.sub]]`` header, or
# ``key = value`` with a bare or plain quoted key and a one-line value: a string, a whole
# number, true/false, a date, or a one-line array of strings. Characters TOML forbids
# (control characters but tab, DEL) never match, so such a line goes to tomllib, which says why.
_CHARS = r"[^\x00-\x08\x0a-\x1f\x7f"
_COMMENT = rf"(?:#{_CHARS}]*)?"
_BASIC = rf'"({_CHARS}"\\]*(?:\\[btnfr"\\]{_CHARS}"\\]*)*)"'
_PLAIN_TRIVIA = Lazy(rf"[ \t]*{_COMMENT}")
_PLAIN_HEADER = Lazy(rf"[ \t]*\[(\[?)([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))?\](\]?)[ \t]*{_COMMENT}")
_PLAIN_PAIR = Lazy(
    rf"""[ \t]*(?:([A-Za-z0-9_-]+)|"([^"'\\\x00-\x1f\x7f]*)")[ \t]*=[ \t]*"""
    rf"""(?:{_BASIC}|([0-9A-Za-z_:.+-]+)|\[([ \t]*(?:"[^"\\\x00-\x1f\x7f]*"[ \t]*(?:,[ \t]*|(?=\])))*)\]"""
    rf"""|'({_CHARS}']*)')[ \t]*{_COMMENT}"""
)
_PLAIN_ITEM = Lazy(r'"([^"]*)"')
_ESCAPE = Lazy(r"\\(.)")
_ESCAPED = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_WORDS = {"true": True, "false": False}


def _unescape(m: re.Match[str]) -> str:
    return _ESCAPED[m.group(1)]


def _word(word: str) -> object:
    """The value of a bare word (a whole number or a date); None when it is anything else.

    ``word`` holds only ASCII letters, digits and ``_:.+-`` (the pattern's bare word), so
    ``isdigit`` means 0–9 here.
    """
    digits = word[1:] if word[:1] == "-" else word
    if digits.isdigit():
        return int(word) if digits[0] != "0" or digits == "0" else None  # 007 is not TOML
    if len(word) == 10 and word[4] == word[7] == "-" and (word[:4] + word[5:7] + word[8:]).isdigit():
        try:
            return date(int(word[:4]), int(word[5:7]), int(word[8:]))
        except ValueError:  # 2023-02-29
            return None
    return None


def read_plain(text: str) -> tuple[dict[str, object], LineIndex] | None:
    """The TOML data of ``text`` and its line index in one pass, or None when ``text`` leaves the subset.

    For a text in the subset above the data equals ``tomllib.loads(text)`` and the index equals
    ``index_lines(text)`` (both checked by property tests); anything else — another kind of
    value, a dotted key, a redefined key or table, a character TOML refuses — gives None and
    the caller asks tomllib, which judges and explains every other text. It reads the ledgers
    cytrack writes ~8× faster than tomllib and the line scan together.
    """
    if text.endswith("\r"):
        return None  # a carriage return without its line feed: tomllib's to judge
    root: dict[str, object] = {}
    arrays: set[int] = set()  # id() of the lists made by ``[[…]]`` headers (``x = [...]`` cannot take one)
    table = root
    index = LineIndex()
    current = index.root
    offsets, base = current._offsets, current.line
    shapes: dict[tuple[tuple[str, int], ...], dict[str, int]] = {}
    pair, trivia, header, intern = _PLAIN_PAIR.fullmatch, _PLAIN_TRIVIA.fullmatch, _PLAIN_HEADER.fullmatch, sys.intern
    items_of, unescape = _PLAIN_ITEM.findall, _ESCAPE.sub
    words: dict[str, object] = dict(_WORDS)
    number = 0
    for number, line in enumerate(iter_lines(text), start=1):
        if line[-1:] == "\r":
            line = line[:-1]
        m = pair(line)
        if m is None:
            if trivia(line):
                continue
            m = header(line)
            if m is None or len(m.group(1)) != len(m.group(4)):
                return None
            found = _plain_table(root, arrays, m.group(2), m.group(3), bool(m.group(1)))
            if found is None:
                return None
            table = found
            name = m.group(2) if m.group(3) is None else f"{m.group(2)}.{m.group(3)}"
            current = _open_table(index, shapes, current, number, intern(name), bool(m.group(1)))
            offsets, base = current._offsets, current.line  # a new table's own dict: no key in it twice
            continue
        bare, quoted, basic, word, items, literal = m.groups()
        key = intern(bare or quoted or "")
        if key in table:
            return None
        if basic is not None:
            value: object = unescape(_unescape, basic) if "\\" in basic else basic
        elif word is not None:
            value = words.get(word)
            if value is None:
                value = words[word] = _word(word)  # dates and numbers repeat: each is read once
                if value is None:
                    return None
        elif items is not None:
            value = items_of(items)
        else:
            value = literal
        table[key] = value
        offsets[key] = number - base
    current.share(shapes)
    _close(index, number + 1)
    return root, index


def read_toml(text: str) -> tuple[dict[str, object], LineIndex]:
    """The TOML data of ``text`` and its line index: ``read_plain`` for a text in its subset,
    else ``tomllib`` (imported only then) and ``index_lines``.

    Raises ``ValueError`` (``tomllib.TOMLDecodeError``) when ``text`` is not TOML. The write
    path verifies each block it writes with this; both readers give the same data.
    """
    plain = read_plain(text)
    if plain is not None:
        return plain
    import tomllib

    return tomllib.loads(text), index_lines(text)


def _plain_table(
    root: dict[str, object], arrays: set[int], name: str, sub: str | None, array: bool
) -> dict[str, object] | None:
    """The table a subset header opens (made as TOML makes it), or None when TOML would refuse it
    or it is outside the subset (a dotted ``[a.b]`` table, an array of tables below an array's
    element that is not the ``[[a]]`` just above it)."""
    new: dict[str, object] = {}
    if not array:
        if sub is not None or name in root:
            return None
        root[name] = new
        return new
    parent: dict[str, object] = root
    if sub is not None:
        outer = root.get(name)
        if type(outer) is not list or id(outer) not in arrays or not outer:
            return None
        parent, name = outer[-1], sub
    found = parent.get(name)
    if found is None:
        found = parent[name] = []
        arrays.add(id(found))
    elif type(found) is not list or id(found) not in arrays:
        return None
    found.append(new)
    return new


def _open_table(
    index: LineIndex, shapes: dict[tuple[tuple[str, int], ...], dict[str, int]], current: TableLines,
    number: int, name: str, array: bool,
) -> TableLines:
    """Record the ``[name]`` (or ``[[name]]``) header on line ``number``; the new table's lines."""
    current.share(shapes)
    table = TableLines(number)
    _close(index, number)
    index.headers.append(Header(number, name, array))
    if array:
        if name == "commitments":
            index.commitments.append(table)
        elif name in ("commitments.progress", "commitments.extensions"):
            owner = max(len(index.commitments) - 1, 0)
            getattr(index, name[12:]).setdefault(owner, []).append(table)
    else:
        index.tables.setdefault(name, table)
        parent, _, leaf = name.rpartition(".")
        _parent_block(index, parent, number).add(sys.intern(leaf), number)
    return table


def _parent_block(index: LineIndex, name: str, number: int) -> TableLines:
    """The block a ``[name.leaf]`` table on line ``number`` belongs to, so that ``leaf`` has that line.

    ``[commitments.meta]`` belongs to the latest ``[[commitments]]``, ``[commitments.progress.x]``
    to that commitment's latest progress entry, ``[source.x]`` to ``[source]`` (which that header
    defines, when there is no ``[source]`` line), ``[x]`` to the root.
    """
    if not name:
        return index.root
    if name == "commitments" and index.commitments:
        return index.commitments[-1]
    kind = name.removeprefix("commitments.")
    if kind in ("progress", "extensions") and index.commitments:
        entries = getattr(index, kind).get(len(index.commitments) - 1)
        if entries:
            return entries[-1]
    return index.tables.setdefault(name, TableLines(number))


def iter_lines(text: str, chunk: int = 1 << 20) -> Iterator[str]:
    """The pieces of ``text.split("\\n")``, made a megabyte at a time.

    A 30 MB ledger has over a million lines; holding them all at once costs ~150 MB.
    """
    start = 0
    while True:
        end = text.find("\n", start + chunk)
        if end < 0:
            yield from text[start:].split("\n")
            return
        yield from text[start:end].split("\n")
        start = end + 1


class _Scan:
    """What is still open at the end of a line: a multi-line string, or brackets of a value."""

    __slots__ = ("closing", "deepest", "depth")

    def __init__(self) -> None:
        self.closing: str | None = None  # the delimiter of an open multi-line string
        self.depth = 0  # open ``[`` and ``{`` of a value that continues on the next line
        self.deepest = 0  # the most ``[`` and ``{`` open at once so far

    def advance(self, line: str, i: int, stop: bool = False) -> int:
        """Step over ``line[i:]``, skipping strings and comments, and note what stays open.

        With ``stop``, return the index just past the first string or closing bracket that
        leaves nothing open (the end of a value that started at ``i``); else, and when nothing
        closes on this line, -1.
        """
        while i < len(line):
            if self.closing is not None:
                end = _string_end(line, i, self.closing)
                if end < 0:
                    return -1
                self.closing, i = None, end
                if stop and not self.depth:
                    return i
                continue
            m = _NEXT_SPECIAL.search(line, i)  # other characters change nothing: skip them at C speed
            if m is None:
                return -1
            i = m.start()
            ch = line[i]
            if ch == "#":
                return -1
            if line.startswith(('"""', "'''"), i):
                self.closing, i = line[i : i + 3], i + 3
            elif ch in "\"'":
                end = _string_end(line, i + 1, ch)
                i = len(line) if end < 0 else end
                if stop and not self.depth and end >= 0:
                    return i
            else:
                i += 1
                if ch in "[{":
                    self.depth += 1
                    if self.depth > self.deepest:
                        self.deepest = self.depth
                elif ch in "]}":
                    self.depth = max(self.depth - 1, 0)
                    if stop and not self.depth:
                        return i
        return -1


class ArraySpan(NamedTuple):
    """An array of strings in the text: ``text[start:end]`` runs from its ``[`` through its ``]``."""

    start: int
    end: int
    last_value_end: int  # just after the last string (``start + 1`` when empty)
    comma_after_last: bool  # a ``,`` follows the last string (trailing comma, or an empty array)
    has_comment: bool


def string_array(text: str, start: int) -> ArraySpan | None:
    """The array of plain strings opening at ``text[start] == "["``; None when it holds
    anything else (a nested array, a multi-line string) or does not close.  Comments are
    skipped (and noted): ``include = [\n  "a/*.toml",  # 往年\n]``."""
    i, n = start + 1, len(text)
    last, comma, comment = start + 1, True, False
    while i < n:
        ch = text[i]
        if ch == '"' or ch == "'":
            if text.startswith(ch * 3, i):
                return None
            j = i + 1
            while j < n and text[j] != ch:
                if text[j] == "\n":
                    return None
                j += 2 if ch == '"' and text[j] == "\\" else 1
            if j >= n:
                return None
            i = last = j + 1
            comma = False
        elif ch == "#":
            comment = True
            line_end = text.find("\n", i)
            i = n if line_end < 0 else line_end
        elif ch == ",":
            comma = True
            i += 1
        elif ch == "]":
            return ArraySpan(start, i + 1, last, comma, comment)
        elif ch in " \t\r\n":
            i += 1
        else:
            return None
    return None


def too_deep_line(text: str, limit: int) -> int | None:
    """The first line (1-based) on which the brackets of a value (``[``, ``{``) nest deeper than
    ``limit``, strings and comments skipped; else the first header or dotted key whose name has
    ``limit`` parts or more (``[a.b.c]``, ``a.b.c = 1``), outside multi-line strings; else None."""
    scan = _Scan()
    for number, line in enumerate(iter_lines(text), start=1):
        start = 0
        if scan.closing is None and not scan.depth:
            if header_of(line) is not None:
                continue
            m = _KEY.match(line)
            start = m.end() if m else 0
        scan.deepest = scan.depth
        scan.advance(line, start)
        if scan.deepest > limit:
            return number
    lines = text.split("\n")
    for number, (line, kind) in enumerate(zip(lines, iter_kinds(lines), strict=True), start=1):
        if kind != "code":
            continue
        name = header_name(line)
        if name is None:
            key = key_text(line)
            name = key[0] if key else None
        if name is not None and name.count(".") >= limit - 1:
            return number
    return None


def _string_end(line: str, i: int, delim: str) -> int:
    """The index just past the ``delim`` that closes a string, searching from ``i``; -1 if not on this line."""
    escapes = delim[0] == '"'
    while i < len(line):
        if escapes and line[i] == "\\":
            i += 2
            continue
        if line.startswith(delim, i):
            end = i + len(delim)
            # A multi-line string may end with one or two quotes of its own: '''a''''' holds a''.
            while len(delim) == 3 and end < len(line) and line[end] == delim[0] and end - i < 5:
                end += 1
            return end
        i += 1
    return -1


def _close(index: LineIndex, next_line: int) -> None:
    if index.headers and not index.headers[-1].end:
        index.headers[-1].end = next_line - 1


def conflict_marker_lines(text: str) -> list[int]:
    """Lines that hold one of git's conflict markers.

    ``<<<<<<<``, ``|||||||`` and ``>>>>>>>`` count wherever they start a line; a bare
    ``=======`` only between ``<<<<<<<`` and ``>>>>>>>``, since a note may use it as a rule.
    """
    found: list[int] = []
    if not any(text.startswith(m) or "\n" + m in text for m in CONFLICT_MARKERS):
        return found  # the usual case, settled by four fast substring searches
    inside = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.startswith(CONFLICT_MARKERS):
            continue
        marker, rest = line[:7], line[7:]
        if marker == "=======":
            if inside and not rest.strip():
                found.append(number)
        elif not rest or rest[0] in " \r":
            found.append(number)
            inside = marker != ">>>>>>>"
    return found
