"""Reading a 填报表 back as Excel, WPS or LibreOffice saved it: .xlsx, or .csv with the same columns.

The form's sheet is found by its header row, not by its place among the sheets, and the
hidden sheet by the marker in its first cell, not by its name.  Cells come back with the
reference that messages name (``市科技局!K5``) and whether their number format shows a
percentage (``55%`` typed in Excel is stored as 0.55).
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from cytrack.forms.layout import MARKER, header_keys, normal_header
from cytrack.i18n import form_word
from cytrack.ledger.errors import UsageError
from cytrack.ledger.load import MAX_BYTES

HEADER_SCAN = 30  # rows searched for the header
REQUIRED = ("id", "note")
WINDOWS_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system (its day 60 is the fictitious 1900-02-29)
MAC_EPOCH = date(1904, 1, 1)
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")


def col_letter(n: int) -> str:
    """``1`` → ``A``, ``27`` → ``AA``."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


class Cell(NamedTuple):
    """One cell of a form as read back."""

    ref: str  # ``SHEET!A1``
    value: Any  # str, int, float, datetime, date or None
    percent: bool = False  # the number format shows a percentage


class Form(NamedTuple):
    """A form as read: its rows under the header, keyed by column, and what its hidden sheet says."""

    name: str  # the file's name, for messages
    sheet: str
    rows: list[dict[str, Cell]]  # one per row under the header, every column of the header present
    meta: dict[str, str]  # from the hidden sheet; {} for CSV or when it is gone
    meta_refs: dict[str, str]  # the cell of each meta value, for messages
    ids: dict[str, str]  # id → title, as the hidden sheet lists them; {} when it is gone
    epoch: date  # day 0 of the workbook's serial dates


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _header_row(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    """The index of the row holding the form's headers, and each known column's index in it."""
    known = header_keys()
    for r, row in enumerate(rows[:HEADER_SCAN]):
        columns: dict[str, int] = {}
        for c, value in enumerate(row):
            key = known.get(normal_header(_text(value)))
            if key is not None and key not in columns:
                columns[key] = c
        if all(k in columns for k in REQUIRED):
            return r, columns
    return None


def _meta(rows: list[list[Any]], sheet: str) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    meta: dict[str, str] = {}
    refs: dict[str, str] = {}
    ids: dict[str, str] = {}
    count = None
    for r, row in enumerate(rows, start=1):
        key, value = (_text(row[0]) if row else ""), (_text(row[1]) if len(row) > 1 else "")
        if count is None:
            meta[key], refs[key] = value, f"{sheet}!B{r}"
            if key == "ids":
                count = int(value) if value.isdigit() else 0
        elif count > 0 and key:
            ids[key] = value
            count -= 1
    return meta, refs, ids


def _form(
    name: str, sheets: list[tuple[str, list[list[Any]], list[list[bool]] | None]], epoch: date, lang: str
) -> Form:
    meta: dict[str, str] = {}
    refs: dict[str, str] = {}
    ids: dict[str, str] = {}
    for title, rows, _pct in sheets:
        if rows and rows[0] and _text(rows[0][0]) == MARKER:
            meta, refs, ids = _meta(rows, title)
            break
    wanted = meta.get("sheet")
    ordered = sorted(sheets, key=lambda s: s[0] != wanted)  # the sheet the hidden one names first, then the rest
    for title, rows, pct in ordered:
        found = _header_row(rows)
        if found is None:
            continue
        at, columns = found
        out = []
        for r in range(at + 1, len(rows)):
            row = rows[r]
            cells = {}
            for key, c in columns.items():
                value = row[c] if c < len(row) else None
                percent = bool(pct and c < len(pct[r]) and pct[r][c])
                cells[key] = Cell(f"{title}!{col_letter(c + 1)}{r + 1}", value, percent)
            out.append(cells)
        return Form(name, title, out, meta, refs, ids, epoch)
    raise UsageError(form_word(lang, "no_header", path=name))


def _read_xlsx(path: Path, data: bytes, lang: str) -> Form:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise UsageError(form_word(lang, "not_xlsx", path=path)) from None
    epoch = MAC_EPOCH if getattr(wb, "epoch", None) and wb.epoch.year == 1904 else WINDOWS_EPOCH
    sheets = []
    for ws in wb.worksheets:
        values: list[list[Any]] = []
        percents: list[list[bool]] = []
        for row in ws.iter_rows():
            values.append([c.value for c in row])
            percents.append([isinstance(c.value, int | float) and "%" in str(c.number_format) for c in row])
        sheets.append((ws.title, values, percents))
    return _form(path.name, sheets, epoch, lang)


def _read_csv(path: Path, data: bytes, lang: str) -> Form:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UsageError(form_word(lang, "csv_encoding", path=path))
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return _form(path.name, [(path.name, rows, None)], WINDOWS_EPOCH, lang)


def read_form(path: Path, lang: str) -> Form:
    """The form in ``path``; ``UsageError`` (exit 2) for a missing, unreadable or unsupported file."""
    suffix = path.suffix.lower()
    if path.is_dir():
        raise UsageError(form_word(lang, "import_folder", path=path))
    if suffix not in XLSX_SUFFIXES + CSV_SUFFIXES:
        if not path.exists():
            raise UsageError(form_word(lang, "no_file", path=path))
        raise UsageError(form_word(lang, "unsupported", path=path, suffix=suffix or path.name))
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(form_word(lang, "unreadable", path=path, reason=f"> {MAX_BYTES // 1048576} MiB"))
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(form_word(lang, "no_file", path=path)) from None
    except OSError as exc:
        raise UsageError(form_word(lang, "unreadable", path=path, reason=exc.strerror or exc)) from None
    if suffix in XLSX_SUFFIXES:
        if not data.startswith(b"PK"):
            raise UsageError(form_word(lang, "not_xlsx", path=path))
        return _read_xlsx(path, data, lang)
    return _read_csv(path, data, lang)


def as_date(value: Any, epoch: date) -> date | None:
    """A date cell, or a serial number of the workbook's date system; None for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        days = int(value)
        if epoch == WINDOWS_EPOCH and days < 61:
            days += 1  # before Excel's fictitious 1900-02-29
        return epoch + timedelta(days=days)
    return None
