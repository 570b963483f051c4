"""The parse cache's entry format: the model as ``marshal`` frames of plain tuples, and back.

A header frame holds the source, sections, warnings, every commitment's id, section and
``[[commitments]]`` line, the block layout and how many commitments each frame holds; then
come the commitments, about ``CHUNK`` to a frame, their entries' lines counted from their
own line.  So a write decodes the header and one frame, and the next entry copies every
other frame byte for byte (the lines that moved live only in the header).  ``cache.py``
finds, reads and writes entries; a bump of ``FORMAT`` makes every older entry a miss.
"""

from __future__ import annotations

import bisect
import marshal
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from cytrack.ledger.errors import Problem
from cytrack.ledger.layout import Layout
from cytrack.ledger.model import Commitment, Extension, Ledger, ProgressEntry, Source, Status

FORMAT = 5  # 4: [source] tracking_since; 5: kind, session, year, key (contract §6)
CHUNK = 200  # commitments per marshal frame: a write decodes and encodes one (~1 ms)

# The codec below writes these fields in this order.  When the model changes, the cache
# switches itself off (and tests/test_cache.py fails) until the codec is brought along.
_SHAPES: dict[type, tuple[str, ...]] = {
    Commitment: (
        "id", "section", "title", "quote", "lead", "lead_basis", "co_owners", "status", "percent",
        "due", "due_basis", "review", "tags", "progress", "extensions", "line",
    ),
    ProgressEntry: ("date", "note", "status", "percent", "by", "evidence", "line"),
    Extension: ("date", "new_due", "reason", "approved_by", "line"),
    Source: ("proposal", "title", "proposer", "lead_unit", "co_units", "signed_by", "category", "feedback", "replied",
             "tracking_since", "kind", "session", "year", "key"),
    Ledger: ("path", "source", "sections", "commitments"),
    Problem: ("path", "line", "message", "column", "warning"),
}
USABLE = all(cls._fields == names for cls, names in _SHAPES.items())
_STATUSES = {s.value: s for s in Status}


class Cached(NamedTuple):
    """A valid ledger as it was read from a given content: model, warnings and block layout."""

    ledger: Ledger
    warnings: list[Problem]
    layout: Layout | None

    def position(self, cid: str) -> int | None:
        """The index (in file order) of the commitment with this id, compared case-insensitively."""
        wanted = cid.strip().casefold()
        for i, c in enumerate(self.ledger.commitments):
            if c.id.casefold() == wanted:
                return i
        return None


