"""CSV output, with text cells made inert for spreadsheets and terminals."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from cytrack.textsafe import visible

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_JOINER = "、"


class TextFormula(str):
    """A cell written as ``="…"`` on purpose (``ledger_csv.text_formula``); ``cell`` leaves it as it is."""


def cell(value: Any) -> Any:
    """A value as a spreadsheet cell: lists joined, control characters visible,
    and text that a spreadsheet would run as a formula prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, TextFormula):  # written on purpose: ="1-1" keeps an id text
        return value
    if isinstance(value, (list, tuple)):
        value = LIST_JOINER.join(str(v) for v in value)
    if isinstance(value, str):
        if value.startswith(FORMULA_START):
            value = "'" + value
        return visible(value)
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text (CRLF rows, as spreadsheets expect) with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([cell(v) for v in r])
    return buffer.getvalue()
