"""`report weekly --format docx|html`: the 周报 as a GB/T 9704 Word document and as a page with charts.

Structural checks (python-docx, the HTML text) run everywhere; rendering in LibreOffice and
Chromium skips when they are absent.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date

import docx
import pytest
from docx.shared import Pt
from papers_kit import AS_OF, PAPERS_LEDGER, needs_chromium, needs_soffice, pdf_text, screenshot, to_pdf

from cytrack.core.reports import chart_data, closing_dates
from cytrack.ledger.load import load_ledger

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def ledger_path(write_ledger):
    return write_ledger(PAPERS_LEDGER)


@pytest.fixture
def word(cli, ledger_path, tmp_path):
    out = tmp_path / "周报.docx"
    result = cli("--ledger", ledger_path, "report", "weekly", "--as-of", AS_OF, "--format", "docx", "--output", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"cytrack: 周报（Word）已写入 {out}\n"
    return out


@pytest.fixture
def page(cli, ledger_path, tmp_path):
    out = tmp_path / "周报.html"
    result = cli("--ledger", ledger_path, "report", "weekly", "--as-of", AS_OF, "--format", "html", "--output", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"cytrack: 周报网页已写入 {out}\n"
    return out


def fonts_of(run) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    rfonts = run._element.rPr.rFonts
    return {k: rfonts.get(f"{W}{k}") for k in ("ascii", "hAnsi", "eastAsia")}


def test_docx_page_is_a4_with_gbt_9704_margins(word):
    doc = docx.Document(str(word))
    (section,) = doc.sections
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin]
    assert [round(v.mm, 1) for v in sizes] == [210, 297, 37, 35, 28, 26]


def test_docx_every_run_names_its_east_asian_font(word):
    doc = docx.Document(str(word))
    runs = [r for p in doc.paragraphs for r in p.runs]
    runs += [r for t in doc.tables for row in t.rows for cell in row.cells for p in cell.paragraphs for r in p.runs]
    assert len(runs) > 20
    for run in runs:
        names = fonts_of(run)
        assert names["eastAsia"] and names["eastAsia"] == names["ascii"] == names["hAnsi"], (run.text, names)


def test_docx_title_body_and_headings_use_the_official_fonts_and_sizes(word):
    doc = docx.Document(str(word))
    paragraphs = [p for p in doc.paragraphs if p.text]
    title = paragraphs[0]
    assert title.text == "第1181号提案答复承诺事项落实情况周报"
    assert fonts_of(title.runs[0])["eastAsia"] == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    by_text = {p.text: p for p in paragraphs}
    part = by_text["一、总体情况"]
    assert fonts_of(part.runs[0])["eastAsia"] == "黑体" and part.runs[0].font.size == Pt(16)
    section = by_text["（二）持续加强产业协同发展"]
    assert fonts_of(section.runs[0])["eastAsia"] == "楷体_GB2312"
    body = next(p for p in paragraphs if p.text.startswith("共5项承诺事项"))
    assert fonts_of(body.runs[0])["eastAsia"] == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    fmt = body.paragraph_format
    assert fmt.line_spacing_rule is not None and 28 <= fmt.line_spacing.pt <= 29
    assert fmt.first_line_indent == Pt(32)  # two characters


def test_docx_font_table_names_fallbacks(word):
    table = zipfile.ZipFile(word).read("word/fontTable.xml").decode("utf-8")
    for name, alt in (("方正小标宋简体", "宋体"), ("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体")):
        assert re.search(rf'<w:font w:name="{name}"><w:altName w:val="{alt}"/>', table), name


def test_docx_page_number_is_a_page_field_between_dashes_in_size_4(word):
    doc = docx.Document(str(word))
    footer = doc.sections[0].footer.paragraphs[0]
    xml = footer._p.xml
    assert "<w:instrText" in xml and " PAGE " in xml and 'w:fldCharType="begin"' in xml
    assert footer.text == "— 1 —"
    assert all(r.font.size == Pt(14) for r in footer.runs)


def test_docx_tables_fit_the_text_width(word):
    doc = docx.Document(str(word))
    assert len(doc.tables) == 2  # 逾期事项 and 近期到期
    text_width_twips = round(156 / 25.4 * 1440)
    for table in doc.tables:
        grid = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
        assert abs(sum(grid) - text_width_twips) <= 6
        assert table._tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
    overdue = doc.tables[0]
    assert [c.text for c in overdue.rows[0].cells] == ["序号", "编号", "事项", "牵头单位", "完成时限", "逾期天数"]
    assert [c.text for c in overdue.rows[1].cells][1:] == [
        "1-2", "成本分担和利益共享机制", "市发展改革委", "2025年12月31日", "333天"
    ]


def test_docx_holds_the_same_report_as_the_text(cli, ledger_path, word):
    text = cli("--ledger", ledger_path, "report", "weekly", "--as-of", AS_OF).stdout
    body = "\n".join(p.text for p in docx.Document(str(word)).paragraphs)
    in_tables = False  # parts 三 and 四 are tables in Word
    for line in text.splitlines():
        if line.startswith(("三、", "五、")):
            in_tables = line.startswith("三、")
        elif in_tables and line.startswith("1. "):
            continue
        if line and not (in_tables and re.match(r"\d+\. ", line)):
            assert line in body, line


def test_docx_needs_an_output_file_on_a_terminal_and_tells_what_is_missing(cli, ledger_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "docx" else real(name, *a))
    result = cli("--ledger", ledger_path, "report", "weekly", "--format", "docx", "--output", "x.docx")
    assert result.exit_code == 2
    assert "python-docx" in result.stderr and "pip install" in result.stderr


def test_html_is_self_contained_and_escapes_ledger_text(page):
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    # No request of any kind: no URL, no src/href, no url(), no @import, no script.
    assert not re.search(r"https?:|//[a-z]|\bsrc\s*=|\bhref\s*=|url\(|@import|<script|<link|<img|<iframe", html, re.I)
    assert "default-src 'none'" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;引号&#34;" in html
    assert "<script>alert" not in html


def test_html_has_the_report_and_the_charts(page):
    html = page.read_text(encoding="utf-8")
    for heading in ("一、总体情况", "二、本周进展", "三、逾期事项", "四、近期到期", "五、久未更新"):
        assert f"<h2>{heading}" in html
    assert "各牵头单位预警情况" in html and "各牵头单位办理状态" in html and "近12周每周办结事项" in html
    assert html.count('<svg class="bar"') == 4  # two leads, two charts
    assert html.count('<rect class="c-week"') == 1  # one closing (2-1) in the twelve weeks
    assert '<td class="nowrap" data-label="编号">1-2</td>' in html
    assert "@media print" in html and "@media (max-width: 760px)" in html


def test_chart_data_counts_lights_statuses_and_weekly_closings(ledger_path):
    ledger = load_ledger(ledger_path).ledger
    charts = chart_data(ledger, date(2026, 11, 29))
    assert [(c.lead, sum(c.by_status.values())) for c in charts.leads] == [("市经济信息委", 3), ("市发展改革委", 2)]
    first = charts.leads[0]
    assert first.by_light == {"red": 1, "yellow": 1, "blue": 0, None: 1}
    assert len(charts.weeks) == 12 and charts.weeks[-1].start == date(2026, 11, 23)
    assert [w.closed for w in charts.weeks] == [0] * 11 + [1]
    assert closing_dates(ledger.commitments[2]) == [date(2026, 11, 26)]
    assert chart_data(ledger, date(2026, 11, 25)).weeks[-1].closed == 0  # entries after D do not count


def test_html_in_english(cli, ledger_path, tmp_path):
    out = tmp_path / "weekly.html"
    result = cli("--ledger", ledger_path, "--lang", "en", "report", "weekly", "--as-of", AS_OF, "-f", "html",
                 "--output", out)
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Warning lights by lead unit" in html and "<h2>Overdue" in html


@needs_soffice
def test_libreoffice_renders_the_word_report(word):
    pdf = to_pdf(word)
    text = re.sub(r"\s+", "", pdf_text(pdf))  # pdftotext puts spaces between Chinese and digits
    assert "第1181号提案答复承诺事项落实情况周报" in text
    assert "一、总体情况" in text and "三、逾期事项" in text and "成本分担和利益共享机制" in text
    assert "—1—" in text
    info = pdf_text(pdf, "-bbox", "-f", "1", "-l", "1")
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', info)
    assert page and abs(float(page.group(1)) - 595.3) < 1 and abs(float(page.group(2)) - 841.9) < 1  # A4


def test_docx_seq_column_holds_two_characters_at_the_table_font_size(word):
    """序号 must not wrap to 序/号: two 12 pt characters plus the cell margins of the table's style."""
    doc = docx.Document(str(word))
    margins = doc.styles["Table Grid"].element.find(f"{W}tblPr/{W}tblCellMar")
    sides = sum(int(margins.find(f"{W}{side}").get(f"{W}w")) for side in ("left", "right"))
    for table in doc.tables:
        first = int(table._tbl.tblGrid.findall(f"{W}gridCol")[0].get(f"{W}w"))
        header = table.rows[0].cells[0]
        size = header.paragraphs[0].runs[0].font.size.pt
        assert header.text == "序号" and size == 12
        assert first - sides >= 2 * size * 20 + 40  # twips: both characters and two points to spare


