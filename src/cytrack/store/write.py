"""The only writer of the ledger: lock, re-read, edit, verify, atomic replace (contract §5).

Every command that writes calls ``write_change``; the merge driver calls ``replace_ledger``.
The protocol, and why each step is there:

1. An exclusive native lock on ``<ledger>.lock`` (a separate file, so replacing the
   ledger never drops the lock); wait up to 10 s, then ``LockTimeout`` (exit 3).
2. Remove temp files that crashed runs left behind: holding the lock, no other writer
   of this ledger can be using one.
3. Re-read the ledger under the lock and remember its size, mtime and hash (BLAKE2b, the
   parse cache's key, so the bytes are hashed once for both): git
   checkouts and editors ignore our lock, so they are checked again before the replace.
4. Validate (or find these exact bytes, validated before, in the parse cache: see
   ``store/view.py``), apply the change to the target commitment's block only, and check
   that the new block reads back as exactly the intended data and still validates.
5. Temp file in the same folder → write → fsync → ``os.replace`` → fsync the folder.  A
   failed fsync stops the write (no retry, no replace: after a failed fsync the kernel
   may have dropped the dirty pages, so a retry can "succeed" without the data).
6. After the replace, the new bytes' model goes into the parse cache (derived from the old
   one and the changed block), so the next command reads it without parsing.
"""

from __future__ import annotations

import os
import re
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NamedTuple, Protocol

from cytrack.cache import folder as cache
from cytrack.cache import seen as seen_record
from cytrack.i18n.messages import listing, message, os_reason
from cytrack.ledger.errors import LedgerUnusable, LockTimeout, Problem, ReadOnlyLedger, UsageError, WriteFailed
from cytrack.ledger.load import BOM, MAX_BYTES, LedgerLocation, LedgerText, build_commitment
from cytrack.ledger.model import Commitment
from cytrack.ledger.scan import LineIndex, read_toml
from cytrack.ledger.validate import validate_data
from cytrack.store.faults import FileSystem
from cytrack.store.files import ReplaceFailed, replace_atomically, temp_prefix
from cytrack.store.lock import LockBusy, NativeLock
from cytrack.store.view import CacheMismatch, Edit, View, next_entry, open_view, shifted

# A ledger changed less than this long ago may be in the middle of another program's save:
# it is read again every ``SETTLE_PAUSE`` until two reads agree, for at most ``SETTLE_TRIES``.
SETTLE_WINDOW_NS = 2_000_000_000
SETTLE_PAUSE = 0.02
SETTLE_TRIES = 100
LOCK_TIMEOUT = 10.0
LOCK_TIMEOUT_ENV = "CYTRACK_LOCK_TIMEOUT"


class Change(Protocol):
    """One write command's change: ``apply`` turns the ledger re-read under the lock into an ``Edit``."""

    def apply(self, view: View) -> Edit: ...


class Changes(Protocol):
    """A change of several commitments: ``apply_all`` turns the re-read ledger into one ``Edit`` each."""

    def apply_all(self, view: View) -> list[Edit]: ...


def lock_path_for(path: Path) -> Path:
    """``commitments.toml`` → ``commitments.toml.lock`` beside it."""
    return path.with_name(path.name + ".lock")


def write_target(path: Path) -> Path:
    """The file a write really changes: ``path`` itself, or, when it is a symlink, the file it points to.

    A symlinked ledger is locked (``<target>.lock``, so every link to one file shares one lock),
    re-read and replaced at its target, and the link stays a link.
    """
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def _is_own_temp(path: Path, name: str) -> bool:
    """Names ``tempfile.mkstemp`` makes for this ledger: ``.commitments.toml.<8 chars>.tmp``."""
    return re.fullmatch(re.escape(temp_prefix(path)) + r"[a-z0-9_]{8}\.tmp", name) is not None


def replace_ledger(
    path: Path, data: bytes, fs: FileSystem | None = None, before_replace: Callable[[], None] | None = None
) -> None:
    """Atomically make the ledger ``path`` hold ``data`` (``atomic.replace_atomically``).

    Raises ``WriteFailed``; ``replaced`` tells whether the new content is in place already.
    ``before_replace`` runs after the temp file is synced, right before the replace.
    """
    try:
        replace_atomically(path, data, fs or FileSystem(), before_replace=before_replace)
    except ReplaceFailed as exc:
        if exc.replaced:
            raise WriteFailed(
                message("write_unsynced", path=path, reason=os_reason(exc)),
                replaced=True,
            ) from None
        raise WriteFailed(message("write_failed", path=path, reason=os_reason(exc))) from None


