"""Rich tables of ``overdue`` and ``stale`` for the terminal.

Ledger text enters Rich only as ``Text`` made safe by ``one_line``; marks such as
"extended" are words, so the tables read the same without colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from cytrack.core.reports import StaleList, quiet_since
from cytrack.core.state import State
from cytrack.i18n import days_text, format_date, label, report_word
from cytrack.render.report_text import rhythm_name, unjudged_note
from cytrack.render.table import percent_bar, status_text
from cytrack.textsafe import one_line


def _table() -> Table:
    # The same look as the `list` table: a rule under the header, no outer edge or padding.
    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)


def _as_of(lang: str, as_of: date) -> str:
    return f"（截至{format_date(lang, as_of)}）" if lang == "zh" else f" (as of {as_of.isoformat()})"


def overdue_table(items: Sequence[State], as_of: date, lang: str) -> RenderableType:
    """Most overdue first: id, title, lead, effective due (marked when extended), days, status, percent."""
    if not items:
        return Text(report_word(lang, "no_overdue", date=format_date(lang, as_of)))
    table = _table()
    table.add_column(label(lang, "id"), no_wrap=True, style="bold")
    table.add_column(label(lang, "title"), overflow="fold", ratio=3, min_width=10)
    table.add_column(label(lang, "lead"), no_wrap=True)  # a unit's name is never split across lines
    table.add_column(label(lang, "due"), no_wrap=True)
    days = [days_text(lang, st.days_overdue or 0) for st in items]
    # as wide as "520 days" or the header's longest word: "Days overdue" goes on two lines, so that
    # at 80 columns the last column (the percent) is never cut off
    header = label(lang, "days_overdue")
    table.add_column(header, justify="right", overflow="fold",
                     width=max([cell_len(w) for w in header.split()] + [cell_len(d) for d in days]))
    table.add_column(label(lang, "status"), no_wrap=True)
    table.add_column(label(lang, "percent"), no_wrap=True)
    for st, overdue in zip(items, days, strict=True):
        c = st.commitment
        due = Text(st.due.isoformat() if st.due else "—")
        if st.extension is not None:
            due.append("\n" + label(lang, "extended_mark"), style="dim")  # the date stays whole
        table.add_row(
            Text(one_line(c.id)),
            Text(one_line(c.title)),
            Text(one_line(c.lead)),
            due,
            Text(overdue, style="bold red"),
            status_text(st, lang),
            percent_bar(st.percent, 3),
        )
    footer = label(lang, "footer_overdue", n=len(items)) + _as_of(lang, as_of)
    return Group(table, Text(footer))


def stale_table(stale: StaleList, lang: str) -> RenderableType:
    """Longest quiet first: id, title, lead, status, last update (or none yet), rhythm, days quiet;
    then how many cannot be judged (no entry and no tracking start), which is never "none"."""
    note = (Text(unjudged_note(stale.unjudged, stale.as_of, lang, stale.unjudged_files), style="yellow")
            if stale.unjudged else None)
    if not stale.items:
        return note or Text(report_word(lang, "no_stale", date=format_date(lang, stale.as_of)))
    table = _table()
    table.add_column(label(lang, "id"), no_wrap=True, style="bold")
    table.add_column(label(lang, "title"), overflow="fold", ratio=3, min_width=10)
    table.add_column(label(lang, "lead"), no_wrap=True)  # a unit's name is never split across lines
    table.add_column(label(lang, "status"), no_wrap=True)
    table.add_column(label(lang, "last_update"), no_wrap=True)
    table.add_column(label(lang, "review"), overflow="fold", max_width=11)  # "half-yearly"
    since = report_word(lang, "col_since")
    table.add_column(since, justify="right", no_wrap=True, min_width=cell_len(since))
    for st in stale.items:
        c = st.commitment
        since = quiet_since(st, stale.since(st))
        if st.last_update is not None:
            updated = Text(st.last_update.isoformat())
        else:
            updated = Text(report_word(lang, "no_update_yet"), style="dim")
        quiet = days_text(lang, (stale.as_of - since).days) if since else "—"
        table.add_row(
            Text(one_line(c.id)),
            Text(one_line(c.title)),
            Text(one_line(c.lead)),
            status_text(st, lang),
            updated,
            Text(rhythm_name(c, lang, stale.days)),
            Text(quiet, style="yellow"),
        )
    footer = label(lang, "footer_stale", n=len(stale.items)) + _as_of(lang, stale.as_of)
    return Group(table, Text(footer), *([note] if note else []))
