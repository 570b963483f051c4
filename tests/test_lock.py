"""The native write lock (``cytrack.store.lock``), held and fought over by real processes.

A holder is a fresh ``python`` that takes the lock, says "held" on stdout and then waits
on stdin, so the test decides when it releases or dies; nothing here depends on timing.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cytrack.ledger.errors import LedgerUnusable, LockTimeout
from cytrack.store import lock
from cytrack.store import write as store
from cytrack.store.lock import POLL_INTERVAL, LockBusy, NativeLock

SRC = Path(__file__).resolve().parent.parent / "src"
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX signals, modes and flock")

# argv: lock path, "native" or "filelock".  Holds the lock until stdin says "release" or closes.
HOLDER = textwrap.dedent(
    """\
    import sys
    if sys.argv[2] == "filelock":
        from filelock import FileLock
        held = FileLock(sys.argv[1], timeout=0)
    else:
        from cytrack.store.lock import NativeLock
        held = NativeLock(sys.argv[1], 0)
    held.acquire()
    print("held", flush=True)
    if sys.stdin.readline() == "release\\n":
        held.release()
        print("released", flush=True)
    sys.stdin.read()
    """
)

# argv: lock path.  Says whether the lock could be taken at once.
TRY_ONCE = textwrap.dedent(
    """\
    import sys
    from cytrack.store.lock import LockBusy, NativeLock
    try:
        NativeLock(sys.argv[1], 0).acquire()
    except LockBusy:
        print("busy")
    else:
        print("got")
    """
)


def python(code: str, *args: str, **popen: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], env=env, text=True, encoding="utf-8", **popen  # type: ignore[arg-type]
    )


@pytest.fixture
def holder() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start a process holding the lock on a path; every one still alive is killed afterwards."""
    started: list[subprocess.Popen[str]] = []

    def start(path: Path, kind: str = "native") -> subprocess.Popen[str]:
        proc = python(HOLDER, str(path), kind, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        started.append(proc)
        assert proc.stdout is not None
        assert proc.stdout.readline() == "held\n"
        return proc

    yield start
    for proc in started:
        proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()


def taken_by_another_process(path: Path) -> bool:
    run = python(TRY_ONCE, str(path), stdout=subprocess.PIPE)
    out, _ = run.communicate()  # no timeout: Popen would poll with time.sleep, which some tests count
    assert run.returncode == 0 and out in ("got\n", "busy\n"), out
    return out == "got\n"


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every ``time.sleep`` the lock asks for (it still sleeps)."""
    asked: list[float] = []
    real = time.sleep

    def sleep(seconds: float) -> None:
        asked.append(seconds)
        real(seconds)

    monkeypatch.setattr(lock.time, "sleep", sleep)
    return asked


def test_a_held_lock_with_timeout_0_fails_at_once(tmp_path, holder, sleeps):
    path = tmp_path / "c.toml.lock"
    holder(path)
    waiter = NativeLock(str(path), 0)
    with pytest.raises(LockBusy) as info:
        waiter.acquire()
    assert (info.value.path, info.value.timeout) == (str(path), 0)
    assert str(info.value) == f"{path}: held by another process for 0 s"
    assert not isinstance(info.value, OSError)  # callers map OSError to "the lock file is unusable"
    assert sleeps == [] and not waiter.is_locked


def test_a_waiter_polls_every_10_ms_until_its_timeout(tmp_path, holder, sleeps):
    path = tmp_path / "c.toml.lock"
    holder(path)
    with pytest.raises(LockBusy, match=r"held by another process for 0\.05 s"):
        NativeLock(str(path), 0.05).acquire()
    assert POLL_INTERVAL == 0.01
    assert sleeps[0] == POLL_INTERVAL and all(0 < s <= POLL_INTERVAL for s in sleeps)


def test_a_waiter_gets_the_lock_as_soon_as_the_holder_releases(tmp_path, holder, monkeypatch):
    path = tmp_path / "c.toml.lock"
    proc = holder(path)
    assert proc.stdin is not None and proc.stdout is not None
    asked: list[float] = []

    def sleep(seconds: float) -> None:  # the first poll found the lock held: now let the holder go
        asked.append(seconds)
        if len(asked) == 1:
            proc.stdin.write("release\n")
            proc.stdin.flush()
            assert proc.stdout.readline() == "released\n"

    monkeypatch.setattr(lock.time, "sleep", sleep)
    with NativeLock(str(path), 30) as waiter:
        assert waiter.is_locked
        assert not taken_by_another_process(path)
    assert asked == [POLL_INTERVAL]  # busy once, then taken on the next poll


@posix_only
def test_a_holder_killed_with_sigkill_frees_the_lock_at_once(tmp_path, holder):
    path = tmp_path / "c.toml.lock"
    proc = holder(path)
    assert not taken_by_another_process(path)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    with NativeLock(str(path), 0) as taken:  # timeout 0: no waiting for the dead holder
        assert taken.is_locked
    assert path.exists()  # the dead holder's file is simply reused


def test_one_process_can_lock_and_release_again_and_again(tmp_path):
    path = tmp_path / "c.toml.lock"
    first = NativeLock(str(path), 0)
    for _ in range(2):
        first.acquire()
        assert first.is_locked and not taken_by_another_process(path)
        first.release()
        assert not first.is_locked
    first.release()  # releasing a lock not held does nothing
    assert taken_by_another_process(path)


def open_fds() -> int:
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("counting open descriptors needs /proc/self/fd")
    return len(os.listdir("/proc/self/fd"))


def test_no_descriptor_is_left_open_after_release_or_a_timeout(tmp_path, holder):
    path = tmp_path / "c.toml.lock"
    before = open_fds()
    with NativeLock(str(path), 0):
        assert open_fds() == before + 1
    assert open_fds() == before
    holder(path)
    before = open_fds()
    with pytest.raises(LockBusy):
        NativeLock(str(path), 0).acquire()
    assert open_fds() == before


def test_release_closes_the_descriptor_even_when_the_unlock_fails(tmp_path, monkeypatch):
    path = tmp_path / "c.toml.lock"
    before = open_fds()
    held = NativeLock(str(path), 0)
    held.acquire()

    def failing_unlock(fd: int) -> None:
        raise OSError(errno.EIO, "unlock failed")

    monkeypatch.setattr(lock, "_unlock", failing_unlock)
    with pytest.raises(OSError, match="unlock failed"):
        held.release()
    assert open_fds() == before and not held.is_locked
    assert taken_by_another_process(path)  # closing the descriptor dropped the lock


def test_the_lock_is_not_reentrant(tmp_path):
    path = tmp_path / "c.toml.lock"
    with NativeLock(str(path), 0) as held:
        with pytest.raises(RuntimeError, match="held already"):
            held.acquire()
        with pytest.raises(LockBusy):  # a second lock in the same process waits like any other
            NativeLock(str(path), 0).acquire()
    assert taken_by_another_process(path)


def test_the_lock_file_is_created_empty_and_kept_after_release(tmp_path):
    path = tmp_path / "c.toml.lock"
    with NativeLock(str(path), 0):
        assert path.read_bytes() == b""
    assert path.read_bytes() == b""


def test_an_existing_lock_file_is_neither_truncated_nor_removed(tmp_path):
    path = tmp_path / "c.toml.lock"
    path.write_bytes(b"left by someone\n")
    inode = path.stat().st_ino
    with NativeLock(str(path), 0):
        pass
    assert path.read_bytes() == b"left by someone\n"
    assert path.stat().st_ino == inode


@posix_only
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_lock_file_gets_the_mode_the_umask_leaves(tmp_path, umask, mode):
    """Created with 0o666, like any file the user makes in that folder: a group-shared folder stays shared."""
    path = tmp_path / "c.toml.lock"
    code = "import os, sys\nos.umask(int(sys.argv[2], 8))\nfrom cytrack.store.lock import NativeLock\n"
    code += "with NativeLock(sys.argv[1], 0):\n    pass\n"
    run = python(code, str(path), oct(umask))
    assert run.wait(timeout=60) == 0
    assert path.stat().st_mode & 0o777 == mode


def _no_sleep(seconds: float) -> None:
    raise AssertionError("waited: an unusable lock file must fail at once")


@posix_only
def test_an_unwritable_folder_raises_oserror_at_once(tmp_path, monkeypatch):
    if os.geteuid() == 0:
        pytest.skip("root may create files in a read-only folder")
    monkeypatch.setattr(lock.time, "sleep", _no_sleep)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(PermissionError):
            NativeLock(str(tmp_path / "c.toml.lock"), 10).acquire()
    finally:
        tmp_path.chmod(0o755)
    assert not (tmp_path / "c.toml.lock").exists()


def test_a_folder_in_the_lock_files_place_raises_oserror_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(lock.time, "sleep", _no_sleep)
    (tmp_path / "c.toml.lock").mkdir()
    with pytest.raises(OSError) as info:
        NativeLock(str(tmp_path / "c.toml.lock"), 10).acquire()
    assert not isinstance(info.value, LockBusy)


def test_a_missing_folder_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        NativeLock(str(tmp_path / "gone" / "c.toml.lock"), 0).acquire()


@posix_only
def test_store_reports_an_unusable_lock_file_as_ledger_unusable(tmp_path, monkeypatch):
    monkeypatch.setenv("CYTRACK_LOCK_TIMEOUT", "10")
    monkeypatch.setattr(lock.time, "sleep", _no_sleep)
    ledger = tmp_path / "commitments.toml"
    (tmp_path / "commitments.toml.lock").mkdir()
    with pytest.raises(LedgerUnusable) as info, store.ledger_lock(ledger):
        pass
    assert not isinstance(info.value, LockTimeout)
    reason = os.strerror(errno.EISDIR)
    assert str(info.value) == f"{ledger}.lock: cannot take the write lock ({reason}); nothing was written."


def test_store_reports_a_held_lock_as_lock_timeout(tmp_path, holder, monkeypatch):
    monkeypatch.setenv("CYTRACK_LOCK_TIMEOUT", "0")
    ledger = tmp_path / "commitments.toml"
    holder(tmp_path / "commitments.toml.lock")
    with pytest.raises(LockTimeout) as info, store.ledger_lock(ledger):
        pass
    assert str(info.value) == (
        f"{ledger}.lock: another cytrack is writing this ledger and kept it locked for 0 s;"
        " nothing was written. Try again in a moment."
    )


@posix_only
def test_a_filelock_holder_in_another_process_blocks_our_lock(tmp_path, holder):
    pytest.importorskip("filelock")
    path = tmp_path / "c.toml.lock"
    proc = holder(path, "filelock")
    with pytest.raises(LockBusy):
        NativeLock(str(path), 0).acquire()
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("release\n")
    proc.stdin.flush()
    assert proc.stdout.readline() == "released\n"
    with NativeLock(str(path), 0) as taken:
        assert taken.is_locked


@posix_only
def test_our_lock_in_another_process_blocks_filelock(tmp_path, holder):
    filelock = pytest.importorskip("filelock")
    path = tmp_path / "c.toml.lock"
    holder(path)
    with pytest.raises(filelock.Timeout):
        filelock.FileLock(str(path), timeout=0).acquire()


def _new_modules(statement: str) -> set[str]:
    code = f"import sys\nbefore = set(sys.modules)\n{statement}\nprint(*sorted(set(sys.modules) - before))"
    run = python(code, stdout=subprocess.PIPE)
    out, _ = run.communicate()
    assert run.returncode == 0
    return set(out.split())


def test_the_lock_module_imports_nothing_but_the_os_lock_module():
    """The point of this module: ``filelock`` cost every write 35-50 ms of imports."""
    os_module = "msvcrt" if os.name == "nt" else "fcntl"
    allowed = {"__future__", "cytrack", "cytrack.store", "cytrack.store.lock", "errno", "os", "time", os_module}
    assert {"cytrack.store.lock", os_module} <= _new_modules("import cytrack.store.lock") <= allowed


def test_the_write_path_no_longer_imports_filelock():
    assert "filelock" not in _new_modules("import cytrack.store.write")
