"""Rich renderings of ``list`` and ``show`` for the terminal.

Every string from the ledger goes through ``visible``/``one_line`` and into a
``rich.text.Text``; nothing is parsed as markup.  Widths are counted in cells by Rich,
so Chinese text lines up; long text folds instead of being cut.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from rich import box
from rich.cells import cell_len
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


def percent_bar(percent: float, cells: int = BAR_CELLS) -> Text:
    """A small completion bar: ``██░░░ 40%``; an average (float) shows one decimal, ``42.5%``."""
    filled = round(percent * cells / 100)
    bar = Text("█" * filled, style="green")
    bar.append("░" * (cells - filled), style="dim")
    bar.append(f" {percent:>5.1f}%" if isinstance(percent, float) else f" {percent:>3}%")
    return bar


def status_text(st: State, lang: str) -> Text:
    return Text(status_name(lang, st.status.value), style=STATUS_STYLES[st.status])


def due_mark(st: State, lang: str) -> Text | None:
    """The overdue / due today / due soon line under a due date, or None; worded so it reads without colour."""
    if st.overdue:
        return Text(label(lang, "overdue_days", n=st.days_overdue), style="bold red")
    if st.days_left == 0 and not st.closed:
        return Text(label(lang, "due_today"), style="bold yellow")
    if st.due_soon:
        return Text(label(lang, "due_soon_days", n=st.days_left), style="yellow")
    return None


def due_text(st: State, lang: str) -> Text:
    """The effective due, with overdue / due soon / extended marks that read without colour."""
    if st.due is None:
        return Text("—", style="dim")
    text = Text(st.due.isoformat(), style="bold red" if st.overdue else "")
    if st.extension is not None:
        text.append(f" ({label(lang, 'extended')})", style="dim")
    mark = due_mark(st, lang)
    if mark is not None:
        text.append("\n")
        text.append_text(mark)
    return text


WIDE = 100  # from this width on, the list shows "updated" and a longer bar
NARROW = 64  # below it, owner and percent move under title and status


def list_table(items: Sequence[State], lang: str, as_of: date, width: int = 80) -> RenderableType:
    """The ``cytrack list`` table with a footer of counts.

    Only the title (and, when long, the lead) folds; ids, statuses, bars and dates never
    wrap, so ids stay whole however narrow the terminal is.
    """
    if not items:
        return Text(label(lang, "no_match"))
    wide, narrow = width >= WIDE, width < NARROW
    id_width = max(cell_len(one_line(st.commitment.id)) for st in items)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    table.add_column(label(lang, "id"), no_wrap=True, min_width=id_width)
    table.add_column(label(lang, "title"), overflow="fold", min_width=8)
    if not narrow:
        table.add_column(label(lang, "lead"), overflow="fold", max_width=24 if wide else 12)
    table.add_column(label(lang, "status"), no_wrap=True)
    if not narrow:
        table.add_column(label(lang, "percent"), no_wrap=True)
    table.add_column(label(lang, "due"), no_wrap=True)
    if wide:
        table.add_column(label(lang, "last_update"), no_wrap=True)
    for st in items:
        c = st.commitment
        title = Text(one_line(c.title))
        status = status_text(st, lang)
        if narrow:
            title.append("\n" + one_line(c.lead), style="dim")
            status.append(f"\n{st.percent}%")
        cells = [Text(one_line(c.id), style="bold red" if st.overdue else "bold"), title]
        if not narrow:
            cells.append(Text(one_line(c.lead)))
        cells.append(status)
        if not narrow:
            cells.append(percent_bar(st.percent, BAR_CELLS if wide else 3))
        cells.append(due_text(st, lang))
        if wide:
            cells.append(Text(st.last_update.isoformat(), style="") if st.last_update else Text("—", style="dim"))
        table.add_row(*cells)
    return Group(table, Text(""), list_footer(items, lang, as_of, width))


def list_footer(items: Sequence[State], lang: str, as_of: date, width: int = 80) -> Text:
    """Counts under the table: total by status, overdue, due soon, stale, and the as-of date.

    The parts share one line when it fits and otherwise stand one per line, never broken mid-phrase.
    """
    counts = Counter(st.status for st in items)
    statuses = label(lang, "list_sep").join(
        label(lang, "footer_status", name=status_name(lang, s.value), n=counts[s]) for s in Status if counts[s]
    )
    parts = [Text(label(lang, "footer", total=len(items)) + label(lang, "footer_statuses", items=statuses))]
    for key, n, style in (
        ("footer_overdue", sum(st.overdue for st in items), "bold red"),
        ("footer_due_soon", sum(st.due_soon for st in items), "yellow"),
        ("footer_stale", sum(st.stale for st in items), "yellow"),
    ):
        if n:
            parts.append(Text(label(lang, key, n=n), style=style))
    parts.append(Text(label(lang, "footer_as_of", date=format_date(lang, as_of)), style="dim"))
    joiner = " · " if sum(p.cell_len for p in parts) + 3 * (len(parts) - 1) <= width else "\n"
    return Text(joiner).join(parts)


def _field_grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def _show_due(st: State, lang: str) -> Text:
    """The effective due, what it rests on (the reply or the keepers' assumption), the original due
    when extended, and the overdue / due soon line."""
    c = st.commitment
    text = Text(st.due.isoformat(), style="bold red" if st.overdue else "") if st.due else Text("—", style="dim")
    if st.extension is not None:
        original = c.due.isoformat() if c.due else "—"
        text.append("  " + label(lang, "extended_from", date=original), style="dim")
    if c.due_basis and c.due is not None:
        text.append(f"  [{label(lang, 'basis_' + c.due_basis)}]", style="dim" if c.due_basis == "source" else "yellow")
    mark = due_mark(st, lang)
    if mark is not None:
        text.append("\n")
        text.append_text(mark)
    return text


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
    grid.add_row(label(lang, "due"), _show_due(st, lang))
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
