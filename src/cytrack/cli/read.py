"""Read-only commands: ``list``, ``show``, ``validate``."""

# No `from __future__ import annotations` here: Typer would compile every annotation string
# again on each run (~20 ms for all commands); real annotation objects cost nothing.

from enum import Enum
from typing import Annotated

import typer

from cytrack.cli.app import AsOf, app, session_of
from cytrack.completion import complete_id, complete_owner, complete_status, complete_tag
from cytrack.errors import EXIT_FOUND
from cytrack.terminal import say, write_chunks, write_plain


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ShowFormat(str, Enum):
    table = "table"
    json = "json"


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", "-s", help="Only this status (repeatable).", autocompletion=complete_status),
    ] = None,
    owner: Annotated[
        list[str] | None,
        typer.Option("--owner", "-o", help="Lead or co-owner holds this (repeatable).", autocompletion=complete_owner),
    ] = None,
    section: Annotated[int | None, typer.Option("--section", min=1, help="Only this section of part 二.")] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="Only commitments with this tag (repeatable).", autocompletion=complete_tag),
    ] = None,
    due_before: Annotated[
        str | None, typer.Option("--due-before", metavar="DATE", help="Effective due before this date.")
    ] = None,
    due_after: Annotated[
        str | None, typer.Option("--due-after", metavar="DATE", help="Effective due after this date.")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue commitments.")] = False,
    stale: Annotated[bool, typer.Option("--stale", help="Only stale commitments (久未更新).")] = False,
    search: Annotated[
        str | None, typer.Option("--search", "-q", help="Text in title, quote or progress notes.")
    ] = None,
    sort: Annotated[str, typer.Option("--sort", help="id | due | status | owner | percent | updated.")] = "id",
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    as_of: AsOf = None,
) -> None:
    """List commitments, filtered and sorted.

    \b
    Examples:
      cytrack list --owner 市科技局 --overdue
      cytrack list --status blocked --status not_started --sort due
      cytrack list --search 人才 --format csv > 人才.csv
    """
    from cytrack.dates import parse_date
    from cytrack.query import ROW_KEYS, Filters, row, select, sort_states

    s = session_of(ctx)
    when = s.date(as_of)
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
    )
    items = sort_states(select(s.ledger(), when, filters), sort)
    if fmt is ListFormat.json:
        from cytrack.render.jsonout import json_chunks

        write_chunks(json_chunks([row(st) for st in items]))
    elif fmt is ListFormat.csv:
        from cytrack.render.csvout import to_csv

        rows = [row(st) for st in items]
        write_plain(to_csv(ROW_KEYS, ([r[k] for k in ROW_KEYS] for r in rows)))
    else:
        from cytrack.render.table import list_table

        s.out.print(list_table(items, s.lang, when, s.out.width))


@app.command("show")
def show_cmd(
    ctx: typer.Context,
    cid: Annotated[str, typer.Argument(metavar="ID", help="The commitment id, e.g. 2-3.", autocompletion=complete_id)],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.table,
    as_of: AsOf = None,
) -> None:
    """Show one commitment whole: quote, owners, dates, extensions, progress log.

    \b
    Examples:
      cytrack show 2-3
      cytrack show 2-3 --format json --as-of 2026-06-30
    """
    from cytrack.query import find_commitment
    from cytrack.state import state_of

    s = session_of(ctx)
    ledger = s.ledger()
    st = state_of(find_commitment(ledger, cid), s.date(as_of), ledger.source.replied)
    if fmt is ShowFormat.json:
        from cytrack.query import detail
        from cytrack.render.jsonout import to_json

        write_plain(to_json(detail(st)))
    else:
        from cytrack.render.table import show_view

        s.out.print(show_view(st, ledger, s.lang))


@app.command("validate")
def validate_cmd(ctx: typer.Context) -> None:
    """Check the ledger and print every problem as FILE:LINE: message.

    \b
    Exit 0 when it is clean, 1 when problems were found, 3 when it cannot be read.

    \b
    Examples:
      cytrack validate
      cytrack --ledger other/commitments.toml validate
    """
    from cytrack.loader import load_text, read_ledger_text

    s = session_of(ctx)
    result = load_text(read_ledger_text(s.location.path))
    for problem in result.problems:
        say(str(problem))
    if result.errors:
        say(f"cytrack: {s.location.path}: {len(result.errors)} problem(s) found.")
        raise typer.Exit(EXIT_FOUND)
    count = len(result.ledger.commitments) if result.ledger else 0
    write_plain(f"{s.location.path}: OK, {count} commitments.")

