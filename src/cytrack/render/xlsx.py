"""The 台账 as an Excel/WPS workbook: one sheet per ``Table``, ready to filter and print.

Headers are bold and frozen, widths are counted in display cells (a Chinese character is
two), long text wraps, statuses are coloured, dates are real date cells.  Text cells go
through ``csvout.cell`` first, so formulas stay inert and control characters are visible
(openpyxl would refuse them with ``IllegalCharacterError`` anyway).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from rich.cells import cell_len

from cytrack.core.export import Percent, Table
from cytrack.i18n import status_name, table_word
from cytrack.ledger.model import Status
from cytrack.render.csvout import cell as text_cell

# Excel stores at most this many characters in one cell and reports a damaged file beyond it.
CELL_LIMIT = 32767
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH = 6

STATUS_FILLS = {
    Status.NOT_STARTED: "F2F2F2",
    Status.IN_PROGRESS: "DDEBF7",
    Status.BLOCKED: "FFC7CE",
    Status.DONE: "E2EFDA",
    Status.DROPPED: "D9D9D9",
}
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
OVERDUE_FILL = PatternFill("solid", fgColor="FFC7CE")
OVERDUE_FONT = Font(bold=True, color="9C0006")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP = Alignment(vertical="top")
TOP_WRAP = Alignment(vertical="top", wrap_text=True)


def _text(value: Any, lang: str) -> str:
    text = str(text_cell(value))
    if len(text) > CELL_LIMIT:
        suffix = table_word(lang, "truncated")
        text = text[: CELL_LIMIT - len(suffix)] + suffix
    return text


def _display_cells(value: Any, lang: str) -> int:
    """How wide a cell's content is, in terminal-style cells (its longest line for text)."""
    if value is None:
        return 0
    if isinstance(value, Status):
        return cell_len(status_name(lang, value.value))
    if isinstance(value, date):
        return 10
    if isinstance(value, Percent):
        return 4
    if isinstance(value, int):
        return len(str(value))
    return max((cell_len(line) for line in _text(value, lang).splitlines()), default=0)


def _write_cell(ws: Worksheet, row: int, col: int, value: Any, lang: str, wrap: bool) -> None:
    target = ws.cell(row=row, column=col)
    target.border = BORDER
    target.alignment = TOP_WRAP if wrap else TOP
    if value is None:
        return
    if isinstance(value, Status):
        target.value = status_name(lang, value.value)
        target.fill = PatternFill("solid", fgColor=STATUS_FILLS[value])
    elif isinstance(value, Percent):
        target.value = int(value) / 100
        target.number_format = "0%"
    elif isinstance(value, date):
        target.value = value
        target.number_format = DATE_FORMAT
    elif isinstance(value, int) and not isinstance(value, bool):
        target.value = value
    elif text := _text(value, lang):
        target.value = text
        target.data_type = "s"


def _fill_sheet(ws: Worksheet, table: Table, lang: str) -> None:
    ws.title = table.name
    widths = [cell_len(h) for h in table.headers]
    for col, header in enumerate(table.headers, start=1):
        target = ws.cell(row=1, column=col, value=header)
        target.font = Font(bold=True)
        target.fill = HEADER_FILL
        target.border = BORDER
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(table.rows, start=2):
        for col, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            _write_cell(ws, r, col, value, lang, column.wrap)
            widths[col - 1] = max(widths[col - 1], _display_cells(value, lang))
            if column.key == "days_overdue" and value:
                ws.cell(row=r, column=col).font = OVERDUE_FONT
                ws.cell(row=r, column=col).fill = OVERDUE_FILL
    for col, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = max(MIN_WIDTH, min(widths[col - 1], column.max_width)) + 2
    keys = [c.key for c in table.columns]
    frozen = keys.index("title") + 2 if "title" in keys else 1
    ws.freeze_panes = f"{get_column_letter(frozen)}2"
    last = f"{get_column_letter(len(table.columns))}{max(1, len(table.rows) + 1)}"
    ws.auto_filter.ref = f"A1:{last}"


def _print_setup(ws: Worksheet, title: str, lang: str) -> None:
    """Landscape A4, one page wide, the header row repeated, the title on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    # Header and footer text is a mini-language where "&" starts a code; Excel caps it at 255 characters.
    ws.oddHeader.center.text = title.replace("&", "&&")[:200]
    ws.oddFooter.center.text = table_word(lang, "print_footer")


def workbook_bytes(tables: list[Table], lang: str, title: str) -> bytes:
    """The tables as an .xlsx file, the first table on the first sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        ws = wb.create_sheet()
        _fill_sheet(ws, table, lang)
        _print_setup(ws, title, lang)
    wb.properties.title = title[:200]
    wb.properties.creator = "cytrack"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
