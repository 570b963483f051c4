"""A parse cache for valid ledgers, keyed by a hash of the file's bytes, so it can never be stale.

Parsing and validating a 20,000-commitment ledger takes seconds; reading it back from
here takes a fraction of one.  The key is a BLAKE2b hash of the ledger's raw bytes, the
cytrack version and this format's version: any change to the file, or to cytrack, is a
miss (in a development checkout, so does a change to the modules that read ledgers).
Only fully valid loads are stored (a ledger with errors is always re-checked), with
their warnings and the byte span of every commitment's block, so the write path can
splice one commitment without scanning the whole file again.

An entry is ``marshal`` frames of plain tuples (dates as ordinals): a header frame (source,
sections, warnings, every commitment's id, section and line, the block layout, how many
commitments each frame holds), then the commitments about ``CHUNK`` to a frame, their line
numbers counted from their own ``[[commitments]]`` line.  So a write reads only the header
and the target's frame, and the next entry copies every other frame byte for byte (lines
after the edit move, but only the header holds them).  At 20,000 commitments reading and
rebuilding the whole model takes ~0.3 s against ~0.5 s to unpickle the dataclasses, and
unlike pickle marshal runs no code when read.  The folder is the user's own cache folder;
an entry that cannot be read or does not make sense is a miss, never an error.  Writes go
through a temporary file and ``os.replace``; the newest ``KEEP`` entries are kept.
``CYTRACK_CACHE_DIR`` moves the folder; ``CYTRACK_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import bisect
import gc
import marshal
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from cytrack import __version__
from cytrack.errors import Problem
from cytrack.layout import Layout
from cytrack.layout import layout_of as layout_of  # the loader and the tests reach it here
from cytrack.model import Commitment, Extension, Ledger, ProgressEntry, Source, Status

try:  # hashlib would load OpenSSL first (~3 ms) to give the same function
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Pythons built without the _blake2 module
    from hashlib import blake2b

FORMAT = 3
CHUNK = 1000  # commitments per marshal frame
FREEZE_AFTER = 200_000  # new objects; ``paused_gc`` freezes them past this (a ledger of ~4,000 commitments)
DIR_ENV = "CYTRACK_CACHE_DIR"
OFF_ENV = "CYTRACK_NO_CACHE"
SUFFIX = ".ledger"
KEEP = 8
# The modules whose code decides what a valid ledger reads as.  Their sizes and times
# join the key, so a changed rule in a development checkout is never hidden by an entry
# written before the change (released versions differ by ``__version__`` anyway).
_CODE = ("cache.py", "layout.py", "loader.py", "lines.py", "validate.py", "model.py", "errors.py")
_LEAVE_TEMPS_FOR = 3600.0  # seconds; an older temporary file was left by a crashed run

# The codec below writes these fields in this order.  When the model changes, the cache
# switches itself off (and tests/test_cache.py fails) until the codec is brought along.
_SHAPES: dict[type, tuple[str, ...]] = {
    Commitment: (
        "id", "section", "title", "quote", "lead", "lead_basis", "co_owners", "status", "percent",
        "due", "due_basis", "review", "tags", "progress", "extensions", "line",
    ),
    ProgressEntry: ("date", "note", "status", "percent", "by", "evidence", "line"),
    Extension: ("date", "new_due", "reason", "approved_by", "line"),
    Source: ("proposal", "title", "proposer", "lead_unit", "co_units", "signed_by", "category", "feedback", "replied"),
    Ledger: ("path", "source", "sections", "commitments"),
    Problem: ("path", "line", "message", "column", "warning"),
}
USABLE = all(tuple(f.name for f in fields(cls)) == names for cls, names in _SHAPES.items())
_STATUSES = {s.value: s for s in Status}


@dataclass(frozen=True)
class Cached:
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


def folder() -> Path | None:
    """The cache folder, or None when caching is off (``CYTRACK_NO_CACHE`` set to anything but 0)."""
    if os.environ.get(OFF_ENV, "") not in ("", "0") or not USABLE:
        return None
    explicit = os.environ.get(DIR_ENV)
    if explicit:
        return Path(explicit)
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "cytrack" / "cache" if base else Path.home() / "AppData" / "Local" / "cytrack" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "cytrack"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "cytrack"


def key(raw: bytes) -> str:
    """The entry name for a ledger with exactly these bytes, read by exactly this cytrack."""
    h = blake2b(_salt(), digest_size=20)
    h.update(raw)
    return h.hexdigest()


@lru_cache(maxsize=1)
def _salt() -> bytes:
    here = Path(__file__).parent
    stamps = []
    for name in _CODE:
        try:
            st = (here / name).stat()
            stamps.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            stamps.append(f"{name}:?")
    return f"cytrack {__version__} ledger cache {FORMAT} {' '.join(stamps)}\n".encode()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector while building many small acyclic objects.

    A ledger of 20,000 commitments is ~10^6 objects; the collector would otherwise walk the
    growing heap again and again, which costs more than building them.  When that many were
    made, they are frozen (``gc.freeze``) before the collector resumes: they live as long as
    the command, and its first collection would walk them all once more (~50 ms).
    Reference counting still frees them.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] > FREEZE_AFTER:
            gc.freeze()
        if was_on:
            gc.enable()


def entry_for(raw: bytes) -> Path | None:
    """Where the entry for a ledger with these bytes lives; None when caching is off.

    Ledgers of every size are cached: a hit takes 0.2 ms for the shipped ledger, a parse
    8 ms, and the gap grows with the size (bench/RESULTS.md).
    """
    where = folder()
    return None if where is None else where / (key(raw) + SUFFIX)


def _read(raw: bytes) -> Entry | None:
    """The entry for these bytes with only its header decoded, or None (a miss)."""
    path = entry_for(raw)
    if path is None:
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    try:
        found = _parse(blob)
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is a miss, never an error
        return None
    with suppress(OSError):
        os.utime(path)  # keeps entries in use from being pruned
    return found


def lookup(raw: bytes, path: str) -> Cached | None:
    """The cached model of a ledger with these bytes (paths in it set to ``path``), or None."""
    found = _read(raw)
    if found is None:
        return None
    try:
        with paused_gc():
            return found.cached(path)
    except Exception:  # noqa: BLE001 - a damaged frame is a miss too
        return None


def read(raw: bytes) -> Entry | None:
    """The entry for these bytes as the write path uses it (header decoded, frames not), or None.

    The frames are checked only for their sizes here; ``Entry.commitment`` decodes one of them.
    """
    return _read(raw)


def store(raw: bytes, ledger: Ledger, warnings: Sequence[Problem] = (), layout: Layout | None = None) -> None:
    """Remember a fully valid ledger read from ``raw``; best effort, silent on any failure."""
    entry = entry_for(raw)
    if entry is not None:
        store_entry(entry, ledger, warnings, layout)


def store_entry(entry: Path, ledger: Ledger, warnings: Sequence[Problem] = (), layout: Layout | None = None) -> None:
    """``store`` with the entry found beforehand by ``entry_for`` (so the bytes can be let go)."""
    if any(not p.warning for p in warnings):
        return
    try:
        _save(entry, Entry.of(ledger, warnings, layout))
    except (ValueError, TypeError):
        return


def save(raw: bytes, entry: Entry) -> None:
    """Remember ``entry`` as the one of ``raw``; the write path calls this after replacing the ledger."""
    where = entry_for(raw)
    if where is not None:
        _save(where, entry)


def _save(where: Path, entry: Entry) -> None:
    """Write the entry through a temporary file and ``os.replace``; best effort, silent on any failure."""
    import tempfile

    try:
        where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=where.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                for frame in (entry.header(), *entry.frames):
                    f.write(len(frame).to_bytes(8, "little"))
                    f.write(frame)
            os.replace(temp, where)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp)
            raise
        prune(where.parent)
    except (OSError, ValueError, TypeError):
        return


def prune(where: Path, keep: int = KEEP) -> None:
    """Keep the ``keep`` most recently used entries; remove the rest and old temporary files."""
    entries: list[tuple[float, Path]] = []
    now = time.time()
    with suppress(OSError), os.scandir(where) as it:
        for item in it:
            with suppress(OSError):
                if item.name.endswith(SUFFIX) and not item.name.startswith("."):
                    entries.append((item.stat().st_mtime, Path(item.path)))
                elif item.name.startswith(".tmp-") and now - item.stat().st_mtime > _LEAVE_TEMPS_FOR:
                    os.unlink(item.path)
    entries.sort(reverse=True)
    for _, old in entries[keep:]:
        with suppress(OSError):
            old.unlink()


@dataclass
class Entry:
    """A cache entry with its header decoded and its commitment frames still encoded.

    A write needs the ids (uniqueness, the next free id), each commitment's section (where an
    added one goes), the block layout and one commitment; decoding the other frames would cost
    more than the write.  Frames count lines from each commitment's own line (``lines``, in the
    header), so after an edit the frames of the commitments that moved are still true byte for
    byte, and ``edited`` re-encodes only the target's frame.
    """

    source: tuple[Any, ...]  # as encoded: dates as ordinals
    sections: dict[int, str]
    problems: tuple[tuple[Any, ...], ...]  # (line, message, column, warning)
    ids: tuple[str, ...]
    secs: tuple[int, ...]  # each commitment's section
    lines: tuple[int, ...]  # each commitment's ``[[commitments]]`` line
    layout: Layout | None
    counts: tuple[int, ...]  # commitments in each frame
    frames: list[bytes]
    _firsts: list[int] = field(default_factory=list, repr=False)

    @classmethod
    def of(cls, ledger: Ledger, warnings: Sequence[Problem] = (), layout: Layout | None = None) -> Entry:
        """The entry of a model: all of it encoded, ``CHUNK`` commitments to a frame."""
        s = ledger.source
        source = (s.proposal, s.title, s.proposer, s.lead_unit, s.co_units, s.signed_by, s.category, s.feedback,
                  _ordinal(s.replied))
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
        return _build(marshal.loads(self.frames[f])[k], self.lines[i])

    def edited(self, i: int, changed: Commitment, added: bool, delta: int, layout: Layout) -> Entry:
        """The entry after commitment ``i`` became ``changed`` (or it was inserted at ``i``).

        The commitments after it moved by ``delta`` lines; ``layout`` is the new file's.
        """
        counts, frames = list(self.counts), list(self.frames)
        if not frames:
            counts, frames = [0], [marshal.dumps(())]
        f, k = self._where(i) if i < len(self.ids) else (len(frames) - 1, counts[-1])
        chunk = list(marshal.loads(frames[f]))
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
        src = Source(*s[:8], date.fromordinal(s[8]) if s[8] is not None else None)
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


def _parse(blob: bytes) -> Entry:
    """An entry's bytes as an ``Entry``: the header decoded, the frames cut out and their sizes checked."""
    view = memoryview(blob)
    frames: list[bytes] = []
    at = 0
    while at < len(view):
        size = int.from_bytes(view[at : at + 8], "little")
        end = at + 8 + size
        if size < 1 or end > len(view):
            raise ValueError("a cut or damaged cache entry")
        frames.append(blob[at + 8 : end])
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
    return _parse(blob).cached(path)
