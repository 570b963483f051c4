"""Change one commitment's lines of ledger text and leave every other byte alone.

A full tomlkit round-trip costs seconds on a large ledger and is the riskiest way to
keep people's formatting, so edits work on lines.  A commitment's *block* is the span
``ledger.layout`` defines: from its ``[[commitments]]`` header up to the next header that is
not its own.  Its *content* ends at its last line that is not blank or a comment
(``content_end``); the blank and comment lines after that lead into the next header and
belong to it, so nothing is ever inserted below them.  New tables and keys
are inserted as lines; a value that changes in place (``status``, ``percent``) is
changed by tomlkit on the block alone, which keeps its comment and spacing.  Lines
keep their own endings; new lines take the block's ending, so CRLF files stay CRLF.

New keys and values are rendered here, byte for byte as tomlkit renders them, so the
commonest write (a new progress table) never pays the ~30 ms it takes to import tomlkit;
only ``set_values`` imports it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

# Outside strings: a multi-line opener, a whole one-line string, or a comment.
_OUTSIDE = re.compile(r"""\"\"\"|'''|"(?:[^"\\]|\\.)*"|'[^']*'|#""")
# Inside a multi-line string: an escape, or the closing quotes (up to two more belong to the string).
_ML_BASIC = re.compile(r'\\.|"{3,5}')
_ML_LITERAL = re.compile(r"'{3,5}")
_HEADER = re.compile(r"\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?")
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


def lines_with_ends(text: str) -> list[str]:
    """``text`` as lines that keep their ``\\n`` (and ``\\r\\n``); only LF splits, unlike ``str.splitlines``."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _close(line: str, i: int, delim: str) -> int | None:
    """The index just past the ``delim`` that closes a multi-line string, searching from ``i``; None if not here."""
    if delim == '"""':
        return next((m.end() for m in _ML_BASIC.finditer(line, i) if m.group()[0] == '"'), None)
    m = _ML_LITERAL.search(line, i)
    return m.end() if m else None


def _scan(line: str, open_delim: str | None) -> str | None:
    """The multi-line string delimiter (``\"\"\"`` or ``'''``) still open at the end of ``line``."""
    i = 0
    while True:
        if open_delim is not None:
            end = _close(line, i, open_delim)
            if end is None:
                return open_delim
            open_delim, i = None, end
        m = _OUTSIDE.search(line, i)
        if m is None or m.group() == "#":
            return None
        if m.group() in ('"""', "'''"):
            open_delim = m.group()
        i = m.end()


def line_kinds(lines: Sequence[str]) -> list[str]:
    """For each line (the first outside any string): ``"trivia"`` (blank or comment),
    ``"string"`` (inside a multi-line string) or ``"code"``."""
    kinds = []
    open_delim: str | None = None
    for line in lines:
        if open_delim is not None:
            kinds.append("string")
        else:
            stripped = line.strip()
            kinds.append("trivia" if not stripped or stripped.startswith("#") else "code")
        open_delim = _scan(line, open_delim)
    return kinds


def content_end(lines: Sequence[str], start: int, stop: int) -> int:
    """The index after the last line in ``lines[start:stop]`` that is not blank or a comment."""
    kinds = line_kinds(lines[start:stop])
    end = len(kinds)
    while end > 0 and kinds[end - 1] == "trivia":
        end -= 1
    return start + end


def header_name(line: str) -> str | None:
    """``"commitments.progress"`` for ``  [[commitments.progress]]  # …``; None for other lines."""
    m = _HEADER.fullmatch(line.rstrip("\r\n"))
    if not m:
        return None
    return ".".join(part.strip().strip("\"'") for part in m.group(2).split("."))


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


def set_values(block: list[str], values: Mapping[str, Any]) -> list[str]:
    """The block with existing top-level keys of its commitment set to new values, in place.

    tomlkit parses this block only; replacing an item keeps its comment and spacing,
    and a literal ('…') string stays literal.  tomlkit is imported here, not at the top,
    because the commonest write (a progress entry without status or percent) never gets here.
    """
    import tomlkit
    from tomlkit.items import String, StringType

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
