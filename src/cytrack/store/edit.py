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

Keys and values are rendered here, byte for byte as tomlkit renders them (the one TOML
value writer of cytrack), so a write never pays the ~30 ms it takes to import tomlkit;
only a value that an old ledger wrote over several lines is still replaced by tomlkit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from cytrack.ledger.scan import content_end, header_name, iter_kinds, line_kinds, lines_with_ends

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


def render_value(value: Any) -> str:
    """A value as TOML 1.0 text: strings quoted and escaped, dates bare, arrays inline.

    Only the types cytrack writes are known; anything else (a float, a datetime, a table)
    raises ``TypeError`` rather than be written in a form nobody checked.
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
        return f"[{', '.join(render_value(v) for v in value)}]"
    raise TypeError(f"cytrack does not write {type(value).__name__} values to the ledger: {value!r}")


def render_table(name: str, fields: Mapping[str, Any], indent: str, nl: str) -> list[str]:
    """``[[name]]`` and one ``key = value`` line per field, in the order given."""
    out = [f"{indent}[[{name}]]{nl}"]
    out.extend(f"{indent}{render_key(k)} = {render_value(v)}{nl}" for k, v in fields.items())
    return out


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
    lines (a multi-line string or array) is left to tomlkit, imported only then.
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
    return _set_with_tomlkit(new, wanted) if wanted else new


# ``key = value`` where the value closes on its line: a string, or a bare word (number, date, boolean).
_ONE_LINE_VALUE = re.compile(
    r"""\s*(?P<key>"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=\s*"""
    r"""(?P<value>"(?![\"]{2})(?:[^"\\]|\\.)*"|'(?!'')[^']*'|[0-9A-Za-z_:.+-]+)(?=\s*(?:#|$))"""
)
# What tomlkit writes as a literal string unchanged: no quote, no line break, no control character.
_LITERAL_SAFE = re.compile(r"[^'\x00-\x08\x0a-\x1f\x7f]*")


def _set_with_tomlkit(block: list[str], values: Mapping[str, Any]) -> list[str]:
    """``set_values`` for keys whose old value spans lines: tomlkit parses this block only."""
    import tomlkit
    from tomlkit.items import String, StringType

    # Only the commitment's own keys change, and they all stand before its first sub-table
    # header: tomlkit (slow: seconds for a block of 10,000 entries) sees just those lines.
    head_end = head_length(block)
    if head_end < len(block):
        return [*_set_with_tomlkit(block[:head_end], values), *block[head_end:]]
    nl = newline_of(block[0])
    text = "".join(block)
    if nl == "\r\n":
        text = text.replace("\r\n", "\n")
    doc = tomlkit.parse(text)
    table = doc["commitments"][0]  # type: ignore[index]
    for key, value in values.items():
        old = table[key]
        if isinstance(value, str):
            literal = isinstance(old, String) and old.type is StringType.SLL
            table[key] = tomlkit.string(value, literal=literal)
        else:
            table[key] = tomlkit.item(value)
    out = tomlkit.dumps(doc)
    if nl == "\r\n":
        out = out.replace("\n", "\r\n")
    return lines_with_ends(out)


def new_block(lines: Sequence[str], at: int, fields: Mapping[str, Any], nl: str) -> list[str]:
    """The lines of a new ``[[commitments]]`` block to insert at ``at`` in ``lines``, with a
    blank line before it (after a non-blank line) and after it (before a non-blank line)."""
    head = [nl] if at > 0 and lines[at - 1].strip() else []
    tail = [nl] if at < len(lines) and lines[at].strip() else []
    return [*head, *render_table("commitments", fields, "", nl), *tail]
