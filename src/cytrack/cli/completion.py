"""Shell completion of commitment ids, owners, statuses and tags, read from the ledger.

Typer calls these while the user presses Tab, before any command runs, so they find the
ledger themselves (``--ledger`` typed so far, ``$CYTRACK_LEDGER``, discovery, bundled
copy) and stay silent: a missing or broken ledger gives no suggestions, never an error.
"""

from __future__ import annotations

from collections import Counter

import typer

from cytrack.i18n import STATUS_NAMES
from cytrack.ledger.load import load_ledger, locate_ledger
from cytrack.ledger.model import STATUS_VALUES, Ledger
from cytrack.textsafe import one_line


def _ledger(ctx: typer.Context | None) -> Ledger | None:
    """The ledger the command would read, or None when it cannot be read cleanly."""
    try:
        flag = None
        if ctx is not None:
            flag = ctx.find_root().params.get("ledger_flag")
        return load_ledger(locate_ledger(flag).path).ledger
    except Exception:  # noqa: BLE001 - completion must never show an error or a traceback
        return None


def complete_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Commitment ids (``KEY/ID`` with several replies), each with its title as the help shown by zsh and fish."""
    try:
        from cytrack.ledger.office import load_office

        flag = ctx.find_root().params.get("ledger_flag") if ctx is not None else None
        office = load_office(locate_ledger(flag).path).office
    except Exception:  # noqa: BLE001 - completion must never show an error or a traceback
        return []
    wanted = incomplete.casefold()
    pairs = [
        (f"{r.source.key}/{c.id}" if office.multi else c.id, c.title) for r in office.replies for c in r.commitments
    ]
    return [(cid, one_line(title)) for cid, title in pairs if cid.casefold().startswith(wanted)]


def complete_owner(ctx: typer.Context, incomplete: str) -> list[str]:
    """Lead and co-owner units, the most frequent first."""
    ledger = _ledger(ctx)
    if ledger is None:
        return []
    counts = Counter(o for c in ledger.commitments for o in c.owners if o)
    return [one_line(o) for o, _ in counts.most_common() if o.startswith(incomplete)]


def complete_tag(ctx: typer.Context, incomplete: str) -> list[str]:
    """Tags used in the ledger, the most frequent first."""
    ledger = _ledger(ctx)
    if ledger is None:
        return []
    counts = Counter(t for c in ledger.commitments for t in c.tags if t)
    return [one_line(t) for t, _ in counts.most_common() if t.startswith(incomplete)]


def complete_status(ctx: typer.Context | None, incomplete: str) -> list[tuple[str, str]]:
    """Status values with their Chinese names as help; typing Chinese completes the Chinese names."""
    if incomplete and not incomplete.isascii():
        pairs = [(STATUS_NAMES["zh"][v], v) for v in STATUS_VALUES]
    else:
        pairs = [(v, STATUS_NAMES["zh"][v]) for v in STATUS_VALUES]
    return [(value, help_text) for value, help_text in pairs if value.startswith(incomplete)]


def complete_reply(ctx: typer.Context | None, incomplete: str) -> list[tuple[str, str]]:
    """Reply keys, each with its number and title as help."""
    try:
        from cytrack.ledger.office import load_office

        flag = ctx.find_root().params.get("ledger_flag") if ctx is not None else None
        office = load_office(locate_ledger(flag).path).office
    except Exception:  # noqa: BLE001 - completion must never show an error or a traceback
        return []
    wanted = incomplete.casefold()
    return [
        (r.source.key, one_line(f"{r.source.proposal} {r.source.title}".strip()))
        for r in office.replies
        if r.source.key.casefold().startswith(wanted)
    ]
