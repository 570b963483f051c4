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
rebuilding the whole model takes ~0.3 s against ~0.5 s to unpickle the same records, and
unlike pickle marshal runs no code when read.  The folder is the user's own cache folder;
an entry that cannot be read or does not make sense is a miss, never an error.  Writes go
through a temporary file and ``os.replace``; the newest ``KEEP`` entries are kept.
``CYTRACK_CACHE_DIR`` moves the folder; ``CYTRACK_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path

from cytrack import __version__
from cytrack.cache.codec import _SHAPES as _SHAPES  # the tests and bench/profile.py reach these three here
from cytrack.cache.codec import FORMAT, SHAPE, USABLE, Cached, Entry, parse_entry
from cytrack.cache.codec import _decode as _decode
from cytrack.cache.codec import _frames as _frames
from cytrack.ledger.errors import Problem
from cytrack.ledger.layout import Layout
from cytrack.ledger.layout import layout_of as layout_of  # the loader and the tests reach it here
from cytrack.ledger.model import Ledger

try:  # hashlib would load OpenSSL first (~3 ms) to give the same function
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Pythons built without the _blake2 module
    from hashlib import blake2b

FREEZE_AFTER = 200_000  # new objects; ``paused_gc`` freezes them past this (a ledger of ~4,000 commitments)
DIR_ENV = "CYTRACK_CACHE_DIR"
OFF_ENV = "CYTRACK_NO_CACHE"
SUFFIX = ".ledger"
KEEP = 8
# An office ledger (contract §6) has an entry per reply file, each keyed by its bytes: entries
# used within ``KEEP_DAYS`` are kept too (every read touches its entries), at most ``MOST``.
KEEP_DAYS = 14
MOST = 10_000
_deferred: list[Path] = []  # while ``many_saves`` runs: folders to prune once at its end
_deferring = False
# The modules whose code decides what a valid ledger reads as.  Their sizes and times
# join the key, so a changed rule in a development checkout is never hidden by an entry
# written before the change (released versions differ by ``__version__`` anyway).
_CODE = (
    "cache/folder.py", "cache/codec.py", "ledger/layout.py", "ledger/load.py", "ledger/scan.py",
    "ledger/validate.py", "ledger/model.py", "ledger/errors.py",
)
_LEAVE_TEMPS_FOR = 3600.0  # seconds; an older temporary file was left by a crashed run


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
    here = Path(__file__).parents[1]  # src/cytrack
    stamps = []
    for name in _CODE:
        try:
            st = (here / name).stat()
            stamps.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            stamps.append(f"{name}:?")
    return f"cytrack {__version__} ledger cache {FORMAT} {SHAPE} {' '.join(stamps)}\n".encode()


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


def _read(path: Path | None) -> Entry | None:
    """The entry at ``path`` with only its header decoded, or None (a miss)."""
    if path is None:
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    try:
        found = parse_entry(blob)
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is a miss, never an error
        return None
    with suppress(OSError):
        os.utime(path)  # keeps entries in use from being pruned
    return found


def find_entry(raw: bytes, path: str) -> Cached | None:
    """The cached model of a ledger with these bytes (paths in it set to ``path``), or None."""
    found = _read(entry_for(raw))
    if found is None:
        return None
    try:
        with paused_gc():
            return found.cached(path)
    except Exception:  # noqa: BLE001 - a damaged frame is a miss too
        return None


def read(digest: str) -> Entry | None:
    """The entry for the bytes whose ``key`` is ``digest``, as the write path uses it, or None.

    Only the header is decoded (the frames are checked for their sizes); ``Entry.commitment``
    decodes one frame.  The write path hashes the ledger once, for this and for its own checks.
    """
    where = folder()
    return None if where is None else _read(where / (digest + SUFFIX))


def store_entry(entry: Path, ledger: Ledger, warnings: Sequence[Problem] = (), layout: Layout | None = None) -> None:
    """Remember a fully valid ledger under ``entry`` (from ``entry_for``, found beforehand so the
    bytes can be let go); best effort, silent on any failure."""
    if any(not p.warning for p in warnings):
        return
    try:
        _save(entry, Entry.of(ledger, warnings, layout))
    except (ValueError, TypeError):
        return


def save(digest: str, entry: Entry) -> None:
    """Remember ``entry`` for the bytes whose ``key`` is ``digest`` (the write path, after the replace)."""
    where = folder()
    if where is not None:
        _save(where / (digest + SUFFIX), entry)


def _save(where: Path, entry: Entry) -> None:
    """Write the entry through the one atomic writer (no fsync: an entry lost to a power cut is
    only a miss; kept private; a temp file a crash leaves is ``.tmp-…``, which ``prune`` removes);
    best effort, silent on any failure."""
    from cytrack.store.faults import FileSystem
    from cytrack.store.files import replace_atomically

    try:
        where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        frames = (entry.header(), *entry.frames)
        pieces = [part for frame in frames for part in (len(frame).to_bytes(8, "little"), frame)]
        replace_atomically(where, pieces, FileSystem(inject=False), prefix=".tmp-", private=True, durable=False)
        if _deferring:
            if where.parent not in _deferred:
                _deferred.append(where.parent)
        else:
            prune(where.parent)
    except (OSError, ValueError, TypeError):
        return


@contextmanager
def many_saves() -> Iterator[None]:
    """Prune once at the end instead of after each save (loading an office of many files)."""
    global _deferring
    was = _deferring
    _deferring = True
    try:
        yield
    finally:
        _deferring = was
        if not was:
            while _deferred:
                prune(_deferred.pop())


def prune(where: Path, keep: int = KEEP) -> None:
    """Keep the ``keep`` most recently used entries and those used within ``KEEP_DAYS`` (at most
    ``MOST``); remove the rest and old temporary files."""
    entries: list[tuple[float, Path]] = []
    now = time.time()
    with suppress(OSError), os.scandir(where) as it:
        for item in it:
            with suppress(OSError):
                if item.name.endswith((SUFFIX, ".rows")) and not item.name.startswith("."):
                    entries.append((item.stat().st_mtime, Path(item.path)))
                elif item.name.startswith(".tmp-") and now - item.stat().st_mtime > _LEAVE_TEMPS_FOR:
                    os.unlink(item.path)
    entries.sort(reverse=True)
    recent = now - KEEP_DAYS * 86400
    keep = max(keep, min(MOST, sum(1 for used, _ in entries if used >= recent)))
    for _, old in entries[keep:]:
        with suppress(OSError):
            old.unlink()
