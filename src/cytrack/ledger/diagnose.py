"""Why a ledger cannot be parsed, said at the line where it happens.

tomllib reports a syntax error's position only inside its message, knows nothing of git's
conflict markers, and an empty or over-nested file parses (or recurses) without saying
where; these functions turn each case into a ``Problem`` that points at a line.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any, Protocol

from cytrack.ledger.errors import Problem
from cytrack.ledger.scan import CONFLICT_MARKERS, LineIndex, TableLines, index_lines, key_of


class NamedText(Protocol):
    """What diagnosing needs of a decoded ledger (``load.LedgerText``): its name and its text.

    A protocol rather than an import, because the loader imports this module.
    """

    path: str
    text: str

MAX_DEPTH = 8

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = re.compile(r"\s*\(at end of document\)\s*$")


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


# Nine openers in a row, each maybe followed by an inline table's ``key =``: ``[[[[`` or ``{a={a={a=``.
_DEEP_RUN = re.compile(r"(?:[\[{]\s*(?:[\w\"'.-]+\s*=\s*)?){" + str(MAX_DEPTH + 1) + ",}")
_DOTTED = re.compile(r"\s*\[*\s*([^=\]#]*)")


def deep_line(text: str, data: dict[str, Any] | None = None) -> int:
    """Where nesting deeper than ``MAX_DEPTH`` starts, to point the user at a line.

    With the parsed data, the top-level key (or the key of a commitment) holding the deep value;
    without it (tomllib gave up), a run of ``[``/``{`` or a long dotted name; else line 1.
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
    m = _DEEP_RUN.search(text)
    if m:
        return text.count("\n", 0, m.start()) + 1
    for number, line in enumerate(text.split("\n"), start=1):
        name = _DOTTED.match(line)
        if name and name.group(1).count(".") >= MAX_DEPTH - 1:
            return number
    return 1


def empty_problem(lt: NamedText) -> Problem:
    what = "is empty (0 bytes)" if not lt.text else "holds nothing but blank lines and comments"
    return Problem(
        lt.path,
        1,
        f"the ledger {what}; was it cut short? Restore it from git or a backup,"
        " or write a fresh one with `cytrack init`",
    )


_ID_LINE = re.compile(r"""\s*id\s*=\s*(?:"([^"\\]*)"|'([^']*)')""")


def marker_problems(lt: NamedText, markers: list[int]) -> list[Problem]:
    """One problem per git conflict marker line, naming the commitment (and field) in conflict when known."""
    lines = lt.text.split("\n")
    index = index_lines(lt.text)
    problems, where = [], ""
    for n in markers:
        if lines[n - 1].startswith("<<<<<<<"):
            where = _conflict_place(index, lines, n)
        hint = f"unresolved git conflict marker{where}; finish the merge (keep the right lines, delete the markers)"
        problems.append(Problem(lt.path, n, hint))
    return problems


def _conflict_place(index: LineIndex, lines: list[str], n: int) -> str:
    """' in commitment 2-3 (field status)' for the conflict opened at line ``n``; '' at the top level."""
    inside = (i + 1 for i in range(n, len(lines)) if lines[i].strip() and not lines[i].startswith(CONFLICT_MARKERS))
    first = next(inside, 0)  # the first line of content inside the conflict
    blocks = {b.line: b for b in index.commitments}
    if first in blocks:  # the conflict holds a whole commitment
        return f" around commitment {_block_id(blocks[first], lines)}"
    header = next((h for h in reversed(index.headers) if h.line < n), None)
    if header is None:
        return ""
    key = key_of(lines[first - 1]) if first else None
    field = f" (field {key})" if key else ""
    if header.name != "commitments" and not header.name.startswith("commitments."):
        return f" in [{header.name}]{field}"
    block = next((b for b in reversed(index.commitments) if b.line < n), None)
    entry = f", a {header.name.split('.', 1)[1]} entry" if "." in header.name else ""
    return f" in commitment {_block_id(block, lines) if block else '?'}{entry}{field}"


def _block_id(block: TableLines, lines: list[str]) -> str:
    m = _ID_LINE.match(lines[block.key_line("id") - 1])
    return (m.group(1) if m.group(1) is not None else m.group(2)) if m else "?"


def syntax_problem(lt: NamedText, exc: tomllib.TOMLDecodeError) -> Problem:
    message = str(exc.args[0]) if exc.args else str(exc)
    lineno = getattr(exc, "lineno", None)
    colno = getattr(exc, "colno", None)
    m = _TOML_POSITION.search(message)
    if m:
        lineno, colno = int(m.group(1)), int(m.group(2))
        message = message[: m.start()]
    elif _TOML_END.search(message):
        message = _TOML_END.sub("", message)
        lineno = lt.text.count("\n") + 1
        colno = len(lt.text.rsplit("\n", 1)[-1]) + 1
    message = message.strip().rstrip(".")
    text = f"invalid TOML: {message[:1].lower()}{message[1:]}" if message else "invalid TOML"
    return Problem(lt.path, lineno or 1, text, column=colno or 1)
