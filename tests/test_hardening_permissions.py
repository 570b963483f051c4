"""Read-only and unreadable ledgers and folders, tried by an unprivileged user.

As root every file is writable, so these tests run ``python -m cytrack`` as ``nobody``
(``setpriv``) on a copy of the ledger in a world-readable folder.  When the tests already
run unprivileged they run cytrack directly; as root without ``setpriv`` they skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hardening import command_paths, leaks, realistic_ledger

NOBODY = 65534
AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _prefix() -> list[str]:
    if not ROOT:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root and setpriv is missing: a read-only file would prove nothing")
    probe = subprocess.run([*AS_NOBODY, sys.executable, "-c", "import cytrack"], capture_output=True, timeout=60)
    if probe.returncode != 0:
        pytest.skip(f"cannot run Python as nobody here: {probe.stderr.decode(errors='replace')[-200:]}")
    return AS_NOBODY


@pytest.fixture
def folder() -> Iterator[Path]:
    """A world-readable folder (pytest's tmp_path sits under a 0700 folder nobody cannot enter)."""
    made = Path(tempfile.mkdtemp(prefix="cytrack-perm-"))
    made.chmod(0o755)
    (made / "commitments.toml").write_text(realistic_ledger(), encoding="utf-8")
    give(made, 0o755)
    give(made / "commitments.toml", 0o644)
    yield made
    for path in (made, *made.rglob("*")):
        path.chmod(0o700 if path.is_dir() else 0o600)
    shutil.rmtree(made)


def give(path: Path, mode: int, *, to_nobody: bool = True) -> None:
    """Set ``mode``; as root also hand the path to nobody (or keep it root's)."""
    if ROOT:
        os.chown(path, NOBODY if to_nobody else 0, NOBODY if to_nobody else 0)
    path.chmod(mode)


def cytrack(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),
        "PYTHONDONTWRITEBYTECODE": "1",
        "NO_COLOR": "1",
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "CYTRACK_LANG": "en",  # the messages below are checked word for word in English
    }
    return subprocess.run(
        [*_prefix(), sys.executable, "-m", "cytrack", "--ledger", str(folder / "commitments.toml"), *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


WRITES = {
    "update": ["update", "2-1", "--note", "第二批项目开工。", "--date", "2026-11-24"],
    "extend": ["extend", "2-1", "--to", "2026-12-31", "--reason", "资金下达推迟。", "--date", "2026-11-24"],
    "add": ["add", "--section", "2", "--title", "新事项", "--lead", "市经济信息委"],
}


def needs(command: str) -> None:
    assert command in command_paths(), command


def assert_refused(folder: Path, result: subprocess.CompletedProcess[str], before: bytes) -> None:
    assert result.returncode == 3, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("cytrack: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and leaks(result.stderr) == []
    assert (folder / "commitments.toml").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) in (
        ["commitments.toml"],
        ["commitments.toml", "commitments.toml.lock"],
    ), "a temporary file was left behind"


def test_the_harness_can_write_when_allowed(folder):
    """Without this the refusals below could come from a broken setup rather than from permissions."""
    needs("update")
    result = cytrack(folder, *WRITES["update"])
    assert result.returncode == 0, result.stderr
    assert "第二批项目开工。" in (folder / "commitments.toml").read_text(encoding="utf-8")


def test_a_lock_file_made_by_another_user_and_only_readable_still_locks(folder):
    """A shared folder: a colleague's run left the lock file, and it is theirs (mode 644)."""
    needs("update")
    lock = folder / "commitments.toml.lock"
    lock.write_bytes(b"")
    give(lock, 0o644, to_nobody=False)
    if not ROOT:
        lock.chmod(0o444)
    result = cytrack(folder, *WRITES["update"])
    assert result.returncode == 0, result.stderr
    assert "第二批项目开工。" in (folder / "commitments.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["list"], ["validate"], ["show", "2-1"]], ids=["list", "validate", "show"])
def test_an_unreadable_ledger_exits_3(folder, args):
    ledger = folder / "commitments.toml"
    give(ledger, 0o600, to_nobody=False)
    if not ROOT:
        ledger.chmod(0o000)
    before = ledger.read_bytes()
    result = cytrack(folder, *args)
    assert result.returncode == 3
    assert result.stderr == f"cytrack: {ledger}: the ledger cannot be read (permission denied).\n"
    assert ledger.read_bytes() == before


def test_a_folder_that_cannot_be_entered_exits_3(folder):
    inner = folder / "locked"
    inner.mkdir()
    shutil.copy(folder / "commitments.toml", inner / "commitments.toml")
    give(inner, 0o700, to_nobody=False)
    if not ROOT:
        inner.chmod(0o000)
    result = subprocess.run(
        [*_prefix(), sys.executable, "-m", "cytrack", "--ledger", str(inner / "commitments.toml"), "list"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=folder,
        env={
            "PATH": os.environ.get("PATH", ""), "HOME": str(folder),
            "PYTHONDONTWRITEBYTECODE": "1", "CYTRACK_LANG": "en",
        },
        timeout=120,
    )
    inner.chmod(0o700)
    assert result.returncode == 3
    assert result.stderr == f"cytrack: {inner / 'commitments.toml'}: the ledger cannot be read (permission denied).\n"


@pytest.mark.parametrize("command", sorted(WRITES))
@pytest.mark.parametrize("lock_exists", [False, True], ids=["no lock file yet", "lock file exists"])
def test_a_read_only_folder_refuses_writes(folder, command, lock_exists):
    needs(command)
    if lock_exists:
        (folder / "commitments.toml.lock").write_bytes(b"")
        give(folder / "commitments.toml.lock", 0o644)
    give(folder, 0o555)
    before = (folder / "commitments.toml").read_bytes()
    assert_refused(folder, cytrack(folder, *WRITES[command]), before)
    reading = cytrack(folder, "list", "--format", "json")
    assert reading.returncode == 0, "reading must not need a writable folder"


@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_read_only_ledger_refuses_writes(folder, command):
    needs(command)
    give(folder / "commitments.toml", 0o444)
    before = (folder / "commitments.toml").read_bytes()
    assert_refused(folder, cytrack(folder, *WRITES[command]), before)


def test_a_ledger_owned_by_someone_else_refuses_writes(folder):
    needs("update")
    if not ROOT:
        pytest.skip("needs root to give the ledger to another user")
    give(folder / "commitments.toml", 0o644, to_nobody=False)
    before = (folder / "commitments.toml").read_bytes()
    assert_refused(folder, cytrack(folder, *WRITES["update"]), before)


@pytest.mark.parametrize("kind", ["csv", "xlsx", "json"])
def test_export_into_a_read_only_folder_exits_3(folder, kind):
    needs("export")
    out = folder / "out"
    out.mkdir()
    give(out, 0o555)
    result = cytrack(folder, "export", "--output", str(out / f"台账.{kind}"))
    assert result.returncode == 3, result.stderr
    assert result.stderr.startswith(f"cytrack: {out / f'台账.{kind}'} cannot be written (Permission denied)")
    assert list(out.iterdir()) == []


def test_init_into_a_read_only_folder_exits_3(folder):
    needs("init")
    out = folder / "new"
    out.mkdir()
    give(out, 0o555)
    result = cytrack(folder, "init", str(out / "commitments.toml"))
    assert result.returncode == 3, result.stderr
    assert "Permission denied" in result.stderr and "Traceback" not in result.stderr
    assert list(out.iterdir()) == []
