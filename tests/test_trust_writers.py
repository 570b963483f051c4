"""Contract §10, outside writers and damaged files: a write never replaces a ledger another
program changed after cytrack read it, never takes a half-written file as its base, and a
damaged file is said to be damaged.  Special files are refused at once.

Each property is also run against a deliberately broken writer (the re-check made before the
temp file is written; no record of the last version seen), which must fail it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability_kit import BASE, cli_forked, cli_spawned, make_ledger, needs_fork, notes, spawn_env, temps

from cytrack.cache import seen as seen_record
from cytrack.store import faults
from cytrack.store import write as store


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages are checked word for word in English here (tests/test_language.py checks the Chinese)."""
    monkeypatch.setenv("CYTRACK_LANG", "en")


UPDATE = ["update", "2-2", "--note", "cytrack's note", "--date", "2026-11-25"]


def _big(n: int) -> str:
    """``BASE`` with ``n`` more commitments in section 3, each a few lines long."""
    extra = "".join(
        f'\n[[commitments]]\nid = "3-{k}"\nsection = 3\ntitle = "任务3-{k}"\nlead = "市经济信息委"\n'
        f'status = "not_started"\n'
        for k in range(1, n + 1)
    )
    return BASE + extra


# --- another program saves between cytrack's read and its replace ---------------------------------


def _other_program_saves_at_close(monkeypatch: pytest.MonkeyPatch, path: Path, other: bytes) -> None:
    """The first ``close`` of the write path (the synced temp file) is when another program saves."""
    real_close = faults.FileSystem.close
    done: list[bool] = []

    def close(self: faults.FileSystem, fd: int) -> None:
        real_close(self, fd)
        if not done:
            done.append(True)
            with open(path, "r+b") as f:  # an editor saving in place
                f.truncate(0)
                f.write(other)

    monkeypatch.setattr(faults.FileSystem, "close", close)


def _check_too_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """The broken writer: checks for outside changes before writing its temp file, not right before the replace."""
    real = store.replace_ledger

    def replace_ledger(path, data, fs=None):  # type: ignore[no-untyped-def]
        if fs is not None and fs.before_replace is not None:
            fs.before_replace()
            fs.before_replace = None
        real(path, data, fs)

    monkeypatch.setattr(store, "replace_ledger", replace_ledger)


@needs_fork
@pytest.mark.parametrize("broken", [False, True], ids=["ours", "checks-too-early"])
def test_a_ledger_changed_after_the_temp_file_was_synced_is_not_replaced(tmp_path, monkeypatch, broken):
    path = make_ledger(tmp_path)
    other = BASE.replace("启动", "编辑器里改的").encode()
    _other_program_saves_at_close(monkeypatch, path, other)
    if broken:
        _check_too_early(monkeypatch)
    run = cli_forked(["--ledger", path, *UPDATE])
    if broken:  # what the property forbids: the other program's save is lost
        assert run.rc == 0 and path.read_bytes() != other
        return
    assert run.rc == 3
    assert run.err == (
        f"cytrack: {path}: the ledger was changed by another program (an editor? git?) while this command was"
        " writing it; nothing was written and that program's version is kept. Run the command again.\n"
    )
    assert path.read_bytes() == other
    assert temps(tmp_path) == []


# --- a half-written base ------------------------------------------------------------------------------


def _half(text: str, keep: int) -> bytes:
    """The first ``keep`` commitments of ``text``: what an in-place save has written so far."""
    at = -1
    for _ in range(keep + 1):
        at = text.index("[[commitments]]\n", at + 1)
    return text[:at].encode()


@needs_fork
@pytest.mark.parametrize("broken", [False, True], ids=["ours", "no-record"])
def test_a_half_written_ledger_is_never_taken_as_the_base(tmp_path, monkeypatch, broken):
    text = _big(197)  # 200 commitments
    path = make_ledger(tmp_path, text)
    assert cli_forked(["--ledger", path, *UPDATE]).rc == 0  # cytrack saw all 200
    half = _half(path.read_text(encoding="utf-8"), 80)
    with open(path, "r+b") as f:  # another program truncated it and has written 80 so far
        f.truncate(0)
        f.write(half)
    old = time.time() - 60
    os.utime(path, (old, old))  # and then stalled (a slow disk, a delayed fsync)
    if broken:
        monkeypatch.setattr(seen_record, "missing", lambda known, ids: [])
    run = cli_forked(["--ledger", path, "update", "2-1", "--note", "on the half", "--date", "2026-11-26"])
    if broken:  # what the property forbids: 120 commitments dropped, exit 0
        assert run.rc == 0 and path.read_text(encoding="utf-8").count("[[commitments]]") == 80
        return
    assert run.rc == 3
    assert run.err == (
        f"cytrack: {path}: the ledger looks half-written by another program (an editor, git or a sync tool"
        " saving it right now?): it has 80 commitments, but the version cytrack last saw here had 200 (missing:"
        " 3-78, 3-79, 3-80, 3-81, 3-82, …); nothing was written. Wait until the other program has finished and"
        " run the command again; if those commitments were removed on purpose, run `cytrack validate` first.\n"
    )
    assert path.read_bytes() == half  # the other program's bytes are kept
    # Removed on purpose: validate records this version, and writes go on.
    assert cli_forked(["--ledger", path, "validate"]).rc == 0
    assert cli_forked(["--ledger", path, "update", "2-1", "--note", "accepted", "--date", "2026-11-26"]).rc == 0
    assert "accepted" in notes(path)


