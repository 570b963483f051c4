"""States that tell the truth (contract §7): status follows progress, contradictions are warned
about, the tracking start, what cannot be judged, and dates typed by people."""

from __future__ import annotations

import json
import tomllib

import pytest
from conftest import HEADER
from hypothesis import given
from hypothesis import strategies as st

from cytrack.ledger.model import STATUS_VALUES, Status
from cytrack.store.changes import COMPLETED, FULL_NOT_CLOSED, STARTED, resolve_progress

ONE = """
[[commitments]]
id = "2-3"
section = 2
title = "电走廊、氢走廊、智行走廊建设"
lead = "市经济信息委"
status = "not_started"
percent = 0
due = 2027-12-31
"""


@pytest.fixture
def ledger(write_ledger, today):
    today("2026-12-02")
    return write_ledger(ONE)


def _c(path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))["commitments"][0]


# --- status follows progress -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "given", "expected"),
    [
        (("not_started", 0), (None, 40), (Status.IN_PROGRESS, 40, (STARTED,))),
        (("not_started", 0), (None, 0), (None, 0, ())),
        (("not_started", 0), ("blocked", 10), (Status.BLOCKED, 10, ())),  # a status given wins
        (("in_progress", 40), (None, 60), (None, 60, ())),
        (("blocked", 40), (None, 60), (None, 60, ())),  # only not_started moves by itself
        (("in_progress", 40), ("done", None), (Status.DONE, 100, (COMPLETED,))),
        (("in_progress", 100), ("done", None), (Status.DONE, 100, ())),
        (("in_progress", 40), ("done", 90), (Status.DONE, 90, ())),  # a percent given wins
        (("in_progress", 40), (None, 100), (None, 100, (FULL_NOT_CLOSED,))),  # 100 % alone does not close
        (("not_started", 0), (None, 100), (Status.IN_PROGRESS, 100, (STARTED, FULL_NOT_CLOSED))),
        (("done", 100), (None, 100), (None, 100, ())),
        (("in_progress", 40), (None, None), (None, None, ())),
    ],
)
def test_resolve_progress(current, given, expected):
    assert resolve_progress(*current, *given) == expected


@given(
    st.sampled_from(STATUS_VALUES), st.integers(0, 100),
    st.none() | st.sampled_from(STATUS_VALUES), st.none() | st.integers(0, 100),
)
def test_resolve_progress_never_overrides_what_was_typed(cur_status, cur_percent, status, percent):
    got_status, got_percent, notes = resolve_progress(cur_status, cur_percent, status, percent)
    if status is not None:
        assert got_status == Status(status)
    if percent is not None:
        assert got_percent == percent
    assert got_status is not Status.DONE or status == "done"  # nothing closes by itself
    assert (STARTED in notes) == (got_status is Status.IN_PROGRESS and status is None)


def test_a_percent_on_a_not_started_commitment_starts_it(cli, ledger):
    r = cli("--ledger", ledger, "update", "2-3", "--percent", "40", "--note", "方案已起草")
    assert (r.exit_code, r.stdout) == (
        0, "已记录 2-3 进展：推进中 40%（2026-12-02）（已有进度，状态由未启动改为推进中）\n"
    )
    c = _c(ledger)
    assert (c["status"], c["percent"]) == ("in_progress", 40)
    assert (c["progress"][0]["status"], c["progress"][0]["percent"]) == ("in_progress", 40)
    assert cli("--ledger", ledger, "validate").stderr == ""  # what is stored agrees with the entry


def test_the_confirmation_says_so_in_english(cli, ledger):
    r = cli("--ledger", ledger, "--lang", "en", "update", "2-3", "-p", "5", "-n", "n")
    assert r.stdout == (
        "Recorded progress on 2-3: in progress 5% (2026-12-02)"
        " (progress was made, so the status moved from not started to in progress)\n"
    )


