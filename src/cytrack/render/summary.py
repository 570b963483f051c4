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

from cytrack.core.reports import Summary, Tally
from cytrack.core.state import LIGHTS
from cytrack.i18n import report_word, state_word, status_name
from cytrack.ledger.model import STATUS_VALUES, Status
from cytrack.render.report_text import first_part, summary_parts, summary_totals, unjudged_note
from cytrack.render.table import LIGHT_STYLES, STATUS_STYLES, percent_bar


def totals_line(t: Tally, lang: str) -> Text:
    """``共31项：未启动20项、推进中5项……；逾期4项；久未更新6项；平均进度25.3%`` (all five statuses)."""
    return Text(summary_totals(t, lang))


def lights_line(t: Tally, lang: str) -> Text:
    """``预警：红灯3项、黄灯5项、蓝灯2项``, each count in its light's colour (the words read without it)."""
    text = Text(state_word(lang, "lights_line", lights=""))
    parts = state_word(lang, "lights", red="\0", yellow="\0", blue="\0").split("\0")
    # parts: the words around the three counts, e.g. ["红灯", "项、黄灯", "项、蓝灯", "项"]
    for i, light in enumerate(LIGHTS):
        text.append(parts[i])
        text.append(str(t.lights[light]), style=LIGHT_STYLES[light] if t.lights[light] else "dim")
    text.append(parts[-1])
    return text


def _count(n: int, style: str = "", mark: str = "") -> Text:
    return Text(f"{n}{mark}", style=style if n or mark else "dim")


def _column(table: Table, header: str) -> None:
    """A right-aligned count column whose header may wrap between words but never inside one."""
    table.add_column(header, justify="right", overflow="fold", min_width=max(cell_len(w) for w in header.split()))


LABEL_WIDTH = 8  # the label column folds its text down to this many cells
AVERAGE_CELLS = 3  # the bar of the average column below 100 columns


def _count_headers(lang: str) -> list[str]:
    return [
        report_word(lang, "col_total"),
        *(status_name(lang, s) for s in STATUS_VALUES),
        report_word(lang, "col_overdue"),
        report_word(lang, "col_stale"),
    ]


def _counts(t: Tally) -> list[int]:
    return [t.total, *(t.by_status[s] for s in STATUS_VALUES), t.overdue, t.stale]


def _marks(t: Tally, lang: str) -> list[str]:
    """``?`` after the stale count of a group holding commitments that cannot be judged."""
    return [""] * (len(STATUS_VALUES) + 2) + [state_word(lang, "unjudged_mark") if t.unjudged else ""]


def table_width(groups: Sequence[Tally], lang: str) -> int:
    """The fewest columns the per-group table fits in; in fewer, Rich would cut its last columns.

    Each count column is as wide as its header's longest word or its widest number, the
    label column folds to ``LABEL_WIDTH``, the average column never wraps, and one space
    separates columns.
    """
    headers = _count_headers(lang)
    widths = [max(cell_len(w) for w in h.split()) for h in headers]
    for t in groups:
        cells = [f"{n}{m}" for n, m in zip(_counts(t), _marks(t, lang), strict=True)]
        widths = [max(w, cell_len(c)) for w, c in zip(widths, cells, strict=True)]
    average = max(cell_len(report_word(lang, "col_average")), percent_bar(100.0, AVERAGE_CELLS).cell_len)
    return LABEL_WIDTH + sum(widths) + average + len(widths) + 1


def summary_width(s: Summary, lang: str) -> int:
    """The fewest columns the summary screen fits in without cutting a column."""
    first = s.replies if s.sources else s.sections
    return max(table_width([g.tally for g in first], lang), table_width([g.tally for g in s.owners], lang))


def _group_table(title: str, groups: Sequence[tuple[str, Tally]], lang: str, width: int) -> Table:
    table = Table(
        title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
        padding=0,  # the box puts one space between columns; more would not fit 80 columns
    )
    table.add_column("", overflow="fold", min_width=LABEL_WIDTH)
    for header in _count_headers(lang):
        _column(table, header)
    table.add_column(report_word(lang, "col_average"), no_wrap=True)
    cells = 5 if width >= 100 else AVERAGE_CELLS
    styles = ["bold", *(STATUS_STYLES[Status(s)] for s in STATUS_VALUES), "bold red", "yellow"]
    for name, t in groups:
        table.add_row(
            Text(name),
            *(_count(n, style, m) for n, style, m in zip(_counts(t), styles, _marks(t, lang), strict=True)),
            percent_bar(t.average_percent, cells) if t.total else Text("—", style="dim"),
        )
    return table


def summary_view(s: Summary, lang: str, width: int = 80) -> RenderableType:
    """Title, totals line, overall bar, then the per-section and per-lead tables."""
    title, sections, owners = summary_parts(s, lang)
    head: list[RenderableType] = [Text(title, style="bold"), totals_line(s.totals, lang), lights_line(s.totals, lang)]
    if s.totals.unjudged:
        mark = state_word(lang, "unjudged_mark")
        head.append(Text(f"{mark} " + unjudged_note(s.totals.unjudged, s.as_of, lang), style="yellow"))
    return RichGroup(
        *head,
        percent_bar(s.totals.average_percent, 20),
        Text(""),
        _group_table(first_part(s, lang), sections, lang, width),
        Text(""),
        _group_table(report_word(lang, "by_lead"), owners, lang, width),
    )
