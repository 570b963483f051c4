"""Make control characters visible before any text from a ledger or the command line is shown.

Rich passes ESC, OSC 8 hyperlinks and C1 characters straight through ``Text`` and
``markup.escape``, so this module is the one filter every displayed string goes through.
"""

from __future__ import annotations

import re

# C0 except TAB and LF, DEL, C1, and the bidi embedding/override/isolate controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400.. CONTROL PICTURES: ␀ ␁ … ␛ …
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def has_control(text: str) -> bool:
    """True when ``text`` holds a character that ``visible`` would rewrite (LF and TAB excepted)."""
    return _CONTROL.search(text) is not None


def visible(text: str) -> str:
    """``text`` with every control character replaced by a visible stand-in; LF and TAB kept."""
    if not text:
        return text
    return _CONTROL.sub(_picture, text)


def one_line(text: str) -> str:
    """``visible`` for places that must stay on one line: newlines and tabs become spaces."""
    if not text:
        return text
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _CONTROL_OR_NEWLINE.sub(_picture, text)
