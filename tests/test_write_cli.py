"""``update``, ``extend`` and ``add`` on the command line: exact output, exit codes, nothing written on error."""

from __future__ import annotations

import tomllib

import pytest
from conftest import SHIPPED

BODY = """\
[[commitments]]
id = "2-3"
section = 2
title = "电走廊、氢走廊、智行走廊建设"
lead = "市经济信息委"
status = "not_started"
percent = 0
due = 2025-12-31
review = "quarterly"
"""


@pytest.fixture
def ledger(write_ledger):
    return write_ledger(BODY)


def _c(path, n: int = 0) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))["commitments"][n]


def test_update_records_an_entry_and_prints_the_new_state(cli, ledger):
    r = cli(
        "--ledger",
        ledger,
        "update",
        "2-3",
        "--status",
        "in_progress",
        "--percent",
        "50",
        "--note",
        "已完成氢走廊加氢站布局方案",
        "--date",
        "2026-11-25",
        "--by",
        "李明",
    )
    assert (r.exit_code, r.stdout, r.stderr) == (0, "已记录 2-3 进展：推进中 50%（2026-11-25）\n", "")
    c = _c(ledger)
    assert (c["status"], c["percent"]) == ("in_progress", 50)
    assert [{k: str(v) for k, v in e.items()} for e in c["progress"]] == [
        {
            "date": "2026-11-25",
            "status": "in_progress",
            "percent": "50",
            "note": "已完成氢走廊加氢站布局方案",
            "by": "李明",
        }
    ]


def test_update_in_english_with_lang_after_the_command(cli, ledger):
    r = cli("--ledger", ledger, "update", "2-3", "-p", "30%", "-n", "note", "-d", "2026/11/20", "--lang", "en")
    assert (r.exit_code, r.stdout) == (
        0,
        "Recorded progress on 2-3: in progress 30% (2026-11-20)"
        " (progress was made, so the status moved from not started to in progress)\n",
    )


def test_a_backdated_update_keeps_what_a_later_entry_set(cli, ledger):
    cli("--ledger", ledger, "update", "2-3", "-s", "blocked", "-p", "40", "-n", "later", "-d", "2026-11-25")
    r = cli("--ledger", ledger, "update", "2-3", "-s", "in_progress", "-n", "earlier", "-d", "2026-11-20")
    assert r.exit_code == 0
    assert r.stdout == "已记录 2-3 进展：受阻 40%（2026-11-20）\n"
    assert r.stderr == "注意：2026-11-25 的进展记录更晚，当前状态仍按该记录：受阻 40%。\n"
    assert [e["note"] for e in _c(ledger)["progress"]] == ["earlier", "later"]
    assert _c(ledger)["status"] == "blocked"


def test_done_with_evidence_or_force(cli, ledger):
    r = cli(
        "--ledger",
        ledger,
        "update",
        "2-3",
        "-s",
        "已办结",
        "-p",
        "100",
        "-n",
        "完成",
        "-e",
        "渝经信发〔2026〕12号",
        "-d",
        "2026-11-25",
    )
    assert (r.exit_code, r.stdout) == (0, "已记录 2-3 进展：已办结 100%（2026-11-25）\n")
    assert _c(ledger)["progress"][0]["evidence"] == "渝经信发〔2026〕12号"
    r = cli("--ledger", ledger, "update", "2-3", "-s", "done", "-n", "again", "--force", "-d", "2026-11-26")
    assert r.exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2-3", "-n", "x", "-p", "101"], "--percent must be a whole number from 0 to 100, not '101'."),
        (
            ["2-3", "-n", "x", "-s", "finished"],
            "unknown status 'finished'; use one of not_started, in_progress, blocked, done, dropped.",
        ),
        (["2-3"], "--note is required and must not be empty."),
        (["2-3", "-n", "  "], "--note is required and must not be empty."),
        (
            ["2-3", "-n", "x", "-s", "done"],
            "--status done needs --evidence (a document number, URL or minutes reference), or --force to record it"
            " without one.",
        ),
        (
            ["2-3", "-n", "x", "-d", "03/04/2026"],
            "'03/04/2026' is ambiguous (day and month could be either way round); write it as 2026-03-04 or"
            " 2026-04-03 (YYYY-MM-DD).",
        ),
        (["2-3", "-n", "x", "-d", "next week"], "cannot read 'next week' as a date;"),
        (["2-3", "-n", "bell\x07"], "--note holds a control character ('bell␇'); type it without one."),
    ],
)
def test_bad_update_values_exit_2_and_write_nothing(cli, ledger, args, message):
    before = ledger.read_bytes()
    r = cli("--lang", "en", "--ledger", ledger, "update", *args)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith(f"cytrack: {message}") and r.stderr.count("\n") == 1
    assert ledger.read_bytes() == before


