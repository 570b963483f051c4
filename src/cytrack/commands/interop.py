"""``export`` (CSV/XLSX 台账, JSON) and ``init``: the ledger taken elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cytrack.i18n import message, table_word
from cytrack.ledger.errors import UsageError
from cytrack.render.terminal import say, write_plain
from cytrack.textsafe import one_line

if TYPE_CHECKING:
    from cytrack.commands.session import Session

SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".xlsx": "xlsx"}


def _pick_format(fmt: str | None, output: Path | None) -> str:
    """``--format`` as given, else the output file's suffix, else CSV; a contradiction is refused."""
    implied = SUFFIX_FORMATS.get(output.suffix.lower()) if output else None
    if fmt is not None and implied is not None and fmt != implied:
        raise UsageError(message("export_mismatch", fmt=fmt, path=output))
    if fmt is None and output is not None and implied is None:
        raise UsageError(message("export_no_format", path=output))
    return fmt or implied or "csv"


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def export_cmd(
    s: Session,
    *,
    fmt: str | None = None,
    output: str | None = None,
    as_of: str | None = None,
    form: bool = False,
    owner: list[str] | None = None,
    output_dir: str | None = None,
    reply: list[str] | None = None,
    reply_kind: str | None = None,
    year: int | None = None,
) -> int:
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

    if form:
        from cytrack.commands import forms

        if fmt is not None and fmt != "xlsx":
            raise UsageError(form_word(s.lang, "form_xlsx", format=fmt))
        forms.export_form_cmd(s, owner=owner, output=output, output_dir=output_dir, as_of=as_of,
                              reply=reply, reply_kind=reply_kind, year=year)
        return 0
    for name, value in (("owner", owner), ("output-dir", output_dir)):
        if value:
            raise UsageError(form_word(s.lang, "form_only", option="--" + name))
    target = None if output in (None, "-") else Path(output)
    kind = _pick_format(fmt, target)
    if target is not None:
        from cytrack.store.outputs import refuse_protected

        refuse_protected(target, s.protected)  # at once, before the ledger is read (replace_file checks again)
    if kind == "xlsx" and target is None and sys.stdout.isatty():
        raise UsageError(message("export_xlsx_terminal"))
    office = s.office(reply, [reply_kind] if reply_kind else None, [year] if year is not None else None)
    if target is not None:
        for r in office.replies:
            if same_file(target, Path(r.path)):
                raise UsageError(message("export_onto_ledger", path=target))
    if len(office.replies) == 1:  # one reply (or one picked with --reply): the 台账 of that reply, bare ids
        office = office._replace(total=1)
    ledger = office.replies[0] if office.single is not None else office
    when = s.date(as_of)
    table = ledger_table(ledger, when, s.lang)
    log = progress_table(ledger, s.lang)
    if kind == "json":
        from cytrack.render.jsonout import to_json

        document = ledger_document(ledger, when) if office.single is not None else office_document(office, when)
        data = (to_json(document) + "\n").encode("utf-8")
    elif kind == "csv":
        from cytrack.render.ledger_csv import table_csv

        data = table_csv(table, s.lang)
    else:
        from cytrack.render.xlsx import Heading, ledger_workbook

        if office.single is not None:
            about = source_table(office.single, when, s.lang)
        else:
            about = replies_table(office, s.lang)
        data = ledger_workbook(
            table, log, [extensions_table(ledger, s.lang)], about, s.lang, Heading(sheet_title(ledger, s.lang), when)
        )
    if target is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    from cytrack.store.outputs import replace_output

    replace_output(target, data, protect=s.protected)
    if kind == "csv":  # the CSV holds the 台账 alone
        say(table_word(s.lang, "exported_csv", path=target, rows=len(table.rows), format=kind))
    else:
        say(table_word(s.lang, "exported", path=target, rows=len(table.rows), entries=len(log.rows), format=kind))
    return 0


def init_cmd(s: Session, *, path: str | None = None) -> int:
    from cytrack.ledger.load import DEFAULT_RELATIVE, bundled_ledger_path, load_ledger, locate_ledger
    from cytrack.store.outputs import create_file

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
        raise UsageError(message("init_exists", path=target)) from None
    count = len(load_ledger(target).ledger.commitments)  # type: ignore[union-attr]
    write_plain(one_line(table_word(s.lang, "init_done", path=target, count=count)))
    if text != bundled:
        write_plain(state_word(s.lang, "init_tracking", date=s.today.isoformat()))
    found = locate_ledger(s.ledger_flag)
    if found.bundled or not same_file(found.path, target):
        write_plain(one_line(table_word(s.lang, "init_elsewhere", path=target)))
    write_plain(table_word(s.lang, "init_next"))
    return 0
