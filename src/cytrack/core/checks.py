"""Hand-edited contradictions that ``validate`` warns about (contract §7).

The loader accepts these ledgers (each value is valid on its own); they only say two
things at once.  Warnings, never errors: ``validate`` still exits 0 when they are all it finds.
"""

from __future__ import annotations

from cytrack.i18n import state_word
from cytrack.ledger.errors import Problem
from cytrack.ledger.model import Commitment, Ledger, Status
from cytrack.ledger.scan import LineIndex, TableLines


def contradictions(ledger: Ledger, index: LineIndex | None, lang: str = "zh") -> list[Problem]:
    """``done`` below 100 %, ``not_started`` above 0 %, and a stored status or percent that
    differs from what the latest progress entry that sets it set; each at the line of the
    key, naming the commitment's id."""
    found: list[Problem] = []
    for i, c in enumerate(ledger.commitments):
        block = index.commitment(i) if index is not None else None
        found.extend(_contradictions_of(c, block, ledger.path, lang))
    return sorted(found, key=lambda p: p.line)


def _contradictions_of(c: Commitment, block: TableLines | None, path: str, lang: str) -> list[Problem]:
    """The contradictions of one commitment, at the lines of ``block`` (its own line without one)."""
    found: list[Problem] = []

    def line(key: str) -> int:
        return block.key_line(key) if block is not None else c.line

    def warn(at: int, key: str, **words: object) -> None:
        found.append(Problem(path, at, state_word(lang, key, id=c.id, **words), warning=True))

    if c.status is Status.DONE and c.percent < 100:
        warn(line("percent"), "done_below_100", percent=c.percent)
    if c.status is Status.NOT_STARTED and c.percent > 0:
        warn(line("percent"), "not_started_above_0", percent=c.percent)
    by_status = next((e for e in reversed(c.progress) if e.status is not None), None)
    if by_status is not None and by_status.status is not c.status:
        warn(line("status"), "stored_status_differs", stored=c.status.value, entry=by_status.status.value,
             line=by_status.line, date=by_status.date.isoformat())
    by_percent = next((e for e in reversed(c.progress) if e.percent is not None), None)
    if by_percent is not None and by_percent.percent != c.percent:
        warn(line("percent"), "stored_percent_differs", stored=c.percent, entry=by_percent.percent,
             line=by_percent.line, date=by_percent.date.isoformat())
    return found
