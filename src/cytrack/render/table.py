"""Rich renderings of ``list`` and ``show`` for the terminal.

Every string from the ledger goes through ``visible``/``one_line`` and into a
``rich.text.Text``; nothing is parsed as markup.  Widths are counted in cells by Rich,
so Chinese text lines up; long text folds instead of being cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from cytrack.i18n import RHYTHM_NAMES, format_date, label, status_name
from cytrack.model import Ledger, Status
from cytrack.state import State
from cytrack.textsafe import one_line, visible

STATUS_STYLES = {
    Status.NOT_STARTED: "dim",
    Status.IN_PROGRESS: "cyan",
    Status.BLOCKED: "bold magenta",
    Status.DONE: "green",
    Status.DROPPED: "dim strike",
}
BAR_CELLS = 5


def percent_bar(percent: int, cells: int = BAR_CELLS) -> Text:
    """A small completion bar: ``██░░░ 40%``."""
    filled = round(percent * cells / 100)
    bar = Text("█" * filled, style="green")
    bar.append("░" * (cells - filled), style="dim")
    bar.append(f" {percent:>3}%")
    return bar


def status_text(st: State, lang: str) -> Text:
    return Text(status_name(lang, st.status.value), style=STATUS_STYLES[st.status])


def due_text(st: State, lang: str) -> Text:
    """The effective due, with overdue / due soon / extended marks that read without colour."""
    if st.due is None:
        return Text("—", style="dim")
    text = Text(st.due.isoformat())
    if st.extension is not None:
        text.append(f" ({label(lang, 'extended')})", style="dim")
    if st.overdue:
        text.stylize("bold red")
        text.append("\n" + label(lang, "overdue_days", n=st.days_overdue), style="bold red")
    elif st.days_left == 0 and not st.closed:
        text.append("\n" + label(lang, "due_today"), style="bold yellow")
    elif st.due_soon:
        text.append("\n" + label(lang, "due_soon_days", n=st.days_left), style="yellow")
    return text


def list_table(items: Sequence[State], lang: str, as_of: date, width: int = 80) -> RenderableType:
    """The ``cytrack list`` table with a footer of counts; narrow terminals drop "updated"."""
    if not items:
        return Text(label(lang, "no_match"))
    wide = width >= 100
    table = Table(box=box.SIMPLE_HEAD, show_lines=False, pad_edge=False, expand=False)
    table.add_column(label(lang, "id"), no_wrap=True, style="bold")
    table.add_column(label(lang, "title"), overflow="fold", ratio=3, min_width=10)
    table.add_column(label(lang, "lead"), overflow="fold", ratio=1, min_width=12)
    table.add_column(label(lang, "status"), no_wrap=True)
    table.add_column(label(lang, "percent"), no_wrap=True)
    table.add_column(label(lang, "due"), no_wrap=True)
    if wide:
        table.add_column(label(lang, "last_update"), no_wrap=True)
    for st in items:
        c = st.commitment
        cells = [
            Text(one_line(c.id)),
            Text(one_line(c.title)),
            Text(one_line(c.lead)),
            status_text(st, lang),
            percent_bar(st.percent, BAR_CELLS if wide else 3),
            due_text(st, lang),
        ]
        if wide:
            cells.append(Text(st.last_update.isoformat() if st.last_update else "—", style="" if st.last_update else "dim"))
        table.add_row(*cells)
    overdue = sum(1 for st in items if st.overdue)
    stale = sum(1 for st in items if st.stale)
    parts = [label(lang, "footer", total=len(items))]
    if overdue:
        parts.append(label(lang, "footer_overdue", n=overdue))
    if stale:
        parts.append(label(lang, "footer_stale", n=stale))
    footer = " · ".join(parts) + (f"（截至{format_date(lang, as_of)}）" if lang == "zh" else f" (as of {as_of.isoformat()})")
    return Group(table, Text(footer))


def _field_grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def show_view(st: State, ledger: Ledger, lang: str) -> RenderableType:
    """The whole of one commitment: quote, owners, dates, extensions, progress log."""
    c = st.commitment
    heading = Text(f"【{one_line(c.id)}】", style="bold")
    heading.append(one_line(c.title), style="bold")
    grid = _field_grid()
    section = one_line(ledger.sections.get(c.section, ""))
    grid.add_row(label(lang, "section"), Text(f"{c.section} {section}".strip()))
    grid.add_row(label(lang, "quote"), Text(visible(c.quote) or "—"))
    lead = Text(one_line(c.lead) or "—")
    if c.lead_basis == "assumed":
        lead.append(label(lang, "assumed"), style="yellow")
    grid.add_row(label(lang, "lead"), lead)
    grid.add_row(label(lang, "co_owners"), Text("、".join(one_line(o) for o in c.co_owners) or "—"))
    grid.add_row(label(lang, "status"), status_text(st, lang))
    grid.add_row(label(lang, "percent"), percent_bar(st.percent))
    due = due_text(st, lang)
    if c.due_basis:
        due.append(f"  [{label(lang, 'basis_' + c.due_basis)}]", style="dim" if c.due_basis == "source" else "yellow")
    if st.extension is not None and c.due is not None:
        due.append(f"  {label(lang, 'original_due')} {c.due.isoformat()}", style="dim")
    grid.add_row(label(lang, "due"), due)
    grid.add_row(label(lang, "review"), Text(RHYTHM_NAMES[lang].get(c.review, c.review or "")))
    if c.tags:
        grid.add_row(label(lang, "tags"), Text("、".join(one_line(t) for t in c.tags)))
    updated = Text(st.last_update.isoformat() if st.last_update else "—")
    if st.stale:
        updated.append(f"  ({label(lang, 'stale')})", style="yellow")
    grid.add_row(label(lang, "last_update"), updated)

    parts: list[RenderableType] = [heading, grid, Text("")]
    parts.append(Text(label(lang, "extensions"), style="bold underline"))
    if c.extensions:
        ext = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        for key in ("date", "new_due", "reason", "approved_by"):
            ext.add_column(label(lang, key), overflow="fold", no_wrap=key in ("date", "new_due"))
        for x in c.extensions:
            ext.add_row(x.date.isoformat(), x.new_due.isoformat(), Text(visible(x.reason)), Text(one_line(x.approved_by or "")))
        parts.append(ext)
    else:
        parts.append(Text(label(lang, "no_extensions"), style="dim"))
    parts.append(Text(""))
    parts.append(Text(label(lang, "progress"), style="bold underline"))
    if c.progress:
        log = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        log.add_column(label(lang, "date"), no_wrap=True)
        log.add_column(label(lang, "status"), no_wrap=True)
        log.add_column(label(lang, "percent"), no_wrap=True, justify="right")
        log.add_column(label(lang, "note"), overflow="fold", ratio=3)
        log.add_column(label(lang, "by"), overflow="fold", ratio=1)
        log.add_column(label(lang, "evidence"), overflow="fold", ratio=1)
        for e in c.progress:
            log.add_row(
                e.date.isoformat(),
                Text(status_name(lang, e.status.value) if e.status else ""),
                Text(f"{e.percent}%" if e.percent is not None else ""),
                Text(visible(e.note)),
                Text(one_line(e.by or "")),
                Text(one_line(e.evidence or "")),
            )
        parts.append(log)
    else:
        parts.append(Text(label(lang, "no_progress"), style="dim"))
    return Group(*parts)
