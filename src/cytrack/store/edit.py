"""Change one commitment's lines of ledger text and leave every other byte alone.

A full tomlkit round-trip costs seconds on a large ledger and is the riskiest way to
keep people's formatting, so edits work on lines.  A commitment's *block* is the span
``ledger.layout`` defines: from its ``[[commitments]]`` header up to the next header that is
not its own.  Its *content* ends at its last line that is not blank or a comment
(``content_end``); the blank and comment lines after that lead into the next header and
belong to it, so nothing is ever inserted below them.  New tables and keys
are inserted as lines; a value that changes in place (``status``, ``percent``) has only
its own text replaced, which keeps the key, its comment and spacing.  Lines
keep their own endings; new lines take the block's ending, so CRLF files stay CRLF.

Keys and values are rendered here: this is cytrack's one TOML value writer (the write path
and the merge driver use it).  It writes byte for byte what tomlkit writes (the tests compare
the two), without importing tomlkit.  A value that an old ledger wrote over several lines is
found with the scanner of ``ledger.scan`` and replaced by its one-line rendering.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from cytrack.ledger.scan import content_end, header_name, iter_kinds, line_kinds, value_end, value_start

DEFAULT_INDENT = "  "  # sub-tables are indented two spaces in the contract's example
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# TOML 1.0 basic strings: escape the quote, the backslash and every control character
# (U+0000-U+001F, U+007F), short forms where TOML has one; everything else stays verbatim.
_BASIC_ESCAPES = {
    **{c: f"\\u{c:04x}" for c in (*range(0x20), 0x7F)},
    **{ord(c): f"\\{e}" for c, e in (("\b", "b"), ("\t", "t"), ("\n", "n"), ("\f", "f"), ("\r", "r"))},
    ord('"'): '\\"',
    ord("\\"): "\\\\",
}


def _is_subtable(name: str) -> bool:
    return name.startswith("commitments.")


def newline_of(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\n"


def render_string(text: str) -> str:
    """``text`` as a TOML basic string, escaped as tomlkit escapes it (``\\u001b``, not TOML 1.1's ``\\e``)."""
    return f'"{text.translate(_BASIC_ESCAPES)}"'


def render_key(key: str) -> str:
    """A key bare when TOML allows it (``[A-Za-z0-9_-]+``), else as a quoted basic string."""
    if not isinstance(key, str):
        raise TypeError(f"a TOML key must be a string, not {type(key).__name__}")
    return key if _BARE_KEY.fullmatch(key) else render_string(key)


def render_value(value: Any, *, every_type: bool = False) -> str:
    """A value as TOML 1.0 text: strings quoted and escaped, dates bare, arrays inline.

    Only the types cytrack writes are known; anything else (a float, a datetime, a table)
    raises ``TypeError`` rather than be written in a form nobody checked.  With
    ``every_type`` (a merge writing back what it read, a message showing a value) every
    TOML value is written: floats, date-times and times as tomlkit writes them, tables inline.
    """
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, str):
        return render_string(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return f"[{', '.join(render_value(v, every_type=every_type) for v in value)}]"
    if every_type:
        if isinstance(value, float):
            return repr(value)  # 1.5, 1e+300, inf, -inf, nan: TOML's spellings
        if isinstance(value, datetime):
            return value.isoformat().replace("+00:00", "Z")
        if isinstance(value, time):  # a local time: no offset, the fraction without trailing zeros
            fraction = f".{value.microsecond:06d}".rstrip("0") if value.microsecond else ""
            return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}{fraction}"
        if isinstance(value, dict):
            pairs = (f"{render_key(k)} = {render_value(v, every_type=True)}" for k, v in value.items())
            return "{" + ", ".join(pairs) + "}"
    raise TypeError(f"cytrack does not write {type(value).__name__} values to the ledger: {value!r}")


def render_table(name: str, fields: Mapping[str, Any], indent: str, nl: str) -> list[str]:
    """``[[name]]`` and one ``key = value`` line per field, in the order given."""
    out = [f"{indent}[[{name}]]{nl}"]
    out.extend(f"{indent}{render_key(k)} = {render_value(v)}{nl}" for k, v in fields.items())
    return out


def render_commitment(c: Mapping[str, Any], nl: str) -> list[str]:
    """A whole commitment (as TOML data) in the layout ``add`` and ``update`` write: ``[[commitments]]``
    with its own keys, then each progress entry and extension as an indented table after a blank
    line.  Any TOML value is written (``every_type``): tables and arrays of tables other than the
    entry logs inline, so the lines read back as exactly ``c``."""
    tables = {k: v for k, v in c.items() if k in _ENTRY_LOGS and _is_table_array(v)}
    own = {k: v for k, v in c.items() if k not in tables}
    out = [f"[[commitments]]{nl}"]
    out.extend(f"{render_key(k)} = {render_value(v, every_type=True)}{nl}" for k, v in own.items())
    for kind in _ENTRY_LOGS:
        for entry in tables.get(kind, []):
            out.append(nl)
            out.append(f"{DEFAULT_INDENT}[[commitments.{kind}]]{nl}")
            out.extend(
                f"{DEFAULT_INDENT}{render_key(k)} = {render_value(v, every_type=True)}{nl}" for k, v in entry.items()
            )
    return out


