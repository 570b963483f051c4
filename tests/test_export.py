"""`cytrack export`: the 台账 as CSV (BOM), XLSX (openpyxl) and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import openpyxl
import pytest
from conftest import SHIPPED
from hypothesis import given, settings
from hypothesis import strategies as st

from cytrack.core.export import Column, Table
from cytrack.render.xlsx import CELL_LIMIT, workbook_bytes

LEDGER = r'''
[[commitments]]
id = "1-1"
section = 1
title = "=HYPERLINK(\"http://x\",\"点我\")"
quote = "建立成本分担和利益共享机制"
lead = "市发展改革委"
lead_basis = "assumed"
co_owners = ["市经济信息委", "市科技局"]
status = "in_progress"
percent = 40
due = 2026-06-30
due_basis = "assumed"
review = "quarterly"
tags = ["体制机制"]

  [[commitments.progress]]
  date = 2026-03-01
  status = "in_progress"
  percent = 20
  note = "启动调研。"
  by = "张三"

  [[commitments.progress]]
  date = 2026-09-15
  percent = 40
  note = "@SUM(A1) 形成初稿\u001b[31m"
  evidence = "+渝发改〔2026〕3号"

  [[commitments.extensions]]
  date = 2026-06-20
  new_due = 2026-10-31
  reason = "-需要跨省协调"
  approved_by = "市政府办公厅"

[[commitments]]
id = "2-1"
section = 2
title = "电子信息先进制造集群培育提升三年行动"
quote = "实施成渝地区电子信息先进制造集群培育提升三年行动"
lead = "市经济信息委"
status = "not_started"
percent = 0
due = 2025-12-31
due_basis = "source"
'''

HEADER_ZH = [
    "序号", "编号", "事项", "牵头单位", "配合单位", "状态", "进度", "完成时限", "预警", "逾期天数",
    "最近进展", "最近更新", "原文", "所属部分", "时限依据", "原定时限", "报送频次", "分工依据", "标签",
]
HEADER_EN = [
    "No.", "ID", "Commitment", "Lead", "Co-owners", "Status", "Progress", "Due", "Light", "Days overdue",
    "Latest progress", "Updated", "Quote", "Section", "Due basis", "Original due", "Review", "Lead basis", "Tags",
]
ROWS_ZH = [
    [
        "1", '="1-1"', "'=HYPERLINK(\"http://x\",\"点我\")", "市发展改革委", "市经济信息委、市科技局", "推进中", "40%",
        "2026-10-31", "红", "30", "'@SUM(A1) 形成初稿␛[31m", "2026-09-15", "建立成本分担和利益共享机制",
        "持续开展体制机制创新", "台账设定，待确认", "2026-06-30", "按季报送", "台账设定，待确认", "体制机制",
    ],
    [
        "2", '="2-1"', "电子信息先进制造集群培育提升三年行动", "市经济信息委", "", "未启动", "0%", "2025-12-31",
        "红", "334", "", "", "实施成渝地区电子信息先进制造集群培育提升三年行动", "持续加强产业协同发展", "答复明确",
        "", "30天未更新即提醒",
        "", "",
    ],
]


@pytest.fixture
def ledger(write_ledger):
    return write_ledger(LEDGER)


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_csv_has_bom_header_and_one_row_per_commitment(cli, ledger, tmp_path):
    out = tmp_path / "台账.csv"
    result = cli("--ledger", ledger, "export", "--format", "csv", "--output", out, "--as-of", "2026-11-30")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"cytrack: 已导出到 {out}：2 项承诺事项（csv）。\n"  # the CSV holds no progress log
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf\xe5\xba\x8f\xe5\x8f\xb7,")  # BOM, then 序号
    assert b"\r\n" in data and b"\n\n" not in data
    assert read_csv(data) == [HEADER_ZH, *ROWS_ZH]


def test_csv_in_english_and_format_from_suffix(cli, ledger, tmp_path):
    out = tmp_path / "ledger.csv"
    result = cli("--ledger", ledger, "--lang", "en", "export", "-o", out, "--as-of", "2026-11-30")
    assert result.exit_code == 0
    assert result.stderr == f"cytrack: exported to {out}: 2 commitments (csv).\n"
    rows = read_csv(out.read_bytes())
    assert rows[0] == HEADER_EN
    assert rows[1][5:9] == ["in progress", "40%", "2026-10-31", "red"]
    assert rows[2][14:17] == ["from the reply", "", "every 30 days"]


def test_as_of_moves_the_computed_columns(cli, ledger, tmp_path):
    out = tmp_path / "early.csv"
    assert cli("--ledger", ledger, "export", "-o", out, "--as-of", "2026-05-01").exit_code == 0
    first = read_csv(out.read_bytes())[1]
    # Before the extension and the second entry: the original due, 20%, the first note, not overdue.
    assert first[5:12] == ["推进中", "20%", "2026-06-30", "", "", "启动调研。", "2026-03-01"]
    assert first[15] == ""


def test_xlsx_reopens_with_sheets_title_header_rows_and_frozen_pane(cli, ledger, tmp_path):
    out = tmp_path / "台账.xlsx"
    result = cli("--ledger", ledger, "export", "--format", "xlsx", "--output", out, "--as-of", "2026-11-30")
    assert result.exit_code == 0
    assert result.stderr == f"cytrack: 已导出到 {out}：2 项承诺事项，2 条进展记录（xlsx）。\n"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["台账", "汇总", "进展记录", "延期记录", "说明"]
    ws = wb["台账"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:11] == (
        "第1181号提案答复承诺事项台账\u3000主办单位：市经济信息委", *[None] * 8, "截至", datetime(2026, 11, 30),
    )
    assert list(rows[1]) == HEADER_ZH
    assert list(rows[2]) == [
        1, "1-1", "'=HYPERLINK(\"http://x\",\"点我\")", "市发展改革委", "市经济信息委、市科技局", "推进中", 0.4,
        datetime(2026, 10, 31), "红", 30, "'@SUM(A1) 形成初稿␛[31m", datetime(2026, 9, 15),
        "建立成本分担和利益共享机制",
        "持续开展体制机制创新", "台账设定，待确认", datetime(2026, 6, 30), "按季报送", "台账设定，待确认", "体制机制",
    ]
    assert list(rows[3][:12]) == [
        2, "2-1", "电子信息先进制造集群培育提升三年行动", "市经济信息委", None, "未启动", 0, datetime(2025, 12, 31),
        "红", 334, None, None,
    ]
    assert len(rows) == 4
    assert ws.freeze_panes == "D3"
    assert ws.auto_filter.ref == "A2:S4"
    assert all(c.font.bold and c.font.name == "黑体" for c in ws[2])
    assert ws["H3"].number_format == "yyyy-mm-dd" and ws["G3"].number_format == "0%"
    assert ws["C3"].data_type == "s"  # text, never a formula
    assert ws["M3"].alignment.wrap_text
    assert 8 <= ws.column_dimensions["C"].width <= 32
    log = [list(r) for r in wb["进展记录"].iter_rows(values_only=True)]
    assert log == [
        ["编号", "事项", "日期", "状态", "进度", "进展情况", "报送人", "佐证材料"],
        ["1-1", "'=HYPERLINK(\"http://x\",\"点我\")", datetime(2026, 3, 1), "推进中", 0.2, "启动调研。", "张三", None],
        # The second entry set no status: the sheet shows the status it left (推进中).
        ["1-1", "'=HYPERLINK(\"http://x\",\"点我\")", datetime(2026, 9, 15), "推进中", 0.4, "'@SUM(A1) 形成初稿␛[31m",
         None, "'+渝发改〔2026〕3号"],
    ]
    assert wb["进展记录"].freeze_panes == "C2"
    ext = [list(r) for r in wb["延期记录"].iter_rows(values_only=True)]
    assert ext[1] == [
        "1-1", "'=HYPERLINK(\"http://x\",\"点我\")", datetime(2026, 6, 20), datetime(2026, 6, 30),
        datetime(2026, 10, 31), "'-需要跨省协调", "市政府办公厅",
    ]
    about = wb["说明"]
    assert dict(about.iter_rows(min_row=2, values_only=True))["提案号"] == "1181"
    assert dict(about.iter_rows(min_row=2, values_only=True))["统计截至"] == datetime(2026, 11, 30)
    assert about.freeze_panes is None and about.auto_filter.ref is None  # 说明 is plain


def test_xlsx_of_the_shipped_ledger(cli, tmp_path):
    out = tmp_path / "shipped.xlsx"
    result = cli("--ledger", SHIPPED, "--lang", "en", "export", "-o", out, "--as-of", "2026-11-30")
    assert result.exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Ledger", "Summary", "Progress", "Extensions", "About"]
    ws = wb["Ledger"]
    assert ws.max_row == 33
    assert [r[1] for r in ws.iter_rows(min_row=3, max_row=4, values_only=True)] == ["1-1", "1-2"]


def test_xlsx_cell_over_the_excel_limit_is_cut_with_a_note():
    table = Table("t", (Column("note", wrap=True),), ["note"], [["长" * (CELL_LIMIT + 10)]])
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes([table], "zh", "title")))
    value = wb.active["A2"].value
    assert len(value) == CELL_LIMIT
    assert value.endswith("已截断；全文见台账文件）")


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=40))
def test_any_text_makes_an_inert_readable_xlsx_cell(text):
    table = Table("t", (Column("note"),), ["note"], [[text]])
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes([table], "zh", "标题 & more")))
    cell = wb.active["A2"]
    value = cell.value or ""
    assert cell.data_type == ("s" if value else "n")
    assert not value.startswith(("=", "+", "-", "@"))
    assert not any(ord(ch) < 0x20 and ch not in "\t\n" for ch in value)


def test_json_is_the_whole_ledger_with_show_shaped_commitments(cli, ledger, tmp_path):
    out = tmp_path / "ledger.json"
    result = cli("--ledger", ledger, "export", "-o", out, "--as-of", "2026-11-30")
    assert result.exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert list(doc) == ["schema", "as_of", "source", "sections", "replies", "commitments"]
    assert doc["schema"] == 1 and doc["as_of"] == "2026-11-30"
    assert doc["source"] == {
        "proposal": "1181", "title": "关于推动成渝地区双城经济圈产业协同的建议", "proposer": "",
        "lead_unit": "市经济信息委", "co_units": [], "signed_by": "", "category": "", "feedback": "", "replied": None,
        "tracking_since": None,
    }
    assert doc["sections"] == {"1": "持续开展体制机制创新", "2": "持续加强产业协同发展"}
    assert doc["replies"] == [  # as an office export has it, with this one reply
        {"reply": "1181", "kind": "proposal", "year": None, "session": None, "source": doc["source"],
         "sections": doc["sections"]},
    ]
    for item in doc["commitments"]:
        shown = cli("--ledger", ledger, "show", item["id"], "--format", "json", "--as-of", "2026-11-30")
        assert item == json.loads(shown.stdout)
    assert doc["commitments"][0]["days_overdue"] == 30


def test_stdout_when_no_output_is_given(cli, ledger):
    result = cli("--ledger", ledger, "export", "--format", "csv", "--as-of", "2026-11-30")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert read_csv(result.stdout_bytes) == [HEADER_ZH, *ROWS_ZH]
    xlsx = cli("--ledger", ledger, "export", "-f", "xlsx", "-o", "-")
    assert xlsx.stdout_bytes.startswith(b"PK\x03\x04")


def test_refuses_to_export_over_the_ledger(cli, ledger):
    before = ledger.read_bytes()
    result = cli("--lang", "en", "--ledger", ledger, "export", "--format", "csv", "--output", ledger)
    assert result.exit_code == 2
    assert result.stderr == (
        f"cytrack: {ledger} is the ledger file {ledger}; an output never overwrites a ledger or its lock."
        " Nothing was written; give another file name.\n"
    )
    assert ledger.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "csv", "-o", "out.xlsx"], "--format csv does not match the file name out.xlsx; change one of them."),
        (["-o", "out.txt"], "cannot tell the format from the file name out.txt; add --format csv, json or xlsx."),
    ],
)
def test_format_and_file_name_must_agree(cli, ledger, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = cli("--lang", "en", "--ledger", ledger, "export", *args)
    assert result.exit_code == 2
    assert result.stderr == f"cytrack: {message}\n"
    assert not (tmp_path / "out.xlsx").exists() and not (tmp_path / "out.txt").exists()


def test_replaces_an_old_export_atomically_and_leaves_no_temp_file(cli, ledger, tmp_path):
    folder = tmp_path / "exports" / "2026"
    out = folder / "台账.csv"
    assert cli("--ledger", ledger, "export", "-o", out, "--as-of", "2026-05-01").exit_code == 0
    first = out.stat().st_ino
    assert cli("--ledger", ledger, "export", "-o", out, "--as-of", "2026-11-30").exit_code == 0
    assert out.stat().st_ino != first
    assert read_csv(out.read_bytes())[1][9] == "30"
    assert sorted(p.name for p in folder.iterdir()) == ["台账.csv"]


def test_output_that_is_a_folder_is_refused(cli, ledger, tmp_path):
    result = cli("--ledger", ledger, "export", "-f", "csv", "-o", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"cytrack: {tmp_path} 是文件夹；请给出文件名。\n"
    result = cli("--lang", "en", "--ledger", ledger, "export", "-f", "csv", "-o", tmp_path)
    assert result.stderr == f"cytrack: {tmp_path} is a folder; give a file name.\n"


def test_dates_in_xlsx_are_real_dates(ledger, tmp_path):
    """Sanity check of the typed rows: the data layer keeps dates as dates for the XLSX renderer."""
    from cytrack.core.export import ledger_table
    from cytrack.ledger.load import load_ledger

    table = ledger_table(load_ledger(ledger).ledger, date(2026, 11, 30), "zh")
    assert table.rows[0][7] == date(2026, 10, 31) and table.rows[0][15] == date(2026, 6, 30)


def _manual_snippets() -> list[str]:
    """The Python blocks of the manual's section on scripts reading an exported CSV."""
    import re

    from conftest import ROOT

    text = (ROOT / "docs" / "manual.md").read_text(encoding="utf-8")
    section = text.split("#### 脚本读取导出的 CSV", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_manuals_way_for_scripts_reads_plain_ids_from_an_export(cli, ledger, tmp_path, monkeypatch):
    """export CSV keeps ids as ="1-1" (the default, for spreadsheets); the manual's csv snippet gets 1-1 back."""
    monkeypatch.chdir(tmp_path)
    assert cli("--ledger", ledger, "export", "-o", "台账.csv", "--as-of", "2026-11-30").exit_code == 0
    raw = read_csv((tmp_path / "台账.csv").read_bytes())
    assert [row[1] for row in raw[1:]] == ['="1-1"', '="2-1"']
    snippets = _manual_snippets()
    assert len(snippets) == 2 and "csv.DictReader" in snippets[0] and "pd.read_csv" in snippets[1]
    scope: dict[str, object] = {}
    exec(snippets[0], scope)  # noqa: S102 - the documented code, run as a reader would
    rows = scope["rows"]
    assert [row["编号"] for row in rows] == ["1-1", "2-1"]  # type: ignore[attr-defined]
    assert [row["事项"] for row in rows] == [r[2] for r in raw[1:]]  # type: ignore[attr-defined]
    assert scope["plain_id"]("1-1") == "1-1" and scope["plain_id"]('="1181/2-3"') == "1181/2-3"  # type: ignore[operator]
    listed = cli("--ledger", ledger, "list", "--format", "csv")
    assert [row[0] for row in csv.reader(io.StringIO(listed.stdout))][1:] == ["1-1", "2-1"]  # list: plain ids


def test_the_manuals_pandas_way_reads_plain_ids_from_an_export(cli, ledger, tmp_path, monkeypatch):
    pytest.importorskip("pandas", reason="pandas is not installed (the manual's optional way)")
    monkeypatch.chdir(tmp_path)
    assert cli("--ledger", ledger, "export", "-o", "台账.csv", "--as-of", "2026-11-30").exit_code == 0
    scope: dict[str, object] = {}
    exec(_manual_snippets()[1], scope)  # noqa: S102
    assert list(scope["df"]["编号"]) == ["1-1", "2-1"]  # type: ignore[index]