def test_done_without_a_percent_sets_100(cli, ledger):
    cli("--ledger", ledger, "update", "2-3", "-p", "40", "-n", "a", "-d", "2026-11-01")
    r = cli("--ledger", ledger, "update", "2-3", "-s", "done", "-e", "渝经信发〔2026〕1号", "-n", "办结")
    assert r.stdout == "已记录 2-3 进展：已办结 100%（2026-12-02）（办结，进度记为100%）\n"
    c = _c(ledger)
    assert (c["status"], c["percent"], c["progress"][-1]["percent"]) == ("done", 100, 100)
    en = cli("--ledger", ledger, "--lang", "en", "show", "2-3", "-f", "json")
    assert json.loads(en.stdout)["percent"] == 100


def test_a_percent_of_100_alone_does_not_close(cli, ledger):
    cli("--ledger", ledger, "update", "2-3", "-p", "40", "-n", "a", "-d", "2026-11-01")
    r = cli("--ledger", ledger, "update", "2-3", "-p", "100", "-n", "全部完成")
    assert r.exit_code == 0
    assert r.stdout == (
        "已记录 2-3 进展：推进中 100%（2026-12-02）"
        "（进度已达100%，但状态未变；办结请用 --status done 并附 --evidence）\n"
    )
    assert (_c(ledger)["status"], _c(ledger)["percent"]) == ("in_progress", 100)


def test_a_backdated_percent_starts_it_as_of_its_own_date(cli, ledger):
    cli("--ledger", ledger, "update", "2-3", "-s", "blocked", "-n", "later", "-d", "2026-11-20")
    r = cli("--ledger", ledger, "update", "2-3", "-p", "10", "-n", "earlier", "-d", "2026-11-10")
    assert r.exit_code == 0
    c = _c(ledger)
    assert [(e["date"].isoformat(), e.get("status")) for e in c["progress"]] == [
        ("2026-11-10", "in_progress"), ("2026-11-20", "blocked"),
    ]
    assert (c["status"], c["percent"]) == ("blocked", 10)  # the later entry's status stays


# --- validate warns about contradictions ---------------------------------------------------------

CONTRADICTIONS = """
[[commitments]]
id = "1-1"
section = 1
title = "a"
lead = "x"
status = "done"
percent = 40

  [[commitments.progress]]
  date = 2026-01-01
  status = "done"
  percent = 40
  note = "n"

[[commitments]]
id = "1-2"
section = 1
title = "b"
lead = "x"
status = "not_started"
percent = 30

  [[commitments.progress]]
  date = 2026-01-01
  status = "in_progress"
  percent = 20
  note = "n"

[[commitments]]
id = "1-3"
section = 1
title = "c"
lead = "x"
status = "in_progress"
percent = 20

  [[commitments.progress]]
  date = 2026-01-01
  status = "in_progress"
  percent = 20
  note = "n"
"""


def test_validate_warns_about_contradictions_and_exits_0(cli, write_ledger):
    path = write_ledger(CONTRADICTIONS)
    r = cli("--ledger", path, "validate")
    assert r.exit_code == 0
    assert r.stdout == f"{path}：检查通过，共3项承诺事项。\n"
    assert r.stderr.splitlines() == [
        f"{path}:19: 警告：1-1：状态为已办结，但进度为40%（办结应为100%）",
        f"{path}:32: 警告：1-2：status = \"not_started\"，但最近一条设定状态的进展记录（第35行，2026-01-01）"
        f"设为 \"in_progress\"",
        f"{path}:33: 警告：1-2：状态为未启动，但进度为30%（有进度应为推进中）",
        f"{path}:33: 警告：1-2：percent = 30，但最近一条设定进度的进展记录（第35行，2026-01-01）设为 20",
    ]
    en = cli("--ledger", path, "--lang", "en", "validate")
    assert en.exit_code == 0
    assert f"{path}:19: warning: 1-1: status is done but percent is 40 (done means 100)" in en.stderr.splitlines()


def test_warnings_do_not_hide_problems(cli, write_ledger):
    path = write_ledger(CONTRADICTIONS.replace('title = "c"', "title = 3"))
    r = cli("--ledger", path, "--lang", "en", "validate")
    assert r.exit_code == 1
    assert "title must be a string" in r.stderr


