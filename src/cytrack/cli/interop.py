"""Commands that take the ledger elsewhere: ``export`` (CSV/XLSX 台账, JSON) and ``init``."""

# No `from __future__ import annotations` here: Typer would compile every annotation string
# again on each run (~20 ms for all commands); real annotation objects cost nothing.

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cytrack.cli.typer_app import AsOf, KindOpt, ReplyOpt, YearOpt, app, run, session_of
from cytrack.commands import forms
from cytrack.ledger.errors import UsageError
from cytrack.i18n import table_word
from cytrack.render.terminal import say, write_plain
from cytrack.textsafe import one_line


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


SUFFIX_FORMATS = {".csv": ExportFormat.csv, ".json": ExportFormat.json, ".xlsx": ExportFormat.xlsx}


def _pick_format(fmt: ExportFormat | None, output: Path | None) -> ExportFormat:
    """``--format`` as given, else the output file's suffix, else CSV; a contradiction is refused."""
    implied = SUFFIX_FORMATS.get(output.suffix.lower()) if output else None
    if fmt is not None and implied is not None and fmt is not implied:
        raise UsageError(f"--format {fmt.value} does not match the file name {output}; change one of them.")
    if fmt is None and output is not None and implied is None:
        raise UsageError(f"cannot tell the format from the file name {output}; add --format csv, json or xlsx.")
    return fmt or implied or ExportFormat.csv


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


@app.command("export")
def export_cmd(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", help="csv | json | xlsx (default: from the --output suffix, else csv)."),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here (atomically); omit or '-' for stdout."),
    ] = None,
    as_of: AsOf = None,
    form: Annotated[
        bool, typer.Option("--form", help="Write 填报表 (forms for the departments to fill in) instead of the 台账.")
    ] = False,
    owner: Annotated[
        list[str] | None,
        typer.Option("--owner", metavar="UNIT", help="With --form: the unit, lead or co-owner (repeatable)."),
    ] = None,
    output_dir: Annotated[
        str | None,
        typer.Option("--output-dir", metavar="DIR", help="With --form: one <unit>填报.xlsx per unit in DIR."),
    ] = None,
    reply: ReplyOpt = None,
    reply_kind: KindOpt = None,
    year: YearOpt = None,
) -> None:
    """Export the whole ledger as a 台账 for Excel/WPS (CSV, XLSX) or as JSON, or 填报表 per unit.

    \b
    CSV is UTF-8 with a BOM, one row per commitment.  XLSX has the 台账 on the first
    sheet, the progress log on the second, extensions and the reply's details after.
    Computed columns (status, progress, 逾期天数) are as of --as-of (default today).

    \b
    --form writes a 填报表: a unit's open commitments, locked, with
    columns to fill in; one --owner with --output FILE, or one file
    per unit with --output-dir DIR.  `cytrack import` reads it back.

    \b
    Examples:
      cytrack export -o 台账.xlsx
      cytrack export --format csv --output 台账.csv --as-of 2026-11-30
      cytrack export -f json > ledger.json
      cytrack export --form --owner 市科技局 -o 市科技局填报.xlsx
      cytrack export --form --output-dir 填报表/
    """
    from cytrack.core.export import (
        extensions_table,
        ledger_document,
        ledger_table,
        office_document,
        progress_table,
        replies_table,
        sheet_title,
        source_table,
    )
    from cytrack.i18n import form_word

    s = session_of(ctx)
    if form:
        if fmt is not None and fmt is not ExportFormat.xlsx:
            raise UsageError(form_word(s.lang, "form_xlsx", format=fmt.value))
        forms.export_form_cmd(s, owner=owner, output=output, output_dir=output_dir, as_of=as_of)
        return
    for name, value in (("--owner", owner), ("--output-dir", output_dir)):
        if value:
            raise UsageError(form_word(s.lang, "form_only", option=name))
    target = None if output in (None, "-") else Path(output)
    kind = _pick_format(fmt, target)
    if target is not None:
        from cytrack.store.outputs import refuse_protected

        refuse_protected(target, s.protected)  # at once, before the ledger is read (replace_output checks again)
    if kind is ExportFormat.xlsx and target is None and sys.stdout.isatty():
        raise UsageError("an .xlsx file is binary and would garble the terminal; give --output FILE.")
    office = s.office(reply, [reply_kind.value] if reply_kind else None, [year] if year is not None else None)
    if target is not None:
        for r in office.replies:
            if _same_file(target, Path(r.path)):
                raise UsageError(f"{target} is a file of the ledger itself; export to another file.")
    if len(office.replies) == 1:  # one reply (or one picked with --reply): the 台账 of that reply, bare ids
        office = office._replace(total=1)
    ledger = office.replies[0] if office.single is not None else office
    when = s.date(as_of)
    table = ledger_table(ledger, when, s.lang)
    log = progress_table(ledger, s.lang)
    if kind is ExportFormat.json:
        from cytrack.render.jsonout import to_json

        document = ledger_document(ledger, when) if office.single is not None else office_document(office, when)
        data = (to_json(document) + "\n").encode("utf-8")
    elif kind is ExportFormat.csv:
        from cytrack.render.ledger_csv import table_csv

        data = table_csv(table, s.lang)
    else:
        from cytrack.render.xlsx import Heading, ledger_workbook

        about = source_table(office.single, when, s.lang) if office.single is not None else replies_table(office, s.lang)
        data = ledger_workbook(
            table, log, [extensions_table(ledger, s.lang)], about, s.lang, Heading(sheet_title(ledger, s.lang), when)
        )
    if target is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from cytrack.store.outputs import replace_output

    replace_output(target, data, protect=s.protected)
    if kind is ExportFormat.csv:  # the CSV holds the 台账 alone
        say(table_word(s.lang, "exported_csv", path=target, rows=len(table.rows), format=kind.value))
    else:
        say(table_word(s.lang, "exported", path=target, rows=len(table.rows), entries=len(log.rows), format=kind.value))


