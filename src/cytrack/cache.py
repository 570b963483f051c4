"""A parse cache for valid ledgers, keyed by a hash of the file's bytes, so it can never be stale.

Parsing and validating a 20,000-commitment ledger takes seconds; reading it back from
here takes a fraction of one.  The key is a BLAKE2b hash of the ledger's raw bytes, the
cytrack version and this format's version: any change to the file, or to cytrack, is a
miss (in a development checkout, so does a change to the modules that read ledgers).
Only fully valid loads are stored (a ledger with errors is always re-checked), with
their warnings and the byte span of every commitment's block, so the write path can
splice one commitment without scanning the whole file again.

Entries are ``marshal`` frames of plain tuples (dates as ordinals): at 20,000 commitments
reading and rebuilding them takes ~0.3 s against ~0.5 s to unpickle the dataclasses, and
unlike pickle it runs no code when read.  The folder is the user's own cache folder; an
entry that cannot be read or does not make sense is a miss, never an error.  Writes go
through a temporary file and ``os.replace``; the newest ``KEEP`` entries are kept.
``CYTRACK_CACHE_DIR`` moves the folder; ``CYTRACK_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import gc
import marshal
import os
import re
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cytrack import __version__
from cytrack.errors import Problem
from cytrack.model import Commitment, Extension, Ledger, ProgressEntry, Source, Status

try:  # hashlib would load OpenSSL first (~3 ms) to give the same function
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Pythons built without the _blake2 module
    from hashlib import blake2b

FORMAT = 2
CHUNK = 1000  # commitments per marshal frame
FREEZE_AFTER = 200_000  # new objects; ``paused_gc`` freezes them past this (a ledger of ~4,000 commitments)
DIR_ENV = "CYTRACK_CACHE_DIR"
OFF_ENV = "CYTRACK_NO_CACHE"
SUFFIX = ".ledger"
KEEP = 8
# The modules whose code decides what a valid ledger reads as.  Their sizes and times
# join the key, so a changed rule in a development checkout is never hidden by an entry
# written before the change (released versions differ by ``__version__`` anyway).
_CODE = ("cache.py", "loader.py", "lines.py", "validate.py", "model.py", "errors.py")
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
_HEADER_START = re.compile(r"(?m)^[ \t]*\[")

if TYPE_CHECKING:
    from cytrack.lines import LineIndex


@dataclass(frozen=True)
class Layout:
    """Where each commitment's block lies in the ledger's bytes, in file order.

    A block runs from its ``[[commitments]]`` header line up to (not including) the next
    header that is not one of its own ``[[commitments.progress]]``/``[[commitments.extensions]]``
    tables, or the end of the file; the blank and comment lines just above the next header are
    inside it.  Both are half-open: ``lines[i]`` is ``(first, stop)`` in 1-based line numbers,
    ``spans[i]`` is ``(start, end)`` in byte offsets into the raw file (BOM included), so
    ``raw[start:end]`` is the block.
    """

    lines: tuple[tuple[int, int], ...]
    spans: tuple[tuple[int, int], ...]


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


def lookup(raw: bytes, path: str) -> Cached | None:
    """The cached model of a ledger with these bytes (paths in it set to ``path``), or None."""
    entry = entry_for(raw)
    if entry is None:
        return None
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    try:
        with paused_gc():
            found = _decode(blob, path)
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is a miss, never an error
        return None
    with suppress(OSError):
        os.utime(entry)  # keeps entries in use from being pruned
    return found


def store(raw: bytes, ledger: Ledger, warnings: Sequence[Problem] = (), layout: Layout | None = None) -> None:
    """Remember a fully valid ledger read from ``raw``; best effort, silent on any failure.

    The write path calls this after replacing the ledger, so the next read is a hit.
    """
    entry = entry_for(raw)
    if entry is not None:
        store_entry(entry, ledger, warnings, layout)


def store_entry(entry: Path, ledger: Ledger, warnings: Sequence[Problem] = (), layout: Layout | None = None) -> None:
    """``store`` with the entry found beforehand by ``entry_for`` (so the bytes can be let go)."""
    if any(not p.warning for p in warnings):
        return
    import tempfile

    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=entry.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                for frame in _encode(ledger, warnings, layout):
                    f.write(len(frame).to_bytes(8, "little"))
                    f.write(frame)
            os.replace(temp, entry)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp)
            raise
        prune(entry.parent)
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


def layout_of(text: str, index: LineIndex, bom: bool = False) -> Layout | None:
    """Every commitment's block, from the decoded text and its line index; None if unsure.

    Header lines are found by their leading ``[``; the index's line numbers decide which
    of them are real headers (a ``[`` inside a multi-line string is not).  Offsets are
    counted in the UTF-8 bytes of the file, after the BOM when it has one.
    """
    headers = index.headers
    starts = [b.line for b in index.commitments]
    after_last = text.count("\n") + (1 if text.endswith("\n") else 2)  # one past the last line
    stops: list[int] = []
    k = 0
    for i, start in enumerate(starts):
        while k < len(headers) and headers[k].line <= start:
            k += 1
        stop = starts[i + 1] if i + 1 < len(starts) else after_last
        while k < len(headers) and headers[k].line < stop and headers[k].name.startswith("commitments."):
            k += 1
        if k < len(headers) and headers[k].line < stop:
            stop = headers[k].line
        stops.append(stop)
    wanted = set(starts) | set(stops)
    chars = _header_offsets(text, wanted)
    chars[after_last] = len(text)
    if not wanted <= chars.keys():
        return None
    size = {}
    done, total = 0, 3 if bom else 0
    for line, pos in sorted(chars.items(), key=lambda item: item[1]):
        total += len(text[done:pos].encode("utf-8"))
        done = pos
        size[line] = total
    return Layout(
        lines=tuple(zip(starts, stops, strict=True)),
        spans=tuple((size[a], size[b]) for a, b in zip(starts, stops, strict=True)),
    )


def _header_offsets(text: str, wanted: set[int]) -> dict[int, int]:
    """Character offsets of the wanted lines among those that start with ``[`` (after blanks)."""
    found: dict[int, int] = {}
    line, pos = 1, 0
    for m in _HEADER_START.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        if line in wanted:
            found[line] = pos
    return found


def _ordinal(d: date | None) -> int | None:
    return d.toordinal() if d is not None else None


def _encode(ledger: Ledger, warnings: Sequence[Problem], layout: Layout | None) -> Iterator[bytes]:
    """The entry as marshal frames: a header, then the commitments ``CHUNK`` at a time.

    Frames keep the encoded copy of a large ledger small at any moment, when it is written
    and when it is read: ~30 MB less at the peak for 20,000 commitments.
    """
    s = ledger.source
    source = (s.proposal, s.title, s.proposer, s.lead_unit, s.co_units, s.signed_by, s.category, s.feedback,
              _ordinal(s.replied))
    problems = tuple((p.line, p.message, p.column, p.warning) for p in warnings)
    shape = (layout.lines, layout.spans) if layout is not None else None
    commitments = ledger.commitments
    yield marshal.dumps((FORMAT, source, dict(ledger.sections), len(commitments), problems, shape))
    for start in range(0, len(commitments), CHUNK):
        yield marshal.dumps(tuple(_encode_commitment(c) for c in commitments[start : start + CHUNK]))


def _encode_commitment(c: Commitment) -> tuple[Any, ...]:
    return (
        c.id, c.section, c.title, c.quote, c.lead, c.lead_basis, c.co_owners, c.status.value, c.percent,
        _ordinal(c.due), c.due_basis, c.review, c.tags,
        tuple((e.date.toordinal(), e.note, e.status.value if e.status else None, e.percent, e.by, e.evidence, e.line)
              for e in c.progress),
        tuple((x.date.toordinal(), x.new_due.toordinal(), x.reason, x.approved_by, x.line) for x in c.extensions),
        c.line,
    )


def _frames(blob: bytes) -> Iterator[Any]:
    view = memoryview(blob)
    at = 0
    while at < len(view):
        size = int.from_bytes(view[at : at + 8], "little")
        end = at + 8 + size
        if size < 1 or end > len(view):
            raise ValueError("a cut or damaged cache entry")
        yield marshal.loads(view[at + 8 : end])
        at = end


def _decode(blob: bytes, path: str) -> Cached:
    frames = _frames(blob)
    fmt, source, sections, count, problems, shape = next(frames)
    if fmt != FORMAT:
        raise ValueError("another cache format")
    # Plain loops with unpacking: a third faster than nested generators at 10^5 entries.
    day = date.fromordinal
    status: dict[str | None, Status | None] = {**_STATUSES, None: None}
    entry, extension = ProgressEntry, Extension
    built = []
    for chunk in frames:
        for c in chunk:
            due = c[9]
            built.append(
                Commitment(
                    c[0], c[1], c[2], c[3], c[4], c[5], c[6], status[c[7]], c[8],
                    None if due is None else day(due), c[10], c[11], c[12],
                    tuple([entry(day(d), n, status[s], p, b, ev, ln) for d, n, s, p, b, ev, ln in c[13]]),
                    tuple([extension(day(d), day(nd), r, a, ln) for d, nd, r, a, ln in c[14]]) if c[14] else (),
                    c[15],
                )
            )
    if len(built) != count:
        raise ValueError("a cache entry without all its commitments")
    src = Source(*source[:8], day(source[8]) if source[8] is not None else None)
    ledger = Ledger(path=path, source=src, sections=dict(sections), commitments=tuple(built))
    warnings = [Problem(path, line, message, column, warning) for line, message, column, warning in problems]
    layout = Layout(shape[0], shape[1]) if shape is not None else None
    return Cached(ledger, warnings, layout)