SLOW_SAVER = r"""
import sys, time

path, full, keep = sys.argv[1], open(sys.argv[2], "rb").read(), int(sys.argv[3])
with open(path, "r+b") as f:
    f.truncate(0)
    f.write(full[:keep])
    f.flush()
    print("half", flush=True)
    time.sleep(float(sys.argv[4]))  # as under strace with a delayed fsync
    f.write(full[keep:])
"""


def test_a_real_slow_in_place_save_is_refused_and_then_finishes(tmp_path):
    text = _big(197)
    path = make_ledger(tmp_path, text)
    first = cli_spawned(["--ledger", path, *UPDATE], CYTRACK_LANG="en")
    assert first.returncode == 0, first.stderr
    full = tmp_path / "full.bin"
    full.write_bytes(path.read_bytes())
    keep = len(_half(path.read_text(encoding="utf-8"), 80))
    saver = subprocess.Popen([sys.executable, "-c", SLOW_SAVER, str(path), str(full), str(keep), "4"],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert saver.stdout is not None and saver.stdout.readline() == "half\n"
        run = cli_spawned(
            ["--ledger", path, "update", "2-1", "--note", "during", "--date", "2026-11-26"], CYTRACK_LANG="en"
        )
    finally:
        saver.wait(timeout=30)
    assert run.returncode == 3, run.stderr
    assert "looks half-written by another program" in run.stderr
    assert path.read_bytes() == full.read_bytes()  # the other program finished its save, untouched


def test_a_ledger_that_keeps_changing_is_refused_after_the_settle_wait(tmp_path, monkeypatch):
    path = make_ledger(tmp_path)
    monkeypatch.setattr(store, "SETTLE_TRIES", 3)
    real = faults.FileSystem.read
    n = [0]

    def read(self, p, limit=None):  # type: ignore[no-untyped-def]
        n[0] += 1
        p.write_text(BASE + f"# save {n[0]}\n", encoding="utf-8")  # another program saves again and again
        return real(self, p, limit)

    monkeypatch.setattr(faults.FileSystem, "read", read)
    from reliability_kit import record

    with pytest.raises(store.LedgerUnusable, match="another program kept changing the ledger"):
        record(path, "2-1", "x")
    assert "x" not in notes(path)


# --- damaged and special files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "line", "what"),
    [
        ("zero-filled", 1, "a run of zero bytes, as a crash or a full disk leaves"),
        ("zero tail", 25, "a run of zero bytes, as a crash or a full disk leaves"),
        ("cut in a character", 13, "it ends inside a character"),
    ],
)
def test_a_damaged_ledger_is_called_damaged_not_utf16(tmp_path, damage, line, what):
    path = make_ledger(tmp_path)
    raw = BASE.encode()
    if damage == "zero-filled":
        path.write_bytes(b"\0" * len(raw))
    elif damage == "zero tail":
        cut = raw.index(b"[[commitments]]\nid = \"2-1\"")
        path.write_bytes(raw[:cut - 1] + b"\0" * 4096)
    else:
        cut = raw.index("经济社会".encode()) + 1
        path.write_bytes(raw[:cut])
    for args in (["list"], UPDATE):
        run = cli_spawned(["--ledger", path, *args], CYTRACK_LANG="en")
        assert run.returncode == 3
        assert run.stderr == (
            f"cytrack: {path}:{line}: the ledger is damaged ({what}); restore it (`git checkout -- {path}`,"
            " or the backup).\n"
        )
        assert "UTF-16" not in run.stderr


