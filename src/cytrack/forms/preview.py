"""The entries an import would add, as a table for the terminal (Rich, markup off, text made visible)."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from cytrack.forms.layout import header_text
from cytrack.forms.plan import Planned
from cytrack.i18n import label, status_name
from cytrack.textsafe import one_line, visible


def preview_table(entries: list[Planned], lang: str) -> Table:
    """One row per new entry: id, date, status, percent, note, by, evidence."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    table.add_column(label(lang, "id"), no_wrap=True)
    table.add_column(label(lang, "date"), no_wrap=True)
    table.add_column(label(lang, "status"), no_wrap=True)
    table.add_column(label(lang, "percent"), justify="right", no_wrap=True)
    table.add_column(header_text(lang, "note"), ratio=3, overflow="fold")
    table.add_column(header_text(lang, "by"), ratio=1, overflow="fold")
    table.add_column(header_text(lang, "evidence"), ratio=2, overflow="fold")
    for p in entries:
        table.add_row(
            Text(one_line(p.shown)),
            Text(p.on.isoformat()),
            Text(status_name(lang, p.status.value) if p.status else "—"),
            Text(f"{p.percent}%" if p.percent is not None else "—"),
            Text(visible(p.note)),
            Text(one_line(p.by or "—")),
            Text(visible(p.evidence or "—")),
        )
    return table
