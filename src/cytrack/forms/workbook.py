"""A unit's 填报表 as an .xlsx workbook: the ledger's columns locked, the input columns open.

The sheet is protected without a password, so a department cannot change by accident what
comes from the ledger, and the office can still lift the protection.  Each input column
has data validation with an input message (Excel, WPS and LibreOffice show it when the
cell is selected).  A hidden sheet names the reply, the unit, the as-of date and the ids,
so ``read``/``plan`` can check what comes back.
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cytrack.core.state import State
from cytrack.forms.layout import (
    COLUMNS,
    FIRST_ROW,
    FORM_VERSION,
    HEADER_ROW,
    HINT_ROW,
    INPUTS,
    MARKER,
    META_SHEET,
    TITLE_ROW,
    UnitForm,
    header_text,
    is_lead,
    unit_sheet_name,
)
from cytrack.i18n import STATUS_NAMES, form_word, format_date, kind_word, light_name, status_name
from cytrack.ledger.model import Office
from cytrack.render import xlsx_style as style
from cytrack.render.csvout import cell as inert

# Fonts, widths, row heights and printing are the 台账's (``render.xlsx_style``): both print alike.
BOLD = style.font(bold=True)
HINT = style.font(9.5, color="595959")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")
LOCKED_HEAD = PatternFill("solid", fgColor="D9D9D9")
INPUT_HEAD = PatternFill("solid", fgColor="FFE699")
LIGHT_FILLS = {"red": "FFC7CE", "yellow": "FFEB9C", "blue": "BDD7EE"}
WRAP = Alignment(vertical="top", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)
OPEN = Protection(locked=False)

# Column widths in characters (a Chinese character counts two), and which columns wrap.
WIDTHS = {
    "reply": 7, "id": 7, "title": 18, "quote": 28, "role": 6, "due": 11, "current": 11, "last": 24,
    "light": 5, "note": 30, "percent": 6, "status": 9, "evidence": 16, "by": 9, "date": 11,
}
CENTERED = {"reply", "id", "role", "due", "current", "light", "percent", "status", "by", "date"}
INPUT_LINES = 3  # room to type in every row
EPOCH_2000 = 36526  # 2000-01-01 as an Excel serial number


def _last(st: State, lang: str) -> str:
    if not st.entries:
        return "—"
    e = st.entries[-1]
    return f"{e.date.isoformat()}：{e.note}" if lang == "zh" else f"{e.date.isoformat()}: {e.note}"


def _values(st: State, unit: str, lang: str) -> dict[str, object]:
    c = st.commitment
    light = light_name(lang, st.light) or "—"
    return {
        "reply": st.reply,
        "id": c.id,
        "title": c.title,
        "quote": c.quote or "—",
        "role": form_word(lang, "role_lead" if is_lead(c, unit) else "role_co"),
        "due": st.due or "—",
        "current": f"{status_name(lang, st.status.value)} {st.percent}%",
        "last": _last(st, lang),
        "light": light,
    }


def _validation(lang: str, key: str) -> DataValidation:
    """The rule and input message of input column ``key``."""
    if key == "percent":
        dv = DataValidation(type="whole", operator="between", formula1="0", formula2="100")
    elif key == "status":
        dv = DataValidation(type="list", formula1='"' + ",".join(STATUS_NAMES[lang].values()) + '"')
    elif key == "date":
        dv = DataValidation(type="date", operator="between", formula1=str(EPOCH_2000), formula2="TODAY()")
    else:
        limit = {"note": 2000, "evidence": 500, "by": 50}[key]
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(limit))
    dv.allow_blank = True
    dv.showInputMessage = dv.showErrorMessage = True
    dv.promptTitle = header_text(lang, key)[:32]
    dv.prompt = form_word(lang, f"prompt_{key}")[:255]
    dv.errorTitle = header_text(lang, key)[:32]
    dv.error = form_word(lang, f"invalid_{key}")[:255]
    return dv


def _header(ws: Worksheet, lang: str) -> None:
    for col, key in enumerate(COLUMNS, start=1):
        c = ws.cell(row=HEADER_ROW, column=col, value=header_text(lang, key))
        style.style_header(c)
        c.fill = INPUT_HEAD if key in INPUTS else LOCKED_HEAD
        style.set_width(ws, col, WIDTHS[key] + 2)
    ws.row_dimensions[HEADER_ROW].height = style.row_height(2)


def _banner(ws: Worksheet, row: int, text: str, font: Font, height: float) -> None:
    """A row of one merged cell across the table: the title or the instructions."""
    last = get_column_letter(len(COLUMNS))
    ws.merge_cells(f"A{row}:{last}{row}")
    c = ws.cell(row=row, column=1, value=text)
    c.font, c.alignment = font, Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[row].height = height


def _row(ws: Worksheet, r: int, values: dict[str, object], light: str | None) -> None:
    lines = INPUT_LINES
    for col, key in enumerate(COLUMNS, start=1):
        c = ws.cell(row=r, column=col)
        c.font, c.border = style.BODY, style.BORDER
        c.alignment = CENTER if key in CENTERED else WRAP
        if key in INPUTS:
            c.protection, c.fill = OPEN, INPUT_FILL
            c.number_format = {"percent": "0", "date": style.DATE_FORMAT}.get(key, "@")
            continue
        value = values[key]
        c.fill = LOCKED_FILL
        if isinstance(value, date):
            style.set_date(c, value)
        else:
            c.value = inert(str(value))
            c.data_type = "s"
            lines = max(lines, style.wrapped_lines(str(c.value), WIDTHS[key] + 2))
        if key == "light" and light:
            c.fill = PatternFill("solid", fgColor=LIGHT_FILLS[light])
            c.font = BOLD
    ws.row_dimensions[r].height = style.row_height(lines)


def _protect(ws: Worksheet) -> None:
    """Protected without a password; columns and rows may still be resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _meta(wb: Workbook, office: Office, form: UnitForm, as_of: date, lang: str, sheet: str) -> None:
    """The hidden sheet that names where the form comes from, for the checks on import."""
    ws = wb.create_sheet(META_SHEET)
    rows: list[tuple[str, str]] = [
        (MARKER, FORM_VERSION),
        ("ledger", inert(str(office.path).replace("\\", "/").rsplit("/", 1)[-1])),
        ("reply", inert(",".join(dict.fromkeys(st.reply for st in form.states)))),
        ("unit", inert(form.unit)),
        ("as_of", as_of.isoformat()),
        ("lang", lang),
        ("sheet", inert(sheet)),
        ("ids", str(len(form.states))),
    ]
    rows.extend((inert(st.commitment.id), inert(st.commitment.title)) for st in form.states)
    for r, (key, value) in enumerate(rows, start=1):
        ws.cell(row=r, column=1, value=key).data_type = "s"
        ws.cell(row=r, column=2, value=value).data_type = "s"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def form_bytes(office: Office, form: UnitForm, as_of: date, lang: str) -> bytes:
    """The 填报表 of ``form.unit`` as of ``as_of``, as the bytes of an .xlsx file."""
    wb = Workbook()
    style.use_default_font(wb)
    ws = wb.active
    ws.title = unit_sheet_name(form.unit)
    day = format_date(lang, as_of)
    if office.single is not None:
        src = office.single.source
        title = form_word(lang, "form_title", proposal=src.proposal, kind=kind_word(lang, src.kind), unit=form.unit,
                          as_of=day)
    else:
        title = form_word(lang, "form_title_office", unit=form.unit, as_of=day)
    _banner(ws, TITLE_ROW, inert(title), style.TITLE, 28)
    _banner(ws, HINT_ROW, form_word(lang, "form_hint"), HINT, style.row_height(3))
    _header(ws, lang)
    for r, st in enumerate(form.states, start=FIRST_ROW):
        _row(ws, r, _values(st, form.unit, lang), st.light)
    last = FIRST_ROW + len(form.states) - 1
    for col, key in enumerate(COLUMNS, start=1):
        if key in INPUTS:
            dv = _validation(lang, key)
            letter = get_column_letter(col)
            dv.add(f"{letter}{FIRST_ROW}:{letter}{max(last, FIRST_ROW)}")
            ws.add_data_validation(dv)
    ws.freeze_panes = f"D{FIRST_ROW}"
    title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    style.print_setup(ws, last_col=len(COLUMNS), title_rows=title_rows, footer=form_word(lang, "page_footer"))
    _protect(ws)
    _meta(wb, office, form, as_of, lang, ws.title)
    wb.active = 0
    wb.properties.title = title[:200]
    wb.properties.creator = "cytrack"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
