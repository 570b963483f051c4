"""The write protocol of ``store.py``: replace_ledger, the lock, stale temp files, re-checks, refusals."""

from __future__ import annotations

import os
import stat
import sys
from datetime import date
from pathlib import Path

import pytest

from cytrack.ledger.errors import LedgerUnusable, LockTimeout, ReadOnlyLedger, UsageError, WriteFailed
from cytrack.ledger.load import LedgerLocation, bundled_ledger_path
from cytrack.store import changes, faults
from cytrack.store import files as atomic
from cytrack.store import write as store
from cytrack.store.view import Edit, Outcome

LEDGER = """\
schema = 1

[[commitments]]
id = "1-1"
section = 1
title = "A"
lead = "L"
status = "not_started"
percent = 0
"""


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "commitments.toml"
    p.write_text(LEDGER, encoding="utf-8")
    return p


def _update(path: Path, note: str = "n") -> Edit:
    return store.write_change(LedgerLocation(path), changes.new_progress("1-1", date(2026, 1, 1), note))


def test_replace_file_writes_atomically_and_keeps_the_mode(tmp_path):
    target = tmp_path / "merged.toml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    inode = target.stat().st_ino
    store.replace_ledger(target, b"new \xe4\xb8\xad")
    assert target.read_bytes() == b"new \xe4\xb8\xad"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.stat().st_ino != inode
    assert os.listdir(tmp_path) == ["merged.toml"]


def test_replace_file_creates_a_missing_file(tmp_path):
    store.replace_ledger(tmp_path / "new.toml", b"x")
    assert (tmp_path / "new.toml").read_bytes() == b"x"


def test_replace_file_failure_removes_the_temp_and_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "c.toml"
    target.write_bytes(b"old")
    monkeypatch.setenv(faults.FAIL_ENV, "4:ENOSPC")  # mkstemp, chmod, write, write <- fails
    with pytest.raises(WriteFailed, match=r"cannot write the ledger \(No space left on device\); it was left") as info:
        store.replace_ledger(target, b"new")
    assert not info.value.replaced
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["c.toml"]


@pytest.mark.skipif(sys.platform == "win32", reason="the folder fsync is POSIX only")
def test_replace_file_failure_after_the_replace_says_the_new_file_is_in_place(tmp_path, monkeypatch):
    target = tmp_path / "c.toml"
    monkeypatch.setenv(faults.FAIL_ENV, "8:EIO")  # …, close, replace, open_dir, fsync_dir <- fails
    with pytest.raises(WriteFailed, match="the new ledger IS in place") as info:
        store.replace_ledger(target, b"new")
    assert info.value.replaced and target.read_bytes() == b"new"


def test_a_refused_replace_is_retried_on_windows(tmp_path, monkeypatch):
    target = tmp_path / "c.toml"
    target.write_bytes(b"old")
    refusals = [PermissionError(13, "in use"), PermissionError(13, "in use")]
    real = faults.FileSystem.replace

    def flaky(self, source, dest):  # type: ignore[no-untyped-def]
        if refusals:
            raise refusals.pop()
        real(self, source, dest)

    pauses: list[float] = []
    monkeypatch.setattr(atomic, "IS_WINDOWS", True)
    monkeypatch.setattr(faults.FileSystem, "replace", flaky)
    monkeypatch.setattr(atomic.time, "sleep", pauses.append)
    store.replace_ledger(target, b"new")
    assert target.read_bytes() == b"new" and pauses == [0.001, 0.01]  # the first try does not pause


def test_a_replace_refused_for_two_seconds_fails_cleanly_on_windows(tmp_path, monkeypatch):
    target = tmp_path / "c.toml"
    target.write_bytes(b"old")

    def refuse(self, source, dest):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Access is denied")

    pauses: list[float] = []
    monkeypatch.setattr(atomic, "IS_WINDOWS", True)
    monkeypatch.setattr(faults.FileSystem, "replace", refuse)
    monkeypatch.setattr(atomic.time, "sleep", pauses.append)
    with pytest.raises(WriteFailed, match="Access is denied"):
        store.replace_ledger(target, b"new")
    assert 1.9 < sum(pauses) < 2.5 and target.read_bytes() == b"old" and os.listdir(tmp_path) == ["c.toml"]


def test_the_lock_is_a_separate_file_and_times_out_with_its_name(path, monkeypatch):
    monkeypatch.setenv(store.LOCK_TIMEOUT_ENV, "0")
    with store.ledger_lock(path):
        assert (path.parent / "commitments.toml.lock").exists()
        with pytest.raises(LockTimeout, match=r"commitments.toml.lock: another cytrack is writing this ledger"):
            _update(path)
    assert path.read_text(encoding="utf-8") == LEDGER
    _update(path)  # released


@pytest.mark.parametrize("value", ["soon", "-1", "nan"])
def test_a_bad_lock_timeout_is_a_usage_error(monkeypatch, value):
    monkeypatch.setenv(store.LOCK_TIMEOUT_ENV, value)
    with pytest.raises(UsageError, match="CYTRACK_LOCK_TIMEOUT must be a number of seconds"):
        store.lock_timeout()


def test_stale_temp_files_of_this_ledger_only_are_removed(path):
    folder = path.parent
    stale = [".commitments.toml.abcd1234.tmp", ".commitments.toml.x_y_z_01.tmp"]
    kept = [".commitments.toml.bak.abcd1234.tmp", ".other.toml.abcd1234.tmp", "commitments.toml.abcd1234.tmp"]
    for name in stale + kept:
        (folder / name).write_text("x")
    _update(path)
    assert sorted(os.listdir(folder)) == sorted(["commitments.toml", "commitments.toml.lock", *kept])


