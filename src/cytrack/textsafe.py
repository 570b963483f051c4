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
    return _stand_in(match.group())


def has_control(text: str) -> bool:
    """True when ``text`` holds a character that ``visible`` would rewrite (LF and TAB excepted)."""
    return _CONTROL.search(text) is not None


def visible(text: str) -> str:
    """``text`` with every control character replaced by a visible stand-in; LF and TAB kept."""
    if not text:
        return text
    return _CONTROL.sub(_picture, text)


def visible_all(text: str) -> str:
    """``visible``, and every other character that prints nothing or moves text about (zero-width and
    unusual spaces, bidi marks) as ``<U+200B>``: for a message that echoes what was typed.  LF and TAB kept."""
    text = visible(text)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n\t" else _stand_in(ch) for ch in text)


def one_line(text: str) -> str:
    """``visible`` for places that must stay on one line: newlines and tabs become spaces."""
    if not text:
        return text
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _CONTROL_OR_NEWLINE.sub(_picture, text)


def _stand_in(ch: str) -> str:
    """A visible stand-in for one character: U+2400.. CONTROL PICTURES for C0 (␀ … ␉ ␊ … ␛), ␡ for DEL,
    ``<U+XXXX>`` for the rest."""
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def shown(text: str) -> str:
    """``text`` with everything ``repr`` would escape made visible, in the text's own script.

    Control characters, line breaks and tabs become control pictures (``␛``, ``␊``, ``␉``);
    other characters that print nothing or move text about (bidi marks and overrides,
    zero-width and unusual spaces, lone surrogates of undecodable input) become ``<U+202E>``.
    The plain space and every printable character — Chinese included — stay as they are.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _stand_in(ch) for ch in text)


def quoted_zh(value: object) -> str:
    """A value quoted in a Chinese sentence: ``“9-9”`` for text (made visible with ``shown``),
    ``2`` for a number or any other value (its ``repr``, made visible).

    Chinese messages use this where English ones use ``{value!r}``.
    """
    if isinstance(value, str):
        return f"\u201c{shown(value)}\u201d"
    return shown(repr(value))
