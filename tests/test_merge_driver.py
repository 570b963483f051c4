"""``cytrack merge-driver %O %A %B %P`` on files, as git calls it (in-process; real git is in test_git.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import SHIPPED
from test_merge import BASE, append_to, entry, notes


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The driver's messages are checked word for word in English here (test_language checks Chinese)."""
    monkeypatch.setenv("CYTRACK_LANG", "en")

NAME = "data/commitments.toml"


def sides(tmp_path: Path, ours: str, theirs: str, ancestor: str = BASE) -> tuple[Path, Path, Path]:
    paths = []
    for name, text in (("O", ancestor), ("A", ours), ("B", theirs)):
        path = tmp_path / f".merge_file_{name}"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths[0], paths[1], paths[2]


def test_a_clean_merge_is_written_to_ours_and_exits_0(tmp_path, cli):
    ours = append_to(BASE, "1-1", entry("2026-01-20", "ours"))
    theirs = append_to(BASE, "1-1", entry("2026-01-10", "theirs"))
    o, a, b = sides(tmp_path, ours, theirs)
    result = cli("merge-driver", o, a, b, NAME)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert notes(a.read_text(encoding="utf-8"), "1-1") == ["起步", "theirs", "ours"]


def test_running_the_driver_again_on_its_own_output_changes_nothing(tmp_path, cli):
    ours = append_to(BASE, "1-2", entry("2026-01-20", "ours"))
    theirs = append_to(BASE, "1-1", entry("2026-01-10", "theirs"))
    o, a, b = sides(tmp_path, ours, theirs)
    assert cli("merge-driver", o, a, b, NAME).exit_code == 0
    once = a.read_bytes()
    inode = a.stat().st_ino
    result = cli("merge-driver", o, a, b, NAME)
    assert (result.exit_code, result.stderr) == (0, "")
    assert a.read_bytes() == once
    assert a.stat().st_ino == inode  # nothing to write, so nothing was written


def test_conflicts_are_marked_named_with_their_lines_and_exit_1(tmp_path, cli):
    ours = BASE.replace('status = "not_started"', 'status = "blocked"').replace("percent = 0", "percent = 5")
    theirs = BASE.replace('status = "not_started"', 'status = "done"').replace("percent = 0", "percent = 100")
    o, a, b = sides(tmp_path, ours, append_to(theirs, "1-2", entry("2026-02-01", "办结")))
    result = cli("merge-driver", o, a, b, NAME)
    assert result.exit_code == 1
    text = a.read_text(encoding="utf-8")
    lines = text.splitlines()
    first, second = lines.index("<<<<<<< ours (1-2 status)") + 1, lines.index("<<<<<<< ours (1-2 percent)") + 1
    assert result.stderr.splitlines() == [
        f'{NAME}:{first}: commitment 1-2, field status was changed on both sides (ours: "blocked", theirs: "done");'
        " keep the right value and delete the marker lines",
        f"{NAME}:{second}: commitment 1-2, field percent was changed on both sides (ours: 5, theirs: 100);"
        " keep the right value and delete the marker lines",
        f"cytrack: {NAME}: 2 conflict(s) marked with <<<<<<< and >>>>>>>; resolve them, run `cytrack validate`,"
        " then `git add` the file.",
    ]
    assert "  [[commitments.progress]]\n  date = 2026-02-01\n" in text  # the entry is merged all the same


def test_a_side_that_does_not_parse_leaves_ours_untouched_and_exits_3(tmp_path, cli):
    ours = append_to(BASE, "1-1", entry("2026-01-20", "ours"))
    o, a, b = sides(tmp_path, ours, BASE.replace("percent = 0", "percent = 0 0"))
    result = cli("merge-driver", o, a, b, NAME)
    assert result.exit_code == 3
    assert result.stderr.startswith(
        f"cytrack: their version of the ledger cannot be read, so it cannot be merged: {NAME} (their version):"
    )
    assert a.read_text(encoding="utf-8") == ours


def test_a_side_that_is_not_utf8_is_refused_naming_the_side(tmp_path, cli):
    o, a, b = sides(tmp_path, BASE, BASE)
    b.write_bytes(BASE.encode("gb18030"))
    result = cli("merge-driver", o, a, b, NAME)
    assert result.exit_code == 3
    assert result.stderr.startswith(f"cytrack: {NAME} (their version):1: the ledger must be UTF-8")
    assert a.read_text(encoding="utf-8") == BASE


def test_a_merge_that_would_break_a_rule_is_not_written(tmp_path, cli):
    ours = append_to(BASE, "1-1", entry("2026-01-20", "ours"))
    theirs = BASE.replace("percent = 0", "percent = 150")
    o, a, b = sides(tmp_path, ours, theirs)
    result = cli("merge-driver", o, a, b, NAME)
    assert result.exit_code == 3
    *problems, last = result.stderr.splitlines()
    (problem,) = problems  # its wording belongs to validate.py; here: the right file, line and value
    assert problem.startswith(f"{NAME}:{ours.splitlines().index('percent = 0') + 1}: ") and "150" in problem
    assert last == (
        f"cytrack: {NAME}: the merged ledger would break 1 rule(s) (lines of the merge, shown above), so it was not"
        " written; the file holds your version only: merge by hand."
    )
    assert a.read_text(encoding="utf-8") == ours


def test_the_shipped_ledger_merges_with_its_comments_intact(tmp_path, cli):
    shipped = SHIPPED.read_text(encoding="utf-8")
    ours = append_to(shipped, "2-1", entry("2026-03-01", "ours"))
    theirs = append_to(shipped, "5-1", entry("2026-03-02", "theirs"))
    o, a, b = sides(tmp_path, ours, theirs, ancestor=shipped)
    assert cli("merge-driver", o, a, b, NAME).exit_code == 0
    merged = a.read_text(encoding="utf-8")
    assert merged == append_to(ours, "5-1", entry("2026-03-02", "theirs"))
    assert len(tomllib.loads(merged)["commitments"]) == len(tomllib.loads(shipped)["commitments"])
