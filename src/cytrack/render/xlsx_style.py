"""Fonts, borders, widths, row heights and print setup shared by every workbook cytrack writes.

The 台账 (``render/xlsx``) and the 填报表 use the same helpers, so both print the same way:

- Every styled cell names its font (宋体 for the body, 黑体 for headers and titles) with the
  GB2312 character set, so Excel, WPS and LibreOffice pick a Chinese font instead of a serif
  fallback for 宋体-less systems; the workbook's default font is 宋体 too, so cells typed in by
  hand match.
- Widths are in Excel's character units (one unit ≈ one display cell of a 10.5 pt font: a Chinese
  character counts two), and ``row_height`` estimates the wrapped lines from those widths, because
  Excel and WPS do not grow a row to fit on opening a file.
- ``print_setup`` prints landscape with ~1 cm margins, the title and header rows repeated and page
  numbers in the footer, fitted to one page wide; ``choose_paper`` picks A4 when that keeps the body
  text at 8 pt or more after scaling, else A3 (``print_scale`` is the same computation, for tests).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet
from rich.cells import cell_len

BODY_FONT = "宋体"  # SimSun: on every Chinese Windows and in WPS; LibreOffice maps it to a CJK serif
HEAD_FONT = "黑体"  # SimHei, for headers and titles
GB2312 = 134  # the font charset Excel writes for Chinese fonts (<charset val="134"/>)
BODY_PT = 10.5  # 五号
DEFAULT_FONT, DEFAULT_PT = "Arial", 10  # the workbook's default font: its digit width is Excel's width unit
TITLE_PT = 16.0  # 三号
MIN_PRINT_PT = 8.0  # the smallest body text we accept on paper after fit-to-width scaling

DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP = Alignment(vertical="top")
TOP_WRAP = Alignment(vertical="top", wrap_text=True)
TOP_CENTER = Alignment(horizontal="center", vertical="top")
CENTER_WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)

# Paper sizes (mm, portrait) by their openpyxl/Excel paperSize code.
PAPER_A4, PAPER_A3 = 9, 8
PAPER_MM = {PAPER_A4: (210.0, 297.0), PAPER_A3: (297.0, 420.0)}
MARGIN_IN = 0.4  # ≈ 1 cm
FOOTER_MARGIN_IN = 0.6
MM_PER_INCH = 25.4
PX_PER_INCH = 96
DIGIT_PX = 7  # max digit width of the default font at 96 dpi, which Excel's width unit is counted in
CELL_PADDING_PX = 5
ROW_LIMIT_PT = 409.0  # Excel's tallest row


def font(size: float = BODY_PT, *, head: bool = False, bold: bool = False, color: str | None = None) -> Font:
    """A Chinese font by name, with the GB2312 charset so spreadsheet programs treat it as one."""
    return Font(name=HEAD_FONT if head else BODY_FONT, sz=size, bold=bold, color=color, charset=GB2312)


BODY = font()
HEADER = font(head=True, bold=True)
TITLE = font(TITLE_PT, head=True, bold=True)


def use_default_font(wb: Any) -> None:
    """Make Arial 10 the workbook's default font (the "Normal" style), before any cell is written.

    Excel, WPS and LibreOffice count column widths in the default font's digit width.  Arial 10
    has a 7-pixel digit on Windows and so does Liberation Sans (metric-compatible, installed with
    LibreOffice on Linux), so a width means the same everywhere; Calibri, openpyxl's default,
    becomes DejaVu Sans on Linux, a third wider, which shrinks the printout below 8 pt.
    Cells cytrack writes name their Chinese font anyway.
    """
    default = Font(name=DEFAULT_FONT, sz=DEFAULT_PT)
    wb._fonts[0] = default  # noqa: SLF001 - openpyxl has no public setter for the default font
    for style in wb._named_styles:  # noqa: SLF001
        if style.name == "Normal":
            style.font = default


def display_width(text: str) -> int:
    """Width in display cells of the longest line (a Chinese character counts two)."""
    return max((cell_len(line) for line in text.splitlines()), default=0)


def column_px(width: float) -> int:
    """Pixels of a column ``width`` characters wide (Excel's rule for the default font)."""
    return int(width * DIGIT_PX + CELL_PADDING_PX)


def wrapped_lines(text: str, width: float, size: float = BODY_PT) -> int:
    """How many lines ``text`` takes in a wrapping cell ``width`` characters wide at ``size`` points."""
    cell_px = size * PX_PER_INCH / 72 / 2  # a half-width character; a Chinese one is two of these
    per_line = max(1, int((column_px(width) - 2 * CELL_PADDING_PX) / cell_px))
    return sum(max(1, math.ceil(cell_len(line) / per_line)) for line in text.split("\n"))


def row_height(lines: int, size: float = BODY_PT) -> float:
    """Points for ``lines`` lines of ``size``-point text, with a little room above and below."""
    return min(ROW_LIMIT_PT, round(lines * size * 1.35 + 4, 1))


def set_width(ws: Worksheet, col: int, width: float) -> None:
    ws.column_dimensions[get_column_letter(col)].width = width


def style_header(target: Cell) -> None:
    target.font = HEADER
    target.fill = HEADER_FILL
    target.border = BORDER
    target.alignment = CENTER_WRAP


def style_body(target: Cell, wrap: bool = False) -> None:
    target.font = BODY
    target.border = BORDER
    target.alignment = TOP_WRAP if wrap else TOP


def set_date(target: Cell, value: date) -> None:
    """A real date cell; a date before 1900 (which Excel cannot hold) as ISO text, never a negative serial."""
    if value.year < 1900:
        target.value = value.isoformat()
        target.data_type = "s"
    else:
        target.value = value
        target.number_format = DATE_FORMAT


def area_px(ws: Worksheet, first_col: int, last_col: int) -> int:
    """Pixels of columns ``first_col``..``last_col`` (1-based) as widths are set."""
    total = 0
    for col in range(first_col, last_col + 1):
        dim = ws.column_dimensions.get(get_column_letter(col))
        width = dim.width if dim is not None and dim.width else 8.43
        total += column_px(width)
    return total


def fit_scale(paper: int, columns_px: int) -> float:
    """The fit-to-one-page-wide scale for landscape ``paper`` with ~1 cm side margins (1.0 when it fits)."""
    printable_mm = PAPER_MM[paper][1] - 2 * MARGIN_IN * MM_PER_INCH
    printable_px = printable_mm / MM_PER_INCH * PX_PER_INCH
    return min(1.0, printable_px / max(1, columns_px))


def choose_paper(columns_px: int, size: float = BODY_PT) -> int:
    """A4 when fitting the columns to its width keeps ``size``-point text at 8 pt or more, else A3."""
    if fit_scale(PAPER_A4, columns_px) * size >= MIN_PRINT_PT:
        return PAPER_A4
    return PAPER_A3


def print_setup(
    ws: Worksheet, *, last_col: int, title_rows: str, footer: str, last_row: int | None = None
) -> None:
    """Landscape, fitted one page wide over columns A..``last_col``, ~1 cm margins, rows repeated, page numbers.

    ``footer`` is header/footer text in Excel's mini-language (``&P`` page, ``&N`` pages).
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = choose_paper(area_px(ws, 1, last_col))
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(
        left=MARGIN_IN, right=MARGIN_IN, top=MARGIN_IN, bottom=FOOTER_MARGIN_IN, header=0.2, footer=0.25
    )
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = title_rows
    rows = last_row or ws.max_row
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(1, rows)}"
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.font = BODY_FONT
    ws.oddFooter.center.size = 9


def print_scale(ws: Worksheet) -> float:
    """The scale a program applies to fit the print area one page wide (for checks and tests)."""
    area = ws.print_area
    ref = (area[0] if isinstance(area, list) else area).split("!")[-1].replace("$", "")
    min_col, _min_row, max_col, _max_row = range_boundaries(ref)
    return fit_scale(int(ws.page_setup.paperSize), area_px(ws, min_col, max_col))
