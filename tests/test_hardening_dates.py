"""Hostile and ambiguous dates on every date option: exit 2 with one line, never a traceback.

Also the calendar's edges inside the ledger (dues and entries on 9999-12-31, as-of dates at
both ends of the calendar), where date arithmetic overflows unless it is guarded.
"""

from __future__ import annotations

import pytest
from hardening import DOCUMENTED_EXITS, command_paths, leaks, realistic_ledger, run

BAD_DATES = {
    "empty": "",
    "space": " ",
    "tab": "\t",
    "year 0": "0000-01-01",
    "February 30": "2026-02-30",
    "month 13": "2026-13-01",
    "month 0": "2026-00-10",
    "day 0": "2026-01-00",
    "compact zeros": "00000000",
    "five-digit year": "10000-01-01",
    "huge year": "99999999-12-31",
    "negative year": "-2026-01-01",
    "weeks past 9999": "+999999w",
    "months before year 1": "-999999m",
    "years past 9999": "+99999y",
    "offset too long": "+99999999d",
    "thousand-digit offset": "+" + "9" * 1000 + "d",
    "max plus a day": "9999-12-31+1d",
    "ambiguous slashes": "03/04/2026",
    "ambiguous dots": "25.11.2026",
    "US order": "12/31/2026",
    "two-digit year": "26-11-25",
    "with a time": "2026-11-25T10:00",
    "with a zone": "2026-11-25Z",
    "ISO week": "2026-W47",
    "Chinese February 30": "2026年2月30日",
    "Chinese month 13": "2026年13月1日",
    "Arabic-Indic February 30": "٢٠٢٦-٠٢-٣٠",
    "fullwidth hyphens": "２０２６－１１－２５",
    "superscript digits": "²⁰²⁶-¹¹-²⁵",
    "words": "next tuesday",
    "two words": "今天明天",
    "SQL": "2026-11-25'; DROP TABLE commitments;--",
    "SQL or": "' OR 1=1 --",
    "shell": "$(rm -rf ~)",
    "backticks": "`id`",
    "format string": "%s%s%n{0.__class__}",
    "path": "../../etc/passwd",
    "NUL": "\x00",
    "NUL after a date": "2026-11-25\x00",
    "ESC": "\x1b[31m2026-11-25",
    "bidi override": "2026-11-25\u202e",
    "newline": "2026-11-25\n2026-11-26",
    "float": "1e9",
    "NaN": "NaN",
    "inf": "inf",
    "None": "None",
    "sign only": "+",
    "unit only": "d",
    "double sign": "+-1d",
    "1 MB of digits": "1" * 1_000_000,
    "1 MB of junk": "x" * 1_000_000,
}

# (command, arguments before the date); the date comes last.
DATE_OPTIONS = [
    ("list", ["--as-of"]),
    ("list", ["--due-before"]),
    ("list", ["--due-after"]),
    ("show", ["2-1", "--as-of"]),
    ("overdue", ["--as-of"]),
    ("stale", ["--as-of"]),
    ("summary", ["--as-of"]),
    ("report weekly", ["--as-of"]),
    ("export", ["--format", "json", "--as-of"]),
    ("update", ["2-1", "--note", "进展", "--date"]),
    ("extend", ["2-1", "--reason", "资金下达推迟", "--to"]),
    ("extend", ["2-1", "--to", "2026-12-31", "--reason", "资金下达推迟", "--date"]),
    ("add", ["--section", "2", "--title", "新事项", "--lead", "市经济信息委", "--due"]),
]
OPTION_IDS = [f"{cmd} {args[-1]}" for cmd, args in DATE_OPTIONS]


