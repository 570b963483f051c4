"""Help text laid out by display width: a Chinese character takes two cells, and no word breaks.

Click wraps help by counting characters and may break at hyphens, so Chinese help would
run past the right edge and ``--due-before`` could be split.  ``HelpFormatter`` here wraps
by display cells (``textsafe``-style East Asian width), breaks only between words or
between Chinese characters (never before closing punctuation such as ，。）), and keeps
``\\b`` paragraphs as written.  At most 80 cells wide.
"""

from __future__ import annotations

import re
import unicodedata

import click

MAX_WIDTH = 80
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
# A space, a short note in brackets such as [不小于1] or [默认：table] (kept whole), Chinese names joined
# by "/" (kept whole), one Chinese character, or a run of anything else.
_TOKEN = re.compile(rf"\s+|\[[^\s\[\]]{{1,16}}\]|[\u4e00-\u9fff]+(?:/[\u4e00-\u9fff]+)+|[{_CJK}]|[^\s{_CJK}]+")
_NO_LINE_START = set("，。、；：！？）》」』】〕”’,.;:!?)]}")


def cells(text: str) -> int:
    """Display width of ``text``: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap_paragraph(text: str, width: int, first: str, rest: str) -> list[str]:
    tokens = [t for t in _TOKEN.findall(text)]
    lines: list[str] = []
    line, used = first, cells(first)
    fresh = True  # nothing but the indent on this line yet
    for i, token in enumerate(tokens):
        if token.isspace():
            if not fresh:
                line += " "
                used += 1
            continue
        size = cells(token)
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        glued = size + (cells(following) if following and following[0] in _NO_LINE_START else 0)
        if not fresh and used + glued > width:
            lines.append(line.rstrip())
            line, used = rest, cells(rest)
            fresh = True
        if token[0] in _NO_LINE_START and fresh and lines:
            lines[-1] += token  # never start a line with closing punctuation
            continue
        line += token
        used += size
        fresh = False
    lines.append(line.rstrip())
    return lines


def _join_lines(lines: list[str]) -> str:
    """The lines of a paragraph as one text: a space between words, none between Chinese characters."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if out and line and not (cells(out[-1]) == 2 and cells(line[0]) == 2):
            out += " "
        out += line
    return out


def wrap_text(
    text: str, width: int = MAX_WIDTH, initial_indent: str = "", subsequent_indent: str = "",
    preserve_paragraphs: bool = False,
) -> str:
    """Click's ``wrap_text``, by display cells and without breaking words."""
    if not preserve_paragraphs:
        return "\n".join(_wrap_paragraph(_join_lines(text.splitlines()), width, initial_indent, subsequent_indent))
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        lines = block.split("\n")
        if lines[0].strip() == "\b":
            out.append("\n".join(initial_indent + ln for ln in lines[1:]))
            continue
        indent = len(lines[0]) - len(lines[0].lstrip())
        pad = " " * indent
        out.append(
            "\n".join(_wrap_paragraph(_join_lines(lines), width, initial_indent + pad, subsequent_indent + pad))
        )
    return "\n\n".join(out)


class HelpFormatter(click.HelpFormatter):
    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        super().__init__(indent_increment, width, MAX_WIDTH)
        self.width = min(self.width, MAX_WIDTH)

    def write_heading(self, heading: str) -> None:
        colon = "：" if cells(heading) > len(heading) else ":"
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(wrap_text(text, self.width, indent, indent, preserve_paragraphs=True))
        self.write("\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            from gettext import gettext

            prefix = gettext("Usage:") + " "
        head = f"{prefix:>{self.current_indent}}{prog} "
        if not args:
            self.write(head.rstrip(" ") + "\n")
            return
        indent = " " * min(cells(head), 20)
        self.write(wrap_text(args, self.width - self.current_indent, head, indent) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:  # type: ignore[no-untyped-def]
        rows = list(rows)
        first_col = min(max((cells(r[0]) for r in rows), default=0), col_max) + col_spacing
        pad = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cells(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cells(first)))
            else:
                self.write("\n" + pad)
            lines = wrap_text(second, max(self.width - first_col - self.current_indent, 10)).splitlines()
            self.write((lines[0] if lines else "") + "\n")
            for line in lines[1:]:
                self.write(f"{pad}{line}\n")


class Context(click.Context):
    formatter_class = HelpFormatter
