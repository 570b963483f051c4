"""Rich renderings of ``list`` and ``show`` for the terminal.

Every string from the ledger goes through ``visible``/``one_line`` and into a
``rich.text.Text``; nothing is parsed as markup.  Widths are counted in cells by Rich,
so Chinese text lines up; long text folds instead of being cut.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from cytrack.core.state import DUE_SOON_DAYS, State
from cytrack.i18n import RHYTHM_NAMES, format_date, label, light_name, state_word, status_name
from cytrack.ledger.model import Ledger, Status
from cytrack.render.longtable import LongTable
from cytrack.textsafe import one_line, visible

if TYPE_CHECKING:
    from rich.table import Table

STATUS_STYLES = {
    Status.NOT_STARTED: "dim",
    Status.IN_PROGRESS: "cyan",
    Status.BLOCKED: "bold magenta",
    Status.DONE: "green",
    Status.DROPPED: "dim strike",
}
LIGHT_STYLES = {"red": "bold red", "yellow": "bold yellow", "blue": "bold blue"}
BAR_CELLS = 5


def percent_bar(percent: float, cells: int = BAR_CELLS) -> Text:
    """A small completion bar: ``██░░░ 40%``; an average (float) shows one decimal, ``42.5%``."""
    filled = min(int(percent * cells // 100), cells)  # rounded down: the bar is full only when the work is
    bar = Text("█" * filled, style="green")
    bar.append("░" * (cells - filled), style="dim")
    bar.append(f" {percent:>5.1f}%" if isinstance(percent, float) else f" {percent:>3}%")
    return bar


def status_text(st: State, lang: str) -> Text:
    return Text(status_name(lang, st.status.value), style=STATUS_STYLES[st.status])


def light_text(st: State, lang: str) -> Text:
    """The warning light as a coloured word (红/黄/蓝, red/yellow/blue) that reads without colour; ``—`` for none."""
    light = st.light
    if light is None:
        return Text("—", style="dim")
    return Text(light_name(lang, light), style=LIGHT_STYLES[light])


def light_reasons(st: State, lang: str) -> list[str]:
    """Why the light is on, in words: overdue; blocked, stale, due today or in N days; due in N days."""
    light, left = st.light, st.days_left
    if light is None:
        return []
    if light == "red":
        return [state_word(lang, "why_red")]
    why = []
    if light == "yellow":
        if st.status is Status.BLOCKED:
            why.append(state_word(lang, "why_blocked"))
        if st.stale:
            why.append(state_word(lang, "why_stale"))
    if left == 0:
        why.append(state_word(lang, "why_due_today"))
    elif left is not None and left > 0 and (light == "blue" or left <= DUE_SOON_DAYS):
        why.append(state_word(lang, "why_due_in", n=left))
    return why


def due_mark(st: State, lang: str) -> Text | None:
    """The overdue / due today / due soon line under a due date, or None; worded so it reads without colour."""
    if st.overdue:
        return Text(label(lang, "overdue_days", n=st.days_overdue), style="bold red")
    if st.days_left == 0 and not st.closed:
        return Text(label(lang, "due_today"), style="bold yellow")
    if st.due_soon:
        return Text(label(lang, "due_soon_days", n=st.days_left), style="yellow")
    return None


def due_text(st: State, lang: str, sep: str = "\n") -> Text:
    """The effective due, then (after ``sep``) words that read without colour: overdue / due soon, extended."""
    if st.due is None:
        return Text("—", style="dim")
    text = Text(st.due.isoformat(), style="bold red" if st.overdue else "")
    notes = [mark for mark in (due_mark(st, lang),) if mark is not None]
    if st.extension is not None:
        notes.append(Text(label(lang, "extended"), style="dim"))
    if notes:
        text.append(sep)
        # Stacked under the date, each note has its own line: the column stays as wide as a date.
        text.append_text(Text("\n" if sep == "\n" else label(lang, "list_sep")).join(notes))
    return text


WIDE = 100  # from this width on, the list shows "updated" and a longer bar
WIDER = 140  # and from this one on, the co-owners too, and due marks beside the date
TITLE_MIN = 12  # the table is used only when the title column gets at least this many cells


def _widest(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.split("\n")), default=0)


def list_table(items: Sequence[State], lang: str, as_of: date, width: int = 80) -> RenderableType:
    """The ``cytrack list`` table with a footer of counts.

    Only the title (and a long lead) folds; ids, statuses, bars and dates never wrap.  A
    layout that does not fit gives way to the next narrower one (without co-owners, then
    without the update date); when even the narrowest does not fit the terminal, each
    commitment becomes two stacked lines instead, so ids stay whole however narrow it is.
    """
    if not items:
        return Text(label(lang, "no_match"))
    footer = list_footer(items, lang, as_of, width)
    layouts = [(w, wr) for w, wr in ((True, True), (True, False), (False, False))
               if (w <= (width >= WIDE)) and (wr <= (width >= WIDER))]
    for wide, wider in layouts:
        keys, headers, caps, rows = _list_layout(items, lang, width, wide, wider)
        fixed = sum(
            min(max(cell_len(headers[k]), *(_widest(r[k]) for r in rows)), caps.get(k, width))
            for k in keys
            if k != "title"
        )
        if fixed + 2 * (len(keys) - 1) + TITLE_MIN <= width:
            break
    else:
        return Group(_stacked(items, rows, lang), Text(""), footer)
    # LongTable draws what Table(box=SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    # would, character for character, about five times faster.
    table = LongTable()
    for k in keys:
        if k == "title":
            table.add_column(headers[k], overflow="fold", min_width=TITLE_MIN)
        elif k in caps:
            table.add_column(headers[k], overflow="fold", max_width=caps[k])
        else:
            table.add_column(headers[k], no_wrap=True)
    for r in rows:
        table.add_row(*(r[k] for k in keys))
    return Group(table, Text(""), footer)


def _list_layout(
    items: Sequence[State], lang: str, width: int, wide: bool, wider: bool
) -> tuple[list[str], dict[str, str], dict[str, int], list[dict[str, Text]]]:
    """The columns of one layout of the list (wide: update date and a longer bar; wider: co-owners
    too, and due marks beside the date), their headers, width caps and the cells of each row."""
    caps = {"co_owners": 30}  # co-owners fold within this width; a lead's name is never split
    keys = ["id", "title", "lead", "co_owners", "status", "light", "percent", "due", "last_update"]
    keys = [k for k in keys if (k != "last_update" or wide) and (k != "co_owners" or wider)]
    rows = []
    for st in items:
        c = st.commitment
        row = {
            "id": Text(one_line(c.id), style="bold red" if st.overdue else "bold"),
            "title": Text(one_line(c.title)),
            "lead": Text(one_line(c.lead)),
            "co_owners": Text(label(lang, "list_sep").join(one_line(o) for o in c.co_owners) or "—"),
            "light": light_text(st, lang),
            "status": status_text(st, lang),
            "percent": percent_bar(st.percent, BAR_CELLS if wide else 3),
            "due": due_text(st, lang, " " if wider else "\n"),
            "last_update": Text(st.last_update.isoformat()) if st.last_update else Text("—", style="dim"),
        }
        rows.append(row)
    headers = {k: state_word(lang, "col_light") if k == "light" else label(lang, k) for k in keys}
    return keys, headers, caps, rows


def _stacked(items: Sequence[State], rows: list[dict[str, Text]], lang: str) -> RenderableType:
    """The list for very narrow terminals: id and title, then lead · status · percent · due under it."""
    from rich.table import Table  # ~10 ms; the usual list is a LongTable

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for st, r in zip(items, rows, strict=True):
        body = r["title"].copy()
        body.stylize("bold")
        details = [r["lead"], r["status"], Text(f"{st.percent}%"), due_text(st, lang, " ")]
        if st.light is not None:
            details.insert(2, r["light"])
        body.append("\n")
        body.append_text(Text(" · ").join(d.copy() for d in details))
        grid.add_row(r["id"], body)
    return grid


def list_footer(items: Sequence[State], lang: str, as_of: date, width: int = 80) -> Text:
    """Counts under the table: total by status, overdue, due soon, stale, and the as-of date.

    Parts are packed onto lines of at most ``width`` cells, never broken mid-phrase.
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
    footer = parts[0]
    line = footer.cell_len
    for part in parts[1:]:
        fits = line + 3 + part.cell_len <= width
        footer.append(" · " if fits else "\n")
        footer.append_text(part)
        line = line + 3 + part.cell_len if fits else part.cell_len
    return footer


