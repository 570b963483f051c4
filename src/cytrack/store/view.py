"""The ledger as a write sees it under the lock: the validated model, the bytes, where each
block lies, and the ``Edit`` (a splice of one block) that a change makes of it.

A write changes one commitment, so it needs every id and section (uniqueness, the next
free id, where an added one goes), the target's model, the text of its ``[[commitments]]``
block and the byte offsets to splice at.  When these exact bytes were loaded before, the
parse cache (``cache.py``, keyed by a hash of the bytes, so never stale) gives all of that
from its header frame and the target's frame alone, and only the target block is parsed;
otherwise the whole file is loaded and checked as ``validate`` does.  After the replace,
``next_entry`` derives the new file's entry from the old one and the one changed block
(the other frames are copied byte for byte), so the next command is a cache hit.
"""

from __future__ import annotations

import bisect
import enum
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple

from cytrack.cache import folder as cache
from cytrack.core.query import unknown_id
from cytrack.i18n.messages import message
from cytrack.ledger.errors import LedgerUnusable, Problem
from cytrack.ledger.load import build_commitment, decode_ledger, load_text
from cytrack.ledger.model import Commitment, ascii_id
from cytrack.ledger.scan import LineIndex, header_name, index_lines, line_kinds, lines_with_ends, read_toml

BOM_BYTES = b"\xef\xbb\xbf"


class Outcome(NamedTuple):
    """What a write did, for the one-line confirmation."""

    kind: str  # "update", "extend" or "add"
    cid: str
    title: str
    status: str
    percent: int
    on: date | None = None  # the date of the new entry
    new_due: date | None = None
    old_due: date | None = None  # the effective due before an extension
    kept: tuple[str, ...] = ()  # fields the entry sets that a later entry overrides
    later: date | None = None  # the date of that later entry
    entries: int = 1  # how many entries it added (``ProgressBatch``)
    notes: tuple[str, ...] = ()  # what ``changes.resolve_progress`` set besides what was typed


class Edit:
    """A change as a splice: old lines ``[start, end)`` become ``lines``; nothing else moves.

    ``lines`` hold one whole commitment (the changed one, or a new one with the blank
    lines around it), so ``store.verify`` can check them on their own.  ``expected`` is
    the commitment ``lines`` must parse to; ``position`` its index in the ``commitments``
    array; ``fix_eol``: the file's last line gets the newline it lacked (a new block
    follows it).  The store adds the ledger's ``warnings`` to tell with the outcome.
    """

    __slots__ = ("added", "end", "expected", "fix_eol", "lines", "outcome", "position", "start", "warnings")

    def __init__(
        self,
        start: int,
        end: int,
        lines: list[str],
        position: int,
        expected: dict[str, Any],
        outcome: Outcome,
        added: bool = False,
        fix_eol: bool = False,
    ) -> None:
        self.start, self.end, self.lines, self.position = start, end, lines, position
        self.expected, self.outcome, self.added, self.fix_eol = expected, outcome, added, fix_eol
        self.warnings: list[str] = []


class CacheMismatch(LedgerUnusable):
    """What a cache entry says does not match the ledger's own bytes: the write starts again from a full load."""


class Window(NamedTuple):
    """Whole lines of the ledger (a commitment's block, or the text before the first one)."""

    lines: list[str]
    first: int  # the 0-based line number of ``lines[0]`` in the file
    following: str | None  # the line just after the window; None at the end of the file