def test_unknown_id_exits_2_with_a_hint(cli, ledger):
    before = ledger.read_bytes()
    r = cli("--lang", "en", "--ledger", ledger, "update", "2-33", "-n", "x")
    assert (r.exit_code, r.stderr) == (2, f"cytrack: no commitment with id '2-33' in {ledger}; did you mean '2-3'?\n")
    assert ledger.read_bytes() == before


def test_extend_records_an_extension(cli, ledger, today):
    today("2025-12-10")
    r = cli(
        "--ledger",
        ledger,
        "extend",
        "2-3",
        "--to",
        "2026-06-30",
        "--reason",
        "配套政策调整",
        "--by",
        "市发展改革委",
        "--date",
        "2025-12-10",
    )
    assert (r.exit_code, r.stdout) == (0, "已记录 2-3 延期：完成时限延至 2026-06-30（原为 2025-12-31）\n")
    c = _c(ledger)
    assert c["due"].isoformat() == "2025-12-31"
    assert [{k: str(v) for k, v in e.items()} for e in c["extensions"]] == [
        {"date": "2025-12-10", "new_due": "2026-06-30", "reason": "配套政策调整", "approved_by": "市发展改革委"}
    ]
    r = cli(
        "--ledger",
        ledger,
        "--lang",
        "en",
        "extend",
        "2-3",
        "--to",
        "2026-09-30",
        "--reason",
        "again",
        "--date",
        "2026-06-01",
    )
    assert r.stdout == "Recorded an extension for 2-3: now due 2026-09-30 (was 2026-06-30)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2-3", "--reason", "r"], "--to is required: the new due date, e.g. --to 2026-06-30."),
        (["2-3", "--to", "2026-06-30"], "--reason is required and must not be empty."),
        (
            ["2-3", "--to", "2025-12-31", "--reason", "r", "--date", "2025-12-01"],
            "--to 2025-12-31 is not later than the due date of 2-3 in force on 2025-12-01 (2025-12-31);"
            " an extension moves it later.",
        ),
    ],
)
def test_bad_extend_values_exit_2_and_write_nothing(cli, ledger, today, args, message):
    today("2025-12-01")
    before = ledger.read_bytes()
    r = cli("--lang", "en", "--ledger", ledger, "extend", *args)
    assert (r.exit_code, r.stderr) == (2, f"cytrack: {message}\n")
    assert ledger.read_bytes() == before


