"""Shared pieces of the reliability tests (``test_reliability_*.py``): real processes, ledgers,
oracles, and the deliberately broken writers each property must catch.

Heavy loops run in forked children of the test process (real processes that can be
killed with SIGKILL, without paying for a fresh interpreter each time); the tests that
need a whole fresh ``python -m cytrack`` use ``cli_spawned``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cytrack.ledger.errors import CytrackError
from cytrack.ledger.load import LedgerLocation
from cytrack.store import changes, edit, faults
from cytrack.store import view as writeview
from cytrack.store import write as store

ROOT = Path(__file__).resolve().parent.parent
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="forked worker processes need POSIX fork()")

BASE = """\
# A small ledger for the reliability tests.
schema = 1

[source]
proposal = "1181"
title = "关于推动成渝地区双城经济圈产业协同的建议"
lead_unit = "市经济信息委"

# —— （一） ——
[[commitments]]
id = "1-1"
section = 1
title = "经济社会管理权限优化配置"
lead = "市发展改革委"
status = "in_progress"  # set by hand
percent = 10
review = "quarterly"

  [[commitments.progress]]
  date = 2026-10-01
  status = "in_progress"
  percent = 10
  note = "启动"

# —— （二） ——
[[commitments]]
id = "2-1"
section = 2
title = "电子信息先进制造集群培育提升三年行动"
lead = "市经济信息委"
status = "not_started"
due = 2025-12-31

[[commitments]]
id = "2-2"
section = 2
title = "川渝汽车产业链供应链协同"
lead = "市经济信息委"
status = "not_started"
percent = 0

# trailing comment of the file
"""
BASE_COUNT = 3
CIDS = ("1-1", "2-1", "2-2")
DAY = date(2026, 11, 25)
TEMP = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def make_ledger(folder: Path, text: str = BASE, name: str = "commitments.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def temps(folder: Path) -> list[str]:
    """Temp files a write left in ``folder``."""
    return sorted(n for n in os.listdir(folder) if TEMP.fullmatch(n))


def data_of(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_bytes().decode("utf-8-sig"))


def notes(path: Path) -> list[str]:
    """Every progress note in the ledger, in file order."""
    return [e["note"] for c in data_of(path)["commitments"] for e in c.get("progress", [])]


def record(path: Path, cid: str, note: str, on: date = DAY, **values: Any) -> None:
    """One ``update`` through the real write path, in this process."""
    store.write_change(LedgerLocation(path), changes.new_progress(cid, on, note, **values))


def read_state(path: Path, commitments: int = BASE_COUNT) -> tuple[str, int]:
    """What a reader sees: ``("ok", entries)``, ``("parse error", 0)`` or ``("incomplete", 0)``.

    An empty or truncated TOML file can still parse, so completeness is judged on content.
    """
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return "parse error", 0
    items = data.get("commitments", [])
    if data.get("schema") != 1 or len(items) != commitments or "source" not in data:
        return "incomplete", 0
    return "ok", sum(len(c.get("progress", [])) for c in items)


def fork(fn: Callable[..., int | None], *args: Any) -> int:
    """Run ``fn(*args)`` in a forked child; its return value (or 70 on an exception) is the exit code."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 70
        try:
            code = fn(*args) or 0
        except BaseException as exc:  # noqa: BLE001 - report and leave the child
            os.write(2, f"child failed: {exc!r}\n".encode())
        finally:
            os._exit(code)
    return pid


def wait(pid: int) -> int:
    """The child's exit code; minus the signal number when a signal ended it."""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@dataclass
class Run:
    rc: int
    out: str
    err: str


def _cli_child(args: list[str], env: dict[str, str], out: int, err: int) -> int:  # pragma: no cover - the child
    os.dup2(out, 1)
    os.dup2(err, 2)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - the child exits right after
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    os.environ.update(env)
    for name in ("CYTRACK_LEDGER", "NO_COLOR", "CYTRACK_DEBUG"):
        if name not in env:
            os.environ.pop(name, None)
    sys.argv = ["cytrack", *args]
    from cytrack.__main__ import main

    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    else:
        code = 0
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def cli_forked(args: list[str], env: dict[str, str] | None = None) -> Run:
    """``cytrack ARGS`` in a forked child (the real entry point, in a real process)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        rc = wait(fork(_cli_child, [str(a) for a in args], env or {}, out.fileno(), err.fileno()))
        out.seek(0)
        err.seek(0)
        return Run(rc, out.read().decode(), err.read().decode())


def spawn_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CYTRACK_") and k != "NO_COLOR"}
    env["PYTHONPATH"] = str(ROOT / "src")
    env.update(extra)
    return env


def cli_spawned(args: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    """``python -m cytrack ARGS`` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "cytrack", *map(str, args)],
        env=spawn_env(**extra), capture_output=True, text=True, encoding="utf-8", timeout=60,
    )


