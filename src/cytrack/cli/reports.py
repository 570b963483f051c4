"""Report commands: ``overdue``, ``stale``, ``summary`` and ``report weekly`` (contract §3)."""

# No `from __future__ import annotations` here: Typer would compile every annotation string
# again on each run (~20 ms for all commands); real annotation objects cost nothing.

from enum import Enum
from typing import Annotated

import typer

from cytrack.cli.typer_app import AsOf, KindOpt, ReplyOpt, YearOpt, app, run
from cytrack.commands import reports

report_app = typer.Typer(
    name="report",
    help="Reports to send upward: the weekly report (周报).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(report_app, name="report")


class RowsFormat(str, Enum):
    """`overdue` and `stale`: a table, `list`-shaped JSON rows, or numbered plain text."""

    table = "table"
    json = "json"
    text = "text"


class SummaryFormat(str, Enum):
    table = "table"
    json = "json"
    text = "text"


class WeeklyFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    docx = "docx"
    html = "html"


@app.command("overdue")
def overdue_cmd(
    ctx: typer.Context,
    owner: Annotated[
        list[str] | None, typer.Option("--owner", "-o", help="Lead or co-owner contains this (repeatable).")
    ] = None,
    fmt: Annotated[RowsFormat, typer.Option("--format", "-f", help="Output format.")] = RowsFormat.table,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when anything is overdue (for cron and CI).")] = False,
    as_of: AsOf = None,
    reply: ReplyOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
) -> None:
    """Overdue commitments as of a date, most overdue first, with lead owner and days.

    \b
    The due date is the effective one: the latest extension approved on or before --as-of.
    --check exits 1 when anything is overdue (after printing it), for cron and CI.

    \b
    Examples:
      cytrack overdue
      cytrack overdue --owner 市科技局 --format text
      cytrack overdue --check --format json > overdue.json
    """
    run(ctx, reports.overdue_cmd, locals())


@app.command("stale")
def stale_cmd(
    ctx: typer.Context,
    days: Annotated[
        int | None, typer.Option("--days", min=0, help="Stale after N days without progress, whatever the rhythm.")
    ] = None,
    fmt: Annotated[RowsFormat, typer.Option("--format", "-f", help="Output format.")] = RowsFormat.table,
    as_of: AsOf = None,
    reply: ReplyOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
) -> None:
    """Open commitments with no progress within their review rhythm (久未更新).

    \b
    The rhythm is the commitment's `review` in calendar months (weekly: 7 days; none set:
    30 days), counted from its latest progress entry, else from [source] replied.

    \b
    Examples:
      cytrack stale
      cytrack stale --days 60 --format text
    """
    run(ctx, reports.stale_cmd, locals())


@app.command("summary")
def summary_cmd(
    ctx: typer.Context,
    fmt: Annotated[SummaryFormat, typer.Option("--format", "-f", help="Output format.")] = SummaryFormat.table,
    as_of: AsOf = None,
    reply: ReplyOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
) -> None:
    """Counts by status per section and per lead owner, with overdue, stale and average progress.

    \b
    --format text prints the same counts as plain lines; so does the table format in a
    terminal too narrow for the tables (about 71 columns in Chinese, 77 in English).

    \b
    Examples:
      cytrack summary
      cytrack summary --as-of 2026-12-31 --format json
      cytrack summary --format text > 汇总.txt
    """
    run(ctx, reports.summary_cmd, locals())


@report_app.command("weekly")
def weekly_cmd(
    ctx: typer.Context,
    week: Annotated[
        str | None, typer.Option("--week", metavar="YYYY-Www", help="The ISO week, e.g. 2026-W47 (as of its Sunday).")
    ] = None,
    fmt: Annotated[WeeklyFormat, typer.Option("--format", "-f", help="Output format.")] = WeeklyFormat.text,
    output: Annotated[
        str | None,
        typer.Option("--output", metavar="FILE", help="Write the report to FILE (UTF-8, or .docx), not stdout."),
    ] = None,
    as_of: AsOf = None,
    reply: ReplyOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
) -> None:
    """The weekly report (周报) from the Monday of the week through the as-of date.

    \b
    Parts: 总体情况, 本周进展 (by section), 逾期事项, 近期到期 (the next seven days), 久未更新.
    --week 2026-W47 reports that ISO week (as of its Sunday); --output writes a file.
    --format docx writes a Word document laid out as GB/T 9704 documents are; --format html
    one self-contained page with charts (no network request), for screens, phones and A4.

    \b
    Examples:
      cytrack report weekly
      cytrack report weekly --week 2026-W47 --format markdown --output 周报.md
      cytrack report weekly --format docx --output 周报.docx
      cytrack report weekly --format html --output 周报.html
      cytrack --lang en report weekly --as-of 2026-11-29 --format json
    """
    run(ctx, reports.weekly_cmd, locals())
