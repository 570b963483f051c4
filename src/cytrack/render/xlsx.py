"""The 台账 as an Excel/WPS workbook: one sheet per ``Table``, ready to filter, edit and print.

The 台账 sheet has a title row (reply, lead unit, 截至 date) above its header; the header is
frozen and repeated on every printed page; the printed columns are the core ones (A4 landscape,
8 pt or more after fitting, see ``xlsx_style``).  Colours are conditional formats computed from
the cells themselves (status, 完成时限 against the 截至 date, the 预警 light), so a hand edit
recolours; the status column has a drop-down of the status names.  A 汇总 sheet counts by lead
unit and by section with COUNTIFS formulas over the 台账 (their values are stored too, for
viewers that do not calculate).  Text cells go through ``csvout.cell`` first, so formulas stay
inert and control characters are visible (openpyxl would refuse them anyway).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cytrack.core.export import Percent, Table
from cytrack.core.state import DUE_SOON_DAYS
from cytrack.i18n import light_name, status_name, table_word
from cytrack.ledger.model import STATUS_VALUES, Status
from cytrack.render import xlsx_style as xs
from cytrack.render.csvout import cell as text_cell

# Excel stores at most this many characters in one cell and reports a damaged file beyond it.
CELL_LIMIT = 32767
MIN_WIDTH = 4
# Conditional formats, the drop-down and the 汇总 formulas reach this many rows below the data,
# so rows added by hand are coloured, validated and counted too.
SPARE_ROWS = 200

STATUS_FILLS = {
    Status.NOT_STARTED: "F2F2F2",
    Status.IN_PROGRESS: "DDEBF7",
    Status.BLOCKED: "FFC7CE",
    Status.DONE: "E2EFDA",
    Status.DROPPED: "D9D9D9",
}
RED_FILL, RED_TEXT = "FFC7CE", "9C0006"
YELLOW_FILL, YELLOW_TEXT = "FFEB9C", "9C5700"
BLUE_FILL, BLUE_TEXT = "BDD7EE", "1F4E78"
LIGHT_COLOURS = {"red": (RED_FILL, RED_TEXT), "yellow": (YELLOW_FILL, YELLOW_TEXT), "blue": (BLUE_FILL, BLUE_TEXT)}
_CRITERIA_SPECIAL = re.compile(r"[*?~]|^[<>=]")


@dataclass(frozen=True)
class Heading:
    """The title row of the 台账 sheet: its title (reply and unit) and the 截至 date of the computed columns."""

    title: str
    as_of: date


def _text(value: Any, lang: str) -> str:
    text = str(text_cell(value))
    if len(text) > CELL_LIMIT:
        suffix = table_word(lang, "truncated")
        text = text[: CELL_LIMIT - len(suffix)] + suffix
    return text


def _shown(value: Any, lang: str) -> str:
    """A cell's value as it shows on screen (for widths and wrapped lines)."""
    if value is None:
        return ""
    if isinstance(value, Status):
        return status_name(lang, value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Percent):
        return f"{int(value)}%"
    if isinstance(value, int):
        return str(value)
    return _text(value, lang)


def _write_cell(ws: Worksheet, row: int, col: int, value: Any, lang: str, wrap: bool) -> None:
    target = ws.cell(row=row, column=col)
    xs.style_body(target, wrap)
    if isinstance(value, int) and not isinstance(value, (bool, Percent)) and col == 1:
        target.alignment = xs.TOP_CENTER  # 序号, so it does not run into the id beside it
    if value is None:
        return
    if isinstance(value, Status):
        target.value = status_name(lang, value.value)
    elif isinstance(value, Percent):
        target.value = int(value) / 100
        target.number_format = "0%"
    elif isinstance(value, date):
        xs.set_date(target, value)
    elif isinstance(value, int) and not isinstance(value, bool):
        target.value = value
    elif text := _text(value, lang):
        target.value = text
        target.data_type = "s"


