"""The tracking start (contract §7): ``tracking_since = <today>`` in ``[source]`` of a ledger
that has no ``replied``, written as a text edit so every other byte stays as it was."""

from __future__ import annotations

import tomllib
from datetime import date

from cytrack.ledger.scan import header_name, line_kinds, lines_with_ends
from cytrack.store.edit import newline_of


def add_tracking_start(text: str, today: date, comment: str = "") -> str:
    """``text`` with ``tracking_since = today`` as the last key of ``[source]``.

    Unchanged when ``[source]`` has ``replied`` or ``tracking_since`` already, or when the
    text is not a TOML document with a ``[source]`` table whose keys cytrack can append to.
    The key goes after the last line of ``[source]`` that is not blank, except comments
    written right above the next table header, which belong to that header.
    """
    try:
        source = tomllib.loads(text).get("source")
    except tomllib.TOMLDecodeError:
        return text
    if not isinstance(source, dict) or "replied" in source or "tracking_since" in source:
        return text
    lines = lines_with_ends(text)
    kinds = line_kinds(lines)
    headers = [i for i, (line, kind) in enumerate(zip(lines, kinds, strict=True))
               if kind == "code" and header_name(line) is not None]
    starts = [i for i in headers if header_name(lines[i]) == "source"]
    if len(starts) != 1:
        return text
    start = starts[0]
    end = next((i for i in headers if i > start), len(lines))
    at = end
    while at - 1 > start and kinds[at - 1] == "trivia" and lines[at - 1].strip():
        at -= 1  # comments right above the next header belong to it
    while at - 1 > start and kinds[at - 1] == "trivia" and not lines[at - 1].strip():
        at -= 1  # and so do the blank lines before them
    nl = newline_of(lines[start])
    note = f"  # {comment}" if comment else ""
    new_line = f"tracking_since = {today.isoformat()}{note}{nl}"
    before = lines[:at]
    if before and not before[-1].endswith("\n"):
        before[-1] += nl
    result = "".join([*before, new_line, *lines[at:]])
    try:
        written = tomllib.loads(result).get("source", {})
    except tomllib.TOMLDecodeError:
        return text
    return result if written.get("tracking_since") == today else text
