"""Warning lights (预警, contract §7): red overdue; yellow blocked, stale or due within 7 days;
blue due within 8-30 days; none otherwise and for closed commitments.  Each boundary is checked
through the command line with --as-of, and the counts in summary and the weekly report."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from rich.cells import cell_len

from cytrack.core.state import BLUE_LIGHT_DAYS, DUE_SOON_DAYS, LIGHTS, state_of
from cytrack.ledger.model import Commitment, ProgressEntry, Status

DUE = date(2026, 12, 31)

# One commitment in each situation, as of 2026-12-01 (the replied date makes none unjudged).
SITUATIONS = """
[[commitments]]
id = "1-1"
section = 1
title = "逾期事项"
lead = "市科技局"
status = "in_progress"
percent = 20
due = 2026-11-20
review = "yearly"

  [[commitments.progress]]
  date = 2026-11-01
  status = "in_progress"
  percent = 20
  note = "启动"

[[commitments]]
id = "1-2"
section = 1
title = "受阻事项"
lead = "市科技局"
status = "blocked"
percent = 10
due = 2027-06-30
review = "yearly"

  [[commitments.progress]]
  date = 2026-11-01
  status = "blocked"
  percent = 10
  note = "资金未到位"

[[commitments]]
id = "1-3"
section = 1
title = "三天后到期"
lead = "市教委"
status = "in_progress"
percent = 50
due = 2026-12-04
review = "yearly"

  [[commitments.progress]]
  date = 2026-11-01
  status = "in_progress"
  percent = 50
  note = "过半"

[[commitments]]
id = "2-1"
section = 2
title = "二十天后到期"
lead = "市教委"
status = "in_progress"
percent = 50
due = 2026-12-21
review = "yearly"

  [[commitments.progress]]
  date = 2026-11-01
  status = "in_progress"
  percent = 50
  note = "过半"

[[commitments]]
id = "2-2"
section = 2
title = "六十天后到期"
lead = "市教委"
status = "in_progress"
percent = 50
due = 2027-01-30
review = "yearly"

  [[commitments.progress]]
  date = 2026-11-01
  status = "in_progress"
  percent = 50
  note = "过半"

[[commitments]]
id = "2-3"
section = 2
title = "已办结且逾期的时限"
lead = "市教委"
status = "done"
percent = 100
due = 2026-10-01

  [[commitments.progress]]
  date = 2026-09-01
  status = "done"
  percent = 100
  note = "办结"
  evidence = "文件"

