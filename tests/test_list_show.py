"""``cytrack list`` and ``cytrack show``: every filter, sort and format, exit codes and the tables."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from rich.cells import cell_len

AS_OF = "2026-03-15"

LEDGER = """\
schema = 1

[source]
proposal = "1181"
replied = 2026-01-01

[sections]
"1" = "持续开展体制机制创新"
"2" = "持续加强产业协同发展"

[[commitments]]
id = "1-1"
section = 1
title = "经济社会管理权限优化配置"
quote = "通过创新体制机制,促进经济社会管理权限优化配置"
lead = "市发展改革委"
co_owners = ["市经济信息委"]
status = "not_started"
percent = 0
review = "half-yearly"
tags = ["体制机制", "改革"]

[[commitments]]
id = "1-2"
section = 1
title = "成本分担和利益共享机制"
quote = "建立成本分担和利益共享机制"
lead = "市发展改革委"
status = "in_progress"
percent = 30
due = 2026-03-10
due_basis = "assumed"
review = "monthly"
tags = ["体制机制"]

  [[commitments.progress]]
  date = 2026-01-05
  status = "in_progress"
  percent = 30
  note = "已起草方案"

[[commitments]]
id = "2-1"
section = 2
title = "电子信息先进制造集群培育提升三年行动"
quote = "实施成渝地区电子信息先进制造集群培育提升三年行动,巩固提升智能终端、新型显示、集成电路、能源电子等领域竞争优势"
lead = "市经济信息委"
lead_basis = "assumed"
co_owners = ["市科技局"]
status = "blocked"
percent = 40
due = 2025-12-31
due_basis = "source"
review = "quarterly"
tags = ["电子信息"]

  [[commitments.progress]]
  date = 2026-01-10
  status = "in_progress"
  percent = 10
  note = "启动三年行动，印发工作方案"
  by = "张三"

  [[commitments.progress]]
  date = 2026-03-01
  status = "blocked"
  percent = 40
  note = "资金未到位"
  by = "李四"
  evidence = "渝经信发〔2026〕12号"

  [[commitments.extensions]]
  date = 2025-12-10
  new_due = 2026-06-30
  reason = "资金调整"
  approved_by = "市政府办公厅"

[[commitments]]
id = "2-10"
section = 2
title = "合作园区企业数量和产品互采金额创新高"
quote = "合作园区企业数量和产品互采金额创新高"
lead = "市经济信息委"
co_owners = ["市发展改革委"]
status = "done"
percent = 100
due = 2026-03-20
tags = ["园区"]

  [[commitments.progress]]
  date = 2026-02-01
  status = "done"
  percent = 100
  note = "全年互采金额突破百亿元"
  evidence = "统计公报"

[[commitments]]
id = "2-2"
section = 2
title = "电走廊、氢走廊、智行走廊建设"
quote = "推进电走廊、氢走廊、智行走廊建设"
lead = "市经济信息委"
status = "in_progress"
percent = 60
due = 2026-03-18
review = "weekly"
tags = ["汽车"]

  [[commitments.progress]]
  date = 2026-03-02
  percent = 60
  note = "加氢站布局方案印发"

[[commitments]]
id = "3-1"
section = 3
title = "先进制造业学科群"
quote = "建设先进制造业学科群"
lead = "市教委"
co_owners = ["市科技局"]
status = "dropped"
percent = 0

  [[commitments.progress]]
  date = 2026-02-15
  status = "dropped"
  note = "并入其他事项"
