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
from cytrack.ledger.model import Commitment, Extension, Ledger, ProgressEntry, Source, Status, ascii_id

# 4: [source] tracking_since; 5: kind, session, year, key (contract §6); 6: warnings, worded in the run's
# language (which is part of the entry's name: folder.key)
FORMAT = 6
CHUNK = 200  # commitments per marshal frame: a write decodes and encodes one (~1 ms)

# Every record of the model, with the fields the codec stores: derived, so adding a field
# to the model changes the cache format by itself; its shape is part of the cache key.
_SHAPES: dict[type, tuple[str, ...]] = {
    cls: cls._fields for cls in (Commitment, ProgressEntry, Extension, Source, Ledger, Problem)
}
SHAPE = ";".join(f"{cls.__name__}:{','.join(fields)}" for cls, fields in _SHAPES.items())
USABLE = True


class Cached(NamedTuple):
    """A valid ledger as it was read from a given content: model, warnings and block layout."""

    ledger: Ledger
    warnings: list[Problem]
    layout: Layout | None

    def position(self, cid: str) -> int | None:
        """The index (in file order) of the commitment with this id, compared case-insensitively."""
        wanted = ascii_id(cid).casefold()
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
        source = _CODEC["encode_source"](ledger.source)
        cs = ledger.commitments
        chunks = [cs[start : start + CHUNK] for start in range(0, len(cs), CHUNK)]
        return cls(
            source, dict(ledger.sections), tuple(_CODEC["encode_problem"](p) for p in warnings),
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
        src = _CODEC["build_source"](self.source)
        ledger = Ledger(path=path, source=src, sections=dict(self.sections), commitments=tuple(built))
        warnings = [_CODEC["build_problem"](p, path) for p in self.problems]
        return Cached(ledger, warnings, self.layout)


_RECORDS: dict[str, type] = {"ProgressEntry": ProgressEntry, "Extension": Extension}


def _annotation(cls: type, name: str) -> str:
    """Field ``name``'s annotation as written (NamedTuple keeps ``from __future__`` ones as ForwardRef)."""
    ann = cls.__annotations__[name]
    return str(getattr(ann, "__forward_arg__", ann)).replace(" ", "")


def _kind(cls: type, name: str) -> str:
    """How field ``name`` of ``cls`` is stored, read off its annotation."""
    text = _annotation(cls, name)
    if name == "line" and cls in _RECORDS.values():
        return "line"  # an entry's line, stored counted from its commitment's own line
    kinds = {"date": "day", "date|None": "day?", "Status": "status", "Status|None": "status?"}
    if text in kinds:
        return kinds[text]
    if text.startswith("tuple[") and text.removeprefix("tuple[").removesuffix(",...]") in _RECORDS:
        return "records"
    return "plain"


def _record(cls: type, name: str) -> str:
    return _annotation(cls, name).removeprefix("tuple[").removesuffix(",...]")


def _encoding(cls: type, var: str, omit: frozenset[str] = frozenset()) -> str:
    """A Python expression: the tuple that stores record ``var`` of class ``cls``."""
    parts = []
    for name in cls._fields:  # type: ignore[attr-defined]
        if name in omit:
            continue
        value, kind = f"{var}.{name}", _kind(cls, name)
        if kind == "day":
            parts.append(f"{value}.toordinal()")
        elif kind == "day?":
            parts.append(f"(None if {value} is None else {value}.toordinal())")
        elif kind == "status":
            parts.append(f"{value}.value")
        elif kind == "status?":
            parts.append(f"(None if {value} is None else {value}.value)")
        elif kind == "line":
            parts.append(f"{value} - base")
        elif kind == "records":
            inner = var + "_"
            parts.append(f"tuple([{_encoding(_RECORDS[_record(cls, name)], inner)} for {inner} in {value}])")
        else:
            parts.append(value)
    return "(" + "".join(p + ", " for p in parts) + ")"


def _building(cls: type, values: list[str], given: dict[str, str]) -> str:
    """A Python expression: record ``cls`` built from the stored ``values`` (``given`` supplies omitted fields)."""
    args = []
    stored = iter(values)
    for name in cls._fields:  # type: ignore[attr-defined]
        if name in given:
            args.append(given[name])
            continue
        value, kind = next(stored), _kind(cls, name)
        if kind == "day":
            args.append(f"day({value})")
        elif kind == "day?":
            args.append(f"(None if {value} is None else day({value}))")
        elif kind in ("status", "status?"):
            args.append(f"status[{value}]")
        elif kind == "line":
            args.append(f"base + {value}")
        elif kind == "records":
            rec = _RECORDS[_record(cls, name)]
            names = [f"{value.replace('[', '_').replace(']', '')}_{k}" for k in range(len(rec._fields))]
            inner = _building(rec, names, {})
            args.append(f"(tuple([{inner} for {', '.join(names)} in {value}]) if {value} else ())")
        else:
            args.append(value)
    return f"{cls.__name__}({', '.join(args)})"


def _compile(source: str) -> dict[str, Any]:
    scope: dict[str, Any] = {
        "day": date.fromordinal, "status": {**{s.value: s for s in Status}, None: None}, **_RECORDS,
        "Commitment": Commitment, "Source": Source, "Problem": Problem,
    }
    exec(source, scope)  # noqa: S102 - the source is made above from the model's own field names
    return scope


def _stored(cls: type, omit: frozenset[str] = frozenset()) -> list[str]:
    return [f"t[{i}]" for i in range(len([n for n in cls._fields if n not in omit]))]  # type: ignore[attr-defined]


_TOP = frozenset({"line"})  # a commitment's own line is kept in the entry's header
_PATH = frozenset({"path"})  # a problem's file is the ledger's own
_CODEC = _compile(
    f"def encode_commitment(c):\n    base = c.line\n    return {_encoding(Commitment, 'c', _TOP)}\n"
    f"def build_commitment(t, base):\n    return {_building(Commitment, _stored(Commitment, _TOP), {'line': 'base'})}\n"
    f"def encode_source(s):\n    return {_encoding(Source, 's')}\n"
    f"def build_source(t):\n    return {_building(Source, _stored(Source), {})}\n"
    f"def encode_problem(p):\n    return {_encoding(Problem, 'p', _PATH)}\n"
    f"def build_problem(t, path):\n    return {_building(Problem, _stored(Problem, _PATH), {'path': 'path'})}\n"
)
_encode_commitment = _CODEC["encode_commitment"]
_build = _CODEC["build_commitment"]


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
