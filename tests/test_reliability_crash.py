"""A crash at any moment of a write leaves the old ledger or the new one, never a mix.

Named crash points stop a real ``python -m cytrack update`` at each step of the write;
``kill -9`` at random moments hits forked writers looping over updates.  The next
write then proceeds and removes the temp file the crash left.  A non-atomic (in-place)
writer is run through the same procedures to show that they catch it.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import time

import pytest
from reliability_kit import (
    BASE,
    CIDS,
    break_writer,
    cli_forked,
    cli_spawned,
    fork,
    make_ledger,
    needs_fork,
    notes,
    read_state,
    record,
    temps,
    wait,
)

from cytrack.ledger.load import load_ledger
from cytrack.store.faults import CRASH_EXIT, CRASH_POINTS

# 200 trials take about 8 s on the 2-core development machine.
KILL_TRIALS = 200
UPDATE = ["update", "2-1", "--note", "crash test", "--date", "2026-11-25", "--percent", "5"]


def _expected_new(tmp_path):
    """The bytes the update in ``UPDATE`` produces, made by a run that is not interrupted."""
    folder = tmp_path / "reference"
    folder.mkdir()
    path = make_ledger(folder)
    record(path, "2-1", "crash test", percent=5)
    return path.read_bytes()


@pytest.mark.parametrize("step", CRASH_POINTS)
def test_crash_at_each_named_step_leaves_old_or_new(tmp_path, step):
    path = make_ledger(tmp_path)
    old, new = path.read_bytes(), _expected_new(tmp_path)
    crashed = cli_spawned(["--ledger", path, *UPDATE], CYTRACK_CRASH_AT=step)
    assert crashed.returncode == CRASH_EXIT and crashed.stderr == ""
    assert path.read_bytes() == (new if step == "after_replace" else old)
    assert bool(temps(tmp_path)) == (step != "after_replace")  # a crash before the replace leaves its temp file
    after = cli_spawned(["--ledger", path, "update", "2-2", "--note", "next run", "--date", "2026-11-26"])
    assert after.returncode == 0, after.stderr
    assert temps(tmp_path) == []
    assert notes(path)[-1] == "next run" and ("crash test" in notes(path)) == (step == "after_replace")
    assert load_ledger(path).ledger is not None


@needs_fork
def test_an_inplace_writer_crashing_half_way_leaves_a_broken_ledger(tmp_path, monkeypatch):
    """The same procedure catches a writer that writes the ledger in place."""
    break_writer(monkeypatch, "inplace")
    path = make_ledger(tmp_path)
    old, new = path.read_bytes(), _expected_new(tmp_path)
    crashed = cli_forked(["--ledger", path, *UPDATE], {"CYTRACK_CRASH_AT": "half_written"})
    assert crashed.rc == CRASH_EXIT
    assert path.read_bytes() not in (old, new)
    assert read_state(path)[0] != "ok"


def _update_forever(path, ready: int) -> int:
    """Update the ledger until killed; after the first update, say so on ``ready`` (a pipe)."""
    j = 0
    while True:
        record(path, CIDS[j % len(CIDS)], f"k-{j}")
        if j == 0:
            os.write(ready, b"w")
            os.close(ready)
        j += 1


_KILLED_NOTE = re.compile(r"k-(\d+)")


def _start_writer(path) -> int:
    """Fork the looping writer and return once its first update is on disk, so kills land inside its
    loop however late a loaded machine starts it: the child says so on a pipe (no clock involved)."""
    ready, told = os.pipe()
    pid = fork(_update_forever, path, told)
    os.close(told)
    got = os.read(ready, 1)  # b"" when the child ended without writing: its end of the pipe closed
    os.close(ready)
    assert got == b"w", f"the writer ended before its first update (exit {wait(pid)})"
    return pid


def _kill_trials(tmp_path, trials: int, until=None, most: int = 0) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Kill a looping writer at a random moment, check the ledger, then write once more.

    ``trials`` trials at least; then, while ``until(seen)`` is false, more, up to ``most`` in all
    (a loaded machine may need more random moments before one lands where the test needs it).
    """
    rng = random.Random(1181)
    seen = {"trials": 0, "bad": 0, "temp left": 0, "temp left after next run": 0}
    trial = 0
    while trial < trials or (until is not None and not until(seen) and trial < most):
        folder = tmp_path / str(trial)
        trial += 1
        folder.mkdir()
        path = make_ledger(folder, BASE)
        pid = _start_writer(path)
        time.sleep(rng.uniform(0.0, 0.04))  # a random moment of the loop (not a measurement)
        os.kill(pid, signal.SIGKILL)
        assert wait(pid) == -signal.SIGKILL
        seen["trials"] += 1
        state, _ = read_state(path)
        found = notes(path) if state == "ok" else []
        done = sorted(int(m.group(1)) for n in found if (m := _KILLED_NOTE.fullmatch(n)))
        if state != "ok" or done != list(range(len(done))):  # the ledger of exactly the first len(done) updates
            seen["bad"] += 1
            continue
        seen["temp left"] += bool(temps(folder))
        record(path, "2-2", "next run")
        seen["temp left after next run"] += bool(temps(folder))
        shutil.rmtree(folder)
    return seen


@needs_fork
def test_kill_9_at_random_moments_leaves_old_or_new(tmp_path):
    seen = _kill_trials(tmp_path, KILL_TRIALS, until=lambda s: s["temp left"] > 0, most=10 * KILL_TRIALS)
    assert seen["trials"] >= KILL_TRIALS and seen["bad"] == 0 and seen["temp left after next run"] == 0, seen
    assert seen["temp left"] > 0, f"no kill landed between temp file and replace: {seen}"


@needs_fork
def test_kill_9_catches_an_inplace_writer(tmp_path, monkeypatch):
    break_writer(monkeypatch, "inplace")
    seen = _kill_trials(tmp_path, 1, until=lambda s: s["bad"] > 0, most=600)  # usually within 40
    assert seen["bad"] > 0, f"kill -9 never caught the in-place writer half-way: {seen}"
