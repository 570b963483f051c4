"""The report commands through the CLI: exit codes, JSON shapes, options, files and hostile text."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHIPPED
from rich.cells import cell_len

from cytrack.core.query import ROW_KEYS

LEDGER = Path(__file__).resolve().parent / "golden" / "weekly-ledger.toml"
AS_OF = ("--as-of", "2026-11-29")

ONE_OVERDUE = """
[[commitments]]
id = "1-1"
section = 1
title = "成本分担和利益共享机制"
lead = "市发展改革委"
co_owners = ["市经济信息委"]
status = "in_progress"
percent = 30
due = 2026-11-20

[[commitments]]
id = "2-1"
section = 2
title = "集群培育"
lead = "市经济信息委"
status = "in_progress"
percent = 60
due = 2026-12-31
"""


# overdue


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--check",), 1),
        (("--check", "--format", "json"), 1),
        (("--check", "--format", "text"), 1),
        (("--check", "--as-of", "2026-11-20"), 0),  # the due day itself is not overdue yet
        (("--check", "--owner", "市科技局"), 0),
        ((), 0),
    ],
)
def test_overdue_check_exits_1_only_when_something_is_overdue(cli, write_ledger, args, code):
    path = write_ledger(ONE_OVERDUE)
    result = cli("--ledger", path, "overdue", "--as-of", "2026-11-21", *args)
    assert result.exit_code == code
    assert result.stdout  # the list (or "nothing overdue") is printed either way


def test_overdue_check_prints_the_text_before_exiting_1(cli, write_ledger):
    path = write_ledger(ONE_OVERDUE)
    result = cli("--ledger", path, "overdue", "--check", "--format", "text", "--as-of", "2026-11-21")
    assert result.exit_code == 1
    assert result.stdout == (
        "逾期事项（截至2026年11月21日）\n"
        "1. 【1-1】成本分担和利益共享机制：逾期1天（完成时限2026年11月20日，市发展改革委）。\n"
    )
    empty = cli("--ledger", path, "--lang", "en", "overdue", "--format", "text", "--as-of", "2026-11-20")
    assert (empty.exit_code, empty.stdout) == (0, "Nothing is overdue as of 2026-11-20.\n")


def test_overdue_json_is_list_shaped_rows_most_overdue_first(cli):
    result = cli("--ledger", LEDGER, "overdue", "--format", "json", *AS_OF)
    rows = json.loads(result.stdout)
    assert result.exit_code == 0
    assert all(tuple(r) == ROW_KEYS for r in rows)
    assert [(r["id"], r["days_overdue"], r["due"]) for r in rows] == [
        ("1-1", 333, "2025-12-31"),
        ("2-2", 243, "2026-03-31"),
    ]


def test_overdue_owner_is_a_repeatable_substring_of_lead_or_co_owner(cli, write_ledger):
    path = write_ledger(ONE_OVERDUE)

    def owners(*names: str) -> list[str]:
        args = [a for n in names for a in ("--owner", n)]
        result = cli("--ledger", path, "overdue", "--format", "json", "--as-of", "2027-01-01", *args)
        return [r["id"] for r in json.loads(result.stdout)]

    assert owners("经济信息") == ["1-1", "2-1"]  # co-owner of 1-1, lead of 2-1
    assert owners("发展改革") == ["1-1"]
    assert owners("市教委", "发展改革") == ["1-1"]
    assert owners("市教委") == []


def test_overdue_table_shows_days_lead_and_the_extension(cli):
    result = cli("--ledger", LEDGER, "overdue", *AS_OF)
    assert result.exit_code == 0
    out = result.stdout
    assert "\x1b" not in out  # not a terminal: no colour codes
    assert "333天" in out and "243天" in out and "市发展改革委" in out and "（已延期）" in out
    assert out.index("1-1") < out.index("2-2")
    assert out.rstrip().endswith("逾期2项（截至2026年11月29日）")


# stale


def test_stale_json_is_list_shaped_and_longest_quiet_first(cli):
    result = cli("--ledger", LEDGER, "stale", "--format", "json", *AS_OF)
    rows = json.loads(result.stdout)
    assert all(tuple(r) == ROW_KEYS for r in rows)
    assert [r["id"] for r in rows] == ["3-5", "2-3", "3-1", "3-2", "2-4", "3-3", "3-4"]
    assert rows[0]["last_update"] is None
    # 2-4 was done by an entry after D: as of D it is still open at 30%.
    assert [(r["status"], r["percent"]) for r in rows if r["id"] == "2-4"] == [("in_progress", 30)]


def test_stale_days_overrides_every_rhythm(cli):
    result = cli("--ledger", LEDGER, "--lang", "en", "stale", "--days", "60", "--format", "json", *AS_OF)
    assert [r["id"] for r in json.loads(result.stdout)] == ["3-3", "3-2", "3-5", "3-1", "2-3"]
    refused = cli("--ledger", LEDGER, "stale", "--days", "-1")
    assert refused.exit_code == 2


def test_stale_table_shows_since_when_and_the_rhythm(cli):
    result = cli("--ledger", LEDGER, "stale", *AS_OF)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    row = next(line for line in lines if line.strip().startswith("2-3"))
    assert "2026-09-01" in row and "按月报送" in row and "89天" in row
    row = next(line for line in lines if line.strip().startswith("3-5"))
    assert "尚无" in row and "181天" in row  # counted from replied = 2026-06-01


# summary


def test_summary_json_shape(cli):
    result = cli("--ledger", LEDGER, "summary", "--format", "json", *AS_OF)
    data = json.loads(result.stdout)
    assert list(data) == [
        "as_of", "total", "by_status", "overdue", "stale", "average_percent", "lights", "unjudged", "sections",
        "owners",
    ]
    assert data["lights"] == {"red": 2, "yellow": 10, "blue": 0} and data["unjudged"] == 0
    assert (data["as_of"], data["total"], data["overdue"], data["stale"], data["average_percent"]) == (
        "2026-11-29", 14, 2, 7, 44.2,
    )
    assert data["by_status"] == {"not_started": 1, "in_progress": 10, "blocked": 1, "done": 1, "dropped": 1}
    assert data["sections"][3] == {
        "section": 4, "heading": "持续加强高层次人才培养", "total": 0,
        "by_status": {"not_started": 0, "in_progress": 0, "blocked": 0, "done": 0, "dropped": 0},
        "overdue": 0, "stale": 0, "average_percent": 0.0, "lights": {"red": 0, "yellow": 0, "blue": 0}, "unjudged": 0,
    }
    assert [(o["lead"], o["total"]) for o in data["owners"]][:2] == [("市科技局", 6), ("市经济信息委", 4)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_screen_lists_every_status_section_and_lead(cli, lang):
    result = cli("--ledger", LEDGER, "summary", "--lang", lang, *AS_OF)
    out = result.stdout
    assert result.exit_code == 0 and "\x1b" not in out
    words = {
        "zh": ["共14项：未启动1项、推进中10项、受阻1项、已办结1项、已终止1项；逾期2项；久未更新7项；平均进度44.2%",
               "按部分", "按牵头单位", "（四）持续加强高层次人才培养", "市人力社保局", "已终止", "平均进度"],
        "en": ["14 commitments: 1 not started, 1", "By section", "By lead owner", "Section 4:", "dropped", "Average"],
    }[lang]
    flat = " ".join(out.split())
    for word in words:
        assert " ".join(word.split()) in flat, word
    row = next(line for line in out.splitlines() if "市科技局" in line)
    assert row.split()[1:9] == ["6", "0", "5", "0", "0", "1", "1", "4"]


# report weekly


def test_weekly_week_and_as_of_together_are_refused(cli):
    result = cli("--ledger", LEDGER, "report", "weekly", "--week", "2026-W48", "--as-of", "2026-11-29")
    assert result.exit_code == 2
    assert "--week 和 --as-of 只能给一个" in result.stderr
    result = cli("--lang", "en", "--ledger", LEDGER, "report", "weekly", "--week", "2026-W48", "--as-of", "2026-11-29")
    assert "either --week or --as-of" in result.stderr


@pytest.mark.parametrize(
    ("week", "start", "end"),
    [
        ("2026-W53", "2026-12-28", "2027-01-03"),
        ("2027-W01", "2027-01-04", "2027-01-10"),
        ("2026W01", "2025-12-29", "2026-01-04"),
    ],
)
def test_weekly_iso_weeks_across_the_year_boundary(cli, week, start, end):
    result = cli("--ledger", LEDGER, "report", "weekly", "--week", week, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["period"] == {"start": start, "end": end}


def test_a_week_the_year_lacks_exits_2(cli):
    result = cli("--ledger", LEDGER, "report", "weekly", "--week", "2025-W53")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "2025-W53" in result.stderr and "W52" in result.stderr


def test_weekly_mid_week_runs_from_monday_to_the_as_of_date(cli):
    result = cli("--ledger", LEDGER, "report", "weekly", "--as-of", "2026-11-25", "--format", "json")
    data = json.loads(result.stdout)
    assert data["period"] == {"start": "2026-11-23", "end": "2026-11-25"}
    assert [(p["id"], p["date"]) for p in data["progress"]] == [("1-3", "2026-11-24"), ("1-4", "2026-11-25"),
                                                                 ("3-6", "2026-11-23")]
    text = cli("--ledger", LEDGER, "report", "weekly", "--as-of", "2026-11-25").stdout
    assert text.splitlines()[1] == "（2026年11月23日—2026年11月25日）"
    assert "四、近期到期（2026年11月26日—2026年12月2日）" in text


def test_weekly_output_writes_the_file_atomically_and_says_where(cli, tmp_path):
    target = tmp_path / "reports" / "周报.md"
    args = ("--ledger", LEDGER, "report", "weekly", "--week", "2026-W48", "--format", "markdown")
    result = cli(*args, "--output", target)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"cytrack: 周报已写入 {target}\n"
    expected = cli(*args).stdout
    assert target.read_bytes() == expected.encode("utf-8")
    # Writing again replaces the file (a new inode) and leaves no temporary file behind.
    before = target.stat().st_ino
    again = cli("--ledger", LEDGER, "--lang", "en", "report", "weekly", "--week", "2026-W47", "--output", target)
    assert again.exit_code == 0 and again.stderr == f"cytrack: weekly report written to {target}\n"
    assert target.read_text(encoding="utf-8").startswith("Weekly report")
    assert target.stat().st_ino != before
    assert [p.name for p in target.parent.iterdir()] == ["周报.md"]


def test_weekly_output_to_a_folder_is_refused(cli, tmp_path):
    result = cli("--ledger", LEDGER, "report", "weekly", "--output", tmp_path)
    assert result.exit_code == 2
    assert result.stdout == ""


def test_weekly_on_a_ledger_without_sections_lists_progress_flat(cli, write_ledger):
    body = """\
    schema = 1

    [source]
    proposal = "77"

    [[commitments]]
    id = "a"
    section = 1
    title = "甲"
    lead = "乙"
    status = "in_progress"

      [[commitments.progress]]
      date = 2026-11-24
      note = "做了一些事"
    """
    result = cli("--ledger", write_ledger(body, bare=True), "report", "weekly", "--week", "2026-W48")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "第77号提案答复承诺事项落实情况周报"
    assert lines[lines.index("二、本周进展") + 1] == "1. 【a】甲：做了一些事。（2026年11月24日）"
    assert lines[lines.index("三、逾期事项") + 1] == "无。"


HOSTILE = """
[[commitments]]
id = "1-1"
section = 1
title = "标题[red]*粗*[/red]"
lead = "单位\\u001b[31m"
status = "in_progress"
due = 2026-11-01

  [[commitments.progress]]
  date = 2026-11-24
  note = "第一行\\n第二行 \\u001b]8;;http://x\\u0007link\\u001b]8;; \\u202eevil <b>_x_</b> # `c`"
  by = "甲\\u009b"
