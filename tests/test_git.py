"""Git as the engine between clones: ``git-setup`` and the merge driver, with real repositories (no mocks).

Each test builds a bare "shared" repository and clones of it in tmp_path; git runs the
driver exactly as configured by ``cytrack git-setup`` (this Python with ``-m cytrack``).
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from test_merge import BASE
from test_merge_random import check_merged, lt, scenario

from cytrack.merge.three_way import merge_texts

LEDGER = "data/commitments.toml"
DRIVER = f"{shlex.quote(sys.executable)} -m cytrack merge-driver %O %A %B %P"
SETUP_EN = [
    "Added to .gitattributes: data/commitments.toml merge=cytrack",
    "Set git config merge.cytrack.name = cytrack: merge the commitments ledger by structure",
    f"Set git config merge.cytrack.driver = {DRIVER}",
    "Added to .git/info/exclude: /data/commitments.toml.lock",
    "Added to .git/info/exclude: /data/.commitments.toml.*.tmp",
]
HINT_EN = (
    "Commit .gitattributes so that every clone merges the ledger this way; git config is not"
    " copied by a clone, so run `cytrack git-setup` once in each clone."
)


@pytest.fixture(autouse=True)
def quiet_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git that reads no user or system configuration and speaks English."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.delenv("CYTRACK_LEDGER", raising=False)
    # cytrack too, also when git runs the merge driver (test_language checks its Chinese)
    monkeypatch.setenv("CYTRACK_LANG", "en")


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8")
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stdout}{done.stderr}")
    return done


def identify(repo: Path) -> None:
    git(repo, "config", "user.name", "测试")
    git(repo, "config", "user.email", "test@example.org")


def shared_repository(tmp_path: Path, cli, text: str = BASE, attributes: str | None = None) -> Path:  # type: ignore[no-untyped-def]
    """A bare repository holding the ledger (and .gitattributes set up by ``git-setup``, or ``attributes``)."""
    shared = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(shared))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "-q", str(shared), str(seed))
    identify(seed)
    (seed / "data").mkdir()
    (seed / LEDGER).write_text(text, encoding="utf-8", newline="")
    if attributes is None:
        assert cli("--ledger", seed / LEDGER, "git-setup").exit_code == 0
    else:
        (seed / ".gitattributes").write_text(attributes, encoding="utf-8")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "ledger")
    git(seed, "push", "-q", "origin", "HEAD:main")
    return shared


def clone(tmp_path: Path, shared: Path, name: str, cli, setup: bool = True) -> Path:  # type: ignore[no-untyped-def]
    """A department's clone, with the driver registered (git config is not cloned)."""
    repo = tmp_path / name
    git(tmp_path, "clone", "-q", str(shared), str(repo))
    identify(repo)
    if setup:
        assert cli("--ledger", repo / LEDGER, "git-setup").exit_code == 0
    return repo


