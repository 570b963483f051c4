"""Contract §10, merges never fuse or drop: an entry changed differently on both sides, or
deleted on one and changed on the other, is a conflict; two different commitments added with
one id on both sides are a conflict, never one commitment with fields of both; after a clean
merge the stored status/percent are what the merged log sets.

Each scenario runs through real git (two clones of a bare repository, ``git pull`` with the
driver that ``cytrack git-setup`` registers) and, in process, against a deliberately broken
plan (the safeguard switched off), which must show the fault.
"""

from __future__ import annotations

import tomllib

import pytest
from test_git import LEDGER, clone, git, quiet_git, shared_repository  # noqa: F401  (quiet_git: autouse fixture)
from test_merge import BASE, append_to, entry

from cytrack.ledger.load import decode_ledger
from cytrack.merge import plan as mergeplan
from cytrack.merge.three_way import merge_texts


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages are checked word for word in English here (tests/test_language.py checks the Chinese)."""
    monkeypatch.setenv("CYTRACK_LANG", "en")


EDITED = BASE  # the ancestor: 1-1 has one entry (2026-01-05 "起步")


def _scenario(kind: str) -> tuple[str, str, str]:
    """(ancestor, ours, theirs) texts of one case."""
    if kind == "entry changed on both sides":
        ours = BASE.replace('note = "起步"', 'note = "起步（甲改）"')
        return BASE, ours, BASE.replace('note = "起步"', 'note = "起步（乙改）"')
    if kind == "extension changed on both sides":
        base = append_to(BASE, "1-1", entry("2026-02-01", "批准延期", "extensions"))
        return base, base.replace("批准延期", "批准延期（甲）"), base.replace("批准延期", "批准延期（乙）")
    if kind == "entry deleted on one side, changed on the other":
        ours = BASE.replace('\n  [[commitments.progress]]\n  date = 2026-01-05\n  note = "起步"\n', "\n")
        return BASE, ours, BASE.replace('note = "起步"', 'note = "起步（乙改）"')
    if kind == "same id added on both sides":
        added = (
            '\n[[commitments]]\nid = "1-3"\nsection = 1\ntitle = "{who}加的"\nlead = "{who}"\nstatus = "not_started"\n'
        )
        ours, theirs = BASE + added.format(who="甲"), BASE + added.format(who="乙")
        return BASE, ours, theirs
    raise ValueError(kind)


CONFLICTS = [
    "entry changed on both sides",
    "extension changed on both sides",
    "entry deleted on one side, changed on the other",
    "same id added on both sides",
]


def _git_merge(tmp_path, cli, kind: str):  # type: ignore[no-untyped-def]
    """Ours and theirs committed in two clones; theirs pushed, ours pulled: git runs the driver."""
    ancestor, ours, theirs = _scenario(kind)
    shared = shared_repository(tmp_path, cli, ancestor)
    a, b = clone(tmp_path, shared, "a", cli), clone(tmp_path, shared, "b", cli)
    (b / LEDGER).write_text(theirs, encoding="utf-8", newline="")
    git(b, "commit", "-q", "-am", "theirs")
    git(b, "push", "-q", "origin", "HEAD:main")
    (a / LEDGER).write_text(ours, encoding="utf-8", newline="")
    git(a, "commit", "-q", "-am", "ours")
    done = git(a, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main", check=False)
    return done, (a / LEDGER).read_text(encoding="utf-8")


def _resolved(text: str, side: str) -> dict:
    keep, out, inside = side, [], None
    for line in text.splitlines(keepends=True):
        if line.startswith("<<<<<<< "):
            inside = "ours"
        elif line.startswith("=======") and inside:
            inside = "theirs"
        elif line.startswith(">>>>>>> "):
            inside = None
        elif inside is None or inside == keep:
            out.append(line)
    return tomllib.loads("".join(out))


@pytest.mark.parametrize("kind", CONFLICTS)
def test_a_real_git_merge_marks_a_conflict_instead_of_fusing(tmp_path, cli, kind):
    done, text = _git_merge(tmp_path, cli, kind)
    assert done.returncode != 0  # git stops with a conflict
    assert "<<<<<<< ours" in text and ">>>>>>> theirs" in text
    ancestor, ours, theirs = _scenario(kind)
    assert _resolved(text, "ours") == tomllib.loads(ours)  # each side's version survives whole
    assert _resolved(text, "theirs") == tomllib.loads(theirs)
    assert cli("--ledger", tmp_path / "a" / LEDGER, "validate").exit_code == 1  # the markers are reported


def _broken(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    if kind == "same id added on both sides":
        monkeypatch.setattr(mergeplan, "_same_commitment", lambda a, b: True)
    else:
        monkeypatch.setattr(mergeplan, "entry_conflict", lambda o, a, b: False)


@pytest.mark.parametrize("kind", CONFLICTS)
def test_a_merge_without_the_safeguard_fuses_or_drops(monkeypatch, kind):
    _broken(monkeypatch, kind)
    ancestor, ours, theirs = _scenario(kind)
    result = merge_texts(*(decode_ledger(n, t.encode()) for n, t in zip("OAB", (ancestor, ours, theirs), strict=True)))
    if kind == "same id added on both sides":
        # what the property forbids: one commitment 1-3 whose fields are merged one by one
        assert result.conflicts and all(x.key is not None for x in result.conflicts)
        assert result.text.count('id = "1-3"') == 1
        return
    assert result.conflicts == []  # what the property forbids: a clean merge that loses an edit
    data = tomllib.loads(result.text)
    logs = [e for c in data["commitments"] for k in ("progress", "extensions") for e in c.get(k, [])]
    texts = [e.get("note") or e.get("reason") for e in logs]
    assert texts != [] and not ("起步（甲改）" in texts and "起步（乙改）" not in texts and len(texts) == 1)


# The ancestor's 10 % came from an entry; ours records 50 % on 03-01, theirs 10 % again on 04-01
# (so theirs' stored percent does not change): the joined log ends with theirs' 10 %.
LOG_BASE = append_to(BASE.replace('status = "not_started"\npercent = 0', 'status = "in_progress"\npercent = 10'),
                     "1-2", entry("2026-02-01", "起步", extra="  percent = 10\n"))


def _log_sides() -> tuple[str, str, str]:
    ours = append_to(LOG_BASE, "1-2", entry("2026-03-01", "甲：过半", extra="  percent = 50\n"))
    ours = ours.replace('status = "in_progress"\npercent = 10', 'status = "in_progress"\npercent = 50')
    theirs = append_to(LOG_BASE, "1-2", entry("2026-04-01", "乙：返工", extra="  percent = 10\n"))
    return LOG_BASE, ours, theirs


def test_after_a_real_git_merge_the_stored_percent_is_what_the_merged_log_sets(tmp_path, cli):
    ancestor, ours, theirs = _log_sides()
    shared = shared_repository(tmp_path, cli, ancestor)
    a, b = clone(tmp_path, shared, "a", cli), clone(tmp_path, shared, "b", cli)
    (b / LEDGER).write_text(theirs, encoding="utf-8", newline="")
    git(b, "commit", "-q", "-am", "theirs")
    git(b, "push", "-q", "origin", "HEAD:main")
    (a / LEDGER).write_text(ours, encoding="utf-8", newline="")
    git(a, "commit", "-q", "-am", "ours")
    done = git(a, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    c = next(c for c in tomllib.loads((a / LEDGER).read_text(encoding="utf-8"))["commitments"] if c["id"] == "1-2")
    assert [e["note"] for e in c["progress"]] == ["起步", "甲：过半", "乙：返工"]
    assert c["percent"] == 10  # theirs' later entry, not ours' stored 50
    assert cli("--ledger", a / LEDGER, "validate").exit_code == 0


def test_without_the_log_rule_ours_stale_percent_survives(monkeypatch):
    monkeypatch.setattr(mergeplan, "_log_values", lambda entries: {})
    result = merge_texts(*(decode_ledger(n, t.encode()) for n, t in zip("OAB", _log_sides(), strict=True)))
    c = next(c for c in tomllib.loads(result.text.split("<<<<<<<")[0])["commitments"] if c["id"] == "1-2") \
        if not result.conflicts else None
    assert c is not None and c["percent"] == 50  # what the property forbids: ours' stale 50 % kept
