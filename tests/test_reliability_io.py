"""I/O errors anywhere in the write path: old ledger (or new, said so), one clean line, no temp file.

As in SQLite's I/O-error tests, the k-th filesystem call of an update fails
(``CYTRACK_FAIL_FS=k:EIO`` / ``k:ENOSPC``) for every k until the update gets through.
Since a crash test cannot see a missing fsync, the order of the calls is checked too.
Both properties are run against a broken writer to show that they can fail.
"""

from __future__ import annotations

import errno
import os

import pytest
from reliability_kit import (
    ERRNOS,
    break_writer,
    cli_forked,
    make_ledger,
    needs_fork,
    record,
    temps,
)

from cytrack.store import faults
from cytrack.store import write as store


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages here are checked word for word in English (tests/test_language.py checks the Chinese)."""
    monkeypatch.setenv("CYTRACK_LANG", "en")


UPDATE = ["update", "2-1", "--note", "io test", "--date", "2026-11-25"]


def _calls(tmp_path, monkeypatch) -> list[str]:
    """The filesystem calls of one update, in order, recorded in this process."""
    made: list[faults.FileSystem] = []

    class Recording(faults.FileSystem):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    with monkeypatch.context() as m:
        m.setattr(store, "FileSystem", Recording)
        folder = tmp_path / "trace"
        folder.mkdir()
        record(make_ledger(folder), "2-1", "io test")
    return made[0].names


def _violations(tmp_path, monkeypatch, name: str) -> tuple[int, list[str]]:
    """Fail call k = 1, 2, … of an update with errno ``name``; what broke the promises, per k."""
    calls = _calls(tmp_path, monkeypatch)
    replace_at = calls.index("replace") + 1
    reference = tmp_path / "reference"
    reference.mkdir()
    new = make_ledger(reference)
    record(new, "2-1", "io test")
    new_bytes = new.read_bytes()
    found = []
    for k in range(1, len(calls) + 2):
        folder = tmp_path / f"{name}-{k}"
        folder.mkdir()
        path = make_ledger(folder)
        old = path.read_bytes()
        run = cli_forked(["--ledger", path, *UPDATE], {"CYTRACK_FAIL_FS": f"{k}:{name}"})
        now = path.read_bytes()
        if k > len(calls):
            if run.rc != 0 or now != new_bytes:
                found.append(f"k={k}: no failure injected, yet rc={run.rc}")
            continue
        lines = run.err.splitlines()
        clean = len(lines) == 1 and lines[0].startswith("cytrack: ") and os.strerror(ERRNOS[name]) in lines[0]
        if run.rc != 3 or not clean or "Traceback" in run.err or run.out:
            found.append(f"k={k} ({calls[k - 1]}): rc={run.rc}, stderr={run.err!r}")
        if k > replace_at and (now != new_bytes or "IS in place" not in run.err):
            found.append(f"k={k} ({calls[k - 1]}): after the replace, but the new ledger is not reported in place")
        if k <= replace_at and now != old:
            found.append(f"k={k} ({calls[k - 1]}): the ledger changed although the write failed")
        if temps(folder):
            found.append(f"k={k} ({calls[k - 1]}): temp file left: {temps(folder)}")
    return len(calls), found


@needs_fork
@pytest.mark.parametrize("name", ["EIO", "ENOSPC"])
def test_every_failing_filesystem_call_is_reported_cleanly(tmp_path, monkeypatch, name):
    count, found = _violations(tmp_path, monkeypatch, name)
    assert count >= 12 and found == []


@needs_fork
def test_the_loop_catches_a_writer_that_carries_on_after_a_failed_fsync(tmp_path, monkeypatch):
    break_writer(monkeypatch, "fsync-retry")
    _, found = _violations(tmp_path, monkeypatch, "EIO")
    assert any("(fsync)" in v for v in found), found


def _durable_order(names: list[str]) -> bool:
    """Data written, then fsynced, then renamed into place, then the folder fsynced."""
    if "fsync" not in names or "replace" not in names:
        return False
    last_write = max(i for i, n in enumerate(names) if n == "write")
    fsync, replace = names.index("fsync"), names.index("replace")
    return last_write < fsync < replace < names.index("fsync_dir")


def test_the_temp_file_is_fsynced_before_the_replace_and_the_folder_after(tmp_path, monkeypatch):
    assert _durable_order(_calls(tmp_path, monkeypatch))


def test_the_order_check_catches_a_writer_without_fsync(tmp_path, monkeypatch):
    break_writer(monkeypatch, "nofsync")
    assert not _durable_order(_calls(tmp_path, monkeypatch))


def test_fail_spec_is_checked():
    os.environ.pop(faults.FAIL_ENV, None)
    assert faults._parse_fail(None) == (0, 0)
    assert faults._parse_fail("3:enospc") == (3, errno.ENOSPC)
    with pytest.raises(Exception, match="CYTRACK_FAIL_FS must look like"):
        faults._parse_fail("x:EIO")
