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
from cytrack.render.keep import Phrase
from cytrack.textsafe import one_line

_LIGHT_STYLES = {"red": "bold red", "yellow": "yellow", "blue": "blue"}


def _word_width(header: str) -> int:
    return max(cell_len(w) for w in header.split())


def reply_table(rows: Sequence[dict[str, Any]], lang: str, width: int = 80) -> RenderableType:
    """Key, name, year, lead unit, then the count of each status and of each light.

    Every column has a set width, so Rich never squeezes one below what it holds: the counts
    as wide as their header's longest word or their number, the name (``Proposal 1181``, a
    ``Phrase``: never split between the kind and the number) the rest, up to its longest.
    Two spaces between columns, one when two would not leave the name room.
    """
    if not rows:
        return Text(office_word(lang, "no_replies"))
    names = [one_line(reply_name(lang, r["kind"], r["number"], r["title"], short=True)) for r in rows]
    years = [str(r["year"]) if r["year"] is not None else "—" for r in rows]
    light_cells = [_lights(r, lang) for r in rows]
    key_header, year_header = office_word(lang, "col_key"), office_word(lang, "col_year")
    total_header, lights_header = office_word(lang, "col_total"), office_word(lang, "col_lights")
    fixed = [
        max([cell_len(key_header)] + [cell_len(one_line(r["reply"])) for r in rows]),
        max([cell_len(year_header)] + [cell_len(y) for y in years]),
        max([cell_len(total_header)] + [len(str(r["total"])) for r in rows]),
        *(max([_word_width(status_name(lang, v))] + [len(str(r["by_status"][v])) for r in rows])
          for v in STATUS_VALUES),
        # the lights wrap between lights, never inside one: "red11" cropped to "red1" would misstate the count
        max([_word_width(lights_header)]
            + [max((cell_len(w) for w in t.plain.split()), default=1) for t in light_cells]),
    ]
    reply_header = office_word(lang, "col_reply")
    narrowest = max([_word_width(reply_header)] + [Phrase(n).widest_unit() for n in names])
    longest = max([cell_len(reply_header)] + [cell_len(n) for n in names])
    gap = 2 if narrowest + sum(fixed) + 2 * len(fixed) <= width else 1
    room = width - sum(fixed) - gap * len(fixed)
    # Where even one space between columns leaves the name too little room for "Suggestion 1181"
    # whole, the name wraps at its space ("Suggestion" / "1181"): never a count cropped instead.
    whole = narrowest <= room
    if whole:
        reply_width = min(longest, room)
    else:
        reply_width = max([room, _word_width(reply_header)] + [_word_width(n) for n in names])
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True,
                  padding=(0, 1) if gap == 2 else 0)
    key_w, year_w, total_w, *status_w, light_w = fixed
    table.add_column(key_header, no_wrap=True, style="bold", width=key_w)
    table.add_column(reply_header, overflow="fold", width=reply_width)
    table.add_column(year_header, no_wrap=True, width=year_w)
    table.add_column(total_header, justify="right", no_wrap=True, width=total_w)
    for value, w in zip(STATUS_VALUES, status_w, strict=True):
        table.add_column(status_name(lang, value), justify="right", width=w)
    table.add_column(lights_header, width=light_w)
    for r, name, year, lights in zip(rows, names, years, light_cells, strict=True):
        table.add_row(
            Text(one_line(r["reply"])),
            Phrase(name) if whole else Text(name),
            Text(year),
            Text(str(r["total"])),
            *(Text(str(r["by_status"][v]), style="" if r["by_status"][v] else "dim") for v in STATUS_VALUES),
            lights if lights else Text("—", style="dim"),
        )
    return table


def _lights(r: dict[str, Any], lang: str) -> Text:
    lights = Text()
    for light in LIGHTS:
        n = r["lights"][light]
        if n:
            if lights:
                lights.append(" ")
            lights.append(f"{office_word(lang, 'light_' + light)}{n}", style=_LIGHT_STYLES[light])
    return lights
