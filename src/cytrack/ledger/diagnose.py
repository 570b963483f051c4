"""Why a ledger cannot be parsed, said at the line where it happens.

tomllib reports a syntax error's position only inside its message, knows nothing of git's
conflict markers, and an empty or over-nested file parses (or recurses) without saying
where; these functions turn each case into a ``Problem`` that points at a line.
"""

from __future__ import annotations

import tomllib
from typing import Any, Protocol

from cytrack.i18n.core import current
from cytrack.i18n.messages import message
from cytrack.ledger.errors import Problem
from cytrack.ledger.lazyre import Lazy
from cytrack.ledger.scan import (
    CONFLICT_MARKERS,
    LineIndex,
    TableLines,
    code_positions,
    index_lines,
    key_of,
    key_text,
    loose_header,
    plain_string,
    too_deep_line,
    value_start,
)


class NamedText(Protocol):
    """What diagnosing needs of a decoded ledger (``load.LedgerText``): its name and its text.

    A protocol rather than an import, because the loader imports this module.
    """

    path: str
    text: str

MAX_DEPTH = 8

_TOML_POSITION = Lazy(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = Lazy(r"\s*\(at end of document\)\s*$")


def nesting_depth(value: Any, level: int = 0) -> int:
    """How many tables and arrays nest at the deepest point (only containers are visited)."""
    if isinstance(value, dict):
        children: Any = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return level
    deepest = level + 1
    for child in children:
        if isinstance(child, (dict, list)):
            deepest = max(deepest, nesting_depth(child, level + 1))
    return deepest


def deep_line(text: str, data: dict[str, Any] | None = None) -> int:
    """Where nesting deeper than ``MAX_DEPTH`` starts, to point the user at a line.

    With the parsed data, the top-level key (or the key of a commitment) holding the deep value;
    without it (tomllib gave up), where the scanner finds brackets nesting too deep or a long
    dotted name (``ledger.scan.too_deep_line``); else line 1.
    """
    if data is not None:
        index = index_lines(text)
        for key, value in data.items():
            if nesting_depth(value, 1) <= MAX_DEPTH:
                continue
            if key == "commitments" and isinstance(value, list):
                for i, c in enumerate(value):
                    deep = [k for k, v in c.items() if nesting_depth(v, 3) > MAX_DEPTH] if isinstance(c, dict) else []
                    if deep:
                        return index.commitment(i).key_line(deep[0])
            if key in index.tables:
                return index.tables[key].line
            if key in index.root.keys:
                return index.root.keys[key]
            break
    return too_deep_line(text, MAX_DEPTH) or 1


def empty_problem(lt: NamedText) -> Problem:
    return Problem(lt.path, 1, message("ledger_empty" if not lt.text else "ledger_only_comments"))


def marker_problems(lt: NamedText, markers: list[int]) -> list[Problem]:
    """One problem per git conflict marker line, naming the commitment (and field) in conflict when known."""
    lines = lt.text.split("\n")
    index = index_lines(lt.text)
    problems, where = [], ""
    for n in markers:
        if lines[n - 1].startswith("<<<<<<<"):
            where = _conflict_place(index, lines, n)
        problems.append(Problem(lt.path, n, message("conflict_marker", where=where)))
    return problems


def _conflict_place(index: LineIndex, lines: list[str], n: int) -> str:
    """' in commitment 2-3 (field status)' for the conflict opened at line ``n``; '' at the top level."""
    inside = (i + 1 for i in range(n, len(lines)) if lines[i].strip() and not lines[i].startswith(CONFLICT_MARKERS))
    first = next(inside, 0)  # the first line of content inside the conflict
    blocks = {b.line: b for b in index.commitments}
    if first in blocks:  # the conflict holds a whole commitment
        return message("conflict_around", cid=_block_id(blocks[first], lines))
    header = next((h for h in reversed(index.headers) if h.line < n), None)
    if header is None:
        return ""
    key = key_of(lines[first - 1]) if first else None
    field = message("conflict_field", key=key) if key else ""
    if header.name != "commitments" and not header.name.startswith("commitments."):
        return message("conflict_in_table", table=header.name, field=field)
    block = next((b for b in reversed(index.commitments) if b.line < n), None)
    entry = message("conflict_marker_entry", kind=header.name.split(".", 1)[1]) if "." in header.name else ""
    return message("conflict_in", cid=_block_id(block, lines) if block else "?", entry=entry, field=field)


def _block_id(block: TableLines, lines: list[str]) -> str:
    """The commitment's id as its ``id = "…"`` line gives it (a plain one-line string), else ``?``."""
    line = lines[block.key_line("id") - 1]
    found = value_start(line)
    cid = plain_string(line, found[1]) if found is not None and found[0] == "id" else None
    return "?" if cid is None else cid


def syntax_problem(lt: NamedText, exc: tomllib.TOMLDecodeError) -> Problem:
    """A TOML syntax error at its line and column, in plain words; a common slip is named with its fix."""
    detail = str(exc.args[0]) if exc.args else str(exc)
    lineno = getattr(exc, "lineno", None)
    colno = getattr(exc, "colno", None)
    m = _TOML_POSITION.search(detail)
    at_end = False
    if m:
        lineno, colno = int(m.group(1)), int(m.group(2))
        detail = detail[: m.start()]
    elif _TOML_END.search(detail):
        detail = _TOML_END.sub("", detail)
        lineno = lt.text.count("\n") + 1
        colno = len(lt.text.rsplit("\n", 1)[-1]) + 1
        at_end = True
    detail = detail.strip().rstrip(".")
    lines = lt.text.split("\n")
    slip = _slip(lines, lineno or 1, colno or 1, detail, at_end)
    if slip is not None:
        lineno, colno, text = slip
    elif current() == "en" and detail:
        text = message("toml_invalid_detail", detail=f"{detail[:1].lower()}{detail[1:]}")
    else:
        known = next((key for start, key in _TOMLLIB_SAYS if detail.startswith(start)), None)
        text = message("toml_invalid_detail", detail=message(known)) if known else message("toml_invalid")
    last = lt.text.count("\n") + 1
    if lt.text and not lt.text.endswith("\n") and (lineno or 1) >= last:
        # The error is on the last line and that line has no end: the file was cut short.
        text += message("toml_truncated", path=lt.path)
    return Problem(lt.path, lineno or 1, text, column=colno or 1, context=_excerpt(lines, lineno or 1, colno or 1))


def _cells(text: str) -> int:
    """Display width: wide and full-width characters take two columns of a terminal."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _excerpt(lines: list[str], lineno: int, colno: int) -> tuple[str, ...]:
    """The line quoted (indented four spaces) and a caret under column ``colno``."""
    if not 1 <= lineno <= len(lines):
        return ()
    line = lines[lineno - 1].rstrip("\r").replace("\t", " ")
    return (f"    {line}", "    " + " " * _cells(line[: colno - 1]) + "^")


_FULL_QUOTES = "“”‘’「」"
# What tomllib says, as the start of its message, and the message key that says it in plain words.
_TOMLLIB_SAYS = (
    ("Invalid value", "toml_bad_value"),
    ("Invalid initial character for a key part", "toml_bad_key"),
    ("Expected '=' after a key", "toml_expected_equals"),
    ("Unclosed array", "toml_unclosed_array"),
    ("Unclosed inline table", "toml_unclosed_table"),
    ("Unescaped '\\' in a string", "toml_backslash"),
    ("Expected newline or end of document", "toml_one_per_line"),
    ("Invalid date or datetime", "toml_bad_date"),
    ("Illegal character", "toml_illegal_character"),
)


def _slip(lines: list[str], lineno: int, colno: int, detail: str, at_end: bool) -> tuple[int, int, str] | None:
    """(line, column, message) for a slip people make typing TOML, or None."""
    if at_end and detail.startswith(("Cannot overwrite", "Cannot declare", "Cannot mutate")):
        return _repeated_key(lines)  # tomllib names no place: the second time the key is given
    if detail.startswith(("Cannot overwrite", "Cannot declare")) and 1 <= lineno <= len(lines):
        found = _repeated_key(lines[:lineno])
        if found is not None and found[0] == lineno:
            return lineno, colno, found[2]
    if not 1 <= lineno <= len(lines):
        return None
    line = lines[lineno - 1].rstrip("\r")
    ch = line[colno - 1] if 1 <= colno <= len(line) else ""
    if ch and colno - 1 in code_positions(line):  # tomllib stopped at a full-width character
        if ch in _FULL_QUOTES:
            fixed = "".join('"' if c in _FULL_QUOTES else c for c in line).strip()
            return lineno, colno, message("slip_quotes", char=ch, fixed=fixed)
        if ch == "＝":
            return lineno, colno, message("slip_equals", fixed=line.replace("＝", "=").strip())
        if ch == "：" and "=" not in line[: colno - 1]:
            return lineno, colno, message("slip_colon", fixed=line.replace("：", " =", 1).strip())
        if ch == "，":
            return lineno, colno, message("slip_comma", fixed=line.replace("，", ", ").strip())
    plain = line.rstrip("\r")
    if (
        detail.startswith(("Illegal character '\\n'", "Unterminated string"))
        and '"""' not in plain and "\'\'\'" not in plain
        and (plain.count('"') % 2 == 1 or plain.count("'") % 2 == 1)
    ):
        quote = '"' if plain.count('"') % 2 == 1 else "'"
        return lineno, colno, message("slip_unclosed", fixed=(plain.rstrip() + quote).strip())
    if detail.startswith(("Expected ']' at the end of a table", "Expected ']]' at the end of an array")):
        close = "]]" if line.lstrip().startswith("[[") else "]"
        fixed = line.split("#", 1)[0].rstrip().rstrip("]") + close
        return lineno, colno, message("slip_bracket", close=close, fixed=fixed.strip())
    return None


def _repeated_key(lines: list[str]) -> tuple[int, int, str] | None:
    """The second time a key is given in one table (tomllib says only "cannot overwrite a value")."""
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        header = loose_header(line)
        if header is not None:
            seen = {}
            key = f"[{header}]"
            if not line.lstrip().startswith("[[") and key in _headers_seen(lines, number):
                first = _headers_seen(lines, number)[key]
                return number, 1, message("slip_table_twice", table=header, first=first)
            continue
        key = key_text(line)
        if key:
            name = "".join(key[0].split())
            if name in seen:
                return number, key[1] + 1, message("slip_repeated", key=name, first=seen[name])
            seen[name] = number
    return None


def _headers_seen(lines: list[str], before: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, raw in enumerate(lines[: before - 1], start=1):
        line = raw.rstrip("\r")
        header = loose_header(line)
        if header is not None and not line.lstrip().startswith("[["):
            found.setdefault(f"[{header}]", number)
    return found
