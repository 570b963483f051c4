"""The ``reply list`` table: one row per reply with its counts by status and its warning lights."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from cytrack.core.state import LIGHTS
from cytrack.i18n import office_word, reply_name, status_name
from cytrack.ledger.model import STATUS_VALUES
from cytrack.textsafe import one_line

_LIGHT_STYLES = {"red": "bold red", "yellow": "yellow", "blue": "blue"}


def reply_table(rows: Sequence[dict[str, Any]], lang: str) -> RenderableType:
    """Key, name, year, lead unit, then the count of each status and of each light."""
    if not rows:
        return Text(office_word(lang, "no_replies"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    table.add_column(office_word(lang, "col_key"), no_wrap=True, style="bold")
    table.add_column(office_word(lang, "col_reply"), overflow="fold", ratio=3, min_width=10)
    table.add_column(office_word(lang, "col_year"), no_wrap=True)
    table.add_column(office_word(lang, "col_total"), justify="right", no_wrap=True)
    for value in STATUS_VALUES:
        table.add_column(status_name(lang, value), justify="right")
    # the lights wrap between lights, never inside one: "red11" cropped to "red1" would misstate the count
    widest = max([cell_len(office_word(lang, "col_lights"))] + [
        cell_len(f"{office_word(lang, 'light_' + light)}{r['lights'][light]}") for r in rows for light in LIGHTS])
    table.add_column(office_word(lang, "col_lights"), min_width=widest)
    for r in rows:
        lights = Text()
        for light in LIGHTS:
            n = r["lights"][light]
            if n:
                if lights:
                    lights.append(" ")
                lights.append(f"{office_word(lang, 'light_' + light)}{n}", style=_LIGHT_STYLES[light])
        table.add_row(
            Text(one_line(r["reply"])),
            Text(one_line(reply_name(lang, r["kind"], r["number"], r["title"], short=True))),
            Text(str(r["year"]) if r["year"] is not None else "—"),
            Text(str(r["total"])),
            *(Text(str(r["by_status"][v]), style="" if r["by_status"][v] else "dim") for v in STATUS_VALUES),
            lights if lights else Text("—", style="dim"),
        )
    return table