@app.command("init")
def init_cmd(
    ctx: typer.Context,
    path: Annotated[
        str | None,
        typer.Argument(
            metavar="PATH",
            help="Where to write it (default: --ledger, else data/commitments.toml here);"
            " a folder gets data/commitments.toml inside.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write a fresh, editable copy of the ledger bundled with cytrack; never overwrites.

    \b
    Examples:
      cytrack init                      # creates data/commitments.toml here
      cytrack init ~/台账               # creates ~/台账/data/commitments.toml
      cytrack init 1181.toml            # any file name; then use --ledger 1181.toml
    """
    from cytrack.ledger.load import DEFAULT_RELATIVE, bundled_ledger_path, load_ledger, locate_ledger
    from cytrack.store.outputs import create_file

    s = session_of(ctx)
    target = Path(path or s.ledger_flag or DEFAULT_RELATIVE)
    if target.is_dir():
        target = target / DEFAULT_RELATIVE
    from cytrack.i18n import state_word
    from cytrack.store.tracking import add_tracking_start

    bundled = bundled_ledger_path().read_bytes().decode("utf-8")
    text = add_tracking_start(bundled, s.today, state_word(s.lang, "tracking_comment"))
    try:
        create_file(target, text.encode("utf-8"))
    except FileExistsError:
        raise UsageError(
            f"{target} already exists; init never overwrites a ledger. Edit that file, or give another PATH."
        ) from None
    count = len(load_ledger(target).ledger.commitments)  # type: ignore[union-attr]
    write_plain(one_line(table_word(s.lang, "init_done", path=target, count=count)))
    if text != bundled:
        write_plain(state_word(s.lang, "init_tracking", date=s.today.isoformat()))
    found = locate_ledger(s.ledger_flag)
    if found.bundled or not _same_file(found.path, target):
        write_plain(one_line(table_word(s.lang, "init_elsewhere", path=target)))
    write_plain(table_word(s.lang, "init_next"))


@app.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="A filled-in 填报表: .xlsx, or .csv with the same columns.")
    ],
    apply: Annotated[
        bool, typer.Option("--apply", help="Add the entries to the ledger (without it: only show them).")
    ] = False,
    when: Annotated[
        str | None,
        typer.Option("--date", "-d", metavar="DATE", help="Date for rows whose 填报日期 is empty."),
    ] = None,
) -> None:
    """Read a filled-in 填报表 and show the progress entries it adds; --apply adds them.

    \b
    Rows without 本期进展 are skipped; entries the ledger has already (same
    id, date and note) are recognised, so importing a file twice adds
    nothing.  Any problem is listed as SHEET!CELL: message, and then
    nothing is written (exit 2).

    \b
    Examples:
      cytrack import 市科技局填报.xlsx
      cytrack import 市科技局填报.xlsx --apply
      cytrack import 返回/市教委填报.csv --date 2026-11-27 --apply
    """
    run(ctx, forms.import_cmd, locals())
