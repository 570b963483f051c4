"""The weekly report as a Word document laid out as GB/T 9704 (党政机关公文格式) lays out documents.

- A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a 156 × 225 mm text block).
- Title 2号 (22 pt) 方正小标宋简体, centred; the period under it in 楷体_GB2312.
- Body 3号 (16 pt) 仿宋_GB2312, first lines indented two characters, exact line spacing of
  28.9 pt (22 lines a page); parts 一、 in 黑体, sections （一） in 楷体_GB2312.
- Page numbers ``— 1 —`` in 4号 (14 pt) 宋体 at the bottom, from a PAGE field.
- The overdue and due-soon parts as tables as wide as the text block.

Every run names its font for ASCII, hAnsi and eastAsia (``w:rFonts``): without ``w:eastAsia``
Word keeps the theme font for Chinese text.  The fonts GB/T 9704 names are not on every
computer, so the document's font table gives each a fallback (``w:altName``): 方正小标宋简体 →
宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, which Word uses when the first is missing.

python-docx is imported here only, so other commands never load it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from cytrack.render.report_text import Block, TableBlock

TITLE_FONT = "方正小标宋简体"
_BODY_FONT = "仿宋_GB2312"
PART_FONT = "黑体"
SECTION_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
FALLBACKS = {TITLE_FONT: "宋体", _BODY_FONT: "仿宋", SECTION_FONT: "楷体"}

_TITLE_PT = 22.0  # 2号
_BODY_PT = 16.0  # 3号
PAGE_NUMBER_PT = 14.0  # 4号
TABLE_PT = 12.0  # 小四, so six columns fit the 156 mm text block
LINE_PT = 28.9  # 225 mm of text height / 22 lines
TABLE_LINE_PT = 18.0

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156


def set_font(run: Run, name: str, size: float, *, bold: bool = False) -> None:
    """Name ``name`` for ASCII, hAnsi and eastAsia (Chinese) text alike, at ``size`` points."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _spacing(paragraph: Paragraph, line: float = LINE_PT, indent_chars: int = 0, size: float = _BODY_PT) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if indent_chars:
        fmt.first_line_indent = Pt(size * indent_chars)


def _paragraph(doc, text: str, font: str, size: float = _BODY_PT, *, indent: int = 2,  # type: ignore[no-untyped-def]
               align: WD_ALIGN_PARAGRAPH | None = None, line: float = LINE_PT) -> Paragraph:
    p = doc.add_paragraph()
    _spacing(p, line, indent, size)
    if align is not None:
        p.alignment = align
    set_font(p.add_run(text), font, size)
    return p


def _page_number_footer(section) -> None:  # type: ignore[no-untyped-def]
    """``— 1 —`` centred at the bottom: an em dash, the PAGE field, an em dash, in 4号 宋体."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run("— "), PAGE_FONT, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = p.add_run()
        set_font(run, PAGE_FONT, PAGE_NUMBER_PT)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text
    set_font(p.add_run(" —"), PAGE_FONT, PAGE_NUMBER_PT)


def _font_fallbacks(doc) -> None:  # type: ignore[no-untyped-def]
    """Entries in the font table naming a fallback (``w:altName``) for the GB/T 9704 fonts."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from lxml import etree

    part = doc.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    table = etree.fromstring(part.blob)
    for name, alt in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt_name = OxmlElement("w:altName")
        alt_name.set(qn("w:val"), alt)
        font.append(alt_name)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # _GB2312
        font.append(charset)
        table.append(font)
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _normal_style(doc, lang: str) -> None:  # type: ignore[no-untyped-def]
    style = doc.styles["Normal"]
    style.font.name = _BODY_FONT
    style.font.size = Pt(_BODY_PT)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), _BODY_FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(language)


def _set_cell_width(cell, mm: float) -> None:  # type: ignore[no-untyped-def]
    cell.width = Mm(mm)


def _table(doc, block: TableBlock) -> None:  # type: ignore[no-untyped-def]
    """A bordered table exactly as wide as the text block, header row repeated on each page."""
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(block.widths)
    widths = [TEXT_WIDTH_MM * w / total for w in block.widths]
    tbl_pr = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(round(TEXT_WIDTH_MM / 25.4 * 1440)))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    grid = table._tbl.tblGrid
    for col, mm in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(round(mm / 25.4 * 1440)))
    header_row = table.rows[0]
    trpr = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for r, values in enumerate([block.headers, *block.rows]):
        for c, value in enumerate(values):
            cell = table.rows[r].cells[c]
            _set_cell_width(cell, widths[c])
            p = cell.paragraphs[0]
            _spacing(p, TABLE_LINE_PT)
            if r == 0:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif block.numeric[c]:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            set_font(p.add_run(value), PART_FONT if r == 0 else _BODY_FONT, TABLE_PT)


def weekly_docx(blocks: Sequence[Block], lang: str) -> bytes:
    """The weekly report's blocks (``weekly_blocks(..., tables=True)``) as a .docx file."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28 - 7)  # the page number sits about 7 mm below the text block
    _normal_style(doc, lang)
    _font_fallbacks(doc)
    center = WD_ALIGN_PARAGRAPH.CENTER
    for kind, content in blocks:
        if kind == "title":
            _paragraph(doc, str(content), TITLE_FONT, _TITLE_PT, indent=0, align=center, line=36)
        elif kind == "subtitle":
            _paragraph(doc, str(content), SECTION_FONT, indent=0, align=center)
            doc.add_paragraph()  # a blank line before the body, as documents have
            _spacing(doc.paragraphs[-1])
        elif kind == "part":
            _paragraph(doc, str(content), PART_FONT)
        elif kind == "section":
            _paragraph(doc, str(content), SECTION_FONT)
        elif kind == "subsection":  # the third level, 1. (仿宋, as the body)
            _paragraph(doc, str(content), _BODY_FONT)
        elif kind == "items":
            for i, item in enumerate(content, 1):  # type: ignore[arg-type]
                _paragraph(doc, f"{i}. {item}", _BODY_FONT)
        elif kind == "lines":  # numbered already
            for item in content:  # type: ignore[union-attr]
                _paragraph(doc, str(item), _BODY_FONT)
        elif kind == "table":
            _table(doc, content)  # type: ignore[arg-type]
        else:
            _paragraph(doc, str(content), _BODY_FONT, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _page_number_footer(section)
    doc.core_properties.title = next((str(c) for k, c in blocks if k == "title"), "")
    doc.core_properties.author = "cytrack"
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en-US"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