@pytest.fixture
def ledger(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "commitments.toml"
    path.write_text(realistic_ledger(), encoding="utf-8")
    return path


BAD_DATE_CASES = [
    pytest.param(name, which)
    for name in sorted(BAD_DATES)
    for which in range(len(DATE_OPTIONS))
]


@pytest.mark.parametrize(
    ("name", "which"), BAD_DATE_CASES, ids=[f"{c.values[0]}-{OPTION_IDS[c.values[1]]}" for c in BAD_DATE_CASES]
)
def test_bad_dates_exit_2_with_one_line(ledger, name, which):
    command, args = DATE_OPTIONS[which]
    assert command in command_paths(), command
    raw = ledger.read_bytes()
    result = run("--ledger", ledger, *command.split(), *args, BAD_DATES[name])
    assert result.exit_code == 2, result.stderr[:300]
    assert result.stdout == ""
    assert result.stderr.startswith("cytrack: ") and result.stderr.count("\n") == 1, result.stderr[:300]
    assert len(result.stderr) < 3000
    assert leaks(result.stderr) == []
    assert ledger.read_bytes() == raw


def test_an_ambiguous_date_shows_the_iso_forms(ledger):
    result = run("--ledger", ledger, "list", "--as-of", "03/04/2026")
    assert result.stderr == (
        "cytrack: '03/04/2026' is ambiguous (day and month could be either way round);"
        " write it as 2026-03-04 or 2026-04-03 (YYYY-MM-DD).\n"
    )


ACCEPTED = {
    "ISO": "2026-11-25",
    "slashes": "2026/11/25",
    "dots": "2026.11.25",
    "compact": "20261125",
    "Chinese": "2026年11月25日",
    "Chinese with 号": "2026年11月25号",
    "fullwidth digits": "２０２６年１１月２５日",
    "Arabic-Indic digits": "٢٠٢٦-١١-٢٥",
    "surrounding spaces": " 2026-11-25 ",
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_every_accepted_form_means_the_same_day(ledger, name):
    expected = run("--ledger", ledger, "list", "--format", "json", "--as-of", "2026-11-25")
    result = run("--ledger", ledger, "list", "--format", "json", "--as-of", ACCEPTED[name])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == expected.stdout


BAD_WEEKS = {
    "empty": "",
    "week 0": "2026-W00",
    "week 54": "2026-W54",
    "week 53 of a 52-week year": "2025-W53",
    "year 0": "0000-W01",
    "five-digit year": "10000-W01",
    "no year": "W47",
    "no W": "2026-47",
    "a date": "2026-11-25",
    "trailing junk": "2026-W47x",
    "NUL": "2026-W47\x00",
    "ESC": "\x1b[2J2026-W47",
    "newline": "2026-W47\n2026-W48",
    "1 MB": "2026-W" + "4" * 1_000_000,
}


@pytest.mark.parametrize("name", sorted(BAD_WEEKS))
def test_bad_weeks_exit_2_with_one_line(ledger, name):
    assert "report weekly" in command_paths(), "report weekly"
    result = run("--ledger", ledger, "report", "weekly", "--week", BAD_WEEKS[name])
    assert result.exit_code == 2, result.stderr[:300]
    assert result.stderr.startswith("cytrack: ") and result.stderr.count("\n") == 1
    assert len(result.stderr) < 3000
    assert leaks(result.stderr) == []


# ---- the calendar's edges inside the ledger ---------------------------------------------------------

EDGE_LEDGER = """\
schema = 1

[source]
proposal = "1181"
replied = 0001-01-01

[sections]
"1" = "边界"

[[commitments]]
id = "1-1"
section = 1
title = "最后一天到期，月度报送"
lead = "市经济信息委"
status = "in_progress"
due = 9999-12-31
review = "monthly"

  [[commitments.progress]]
  date = 9999-12-20
  percent = 10
  note = "公元9999年的进展。"

  [[commitments.extensions]]
  date = 9999-12-01
  new_due = 9999-12-31
  reason = "延至日历尽头。"

[[commitments]]
id = "1-2"
section = 1
title = "公元1年到期"
lead = "市科技局"
status = "not_started"
due = 0001-01-01
review = "yearly"

[[commitments]]
id = "1-3"
section = 1
title = "年度报送，无进展"
lead = "市教委"
status = "blocked"
due = 9999-12-25
review = "half-yearly"

  [[commitments.progress]]
  date = 9999-06-30
  note = "半年报。"
"""

EDGE_RUNS = [
    ("list", ["--format", "json"]),
    ("list", []),
    ("list", ["--stale", "--overdue"]),
    ("list", ["--due-after", "9999-12-30"]),
    ("show", ["1-1"]),
    ("show", ["1-1", "--format", "json"]),
    ("overdue", ["--format", "json"]),
    ("stale", []),
    ("stale", ["--days", "999999999"]),
    ("stale", ["--days", "1000000000000"]),
    ("summary", []),
    ("report weekly", []),
    ("report weekly", ["--format", "json"]),
    ("report weekly", ["--format", "markdown"]),
    ("export", ["--format", "csv"]),
]
EDGE_DAYS = ["9999-12-31", "9999-12-30", "9999-12-25", "9999-12-24", "0001-01-01", "0001-01-07"]
EDGE_IDS = [f"{c} {' '.join(a)}".strip() for c, a in EDGE_RUNS]
EDGE_CASES = [
    pytest.param(
        which,
        as_of,
        marks=[],
        id=f"{EDGE_IDS[which]}-{as_of}",
    )
    for which in range(len(EDGE_RUNS))
    for as_of in EDGE_DAYS
]


@pytest.mark.parametrize(("which", "as_of"), EDGE_CASES)
def test_the_edges_of_the_calendar(tmp_path, which, as_of):
    command, args = EDGE_RUNS[which]
    assert command in command_paths(), command
    path = tmp_path / "commitments.toml"
    path.write_text(EDGE_LEDGER, encoding="utf-8")
    result = run("--ledger", path, *command.split(), *args, "--as-of", as_of)
    assert result.exit_code == 0, result.stderr
    assert result.stdout


@pytest.mark.parametrize(
    ("week", "code"),
    [
        ("9999-W51", 0),
        ("9999-W52", 2),  # its Sunday would be 10000-01-02
        ("0001-W01", 0),
        ("2026-W53", 0),
    ],
)
def test_the_first_and_last_iso_weeks(tmp_path, week, code):
    assert "report weekly" in command_paths(), "report weekly"
    path = tmp_path / "commitments.toml"
    path.write_text(EDGE_LEDGER, encoding="utf-8")
    for fmt in ("text", "json"):
        result = run("--ledger", path, "report", "weekly", "--week", week, "--format", fmt)
        assert result.exit_code in DOCUMENTED_EXITS
        assert result.exit_code == code, result.stderr
        if code:
            assert result.stderr == f"cytrack: '{week}' ends after 9999-12-31, the last day of the calendar.\n"


def test_writes_at_the_edges_of_the_calendar(tmp_path):
    """An entry dated 9999-12-31 and an extension to it are ordinary writes; reads then still work."""
    assert {"update", "extend"} <= command_paths()
    path = tmp_path / "commitments.toml"
    path.write_text(EDGE_LEDGER, encoding="utf-8")
    # After the real today: refused unless --force (contract §7), then an ordinary write.
    assert run("--ledger", path, "update", "1-1", "--note", "最后一天。", "--date", "9999-12-31").exit_code == 2
    forced = run("--ledger", path, "update", "1-1", "--note", "最后一天。", "--date", "9999-12-31", "--force")
    assert forced.exit_code == 0
    extended = run("--ledger", path, "extend", "1-2", "--to", "9999-12-31", "--reason", "延期", "--date", "0001-01-02")
    assert extended.exit_code == 0, extended.stderr
    for as_of in ("9999-12-31", "0001-01-01"):
        for command in (["list"], ["stale"], ["summary"]):
            assert run("--ledger", path, *command, "--as-of", as_of).exit_code == 0
    assert run("--ledger", path, "validate").exit_code == 0


@pytest.mark.parametrize(
    ("as_of", "relative"),
    [("9999-12-31", r) for r in ("tomorrow", "明天", "+1d", "+1w", "+1m", "+1y")]
    + [("0001-01-01", r) for r in ("yesterday", "昨天", "-1d", "-1w", "-1m", "-1y")],
)
@pytest.mark.parametrize("option", ["--due-before", "--due-after"])
def test_relative_dates_past_the_calendar_exit_2(ledger, as_of, relative, option):
    """In `list`, words and offsets count from --as-of, which may stand on the calendar's last day."""
    result = run("--ledger", ledger, "list", "--as-of", as_of, option, relative)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"cytrack: '{relative}' reaches past the calendar's range (years 1-9999).\n"
