"""The ``summary`` screen: totals, then counts, overdue, stale and a completion bar per section and lead owner.

One screen a director reads: every status has a column (zeros shown dimmed), overdue in
red, and the average percent as a bar.  Ledger text enters Rich only as ``Text``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Group as RichGroup
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from cytrack.i18n import format_date, report_word, status_name
from cytrack.model import STATUS_VALUES, Status
from cytrack.render.report_text import section_heading
from cytrack.render.table import STATUS_STYLES, percent_bar
from cytrack.reports import Group, Summary, Tally
from cytrack.textsafe import one_line


def totals_line(t: Tally, lang: str) -> Text:
    """``共31项：未启动20项、推进中5项……；逾期4项；久未更新6项；平均进度25.3%`` (all five statuses)."""
    counts = report_word(lang, "list_joiner").join(
        report_word(lang, "status_count", name=status_name(lang, s), n=t.by_status[s]) for s in STATUS_VALUES
    )
    return Text(report_word(
        lang, "summary_totals", total=t.total, statuses=counts, overdue=t.overdue, stale=t.stale,
        average=f"{t.average_percent:.1f}",
    ))


def _count(n: int, style: str = "") -> Text:
    return Text(str(n), style=style if n else "dim")


def _column(table: Table, header: str) -> None:
    """A right-aligned count column whose header may wrap between words but never inside one."""
    table.add_column(header, justify="right", overflow="fold", min_width=max(cell_len(w) for w in header.split()))


def _group_table(title: str, groups: Sequence[tuple[str, Tally]], lang: str, width: int) -> Table:
    table = Table(
        title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
        padding=0,  # the box puts one space between columns; more would not fit 80 columns
    )
    table.add_column("", overflow="fold", min_width=8)
    for header in (
        report_word(lang, "col_total"),
        *(status_name(lang, s) for s in STATUS_VALUES),
        report_word(lang, "col_overdue"),
        report_word(lang, "col_stale"),
    ):
        _column(table, header)
    table.add_column(report_word(lang, "col_average"), no_wrap=True)
    cells = 5 if width >= 100 else 3
    for name, t in groups:
        table.add_row(
            Text(name),
            _count(t.total, "bold"),
            *(_count(t.by_status[s], STATUS_STYLES[Status(s)]) for s in STATUS_VALUES),
            _count(t.overdue, "bold red"),
            _count(t.stale, "yellow"),
            percent_bar(t.average_percent, cells) if t.total else Text("—", style="dim"),
        )
    return table


def _owner_name(g: Group, lang: str) -> str:
    return one_line(str(g.key)).strip() or report_word(lang, "no_lead")


def summary_view(s: Summary, lang: str, width: int = 80) -> RenderableType:
    """Title, totals line, overall bar, then the per-section and per-lead tables."""
    proposal = one_line(s.proposal).strip()
    day = format_date(lang, s.as_of)
    title = (report_word(lang, "summary_title", proposal=proposal, date=day) if proposal
             else report_word(lang, "summary_title_plain", date=day))
    sections = [(section_heading(int(g.key), g.heading, lang), g.tally) for g in s.sections]
    owners = [(_owner_name(g, lang), g.tally) for g in s.owners]
    return RichGroup(
        Text(title, style="bold"),
        totals_line(s.totals, lang),
        percent_bar(s.totals.average_percent, 20),
        Text(""),
        _group_table(report_word(lang, "by_section"), sections, lang, width),
        Text(""),
        _group_table(report_word(lang, "by_lead"), owners, lang, width),
    )
