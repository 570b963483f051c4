"""JSON output: UTF-8, Chinese unescaped, control and bidi characters escaped."""

from __future__ import annotations

import json
import re
from typing import Any

# json.dumps escapes C0 and DEL already; C1 and the bidi controls would pass raw.
_UNSAFE = re.compile("[\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def to_json(data: Any) -> str:
    """``data`` as indented JSON that is safe to print to a terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
