"""The 台账 workbook and CSV as offices open and print them (issue 17, contract §9).

Structural checks run everywhere (openpyxl); the LibreOffice checks skip when soffice is absent.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from papers_kit import AS_OF, PAPERS_LEDGER, needs_soffice, pdf_text, to_pdf

from cytrack.core.export import Column, Table
from cytrack.render import xlsx_style as xs
from cytrack.render.ledger_csv import text_formula, unwrap_text
from cytrack.render.xlsx import workbook_bytes


@pytest.fixture
def book(cli, write_ledger, tmp_path):
    path = write_ledger(PAPERS_LEDGER)
    out = tmp_path / "台账.xlsx"
    result = cli("--ledger", path, "export", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    return out


def columns(ws) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Header text -> column letter, from the 台账's header row (row 2)."""
    return {c.value: c.column_letter for c in ws[2] if c.value}


def test_title_row_names_the_reply_the_unit_and_the_as_of_date(book):
    ws = openpyxl.load_workbook(book)["台账"]
    assert ws["A1"].value == "第1181号提案答复承诺事项台账\u3000主办单位：市经济信息委"
    assert ws["A1"].font.sz == xs.TITLE_PT and ws["A1"].font.name == "黑体"
    assert ws["J1"].value == "截至" and ws["K1"].value.date() == date(2026, 11, 29)
    assert ws["K1"].number_format == 'yyyy"年"m"月"d"日"'
    assert ws[2][0].value == "序号"


def test_every_written_cell_names_a_chinese_font(book):
    wb = openpyxl.load_workbook(book)
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                seen += 1
                assert c.font.name in (xs.BODY_FONT, xs.HEAD_FONT), (ws.title, c.coordinate, c.font.name)
                assert c.font.charset == xs.GB2312, (ws.title, c.coordinate)
    assert seen > 150
    assert wb["台账"]["C3"].font.name == "宋体" and wb["台账"]["C2"].font.name == "黑体"


def test_print_setup_is_a4_landscape_at_8_pt_or_more_with_header_rows_and_page_numbers(book):
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert ps.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth == 1 and ps.fitToHeight == 0
        assert xs.print_scale(ws) * xs.BODY_PT >= 8.0, (ws.title, xs.print_scale(ws))
        m = ws.page_margins
        assert all(0.3 <= v <= 0.6 for v in (m.left, m.right, m.top, m.bottom)), ws.title
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    ledger = wb["台账"]
    assert int(ledger.page_setup.paperSize) == xs.PAPER_A4
    assert ledger.print_title_rows == "$1:$2"
    # The printed columns are the core ones: 序号 .. 最近更新; 原文 and the details are on screen only.
    assert ledger.print_area == "'台账'!$A$1:$L$7"
    assert [c.value for c in ledger[2]][:12] == [
        "序号", "编号", "事项", "牵头单位", "配合单位", "状态", "进度", "完成时限", "预警", "逾期天数",
        "最近进展", "最近更新",
    ]


def test_a_table_too_wide_for_a4_goes_on_a3():
    wide = Table("t", tuple(Column(f"c{i}", max_width=30) for i in range(8)), [f"c{i}" for i in range(8)],
                 [["字" * 30] * 8])
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes([wide], "zh", "t"))).active
    assert int(ws.page_setup.paperSize) == xs.PAPER_A3
    assert xs.choose_paper(1000) == xs.PAPER_A4 and xs.choose_paper(3000) == xs.PAPER_A3


def test_row_heights_show_every_wrapped_line(book):
    ws = openpyxl.load_workbook(book)["台账"]
    cols = columns(ws)
    one_line = xs.row_height(1)
    for r in range(3, ws.max_row + 1):
        height = ws.row_dimensions[r].height
        assert height is not None and height >= one_line
        for header in ("事项", "最近进展", "原文"):
            letter = cols[header]
            text = ws[f"{letter}{r}"].value or ""
            lines = xs.wrapped_lines(str(text), ws.column_dimensions[letter].width)
            assert height >= xs.row_height(lines), (r, header)
    # 1-1's latest note is longer than its column: the row is at least two lines tall.
    assert ws.row_dimensions[3].height >= xs.row_height(2)


def test_wrapped_lines_counts_chinese_characters_double():
    assert xs.wrapped_lines("", 10) == 1
    assert xs.wrapped_lines("abcdefghij", 12) == 1
    assert xs.wrapped_lines("字" * 20, 12) > xs.wrapped_lines("a" * 20, 12)
    assert xs.wrapped_lines("一\n二\n三", 30) == 3