def lock_timeout() -> float:
    """Seconds to wait for the lock: ``$CYTRACK_LOCK_TIMEOUT`` when set (tests shorten it), else 10."""
    raw = os.environ.get(LOCK_TIMEOUT_ENV)
    if not raw:
        return LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise UsageError(message("bad_lock_timeout", name=LOCK_TIMEOUT_ENV, value=raw))
    return value


@contextmanager
def ledger_lock(path: Path) -> Iterator[None]:
    """Hold the exclusive native lock on ``<ledger>.lock``; ``LockTimeout`` after the wait.

    The lock is a separate file because the ledger itself is replaced by every write.
    The kernel drops a native lock when its holder dies, so a killed writer never
    leaves a lock behind; there is no soft (pid-file) fallback for that reason.
    ``NativeLock`` is looked up here at each call: the reliability tests swap it for a
    deliberately broken lock to show that they would catch one.
    """
    lock_path = lock_path_for(path)
    timeout = lock_timeout()
    lock = NativeLock(str(lock_path), timeout)  # waiters poll every 10 ms (lock.POLL_INTERVAL)
    try:
        lock.acquire()
    except LockBusy:
        raise LockTimeout(message("locked", path=lock_path, seconds=f"{timeout:g}")) from None
    except OSError as exc:
        raise LedgerUnusable(message("lock_failed", path=lock_path, reason=os_reason(exc))) from None
    try:
        yield
    finally:
        lock.release()


def remove_stale_temps(path: Path, fs: FileSystem) -> None:
    """Delete temp files of this ledger left by crashed runs; call only while holding the lock."""
    for name in fs.listdir(path.parent):
        if _is_own_temp(path, name):
            with suppress(FileNotFoundError):
                fs.unlink(path.parent / name)


class Snapshot(NamedTuple):
    """The ledger's bytes as read under the lock, and what identifies that version."""

    raw: bytes
    size: int
    mtime_ns: int
    inode: int
    digest: str  # ``cache.key`` of the bytes: BLAKE2b, which also names their parse cache entry


