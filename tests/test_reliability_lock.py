"""The write lock: a held lock makes a writer wait and give up cleanly; a dead holder's lock is free.

The holders are real ``python -m cytrack update`` processes frozen inside their write
(``CYTRACK_HANG_AT``).  Each property is also run against a broken writer (one that
ignores the lock; one whose lock is a file a killed holder leaves behind).
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from reliability_kit import (
    break_writer,
    cli_forked,
    cli_spawned,
    fork,
    make_ledger,
    needs_fork,
    notes,
    start_holder,
    temps,
    wait,
)

from cytrack.store import write as store


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages here are checked word for word in English (tests/test_language.py checks the Chinese)."""
    monkeypatch.setenv("CYTRACK_LANG", "en")


UPDATE = ["update", "2-2", "--note", "second writer", "--date", "2026-11-25"]


def test_a_held_lock_makes_the_writer_give_up_with_exit_3(tmp_path):
    path = make_ledger(tmp_path)
    before = path.read_bytes()
    holder = start_holder(path, "temp_created")
    try:
        run = cli_spawned(["--ledger", path, *UPDATE], CYTRACK_LOCK_TIMEOUT="0.5", CYTRACK_LANG="en")
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 3
    assert run.stderr == (
        f"cytrack: {path}.lock: another cytrack is writing this ledger and kept it locked for 0.5 s;"
        " nothing was written. Try again in a moment.\n"
    )
    assert path.read_bytes() == before
    assert len(temps(tmp_path)) == 1  # the waiting writer did not touch the holder's temp file


@needs_fork
def test_a_writer_that_ignores_the_lock_changes_a_locked_ledger(tmp_path, monkeypatch):
    break_writer(monkeypatch, "nolock")
    path = make_ledger(tmp_path)
    before = path.read_bytes()
    holder = start_holder(path, "temp_created")
    try:
        run = cli_forked(["--ledger", path, *UPDATE], {"CYTRACK_LOCK_TIMEOUT": "0.5"})
    finally:
        holder.kill()
        holder.wait()
    assert run.rc == 0 and path.read_bytes() != before  # what the lock test forbids


def test_a_killed_lock_holder_leaves_nothing_to_clean_up(tmp_path):
    path = make_ledger(tmp_path)
    holder = start_holder(path, "after_fsync")
    assert len(temps(tmp_path)) == 1
    holder.kill()  # SIGKILL on POSIX
    holder.wait()
    run = cli_spawned(["--ledger", path, *UPDATE], CYTRACK_LOCK_TIMEOUT="5")
    assert run.returncode == 0, run.stderr
    assert temps(tmp_path) == []
    assert "second writer" in notes(path) and "holder" not in notes(path)


def _hold(path, ready: int) -> int:
    with store.ledger_lock(path):
        os.write(ready, b"x")
        while True:
            time.sleep(60)


@needs_fork
def test_a_pid_file_lock_left_by_a_killed_holder_blocks_the_next_writer(tmp_path, monkeypatch):
    break_writer(monkeypatch, "pidfile-lock")
    path = make_ledger(tmp_path)
    ready_r, ready_w = os.pipe()
    pid = fork(_hold, path, ready_w)
    assert os.read(ready_r, 1) == b"x"
    os.kill(pid, signal.SIGKILL)
    wait(pid)
    run = cli_forked(["--ledger", path, *UPDATE], {"CYTRACK_LOCK_TIMEOUT": "0.2"})
    assert run.rc == 3 and "second writer" not in notes(path)  # what the crashed-holder test forbids