"""

ROWS = {
    "1-1": {
        "id": "1-1", "reply": "1181", "section": 1, "title": "经济社会管理权限优化配置", "lead": "市发展改革委",
        "co_owners": ["市经济信息委"], "status": "not_started", "percent": 0, "due": None,
        "days_overdue": None, "last_update": None, "tags": ["体制机制", "改革"], "light": None,
    },
    "1-2": {
        "id": "1-2", "reply": "1181", "section": 1, "title": "成本分担和利益共享机制", "lead": "市发展改革委",
        "co_owners": [], "status": "in_progress", "percent": 30, "due": "2026-03-10",
        "days_overdue": 5, "last_update": "2026-01-05", "tags": ["体制机制"], "light": "red",
    },
    "2-1": {
        "id": "2-1", "reply": "1181", "section": 2, "title": "电子信息先进制造集群培育提升三年行动",
        "lead": "市经济信息委",
        "co_owners": ["市科技局"], "status": "blocked", "percent": 40, "due": "2026-06-30",
        "days_overdue": None, "last_update": "2026-03-01", "tags": ["电子信息"], "light": "yellow",
    },
    "2-2": {
        "id": "2-2", "reply": "1181", "section": 2, "title": "电走廊、氢走廊、智行走廊建设", "lead": "市经济信息委",
        "co_owners": [], "status": "in_progress", "percent": 60, "due": "2026-03-18",
        "days_overdue": None, "last_update": "2026-03-02", "tags": ["汽车"], "light": "yellow",
    },
    "2-10": {
        "id": "2-10", "reply": "1181", "section": 2, "title": "合作园区企业数量和产品互采金额创新高",
        "lead": "市经济信息委",
        "co_owners": ["市发展改革委"], "status": "done", "percent": 100, "due": "2026-03-20",
        "days_overdue": None, "last_update": "2026-02-01", "tags": ["园区"], "light": None,
    },
    "3-1": {
        "id": "3-1", "reply": "1181", "section": 3, "title": "先进制造业学科群", "lead": "市教委",
        "co_owners": ["市科技局"], "status": "dropped", "percent": 0, "due": None,
        "days_overdue": None, "last_update": "2026-02-15", "tags": [], "light": None,
    },
}
ALL = ["1-1", "1-2", "2-1", "2-2", "2-10", "3-1"]


@pytest.fixture
def ledger(write_ledger):
    return write_ledger(LEDGER, bare=True)


@pytest.fixture
def ids(cli, ledger):
    """The ids ``cytrack list`` prints as JSON for these options (as of AS_OF unless given)."""

    def run(*args: str) -> list[str]:
        extra = () if "--as-of" in args else ("--as-of", AS_OF)
        result = cli("--ledger", ledger, "list", "--format", "json", *extra, *args)
        assert result.exit_code == 0, result.stderr
        return [r["id"] for r in json.loads(result.stdout)]

    return run


# --- JSON shapes, asserted whole -------------------------------------------------------------------


def test_list_json_is_exactly_the_contract_shape(cli, ledger):
    result = cli("--ledger", ledger, "list", "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [ROWS[i] for i in ALL]
    assert '"title": "经济社会管理权限优化配置"' in result.stdout  # Chinese unescaped
    assert result.stderr == ""


def test_show_json_is_the_row_plus_the_whole_record(cli, ledger):
    result = cli("--ledger", ledger, "show", "2-1", "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        **ROWS["2-1"],
        "quote": "实施成渝地区电子信息先进制造集群培育提升三年行动,"
                 "巩固提升智能终端、新型显示、集成电路、能源电子等领域竞争优势",
        "due_basis": "source",
        "review": "quarterly",
        "progress": [
            {"date": "2026-01-10", "status": "in_progress", "percent": 10, "note": "启动三年行动，印发工作方案",
             "by": "张三", "evidence": None},
            {"date": "2026-03-01", "status": "blocked", "percent": 40, "note": "资金未到位", "by": "李四",
             "evidence": "渝经信发〔2026〕12号"},
        ],
        "extensions": [
            {"date": "2025-12-10", "new_due": "2026-06-30", "reason": "资金调整", "approved_by": "市政府办公厅"},
        ],
    }
    assert list(json.loads(result.stdout)) == [
        "id", "reply", "section", "title", "lead", "co_owners", "status", "percent", "due", "days_overdue",
        "last_update", "tags", "light", "quote", "due_basis", "review", "progress", "extensions",
    ]


def test_show_json_as_of_an_earlier_day(cli, ledger):
    result = cli("--ledger", ledger, "show", "2-1", "-f", "json", "--as-of", "2025-12-01")
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("status", "percent", "due", "days_overdue", "last_update")} == {
        "status": "not_started", "percent": 0, "due": "2025-12-31", "days_overdue": None, "last_update": None,
    }
    assert len(data["progress"]) == 2  # the log is always whole


def test_list_json_keys_are_in_contract_order(cli, ledger):
    result = cli("--ledger", ledger, "list", "-f", "json", "--section", "3")
    assert list(json.loads(result.stdout)[0]) == list(ROWS["3-1"])


def test_empty_json_list(cli, ledger):
    result = cli("--ledger", ledger, "list", "-f", "json", "--search", "不存在的文字")
    assert (result.exit_code, result.stdout) == (0, "[]\n")


# --- filters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ALL),
        (("--status", "in_progress"), ["1-2", "2-2"]),
        (("--status", "blocked", "--status", "done"), ["2-1", "2-10"]),
        (("-s", "受阻"), ["2-1"]),
        (("--status", "In-Progress"), ["1-2", "2-2"]),
        (("--status", "not started"), ["1-1"]),
        (("--status", "in_progress", "--as-of", "2026-01-07"), ["1-2", "2-2"]),  # 2-2's later entry sets no status
        (("--status", "not_started", "--as-of", "2026-01-07"), ["1-1", "2-1", "2-10", "3-1"]),
        (("--owner", "科技局"), ["2-1", "3-1"]),
        (("--owner", "发展改革", "--owner", "教委"), ["1-1", "1-2", "2-10", "3-1"]),
        (("-o", "市经济信息委"), ["1-1", "2-1", "2-2", "2-10"]),
        (("--owner", "市政府"), []),
        (("--section", "2"), ["2-1", "2-2", "2-10"]),
        (("--section", "9"), []),
        (("--tag", "体制机制"), ["1-1", "1-2"]),
        (("--tag", "改革", "-t", "园区"), ["1-1", "2-10"]),
        (("--tag", "体制"), []),
        (("--due-before", "2026-03-18"), ["1-2"]),
        (("--due-before", "2026-03-19"), ["1-2", "2-2"]),
        (("--due-after", "2026-03-18"), ["2-1", "2-10"]),
        (("--due-after", "2026-03-09", "--due-before", "2026-03-21"), ["1-2", "2-2", "2-10"]),
        (("--due-before", "+5d"), ["1-2", "2-2"]),
        (("--due-before", "2026年3月19日"), ["1-2", "2-2"]),
        (("--due-after", "2026-01-01", "--as-of", "2025-12-01"), ["1-2", "2-2", "2-10"]),
        (("--overdue",), ["1-2"]),
        (("--overdue", "--as-of", "2026-07-01"), ["1-2", "2-1", "2-2"]),
        (("--overdue", "--as-of", "2026-03-10"), []),
        (("--stale",), ["1-2", "2-2"]),
        (("--stale", "--as-of", "2026-07-02"), ["1-1", "1-2", "2-1", "2-2"]),
        (("--search", "氢走廊"), ["2-2"]),
        (("--search", "智能终端"), ["2-1"]),
        (("-q", "百亿"), ["2-10"]),
        (("--search", "百亿", "--as-of", "2026-01-15"), []),
        (("--search", "资金"), ["2-1"]),
        (("--search", "机制"), ["1-1", "1-2"]),
        (("--section", "2", "--status", "blocked"), ["2-1"]),
        (("--owner", "市经济信息委", "--overdue"), []),
        (("--stale", "--owner", "发展改革", "--status", "in_progress"), ["1-2"]),
    ],
)
def test_filters(ids, args, expected):
    assert ids(*args) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--status", "finished"), "cytrack: unknown status 'finished'; use one of not_started, in_progress, blocked, "
                                   "done, dropped.\n"),
        (("--as-of", "03/04/2026"), "cytrack: '03/04/2026' is ambiguous (day and month could be either way round); "
                                    "write it as 2026-03-04 or 2026-04-03 (YYYY-MM-DD).\n"),
        (("--due-before", "next week"), "cytrack: cannot read 'next week' as a date; use YYYY-MM-DD (2026-11-25), "
                                        "2026/11/25, 2026年11月25日, today, yesterday, tomorrow or an offset such as "
                                        "+7d, -2w, +3m.\n"),
        (("--sort", "title"),
         "cytrack: cannot sort by 'title'; use one of id, due, status, owner, percent, updated.\n"),
    ],
)
def test_bad_values_exit_2_with_one_line(cli, ledger, args, message):
    result = cli("--lang", "en", "--ledger", ledger, "list", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


@pytest.mark.parametrize("args", [("--section", "0"), ("--section", "two"), ("--format", "xml"), ("--colour",)])
def test_bad_options_exit_2(cli, ledger, args):
    result = cli("--ledger", ledger, "list", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


# --- sorting ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("id", ["1-1", "1-2", "2-1", "2-2", "2-10", "3-1"]),
        ("due", ["1-2", "2-2", "2-10", "2-1", "1-1", "3-1"]),
        ("status", ["1-1", "1-2", "2-2", "2-1", "2-10", "3-1"]),
        ("owner", ["1-1", "1-2", "3-1", "2-1", "2-2", "2-10"]),
        ("percent", ["2-10", "2-2", "2-1", "1-2", "1-1", "3-1"]),
        ("updated", ["2-2", "2-1", "3-1", "2-10", "1-2", "1-1"]),
    ],
)
def test_sort(ids, key, expected):
    assert ids("--sort", key) == expected


def test_sort_due_uses_the_effective_due(ids):
    assert ids("--sort", "due", "--as-of", "2025-12-05") == ["2-1", "1-2", "2-2", "2-10", "1-1", "3-1"]


# --- CSV -------------------------------------------------------------------------------------------


def test_csv_has_the_row_keys_and_one_row_per_commitment(cli, ledger):
    result = cli("--ledger", ledger, "list", "--format", "csv", "--as-of", AS_OF, "--section", "2")
    assert result.exit_code == 0
    assert result.stdout_bytes.decode("utf-8") == (
        "id,section,title,lead,co_owners,status,percent,due,days_overdue,last_update,tags,light\r\n"
        "2-1,2,电子信息先进制造集群培育提升三年行动,市经济信息委,市科技局,blocked,40,2026-06-30,,2026-03-01,电子信息,yellow\r\n"
        "2-2,2,电走廊、氢走廊、智行走廊建设,市经济信息委,,in_progress,60,2026-03-18,,2026-03-02,汽车,yellow\r\n"
        "2-10,2,合作园区企业数量和产品互采金额创新高,市经济信息委,市发展改革委,done,100,2026-03-20,,2026-02-01,园区,\r\n"
    )
    rows = list(csv.DictReader(io.StringIO(cli("--ledger", ledger, "list", "-f", "csv", "--as-of", AS_OF).stdout)))
    assert [r["id"] for r in rows] == ALL
    assert rows[1]["days_overdue"] == "5"
    assert rows[0]["tags"] == "体制机制、改革"


# --- global options on either side ---------------------------------------------------------------


@pytest.mark.parametrize(
    "layout",
    [
        ("--ledger", "{L}", "--lang", "en", "list", "--section", "3"),
        ("list", "--ledger", "{L}", "--lang", "en", "--section", "3"),
        ("list", "--section", "3", "--lang=en", "--ledger={L}"),
        ("--lang=en", "list", "--ledger={L}", "--section", "3"),
        ("--ledger={L}", "list", "--section", "3", "--lang", "en"),
        ("list", "--search", "--lang", "--section", "3", "--lang", "en", "--ledger", "{L}"),
    ],
)
def test_global_options_before_or_after_the_command(cli, ledger, layout):
    args = [a.replace("{L}", str(ledger)) for a in layout]
    result = cli(*args, "--as-of", AS_OF)
    if "--search" in args:  # "--lang" there is the search text, not the option
        assert (result.exit_code, result.stdout) == (0, "No commitment matches.\n")
        return
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].split() == [
        "ID", "Commitment", "Lead", "Status", "Light", "Progress", "Due", "Updated",
    ]
    assert "3-1" in result.stdout and "dropped" in result.stdout


@pytest.mark.parametrize(
    "layout",
    [
        ("show", "2-1", "--lang", "en", "--ledger", "{L}"),
        ("show", "--lang", "en", "2-1", "--ledger={L}"),
        ("--lang", "en", "show", "--ledger", "{L}", "2-1"),
    ],
)
def test_global_options_around_show(cli, ledger, layout):
    result = cli(*[a.replace("{L}", str(ledger)) for a in layout], "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("【2-1】电子信息先进制造集群培育提升三年行动\nSection ")


def test_unknown_language_exits_2(cli, ledger):
    result = cli("--ledger", ledger, "list", "--lang", "fr")
    assert result.exit_code == 2
    assert "fr" in result.stderr


# --- show ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "hint"),
    [
        ("2-3", "did you mean '2-2' or '2-1' or '2-10'?"),
        ("1-3", "did you mean '1-2' or '1-1'?"),
        ("9-99", "`cytrack list` shows the ids."),
    ],
)
def test_unknown_id_exits_2_with_a_hint(cli, ledger, wanted, hint):
    result = cli("--lang", "en", "--ledger", ledger, "show", wanted)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"cytrack: no commitment with id '{wanted}' in {ledger}; ")
    assert hint in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_ids_match_case_insensitively(write_ledger, cli):
    path = write_ledger(LEDGER.replace('id = "1-1"', 'id = "A-1"'), bare=True)
    result = cli("--lang", "en", "--ledger", path, "show", "a-1", "-f", "json")
    assert json.loads(result.stdout)["id"] == "A-1"
    result = cli("--lang", "en", "--ledger", path, "show", "a-2")
    assert "did you mean 'A-1' or " in result.stderr


SHOW_ZH = """\
【2-1】电子信息先进制造集群培育提升三年行动
部分      2 持续加强产业协同发展
答复原文  实施成渝地区电子信息先进制造集群培育提升三年行动,巩固提升智能终端、新
          型显示、集成电路、能源电子等领域竞争优势
