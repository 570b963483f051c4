"""``reply add`` and ``reply list``: the replies of an office ledger (contract §6)."""

# No `from __future__ import annotations` here: Typer would compile every annotation string
# again on each run; real annotation objects cost nothing.

from enum import Enum
from typing import Annotated

import typer

from cytrack.cli.typer_app import AsOf, KindChoice, KindOpt, YearOpt, app, run
from cytrack.commands import office

reply_app = typer.Typer(
    name="reply",
    help="The replies (答复件) of an office ledger: add one, list them.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(reply_app, name="reply")


class ReplyListFormat(str, Enum):
    table = "table"
    json = "json"


@reply_app.command("add")
def reply_add_cmd(
    ctx: typer.Context,
    kind: Annotated[KindChoice, typer.Option("--kind", help="proposal (政协提案) or suggestion (人大建议).")] = KindChoice.proposal,
    number: Annotated[str | None, typer.Option("--number", help="The number, e.g. 1181 (required).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="The title, 案由 (required).")] = None,
    proposer: Annotated[str | None, typer.Option("--proposer", help="Who proposed it (提案人/代表).")] = None,
    lead_unit: Annotated[str | None, typer.Option("--lead-unit", help="The unit that replied (主办单位).")] = None,
    co_unit: Annotated[list[str] | None, typer.Option("--co-unit", help="A co-handling unit, 会办单位 (repeatable).")] = None,
    replied: Annotated[str | None, typer.Option("--replied", metavar="DATE", help="The date of the reply.")] = None,
    category: Annotated[str | None, typer.Option("--category", help="答复类别: A, B or C.")] = None,
    session: Annotated[str | None, typer.Option("--session", help="The session, e.g. 市六届政协二次会议.")] = None,
    year: Annotated[int | None, typer.Option("--year", metavar="N", help="The year (default: of --replied).")] = None,
    key: Annotated[
        str | None, typer.Option("--key", help="Its short name in ids (default: the number; s+number for a suggestion).")
    ] = None,
) -> None:
    """Add a reply: creates replies/<key>.toml beside the ledger and includes it.

    \b
    Without --replied, tracking_since is set to today.  The entry file gains
    include = ["replies/*.toml"] when no pattern of its own covers the new file.

    \b
    Examples:
      cytrack reply add --number 523 --kind suggestion --title "关于加快人才引进的建议" --lead-unit 市人力社保局
      cytrack reply add --number 1203 --title "关于科技成果转化的提案" --replied 2025-07-01 --category B
    """
    run(ctx, office.reply_add_cmd, locals())


@reply_app.command("list")
def reply_list_cmd(
    ctx: typer.Context,
    fmt: Annotated[ReplyListFormat, typer.Option("--format", "-f", help="Output format.")] = ReplyListFormat.table,
    as_of: AsOf = None,
    kind: KindOpt = None,
    year: YearOpt = None,
) -> None:
    """List the replies with their counts by status and their warning lights.

    \b
    Examples:
      cytrack reply list
      cytrack reply list --kind suggestion --format json
    """
    run(ctx, office.reply_list_cmd, locals())
