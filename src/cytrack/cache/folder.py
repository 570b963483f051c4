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
through the one atomic writer (``store.files``); the newest ``KEEP`` entries are kept.
``CYTRACK_CACHE_DIR`` moves the folder; ``CYTRACK_NO_CACHE=1`` turns it off.

Trust (contract §10, docs/trust.md): ``marshal`` is not safe for bytes an attacker made (a
forged frame can crash the interpreter), so no frame is decoded before the entry's MAC is
checked: each entry starts with ``MAGIC`` and a keyed BLAKE2b digest of its name and body,
made with a per-user secret key (``key`` in the folder, 0600, created on first use).  An
entry that fails is a miss.  A folder that is not owned by the user, or that its group or
others may write, is not used at all (as ssh refuses such key folders).  Eviction deletes
only names of the exact forms cytrack gives its entries and temp files, and an entry only
when it starts with ``MAGIC``.  An entry, the key and the ledger must be plain files: a
FIFO, a device or a symlink (for entries and the key) is refused without waiting.
"""

from __future__ import annotations

import gc
import os
import re
import stat
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
try:  # what hmac.compare_digest is, without importing hmac (and hashlib, OpenSSL)
    from _operator import _compare_digest
except ImportError:  # pragma: no cover
    from hmac import compare_digest as _compare_digest

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
MAGIC = b"cytrack\x03"  # the first bytes of every entry (format 3); then the MAC, then the frames
MAC_SIZE = 32
KEY_NAME = "key"
KEY_SIZE = 32
# Entries (``<key>.ledger``) and the office's row entries (``<key>-<16 hex>.rows``).
_ENTRY_NAME = re.compile(r"[0-9a-f]{40}(?:" + re.escape(SUFFIX) + r"|-[0-9a-f]{16}\.rows)")
_TEMP_NAME = re.compile(r"\.tmp-[a-z0-9_]{8}\.tmp")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# The modules whose code decides what a valid ledger reads as.  Their sizes and times
# join the key, so a changed rule in a development checkout is never hidden by an entry
# written before the change (released versions differ by ``__version__`` anyway).
_CODE = (
    "cache/folder.py", "cache/codec.py", "ledger/layout.py", "ledger/load.py", "ledger/scan.py",
    "ledger/validate.py", "ledger/model.py", "ledger/errors.py",
)
_told: set[str] = set()  # folders whose debug note this run has printed (once each)
_LEAVE_TEMPS_FOR = 3600.0  # seconds; an older temporary file was left by a crashed run


def folder() -> Path | None:
    """The cache folder, or None when caching is off (``CYTRACK_NO_CACHE`` set to anything but 0)
    or the folder is not safe to use (``usable_folder``)."""
    if os.environ.get(OFF_ENV, "") not in ("", "0") or not USABLE:
        return None
    where = _location()
    return where if usable_folder(where) else None


def usable_folder(where: Path) -> bool:
    """Whether ``where`` may hold the cache: missing (it is made 0700 on first save), or a folder
    owned by this user that neither its group nor others can write.  Otherwise no cache is used,
    with a note under ``CYTRACK_DEBUG``."""
    try:
        st = os.stat(where)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if not hasattr(os, "geteuid"):  # Windows: the folder is under the user's own profile
        return stat.S_ISDIR(st.st_mode)
    reason = ""
    if not stat.S_ISDIR(st.st_mode):
        reason = "cache_not_a_folder"
    elif st.st_uid != os.geteuid():
        reason = "cache_other_owner"
    elif st.st_mode & 0o022:
        reason = "cache_others_write"
    if reason and os.environ.get("CYTRACK_DEBUG") and str(where) not in _told:
        _told.add(str(where))
        from cytrack.i18n import message
        from cytrack.textsafe import one_line

        note = message("cache_folder_unused", where=one_line(str(where)), reason=message(reason))
        os.write(2, (note + "\n").encode("utf-8", "replace"))
    return not reason


def _location() -> Path:
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
    """The entry name for a ledger with exactly these bytes, read by exactly this cytrack in this language
    (an entry keeps the ledger's warnings as they were worded)."""
    from cytrack.i18n.core import current

    h = blake2b(_salt(current()), digest_size=20)
    h.update(raw)
    return h.hexdigest()


@lru_cache(maxsize=2)
def _salt(lang: str) -> bytes:
    here = Path(__file__).parents[1]  # src/cytrack
    stamps = []
    for name in _CODE:
        try:
            st = (here / name).stat()
            stamps.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            stamps.append(f"{name}:?")
    return f"cytrack {__version__} ledger cache {FORMAT} {SHAPE} {lang} {' '.join(stamps)}\n".encode()


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


def _read_plain(path: Path, limit: int) -> bytes | None:
    """A plain file's bytes (no symlink followed, no FIFO or device waited on), or None."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
                     | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
            return None
        chunks, got = [], 0
        while got <= st.st_size:
            chunk = os.read(fd, st.st_size - got + 1)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def secret_key(where: Path, *, create: bool = False) -> bytes | None:
    """The per-user key that signs this folder's entries; made (0600) when ``create`` and missing.

    Refused (None: no cache) when it is not a plain file of ``KEY_SIZE`` bytes owned by this
    user and readable by nobody else.
    """
    path = where / KEY_NAME
    found = _read_plain(path, KEY_SIZE)
    if found is None and create and not os.path.lexists(path):
        from cytrack.store.faults import make_temp_file

        try:
            fd, temp = make_temp_file(where, ".tmp-")
            try:
                os.write(fd, os.urandom(KEY_SIZE))
                os.close(fd)
                os.link(temp, path)  # fails if another run made the key first: that key is used then
            except OSError:
                pass
            finally:
                with suppress(OSError):
                    os.unlink(temp)
        except OSError:
            return None
        found = _read_plain(path, KEY_SIZE)
    if found is None or len(found) != KEY_SIZE:
        return None
    if hasattr(os, "geteuid"):
        try:
            if os.lstat(path).st_mode & 0o077:
                return None
        except OSError:
            return None
    return found


def _mac(secret: bytes, name: str, body: bytes | memoryview) -> bytes:
    h = blake2b(key=secret, digest_size=MAC_SIZE)
    h.update(name.encode("ascii"))
    h.update(body)
    return h.digest()


def _signed(path: Path) -> memoryview | None:
    """The body of the entry at ``path`` when its MAC checks out with this user's key, else None."""
    if not _ENTRY_NAME.fullmatch(path.name):
        return None
    secret = secret_key(path.parent)
    if secret is None:
        return None
    blob = _read_plain(path, 1 << 31)
    if blob is None or not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + MAC_SIZE:
        return None
    view = memoryview(blob)
    body = view[len(MAGIC) + MAC_SIZE :]
    if not _compare_digest(_mac(secret, path.name, body), bytes(view[len(MAGIC) : len(MAGIC) + MAC_SIZE])):
        return None
    return body


def read_signed(path: Path) -> bytes | None:
    """The body of any signed file of the cache (an entry, the office's rows), or None: a miss."""
    body = _signed(path)
    return None if body is None else bytes(body)


def save_signed(path: Path, body: bytes) -> bool:
    """Write ``body`` signed under ``path`` (a name of ``_ENTRY_NAME``'s forms) in a usable folder;
    best effort: False when nothing was written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _ENTRY_NAME.fullmatch(path.name) or not usable_folder(path.parent):
            return False
        secret = secret_key(path.parent, create=True)
        if secret is None:
            return False
        put_private(path, [MAGIC + _mac(secret, path.name, body), body])
    except OSError:
        return False
    return True


def put_private(path: Path, pieces: Sequence[bytes]) -> None:
    """Write a file of the cache through the one atomic writer (``store.files``): no fsync (a file
    lost to a power cut is only a miss), kept private, no fault injection; a temp file a crash
    leaves is ``.tmp-…``, which ``prune`` removes.  Raises ``OSError``."""
    from cytrack.store.faults import FileSystem
    from cytrack.store.files import replace_atomically

    replace_atomically(path, pieces, FileSystem(inject=False), prefix=".tmp-", private=True, durable=False)


def _read(path: Path | None) -> Entry | None:
    """The entry at ``path`` with only its header decoded, or None (a miss).

    Nothing is decoded before the entry's MAC is checked (``_signed``).
    """
    if path is None:
        return None
    body = _signed(path)
    if body is None:
        return None
    try:
        found = parse_entry(body)
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
    """Write the entry, signed, through the one atomic writer (``put_private``); best effort,
    silent on any failure."""
    try:
        where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not usable_folder(where.parent):
            return
        secret = secret_key(where.parent, create=True)
        if secret is None:
            return
        frames = (entry.header(), *entry.frames)
        pieces = [part for frame in frames for part in (len(frame).to_bytes(8, "little"), frame)]
        mac = blake2b(key=secret, digest_size=MAC_SIZE)
        mac.update(where.name.encode("ascii"))
        for piece in pieces:
            mac.update(piece)
        put_private(where, [MAGIC + mac.digest(), *pieces])
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


def _is_own(item: os.DirEntry[str]) -> bool:
    """A plain file of this user (no symlink) that starts with ``MAGIC``: an entry cytrack wrote."""
    try:
        st = item.stat(follow_symlinks=False)
        if not stat.S_ISREG(st.st_mode) or (hasattr(os, "geteuid") and st.st_uid != os.geteuid()):
            return False
        fd = os.open(item.path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            return os.read(fd, len(MAGIC)) == MAGIC
        finally:
            os.close(fd)
    except OSError:
        return False


def prune(where: Path, keep: int = KEEP) -> None:
    """Keep the ``keep`` most recently used entries and those used within ``KEEP_DAYS`` (at most
    ``MOST``); remove the rest and old temporary files.

    Only cytrack's own files are removed: names of exactly the forms it gives its entries
    (``<40 hex digits>.ledger``, and, checked before removal, starting with ``MAGIC``) and its
    temp files (``.tmp-<8>.tmp``); a user's ``notes.ledger`` in ``CYTRACK_CACHE_DIR`` is left alone.
    """
    entries: list[tuple[float, os.DirEntry[str]]] = []
    now = time.time()
    with suppress(OSError), os.scandir(where) as it:
        for item in it:
            with suppress(OSError):
                if _ENTRY_NAME.fullmatch(item.name) and item.is_file(follow_symlinks=False):
                    entries.append((item.stat(follow_symlinks=False).st_mtime, item))
                elif _TEMP_NAME.fullmatch(item.name) and item.is_file(follow_symlinks=False):
                    if now - item.stat(follow_symlinks=False).st_mtime > _LEAVE_TEMPS_FOR:
                        os.unlink(item.path)
    entries.sort(key=lambda used_item: used_item[0], reverse=True)
    recent = now - KEEP_DAYS * 86400
    keep = max(keep, min(MOST, sum(1 for used, _ in entries if used >= recent)))
    for _, old in entries[keep:]:
        if _is_own(old):
            with suppress(OSError):
                os.unlink(old.path)
