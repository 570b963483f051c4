"""The 台账 as CSV bytes for Excel and WPS: UTF-8 with a BOM, CRLF rows, inert text cells.

Ids such as ``1-1`` and ``2-3`` become dates (1月1日, 2/3/26) when a spreadsheet opens a CSV with
number detection on.  Columns marked ``text`` are therefore written as a formula that yields
the text, ``="1-1"``: Excel, WPS and LibreOffice (which evaluates formulas in CSV by default)
all show ``1-1`` and keep it text.  A leading apostrophe shows in all three; a leading tab or
an invisible character would stay inside the value.  ``unwrap_text`` reads such a cell back.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cytrack.core.export import Percent, Table
from cytrack.i18n import status_name
from cytrack.ledger.load import BOM
from cytrack.ledger.model import Status
from cytrack.render.csvout import TextFormula, cell, to_csv


def csv_value(value: Any, lang: str) -> Any:
    """A typed 台账 cell as CSV text: status names in ``lang``, ``40%``, ISO dates."""
    if isinstance(value, Status):
        return status_name(lang, value.value)
    if isinstance(value, Percent):
        return f"{int(value)}%"
    if isinstance(value, date):
        return value.isoformat()
    return value


# Excel refuses a string literal longer than this inside a formula.
FORMULA_TEXT_LIMIT = 255


def text_formula(value: str) -> str:
    """``1-1`` as ``="1-1"`` (quotes doubled); text too long for a formula stays plain (and inert)."""
    text = str(cell(value))
    if not text or len(text) > FORMULA_TEXT_LIMIT or "\n" in text:
        return text
    return TextFormula('="' + text.replace('"', '""') + '"')


def unwrap_text(raw: str) -> str:
    """The text of a ``="…"`` cell as ``text_formula`` wrote it (anything else unchanged)."""
    if raw.startswith('="') and raw.endswith('"') and len(raw) >= 3:
        return raw[2:-1].replace('""', '"')
    return raw


def table_csv(table: Table, lang: str) -> bytes:
    """The table with its header row, encoded for spreadsheets (``to_csv`` neutralises formulas)."""
    keep = [column.text for column in table.columns]

    def values(row: list[Any]) -> list[Any]:
        pairs = zip(keep, row, strict=True)
        return [text_formula(v) if k and isinstance(v, str) else csv_value(v, lang) for k, v in pairs]

    text = to_csv(table.headers, (values(row) for row in table.rows))
    # Without the BOM, Excel and WPS on Chinese Windows read UTF-8 as GBK and garble every character.
    return (BOM + text).encode("utf-8")