def test_a_ledger_changed_during_the_write_is_not_replaced(path, monkeypatch):
    real_apply = changes.ProgressChange.apply

    def apply_while_an_editor_saves(self, view):  # type: ignore[no-untyped-def]
        edit = real_apply(self, view)
        path.write_text(LEDGER + "# saved by an editor\n", encoding="utf-8")
        return edit

    monkeypatch.setattr(changes.ProgressChange, "apply", apply_while_an_editor_saves)
    with pytest.raises(LedgerUnusable, match="was changed by another program"):
        _update(path)
    assert path.read_text(encoding="utf-8").endswith("# saved by an editor\n")


def test_the_bundled_copy_is_never_written():
    bundled = bundled_ledger_path()
    before = bundled.read_bytes()
    with pytest.raises(ReadOnlyLedger, match="read-only copy bundled with cytrack; run `cytrack init`"):
        store.write_change(LedgerLocation(bundled, bundled=True), changes.new_progress("2-3", date(2026, 1, 1), "x"))
    assert bundled.read_bytes() == before


def test_an_invalid_ledger_is_not_written_and_the_problems_have_lines(path):
    path.write_text(LEDGER.replace("percent = 0", "percent = 150"), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(LedgerUnusable, match="the ledger has 1 problem") as info:
        _update(path)
    assert info.value.details == [f"{path}:9: commitment 1-1: percent must be a whole number from 0 to 100, not 150"]
    assert path.read_bytes() == before


class _BadChange:
    """A change whose result breaks a rule (the store must refuse it, whoever made it)."""

    def __init__(self, expected: dict, lines: list[str]) -> None:
        self.expected, self.lines = expected, lines

    def apply(self, view) -> Edit:  # type: ignore[no-untyped-def]
        return Edit(2, 9, self.lines, 0, self.expected, Outcome("update", "1-1", "A", "done", 0))


def test_an_edit_that_breaks_a_rule_is_refused_with_its_line(path):
    block = LEDGER.split("\n", 2)[2].replace('status = "not_started"', 'status = "done"')
    expected = {"id": "1-1", "section": 1, "title": "A", "lead": "L", "status": "done", "percent": 0}
    before = path.read_bytes()
    with pytest.raises(LedgerUnusable, match="the change would leave the ledger with 1 problem") as info:
        store.write_change(LedgerLocation(path), _BadChange(expected, block.splitlines(keepends=True)))
    message = "commitment 1-1 is done but has no progress entry; record how it was delivered"
    assert info.value.details == [f"{path}:8: {message}"]
    assert path.read_bytes() == before


def test_an_edit_that_does_not_read_back_as_intended_is_refused(path):
    block = LEDGER.split("\n", 2)[2]
    expected = {"id": "1-1", "section": 1, "title": "A", "lead": "L", "status": "not_started", "percent": 5}
    with pytest.raises(LedgerUnusable, match="could not make this change without disturbing"):
        store.write_change(LedgerLocation(path), _BadChange(expected, block.splitlines(keepends=True)))


def test_a_duplicate_id_from_an_edit_is_refused(path):
    path.write_text(LEDGER + LEDGER.split("\n", 2)[2].replace('"1-1"', '"1-2"'), encoding="utf-8")
    block = LEDGER.split("\n", 2)[2].replace('"1-1"', '"1-2"')
    expected = {"id": "1-2", "section": 1, "title": "A", "lead": "L", "status": "not_started", "percent": 0}
    with pytest.raises(LedgerUnusable) as info:
        store.write_change(LedgerLocation(path), _BadChange(expected, block.splitlines(keepends=True)))
    assert info.value.details == [f"{path}:4: duplicate id '1-2': line 11 has it already"]


def test_bom_and_crlf_are_kept(path):
    path.write_bytes(b"\xef\xbb\xbf" + LEDGER.replace("\n", "\r\n").encode())
    _update(path, "中文")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n")
    assert raw.endswith('  note = "中文"\r\n'.encode())


def test_temp_files_are_new_private_and_named_for_the_stale_temp_sweep(tmp_path):
    ledger = tmp_path / "commitments.toml"
    made = [faults.make_temp_file(tmp_path, atomic.temp_prefix(ledger)) for _ in range(20)]
    try:
        names = {Path(name).name for _, name in made}
        assert len(names) == 20
        assert all(store._is_own_temp(ledger, name) for name in names)
        assert all(Path(name).is_absolute() and Path(name).parent == tmp_path for _, name in made)
        if os.name == "posix":
            assert {stat.S_IMODE(os.stat(name).st_mode) for _, name in made} == {0o600}
    finally:
        for fd, _ in made:
            os.close(fd)


def test_a_temp_file_never_takes_over_an_existing_name(tmp_path, monkeypatch):
    monkeypatch.setattr(faults.os, "urandom", lambda n: bytes(n))  # every name is the same: "aaaaaaaa"
    taken = tmp_path / ".x.aaaaaaaa.tmp"
    taken.write_bytes(b"someone's")
    with pytest.raises(FileExistsError):
        faults.make_temp_file(tmp_path, ".x.")
    assert taken.read_bytes() == b"someone's"
