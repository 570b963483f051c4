"""Commands that write the ledger: ``update``, ``extend``, ``add``.

Each checks its values through ``changes`` (exit 2, before any lock), hands the change
to ``store.write_change`` (lock, re-read, edit, verify, atomic replace) and prints one
line saying what is now recorded.
"""

# No `from __future__ import annotations` here: Typer would compile every annotation string
# again on each run; real annotation objects cost nothing.

from typing import Annotated

import typer

from cytrack.cli.typer_app import app, run
from cytrack.commands import write


@app.command("update")
def update_cmd(
    ctx: typer.Context,
    cid: Annotated[str, typer.Argument(metavar="ID", help="The commitment id, e.g. 2-3.")],
    note: Annotated[str | None, typer.Option("--note", "-n", help="What was done (required).")] = None,
    status: Annotated[
        str | None, typer.Option("--status", "-s", help="New status: not_started, in_progress, blocked, done, dropped.")
    ] = None,
    percent: Annotated[str | None, typer.Option("--percent", "-p", metavar="N", help="New completion, 0-100.")] = None,
    when: Annotated[
        str | None, typer.Option("--date", "-d", metavar="DATE", help="Date of the progress (default today).")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who reported it.")] = None,
    evidence: Annotated[
        str | None, typer.Option("--evidence", "-e", help="Document number, URL or minutes reference.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Allow --status done without --evidence, or a --date after today.")
    ] = False,
) -> None:
    """Record progress on a commitment: one dated entry, and its current status and percent.

    \b
    A back-dated entry (--date) goes in date order; a --date after today needs --force.
    `--status done` needs --evidence or --force, and sets 100% unless --percent says otherwise.
    A percent above 0 on a not-started commitment also sets in_progress.

    \b
    Examples:
      cytrack update 2-3 --percent 50 --note "氢走廊加氢站布局方案已印发"
      cytrack update 3-2 --status done --percent 100 --evidence "渝科发〔2026〕8号" --note "方案已获批复"
      cytrack update 4-1 --status blocked --date 2026-11-20 --by 李明 --note "等待省级批复"
    """
    run(ctx, write.update_cmd, locals())


@app.command("extend")
def extend_cmd(
    ctx: typer.Context,
    cid: Annotated[str, typer.Argument(metavar="ID", help="The commitment id, e.g. 1-2.")],
    to: Annotated[str | None, typer.Option("--to", metavar="DATE", help="The new due date (required).")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why it was extended (required).")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who approved it.")] = None,
    when: Annotated[
        str | None, typer.Option("--date", "-d", metavar="DATE", help="Date of the approval (default today).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Allow a new due date on or before today (normally a typo).")
    ] = False,
) -> None:
    """Record an approved extension (延期); the original due stays, overdue counts from the new one.

    \b
    The new due date must be after today, unless --force.

    \b
    Examples:
      cytrack extend 1-2 --to 2026-06-30 --reason "配套政策调整" --by 市发展改革委
      cytrack extend 5-6 --to +3m --reason "第二批申报延后" --date 2025-06-20
    """
    run(ctx, write.extend_cmd, locals())


@app.command("add")
def add_cmd(
    ctx: typer.Context,
    section: Annotated[int | None, typer.Option("--section", metavar="N", help="Item of part 二 (required).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Short name, one line (required).")] = None,
    quote: Annotated[str | None, typer.Option("--quote", help="The words of the reply, verbatim.")] = None,
    lead: Annotated[str | None, typer.Option("--lead", help="Lead unit, 牵头单位 (required).")] = None,
    co_owner: Annotated[list[str] | None, typer.Option("--co-owner", help="Co-owner, 配合单位 (repeatable).")] = None,
    due: Annotated[str | None, typer.Option("--due", metavar="DATE", help="Due date.")] = None,
    due_basis: Annotated[str | None, typer.Option("--due-basis", help="source (in the reply) or assumed.")] = None,
    review: Annotated[
        str | None, typer.Option("--review", help="weekly, monthly, quarterly, half-yearly or yearly.")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).")] = None,
    cid: Annotated[str | None, typer.Option("--id", help="The id (default: the next free one in the section).")] = None,
    reply: Annotated[
        str | None, typer.Option("--reply", metavar="KEY", help="The reply it belongs to (required with several).")
    ] = None,
) -> None:
    """Add a new commitment, not started, after the last one of its section.

    \b
    The id is the next free one in the section (2-7 after 2-6) unless --id gives one.

    \b
    Examples:
      cytrack add --section 2 --title "汽车软件协同攻关" --lead 市经济信息委 --co-owner 市科技局 --tag 汽车
      cytrack add --section 3 --title "中试平台" --lead 市科技局 --due 2026-12-31 --due-basis assumed --review quarterly
    """
    run(ctx, write.add_cmd, locals())