牵头单位  市经济信息委（待确认）
配合单位  市科技局
状态      受阻
进度      ██░░░  40%
完成时限  2026-06-30  已延期，原定时限2025-12-31  [答复明确]
预警      黄（受阻）
报送频次  按季报送
标签      电子信息
最近更新  2026-03-01

延期记录（1）
  2025-12-10  延至：2026-06-30  批准人：市政府办公厅
    资金调整

进展记录（2）
  2026-01-10  推进中  10%  报送人：张三
    启动三年行动，印发工作方案
  2026-03-01  受阻  40%  报送人：李四  佐证材料：渝经信发〔2026〕12号
    资金未到位
"""


def _rstripped(text: str) -> str:
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def test_show_table_in_chinese_at_80_columns(cli, ledger, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("--ledger", ledger, "show", "2-1", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert _rstripped(result.stdout) == SHOW_ZH
    assert "\x1b" not in result.stdout


def test_show_marks_overdue_due_soon_stale_and_no_records(cli, ledger):
    out = cli("--ledger", ledger, "show", "1-2", "--as-of", AS_OF).stdout
    assert "完成时限  2026-03-10  [台账设定，待确认]\n          逾期5天" in _rstripped(out)
    assert "最近更新  2026-01-05  久未更新" in out
    assert "延期记录（0）\n  无延期。" in _rstripped(out)
    assert "牵头单位  市发展改革委\n" in _rstripped(out)  # not marked when the lead is not assumed
    out = cli("--ledger", ledger, "--lang", "en", "show", "1-1", "--as-of", AS_OF).stdout
    assert "Due        —\n" in _rstripped(out)
    assert "Review     half-yearly\n" in _rstripped(out)
    assert "Progress log (0)\n  No progress recorded yet.\n" in _rstripped(out)
    out = cli("--ledger", ledger, "--lang", "en", "show", "2-2", "--as-of", AS_OF).stdout
    assert "Due        2026-03-18\n           due in 3d\n" in _rstripped(out)


def test_show_in_english(cli, ledger):
    out = _rstripped(cli("--ledger", ledger, "show", "2-1", "--lang", "en", "--as-of", AS_OF).stdout)
    assert "Lead       市经济信息委 (assumed)\n" in out
    assert "Due        2026-06-30  extended; originally due 2025-12-31  [from the reply]\n" in out
    assert "  2026-03-01  blocked  40%  By: 李四  Evidence: 渝经信发〔2026〕12号\n    资金未到位\n" in out


# --- the table -------------------------------------------------------------------------------------


def _table_lines(stdout: str) -> list[str]:
    """The lines of the table itself: everything above the blank line before the footer."""
    lines = stdout.split("\n")
    return lines[: lines.index("")]


def _title_of(lines: list[str], cid: str) -> str:
    """A row's title put back together from the lines it folds over (continuation lines start blank)."""
    start = next(i for i, line in enumerate(lines) if line.startswith(cid + " "))
    parts = [re.split(r"\s{2,}", lines[start])[1]]
    for line in lines[start + 1 :]:
        if not line.startswith(" ") or not line.strip():
            break
        head = line[6:].split("  ")[0] if not line[6:7].isspace() else ""
        parts.append(head)
    return "".join(parts)