def run(cli, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    result = cli("--ledger", repo / LEDGER, *args)
    assert result.exit_code == 0, result.stderr
    return result


def commit_and_push(repo: Path) -> None:
    git(repo, "commit", "-q", "-am", "update")
    git(repo, "push", "-q", "origin", "HEAD:main")


def pull(repo: Path) -> subprocess.CompletedProcess[str]:
    git(repo, "commit", "-q", "-am", "update")
    return git(repo, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main", check=False)


def ledger_of(repo: Path) -> dict:
    return tomllib.loads((repo / LEDGER).read_text(encoding="utf-8"))


def notes_of(repo: Path, cid: str) -> list[str]:
    c = next(c for c in ledger_of(repo)["commitments"] if c["id"] == cid)
    return [e["note"] for e in c.get("progress", [])]


# --- git-setup ------------------------------------------------------------------------------------


def test_git_setup_registers_the_driver_once_and_keeps_existing_attributes(tmp_path, cli):
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    (repo / "data").mkdir()
    (repo / LEDGER).write_text(BASE, encoding="utf-8")
    (repo / ".gitattributes").write_bytes(b"*.xlsx binary\r\n*.csv text")
    result = cli("--lang", "en", "--ledger", repo / LEDGER, "git-setup")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [f"Repository: {repo}; ledger: data/commitments.toml", *SETUP_EN, HINT_EN]
    expected = b"*.xlsx binary\r\n*.csv text\r\ndata/commitments.toml merge=cytrack\r\n"
    assert (repo / ".gitattributes").read_bytes() == expected
    assert git(repo, "config", "merge.cytrack.driver").stdout == DRIVER + "\n"
    assert git(repo, "check-attr", "merge", "--", LEDGER).stdout == f"{LEDGER}: merge: cytrack\n"

    again = cli("--lang", "en", "--ledger", repo / LEDGER, "git-setup")
    assert again.exit_code == 0
    assert again.stdout.splitlines() == [
        f"Repository: {repo}; ledger: data/commitments.toml",
        ".gitattributes already has: data/commitments.toml merge=cytrack",
        "git config merge.cytrack.name is already cytrack: merge the commitments ledger by structure",
        f"git config merge.cytrack.driver is already {DRIVER}",
        ".git/info/exclude already has: /data/commitments.toml.lock",
        ".git/info/exclude already has: /data/.commitments.toml.*.tmp",
        "The merge driver was already set up; nothing changed.",
    ]
    assert (repo / ".gitattributes").read_bytes().count(b"merge=cytrack") == 1


def test_git_setup_speaks_chinese_by_default_and_finds_the_ledger_from_a_subfolder(tmp_path, cli, monkeypatch):
    monkeypatch.delenv("CYTRACK_LANG")
    repo = tmp_path / "仓库 A"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    (repo / "data").mkdir()
    (repo / LEDGER).write_text(BASE, encoding="utf-8")
    monkeypatch.chdir(repo / "data")
    result = cli("git-setup")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        f"仓库：{repo}；台账：data/commitments.toml",
        "已在 .gitattributes 中加入：data/commitments.toml merge=cytrack",
    ]


def test_git_setup_warns_when_another_attribute_rule_wins(tmp_path, cli):
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    (repo / "data").mkdir()
    (repo / LEDGER).write_text(BASE, encoding="utf-8")
    (repo / "data" / ".gitattributes").write_text("commitments.toml merge=union\n", encoding="utf-8")
    result = cli("--lang", "en", "--ledger", repo / LEDGER, "git-setup")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-2] == (
        "Warning: another .gitattributes rule wins: git merges data/commitments.toml with merge=union;"
        " check your .gitattributes files."
    )


def test_git_setup_outside_a_repository_exits_3(tmp_path, cli):
    (tmp_path / "data").mkdir()
    (tmp_path / LEDGER).write_text(BASE, encoding="utf-8")
    result = cli("--ledger", tmp_path / LEDGER, "git-setup")
    assert result.exit_code == 3
    assert result.stderr == (
        f"cytrack: {tmp_path / 'data'} is not inside a git repository; clone the shared ledger repository"
        " (or run `git init`) and run `cytrack git-setup` there.\n"
    )
    assert not (tmp_path / ".gitattributes").exists()


