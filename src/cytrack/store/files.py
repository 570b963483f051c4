"""Replacing a file so that a reader sees the old bytes or the new ones, never a mix.

Temp file in the same folder → write → fsync → ``os.replace`` → fsync the folder.  A failed
fsync stops the write: no retry and no replace, because after a failed fsync the kernel may
have dropped the dirty pages and a retry could "succeed" without the data (PostgreSQL's
``data_sync_retry``).  Every filesystem call goes through ``faults.FileSystem`` so that the
reliability tests can fail the k-th call, and the named crash points sit between the steps.
The ledger's writer (``store``) and the writers of exports and reports (``outfile``) use it.
"""

from __future__ import annotations

import errno
import os
import time
from contextlib import suppress
from pathlib import Path

from cytrack.store.faults import FileSystem, crash_point

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


def replace_atomically(path: Path, data: bytes, fs: FileSystem | None = None) -> None:
    """Make ``path`` hold ``data``; after a crash it holds the old or the new bytes.

    At most a temp file is left by a crash (the ledger's writer removes those under its
    lock); on any error the temp file is removed.  Raises ``ReplaceFailed``.
    """
    fs = fs or FileSystem()
    folder = path.parent
    fd: int | None = None
    temp: str | None = None
    replaced = False
    try:
        fd, temp = fs.mkstemp(folder, temp_prefix(path))
        crash_point("temp_created")
        fs.copy_mode(fd, path)
        half = len(data) // 2
        fs.write(fd, data[:half])
        crash_point("half_written")
        fs.write(fd, data[half:])
        crash_point("before_fsync")
        fs.fsync(fd)
        crash_point("after_fsync")
        closing, fd = fd, None
        fs.close(closing)
        _replace(fs, temp, path)
        replaced = True
        crash_point("after_replace")
        if not IS_WINDOWS:  # Windows cannot open a folder to fsync it
            _fsync_folder(fs, folder)
    except OSError as exc:
        raise ReplaceFailed(exc, replaced=replaced) from None
    finally:
        if fd is not None:
            with suppress(OSError):
                os.close(fd)
        if temp is not None and not replaced:
            with suppress(OSError):
                os.unlink(temp)


def _replace(fs: FileSystem, temp: str, path: Path) -> None:
    delays = REPLACE_RETRY_DELAYS if IS_WINDOWS else (0.0,)
    for attempt, delay in enumerate(delays):
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
