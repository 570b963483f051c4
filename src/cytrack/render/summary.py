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
from cytrack.render.keep import Phrase
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


LABEL_WIDTH = 8  # the label column folds its text down to this many cells (never inside a unit: render.keep)
AVERAGE_CELLS = 3  # the bar of the average column below 100 columns (none when even that does not fit)


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


def _label_width(names: Sequence[str]) -> int:
    """The label column: ``LABEL_WIDTH``, or the widest unit of a name (``Proposal 1181``) when wider."""
    return max([LABEL_WIDTH] + [Phrase(n).widest_unit() for n in names])


def _average(percent: float, cells: int) -> Text:
    return percent_bar(percent, cells) if cells else Text(f"{percent:.1f}%")


def _widths(groups: Sequence[tuple[str, Tally]], lang: str, bar: int) -> tuple[int, list[int], int]:
    """The narrowest label column, each count column and the average column of a per-group table.

    Each count column is as wide as its header's longest word or its widest number, the
    label column folds to ``LABEL_WIDTH`` but never inside a unit, and the average column
    never wraps (``bar`` cells of bar, or none).
    """
    headers = _count_headers(lang)
    widths = [max(cell_len(w) for w in h.split()) for h in headers]
    for _, t in groups:
        cells = [f"{n}{m}" for n, m in zip(_counts(t), _marks(t, lang), strict=True)]
        widths = [max(w, cell_len(c)) for w, c in zip(widths, cells, strict=True)]
    average = max(cell_len(report_word(lang, "col_average")), _average(100.0, bar).cell_len)
    return _label_width([name for name, _ in groups]), widths, average


def table_width(groups: Sequence[tuple[str, Tally]], lang: str, bar: int = AVERAGE_CELLS) -> int:
    """The fewest columns the per-group table fits in (one space between columns); in fewer,
    Rich would cut its last columns."""
    label, counts, average = _widths(groups, lang, bar)
    return label + sum(counts) + average + len(counts) + 1


def _bar_cells(s: Summary, lang: str, width: int) -> int:
    """The average column's bar: 5 cells from 100 columns, else 3, else none when 3 would not fit."""
    if width >= 100:
        return 5
    _, first, owners = summary_parts(s, lang)
    return AVERAGE_CELLS if max(table_width(first, lang), table_width(owners, lang)) <= width else 0


def summary_width(s: Summary, lang: str) -> int:
    """The fewest columns the summary screen fits in without cutting a column (or a unit of a name)."""
    _, first, owners = summary_parts(s, lang)
    return max(table_width(first, lang, bar=0), table_width(owners, lang, bar=0))


def _group_table(title: str, groups: Sequence[tuple[str, Tally]], lang: str, bar: int, width: int) -> Table:
    """Every column at a set width (Rich's own shrinking would cut the last column at 80): the counts
    and the average as narrow as ``_widths`` says, the label column the rest, up to its longest name."""
    table = Table(
        title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
        padding=0,  # the box puts one space between columns; more would not fit 80 columns
    )
    narrowest, counts, average = _widths(groups, lang, bar)
    longest = max((cell_len(name) for name, _ in groups), default=0)
    rest = sum(counts) + average + len(counts) + 1
    if longest + rest + len(counts) <= width:  # room for every name whole: a second space between counts
        counts = [c + 1 for c in counts]
        rest += len(counts)
    table.add_column("", overflow="fold", width=max(narrowest, min(longest, width - rest)))
    for header, cells in zip(_count_headers(lang), counts, strict=True):
        table.add_column(header, justify="right", overflow="fold", width=cells)
    table.add_column(report_word(lang, "col_average"), no_wrap=True, width=average)
    styles = ["bold", *(STATUS_STYLES[Status(s)] for s in STATUS_VALUES), "bold red", "yellow"]
    for name, t in groups:
        table.add_row(
            Phrase(name),
            *(_count(n, style, m) for n, style, m in zip(_counts(t), styles, _marks(t, lang), strict=True)),
            _average(t.average_percent, bar) if t.total else Text("—", style="dim"),
        )
    return table


def summary_view(s: Summary, lang: str, width: int = 80) -> RenderableType:
    """Title, totals line, overall bar, then the per-section and per-lead tables."""
    title, sections, owners = summary_parts(s, lang)
    head = [Text(title, style="bold"), totals_line(s.totals, lang), lights_line(s.totals, lang)]
    if s.totals.unjudged:
        mark = state_word(lang, "unjudged_mark")
        head.append(Text(f"{mark} " + unjudged_note(s.totals.unjudged, s.as_of, lang), style="yellow"))
    bar = _bar_cells(s, lang, width)
    return RichGroup(
        *(Phrase(line) for line in head),  # a number never ends a line away from its noun
        percent_bar(s.totals.average_percent, 20),
        Text(""),
        _group_table(first_part(s, lang), sections, lang, bar, width),
        Text(""),
        _group_table(report_word(lang, "by_lead"), owners, lang, bar, width),
    )
