"""Regular expressions compiled on first use.

``re`` has no cache across processes, so every pattern compiled at import is paid by every
command, including those that never use it (the date parser's patterns on a ``list``, the
syntax-error diagnosis on a valid ledger). A ``Lazy`` pattern compiles on its first method
call and then hands every call to the compiled pattern. Hot loops keep plain ``re.compile``.
"""

from __future__ import annotations

import re
from typing import Any


class Lazy:
    """``re.compile(pattern, flags)``, done the first time a method is looked up."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[Any] | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)