_ENTRY_LOGS = ("progress", "extensions")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def insert_table(
    block: list[str], name: str, k: int, count: int, fields: Mapping[str, Any], following: str | None
) -> list[str]:
    """The block with a new ``[[name]]`` table inserted as the ``k``-th of its ``count`` tables of that name.

    It goes just after the last non-blank, non-comment line before the next such
    table (comments above a table belong to it), or at the block's end, with a blank
    line before it and one after it when a non-blank line follows (``following`` is the
    line after the block, None at the end of the file).  Raises
    ``ValueError`` when the block does not hold exactly ``count`` such headers (an
    inline array of tables cannot be appended to this way).
    """
    kinds = line_kinds(block)
    names = [header_name(line) if kind == "code" else None for line, kind in zip(block, kinds, strict=True)]
    own = [j for j, n in enumerate(names) if n == name]
    if len(own) != count:
        raise ValueError(f"expected {count} [[{name}]] headers, found {len(own)}")
    limit = own[k] if k < count else len(block)
    at = content_end(block, 0, limit)
    subs = [j for j, n in enumerate(names) if n is not None and _is_subtable(n)]
    like = own or subs
    indent = block[like[0]][: len(block[like[0]]) - len(block[like[0]].lstrip())] if like else DEFAULT_INDENT
    nl = newline_of(block[0])
    new = list(block)
    if not new[at - 1].endswith("\n"):
        new[at - 1] += nl  # the block is the end of a file that lacked its last newline
    after = new[at] if at < len(new) else following
    tail = [nl] if after is not None and after.strip() else []
    new[at:at] = [nl, *render_table(name, fields, indent, nl), *tail]
    return new


def insert_key(block: list[str], after: int, key: str, value: Any) -> list[str]:
    """The block with ``key = value`` on a new line after line ``after``, indented like it."""
    line = block[after]
    indent = line[: len(line) - len(line.lstrip())]
    nl = newline_of(block[0])
    new = list(block)
    new.insert(after + 1, f"{indent}{render_key(key)} = {render_value(value)}{nl}")
    return new


def head_length(block: Sequence[str]) -> int:
    """How many lines of a ``[[commitments]]`` block come before its first sub-table header
    (``[[commitments.progress]]`` …): the lines that hold the commitment's own keys.  Only
    those lines are scanned."""
    for j, kind in enumerate(iter_kinds(block)):
        line = block[j]
        if j > 0 and kind == "code" and line.lstrip().startswith("[") and header_name(line) is not None:
            return j
    return len(block)


def set_values(block: list[str], values: Mapping[str, Any]) -> list[str]:
    """The block with existing top-level keys of its commitment set to new values, in place.

    Only the value's text changes: the key, the spacing around ``=``, a comment after the
    value and the line ending stay, and a literal ('…') string stays literal, as tomlkit
    does it (``tests/test_edit_render.py`` compares the two).  A value written over several
    lines (a multi-line string or array) becomes one line (``_set_over_lines``).
    """
    wanted = dict(values)
    new = list(block)
    for j, (line, kind) in enumerate(zip(block, iter_kinds(block), strict=True)):  # lazily: the head only
        if kind != "code":
            continue
        if j > 0 and header_name(line) is not None:
            break  # a sub-table: the commitment's own keys are all above it
        m = _ONE_LINE_VALUE.match(line)
        if m and m.group("key").strip("\"'") in wanted:
            key = m.group("key").strip("\"'")
            value = wanted.pop(key)
            literal = m.group("value").startswith("'") and isinstance(value, str) and _LITERAL_SAFE.fullmatch(value)
            text = f"'{value}'" if literal else render_value(value)
            new[j] = line[: m.start("value")] + text + line[m.end("value") :]
    return _set_over_lines(new, wanted) if wanted else new


# ``key = value`` where the value closes on its line: a string, or a bare word (number, date, boolean).
_ONE_LINE_VALUE = re.compile(
    r"""\s*(?P<key>"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=\s*"""
    r"""(?P<value>"(?![\"]{2})(?:[^"\\]|\\.)*"|'(?!'')[^']*'|[0-9A-Za-z_:.+-]+)(?=\s*(?:#|$))"""
)
# What tomlkit writes as a literal string unchanged: no quote, no line break, no control character.
_LITERAL_SAFE = re.compile(r"[^'\x00-\x08\x0a-\x1f\x7f]*")


def _set_over_lines(block: list[str], values: Mapping[str, Any]) -> list[str]:
    """``set_values`` for keys whose old value is not a one-line string or word: a multi-line
    string, an array (perhaps over several lines, with comments inside) or an inline table.

    The scanner finds where the old value starts and closes; those lines become one line:
    the text before the value, the new value, and what followed the value on its last line
    (a comment, the line ending).  Comments inside the old value go with it, as they did
    when tomlkit replaced the value; every other line stays byte for byte.  Only the head
    (the lines before the first sub-table header) is scanned.  Raises ``KeyError`` for a
    key that is not among the commitment's own ``key = value`` lines.
    """
    new = list(block)
    for key, value in values.items():
        for j, kind in enumerate(iter_kinds(new)):
            line = new[j]
            if kind != "code" or (j > 0 and header_name(line) is not None):
                if kind == "code":
                    raise KeyError(key)
                continue
            found = value_start(line)
            if found is not None and found[0] == key:
                last, end = value_end(new, j, found[1])
                new[j : last + 1] = [line[: found[1]] + render_value(value) + new[last][end:]]
                break
        else:
            raise KeyError(key)
    return new


def new_block(lines: Sequence[str], at: int, fields: Mapping[str, Any], nl: str) -> list[str]:
    """The lines of a new ``[[commitments]]`` block to insert at ``at`` in ``lines``, with a
    blank line before it (after a non-blank line) and after it (before a non-blank line)."""
    head = [nl] if at > 0 and lines[at - 1].strip() else []
    tail = [nl] if at < len(lines) and lines[at].strip() else []
    return [*head, *render_table("commitments", fields, "", nl), *tail]