def test_colours_are_conditional_formats_driven_by_the_cells(book):
    ws = openpyxl.load_workbook(book)["台账"]
    cols = columns(ws)
    rules = {str(rng.sqref): [r.formula[0] for r in rng.rules] for rng in ws.conditional_formatting}
    due, days, light, status = cols["完成时限"], cols["逾期天数"], cols["预警"], cols["状态"]
    last = 7 + 200
    assert rules[f"{due}3:{due}{last}"] == [
        f'AND(ISNUMBER(${due}3),${due}3<$K$1,AND(${status}3<>"已办结",${status}3<>"已终止"))',
        f'AND(ISNUMBER(${due}3),${due}3>=$K$1,${due}3-$K$1<=7,AND(${status}3<>"已办结",${status}3<>"已终止"))',
    ]
    assert rules[f"{days}3:{days}{last}"] == [
        f'AND(ISNUMBER(${days}3),${days}3>0,AND(${status}3<>"已办结",${status}3<>"已终止"))'
    ]
    assert rules[f"{light}3:{light}{last}"] == [f'${light}3="红"', f'${light}3="黄"', f'${light}3="蓝"']
    assert len(rules[f"{status}3:{status}{last}"]) == 5
    # No fixed fill is left to go stale: data cells carry no fill of their own.
    assert all(c.fill.fill_type is None for row in ws.iter_rows(min_row=3) for c in row)


def test_lights_and_computed_cells(book):
    ws = openpyxl.load_workbook(book)["台账"]
    cols = columns(ws)
    by_id = {ws[f"B{r}"].value: r for r in range(3, ws.max_row + 1)}
    light = {i: ws[f"{cols['预警']}{r}"].value for i, r in by_id.items()}
    assert light == {"1-1": "蓝", "1-2": "红", "2-1": None, "2-3": "黄", "2-4": "红"}
    assert ws[f"{cols['逾期天数']}{by_id['1-2']}"].value == 333


def test_status_column_has_a_drop_down_of_the_status_names(book):
    ws = openpyxl.load_workbook(book)["台账"]
    (dv,) = ws.data_validations.dataValidation
    letter = columns(ws)["状态"]
    assert dv.type == "list" and dv.formula1 == '"未启动,推进中,受阻,已办结,已终止"'
    assert str(dv.sqref) == f"{letter}3:{letter}207"
    assert dv.showErrorMessage and dv.allow_blank