def _field_grid() -> Table:
    from rich.table import Table

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


def _show_light(st: State, lang: str) -> Text:
    """``黄（受阻、5天后到期）``: the light and why it is on; ``—`` when none."""
    text = light_text(st, lang)
    why = light_reasons(st, lang)
    if why:
        text.append(" " if lang == "en" else "")
        text.append(state_word(lang, "light_with_why", light="", why=state_word(lang, "why_joiner").join(why)).strip())
    return text


def _indent(text: Text, cells: int) -> Padding:
    return Padding(text, (0, 0, 0, cells), expand=False)


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
    grid.add_row(label(lang, "co_owners"), Text(label(lang, "list_sep").join(one_line(o) for o in c.co_owners) or "—"))
    grid.add_row(label(lang, "status"), status_text(st, lang))
    grid.add_row(label(lang, "percent"), percent_bar(st.percent))
    grid.add_row(label(lang, "due"), _show_due(st, lang))
    grid.add_row(state_word(lang, "col_light"), _show_light(st, lang))
    grid.add_row(label(lang, "review"), Text(RHYTHM_NAMES[lang].get(c.review, c.review or "")))
    if c.tags:
        grid.add_row(label(lang, "tags"), Text(label(lang, "list_sep").join(one_line(t) for t in c.tags)))
    updated = Text(st.last_update.isoformat() if st.last_update else "—")
    if st.stale:
        updated.append("  " + label(lang, "stale"), style="yellow")
    grid.add_row(label(lang, "last_update"), updated)

    parts: list[RenderableType] = [heading, grid, Text("")]
    parts.append(Text(label(lang, "extensions") + label(lang, "count", n=len(c.extensions)), style="bold"))
    for x in c.extensions:
        line = Text(x.date.isoformat(), style="bold" if x.date <= st.as_of else "dim")
        line.append("  " + label(lang, "field", label=label(lang, "new_due"), value=x.new_due.isoformat()))
        if x.approved_by:
            line.append("  " + label(lang, "field", label=label(lang, "approved_by"), value=one_line(x.approved_by)))
        parts += [_indent(line, 2), _indent(Text(visible(x.reason) or "—"), 4)]
    if not c.extensions:
        parts.append(_indent(Text(label(lang, "no_extensions"), style="dim"), 2))
    parts.append(Text(""))
    parts.append(Text(label(lang, "progress") + label(lang, "count", n=len(c.progress)), style="bold"))
    for e in c.progress:
        line = Text(e.date.isoformat(), style="bold" if e.date <= st.as_of else "dim")
        if e.status is not None:
            line.append("  ")
            line.append(status_name(lang, e.status.value), style=STATUS_STYLES[e.status])
        if e.percent is not None:
            line.append(f"  {e.percent}%")
        for key, value in (("by", e.by), ("evidence", e.evidence)):
            if value:
                line.append("  " + label(lang, "field", label=label(lang, key), value=one_line(value)), style="dim")
        parts += [_indent(line, 2), _indent(Text(visible(e.note)), 4)]
    if not c.progress:
        parts.append(_indent(Text(label(lang, "no_progress"), style="dim"), 2))
    return Group(*parts)