def _fill_sheet(ws: Worksheet, table: Table, lang: str, header_row: int = 1, *, plain: bool = False) -> None:
    """Header at ``header_row``, the rows below it, widths and row heights; frozen and filtered unless ``plain``."""
    ws.title = table.name
    widths = [
        min(xs.display_width(h), max(c.max_width, MIN_WIDTH))
        for h, c in zip(table.headers, table.columns, strict=True)
    ]
    for col, header in enumerate(table.headers, start=1):
        xs.style_header(ws.cell(row=header_row, column=col, value=header))
    shown = [[_shown(v, lang) for v in row] for row in table.rows]
    for r, (row, texts) in enumerate(zip(table.rows, shown, strict=True), start=header_row + 1):
        for col, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            _write_cell(ws, r, col, value, lang, column.wrap)
            widths[col - 1] = max(widths[col - 1], min(xs.display_width(texts[col - 1]), column.max_width))
    final = [max(MIN_WIDTH, w) + 2 for w in widths]
    for col, width in enumerate(final, start=1):
        xs.set_width(ws, col, width)
    ws.row_dimensions[header_row].height = xs.row_height(
        max((xs.wrapped_lines(h, w) for h, w in zip(table.headers, final, strict=True)), default=1)
    )
    for r, texts in enumerate(shown, start=header_row + 1):
        cells = zip(texts, final, table.columns, strict=True)
        lines = max((xs.wrapped_lines(t, w) if c.wrap else 1 for t, w, c in cells), default=1)
        ws.row_dimensions[r].height = xs.row_height(lines)
    if plain:
        return
    keys = [c.key for c in table.columns]
    frozen = keys.index("title") + 2 if "title" in keys else 1
    ws.freeze_panes = f"{get_column_letter(frozen)}{header_row + 1}"
    last = f"{get_column_letter(len(table.columns))}{max(header_row, header_row + len(table.rows))}"
    ws.auto_filter.ref = f"A{header_row}:{last}"


def _footer(lang: str) -> str:
    return table_word(lang, "print_footer")


def _plain_sheet(wb: Workbook, table: Table, lang: str, *, plain: bool = False) -> Worksheet:
    ws = wb.create_sheet()
    _fill_sheet(ws, table, lang, plain=plain)
    xs.print_setup(ws, last_col=len(table.columns), title_rows="1:1", footer=_footer(lang))
    if not plain:
        _status_colours(ws, table, lang, 2, max(2, len(table.rows) + 1))
    return ws


def _col(table: Table, key: str) -> int | None:
    """The 1-based column of ``key`` in ``table``, or None when the table has no such column."""
    for i, column in enumerate(table.columns, start=1):
        if column.key == key:
            return i
    return None


def _rule(ws: Worksheet, ref: str, formula: str, fill: str, text: str) -> None:
    ws.conditional_formatting.add(
        ref,
        FormulaRule(
            formula=[formula], fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(color=text),
            stopIfTrue=False,
        ),
    )


def _formula_text(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _status_colours(ws: Worksheet, table: Table, lang: str, first: int, last: int) -> None:
    """The status column coloured by the status name it holds."""
    col = _col(table, "status")
    if col is None:
        return
    letter = get_column_letter(col)
    for status in Status:
        name = _formula_text(status_name(lang, status.value))
        _rule(ws, f"{letter}{first}:{letter}{last}", f"${letter}{first}={name}", STATUS_FILLS[status], "000000")


def _ledger_colours(ws: Worksheet, table: Table, lang: str, first: int, last: int, as_of_ref: str) -> None:
    """Overdue red and due-soon yellow on 完成时限 and 逾期天数, the light by its word, the status by its name."""
    _status_colours(ws, table, lang, first, last)
    status, due, days, light = (_col(table, k) for k in ("status", "due", "days_overdue", "light"))
    if status is not None:
        s = f"${get_column_letter(status)}{first}"
        closed = ",".join(f"{s}<>{_formula_text(status_name(lang, v.value))}" for v in Status if v.closed)
        still_open = f"AND({closed})"
    else:
        still_open = "TRUE"
    if due is not None:
        d = f"${get_column_letter(due)}{first}"
        ref = f"{get_column_letter(due)}{first}:{get_column_letter(due)}{last}"
        _rule(ws, ref, f"AND(ISNUMBER({d}),{d}<{as_of_ref},{still_open})", RED_FILL, RED_TEXT)
        _rule(
            ws, ref, f"AND(ISNUMBER({d}),{d}>={as_of_ref},{d}-{as_of_ref}<={DUE_SOON_DAYS},{still_open})",
            YELLOW_FILL, YELLOW_TEXT,
        )
    if days is not None:
        n = f"${get_column_letter(days)}{first}"
        ref = f"{get_column_letter(days)}{first}:{get_column_letter(days)}{last}"
        _rule(ws, ref, f"AND(ISNUMBER({n}),{n}>0,{still_open})", RED_FILL, RED_TEXT)
    if light is not None:
        g = f"${get_column_letter(light)}{first}"
        ref = f"{get_column_letter(light)}{first}:{get_column_letter(light)}{last}"
        for key, (fill, text) in LIGHT_COLOURS.items():
            _rule(ws, ref, f"{g}={_formula_text(light_name(lang, key))}", fill, text)


def _status_dropdown(ws: Worksheet, table: Table, lang: str, first: int, last: int) -> None:
    col = _col(table, "status")
    if col is None:
        return
    names = [status_name(lang, v) for v in STATUS_VALUES]
    joined = ",".join(names)
    dv = DataValidation(
        type="list", formula1=_formula_text(joined), allow_blank=True, showDropDown=False,
        showErrorMessage=True, showInputMessage=True,
        promptTitle=table_word(lang, "status_prompt_title"), prompt=table_word(lang, "status_prompt"),
        errorTitle=table_word(lang, "status_error_title"),
        error=table_word(lang, "status_error", names="、".join(names) if lang == "zh" else ", ".join(names)),
    )
    letter = get_column_letter(col)
    dv.add(f"{letter}{first}:{letter}{last}")
    ws.add_data_validation(dv)


def _title_row(ws: Worksheet, heading: Heading, lang: str, last_col: int) -> str:
    """Row 1: the title across the printed columns, then 截至 and the date (a real date cell, merged
    over the last two printed columns); returns the date cell's address for the colour rules."""
    date_col = max(4, last_col - 1)
    ws.cell(row=1, column=1, value=_text(heading.title, lang))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=date_col - 2)
    label = ws.cell(row=1, column=date_col - 1, value=table_word(lang, "sheet_as_of"))
    when = ws.cell(row=1, column=date_col)
    xs.set_date(when, heading.as_of)
    if isinstance(when.value, date):
        when.number_format = table_word(lang, "as_of_format")
    ws.merge_cells(start_row=1, start_column=date_col, end_row=1, end_column=max(date_col, last_col))
    for col in range(1, date_col + 1):
        ws.cell(row=1, column=col).font = xs.TITLE if col == 1 else xs.HEADER
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="left", vertical="center")
    label.alignment = Alignment(horizontal="right", vertical="center")
    when.alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[1].height = xs.row_height(1, xs.TITLE_PT)
    return f"${get_column_letter(date_col)}$1"