def _snapshot(path: Path, fs: FileSystem) -> Snapshot:
    st = fs.stat(path)
    if st.st_size > MAX_BYTES:
        raise LedgerUnusable(
            message("too_large", path=path, size=f"{st.st_size / 1048576:.1f}", limit=MAX_BYTES // 1048576)
        )
    if not stat.S_ISREG(st.st_mode):
        raise _not_plain(path, st.st_mode)
    raw = fs.read(path, MAX_BYTES)
    return Snapshot(raw, st.st_size, st.st_mtime_ns, st.st_ino, cache.key(raw))


def _not_plain(path: Path, mode: int) -> LedgerUnusable:
    from cytrack.ledger.rawfile import KIND_KEYS, kind_of

    if stat.S_ISDIR(mode):
        return LedgerUnusable(message("is_folder", path=path))
    return LedgerUnusable(message("not_plain", path=path, kind=message(KIND_KEYS.get(kind_of(mode), "kind_special"))))


def _settled(path: Path, fs: FileSystem, known: seen_record.Seen | None) -> Snapshot:
    """The ledger as read under the lock, once it is not changing any more.

    A file cytrack itself wrote last (its digest is in the record), or one last changed more
    than ``SETTLE_WINDOW_NS`` ago, is taken at once.  A fresher one may be in the middle of
    another program's save: it is read again until two reads agree (size, mtime, inode and
    hash), or refused when it keeps changing for ``SETTLE_PAUSE * SETTLE_TRIES`` seconds.
    """
    snap = _snapshot(path, fs)
    if known is not None and known.digest == snap.digest:
        return snap
    if time.time_ns() - snap.mtime_ns > SETTLE_WINDOW_NS:
        return snap
    for _ in range(SETTLE_TRIES):
        time.sleep(SETTLE_PAUSE)
        again = _snapshot(path, fs)
        if again[1:] == snap[1:]:
            return again
        snap = again
    raise LedgerUnusable(message("kept_changing", path=path))


def _refuse_half_written(path: Path, view: View, known: seen_record.Seen | None) -> None:
    """Refuse a base that lacks commitments the version cytrack last wrote (or validated) had."""
    lost = seen_record.missing(known, view.ids)
    if not lost:
        return
    assert known is not None
    shown = listing([*lost[:5], "…"] if len(lost) > 5 else lost)
    raise LedgerUnusable(message("half_written", path=path, count=len(view.ids), before=len(known.ids), missing=shown))


def _unchanged(path: Path, before: Snapshot, fs: FileSystem) -> None:
    """Refuse to replace a ledger that someone changed since it was read under the lock."""
    st = fs.stat(path)
    same = (st.st_size, st.st_mtime_ns, st.st_ino) == (before.size, before.mtime_ns, before.inode)
    if same:
        same = cache.key(fs.read(path, MAX_BYTES)) == before.digest
    if not same:
        raise LedgerUnusable(message("changed_meanwhile", path=path))


def encode(lt: LedgerText, text: str) -> bytes:
    """The bytes of ``text`` for the file ``lt`` came from: its UTF-8 BOM kept when it had one."""
    return ((BOM if lt.bom else "") + text).encode("utf-8")


def verify(view: View, edit: Edit) -> tuple[Commitment, list[Problem]]:
    """Refuse an edit whose lines do not read back as intended or that break a rule of the ledger.

    Only the edited commitment is parsed and validated, which keeps a write fast on a
    large ledger and is enough: the text around it is byte for byte what was validated
    (under the lock, or before, for a cache hit: the cache is keyed by these exact bytes);
    the edit's lines parse on their own to exactly the one intended commitment, starting
    at its ``[[commitments]]`` header; and what follows them starts with blank or comment
    lines and a header of its own.  So the new file reads as the old data with that one
    commitment changed.  Id uniqueness, the one rule that spans commitments, is checked
    against the others.  Returns the new commitment (at its new lines) and its warnings.
    """
    fragment = "".join(edit.lines)
    index: LineIndex | None
    try:
        parsed, index = read_toml(fragment)
    except ValueError:  # not TOML (tomllib.TOMLDecodeError)
        parsed, index = None, None
    if parsed != {"commitments": [edit.expected]} and view.from_cache:
        raise CacheMismatch(f"{view.path}: the cached commitment does not read back as its block")
    if parsed != {"commitments": [edit.expected]} or index is None:
        raise LedgerUnusable(message("edit_disturbs", path=view.path, line=edit.start + 1))
    found = _commitment_problems(view, edit, index)
    problems = [p for p in found if not p.warning]
    if problems:
        raise LedgerUnusable(
            message("change_invalid", path=view.path, count=len(problems)),
            problems=problems,
        )
    return shifted(build_commitment(edit.expected, index, 0), edit.start), [p for p in found if p.warning]


def _commitment_problems(view: View, edit: Edit, index: LineIndex) -> list[Problem]:
    """The problems of the edited commitment (the rules of ``validate``), at their lines in the new text.

    The rest of the ledger was valid, so only the commitment's own rules can fail: it is checked
    alone, as the one commitment of a ledger with ``schema = 1``.
    """
    data = {"schema": 1, "commitments": [edit.expected]}
    problems = [p._replace(line=p.line + edit.start) for p in validate_data(data, index, view.path)]
    cid = edit.expected.get("id")
    key = cid.strip().casefold() if isinstance(cid, str) else None
    for n, other in enumerate(view.ids):
        if other.strip().casefold() == key and (edit.added or n != edit.position):
            line = index.commitment(0).key_line("id") + edit.start
            problems.append(Problem(view.path, line, message("duplicate_id_short", cid=cid, line=view.id_line(n))))
    return problems


def _unreadable(path: Path, exc: OSError) -> LedgerUnusable:
    return LedgerUnusable(message("unusable_folder", path=path, reason=os_reason(exc)))


def _refuse_read_only(path: Path) -> None:
    """A ledger marked read-only, or not writable by this user, is not replaced behind its back.

    ``os.replace`` needs only a writable folder, so without this check a read-only file would be
    silently swapped for a new one.  The mode bit is checked too because root may write anything.
    """
    mode = path.stat().st_mode
    if not os.access(path, os.W_OK) or not mode & stat.S_IWUSR:
        raise LedgerUnusable(message("read_only", path=path))


def write_change(location: LedgerLocation, change: Change) -> Edit:
    """Apply ``change`` to the ledger at ``location`` under the full write protocol; returns the edit."""
    return _write(location, lambda view: [change.apply(view)])[0]


def write_changes(location: LedgerLocation, changes: Changes) -> list[Edit]:
    """Apply a change of several commitments (``cytrack import``) in one locked, atomic write.

    Each commitment's new block is verified as ``write_change`` verifies one; the blocks are
    spliced into the old bytes in one pass, and the whole new file is loaded and checked once
    more before it replaces the ledger.  No edit (every entry recognised) writes nothing.
    """
    return _write(location, changes.apply_all)


def _write(location: LedgerLocation, make_edits: Callable[[View], list[Edit]]) -> list[Edit]:
    """The write protocol around ``make_edits``, which turns the view under the lock into edits."""
    path = write_target(Path(location.path))
    if location.bundled:
        raise ReadOnlyLedger(message("bundled_write", path=path))
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is None:
        raise LedgerUnusable(message("no_ledger_write", path=path))
    if not stat.S_ISREG(mode):
        raise _not_plain(path, mode)
    fs = FileSystem()
    with ledger_lock(path):
        known = seen_record.last_seen(path)
        try:
            remove_stale_temps(path, fs)
            before = _settled(path, fs, known)
        except OSError as exc:
            raise _unreadable(path, exc) from None
        _refuse_read_only(path)
        try:
            view, edits, checked, data = _edit(location, before, make_edits, known, use_cache=True)
        except CacheMismatch:  # a cache entry that does not fit these bytes is ignored: a full load
            view, edits, checked, data = _edit(location, before, make_edits, known, use_cache=False)
        if not edits:
            return []
        # The new cache entry's name, hashed on another core during the re-check and the replace.
        new_key = _in_background(cache.key, data) if cache.folder() is not None else None

        def recheck() -> None:  # after the temp file is synced, right before the replace
            try:
                _unchanged(path, before, fs)
            except OSError as exc:
                raise _unreadable(path, exc) from None

        fs.before_replace = recheck  # run by the replace, after the temp file is synced
        replace_ledger(path, data, fs)
        digest = new_key() if new_key is not None else None
        if digest is not None:
            ids = list(view.ids)
            pairs = sorted(zip(edits, checked, strict=True), key=lambda x: x[0].position, reverse=True)
            for edit, (changed, _w) in pairs:
                ids[edit.position : edit.position + (0 if edit.added else 1)] = [changed.id]
            seen_record.remember(path, ids, digest, known=known)
    for edit in edits:
        edit.warnings.extend(str(w) for w in view.warnings)
    changed, warnings = checked[0]
    if digest is not None and len(edits) == 1 and not view.warnings and not warnings:
        _remember(view, edits[0], changed, data, digest)
    return edits


def _check_whole(view: View, data: bytes, edits: list[Edit]) -> None:
    """The file of several spliced edits loads without a problem, as the old data with those commitments changed."""
    from cytrack.ledger.load import decode_ledger, load_text

    loaded = load_text(decode_ledger(view.path, data))
    wanted = {edit.position: edit.expected for edit in edits}
    ok = not loaded.errors and loaded.ledger is not None and len(loaded.ledger.commitments) == len(view.ids)
    if ok:
        assert loaded.ledger is not None
        for n, c in enumerate(loaded.ledger.commitments):
            old = view.commitment(n)
            if n in wanted:
                ok = ok and c.id == old.id and len(c.progress) == len(wanted[n].get("progress", []))
            else:
                ok = ok and shifted(c, old.line - c.line) == old
    if not ok:
        raise LedgerUnusable(message("edits_disturb", path=view.path))


def _edit(
    location: LedgerLocation,
    before: Snapshot,
    make_edits: Callable[[View], list[Edit]],
    known: seen_record.Seen | None,
    *,
    use_cache: bool,
) -> tuple[View, list[Edit], list[tuple[Commitment, list[Problem]]], bytes]:
    """The view of the bytes read under the lock, the edits made and verified, and the new file."""
    view = open_view(str(location.path), before.raw, before.digest, use_cache)
    _refuse_half_written(Path(location.path), view, known)
    edits = make_edits(view)
    if not edits:
        return view, [], [], b""
    checked = [verify(view, edit) for edit in edits]
    if len(edits) == 1:
        data = view.splice(edits[0])
    else:
        data = view.splice_all(edits)
        _check_whole(view, data, edits)
    return view, edits, checked, data


def _in_background(func: Callable[[bytes], str], data: bytes) -> Callable[[], str | None]:
    """Start ``func(data)`` in a thread; the returned function waits for its result.

    Hashing tens of MB releases the GIL, so it runs beside the re-check and the replace.
    """
    result: list[str] = []
    thread = threading.Thread(target=lambda: result.append(func(data)), daemon=True)
    thread.start()

    def wait() -> str | None:
        thread.join()
        return result[0] if result else None

    return wait


def _remember(view: View, edit: Edit, changed: Commitment, data: bytes, digest: str | None) -> None:
    """Put the new ledger in the parse cache, so the next command needs no parse; best effort.

    A ledger with warnings is left to the next read: where they stand among the others'
    would need the whole file's checks.
    """
    if digest is None:
        return
    try:
        entry = next_entry(view, edit, changed, data)
    except Exception:  # noqa: BLE001 - the ledger is written; a cache entry is only an optimisation
        return
    cache.save(digest, entry)
