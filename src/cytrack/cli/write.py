"""Commands that write the ledger: ``update``, ``extend``, ``add``.

Each checks its values through ``changes`` (exit 2, before any lock), hands the change
to ``store.write_change`` (lock, re-read, edit, verify, atomic replace) and prints one
line saying what is now recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cytrack.cli.app import app, session_of

if TYPE_CHECKING:  # the write path (filelock, tomlkit) is imported only when a write runs
    from cytrack.session import Session
    from cytrack.store import Change


def _finish(s: Session, change: Change) -> None:
    from cytrack.i18n import status_name, write_word
    from cytrack.store import write_change
    from cytrack.terminal import say, write_plain
    from cytrack.textsafe import one_line

    edit = write_change(s.location, change)
    for warning in edit.warnings:
        say(warning)
    o = edit.outcome
    words = {"id": one_line(o.cid), "status": status_name(s.lang, o.status), "percent": o.percent}
    if o.kind == "update":
        write_plain(write_word(s.lang, "updated", date=o.on.isoformat() if o.on else "", **words))
        if o.kept:
            fields = write_word(s.lang, "kept_both" if len(o.kept) == 2 else f"kept_{o.kept[0]}")
            say(write_word(s.lang, "kept", date=o.later.isoformat() if o.later else "", fields=fields, **words))
    elif o.kind == "extend":
        new_due = o.new_due.isoformat() if o.new_due else ""
        if o.old_due is None:
            write_plain(write_word(s.lang, "extended_first", id=words["id"], new_due=new_due))
        else:
            write_plain(write_word(s.lang, "extended", id=words["id"], new_due=new_due, old_due=o.old_due.isoformat()))
    else:
        write_plain(write_word(s.lang, "added", title=one_line(o.title), **words))


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
    force: Annotated[bool, typer.Option("--force", help="Allow --status done without --evidence.")] = False,
) -> None:
    """Record progress on a commitment: one dated entry, and its current status and percent.

    \b
    A back-dated entry (--date) goes in date order; `--status done` needs --evidence or --force.

    \b
    Examples:
      cytrack update 2-3 --percent 50 --note "氢走廊加氢站布局方案已印发"
      cytrack update 3-2 --status done --percent 100 --evidence "渝科发〔2026〕8号" --note "方案已获批复"
      cytrack update 4-1 --status blocked --date 2026-11-20 --by 李明 --note "等待省级批复"
    """
    from cytrack.changes import new_progress

    s = session_of(ctx)
    change = new_progress(
        cid, s.date(when), note, status=status, percent=percent, by=by, evidence=evidence, force=force
    )
    _finish(s, change)


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
) -> None:
    """Record an approved extension (延期); the original due stays, overdue counts from the new one.

    \b
    Examples:
      cytrack extend 1-2 --to 2026-06-30 --reason "配套政策调整" --by 市发展改革委
      cytrack extend 5-6 --to +3m --reason "第二批申报延后" --date 2025-06-20
    """
    from cytrack.changes import new_extension
    from cytrack.errors import UsageError

    s = session_of(ctx)
    if to is None:
        raise UsageError("--to is required: the new due date, e.g. --to 2026-06-30.")
    _finish(s, new_extension(cid, s.date(when), s.date(to), reason, by))


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
) -> None:
    """Add a new commitment, not started, after the last one of its section.

    \b
    The id is the next free one in the section (2-7 after 2-6) unless --id gives one.

    \b
    Examples:
      cytrack add --section 2 --title "汽车软件协同攻关" --lead 市经济信息委 --co-owner 市科技局 --tag 汽车
      cytrack add --section 3 --title "中试平台" --lead 市科技局 --due 2026-12-31 --due-basis assumed --review quarterly
    """
    from cytrack.changes import new_commitment

    s = session_of(ctx)
    change = new_commitment(
        section=section, title=title, lead=lead, quote=quote, co_owners=co_owner,
        due=s.date(due) if due is not None else None, due_basis=due_basis, review=review, tags=tag, cid=cid,
    )
    _finish(s, change)