"""


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_weekly_shows_hostile_ledger_text_inert_and_on_one_line(cli, write_ledger, fmt):
    result = cli("--ledger", write_ledger(HOSTILE), "report", "weekly", "--week", "2026-W48", "--format", fmt)
    assert result.exit_code == 0
    out = result.stdout
    for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert raw not in out
    shown = (r"\<U+202E\>", r"\<U+009B\>") if fmt == "markdown" else ("<U+202E>", "<U+009B>")
    assert "␛" in out and all(s in out for s in shown)
    line = next(line for line in out.splitlines() if "第一行" in line)
    assert "第二行" in line  # the newline in the note became a space
    if fmt == "markdown":
        assert r"\<b\>\_x\_\</b\> \# \`c\`" in line
        assert r"标题\[red\]\*粗\*\[/red\]" in line
    else:
        assert "<b>_x_</b> # `c`" in line and "标题[red]*粗*[/red]" in line


def test_json_output_does_not_load_the_rich_renderers(tmp_path):
    code = (
        "import sys\n"
        "from cytrack.cli import app\n"
        "for args in (['summary'], ['overdue'], ['stale'], ['report', 'weekly']):\n"
        f"    try: app(['--ledger', {str(LEDGER)!r}, *args, '--format', 'json'], standalone_mode=False)\n"
        "    except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('cytrack.render.', 'rich.table'))), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert done.stderr.strip().splitlines()[-1] == "['cytrack.render.jsonout', 'cytrack.render.terminal']"


@pytest.mark.parametrize("command", ["overdue", "stale"])
@pytest.mark.parametrize(("columns", "text_form"), [("75", True), ("76", False)])
def test_narrow_terminals_get_the_text_form_instead_of_a_cut_table(cli, monkeypatch, command, columns, text_form):
    text = cli("--ledger", LEDGER, command, "--format", "text", *AS_OF)
    monkeypatch.setenv("COLUMNS", columns)
    table = cli("--ledger", LEDGER, command, *AS_OF)
    assert table.exit_code == text.exit_code == 0
    assert (table.stdout == text.stdout) is text_form
    if not text_form:
        assert max(cell_len(line) for line in table.stdout.splitlines()) <= int(columns)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_keeps_every_column_at_80_columns(cli, monkeypatch, lang):
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("--ledger", SHIPPED, "summary", "--lang", lang, *AS_OF)
    lines = result.stdout.splitlines()
    header = next(line for line in lines if ("平均进度" if lang == "zh" else "Average") in line and "%" not in line)
    assert header.rstrip().endswith("平均进度" if lang == "zh" else "Average")
    # Every section and lead owner row ends with its average, e.g. "░░  44.2%": nothing is cut off.
    data = json.loads(cli("--ledger", SHIPPED, "summary", "--format", "json", *AS_OF).stdout)
    groups = [g for g in data["sections"] + data["owners"] if g["total"]]
    averages = [line for line in lines if line.rstrip().endswith("%") and ("░" in line or "█" in line)]
    assert len(averages) == 1 + len(groups)  # the overall bar, then one per section and lead owner


def summary_rows_complete(stdout: str, groups: int) -> bool:
    """Every section and lead owner row of the summary table ends with its average (a bar when there is
    room for one): eight counts, then ``░░░  44.2%`` or ``44.2%``; nothing cut off."""
    row = re.compile(r"(?:\s+\d+\??){8}\s+(?:[█░]+\s+)?\d+\.\d%\s*$")
    return len([line for line in stdout.splitlines() if row.search(line)]) == groups


# The narrowest table: the label column as wide as "Section 1:" (en) or LABEL_WIDTH (zh), the
# average without its bar; one column fewer and the screen is the text form.
@pytest.mark.parametrize(("lang", "fits"), [("zh", 69), ("en", 76)])
def test_summary_switches_to_text_exactly_where_its_table_would_be_cut(cli, monkeypatch, lang, fits):
    data = json.loads(cli("--ledger", SHIPPED, "summary", "--format", "json", *AS_OF).stdout)
    groups = len([g for g in data["sections"] + data["owners"] if g["total"]])
    text = cli("--ledger", SHIPPED, "summary", "--lang", lang, "--format", "text", *AS_OF).stdout
    monkeypatch.setenv("COLUMNS", str(fits))
    table = cli("--ledger", SHIPPED, "summary", "--lang", lang, *AS_OF).stdout
    assert table != text and summary_rows_complete(table, groups)
    assert max(cell_len(line) for line in table.splitlines()) <= fits
    monkeypatch.setenv("COLUMNS", str(fits - 1))
    assert cli("--ledger", SHIPPED, "summary", "--lang", lang, *AS_OF).stdout == text


def test_summary_text_form_names_every_group_with_its_counts(cli, write_ledger):
    path = write_ledger(ONE_OVERDUE)
    result = cli("--ledger", path, "summary", "--format", "text", *AS_OF)
    assert (result.exit_code, result.stderr) == (0, "")
    group = (
        "  共1项：未启动0项、推进中1项、受阻0项、已办结0项、已终止0项；"
        "逾期{o}项；久未更新0项；平均进度{a}%；1项无法判断是否久未更新\n"
    )
    lights = "  预警：红灯{r}项、黄灯0项、蓝灯0项\n"
    first = group.format(o=1, a="30.0") + lights.format(r=1)
    second = group.format(o=0, a="60.0") + lights.format(r=0)
    assert result.stdout == (
        "第1181号提案答复承诺事项汇总（截至2026年11月29日）\n"
        "共2项：未启动0项、推进中2项、受阻0项、已办结0项、已终止0项；逾期1项；久未更新0项；平均进度45.0%"
        "；2项无法判断是否久未更新\n"
        "预警：红灯1项、黄灯0项、蓝灯0项\n"
        "2项承诺事项尚无进展记录，台账 [source] 中也没有 replied（答复日期）或 tracking_since（跟踪起始日期），"
        "无法判断是否久未更新；请在 [source] 中填写其中之一，如 tracking_since = 2026-11-29。\n"
        "\n"
        "按部分\n"
        "（一）持续开展体制机制创新\n" + first +
        "（二）持续加强产业协同发展\n" + second +
        "\n"
        "按牵头单位\n"
        "市发展改革委\n" + first +
        "市经济信息委\n" + second
    )
    english = cli("--ledger", path, "--lang", "en", "summary", "--format", "text", *AS_OF).stdout.splitlines()
    assert english[1] == (
        "2 commitments: 0 not started, 2 in progress, 0 blocked, 0 done, 0 dropped; 1 overdue; 0 stale;"
        " average progress 45.0%; 2 cannot be judged for staleness"
    )
    assert english[2] == "Warning lights: 1 red, 0 yellow, 0 blue"
    assert english[6:9] == [
        "Section 1: 持续开展体制机制创新",
        "  1 commitment: 0 not started, 1 in progress, 0 blocked, 0 done, 0 dropped; 1 overdue; 0 stale;"
        " average progress 30.0%; 1 cannot be judged for staleness",
        "  Warning lights: 1 red, 0 yellow, 0 blue",
    ]
