"""The write lock: an exclusive native OS lock on a separate lock file (``<ledger>.lock``).

cytrack needs one thing from a lock — one writer at a time, and a lock that the kernel
drops when its holder dies — so this small module replaces the ``filelock`` package,
whose import alone cost 35-50 ms of every write's start-up (logging, decimal, secrets...).
It imports only ``os``, ``time``, ``errno`` and the OS's lock module.

POSIX uses ``flock`` on the whole file, as ``filelock`` does, so the two exclude each
other on the same lock file.  Windows uses ``msvcrt.locking`` on the file's first byte.
There is deliberately no pid-file fallback: a killed holder would leave such a file
behind and block every later writer, while the kernel frees a native lock at once.
"""

from __future__ import annotations

import errno
import os
import stat
import time

POLL_INTERVAL = 0.01  # s; waiters poll this often, so queued writers follow each other quickly

# Create if missing, never truncate (the file's bytes are not ours to drop), and never hand
# the descriptor to a child process (a child would keep the lock alive after we release it).
# 0o666 lets the umask and the folder's default ACLs decide the mode, as for any new file.
# No symlink is followed: a lock path that is a (dangling) link is refused, never created at its target.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN_FLAGS = os.O_RDWR | os.O_CREAT | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0)
_OPEN_MODE = 0o666
# A lock file another user made (a shared folder) may be ours to read only; flock, and
# msvcrt.locking, need no more than a readable descriptor.
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0)

if os.name == "nt":
    import msvcrt

    # msvcrt reports a region locked by another handle as EACCES (EDEADLOCK after its retries).
    _BUSY = frozenset({errno.EACCES, errno.EDEADLOCK})

    def _lock_once(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)  # msvcrt locks from the current position: always byte 0
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    # Linux says EWOULDBLOCK (= EAGAIN); some other systems and file systems say EACCES.
    _BUSY = frozenset({errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES})

    def _lock_once(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class LockBusy(Exception):
    """Another process held the lock for the whole wait.

    Not an ``OSError``: callers turn every ``OSError`` into "the lock file cannot be used",
    and a busy lock must not read as a broken one.
    """

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__(f"{path}: held by another process for {timeout:g} s")
        self.path, self.timeout = path, timeout


def _try_lock(fd: int) -> bool:
    """Take the lock without waiting: False when someone else holds it; other errors propagate."""
    try:
        _lock_once(fd)
    except OSError as exc:
        if exc.errno in _BUSY:
            return False
        raise
    return True


def _say(key: str) -> str:
    """A refusal in the user's language (the words are imported only when a lock path is refused)."""
    from cytrack.i18n.messages import message

    return message(key)


class LockPathRefused(OSError):
    """The lock path is a symlink or not a regular file: cytrack neither follows nor creates through it."""


def _refuse_link(path: str) -> None:
    if os.path.islink(path):
        raise LockPathRefused(errno.ELOOP, _say("lock_is_symlink"), path)


def _open(path: str) -> int:
    """The lock file opened for locking: read-write (created if missing), else read-only.

    Opened without following symlinks, then checked to be a regular file (a FIFO or a device
    in its place is refused; ``O_NONBLOCK`` keeps a FIFO from hanging the open).
    """
    _refuse_link(path)
    try:
        fd = os.open(path, _OPEN_FLAGS | getattr(os, "O_NONBLOCK", 0), _OPEN_MODE)
    except PermissionError as denied:
        try:
            fd = os.open(path, _READ_FLAGS | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            raise denied from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LockPathRefused(errno.ELOOP, _say("lock_is_symlink"), path) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise LockPathRefused(errno.EINVAL, _say("lock_not_plain"), path)
    return fd


class NativeLock:
    """An exclusive lock on the file ``path``, waiting up to ``timeout`` s (0: try once).

    Not re-entrant: a second ``NativeLock`` on the same file, in this process or another,
    waits for the first.  Use as a context manager or through ``acquire``/``release``.
    """

    def __init__(self, path: str, timeout: float) -> None:
        self.path, self.timeout = path, timeout
        self._fd: int | None = None

    @property
    def is_locked(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Open (or create) the lock file and lock it; ``LockBusy`` after the wait.

        An ``OSError`` from opening or locking (permission denied, a read-only folder, a
        folder where the file should be) propagates at once: waiting would not cure it.
        """
        if self._fd is not None:
            raise RuntimeError(f"{self.path}: this lock is held already")
        fd = _open(self.path)
        try:
            self._wait(fd)
        except BaseException:
            os.close(fd)  # closing drops any lock taken on fd as well
            raise
        self._fd = fd

    def _wait(self, fd: int) -> None:
        deadline = time.monotonic() + self.timeout
        while not _try_lock(fd):
            left = deadline - time.monotonic()
            if left <= 0:
                raise LockBusy(self.path, self.timeout)
            time.sleep(min(POLL_INTERVAL, left))

    def release(self) -> None:
        """Unlock and close; the descriptor is closed even when the unlock fails.

        The lock file is left in place.  Deleting it would race with waiters: one that had
        opened the old file would lock that deleted inode while the next writer creates and
        locks a new file under the same name, and both would think they hold the lock.
        """
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> NativeLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