[[commitments]]
id = "2-4"
section = 2
title = "从未更新"
lead = "市教委"
status = "not_started"
percent = 0
"""
AS_OF = "2026-12-01"
EXPECTED = {"1-1": "red", "1-2": "yellow", "1-3": "yellow", "2-1": "blue", "2-2": None, "2-3": None, "2-4": "yellow"}


@pytest.fixture
def ledger(write_ledger):
    from conftest import HEADER

    text = HEADER.replace('lead_unit = "市经济信息委"', 'lead_unit = "市经济信息委"\nreplied = 2026-06-01')
    return write_ledger(text + SITUATIONS, bare=True)


def make(due: date | None = DUE, status: Status = Status.IN_PROGRESS, **kwargs) -> Commitment:
    fresh = (ProgressEntry(date(2026, 11, 1), "n"),)
    fields = {"id": "1-1", "section": 1, "title": "t", "status": status, "due": due, "review": "yearly",
              "progress": fresh}
    fields.update(kwargs)
    return Commitment(**fields)


@pytest.mark.parametrize(
    ("days_left", "light"),
    [
        (-1, "red"),  # the day after the due date: overdue
        (0, "yellow"),  # due today: not overdue yet (a date-only due is the end of that day), so yellow
        (1, "yellow"),  # due tomorrow
        (DUE_SOON_DAYS, "yellow"),  # day 7
        (DUE_SOON_DAYS + 1, "blue"),  # day 8
        (BLUE_LIGHT_DAYS, "blue"),  # day 30
        (BLUE_LIGHT_DAYS + 1, None),  # day 31
    ],
)
def test_the_light_at_each_boundary(days_left, light):
    assert state_of(make(), DUE - timedelta(days=days_left)).light == light


def test_the_thresholds_are_named_once():
    assert (DUE_SOON_DAYS, BLUE_LIGHT_DAYS, LIGHTS) == (7, 30, ("red", "yellow", "blue"))


@pytest.mark.parametrize("status", [Status.DONE, Status.DROPPED])
def test_closed_commitments_have_no_light(status):
    assert state_of(make(status=status), DUE + timedelta(days=400)).light is None
    assert state_of(make(status=status, due=None, progress=()), DUE, date(2020, 1, 1)).light is None


def test_red_wins_over_yellow_and_yellow_over_blue():
    blocked_overdue = make(status=Status.BLOCKED)
    assert state_of(blocked_overdue, DUE + timedelta(days=1)).light == "red"
    blocked_later = make(status=Status.BLOCKED)
    assert state_of(blocked_later, DUE - timedelta(days=20)).light == "yellow"  # blocked, though due in 20 days
    stale = make(review="weekly")
    assert state_of(stale, DUE - timedelta(days=20)).light == "yellow"  # stale since 2026-11-08
    assert state_of(make(due=None), DUE).light is None


@pytest.mark.parametrize(
    ("as_of", "light"),
    [("2026-12-30", "yellow"), ("2026-12-31", "yellow"), ("2027-01-01", "red"),
     ("2026-12-23", "blue"), ("2026-12-24", "yellow"), ("2026-12-01", "blue"), ("2026-11-30", None)],
)
def test_boundaries_through_the_command_line(cli, write_ledger, as_of, light):
    path = write_ledger(
        """
        [[commitments]]
        id = "1-1"
        section = 1
        title = "t"
        lead = "市科技局"
        status = "in_progress"
        percent = 10
        due = 2026-12-31
        review = "yearly"

          [[commitments.progress]]
          date = 2026-11-01
          percent = 10
          note = "n"
        """
    )
    listed = cli("--ledger", path, "list", "-f", "json", "--as-of", as_of)
    shown = cli("--ledger", path, "show", "1-1", "-f", "json", "--as-of", as_of)
    assert json.loads(listed.stdout)[0]["light"] == json.loads(shown.stdout)["light"] == light


def test_every_json_row_has_its_light(cli, ledger):
    rows = json.loads(cli("--ledger", ledger, "list", "-f", "json", "--as-of", AS_OF).stdout)
    assert {r["id"]: r["light"] for r in rows} == EXPECTED
    overdue = json.loads(cli("--ledger", ledger, "overdue", "-f", "json", "--as-of", AS_OF).stdout)
    assert [(r["id"], r["light"]) for r in overdue] == [("1-1", "red")]
    stale = json.loads(cli("--ledger", ledger, "stale", "-f", "json", "--as-of", AS_OF).stdout)
    assert [(r["id"], r["light"]) for r in stale] == [("2-4", "yellow")]
    weekly = json.loads(cli("--ledger", ledger, "report", "weekly", "-f", "json", "--as-of", AS_OF).stdout)
    assert [(r["id"], r["light"]) for r in weekly["due_next_week"]] == [("1-3", "yellow")]


@pytest.mark.parametrize(
    ("lights", "ids"),
    [
        (["red"], ["1-1"]),
        (["yellow"], ["1-2", "1-3", "2-4"]),
        (["blue"], ["2-1"]),
        (["red", "blue"], ["1-1", "2-1"]),
    ],
)
def test_list_filters_by_light(cli, ledger, lights, ids):
    args = [a for light in lights for a in ("--light", light)]
    result = cli("--ledger", ledger, "list", *args, "-f", "json", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)] == ids


def test_an_unknown_light_is_refused(cli, ledger):
    result = cli("--ledger", ledger, "list", "--light", "green")
    assert result.exit_code == 2
    assert "green" in result.stderr


def test_the_quick_path_and_typer_agree_on_light(ledger, monkeypatch):
    from cytrack.cli.spec import scan

    parsed = scan(["--ledger", str(ledger), "list", "--light", "red", "--light", "blue"])
    assert parsed.quick() and parsed.values["light"] == ["red", "blue"]
    assert not scan(["list", "--light", "green"]).quick()  # left to Click, which refuses it


@pytest.mark.parametrize(("lang", "words"), [("zh", ("红", "黄", "蓝")), ("en", ("red", "yellow", "blue"))])
def test_the_table_says_the_light_in_words_without_colour(cli, ledger, monkeypatch, lang, words):
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("--ledger", ledger, "--lang", lang, "list", "--as-of", AS_OF)
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    header = lines[0].split()
    at = header.index("预警" if lang == "zh" else "Light")
    row = {line.split()[0]: line.split() for line in lines[2:] if line[:1].isdigit()}
    red, yellow, blue = words
    # The light column follows the status column, whose English names may hold a space.
    assert red in row["1-1"] and yellow in row["1-2"] and blue in row["2-1"]
    assert "—" in row["2-2"]
    assert at > 0


def test_colour_marks_the_light_when_forced(cli, ledger, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("--ledger", ledger, "list", "--light", "blue", "--as-of", AS_OF).stdout
    assert "\x1b[1;34m蓝" in out


def test_show_says_why_the_light_is_on(cli, ledger):
    out = cli("--ledger", ledger, "show", "1-2", "--as-of", AS_OF).stdout
    assert "预警      黄（受阻）" in out
    out = cli("--ledger", ledger, "--lang", "en", "show", "2-1", "--as-of", AS_OF).stdout
    assert "Light      blue (due in 20 days)" in out
    out = cli("--ledger", ledger, "show", "2-3", "--as-of", AS_OF).stdout
    assert "预警      —" in out


def test_summary_counts_the_lights(cli, ledger):
    data = json.loads(cli("--ledger", ledger, "summary", "-f", "json", "--as-of", AS_OF).stdout)
    assert data["lights"] == {"red": 1, "yellow": 3, "blue": 1}
    assert [s["lights"] for s in data["sections"]] == [
        {"red": 1, "yellow": 2, "blue": 0}, {"red": 0, "yellow": 1, "blue": 1},
    ]
    table = cli("--ledger", ledger, "summary", "--as-of", AS_OF).stdout
    assert "预警：红灯1项、黄灯3项、蓝灯1项\n" in table
    text = cli("--ledger", ledger, "--lang", "en", "summary", "-f", "text", "--as-of", AS_OF).stdout
    assert "Warning lights: 1 red, 3 yellow, 1 blue\n" in text


def test_the_weekly_report_counts_the_lights(cli, ledger):
    said = "预警：红灯1项、黄灯3项、蓝灯1项。"
    for fmt, expected in (("text", f"\n{said}\n"), ("markdown", f"\n\n{said}\n\n")):
        out = cli("--ledger", ledger, "report", "weekly", "-f", fmt, "--as-of", AS_OF).stdout
        assert expected in out
        summary = out.split("二、本周进展")[0]
        assert "红灯1项、黄灯3项、蓝灯1项" in summary  # inside 一、总体情况
    data = json.loads(cli("--ledger", ledger, "report", "weekly", "-f", "json", "--as-of", AS_OF).stdout)
    assert data["summary"]["lights"] == {"red": 1, "yellow": 3, "blue": 1}
    english = cli("--ledger", ledger, "--lang", "en", "report", "weekly", "--as-of", AS_OF).stdout
    assert "\nWarning lights: 1 red, 3 yellow, 1 blue.\n" in english
