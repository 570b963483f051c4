"""The 台账 as CSV bytes for Excel and WPS: UTF-8 with a BOM, CRLF rows, inert text cells."""

from __future__ import annotations

from datetime import date
from typing import Any

from cytrack.core.export import Percent, Table
from cytrack.i18n import status_name
from cytrack.ledger.model import Status
from cytrack.render.csvout import to_csv

# Without the BOM, Excel and WPS on Chinese Windows read UTF-8 as GBK and garble every character.
BOM = "\ufeff"


def csv_value(value: Any, lang: str) -> Any:
    """A typed 台账 cell as CSV text: status names in ``lang``, ``40%``, ISO dates."""
    if isinstance(value, Status):
        return status_name(lang, value.value)
    if isinstance(value, Percent):
        return f"{int(value)}%"
    if isinstance(value, date):
        return value.isoformat()
    return value


def table_csv(table: Table, lang: str) -> bytes:
    """The table with its header row, encoded for spreadsheets (``to_csv`` neutralises formulas)."""
    text = to_csv(table.headers, ([csv_value(v, lang) for v in row] for row in table.rows))
    return (BOM + text).encode("utf-8")
