"""The one atomic file writer: a reader sees the old bytes or the new ones, never a mix.

Temp file in the same folder → write → fsync → ``os.replace`` → fsync the folder.  A failed
fsync stops the write: no retry and no replace, because after a failed fsync the kernel may
have dropped the dirty pages and a retry could "succeed" without the data (PostgreSQL's
``data_sync_retry``).  Every filesystem call goes through ``faults.FileSystem`` so that the
reliability tests can fail the k-th call, and the named crash points sit between the steps.

Every file cytrack writes goes through here: the ledger (``store.write``), exports and
reports (``store.outputs``: ``replace_atomically``; a new ledger from ``init``:
``create_atomically``, which never replaces) and the parse cache (``cache.folder``: no
fsync, files kept private, no fault injection).  This module imports nothing of cytrack
but ``store.faults``, so the cache may use it without importing the rest of the store.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path

from cytrack.store.faults import FileSystem

IS_WINDOWS = os.name == "nt"
# Windows refuses a replace while a virus scanner or indexer has the file open; git
# (compat/mingw.c) retries with growing pauses, about two seconds in all.
REPLACE_RETRY_DELAYS = (0.0, 0.001, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 0.8)


class ReplaceFailed(OSError):
    """The replace failed; ``replaced`` says whether the new bytes were in place already."""

    def __init__(self, cause: OSError, *, replaced: bool) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause))
        self.reason = cause.strerror or str(cause)
        self.replaced = replaced


def temp_prefix(path: Path) -> str:
    """Temp files of ``commitments.toml`` are ``.commitments.toml.<random>.tmp`` beside it."""
    return f".{path.name}."


def new_file_mode(target: Path) -> int:
    """The permission bits ``target`` has, or for a new file those a plain ``open()`` would give
    (0666 less the umask), rather than the private 0600 a temp file is made with."""
    try:
        return os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def replace_atomically(
    path: Path,
    data: bytes | Sequence[bytes],
    fs: FileSystem | None = None,
    *,
    prefix: str | None = None,
    private: bool = False,
    durable: bool = True,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Make ``path`` hold ``data`` (bytes, or pieces written one after another); after a crash
    it holds the old or the new bytes.

    At most a temp file is left by a crash (the ledger's writer removes those under its
    lock); on any error the temp file is removed.  Raises ``ReplaceFailed``.  The temp file
    is ``prefix`` + 8 random characters + ``.tmp`` (default ``temp_prefix(path)``); it takes
    ``path``'s mode (``new_file_mode``) unless ``private``; ``durable=False`` skips both
    fsyncs, for files that only save time (the parse cache).
    ``before_replace`` runs after the temp file is written, synced and closed, just before
    the replace (the ledger's writer checks there that no other program changed the file);
    whatever it raises stops the write, and the temp file is removed.  ``fs.before_replace``
    (set by the ledger's writer) is used when no ``before_replace`` is given.
    """
    fs = fs or FileSystem()
    temp: str | None = None
    replaced = False
    try:
        temp = _write_temp(path, data, fs, prefix, private, durable)
        check = before_replace or getattr(fs, "before_replace", None)
        if check is not None:
            check()
        _replace(fs, temp, path)
        replaced = True
        fs.step("after_replace")
        if durable and not IS_WINDOWS:  # Windows cannot open a folder to fsync it
            _fsync_folder(fs, path.parent)
    except OSError as exc:
        raise ReplaceFailed(exc, replaced=replaced) from None
    finally:
        if temp is not None and not replaced:
            with suppress(OSError):
                os.unlink(temp)


def create_atomically(path: Path, data: bytes) -> None:
    """Make a new file ``path`` holding ``data``, complete or not at all; ``FileExistsError``
    when something is there already (two runs cannot both win: a hard link never replaces).

    File systems without hard links (FAT, some network shares) get an exclusive create
    instead, removed again if writing it fails.  Other failures raise ``OSError``.
    """
    temp = _write_temp(path, data, FileSystem(inject=False), None, False, True)
    try:
        try:
            os.link(temp, path)
        except FileExistsError:
            raise
        except OSError:
            _exclusive_write(path, data)
    finally:
        with suppress(OSError):
            os.unlink(temp)


def _write_temp(
    path: Path, data: bytes | Sequence[bytes], fs: FileSystem, prefix: str | None, private: bool, durable: bool
) -> str:
    """A closed temp file beside ``path`` holding ``data``, synced when ``durable``: its name.

    On any failure the temp file is closed and removed before the error goes on.
    """
    pieces = (data[: len(data) // 2], data[len(data) // 2 :]) if isinstance(data, bytes) else data
    fd: int | None = None
    temp: str | None = None
    try:
        fd, temp = fs.mkstemp(path.parent, temp_prefix(path) if prefix is None else prefix)
        fs.step("temp_created")
        if not private:
            fs.chmod(fd, new_file_mode(path), path)
        for n, piece in enumerate(pieces):
            if n == 1:
                fs.step("half_written")
            fs.write(fd, piece)
        fs.step("before_fsync")
        if durable:
            fs.fsync(fd)
        fs.step("after_fsync")
        closing, fd = fd, None
        fs.close(closing)
        return temp
    except BaseException:
        if fd is not None:
            with suppress(OSError):
                os.close(fd)
        if temp is not None:
            with suppress(OSError):
                os.unlink(temp)
        raise


def _exclusive_write(target: Path, data: bytes) -> None:
    with open(target, "xb") as handle:
        try:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        except OSError:
            handle.close()
            target.unlink()
            raise


def _replace(fs: FileSystem, temp: str, path: Path) -> None:
    delays = REPLACE_RETRY_DELAYS if IS_WINDOWS else (0.0,)
    for attempt, delay in enumerate(delays):
        if delay:  # sleep(0) still yields the CPU: on a busy machine that is a scheduler slice per write
            time.sleep(delay)
        try:
            fs.replace(temp, path)
            return
        except PermissionError:
            if attempt == len(delays) - 1:
                raise


def _fsync_folder(fs: FileSystem, folder: Path) -> None:
    fd = fs.open_dir(folder)
    try:
        fs.fsync_dir(fd)
    except OSError as exc:
        # Some filesystems cannot sync a folder at all; that is no failure of this write.
        if exc.errno not in (errno.EINVAL, errno.EOPNOTSUPP):
            raise
    finally:
        fs.close(fd)