def test_other_commands_stay_quiet_about_contradictions(cli, write_ledger):
    path = write_ledger(CONTRADICTIONS)
    r = cli("--ledger", path, "list", "-f", "json", "--as-of", "2026-01-02")
    assert (r.exit_code, r.stderr) == (0, "")


# --- the tracking start -------------------------------------------------------------------------

QUIET = """
[[commitments]]
id = "1-1"
section = 1
title = "从未更新"
lead = "市科技局"
status = "not_started"
percent = 0

[[commitments]]
id = "1-2"
section = 1
title = "已办结"
lead = "市科技局"
status = "done"
percent = 100

  [[commitments.progress]]
  date = 2026-10-01
  status = "done"
  percent = 100
  note = "办结"
  evidence = "文件"

[[commitments]]
id = "1-3"
section = 1
title = "月报"
lead = "市教委"
status = "in_progress"
percent = 10
review = "monthly"

  [[commitments.progress]]
  date = 2026-09-01
  status = "in_progress"
  percent = 10
  note = "开始"
"""


def _with(start: str = "") -> str:
    return HEADER.replace('lead_unit = "市经济信息委"', f'lead_unit = "市经济信息委"{start}') + QUIET


@pytest.mark.parametrize(
    ("start", "as_of", "stale"),
    [
        ("\ntracking_since = 2026-11-01", "2026-12-01", ["1-3"]),  # day 30: still fresh
        ("\ntracking_since = 2026-11-01", "2026-12-02", ["1-3", "1-1"]),  # day 31: stale (longest quiet first)
        ("\nreplied = 2026-10-01\ntracking_since = 2026-11-20", "2026-11-01", ["1-3", "1-1"]),  # replied wins
        ("\nreplied = 2026-10-01\ntracking_since = 2026-11-20", "2026-10-31", ["1-3"]),
    ],
)
def test_untouched_work_counts_from_replied_else_tracking_since(cli, write_ledger, start, as_of, stale):
    path = write_ledger(_with(start), bare=True)
    r = cli("--ledger", path, "stale", "-f", "json", "--as-of", as_of)
    assert (r.exit_code, r.stderr) == (0, "")
    assert [row["id"] for row in json.loads(r.stdout)] == stale


def test_stale_text_names_the_tracking_start(cli, write_ledger):
    path = write_ledger(_with("\ntracking_since = 2026-11-01"), bare=True)
    out = cli("--ledger", path, "stale", "-f", "text", "--as-of", "2026-12-02").stdout
    assert "2. 【1-1】从未更新：尚无进展记录，自跟踪起始日期2026年11月1日起计，未设报送频次，已超过30天未更新。" in out
    en = cli("--ledger", path, "--lang", "en", "stale", "-f", "text", "--as-of", "2026-12-02").stdout
    assert "[1-1] 从未更新: no progress recorded since tracking began on 2026-11-01;" in en


def test_tracking_since_must_be_a_date(cli, write_ledger):
    path = write_ledger(_with('\ntracking_since = "2026-11-01"'), bare=True)
    r = cli("--ledger", path, "--lang", "en", "validate")
    assert r.exit_code == 1
    assert f"{path}:7: source.tracking_since must be a TOML date written without quotes" in r.stderr


UNJUDGED_ZH = (
    "1项承诺事项尚无进展记录，台账 [source] 中也没有 replied（答复日期）或 tracking_since（跟踪起始日期），"
    "无法判断是否久未更新；请在 [source] 中填写其中之一，如 tracking_since = 2026-12-02。"
)


