"""Contract §10, paths: no output lands on a ledger or its lock however the path is spelled;
a symlinked ledger is written through to its target; a lock path that is a symlink is refused.

Each property is also run against a deliberately broken variant (names compared as strings;
the link replaced instead of its target; the lock opened through a symlink), which must fail it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from reliability_kit import cli_forked, cli_spawned, make_ledger, needs_fork, notes

from cytrack.store import lock as lockmod
from cytrack.store import outputs
from cytrack.store import write as store


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusals are checked word for word in English here (tests/test_language.py checks the Chinese)."""
    monkeypatch.setenv("CYTRACK_LANG", "en")


NOTE = ["update", "2-1", "--note", "through the link", "--date", "2026-11-25"]


def _spellings(tmp_path: Path, ledger: Path) -> dict[str, Path]:
    """Ways to name the ledger (and its lock) other than the path it was given as."""
    (tmp_path / "sub").mkdir()
    os.link(ledger, tmp_path / "hard.toml")
    os.symlink(ledger, tmp_path / "soft.toml")
    os.symlink(tmp_path / "missing.lock", tmp_path / "to-lock")  # the lock does not exist yet
    return {
        "same": ledger,
        "relative-dotdot": Path("sub") / ".." / ledger.name,
        "symlink": tmp_path / "soft.toml",
        "hard link": tmp_path / "hard.toml",
        "lock": Path(ledger.name + ".lock"),
        "dangling link to the lock": tmp_path / "to-lock",
    }


def _names_only(target: Path | str, protected: object) -> None:
    """The broken check: compares the names as given."""
    for p in protected:  # type: ignore[attr-defined]
        if str(target) == str(p):
            raise outputs.UsageError("same name")


def _files(folder: Path) -> dict[str, tuple[str, object]]:
    """Every name in ``folder``: a symlink's target, a file's bytes and inode."""
    return {
        p.name: ("link", os.readlink(p)) if p.is_symlink() else ("file", (p.read_bytes(), p.stat().st_ino))
        for p in folder.iterdir() if p.is_symlink() or p.is_file()
    }


def _report(path: Path, out: Path, cwd: Path) -> tuple[int, str]:
    os.chdir(cwd)
    if out.name == "to-lock":
        path = cwd / "missing"  # the ledger whose lock ``missing.lock`` would be
    run = cli_forked(["--ledger", path, "report", "weekly", "--week", "2026-W48", "--output", out])
    return run.rc, run.err


@needs_fork
@pytest.mark.parametrize(
    "kind", ["same", "relative-dotdot", "symlink", "hard link", "lock", "dangling link to the lock"]
)
@pytest.mark.parametrize("broken", [False, True], ids=["ours", "names-compared"])
def test_no_output_lands_on_the_ledger_or_its_lock(tmp_path, monkeypatch, kind, broken):
    ledger = make_ledger(tmp_path)
    target = _spellings(tmp_path, ledger)[kind]
    cwd = os.getcwd()
    if broken:
        monkeypatch.setattr(outputs, "refuse_protected", _names_only)
    (tmp_path / "missing").write_bytes(ledger.read_bytes())
    before = _files(tmp_path)
    try:
        rc, err = _report(ledger, target, tmp_path)
    finally:
        os.chdir(cwd)
    if broken and kind == "same":
        assert rc == 2  # the one spelling a name comparison catches
        return
    if broken:
        assert rc == 0 and _files(tmp_path) != before  # what the property forbids
        return
    assert rc == 2, err
    assert "an output never overwrites a ledger or its lock. Nothing was written; give another file name." in err
    assert _files(tmp_path) == before


def test_export_to_a_hard_link_of_the_ledger_is_refused_before_reading(tmp_path):
    ledger = make_ledger(tmp_path)
    os.link(ledger, tmp_path / "copy.csv")
    before = ledger.read_bytes()
    run = cli_spawned(
        ["--ledger", ledger, "export", "--format", "csv", "--output", tmp_path / "copy.csv"], CYTRACK_LANG="en"
    )
    assert run.returncode == 2
    assert run.stderr == (
        f"cytrack: {tmp_path / 'copy.csv'} is the ledger file {ledger}; an output never overwrites a ledger or its"
        " lock. Nothing was written; give another file name.\n"
    )
    assert ledger.read_bytes() == before