def test_add_takes_the_next_free_id_of_its_section(cli, ledger):
    r = cli(
        "--ledger",
        ledger,
        "add",
        "--section",
        "2",
        "--title",
        "汽车软件协同攻关",
        "--lead",
        "市经济信息委",
        "--co-owner",
        "市科技局",
        "--tag",
        "汽车",
        "--due",
        "2026-12-31",
        "--due-basis",
        "assumed",
        "--review",
        "quarterly",
        "--quote",
        "推动汽车软件协同",
    )
    assert (r.exit_code, r.stdout) == (0, "已新增 2-4：汽车软件协同攻关（未启动 0%）\n")
    c = _c(ledger, 1)
    assert list(c) == [
        "id",
        "section",
        "title",
        "quote",
        "lead",
        "co_owners",
        "status",
        "percent",
        "due",
        "due_basis",
        "review",
        "tags",
    ]
    assert (c["id"], c["co_owners"], c["tags"], c["status"], c["percent"]) == (
        "2-4",
        ["市科技局"],
        ["汽车"],
        "not_started",
        0,
    )
    r = cli("--ledger", ledger, "--lang", "en", "add", "--section", "1", "--title", "T", "--lead", "L", "--id", "X-1")
    assert r.stdout == "Added X-1: T (not started 0%)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--title", "T", "--lead", "L"], "--section is required"),
        (["--section", "2", "--lead", "L"], "--title is required and must not be empty."),
        (["--section", "2", "--title", "T"], "--lead is required and must not be empty."),
        (
            ["--section", "2", "--title", "T", "--lead", "L", "--id", "2-3"],
            "id '2-3' is taken already (line 12: 电走廊",
        ),
        (["--section", "2", "--title", "T", "--lead", "L", "--id", " 2-3 "], "id '2-3' is taken"),
        (
            ["--section", "2", "--title", "T", "--lead", "L", "--due-basis", "source"],
            "--due-basis only goes with --due.",
        ),
        (
            ["--section", "2", "--title", "T", "--lead", "L", "--review", "daily"],
            "--review must be one of weekly, monthly, quarterly, half-yearly, yearly, not 'daily'.",
        ),
        (["--section", "2", "--title", "a\nb", "--lead", "L"], "--title holds a line break"),
    ],
)
def test_bad_add_values_exit_2_and_write_nothing(cli, ledger, args, message):
    before = ledger.read_bytes()
    r = cli("--lang", "en", "--ledger", ledger, "add", *args)
    assert r.exit_code == 2 and r.stderr.startswith(f"cytrack: {message}")
    assert ledger.read_bytes() == before


def test_writing_the_bundled_copy_is_refused(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("--lang", "en", "update", "2-3", "-n", "x")
    assert r.exit_code == 3
    assert r.stderr.endswith(
        "this is the read-only copy bundled with cytrack; run `cytrack init` to make an editable"
        " data/commitments.toml (or give --ledger PATH), then run this command again.\n"
    )


def test_an_invalid_ledger_is_not_written_and_the_problems_are_listed(cli, write_ledger):
    path = write_ledger(BODY.replace("percent = 0", "percent = 150").replace('status = "not_started"', 'status = "?"'))
    before = path.read_bytes()
    r = cli("--lang", "en", "--ledger", path, "update", "2-3", "-n", "x")
    assert r.exit_code == 3
    assert r.stderr == (
        f"{path}:17: commitment 2-3: status must be one of not_started, in_progress, blocked, done, dropped, not '?'\n"
        f"{path}:18: commitment 2-3: percent must be a whole number from 0 to 100, not 150\n"
        f"cytrack: {path}: the ledger has 2 problem(s); nothing was written. Fix them first (`cytrack validate`"
        " lists them).\n"
    )
    assert path.read_bytes() == before


def test_a_missing_ledger_exits_3(cli, tmp_path):
    r = cli("--lang", "en", "--ledger", tmp_path / "none.toml", "update", "2-3", "-n", "x")
    assert r.exit_code == 3 and "no ledger there" in r.stderr


def test_the_shipped_ledger_copy_takes_an_update(cli, tmp_path):
    path = tmp_path / "commitments.toml"
    path.write_bytes(SHIPPED.read_bytes())
    r = cli("--ledger", path, "update", "5-7", "-p", "10", "-n", "启动试点遴选", "-d", "2026-11-25")
    assert (r.exit_code, r.stdout) == (
        0, "已记录 5-7 进展：推进中 10%（2026-11-25）（已有进度，状态由未启动改为推进中）\n",
    )
    old, new = SHIPPED.read_text(encoding="utf-8").splitlines(), path.read_text(encoding="utf-8").splitlines()
    changed = {len(old) - 4: ('"not_started"', '"in_progress"'), len(old) - 3: ("percent = 0", "percent = 10")}
    assert new[: len(old)] == [
        line.replace(*changed[n]) if n in changed else line for n, line in enumerate(old)
    ]
    assert new[len(old) :] == [
        "",
        "  [[commitments.progress]]",
        "  date = 2026-11-25",
        '  status = "in_progress"',
        "  percent = 10",
        '  note = "启动试点遴选"',
    ]