def test_git_setup_without_git_says_so(tmp_path, cli, monkeypatch):
    (tmp_path / LEDGER.split("/")[0]).mkdir()
    (tmp_path / LEDGER).write_text(BASE, encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = cli("--ledger", tmp_path / LEDGER, "git-setup")
    assert (result.exit_code, result.stderr) == (
        3, "cytrack: git is not installed or not on PATH; install git, then run this command again.\n"
    )


def test_git_setup_needs_a_ledger_of_ones_own(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("--lang", "zh", "git-setup")
    assert result.exit_code == 2
    assert result.stderr.startswith("cytrack: 本目录及上级目录没有 data/commitments.toml；")
    result = cli("--lang", "en", "git-setup")
    assert result.stderr.startswith("cytrack: no data/commitments.toml here or above;")


# --- merges between clones ------------------------------------------------------------------------


def test_appends_to_the_same_commitment_in_two_clones_merge_cleanly(tmp_path, cli):
    shared = shared_repository(tmp_path, cli)
    a, b = clone(tmp_path, shared, "a", cli), clone(tmp_path, shared, "b", cli)
    run(cli, b, "update", "1-1", "--note", "乙报送", "--date", "2026-01-08", "--by", "市科技局")
    commit_and_push(b)
    run(cli, a, "update", "1-1", "--note", "甲报送", "--date", "2026-01-10")
    done = pull(a)
    assert done.returncode == 0, done.stderr
    assert notes_of(a, "1-1") == ["起步", "乙报送", "甲报送"]
    assert git(a, "status", "--porcelain").stdout == ""
    assert run(cli, a, "validate").stdout == f"{a / LEDGER}: OK, 2 commitments.\n"


def test_the_configured_driver_run_again_on_a_merge_changes_nothing(tmp_path, cli):
    shared = shared_repository(tmp_path, cli)
    a, b = clone(tmp_path, shared, "a", cli), clone(tmp_path, shared, "b", cli)
    run(cli, b, "update", "1-1", "--note", "乙", "--date", "2026-01-08")
    commit_and_push(b)
    run(cli, a, "update", "1-1", "--note", "甲", "--date", "2026-01-09")
    assert pull(a).returncode == 0
    files = {}
    for name, rev in (("O", "HEAD^1"), ("A", "HEAD"), ("B", "HEAD^2")):
        if name == "O":
            rev = git(a, "merge-base", "HEAD^1", "HEAD^2").stdout.strip()
        files[name] = tmp_path / f"{name}.toml"
        files[name].write_bytes(git(a, "show", f"{rev}:{LEDGER}").stdout.encode("utf-8"))
    merged = files["A"].read_bytes()
    # Exactly the command line git runs, through the shell as git does.
    command = git(a, "config", "merge.cytrack.driver").stdout.strip()
    for key, name in (("%O", "O"), ("%A", "A"), ("%B", "B")):
        command = command.replace(key, shlex.quote(str(files[name])))
    command = command.replace("%P", shlex.quote(LEDGER))
    for _ in range(2):
        done = subprocess.run(command, shell=True, cwd=a, capture_output=True, text=True)
        assert (done.returncode, done.stderr) == (0, "")
        assert files["A"].read_bytes() == merged


def test_appends_to_different_commitments_and_new_commitments_on_both_sides(tmp_path, cli):
    shared = shared_repository(tmp_path, cli)
    a, b = clone(tmp_path, shared, "a", cli), clone(tmp_path, shared, "b", cli)
    run(cli, b, "update", "1-2", "--note", "乙", "--date", "2026-01-08")
    run(cli, b, "add", "--id", "1-3", "--section", "1", "--title", "乙新增", "--lead", "市教委")
    commit_and_push(b)
    run(cli, a, "update", "1-1", "--note", "甲", "--date", "2026-01-09")
    run(cli, a, "add", "--id", "1-4", "--section", "1", "--title", "甲新增", "--lead", "市科技局")
    assert pull(a).returncode == 0
    # Theirs' new 1-3 goes after its predecessor there (1-2), so before ours' new 1-4.
    assert [c["id"] for c in ledger_of(a)["commitments"]] == ["1-1", "1-2", "1-3", "1-4"]
    assert (notes_of(a, "1-1"), notes_of(a, "1-2")) == (["起步", "甲"], ["乙"])
    # The other office pulls the merge and ends with the same file.
    git(a, "push", "-q", "origin", "HEAD:main")
    assert git(b, "pull", "-q", "--no-rebase", "origin", "main", check=False).returncode == 0
    assert (b / LEDGER).read_bytes() == (a / LEDGER).read_bytes()


def test_extensions_on_both_sides_merge(tmp_path, cli):
    shared = shared_repository(tmp_path, cli)
    a, b = clone(tmp_path, shared, "a", cli), clone(tmp_path, shared, "b", cli)
    run(cli, b, "extend", "1-2", "--to", "2027-06-30", "--reason", "乙：资金未到位")
    commit_and_push(b)
    run(cli, a, "extend", "1-1", "--to", "2027-03-31", "--reason", "甲：待审批")
    run(cli, a, "extend", "1-2", "--to", "2027-09-30", "--reason", "甲：再延")
    assert pull(a).returncode == 0
    reasons = [[e["reason"] for e in c.get("extensions", [])] for c in ledger_of(a)["commitments"]]
    assert reasons == [["甲：待审批"], ["甲：再延", "乙：资金未到位"]]


def test_the_same_field_changed_in_both_clones_is_a_conflict_that_validate_explains(tmp_path, cli):
    shared = shared_repository(tmp_path, cli)
    a, b = clone(tmp_path, shared, "a", cli), clone(tmp_path, shared, "b", cli)
    run(cli, b, "update", "1-2", "--status", "blocked", "--note", "乙：受阻", "--date", "2026-01-08")
    commit_and_push(b)
    run(cli, a, "update", "1-2", "--status", "in_progress", "--note", "甲：推进", "--date", "2026-01-09")
    done = pull(a)
    assert done.returncode != 0
    assert "CONFLICT (content): Merge conflict in data/commitments.toml" in done.stdout
    text = (a / LEDGER).read_text(encoding="utf-8")
    lines = text.splitlines()
    start = lines.index("<<<<<<< ours (1-2 status)") + 1
    assert lines[start - 1 : start + 4] == [
        "<<<<<<< ours (1-2 status)",
        'status = "in_progress"',
        "=======",
        'status = "blocked"',
        ">>>>>>> theirs (1-2 status)",
    ]
    assert f"{LEDGER}:{start}: commitment 1-2, field status was changed on both sides" in done.stderr
    result = cli("--ledger", a / LEDGER, "validate")
    hint = (
        "unresolved git conflict marker in commitment 1-2 (field status);"
        " finish the merge (keep the right lines, delete the markers)"
    )
    path = a / LEDGER
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        *(f"{path}:{n}: {hint}" for n in (start, start + 2, start + 4)),
        f"cytrack: {path}: 3 problem(s) found.",
    ]
    # Both entries are in the file already; resolving keeps one status, and the merge can be finished.
    kept = [line for n, line in enumerate(lines, 1) if n not in (start, start + 1, start + 2, start + 4)]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert run(cli, a, "validate").exit_code == 0
    assert notes_of(a, "1-2") == ["乙：受阻", "甲：推进"]
    git(a, "commit", "-q", "-am", "merged")


def test_merge_union_silently_produces_invalid_toml_which_the_driver_refuses_to_do(tmp_path, cli):
    (tmp_path / "u").mkdir()
    union = shared_repository(tmp_path / "u", cli, attributes=f"{LEDGER} merge=union\n")
    a, b = clone(tmp_path / "u", union, "a", cli, setup=False), clone(tmp_path / "u", union, "b", cli, setup=False)
    run(cli, b, "update", "1-2", "--percent", "30", "--note", "乙", "--date", "2026-01-08")
    commit_and_push(b)
    run(cli, a, "update", "1-2", "--percent", "40", "--note", "甲", "--date", "2026-01-09")
    assert pull(a).returncode == 0  # git is happy...
    result = cli("--ledger", a / LEDGER, "validate")
    assert result.exit_code == 1  # ...but the ledger is no longer TOML
    assert "invalid TOML" in result.stderr
    with pytest.raises(tomllib.TOMLDecodeError):
        ledger_of(a)

    (tmp_path / "d").mkdir()
    shared = shared_repository(tmp_path / "d", cli)
    a, b = clone(tmp_path / "d", shared, "a", cli), clone(tmp_path / "d", shared, "b", cli)
    run(cli, b, "update", "1-2", "--percent", "30", "--note", "乙", "--date", "2026-01-08")
    commit_and_push(b)
    run(cli, a, "update", "1-2", "--percent", "40", "--note", "甲", "--date", "2026-01-09")
    assert pull(a).returncode != 0  # the driver reports the real conflict: percent 40 or 30?
    assert "<<<<<<< ours (1-2 percent)\npercent = 40\n=======\npercent = 30\n>>>>>>> theirs (1-2 percent)\n" in (
        a / LEDGER
    ).read_text(encoding="utf-8")


GIT_MERGES = 6  # with the 60 direct ones in test_merge_random.py


@pytest.mark.parametrize("seed", range(GIT_MERGES))
def test_random_two_clone_merges_through_git(tmp_path, cli, seed):
    s = scenario(seed)
    o, a_text, b_text = s.texts()
    shared = shared_repository(tmp_path, cli, text=o)
    a, b = clone(tmp_path, shared, "a", cli), clone(tmp_path, shared, "b", cli)
    (a / LEDGER).write_text(a_text, encoding="utf-8")
    commit_and_push(a)
    (b / LEDGER).write_text(b_text, encoding="utf-8")
    done = pull(b)
    assert done.returncode == 0, done.stderr
    merged = (b / LEDGER).read_text(encoding="utf-8")
    assert merged == merge_texts(lt(o), lt(b_text), lt(a_text)).text  # git ran exactly this merge
    check_merged(s, ledger_of(b))
