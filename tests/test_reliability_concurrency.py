"""Concurrent writers lose nothing, and a reader never sees a half-written ledger.

Both properties are also run against a broken writer (no lock; a non-atomic in-place
write) to show that the test can fail.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import time

import pytest
from reliability_kit import (
    CIDS,
    break_writer,
    fork,
    make_ledger,
    needs_fork,
    notes,
    read_state,
    update_or_fail,
    wait,
)

from cytrack.ledger.load import load_ledger

pytestmark = needs_fork


READS_PER_UPDATE = 10


def _writer(path, worker: int, count: int, pace=None) -> int:
    """Exit code = how many of this worker's updates failed.

    With ``pace`` (shared counters of reads done and updates started) a writer starts its next
    update only once the reader has read ``READS_PER_UPDATE`` times per update started, this one
    included.  The writer claims its turn under the counter's lock, so two writers never start on
    the same reads: the k-th update starts after the k * ``READS_PER_UPDATE``-th read, the last one
    after the 1,000th, and the reader's figure does not depend on how busy the machine is.
    """
    failed = 0
    for j in range(count):
        if pace is not None:
            reads, started = pace
            while True:
                with started.get_lock():
                    if reads.value >= READS_PER_UPDATE * (started.value + 1):
                        started.value += 1
                        break
                time.sleep(0.0005)  # waiting for the reader, not measuring time
        if not update_or_fail(path, CIDS[(worker + j) % len(CIDS)], f"w{worker}-{j}"):
            failed += 1
    return failed


def _run_writers(path, workers: int, count: int) -> tuple[int, list[str]]:
    pids = [fork(_writer, path, w, count) for w in range(workers)]
    failed = sum(wait(pid) for pid in pids)
    return failed, notes(path)


def _lost_or_duplicated(expected: list[str], found: list[str]) -> tuple[int, int]:
    counts = collections.Counter(found)
    return sum(1 for n in expected if counts[n] == 0), sum(c - 1 for c in counts.values() if c > 1)


def test_eight_writers_fifty_updates_each_keep_all_400(tmp_path, monkeypatch):
    # Waiting writers poll the lock; on a busy machine one may wait a long time, which is not
    # what this test is about (test_reliability_lock is), so the wait is long here.
    monkeypatch.setenv("CYTRACK_LOCK_TIMEOUT", "120")
    path = make_ledger(tmp_path)
    failed, found = _run_writers(path, 8, 50)
    expected = [f"w{w}-{j}" for w in range(8) for j in range(50)]
    present = sum(1 for n in expected if n in set(found))
    assert (failed, present) == (0, 400), f"{failed} updates failed, {present}/400 present"
    assert _lost_or_duplicated(expected, found) == (0, 0)
    assert load_ledger(path).ledger is not None  # still valid
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]


def test_writers_without_the_lock_lose_updates(tmp_path, monkeypatch):
    break_writer(monkeypatch, "nolock")
    path = make_ledger(tmp_path)
    failed, found = _run_writers(path, 4, 20)
    expected = [f"w{w}-{j}" for w in range(4) for j in range(20)]
    lost, _ = _lost_or_duplicated(expected, found)
    assert failed + lost > 0, "a writer without the lock lost nothing: the test cannot see lost updates"


def _reader(path, writers: list[int], reads=None) -> collections.Counter[str]:
    """Read in a loop while the writers run; count what was seen."""
    seen: collections.Counter[str] = collections.Counter()
    last = 0
    running = set(writers)
    while running:
        state, entries = read_state(path)
        if state == "ok" and entries < last:
            state = "went backwards"
        last = max(last, entries)
        seen[state] += 1
        if reads is not None:
            reads.value += 1
        for pid in list(running):
            if os.waitpid(pid, os.WNOHANG)[0]:
                running.discard(pid)
    return seen


@pytest.mark.parametrize("writer", ["real", "inplace"])
def test_reader_never_sees_an_incomplete_ledger(tmp_path, monkeypatch, writer):
    if writer != "real":
        break_writer(monkeypatch, writer)
    path = make_ledger(tmp_path)
    # The writers wait for the reader (10 reads per update started), so on a busy machine too
    # the reader reads at least 1,000 times while the 100 updates land.
    reads, started = multiprocessing.Value("i", 0), multiprocessing.Value("i", 0)
    seen = _reader(path, [fork(_writer, path, w, 25, (reads, started)) for w in range(4)], reads)
    bad = sum(n for state, n in seen.items() if state != "ok")
    if writer == "real":
        assert seen["ok"] >= 1000 and bad == 0, seen
        assert len(notes(path)) == 1 + 100
    else:
        assert bad > 0, f"the reader never caught the in-place writer mid-write: {seen}"