@needs_soffice
def test_libreoffice_sets_the_seq_header_on_one_line(word):
    info = pdf_text(to_pdf(word), "-bbox")
    words = re.findall(r'yMin="([\d.]+)"[^>]*>([^<]+)</word>', info)
    assert ("序号" in [w for _, w in words]) and "序" not in [w for _, w in words]
    seq = next(float(y) for y, w in words if w == "序号")
    ids = next(float(y) for y, w in words if w == "编号")
    assert abs(seq - ids) < 1  # on the header's one line, beside 编号


@needs_chromium
@pytest.mark.parametrize("width", [1280, 390])
def test_chromium_renders_the_page_at_desktop_and_phone_width(page, tmp_path, width):
    shot = screenshot(page, width, tmp_path / f"page-{width}.png")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    # A blank page compresses to a few kilobytes; charts and text do not.
    assert len(data) > 30_000
    ihdr = data[16:24]
    assert int.from_bytes(ihdr[:4], "big") == width


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_paper_output_never_overwrites_the_ledger_or_its_lock(cli, ledger_path, fmt):
    before = ledger_path.read_bytes()
    for target in (ledger_path, ledger_path.with_name(ledger_path.name + ".lock")):
        result = cli("--lang", "en", "--ledger", ledger_path, "report", "weekly", "--format", fmt, "--output", target)
        assert result.exit_code == 2
        assert "an output never overwrites a ledger or its lock" in result.stderr
    assert ledger_path.read_bytes() == before
