"""The ``list`` table drawn in a fraction of the time Rich's ``Table`` takes, with the same output.

Rich lays out every cell through several generic renderables (padding, measuring, wrapping,
cropping): 0.6 to 1.5 ms per row, seconds for 2,000 rows.  ``LongTable`` draws the one kind of
table ``list`` uses (``box.SIMPLE_HEAD``, no edge, collapsed padding) itself: it sizes the
columns by the same rules as Rich (each column's narrowest and widest cell, widest
foldable columns shrunk first when the terminal is too narrow), pads each cell line to its
column in its own style, and leaves to Rich only what is rare: folding a cell that does
not fit, and turning styles into terminal codes.  Widths are counted in terminal cells
(``rich.cells.cell_len``), so Chinese text lines up.  tests/test_fast_output.py checks that
its output is the same as Rich's, character for character, colours included.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text

_Memo = dict[tuple[object, ...], list[Segment]]


@dataclass
class _Column:
    header: str
    no_wrap: bool = False
    overflow: str = "ellipsis"
    min_width: int | None = None
    max_width: int | None = None
    cells: list[Text] = field(default_factory=list)
    pad: int = 1  # cells of padding on the right; the last column has none

    def sizes(self) -> set[tuple[int, int]]:
        """The distinct (longest word, longest line) of the header and every cell."""
        found = set()
        for text in (self.header, *(c.plain for c in self.cells)):
            lines = text.splitlines()
            widest = max(map(cell_len, lines)) if lines else 0
            words = text.split()
            found.add((max(map(cell_len, words)) if words else widest, widest))
        return found

    def measure(self, sizes: Iterable[tuple[int, int]], width: int) -> tuple[int, int]:
        """The narrowest and widest this column can be within ``width`` cells, padding included.

        Each cell may be as narrow as its longest word and as wide as its longest line; the
        column takes the largest of both, then its own minimum and maximum width.
        """
        low = high = 0
        inner = width - self.pad
        for word, line in sizes:
            if inner < 1:
                a = b = width
            else:
                a, b = min(word, line, inner), min(line, inner)
                if b < 1:
                    a = b = 0
                a, b = min(a + self.pad, width), min(b + self.pad, width)
                if b < 1:
                    a = b = 0
            low, high = max(low, a), max(high, b)
        if self.min_width is not None:
            floor = self.min_width + self.pad
            low, high = max(low, floor), max(high, floor)
        if self.max_width is not None:
            cap = self.max_width + self.pad
            low, high = min(low, cap), min(high, cap)
        return low, high


class LongTable:
    """The part of ``rich.table.Table`` that ``list`` uses, drawn row by row."""

    def __init__(self) -> None:
        self.columns: list[_Column] = []

    def add_column(
        self,
        header: str,
        *,
        no_wrap: bool = False,
        overflow: str = "ellipsis",
        min_width: int | None = None,
        max_width: int | None = None,
    ) -> None:
        if self.columns:
            self.columns[-1].pad = 1
        self.columns.append(_Column(header, no_wrap, overflow, min_width, max_width, pad=0))

    def add_row(self, *cells: Text) -> None:
        for column, cell in zip(self.columns, cells, strict=True):
            column.cells.append(cell)

    def widths(self, max_width: int) -> list[int]:
        """Each column's width, padding included, for a table at most ``max_width`` cells wide."""
        room = max_width - (len(self.columns) - 1)  # one cell between columns
        sizes = [c.sizes() for c in self.columns]
        widths = [c.measure(s, room)[1] or 1 for c, s in zip(self.columns, sizes, strict=True)]
        if sum(widths) > room:
            widths = _shrink(widths, [not c.no_wrap for c in self.columns], room)
            if sum(widths) > room:
                widths = _take(sum(widths) - room, [1] * len(widths), widths, widths)
            widths = [c.measure(s, w)[1] for c, s, w in zip(self.columns, sizes, widths, strict=True)]
        return widths

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        gaps = len(self.columns) - 1
        total = sum(self.widths(options.max_width))
        sizes = [c.measure(c.sizes(), total) for c in self.columns]
        return Measurement(sum(s[0] for s in sizes) + gaps, sum(s[1] for s in sizes) + gaps)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(options.max_width)
        header = tuple(Text(c.header) for c in self.columns)
        memo: _Memo = {}
        yield from self._row(console, header, widths, memo, console.get_style("table.header"))
        yield Segment("─" * (sum(widths) + len(widths) - 1) + "\n")
        for row in zip(*(c.cells for c in self.columns), strict=True):
            yield from self._row(console, row, widths, memo)

    def _row(
        self, console: Console, row: tuple[Text, ...], widths: list[int], memo: _Memo, style: Style | None = None
    ) -> Iterator[Segment]:
        """One row, as many lines high as its tallest cell; ``style`` (the header's) covers the padding too.

        Unstyled neighbours are joined into one segment: the same characters reach the
        terminal, with a third of the work for Rich.
        """
        cells = [
            _cell_lines(console, text, width - column.pad, column, memo)
            for text, column, width in zip(row, self.columns, widths, strict=True)
        ]
        plain: list[str] = []
        for n in range(max(map(len, cells))):
            for i, (lines, column, width) in enumerate(zip(cells, self.columns, widths, strict=True)):
                if i:
                    plain.append(" ")
                if n >= len(lines):
                    line = [Segment(" " * width, style)]
                else:
                    line = Segment.apply_style(lines[n], style) if style else lines[n]
                    if column.pad:
                        line = [*line, Segment(" " * column.pad, style)]
                for segment in line:
                    if segment.style:
                        if plain:
                            yield Segment("".join(plain))
                            plain.clear()
                        yield segment
                    else:
                        plain.append(segment.text)
            plain.append("\n")
        yield Segment("".join(plain))