def test_a_ledger_cut_in_the_middle_of_a_line_says_truncated(tmp_path):
    path = make_ledger(tmp_path)
    path.write_bytes(BASE.encode()[: BASE.encode().index(b"lead = \"\xe5\xb8\x82\xe5\x8f\x91") + 4])
    run = cli_spawned(["--ledger", path, "list"], CYTRACK_LANG="en")
    assert run.returncode == 3
    assert "the file ends in the middle of a line, so it looks truncated (damaged): restore it" in run.stderr
    assert f"(`git checkout -- {path}`, or the backup)" in run.stderr


def test_utf16_is_still_called_utf16(tmp_path):
    path = tmp_path / "commitments.toml"
    path.write_bytes(BASE.encode("utf-16-le"))
    run = cli_spawned(["--ledger", path, "list"], CYTRACK_LANG="en")
    assert run.returncode == 3 and "UTF-16" in run.stderr and "damaged" not in run.stderr


@pytest.mark.parametrize("kind", ["fifo", "dev-zero-link"])
@pytest.mark.parametrize("command", [["list"], ["validate"], UPDATE])
def test_a_special_file_as_ledger_is_refused_at_once(tmp_path, kind, command):
    path = tmp_path / "commitments.toml"
    if kind == "fifo":
        os.mkfifo(path)
        what = "a FIFO (named pipe)"
    else:
        os.symlink("/dev/zero", path)
        what = "a device"
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "cytrack", "--ledger", str(path), *command],
                         env=spawn_env(CYTRACK_LANG="en"), capture_output=True, text=True, timeout=30)
    assert run.returncode == 3
    assert f": is {what}, not a ledger file; cytrack reads only plain files.\n" in run.stderr
    assert time.monotonic() - start < 20


@needs_fork
def test_a_plain_open_hangs_on_a_fifo_ledger(tmp_path):
    """The negative control: reading the ledger with a plain open blocks on a FIFO."""
    path = tmp_path / "commitments.toml"
    os.mkfifo(path)
    from reliability_kit import fork, wait

    pid = fork(lambda: len(path.read_bytes()))
    time.sleep(0.5)
    assert os.waitpid(pid, os.WNOHANG) == (0, 0)  # still blocked
    os.kill(pid, 9)
    assert wait(pid) == -9


@pytest.mark.parametrize("broken", [False, True], ids=["ours", "skips-special-files"])
def test_a_fifo_as_included_file_is_refused_at_once(tmp_path, monkeypatch, broken):
    entry = tmp_path / "office.toml"
    entry.write_text('schema = 1\ninclude = ["replies/*.toml"]\n', encoding="utf-8")
    (tmp_path / "replies").mkdir()
    os.mkfifo(tmp_path / "replies" / "1181.toml")
    if broken:  # the included file silently left out: the ledger looks complete but is not
        from cytrack.ledger import office

        real = office.matches
        monkeypatch.setattr(office, "matches", lambda e, p: [x for x in real(e, p) if os.path.isfile(x)])
        assert cli_forked(["--ledger", entry, "list"]).rc == 0
        return
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "cytrack", "--ledger", str(entry), "list"],
                         env=spawn_env(CYTRACK_LANG="en"), capture_output=True, text=True, timeout=30)
    assert run.returncode == 3
    assert "1181.toml:1: is a FIFO (named pipe), not a ledger file; cytrack reads only plain files." in run.stderr
    assert time.monotonic() - start < 20


def test_the_record_of_the_last_version_seen_reads_back_and_refuses_what_is_not_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv("CYTRACK_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir(mode=0o700)  # as the first cached read makes it
    ledger, other = tmp_path / "a.toml", tmp_path / "b.toml"
    assert seen_record.last_seen(ledger) is None  # no record: no check
    seen_record.remember(ledger, ["1-1", "2-3"], "abc123")
    assert seen_record.last_seen(ledger) == seen_record.Seen(("1-1", "2-3"), "abc123")
    assert seen_record.last_seen(other) is None
    seen_record.remember(other, [], "d")
    assert seen_record.last_seen(other) == seen_record.Seen((), "d")
    record = next(p for p in (tmp_path / "cache").iterdir() if p.name.startswith("seen-") and
                  str(ledger) in p.read_text(encoding="utf-8"))
    record.write_bytes(b"\xff\xfe garbage")  # damaged: read as no record, never an error
    assert seen_record.last_seen(ledger) is None
    record.write_text(f"cytrack-seen 1\n{os.path.realpath(other)}\nd\n", encoding="utf-8")  # another ledger's
    assert seen_record.last_seen(ledger) is None
    seen_record.remember(ledger, ["1-1", "x\ny"], "abc")  # a line break would misread: no record at all
    assert seen_record.last_seen(ledger) is None
