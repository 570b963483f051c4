"""The write path's filesystem calls behind one small indirection, plus fault injection for tests.

SQLite's test suite proves its commits by crashing at named steps and by failing the
k-th I/O call, k = 1, 2, …; ``kill -9`` alone never catches a missing fsync.  Every
filesystem call of ``store``'s write path goes through ``FileSystem`` so that one place
can fail it, and the named steps call ``crash_point``.  Both are off unless their
environment variable is set:

- ``CYTRACK_FAIL_FS=K:ERRNO`` (e.g. ``3:ENOSPC``): the K-th call fails with that errno.
- ``CYTRACK_CRASH_AT=STEP``: the process ends abruptly (``os._exit``) at that step.
- ``CYTRACK_HANG_AT=STEP``: the process writes ``cytrack: paused at STEP`` to stderr and
  waits forever at that step, so a test can ``kill -9`` it there while it holds the lock.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable
from pathlib import Path

from cytrack.i18n.messages import message
from cytrack.ledger.errors import UsageError

FAIL_ENV = "CYTRACK_FAIL_FS"
CRASH_ENV = "CYTRACK_CRASH_AT"
HANG_ENV = "CYTRACK_HANG_AT"
CRASH_POINTS = ("temp_created", "half_written", "before_fsync", "after_fsync", "after_replace")
CRASH_EXIT = 137  # what a shell reports for a process killed by signal 9

# New temp files: created here and nowhere else (O_EXCL), no symlink followed, not inherited
# by child processes, binary on Windows; private (0600) until the caller sets their mode.
_TEMP_FLAGS = (
    os.O_RDWR | os.O_CREAT | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0)
    | getattr(os, "O_BINARY", 0)
)
_TEMP_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"


def make_temp_file(folder: Path, prefix: str) -> tuple[int, str]:
    """A new, empty, private file ``<folder>/<prefix><8 random characters>.tmp``: its descriptor and path.

    What ``tempfile.mkstemp`` does, without the 4 ms its import (shutil, random) adds to every write.
    """
    for _ in range(100):
        tail = "".join(_TEMP_CHARS[b % len(_TEMP_CHARS)] for b in os.urandom(8))
        name = os.path.abspath(os.path.join(folder, f"{prefix}{tail}.tmp"))
        try:
            return os.open(name, _TEMP_FLAGS, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", str(folder))


def crash_point(step: str) -> None:
    """End or freeze the process here when a test asked for it; otherwise do nothing."""
    if os.environ.get(CRASH_ENV) == step:
        os._exit(CRASH_EXIT)
    if os.environ.get(HANG_ENV) == step:
        os.write(2, f"cytrack: paused at {step}\n".encode())
        while True:
            time.sleep(3600)


def _parse_fail(spec: str | None) -> tuple[int, int]:
    """``"3:ENOSPC"`` → (3, errno.ENOSPC); unset → (0, 0), which never fails."""
    if not spec:
        return 0, 0
    count, _, name = spec.partition(":")
    code = getattr(errno, name.strip().upper() or "EIO", None)
    if not count.strip().isdigit() or not isinstance(code, int):
        raise UsageError(message("bad_fail_spec", name=FAIL_ENV, value=spec))
    return int(count), code


class FileSystem:
    """Counts the write path's filesystem calls and fails the one ``CYTRACK_FAIL_FS`` names.

    Each method is one logical call (a whole read, a whole write); ``names`` records
    them in order, which lets tests check that the fsync comes before the replace.
    """

    def __init__(self, *, inject: bool = True) -> None:
        """``inject=False``: the same calls, never failed and with no crash points (the parse
        cache's files, which are not the ledger and must not shift the tests' counts)."""
        self.inject = inject
        self.fail_at, self.errno = _parse_fail(os.environ.get(FAIL_ENV)) if inject else (0, 0)
        self.names: list[str] = []
        # What the ledger's writer checks right before the replace (``files.replace_atomically``).
        self.before_replace: Callable[[], None] | None = None

    def step(self, name: str) -> None:
        """A named step of a write: ``crash_point`` when injecting, else nothing."""
        if self.inject:
            crash_point(name)

    def _count(self, name: str, path: str | os.PathLike[str] | None = None) -> None:
        self.names.append(name)
        if len(self.names) == self.fail_at:
            raise OSError(self.errno, os.strerror(self.errno), None if path is None else os.fspath(path))

    def listdir(self, folder: Path) -> list[str]:
        self._count("listdir", folder)
        return os.listdir(folder)

    def unlink(self, path: Path) -> None:
        self._count("unlink", path)
        os.unlink(path)

    def stat(self, path: Path) -> os.stat_result:
        self._count("stat", path)
        return os.stat(path)

    def read(self, path: Path, limit: int | None = None) -> bytes:
        """A plain file's bytes (``rawfile.read_regular``: a FIFO or device raises ``NotRegularFile``)."""
        from cytrack.ledger.rawfile import read_regular

        self._count("read", path)
        return read_regular(path, limit)[0]

    def mkstemp(self, folder: Path, prefix: str) -> tuple[int, str]:
        self._count("mkstemp", folder)
        return make_temp_file(folder, prefix)

    def chmod(self, fd: int, mode: int, path: Path) -> None:
        """Give the open file ``fd`` (the temp file for ``path``) the permission bits ``mode`` (POSIX only)."""
        self._count("chmod", path)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)

    def write(self, fd: int, data: bytes) -> None:
        self._count("write")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]

    def fsync(self, fd: int) -> None:
        self._count("fsync")
        os.fsync(fd)

    def close(self, fd: int) -> None:
        self._count("close")
        os.close(fd)

    def replace(self, source: str, target: Path) -> None:
        self._count("replace", target)
        os.replace(source, target)

    def open_dir(self, folder: Path) -> int:
        self._count("open_dir", folder)
        return os.open(folder, os.O_RDONLY)

    def fsync_dir(self, fd: int) -> None:
        self._count("fsync_dir")
        os.fsync(fd)
