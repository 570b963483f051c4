"""Read-only commands: ``list``, ``show``, ``validate``."""

# No `from __future__ import annotations` here: Typer would compile every annotation string
# again on each run (~20 ms for all commands); real annotation objects cost nothing.

from enum import Enum
from typing import Annotated

import typer

from cytrack.cli.typer_app import AsOf, KindOpt, ReplyOpt, YearOpt, app, run
from cytrack.commands import read
from cytrack.cli.completion import complete_id, complete_owner, complete_status, complete_tag


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Light(str, Enum):
    red = "red"
    yellow = "yellow"
    blue = "blue"


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
    light: Annotated[
        list[Light] | None,
        typer.Option("--light", help="Only this warning light (预警: red 红, yellow 黄, blue 蓝; repeatable)."),
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-q", help="Text in title, quote or progress notes.")
    ] = None,
    sort: Annotated[str, typer.Option("--sort", help="id | due | status | owner | percent | updated.")] = "id",
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    as_of: AsOf = None,
    reply: ReplyOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
) -> None:
    """List commitments, filtered and sorted.

    \b
    Examples:
      cytrack list --owner 市科技局 --overdue
      cytrack list --status blocked --status not_started --sort due
      cytrack list --light red --light yellow
      cytrack list --search 人才 --format csv > 人才.csv
    """
    run(ctx, read.list_cmd, locals())


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
    run(ctx, read.show_cmd, locals())


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
    run(ctx, read.validate_cmd, locals())

