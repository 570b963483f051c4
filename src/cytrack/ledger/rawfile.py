"""Reading a file that must be a plain file: a FIFO, a device or a socket is refused at once.

``open`` on a FIFO blocks until a writer appears and ``read`` on ``/dev/zero`` never ends, so
the ledger, its included files and cache entries are opened with ``O_NONBLOCK`` (which keeps
a FIFO's open from waiting) and checked with ``fstat`` on the open descriptor (no race with a
swap of the name) before a byte is read; the size cap is applied to what is read, too.
"""

from __future__ import annotations

import errno
import os
import stat

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class NotRegularFile(OSError):
    """The path names a FIFO, a device, a socket or a folder, not a plain file."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(errno.EINVAL, f"it is {kind}, not a plain file", path)
        self.kind = kind


# The message key (``cytrack.i18n``) that names each kind in the run's language.
KIND_KEYS = {
    "a FIFO (named pipe)": "kind_fifo", "a device": "kind_device", "a socket": "kind_socket",
    "a special file": "kind_special",
}


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_regular(path: str | os.PathLike[str], limit: int | None = None) -> tuple[bytes, os.stat_result]:
    """The bytes of the plain file ``path`` and its ``fstat``; ``NotRegularFile`` for anything else.

    With a ``limit``, a file whose size is over it is not read at all (``b""`` and its stat come
    back), and at most ``limit + 1`` bytes are read, so a file that grows past the limit while
    being read is seen as too large rather than read without end.
    """
    fd = os.open(path, _FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(os.fspath(path), kind_of(st.st_mode))
        if limit is not None and st.st_size > limit:
            return b"", st
        chunks = []
        want = (limit + 1) if limit is not None else None
        got = 0
        while want is None or got < want:
            size = max(st.st_size - got, 0) + 65536
            chunk = os.read(fd, size if want is None else min(size, want - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks), st
    finally:
        os.close(fd)


def open_regular(path: str | os.PathLike[str]):  # type: ignore[no-untyped-def]
    """A binary file object for the plain file ``path``; ``NotRegularFile`` (an ``OSError``) for
    a FIFO, device or socket, without waiting on it."""
    fd = os.open(path, _FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(os.fspath(path), kind_of(st.st_mode))
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")