def test_without_a_start_stale_says_how_many_cannot_be_judged(cli, write_ledger, monkeypatch):
    path = write_ledger(_with(), bare=True)
    text = cli("--ledger", path, "stale", "-f", "text", "--as-of", "2026-12-02").stdout
    assert text == (
        "久未更新事项（截至2026年12月2日）\n1. 【1-3】月报：最近更新2026年9月1日，按月报送。\n" + UNJUDGED_ZH + "\n"
    )
    alone = write_ledger(_with() + '\n[[commitments]]\nid = "1-4"\nsection = 1\ntitle = "d"\nlead = "x"\n'
                         'status = "not_started"\n', bare=True, name="alone.toml")
    r = cli("--ledger", alone, "stale", "-f", "text", "--as-of", "2026-10-01")
    assert "无。" not in r.stdout and "没有久未更新" not in r.stdout
    assert r.stdout.startswith("2项承诺事项尚无进展记录")
    monkeypatch.setenv("COLUMNS", "200")
    table = cli("--ledger", path, "stale", "--as-of", "2026-12-02").stdout
    assert table.rstrip("\n").endswith(UNJUDGED_ZH)
    r = cli("--ledger", path, "stale", "-f", "json", "--as-of", "2026-12-02")
    assert [row["id"] for row in json.loads(r.stdout)] == ["1-3"]  # still list-shaped rows
    assert r.stderr == "cytrack: " + UNJUDGED_ZH + "\n"
    en = cli("--ledger", path, "--lang", "en", "stale", "-f", "text", "--as-of", "2026-12-02").stdout
    assert "Staleness cannot be judged for 1 commitment with no progress entry:" in en
    assert "tracking_since = 2026-12-02" in en and "replied" in en


def test_without_a_start_summary_and_weekly_say_how_many_cannot_be_judged(cli, write_ledger, monkeypatch):
    path = write_ledger(_with(), bare=True)
    data = json.loads(cli("--ledger", path, "summary", "-f", "json", "--as-of", "2026-12-02").stdout)
    assert (data["stale"], data["unjudged"]) == (1, 1)
    monkeypatch.setenv("COLUMNS", "120")
    table = cli("--ledger", path, "summary", "--as-of", "2026-12-02").stdout
    assert "；1项无法判断是否久未更新" in table and "tracking_since" in table
    weekly = cli("--ledger", path, "report", "weekly", "--as-of", "2026-12-02").stdout
    part = weekly.split("五、久未更新\n")[1]
    assert part == "1. 【1-3】月报：最近更新2026年9月1日，按月报送。\n" + UNJUDGED_ZH + "\n"
    md = cli("--ledger", path, "report", "weekly", "-f", "markdown", "--as-of", "2026-12-02").stdout
    assert "tracking\\_since" in md.split("## 五、久未更新")[1]
    report = json.loads(cli("--ledger", path, "report", "weekly", "-f", "json", "--as-of", "2026-12-02").stdout)
    assert report["summary"]["unjudged"] == 1
    assert [row["id"] for row in report["stale"]] == ["1-3"]


def test_with_a_start_nothing_is_unjudged(cli, write_ledger):
    path = write_ledger(_with("\ntracking_since = 2026-11-25"), bare=True)
    weekly = cli("--ledger", path, "report", "weekly", "--as-of", "2026-12-02").stdout
    assert "无法判断" not in weekly
    assert json.loads(cli("--ledger", path, "summary", "-f", "json").stdout)["unjudged"] == 0


def test_the_tracking_start_survives_the_cache(cli, write_ledger):
    path = write_ledger(_with("\ntracking_since = 2026-11-01"), bare=True)
    for _ in range(2):  # the second run reads the parse cache
        r = cli("--ledger", path, "stale", "-f", "json", "--as-of", "2026-12-02")
        assert [row["id"] for row in json.loads(r.stdout)] == ["1-3", "1-1"]


def test_init_keeps_an_existing_reply_date(write_ledger):
    from datetime import date

    from cytrack.store.tracking import add_tracking_start

    text = _with("\nreplied = 2026-10-01")
    assert add_tracking_start(text, date(2026, 12, 2)) == text
    glued = 'schema = 1\n[source]\nproposal = "1"\n\n# about the sections\n[sections]\n'
    assert add_tracking_start(glued, date(2026, 12, 2), "c") == (
        'schema = 1\n[source]\nproposal = "1"\ntracking_since = 2026-12-02  # c\n\n# about the sections\n[sections]\n'
    )


# --- dates typed by people -----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["tomorrow", "2026-12-03", "+1w"])
def test_an_update_dated_after_today_is_refused(cli, ledger, typed):
    before = ledger.read_bytes()
    r = cli("--ledger", ledger, "update", "2-3", "-p", "10", "-n", "n", "--date", typed)
    assert r.exit_code == 2
    assert r.stderr.startswith(f"cytrack: --date {typed} 是 2026-12-")
    assert "晚于今天（2026-12-02）" in r.stderr and "--force" in r.stderr and "台账未改动" in r.stderr
    assert ledger.read_bytes() == before