class View:
    """A valid ledger read under the lock: its bytes, its cache entry (model by frames), warnings and layout."""

    def __init__(
        self, path: str, raw: bytes, entry: cache.Entry, warnings: list[Problem], from_cache: bool = False
    ) -> None:
        self.path, self.raw, self.entry, self.warnings = path, raw, entry, warnings
        self.from_cache = from_cache
        self.newline = "\r\n" if b"\r\n" in raw[: raw.find(b"\n") + 1] else "\n"

    @property
    def layout(self) -> cache.Layout:
        assert self.entry.layout is not None  # ``open_view`` refuses a ledger without one
        return self.entry.layout

    @property
    def ids(self) -> tuple[str, ...]:
        """Every commitment's id, in file order."""
        return self.entry.ids

    @property
    def sections(self) -> tuple[int, ...]:
        """Every commitment's section, in file order."""
        return self.entry.secs

    def commitment(self, i: int) -> Commitment:
        """Commitment ``i`` (in file order), at its lines in the file."""
        return self.entry.commitment(i)

    def position(self, cid: str) -> int | None:
        """The index of the commitment with this id (compared as ``Ledger.find`` does), or None."""
        wanted = ascii_id(cid).casefold()
        return next((i for i, x in enumerate(self.entry.ids) if x.casefold() == wanted), None)

    def locate(self, cid: str) -> tuple[Commitment, int]:
        """The commitment with this id and its index, or a "did you mean" ``UsageError``."""
        i = self.position(cid)
        if i is None:
            raise unknown_id(cid, self.entry.ids, self.path)
        return self.commitment(i), i

    @property
    def bom(self) -> bool:
        return self.raw.startswith(BOM_BYTES)

    def block(self, i: int) -> Window:
        """The lines of commitment ``i``'s block, up to the next header that is not its own."""
        first, _stop = self.layout.lines[i]
        start, end = self.layout.spans[i]
        return Window(lines_with_ends(self.raw[start:end].decode("utf-8")), first - 1, self._line_at(end))

    def head(self) -> Window:
        """The lines before the first commitment (the whole file when there is none)."""
        start = len(BOM_BYTES) if self.bom else 0
        end = self.layout.spans[0][0] if self.layout.spans else len(self.raw)
        return Window(lines_with_ends(self.raw[start:end].decode("utf-8")), 0, self._line_at(end))

    def _line_at(self, at: int) -> str | None:
        if at >= len(self.raw):
            return None
        nl = self.raw.find(b"\n", at)
        return self.raw[at : nl + 1 if nl >= 0 else len(self.raw)].decode("utf-8")

    def commitment_data(self, i: int, window: Window) -> tuple[dict[str, Any], LineIndex]:
        """Commitment ``i``'s table, parsed from its block alone, and the block's line index.

        Refused unless the block reads as exactly the validated commitment: a sub-table of it
        written elsewhere in the file (legal TOML, but not this layout) would otherwise be missed.
        """
        if self.from_cache and not self.warnings:
            fast = self._data_from_cache(i, window)
            if fast is not None:
                return fast
        text = "".join(window.lines)
        try:
            data, index = read_toml(text)
            table = data["commitments"][0]
            same = data.keys() == {"commitments"} and len(data["commitments"]) == 1
            # The block's own bytes must hold the commitment the id was looked up as (a cache entry,
            # however it came to be, never decides which commitment a write touches).
            same = same and self._block_is(i, table, window)
            same = same and shifted(build_commitment(table, index, 0), window.first) == self.commitment(i)
        except (LookupError, TypeError, ValueError):  # ValueError: not TOML (tomllib.TOMLDecodeError)
            same = False
        if not same and self.from_cache:
            raise CacheMismatch(f"{self.path}: commitment {self.ids[i]!r} does not match the ledger's bytes")
        if not same:
            raise LedgerUnusable(
                message("tables_apart", path=self.path, line=window.first + 1)
            )
        return table, index

    def _data_from_cache(self, i: int, window: Window) -> tuple[dict[str, Any], LineIndex] | None:
        """Commitment ``i``'s table without parsing its whole block, for a cache hit; None to parse it.

        A commitment with 10,000 progress entries takes half a second to parse, and the write
        parses its new block once more to verify it.  The cache entry (MAC-checked, keyed by a
        hash of these exact bytes) holds the entries; what is taken from the bytes themselves is
        the block's head (its own keys, parsed: the id must be the one looked up) and its
        sub-table headers (as many progress and extension headers as the entry has entries).
        Anything the entries' tables could not say (an unknown key in an entry) makes ``verify``
        raise ``CacheMismatch``, and the write starts again from a full load.  The index covers
        the head only: the callers ask it for the commitment's own keys.
        """
        from cytrack.store.edit import head_length

        lines = window.lines
        cut = head_length(lines)
        head = "".join(lines[:cut])
        try:
            data, head_index = read_toml(head)
            table = data["commitments"][0]
        except (LookupError, TypeError, ValueError):
            return None
        if data.keys() != {"commitments"} or len(data["commitments"]) != 1 or not isinstance(table, dict):
            return None
        if "progress" in table or "extensions" in table or not self._block_is(i, table, window):
            return None
        c = self.commitment(i)
        counts = {"commitments.progress": 0, "commitments.extensions": 0}
        for line, kind in zip(lines[cut:], line_kinds(lines)[cut:], strict=True):
            name = header_name(line) if kind == "code" and line.lstrip().startswith("[") else None
            if name is not None:
                if name not in counts:
                    return None
                counts[name] += 1
        if (counts["commitments.progress"], counts["commitments.extensions"]) != (len(c.progress), len(c.extensions)):
            return None
        if c.progress:
            table["progress"] = [_entry_table(e) for e in c.progress]
        if c.extensions:
            table["extensions"] = [_entry_table(x) for x in c.extensions]
        return table, head_index

    def _block_is(self, i: int, table: dict[str, Any], window: Window) -> bool:
        """Whether the block's own bytes hold commitment ``i`` as the id lookup knows it, at its line.

        The ids and the layout may come from the cache; this ties them to the ledger's bytes.
        """
        if table.get("id") != self.ids[i]:
            return False
        start = self.offset(window.first)
        return start == len(BOM_BYTES if self.bom else b"") or self.raw[start - 1 : start] == b"\n"

    def id_line(self, i: int) -> int:
        """The line of commitment ``i``'s ``id`` key."""
        w = self.block(i)
        return index_lines("".join(w.lines)).commitment(0).key_line("id") + w.first

    @cached_property
    def _firsts(self) -> list[int]:
        return [first - 1 for first, _ in self.layout.lines]

    def offset(self, line: int) -> int:
        """The byte offset where 0-based ``line`` starts (the file's length past its last line).

        Counting starts from the nearest block boundary the layout knows, so only a few lines
        are stepped over, whatever the size of the file.
        """
        j = bisect.bisect_right(self._firsts, line) - 1
        if j < 0:
            at_line, at = 0, len(BOM_BYTES) if self.bom else 0
        else:
            (first, stop), (start, end) = self.layout.lines[j], self.layout.spans[j]
            at_line, at = (stop - 1, end) if line >= stop - 1 else (first - 1, start)
            if at_line == first - 1 and stop - 1 - line < line - at_line and end <= len(self.raw):
                # nearer the block's end: step back from there (a commitment may hold 10,000 entries)
                at = end
                for _ in range(stop - 1 - line):
                    at = self.raw.rfind(b"\n", 0, at - 1) + 1
                at_line = line
        for _ in range(line - at_line):
            nl = self.raw.find(b"\n", at)
            at = len(self.raw) if nl < 0 else nl + 1
        # The layout may come from the cache: the offset is checked against the file's own bytes
        # (one count of newlines, memchr-fast), so an edit lands at the line it was meant for.
        if at < len(self.raw) and self.raw.count(b"\n", 0, at) != line:
            raise CacheMismatch(f"{self.path}: the block layout does not match the ledger's bytes")
        return at

    def splice(self, edit: Edit) -> bytes:
        """The new file: old lines ``[start, end)`` replaced by the edit's lines, every other byte kept."""
        return self.splice_all([edit])

    def splice_all(self, edits: list[Edit]) -> bytes:
        """The new file with the edits (of different commitments) spliced in, every other byte kept."""
        pieces: list[bytes | memoryview] = []
        raw = memoryview(self.raw)  # slices of a view are not copies: the file may be tens of MB
        at = 0
        for edit in sorted(edits, key=lambda e: e.start):
            a = self.offset(edit.start)
            b = a if edit.end == edit.start else self.offset(edit.end)
            if a < at:
                raise ValueError("overlapping edits")
            eol = self.newline.encode() if edit.fix_eol else b""
            pieces.extend([raw[at:a], eol, "".join(edit.lines).encode("utf-8")])
            at = b
        pieces.append(raw[at:])
        return b"".join(pieces)