@pytest.mark.parametrize(("lang", "columns"), [("zh", 68), ("zh", 80), ("zh", 99), ("zh", 100), ("zh", 200),
                                               ("en", 80), ("en", 100), ("en", 200)])
def test_table_lines_align_and_fit(cli, ledger, monkeypatch, lang, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    result = cli("--ledger", ledger, "--lang", lang, "list", "--as-of", AS_OF)
    assert result.exit_code == 0
    table = _table_lines(result.stdout)
    widths = {cell_len(line) for line in table}
    assert len(widths) == 1, widths  # every line, Chinese or not, is as wide as the header
    assert widths.pop() <= columns
    assert table[1] == "─" * cell_len(table[0])
    assert [line.split(" ")[0] for line in table[2:] if not line.startswith(" ")] == ALL  # ids whole, in order
    titles = {cid: _title_of(table, cid) for cid in ALL}
    assert titles == {cid: ROWS[cid]["title"] for cid in ALL}  # folded, never cut
    assert "…" not in result.stdout
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize(("lang", "columns"), [("zh", 61), ("zh", 40), ("en", 66), ("en", 40), ("zh", 20)])
def test_narrow_terminals_stack_each_commitment(cli, ledger, monkeypatch, lang, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    result = cli("--ledger", ledger, "--lang", lang, "list", "--as-of", AS_OF)
    assert result.exit_code == 0
    lines = result.stdout.split("\n")
    assert all(cell_len(line) <= columns for line in lines)
    assert not any(line.startswith("─") for line in lines)  # no table: too narrow for one
    assert [line.split(" ")[0] for line in _table_lines(result.stdout) if not line.startswith(" ")] == ALL
    assert "…" not in result.stdout


def test_stacked_layout_at_50_columns(cli, ledger, monkeypatch):
    monkeypatch.setenv("COLUMNS", "50")
    out = _rstripped(cli("--ledger", ledger, "list", "--as-of", AS_OF, "--section", "1").stdout)
    assert out == (
        "1-1 经济社会管理权限优化配置\n"
        "    市发展改革委 · 未启动 · 0% · —\n"
        "1-2 成本分担和利益共享机制\n"
        "    市发展改革委 · 推进中 · 红 · 30% · 2026-03-10\n"
        "    逾期5天\n"
        "\n"
        "共2项（未启动1、推进中1） · 逾期1项 · 久未更新1项\n"
        "截至2026年3月15日\n"
    )


def test_long_titles_fold_instead_of_being_cut(cli, ledger, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    table = _table_lines(cli("--ledger", ledger, "list", "--as-of", AS_OF).stdout)
    assert _title_of(table, "2-1") == "电子信息先进制造集群培育提升三年行动"
    assert len([line for line in table if line.startswith("2-1 ")]) == 1


LIST_ZH_80 = """\
编号  事项                      牵头单位      状态    预警  进度      完成时限
────────────────────────────────────────────────────────────────────────────────
1-1   经济社会管理权限优化配置  市发展改革委  未启动  —     ░░░   0%  —
1-2   成本分担和利益共享机制    市发展改革委  推进中  红    ░░░  30%  2026-03-10
                                                                      逾期5天
2-1   电子信息先进制造集群培育  市经济信息委  受阻    黄    █░░  40%  2026-06-30
      提升三年行动                                                    已延期
2-2   电走廊、氢走廊、智行走廊  市经济信息委  推进中  黄    █░░  60%  2026-03-18
      建设                                                            3天后到期
2-10  合作园区企业数量和产品互  市经济信息委  已办结  —     ███ 100%  2026-03-20
      采金额创新高
3-1   先进制造业学科群          市教委        已终止  —     ░░░   0%  —

共6项（未启动1、推进中2、受阻1、已办结1、已终止1） · 逾期1项 · 7天内到期1项 · 久未更新2项 · 截至2026年3月15日
"""


def test_list_table_at_80_columns(cli, ledger, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("--ledger", ledger, "list", "--as-of", AS_OF)
    assert _rstripped(result.stdout) == LIST_ZH_80.replace(
        " · 逾期1项 · 7天内到期1项 · 久未更新2项 · 截至2026年3月15日",
        " · 逾期1项 · 7天内到期1项\n久未更新2项 · 截至2026年3月15日",
    )


def test_list_footer_on_one_line_when_it_fits(cli, ledger, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    out = cli("--ledger", ledger, "list", "--as-of", AS_OF).stdout
    assert out.endswith(
        "\n\n共6项（未启动1、推进中2、受阻1、已办结1、已终止1） · 逾期1项 · 7天内到期1项 · 久未更新2项"
        " · 截至2026年3月15日\n"
    )
    assert re.search(r"^ *最近更新 *$|最近更新\s*$", out.splitlines()[0])
    out = cli("--ledger", ledger, "--lang", "en", "list", "--as-of", AS_OF, "--section", "3").stdout
    assert out.endswith("\n\nTotal 1 (1 dropped) · as of 2026-03-15\n")


def test_no_match_says_so(cli, ledger):
    result = cli("--ledger", ledger, "list", "--owner", "市政府")
    assert (result.exit_code, result.stdout) == (0, "没有符合条件的承诺事项。\n")


def test_colour_when_forced_and_none_when_piped_or_no_color(cli, ledger, monkeypatch):
    plain = cli("--ledger", ledger, "list", "--as-of", AS_OF).stdout
    assert "\x1b[" not in plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = cli("--ledger", ledger, "list", "--as-of", AS_OF).stdout
    assert "\x1b[31m" in coloured or "\x1b[1;31m" in coloured  # overdue rows in red
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain  # colour adds nothing a reader needs
    monkeypatch.setenv("NO_COLOR", "1")
    no_color = cli("--ledger", ledger, "list", "--as-of", AS_OF).stdout
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m|\x1b\[[0-9;]*;3[0-7]", no_color)


def test_hostile_text_is_shown_not_obeyed(write_ledger, cli):
    nasty = 'x\\u001b[31mred\\u001b]8;;http://e\\u0007link[bold]b[/bold][/x]\\u009b\\u202e'
    path = write_ledger(LEDGER.replace('title = "先进制造业学科群"', f'title = "{nasty}"').replace(
        'note = "并入其他事项"', f'note = "{nasty}\\n第二行"'), bare=True)
    for args in (("list",), ("show", "3-1"), ("--lang", "en", "show", "3-1")):
        result = cli("--ledger", path, *args)
        assert result.exit_code == 0, result.stderr
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", result.stdout)
        assert "[bold]b[/bold][/x]" in result.stdout.replace("\n", "").replace(" ", "") or args == ("list",)
        assert "␛" in result.stdout
    data = json.loads(cli("--ledger", path, "show", "3-1", "-f", "json").stdout)
    assert data["title"] == "x\x1b[31mred\x1b]8;;http://e\x07link[bold]b[/bold][/x]\x9b\u202e"


def test_very_wide_terminals_add_co_owners_and_put_marks_beside_the_date(cli, ledger, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    table = _table_lines(cli("--ledger", ledger, "list", "--as-of", AS_OF).stdout)
    assert table[0].split() == ["编号", "事项", "牵头单位", "配合单位", "状态", "预警", "进度", "完成时限", "最近更新"]
    row = next(line for line in table if line.startswith("1-2 "))
    assert row.split() == ["1-2", "成本分担和利益共享机制", "市发展改革委", "—", "推进中", "红", "█░░░░", "30%",
                           "2026-03-10", "逾期5天", "2026-01-05"]
    assert len(table) == 2 + len(ALL)  # one line per commitment


@pytest.mark.parametrize(
    ("percent", "cells", "bar"),
    [(0, 5, "░░░░░   0%"), (19, 5, "░░░░░  19%"), (20, 5, "█░░░░  20%"), (50, 5, "██░░░  50%"),
     (99, 5, "████░  99%"), (100, 5, "█████ 100%"), (66, 3, "█░░  66%"), (42.5, 20, "████████░░░░░░░░░░░░  42.5%")],
)
def test_percent_bar_is_full_only_when_done(percent, cells, bar):
    from cytrack.render.table import percent_bar

    assert percent_bar(percent, cells).plain == bar