def _cell_lines(console: Console, text: Text, width: int, column: _Column, memo: _Memo) -> list[list[Segment]]:
    """The lines of one cell as segments, each padded with spaces to ``width``.

    The padding takes the cell's own style, as in Rich's tables.
    """
    plain = text.plain
    if "\n" not in plain and "\t" not in plain and text.justify is None and text.no_wrap is None:
        used = cell_len(plain)
        if used <= width:
            padded = plain + " " * (width - used)
            if not text.spans:
                return [[Segment(padded, console.get_style(text.style)) if text.style else Segment(padded)]]
            return [_styled(console, padded, text.style, text.spans, memo)]
    no_wrap = column.no_wrap if text.no_wrap is None else text.no_wrap
    lines = text.wrap(
        console, width, justify=text.justify or "left", overflow=text.overflow or column.overflow, no_wrap=no_wrap
    )
    return [_styled(console, line.plain, line.style, line.spans, memo) for line in lines]


def _styled(console: Console, plain: str, style: str | Style, spans: list[Span], memo: _Memo) -> list[Segment]:
    """A line with spans as segments; its base style becomes a span over the whole line, padding included.

    Lines repeat (a percent bar has ~100 forms), so each is rendered once per table.
    """
    key = (plain, style, *spans)
    found = memo.get(key)
    if found is None:
        flat = Text(plain, end="")
        flat.spans = ([Span(0, len(plain), style)] if style else []) + list(spans)
        found = memo[key] = list(flat.render(console))
    return found


def _shrink(widths: list[int], foldable: list[bool], room: int) -> list[int]:
    """Narrow the widest foldable columns, down to the next widest, until the table fits."""
    excess = sum(widths) - room
    while excess > 0 and any(foldable):
        widest = max(w for w, f in zip(widths, foldable, strict=True) if f)
        runner_up = max((w if f and w != widest else 0) for w, f in zip(widths, foldable, strict=True))
        step = widest - runner_up
        shares = [1 if f and w == widest else 0 for w, f in zip(widths, foldable, strict=True)]
        if not step or not any(shares):
            break
        widths = _take(excess, shares, [min(excess, step)] * len(widths), widths)
        excess = sum(widths) - room
    return widths


def _take(total: int, shares: list[int], limits: list[int], values: list[int]) -> list[int]:
    """Take ``total`` cells from ``values`` in proportion to ``shares``, at most ``limits[i]`` from each."""
    shares = [s if limit else 0 for s, limit in zip(shares, limits, strict=True)]
    left_shares, left = sum(shares), total
    out = []
    for share, limit, value in zip(shares, limits, values, strict=True):
        if share and left_shares > 0:
            taken = min(limit, round(share * left / left_shares))
            out.append(value - taken)
            left -= taken
            left_shares -= share
        else:
            out.append(value)
    return out