def test_summary_sheet_counts_by_lead_unit_and_section_with_formulas_and_stored_values(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["汇总"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    heads = [r[0] for r in cells]
    assert "按牵头单位" in heads and "按所属部分" in heads
    header = cells[heads.index("按牵头单位")]
    assert header == [
        "按牵头单位", "合计", "未启动", "推进中", "受阻", "已办结", "已终止", "逾期", "红灯", "黄灯", "蓝灯"
    ]
    lead_row = heads.index("市经济信息委") + 1
    lead, days = "'台账'!$D$3:$D$207", "'台账'!$J$3:$J$207"
    assert ws[f"B{lead_row}"].value == f"=COUNTIFS({lead},$A{lead_row})"
    assert ws[f"H{lead_row}"].value == f'=COUNTIFS({lead},$A{lead_row},{days},">0")'
    # The values are stored too, for viewers that do not calculate.
    cached = openpyxl.load_workbook(book, data_only=True)["汇总"]
    values = {r[0].value: [c.value for c in r[1:]] for r in cached.iter_rows() if r[0].value}
    assert values["市经济信息委"] == [3, 0, 1, 1, 1, 0, 1, 1, 1, 0]
    assert values["市发展改革委"] == [2, 1, 1, 0, 0, 0, 1, 1, 0, 1]
    assert values["持续开展体制机制创新"][0] == 2
    totals = [r for r in cached.iter_rows(values_only=True) if r[0] == "合计"]
    assert [t[1] for t in totals] == [5, 5]


def test_progress_sheet_shows_the_status_each_entry_left(book):
    ws = openpyxl.load_workbook(book)["进展记录"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    # 1-1's second entry set only the percent: the status stays 推进中; 2-4's entry set only 20%.
    assert [(r[0], r[3], r[4]) for r in rows] == [
        ("1-1", "推进中", 0.3), ("1-1", "推进中", 0.5), ("2-1", "已办结", 1), ("2-3", "受阻", 0.4),
        ("2-4", "推进中", 0.2),
    ]


def test_dates_before_1900_are_text_never_a_negative_serial():
    table = Table("t", (Column("due"),), ["due"], [[date(1899, 12, 31)], [date(1900, 3, 1)]])
    data = workbook_bytes([table], "zh", "t")
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == "1899-12-31" and ws["A2"].data_type == "s"
    assert ws["A3"].value.date() == date(1900, 3, 1)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert not re.search(r"<v>-\d", sheet)


def test_csv_keeps_ids_text_and_counts_what_it_holds(cli, write_ledger, tmp_path):
    path = write_ledger(PAPERS_LEDGER)
    out = tmp_path / "台账.csv"
    result = cli("--ledger", path, "export", "-o", out, "--as-of", AS_OF)
    assert result.stderr == f"cytrack: 已导出到 {out}：5 项承诺事项（csv）。\n"
    rows = list(csv.reader(io.StringIO(out.read_bytes()[3:].decode("utf-8"))))
    assert [r[1] for r in rows[1:]] == ['="1-1"', '="1-2"', '="2-1"', '="2-3"', '="2-4"']
    assert [unwrap_text(r[1]) for r in rows[1:]] == ["1-1", "1-2", "2-1", "2-3", "2-4"]


@pytest.mark.parametrize(
    ("raw", "written"),
    [("1-1", '="1-1"'), ('a"b', '="a""b"'), ("=1+1", "=\"'=1+1\""), ("x" * 300, "x" * 300), ("", "")],
)
def test_text_formula_round_trips(raw, written):
    assert text_formula(raw) == written
    if raw and len(raw) < 255 and not raw.startswith("="):
        assert unwrap_text(written) == raw


@needs_soffice
def test_libreoffice_prints_the_workbook_readably(book):
    pdf = to_pdf(book)
    text = pdf_text(pdf)
    assert "第1181号提案答复承诺事项台账" in text and "1-1" in text and "汇总" not in text.split("\f")[0][:0]
    assert "按牵头单位" in text  # the 汇总 sheet, with numbers LibreOffice shows
    bbox = pdf_text(pdf, "-bbox", "-f", "1", "-l", "1")
    words = re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(市发展改革委)<', bbox)
    assert words, "the lead unit is not on page 1"
    x0, x1, word = words[0]
    assert (float(x1) - float(x0)) / len(word) >= 8.0  # a Chinese character is one em: 8 pt or more


@needs_soffice
def test_libreoffice_keeps_csv_ids_text_with_number_detection_on(cli, write_ledger, tmp_path):
    path = write_ledger(PAPERS_LEDGER)
    out = tmp_path / "台账.csv"
    assert cli("--ledger", path, "export", "-o", out, "--as-of", AS_OF).exit_code == 0
    # UTF-8, Chinese (PRC) locale, detect special numbers on: plain "1-1" would become 1/1/26.
    text = pdf_text(to_pdf(out, "CSV:44,34,76,1,,2052,false,true"))
    assert "1-1" in text and "2-3" in text
    assert "1/1/" not in text and '="' not in text


def _office_with_three_kinds_of_date(cli, today, tmp_path):  # type: ignore[no-untyped-def]
    """An office ledger made by cytrack itself: a reply with its date, one with only tracking_since
    (``reply add`` without ``--replied``), and one with neither (written by hand)."""
    today("2026-12-02")
    entry = tmp_path / "data" / "commitments.toml"
    entry.parent.mkdir()
    entry.write_text('schema = 1\ninclude = ["replies/*.toml"]\n', encoding="utf-8")
    for number, more in (("523", ["--replied", "2026-06-30"]), ("88", [])):
        added = cli("--ledger", entry, "reply", "add", "--kind", "proposal", "--number", number,
                    "--title", f"关于第{number}号的提案", "--lead-unit", "市大数据局", *more)
        assert added.exit_code == 0, added.stderr
    (tmp_path / "data" / "replies" / "600.toml").write_text(
        'schema = 1\n\n[source]\nproposal = "600"\ntitle = "关于日期未知的提案"\nlead_unit = "市教委"\nyear = 2026\n',
        encoding="utf-8")
    assert "tracking_since = 2026-12-02" in (tmp_path / "data" / "replies" / "88.toml").read_text(encoding="utf-8")
    return entry


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_replies_sheet_says_what_is_known_of_each_replys_dates(cli, today, tmp_path, lang):
    entry = _office_with_three_kinds_of_date(cli, today, tmp_path)
    out = tmp_path / "台账.xlsx"
    result = cli("--ledger", entry, "--lang", lang, "export", "-o", out, "--as-of", "2026-12-02")
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    ws = wb["答复件" if lang == "zh" else "Replies"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = rows[0]
    replied = header.index("答复日期" if lang == "zh" else "Replied")
    since = header.index("跟踪起始" if lang == "zh" else "Tracking since")
    assert since == replied + 1
    none = "未记录" if lang == "zh" else "not recorded"
    dates = {r[0]: (r[replied], r[since]) for r in rows[1:]}
    assert dates == {
        "523": (datetime(2026, 6, 30), None),  # tracking counts from the reply date: nothing more to say
        "88": (none, datetime(2026, 12, 2)),  # reply add without --replied
        "600": (none, none),  # neither: staleness cannot be judged
    }
    cell = ws.cell(row=2 + [r[0] for r in rows[1:]].index("88"), column=since + 1)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"


@pytest.mark.parametrize(
    ("dates", "shown"),
    [
        ("replied = 2026-06-30\n", (datetime(2026, 6, 30), None)),
        ("tracking_since = 2026-11-01\n", ("未记录", datetime(2026, 11, 1))),
        ("", ("未记录", "未记录")),
    ],
    ids=["replied", "tracking-only", "neither"],
)
def test_the_about_sheet_of_one_reply_says_when_tracking_began(cli, write_ledger, tmp_path, dates, shown):
    path = write_ledger(PAPERS_LEDGER)
    path.write_text(path.read_text(encoding="utf-8").replace("[source]\n", "[source]\n" + dates, 1), encoding="utf-8")
    out = tmp_path / "台账.xlsx"
    result = cli("--ledger", path, "export", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    rows = list(openpyxl.load_workbook(out)["说明"].iter_rows(min_row=2, values_only=True))
    keys = [r[0] for r in rows]
    assert keys.index("跟踪起始") == keys.index("答复日期") + 1
    about = dict(rows)
    assert (about["答复日期"], about["跟踪起始"]) == shown