def test_protected_paths_take_any_number_of_ledger_files(tmp_path):
    entry, included = make_ledger(tmp_path), make_ledger(tmp_path, name="2024-0001.toml")
    protected = outputs.protected_paths([entry, included])
    for bad in (included, tmp_path / "2024-0001.toml.lock", tmp_path / "." / "commitments.toml.lock"):
        with pytest.raises(outputs.UsageError):
            outputs.refuse_protected(bad, protected)
    outputs.refuse_protected(tmp_path / "report.md", protected)  # anything else is fine


def _linked(tmp_path: Path) -> tuple[Path, Path]:
    real_dir, link_dir = tmp_path / "real", tmp_path / "work"
    real_dir.mkdir()
    link_dir.mkdir()
    target = make_ledger(real_dir)
    link = link_dir / "commitments.toml"
    os.symlink(target, link)
    return target, link


@pytest.mark.parametrize("broken", [False, True], ids=["ours", "link-replaced"])
def test_a_symlinked_ledger_is_written_through_to_its_target(tmp_path, monkeypatch, broken):
    target, link = _linked(tmp_path)
    if broken:
        monkeypatch.setattr(store, "write_target", lambda path: path)
        run = cli_forked(["--ledger", link, *NOTE])
    else:
        run = cli_spawned(["--ledger", link, *NOTE])
        rc = run.returncode
    rc = run.rc if broken else run.returncode
    assert rc == 0
    if broken:  # what the property forbids: the link became a file, the real ledger never saw the note
        assert not link.is_symlink() and "through the link" not in notes(target)
        return
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "through the link" in notes(target)
    assert (target.parent / "commitments.toml.lock").is_file()  # locked beside the target
    assert not (link.parent / "commitments.toml.lock").exists()
    assert sorted(os.listdir(link.parent)) == ["commitments.toml"]


def test_a_ledger_found_by_discovery_through_a_symlink_stays_a_link(tmp_path):
    target, link = _linked(tmp_path)
    data = tmp_path / "work" / "data"
    data.mkdir()
    os.rename(link, data / "commitments.toml")
    run = subprocess_in(tmp_path / "work", NOTE)
    assert run.returncode == 0, run.stderr
    assert (data / "commitments.toml").is_symlink()
    assert "through the link" in notes(target)


def subprocess_in(cwd: Path, args: list[str]):  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    from reliability_kit import spawn_env

    return subprocess.run([sys.executable, "-m", "cytrack", *args], cwd=cwd, env=spawn_env(CYTRACK_LANG="en"),
                          capture_output=True, text=True, timeout=60)


@needs_fork
@pytest.mark.parametrize("broken", [False, True], ids=["ours", "follows-links"])
def test_a_lock_path_that_is_a_dangling_symlink_is_refused(tmp_path, monkeypatch, broken):
    ledger = make_ledger(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere / "planted", tmp_path / "commitments.toml.lock")
    before = ledger.read_bytes()
    if broken:
        monkeypatch.setattr(lockmod, "_refuse_link", lambda path: None)
        monkeypatch.setattr(lockmod, "_OPEN_FLAGS", lockmod._OPEN_FLAGS & ~os.O_NOFOLLOW)
    run = cli_forked(["--ledger", ledger, *NOTE])
    if broken:  # what the property forbids: the lock was created at the link's target
        assert run.rc == 0 and (elsewhere / "planted").exists()
        return
    assert run.rc == 3
    assert run.err == (
        f"cytrack: {ledger}.lock: cannot take the write lock (it is a symbolic link; a lock file must be a plain"
        " file); nothing was written.\n"
    )
    assert not (elsewhere / "planted").exists()
    assert ledger.read_bytes() == before


def test_a_fifo_as_lock_file_is_refused_at_once(tmp_path):
    ledger = make_ledger(tmp_path)
    os.mkfifo(tmp_path / "commitments.toml.lock")
    run = cli_spawned(["--ledger", ledger, *NOTE], CYTRACK_LOCK_TIMEOUT="30", CYTRACK_LANG="en")
    assert run.returncode == 3
    assert "commitments.toml.lock: cannot take the write lock (it is not a plain file)" in run.stderr