def _entry_table(record: Any) -> dict[str, Any]:
    """A progress entry or extension as tomllib reads its table: every field but ``line``, a
    ``None`` left out (the key was absent), an enum as its value; no field is named here."""
    table: dict[str, Any] = {}
    for name, value in zip(record._fields, record, strict=True):
        if name != "line" and value is not None:
            table[name] = value.value if isinstance(value, enum.Enum) else value
    return table


def open_view(path: str, raw: bytes, digest: str, use_cache: bool = True) -> View:
    """The view of these bytes (``digest`` is their ``cache.key``): from the cache when they were
    loaded before, else a full load.

    Raises ``LedgerUnusable`` for a ledger with errors, or one whose commitments are not all
    ``[[commitments]]`` tables (the only layout cytrack edits).
    """
    hit = cache.read(digest) if use_cache else None
    if hit is not None and hit.layout is not None:
        warnings = [Problem(path, line, text, column, warning) for line, text, column, warning, *_ in hit.problems]
        view = View(path, raw, hit, warnings, from_cache=True)
    else:
        lt = decode_ledger(path, raw)
        with cache.paused_gc():
            loaded = load_text(lt)
        if loaded.errors:
            raise LedgerUnusable(
                message("ledger_problems_write", path=path, count=len(loaded.errors)),
                problems=loaded.errors,
            )
        assert loaded.ledger is not None and loaded.index is not None
        layout = cache.layout_of(lt.text, loaded.index, lt.bom)
        if layout is None:
            raise LedgerUnusable(message("blocks_unknown", path=path))
        view = View(path, raw, cache.Entry.of(loaded.ledger, loaded.warnings, layout), loaded.warnings)
    if len(view.layout.lines) != len(view.ids):
        raise LedgerUnusable(message("not_array_tables", path=path))
    return view


