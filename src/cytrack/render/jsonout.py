"""JSON output: UTF-8, Chinese unescaped, control and bidi characters escaped."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from json.encoder import encode_basestring
from typing import Any

# json.dumps escapes C0 and DEL already; C1 and the bidi controls would pass raw.
_UNSAFE = re.compile("[\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def to_json(data: Any) -> str:
    """``data`` as indented JSON that is safe to print to a terminal."""
    return "".join(json_chunks(data))


def json_chunks(data: Any) -> Iterator[str]:
    """The text of ``to_json`` in pieces, one per row of a list of flat rows.

    20,000 ``list`` rows are 16 MB of text; written piece by piece they never have to be
    one string (nor one encoded copy of it) on top of everything else in memory.
    """
    rows = _flat_rows(data) if isinstance(data, list) else None
    if rows is None:
        yield _safe(json.dumps(data, ensure_ascii=False, indent=2))
    elif not rows:
        yield "[]"
    else:
        yield "[\n"
        for i, text in enumerate(rows):
            yield _safe(text) if i == 0 else ",\n" + _safe(text)
        yield "\n]"


def _safe(text: str) -> str:
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _flat_rows(rows: list[Any]) -> list[str] | None:
    """Each row as ``json.dumps(rows, ensure_ascii=False, indent=2)`` would write it, ~2x faster.

    ``list``/``overdue``/``stale`` print thousands of rows whose values are strings, whole
    numbers, null or lists of strings; json's indented encoder is pure Python.  Returns None
    for anything else, which then goes through ``json.dumps``.
    """
    out = []
    for r in rows:
        if type(r) is not dict:
            return None
        fields = []
        for k, v in r.items():
            t = type(v)
            if t is str:
                text = encode_basestring(v)
            elif v is None:
                text = "null"
            elif t is int:
                text = int.__repr__(v)
            elif t is list and all(type(x) is str for x in v):
                text = "[\n      " + ",\n      ".join(map(encode_basestring, v)) + "\n    ]" if v else "[]"
            elif t is bool:
                text = "true" if v else "false"
            else:
                return None
            if type(k) is not str:
                return None
            fields.append("    " + encode_basestring(k) + ": " + text)
        out.append("  {\n" + ",\n".join(fields) + "\n  }" if fields else "  {}")
    return out