def _ledger_sheet(wb: Workbook, table: Table, lang: str, heading: Heading) -> Worksheet:
    ws = wb.create_sheet()
    _fill_sheet(ws, table, lang, header_row=2)
    core = [i for i, c in enumerate(table.columns, start=1) if c.core]
    last_core = core[-1] if core else len(table.columns)
    as_of_ref = _title_row(ws, heading, lang, last_core)
    first, last = 3, 2 + len(table.rows) + SPARE_ROWS
    _ledger_colours(ws, table, lang, first, last, as_of_ref)
    _status_dropdown(ws, table, lang, first, last)
    xs.print_setup(ws, last_col=last_core, title_rows="1:2", footer=_footer(lang), last_row=2 + len(table.rows))
    return ws


# The 汇总 sheet ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Measure:
    """One count column of the 汇总: its header, its COUNTIFS criteria beyond the group, its Python test."""

    header: str
    criteria: tuple[tuple[str, str], ...]  # (column key in the 台账, criterion as formula text)
    test: Callable[[dict[str, Any]], bool]


def _measures(table: Table, lang: str) -> list[_Measure]:
    found = [_Measure(table_word(lang, "sum_total"), (), lambda r: True)]
    if _col(table, "status") is not None:
        for v in STATUS_VALUES:
            name = status_name(lang, v)
            found.append(_Measure(name, (("status", _formula_text(name)),),
                                  lambda r, v=v: isinstance(r["status"], Status) and r["status"].value == v))
    if _col(table, "days_overdue") is not None:
        found.append(_Measure(table_word(lang, "sum_overdue"), (("days_overdue", '">0"'),),
                              lambda r: bool(r["days_overdue"])))
    if _col(table, "light") is not None:
        for key in ("red", "yellow", "blue"):
            word = light_name(lang, key)
            found.append(_Measure(table_word(lang, f"sum_light_{key}"), (("light", _formula_text(word)),),
                                  lambda r, word=word: r["light"] == word))
    return found


def _groups(table: Table, key: str, lang: str, by_count: bool) -> list[str]:
    """The distinct values of column ``key`` as the 台账 shows them: in file order, or most rows first
    (ties in file order) when ``by_count``."""
    col = _col(table, key)
    assert col is not None
    counts: dict[str, int] = {}
    for row in table.rows:
        name = _shown(row[col - 1], lang)
        counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: -counts[n]) if by_count else list(counts)


