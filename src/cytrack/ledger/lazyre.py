"""Regular expressions compiled on first use.

``re`` has no cache across processes, so every pattern compiled at import is paid by every
command, including those that never use it (the date parser's patterns on a ``list``, the
syntax-error diagnosis on a valid ledger). A ``Lazy`` pattern compiles on its first use and
then holds the compiled pattern's methods in its own slots, so every later call costs what a
call on the compiled pattern costs (a ``__getattr__`` on each call took ~2 µs: Python raises
and catches an ``AttributeError`` before it asks ``__getattr__``).
"""

from __future__ import annotations

import re
from typing import Any

_DELEGATED = (
    "match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer", "pattern", "flags", "groups",
)


class Lazy:
    """``re.compile(pattern, flags)``, done the first time one of its methods is looked up."""

    __slots__ = ("_args", *_DELEGATED)

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        # Only reached while the slots are empty (before the first use) or for other names.
        compiled = re.compile(*self._args)
        for attr in _DELEGATED:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)