def start_holder(path: Path, step: str = "temp_created") -> subprocess.Popen[str]:
    """A real ``cytrack update`` that takes the lock and freezes at ``step`` (``CYTRACK_HANG_AT``)."""
    args = ["--ledger", str(path), "update", "2-1", "--note", "holder", "--date", "2026-11-25"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "cytrack", *args],
        env=spawn_env(CYTRACK_HANG_AT=step), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert line == f"cytrack: paused at {step}\n", line
    return proc


# --- deliberately broken writers --------------------------------------------------------------


def inplace_replace(path: Path, data: bytes, fs: faults.FileSystem | None = None) -> None:
    """A non-atomic writer: truncates the ledger and writes it in place, in two halves."""
    with open(path, "r+b") as f:
        f.truncate(0)
        f.write(data[: len(data) // 2])
        f.flush()
        faults.crash_point("half_written")
        time.sleep(0.002)  # a slow disk: the half-written file is visible for a moment
        f.write(data[len(data) // 2 :])


class PidFileLock:
    """A lock that is a file created with O_EXCL and deleted on release: a killed holder leaves it behind.

    Same interface as ``cytrack.store.lock.NativeLock``, which it replaces in ``store``.
    """

    def __init__(self, path: str, timeout: float) -> None:
        self.path, self.timeout = path, timeout

    def acquire(self) -> None:
        from cytrack.store.lock import LockBusy

        deadline = time.monotonic() + self.timeout
        while True:
            try:
                os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                return
            except FileExistsError:
                if time.monotonic() > deadline:
                    raise LockBusy(self.path, self.timeout) from None
                time.sleep(0.01)

    def release(self) -> None:
        os.unlink(self.path)


@contextlib.contextmanager
def _no_lock(path: Path) -> Iterator[None]:
    yield


def break_writer(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """Swap one safeguard of the write path for a plausible mistake (``kind``)."""
    if kind == "nolock":  # read-modify-write with no lock (and no re-check before the replace)
        monkeypatch.setattr(store, "ledger_lock", _no_lock)
        monkeypatch.setattr(store, "_unchanged", lambda *a: None)
    elif kind == "inplace":  # writes the ledger in place instead of temp file + rename
        monkeypatch.setattr(store, "replace_ledger", inplace_replace)
    elif kind == "nofsync":  # never fsyncs the temp file before the rename
        monkeypatch.setattr(faults.FileSystem, "fsync", lambda self, fd: None)
    elif kind == "fsync-retry":  # ignores a failed fsync and goes on (the "fsyncgate" mistake)
        real = faults.FileSystem.fsync

        def fsync(self: faults.FileSystem, fd: int) -> None:
            with contextlib.suppress(OSError):
                real(self, fd)

        monkeypatch.setattr(faults.FileSystem, "fsync", fsync)
    elif kind == "pidfile-lock":  # a lock file that a killed holder leaves behind
        monkeypatch.setattr(store, "NativeLock", PidFileLock)
    elif kind == "rewrite":  # re-serialises the whole document: comments and layout are lost
        import tomlkit

        real_splice = writeview.View.splice

        def rewrite(self: writeview.View, e: writeview.Edit) -> bytes:
            return tomlkit.dumps(tomllib.loads(real_splice(self, e).decode("utf-8-sig"))).encode("utf-8")

        monkeypatch.setattr(writeview.View, "splice", rewrite)
    elif kind == "naive-place":  # appends at the raw end of the block, after comments that belong below
        for module in (edit, changes):
            monkeypatch.setattr(module, "content_end", lambda lines, start, stop: stop)
    else:
        raise ValueError(kind)


ERRNOS = {"EIO": errno.EIO, "ENOSPC": errno.ENOSPC}


def update_or_fail(path: Path, cid: str, note: str) -> bool:
    """One update; False when the write path refused or failed (counted by the workers)."""
    try:
        record(path, cid, note)
    except CytrackError:
        return False
    return True