def shifted(c: Commitment, delta: int) -> Commitment:
    """``c`` with every line number moved by ``delta``; every other field as it is, whatever the model holds."""
    if not delta:
        return c
    return c._replace(
        line=c.line + delta,
        progress=tuple([e._replace(line=e.line + delta) for e in c.progress]),
        extensions=tuple([x._replace(line=x.line + delta) for x in c.extensions]),
    )


def next_entry(view: View, edit: Edit, changed: Commitment, new_raw: bytes) -> cache.Entry:
    """The cache entry of ``new_raw`` (``view`` with ``edit`` spliced in), without parsing it.

    ``changed`` is the edited commitment as its new lines read, at its new lines.  Lines and
    bytes at or after the end of the replaced range move by what the edit added; an added
    commitment's block runs from its header to where the block before it (or the text
    before the first block) used to stop, and that block now stops at the new header.
    Only the target's frame is encoded again: the others hold lines relative to their
    commitments' own, which the new header carries.
    """
    a = view.offset(edit.start)
    b = a if edit.end == edit.start else view.offset(edit.end)
    delta = len(edit.lines) - (edit.end - edit.start)
    bdelta = len(new_raw) - len(view.raw)
    lines = [(f if f - 1 < edit.end else f + delta, s if s - 1 < edit.end else s + delta)
             for f, s in view.layout.lines]
    spans = [(x if x < b else x + bdelta, y if y < b else y + bdelta) for x, y in view.layout.spans]
    p = edit.position
    if edit.added:
        header = changed.line
        eol = len(view.newline.encode()) if edit.fix_eol else 0
        head = index_lines("".join(edit.lines)).commitment(0).line - 1  # lines of the edit above the header
        header_byte = a + eol + len("".join(edit.lines[:head]).encode("utf-8"))
        if p > 0:
            stop, end = lines[p - 1][1], spans[p - 1][1]
            lines[p - 1], spans[p - 1] = (lines[p - 1][0], header), (spans[p - 1][0], header_byte)
        elif lines:
            stop, end = lines[0][0], spans[0][0]
        else:
            stop, end = new_raw.count(b"\n") + (1 if new_raw.endswith(b"\n") else 2), len(new_raw)
        lines.insert(p, (header, stop))
        spans.insert(p, (header_byte, end))
    return view.entry.edited(p, changed, edit.added, delta, cache.Layout(tuple(lines), tuple(spans)))
