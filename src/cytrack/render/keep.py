"""Text that wraps only where a reader allows: a number stays with its noun, a name with its number.

Rich wraps a ``Text`` at any white space (a no-break space included: Python's ``\\s`` matches
it) and folds Chinese anywhere, so at 80 columns ``11 overdue`` could end a line with ``11``
and ``Proposal 1181`` could print ``Proposal`` above ``1181``.  ``Phrase`` is a renderable
that wraps its text between *units* only, counting cells as Rich does:

- a number is joined to the word before it (``Section 1:``, ``Proposal 1181``, ``No. 1181``,
  ``第1181号``) unless that word ends a clause (``,`` ``;`` ``:`` ``、`` ``；`` …), and to the
  word after it (``11 overdue``, ``0.0%``, ``31项``); in Chinese the number also keeps up to
  ``CJK_NOUN`` characters before it (``久未更新0项``, ``逾期11项``);
- closing punctuation never starts a line and opening punctuation never ends one, and a
  ``key = value`` the user is told to write stays on one line.

A unit wider than the space it gets is folded by cells, as Rich would.  In a table the
column is never narrower than the widest unit (``__rich_measure__``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType
from rich.measure import Measurement
from rich.text import Text

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_TOKEN = re.compile(rf"[{_CJK}]\s*|[^\s{_CJK}]+\s*|\s+")
_CLAUSE_END = tuple(",;:，；：、。！？!?")
_CLOSING = set("，。、；：！？）》」』】〕”’,.;:!?)]}%")
_OPENING = set("（《「『【〔“‘([{")
CJK_NOUN = 4  # Chinese characters kept before a number: 久未更新0项


def _is_cjk(token: str) -> bool:
    return bool(token) and cell_len(token[0]) == 2


def _number(token: str) -> bool:
    return token[:1].isdigit()


def units(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that never break inside, in order (trailing spaces included)."""
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    glued = [False] * len(tokens)  # glued[i]: no break between token i-1 and token i
    for i in range(1, len(tokens)):
        before = text[tokens[i - 1][0] : tokens[i - 1][1]]
        token = text[tokens[i][0] : tokens[i][1]]
        spaced = before != before.rstrip()
        word = before.rstrip()
        if token[0] in _CLOSING or (word and word[-1] in _OPENING) or "=" in (word, token.rstrip()):
            glued[i] = True
        elif _number(token) and word and not word.endswith(_CLAUSE_END):
            glued[i] = True
            if _is_cjk(word) and not spaced:  # 久未更新0项: the noun before the number stays whole
                j, kept = i - 1, 1
                while j > 0 and kept < CJK_NOUN:
                    prev = text[tokens[j - 1][0] : tokens[j - 1][1]]
                    if not _is_cjk(prev) or prev != prev.rstrip() or prev[0] in _CLOSING or prev[0] in _OPENING:
                        break
                    glued[j] = True
                    j, kept = j - 1, kept + 1
        elif _number(word) and not word.endswith(_CLAUSE_END) and not word.endswith(tuple(_CLOSING - {"%"})):
            glued[i] = True  # 11 overdue, 31项, 0.0%
    spans: list[tuple[int, int]] = []
    for (start, end), joined in zip(tokens, glued, strict=True):
        if joined and spans:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _lines(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy lines of whole units, each at most ``width`` cells (a wider unit folded by cells)."""
    lines: list[tuple[int, int]] = []
    start = end = 0
    used = 0
    for a, b in units(text):
        size = cell_len(text[a:b].rstrip())
        if used and used + size > width:
            lines.append((start, end))
            start, used = a, 0
        if size > width:  # a unit wider than the line: fold it, as Rich folds a long word
            pos = a
            while cell_len(text[pos:b].rstrip()) > width:
                cut, cells = pos, 0
                while cut < b and cells + cell_len(text[cut]) <= width:
                    cells += cell_len(text[cut])
                    cut += 1
                lines.append((start, cut))
                start = pos = cut
            used = cell_len(text[pos:b])
            end = b
            continue
        used += cell_len(text[a:b])
        end = b
    lines.append((start, end))
    return lines


class Phrase:
    """A ``Text`` that wraps between units only (see the module's doc); styles are kept."""

    def __init__(self, text: Text | str) -> None:
        self.text = text if isinstance(text, Text) else Text(text)

    def widest_unit(self) -> int:
        plain = self.text.plain
        return max((cell_len(plain[a:b].rstrip()) for a, b in units(plain)), default=0)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(self.widest_unit(), options.max_width), min(self.text.cell_len, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[RenderableType]:
        plain = self.text.plain
        out = Text(style=self.text.style, end=self.text.end, justify=self.text.justify)
        for n, (a, b) in enumerate(_lines(plain, max(options.max_width, 1))):
            if n:
                out.append("\n")
            line = self.text[a:b]
            line.rstrip()
            out.append_text(line)
        out.no_wrap = True  # every line already fits
        yield out