def _summary_sheet(wb: Workbook, table: Table, sheet: str, lang: str) -> tuple[Worksheet, dict[str, float]]:
    """Counts by lead unit and by section as COUNTIFS over the 台账; returns the sheet and the values."""
    ws = wb.create_sheet(table_word(lang, "sheet_summary"))
    measures = _measures(table, lang)
    rows = [dict(zip((c.key for c in table.columns), r, strict=True)) for r in table.rows]
    shown_rows = [{k: _shown(v, lang) for k, v in r.items()} for r in rows]
    last = 2 + len(table.rows) + SPARE_ROWS

    def rng(key: str) -> str:
        letter = get_column_letter(_col(table, key) or 1)
        return f"{quote_sheetname(sheet)}!${letter}$3:${letter}${last}"

    values: dict[str, float] = {}
    note = ws.cell(row=1, column=1, value=table_word(lang, "sum_note", sheet=sheet))
    note.font = xs.BODY
    ws.row_dimensions[1].height = xs.row_height(1)
    r = 2
    wanted = (("lead", "sum_by_lead"), ("number", "sum_by_reply"), ("section_title", "sum_by_section"))
    blocks = [(k, h) for k, h in wanted if _col(table, k)]
    for key, heading in blocks:
        r += 1
        xs.style_header(ws.cell(row=r, column=1, value=table_word(lang, heading)))
        for j, m in enumerate(measures, start=2):
            xs.style_header(ws.cell(row=r, column=j, value=m.header))
        ws.row_dimensions[r].height = xs.row_height(1)
        first_row = r + 1
        for name in _groups(table, key, lang, by_count=key == "lead"):
            r += 1
            label = ws.cell(row=r, column=1, value=name or table_word(lang, "sum_no_lead"))
            xs.style_body(label, wrap=True)
            label.data_type = "s"
            members = [row for row, shown in zip(rows, shown_rows, strict=True) if shown[key] == name]
            literal = not name or bool(_CRITERIA_SPECIAL.search(name))
            for j, m in enumerate(measures, start=2):
                target = ws.cell(row=r, column=j)
                xs.style_body(target)
                count = sum(1 for row in members if m.test(row))
                if literal:  # COUNTIFS would read it as a pattern (or match blank rows): store the number
                    target.value = count
                    continue
                parts = [rng(key), f"$A{r}"] + [p for k, crit in m.criteria for p in (rng(k), crit)]
                target.value = f"=COUNTIFS({','.join(parts)})"
                values[target.coordinate] = count
            ws.row_dimensions[r].height = xs.row_height(xs.wrapped_lines(name, 30))
        r += 1
        total = ws.cell(row=r, column=1, value=table_word(lang, "sum_total"))
        xs.style_header(total)
        for j, m in enumerate(measures, start=2):
            target = ws.cell(row=r, column=j)
            xs.style_header(target)
            letter = get_column_letter(j)
            target.value = f"=SUM({letter}{first_row}:{letter}{r - 1})"
            values[target.coordinate] = sum(1 for row in rows if m.test(row))
        ws.row_dimensions[r].height = xs.row_height(1)
        r += 1
    xs.set_width(ws, 1, 32)
    for j, m in enumerate(measures, start=2):
        xs.set_width(ws, j, max(7, xs.display_width(m.header) + 2))
    xs.print_setup(ws, last_col=1 + len(measures), title_rows="1:1", footer=_footer(lang))
    return ws, values


def _store_values(data: bytes, sheet_index: int, values: dict[str, float]) -> bytes:
    """Write the computed values of formula cells into the saved file (openpyxl leaves them empty),
    so viewers that show stored values (previews, phones) show the numbers; Excel, WPS and
    LibreOffice recalculate anyway."""
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    source = zipfile.ZipFile(io.BytesIO(data))
    xml = source.read(name).decode("utf-8")

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value is None:
            return match.group(0)
        return f'<c r="{match.group(1)}"{match.group(2)}><f>{match.group(3)}</f><v>{value:g}</v></c>'

    xml = re.sub(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>', fill, xml)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, xml.encode("utf-8") if info.filename == name else source.read(info.filename))
    return out.getvalue()


def _new_workbook(title: str) -> Workbook:
    wb = Workbook()
    xs.use_default_font(wb)
    wb.remove(wb.active)
    wb.properties.title = title[:200]
    wb.properties.creator = "cytrack"
    return wb


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def workbook_bytes(tables: Sequence[Table], lang: str, title: str) -> bytes:
    """Plain tables as an .xlsx file, one sheet each: header row, filter, frozen header, print setup."""
    wb = _new_workbook(title)
    for table in tables:
        _plain_sheet(wb, table, lang)
    return _save(wb)


def ledger_workbook(
    ledger: Table, progress: Table, others: Sequence[Table], about: Table, lang: str, heading: Heading
) -> bytes:
    """The 台账 workbook: 台账 (title row, colours, drop-down), 汇总, the progress log, ``others``, 说明 (plain)."""
    wb = _new_workbook(heading.title)
    _ledger_sheet(wb, ledger, lang, heading)
    _summary, values = _summary_sheet(wb, ledger, ledger.name, lang)
    _plain_sheet(wb, progress, lang)
    for table in others:
        _plain_sheet(wb, table, lang)
    _plain_sheet(wb, about, lang, plain=True)
    return _store_values(_save(wb), 2, values)