class Entry:
    """A cache entry with its header decoded and its commitment frames still encoded.

    A write needs the ids (uniqueness, the next free id), each commitment's section (where an
    added one goes), the block layout and one commitment; decoding the other frames would cost
    more than the write.  Frames count lines from each commitment's own line (``lines``, in the
    header), so after an edit the frames of the commitments that moved are still true byte for
    byte, and ``edited`` re-encodes only the target's frame.
    """

    def __init__(
        self,
        source: tuple[Any, ...],  # as encoded: dates as ordinals
        sections: dict[int, str],
        problems: tuple[tuple[Any, ...], ...],  # (line, message, column, warning)
        ids: tuple[str, ...],
        secs: tuple[int, ...],  # each commitment's section
        lines: tuple[int, ...],  # each commitment's ``[[commitments]]`` line
        layout: Layout | None,
        counts: tuple[int, ...],  # commitments in each frame
        frames: list[bytes | memoryview],
    ) -> None:
        self.source, self.sections, self.problems, self.ids, self.secs = source, sections, problems, ids, secs
        self.lines, self.layout, self.counts, self.frames = lines, layout, counts, frames
        self._firsts: list[int] = []
        self._decoded: dict[int, tuple[Any, ...]] = {}

    @classmethod
    def of(cls, ledger: Ledger, warnings: Sequence[Problem] = (), layout: Layout | None = None) -> Entry:
        """The entry of a model: all of it encoded, ``CHUNK`` commitments to a frame."""
        s = ledger.source
        source = (s.proposal, s.title, s.proposer, s.lead_unit, s.co_units, s.signed_by, s.category, s.feedback,
                  _ordinal(s.replied), _ordinal(s.tracking_since), s.kind, s.session, s.year, s.key)
        cs = ledger.commitments
        chunks = [cs[start : start + CHUNK] for start in range(0, len(cs), CHUNK)]
        return cls(
            source, dict(ledger.sections), tuple((p.line, p.message, p.column, p.warning) for p in warnings),
            tuple(c.id for c in cs), tuple(c.section for c in cs), tuple(c.line for c in cs), layout,
            tuple(len(chunk) for chunk in chunks),
            [marshal.dumps(tuple([_encode_commitment(c) for c in chunk])) for chunk in chunks],
        )

    def header(self) -> bytes:
        shape = (self.layout.lines, self.layout.spans) if self.layout is not None else None
        return marshal.dumps((FORMAT, self.source, self.sections, self.problems, tuple(self.ids), tuple(self.secs),
                              tuple(self.lines), shape, tuple(self.counts)))

    def _where(self, i: int) -> tuple[int, int]:
        """The frame holding commitment ``i`` and its place in it."""
        if not self._firsts:
            at = 0
            for n in self.counts:
                self._firsts.append(at)
                at += n
        f = bisect.bisect_right(self._firsts, i) - 1
        return f, i - self._firsts[f]

    def commitment(self, i: int) -> Commitment:
        """Commitment ``i`` (in file order), at its lines in the file; only its frame is decoded."""
        f, k = self._where(i)
        return _build(self._frame(f)[k], self.lines[i])

    def _frame(self, f: int) -> tuple[Any, ...]:
        if f not in self._decoded:
            self._decoded[f] = marshal.loads(self.frames[f])
        return self._decoded[f]

    def edited(self, i: int, changed: Commitment, added: bool, delta: int, layout: Layout) -> Entry:
        """The entry after commitment ``i`` became ``changed`` (or it was inserted at ``i``).

        The commitments after it moved by ``delta`` lines; ``layout`` is the new file's.
        """
        counts, frames = list(self.counts), list(self.frames)
        if not frames:
            counts, frames = [0], [marshal.dumps(())]
        f, k = self._where(i) if i < len(self.ids) else (len(frames) - 1, counts[-1])
        chunk = list(self._frame(f)) if self.frames else []
        if added:
            chunk.insert(k, _encode_commitment(changed))
        else:
            chunk[k] = _encode_commitment(changed)
        # Adds to one frame split it when it doubles, so no frame grows without bound.
        pieces = [chunk] if len(chunk) <= 2 * CHUNK else [chunk[: len(chunk) // 2], chunk[len(chunk) // 2 :]]
        counts[f : f + 1] = [len(p) for p in pieces]
        frames[f : f + 1] = [marshal.dumps(tuple(p)) for p in pieces]
        rest = i if added else i + 1
        return Entry(
            self.source, self.sections, (),
            (*self.ids[:i], changed.id, *self.ids[rest:]),
            (*self.secs[:i], changed.section, *self.secs[rest:]),
            (*self.lines[:i], changed.line, *([n + delta for n in self.lines[rest:]] if delta else self.lines[rest:])),
            layout, tuple(counts), frames,
        )

    def cached(self, path: str) -> Cached:
        """The whole model, every frame decoded (line numbers as a full load gives them)."""
        bases = iter(self.lines)
        built = []
        for frame, count in zip(self.frames, self.counts, strict=True):
            chunk = marshal.loads(frame)
            if len(chunk) != count:
                raise ValueError("a cache frame of the wrong size")
            built.extend([_build(c, base) for c, base in zip(chunk, bases, strict=False)])
        if len(built) != len(self.ids):
            raise ValueError("a cache entry without all its commitments")
        s = self.source
        src = Source(*s[:8], *(date.fromordinal(d) if d is not None else None for d in s[8:10]), *s[10:14])
        ledger = Ledger(path=path, source=src, sections=dict(self.sections), commitments=tuple(built))
        warnings = [Problem(path, line, message, column, warning) for line, message, column, warning in self.problems]
        return Cached(ledger, warnings, self.layout)


def _ordinal(d: date | None) -> int | None:
    return d.toordinal() if d is not None else None


def _encode_commitment(c: Commitment) -> tuple[Any, ...]:
    """A commitment as plain values, its entries' lines counted from its own line (which is left out)."""
    base = c.line
    return (
        c.id, c.section, c.title, c.quote, c.lead, c.lead_basis, c.co_owners, c.status.value, c.percent,
        _ordinal(c.due), c.due_basis, c.review, c.tags,
        tuple((e.date.toordinal(), e.note, e.status.value if e.status else None, e.percent, e.by, e.evidence,
               e.line - base) for e in c.progress),
        tuple((x.date.toordinal(), x.new_due.toordinal(), x.reason, x.approved_by, x.line - base)
              for x in c.extensions),
    )


_DAY = date.fromordinal
_STATUS: dict[str | None, Status | None] = {**_STATUSES, None: None}


def _build(c: tuple[Any, ...], base: int) -> Commitment:
    """The commitment ``_encode_commitment`` made ``c`` from, at line ``base``."""
    day, status, due = _DAY, _STATUS, c[9]
    return Commitment(
        c[0], c[1], c[2], c[3], c[4], c[5], c[6], status[c[7]], c[8],
        None if due is None else day(due), c[10], c[11], c[12],
        tuple([ProgressEntry(day(d), n, status[s], p, b, ev, base + ln) for d, n, s, p, b, ev, ln in c[13]]),
        tuple([Extension(day(d), day(nd), r, a, base + ln) for d, nd, r, a, ln in c[14]]) if c[14] else (),
        base,
    )


def parse_entry(blob: bytes) -> Entry:
    """An entry's bytes as an ``Entry``: the header decoded, the frames cut out and their sizes checked."""
    view = memoryview(blob)
    frames: list[bytes | memoryview] = []
    at = 0
    while at < len(view):
        size = int.from_bytes(view[at : at + 8], "little")
        end = at + 8 + size
        if size < 1 or end > len(view):
            raise ValueError("a cut or damaged cache entry")
        frames.append(view[at + 8 : end])  # views: the frames are decoded or copied, never changed
        at = end
    fmt, source, sections, problems, ids, secs, lines, shape, counts = marshal.loads(frames[0])
    if fmt != FORMAT:
        raise ValueError("another cache format")
    frames = frames[1:]
    if not len(ids) == len(secs) == len(lines) == sum(counts) or len(counts) != len(frames):
        raise ValueError("a cache entry without all its commitments")
    layout = Layout(shape[0], shape[1]) if shape is not None else None
    if layout is not None and len(layout.lines) != len(ids):
        raise ValueError("a cache entry whose layout does not fit")
    return Entry(source, sections, problems, ids, secs, lines, layout, counts, frames)


def _decode(blob: bytes, path: str) -> Cached:
    """The whole model stored in an entry's bytes (``bench/profile.py`` times this)."""
    return parse_entry(blob).cached(path)


def _frames(blob: bytes) -> list[Any]:
    """Every commitment frame of an entry, decoded (``bench/profile.py`` times this)."""
    return [marshal.loads(frame) for frame in parse_entry(blob).frames]
