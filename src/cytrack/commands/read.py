"""``list``, ``show`` and ``validate``: read the ledger, never write it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cytrack.ledger.errors import EXIT_FOUND
from cytrack.render.terminal import say, write_chunks, write_plain

if TYPE_CHECKING:
    from cytrack.commands.session import Session


def list_cmd(
    s: Session,
    *,
    status: list[str] | None = None,
    owner: list[str] | None = None,
    section: int | None = None,
    tag: list[str] | None = None,
    due_before: str | None = None,
    due_after: str | None = None,
    overdue: bool = False,
    stale: bool = False,
    light: list[str] | None = None,
    search: str | None = None,
    sort: str = "id",
    fmt: str = "table",
    as_of: str | None = None,
    reply: list[str] | None = None,
    kind: str | None = None,
    year: int | None = None,
) -> int:
    from cytrack.core.dates import parse_date
    from cytrack.core.query import ROW_KEYS, Filters, row, select, sort_states

    when = s.date(as_of)
    filtered = status or owner or tag or light or reply or kind or overdue or stale or search
    plain = not filtered and section is None and year is None
    if fmt == "json" and sort == "id" and plain and due_before is None and due_after is None:
        from cytrack.commands.office_rows import office_list_json

        text = office_list_json(s, when)
        if text is not None:
            write_chunks([text])
            return 0
    filters = Filters(
        statuses=status or (),
        owners=owner or (),
        section=section,
        tags=tag or (),
        due_before=parse_date(due_before, when) if due_before is not None else None,  # offsets count from as-of
        due_after=parse_date(due_after, when) if due_after is not None else None,
        overdue=overdue,
        stale=stale,
        search=search,
        lights=light or (),
    )
    items = sort_states(select(s.office(reply, kinds(kind), years(year)), when, filters), sort)
    if fmt == "json":
        from cytrack.render.jsonout import json_chunks

        write_chunks(json_chunks([row(st) for st in items]))
    elif fmt == "csv":
        from cytrack.render.csvout import to_csv

        keys = [k for k in ROW_KEYS if k != "reply"]  # a qualified id says the reply (contract §6)
        rows = [row(st) for st in items]
        write_plain(to_csv(keys, ([r[k] for k in keys] for r in rows)))
    else:
        from cytrack.render.table import list_table

        s.out.print(list_table(items, s.lang, when, s.out.width))
    return 0


def kinds(kind: str | None) -> list[str]:
    return [kind] if kind else []


def years(year: int | None) -> list[int]:
    return [year] if year is not None else []


def show_cmd(s: Session, *, cid: str, fmt: str = "table", as_of: str | None = None) -> int:
    from cytrack.core.query import find_in_office, qualified
    from cytrack.core.state import state_of

    office = s.office()
    ledger, c = find_in_office(office, cid)
    key = ledger.source.key
    st = state_of(qualified(c, key) if office.multi else c, s.date(as_of), ledger.source.start, reply=key)
    if fmt == "json":
        from cytrack.core.query import detail
        from cytrack.render.jsonout import to_json

        write_plain(to_json(detail(st)))
    else:
        from cytrack.render.table import show_view

        s.out.print(show_view(st, ledger, s.lang))
    return 0


def validate_cmd(s: Session) -> int:
    from cytrack.core.checks import contradictions
    from cytrack.i18n.messages import message
    from cytrack.ledger.office import check_office

    problems, count = check_office(s.location.path, lambda r: contradictions(r.ledger, r.index, s.lang))
    for problem in problems:
        for line in problem.lines():
            say(line)
    errors = [p for p in problems if not p.warning]
    if errors:
        say("cytrack: " + message("validate_found", path=s.location.path, count=len(errors)))
        return EXIT_FOUND
    if not s.location.bundled:
        _remember_validated(s)
    write_plain(message("validate_ok", path=s.location.path, count=count))
    return 0


def _remember_validated(s: Session) -> None:
    """The user has checked this version: later writes take it as the known one (docs/trust.md)."""
    from cytrack.cache import folder as cache
    from cytrack.cache import seen
    from cytrack.ledger.errors import CytrackError
    from cytrack.ledger.load import load_ledger, read_ledger_bytes

    for path in s.ledger_files():
        try:
            raw = read_ledger_bytes(path)
            loaded = load_ledger(path)
        except (CytrackError, OSError):
            continue
        if loaded.ledger is not None:
            seen.remember(path, [c.id for c in loaded.ledger.commitments], cache.key(raw))