def test_an_update_dated_today_or_forced_is_recorded(cli, ledger):
    assert cli("--ledger", ledger, "update", "2-3", "-n", "n", "--date", "today").exit_code == 0
    r = cli("--ledger", ledger, "--lang", "en", "update", "2-3", "-n", "n", "--date", "tomorrow")
    assert r.stderr == (
        "cytrack: --date tomorrow is 2026-12-03, after today (2026-12-02): progress can only be recorded once it"
        " has happened; add --force to record it anyway. The ledger is unchanged.\n"
    )
    r = cli("--ledger", ledger, "update", "2-3", "-n", "n", "--date", "tomorrow", "--force")
    assert r.exit_code == 0
    assert [e["date"].isoformat() for e in _c(ledger)["progress"]] == ["2026-12-02", "2026-12-03"]


@pytest.mark.parametrize(("typed", "relation"), [("today", "就是"), ("2026-12-01", "早于"), ("-3m", "早于")])
def test_an_extension_to_today_or_before_is_refused(cli, ledger, typed, relation):
    before = ledger.read_bytes()
    r = cli("--ledger", ledger, "extend", "2-3", "--to", typed, "--reason", "r")
    assert r.exit_code == 2
    assert r.stderr.startswith(f"cytrack: --to {typed} 是 ")
    assert f"{relation}今天（2026-12-02）" in r.stderr and "--force" in r.stderr
    assert ledger.read_bytes() == before


def test_an_extension_to_tomorrow_or_forced_is_recorded(cli, ledger):
    r = cli("--ledger", ledger, "extend", "2-3", "--to", "2028-06-30", "--reason", "r")
    assert r.exit_code == 0
    r = cli("--ledger", ledger, "--lang", "en", "extend", "2-3", "--to", "2026-12-02", "--reason", "r")
    assert r.stderr == (
        "cytrack: --to 2026-12-02 is 2026-12-02, which is today (2026-12-02): an extension moves the due date"
        " past today; add --force to record it anyway. The ledger is unchanged.\n"
    )
    forced = cli("--ledger", ledger, "extend", "2-3", "--to", "2029-01-01", "--reason", "r", "--force")
    assert forced.exit_code == 0
    assert [x["new_due"].isoformat() for x in _c(ledger)["extensions"]] == ["2028-06-30", "2029-01-01"]


def test_the_quick_path_refuses_the_same_dates(ledger, today, capsys):
    from cytrack.cli import quick

    before = ledger.read_bytes()
    code = quick.run(["--ledger", str(ledger), "extend", "2-3", "--to", "yesterday", "--reason", "r"])
    assert code == 2 and ledger.read_bytes() == before
    assert "早于今天（2026-12-02）" in capsys.readouterr().err
    forced = quick.run(["--ledger", str(ledger), "extend", "2-3", "--to", "yesterday", "--reason", "r", "--force"])
    assert forced == 2  # past the date check, refused by the next: it is before the due date in force
    assert "不晚于 2-3 在 2026-12-02 时的完成时限（2027-12-31）" in capsys.readouterr().err


def test_an_import_batch_follows_the_same_rule_entry_by_entry(ledger):
    """``cytrack import`` writes through ``ProgressBatch``: each entry is resolved against the ones before it."""
    from datetime import date

    from cytrack.ledger.load import LedgerLocation
    from cytrack.store.changes import ProgressBatch, new_progress
    from cytrack.store.write import write_changes

    batch = ProgressBatch((
        new_progress("2-3", date(2026, 11, 10), "起步", percent=30),
        new_progress("2-3", date(2026, 11, 20), "办结", status="done", evidence="文件"),
    ))
    write_changes(LedgerLocation(ledger), batch)
    c = _c(ledger)
    assert [(e.get("status"), e.get("percent")) for e in c["progress"]] == [("in_progress", 30), ("done", 100)]
    assert (c["status"], c["percent"]) == ("done", 100)
