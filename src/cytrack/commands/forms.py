"""``export --form`` (a 填报表 per unit) and ``import`` (the filled forms back into the ledger).

The forms are made and read by ``cytrack.forms``; the entries go into the ledger through
``store.write_changes``: one locked, atomic write for the whole file, or none at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cytrack.ledger.errors import UsageError
from cytrack.render.terminal import say, write_plain
from cytrack.textsafe import one_line

if TYPE_CHECKING:
    from cytrack.commands.session import Session


def export_form_cmd(
    s: Session,
    *,
    owner: list[str] | None = None,
    output: str | None = None,
    output_dir: str | None = None,
    as_of: str | None = None,
    reply: list[str] | None = None,
    reply_kind: str | None = None,
    year: int | None = None,
) -> int:
    """Write one 填报表 per unit: to ``output`` for a single ``--owner``, else into ``output_dir``;
    ``--reply``/``--kind``/``--year`` narrow the commitments to those replies (ids stay qualified
    in an office, so the form comes back into the right files)."""
    from cytrack.forms.layout import file_name, unit_forms
    from cytrack.forms.workbook import form_bytes
    from cytrack.i18n import form_word
    from cytrack.store.outputs import refuse_protected, replace_output

    owners = owner or []
    if output is not None and output_dir is not None:
        raise UsageError(form_word(s.lang, "form_dir"))
    if output is not None and len(owners) != 1:
        raise UsageError(form_word(s.lang, "form_dir"))
    if output is None and output_dir is None:
        raise UsageError(form_word(s.lang, "form_output" if len(owners) == 1 else "form_dir"))
    if output is not None and (output == "-" or not output.lower().endswith(".xlsx")):
        raise UsageError(form_word(s.lang, "form_stdout" if output == "-" else "form_xlsx", format="xlsx"))
    folder = Path(output_dir) if output_dir is not None else None
    if folder is not None and folder.exists() and not folder.is_dir():
        raise UsageError(form_word(s.lang, "form_dir_file", path=folder))
    office = s.office(reply, [reply_kind] if reply_kind else None, [year] if year is not None else None)
    when = s.date(as_of)
    forms = unit_forms(office, when, owners, s.lang)
    targets = [Path(output) if output is not None else folder / file_name(f.unit) for f in forms]  # type: ignore[operator]
    for target in targets:  # every target checked before the first is written
        refuse_protected(target, s.protected)
    for form, target in zip(forms, targets, strict=True):
        replace_output(target, form_bytes(office, form, when, s.lang), protect=s.protected)
        say(form_word(s.lang, "form_written", unit=one_line(form.unit), path=target, rows=len(form.states)))
    return 0


def _day(lang: str, text: str) -> str:
    """The as-of date the hidden sheet holds, written as the language writes dates."""
    from datetime import date

    from cytrack.i18n import format_date

    try:
        return format_date(lang, date.fromisoformat(text))
    except ValueError:
        return one_line(text)


def import_cmd(
    s: Session,
    *,
    file: str,
    apply: bool = False,
    when: str | None = None,
) -> int:
    """Show what a filled form would add; with ``apply``, add it in one write."""
    from cytrack.forms.plan import plan_import
    from cytrack.forms.preview import preview_table
    from cytrack.forms.read import read_form
    from cytrack.i18n import form_word

    path = Path(file)
    default = s.date(when) if when is not None else None
    form = read_form(path, s.lang)
    office = s.office()
    plan = plan_import(form, office, s.today, s.lang, default)
    if plan.problems:
        for problem in plan.problems:
            say(problem)
        raise UsageError(form_word(s.lang, "problems", path=path, n=len(plan.problems)).removeprefix("cytrack: "))
    for note in plan.notes:
        say(note)
    if plan.entries:
        s.out.print(preview_table(plan.entries, s.lang))
    counts = {"new": len(plan.entries), "present": plan.present, "skipped": plan.skipped}
    unit, as_of = form.meta.get("unit"), form.meta.get("as_of")
    if unit and as_of:
        day = _day(s.lang, as_of)
        write_plain(form_word(s.lang, "summary", path=path.name, unit=one_line(unit), as_of=day, **counts))
    else:
        write_plain(form_word(s.lang, "summary_plain", path=path.name, **counts))
    if not plan.entries:
        write_plain(form_word(s.lang, "nothing_new"))
        return 0
    if not apply:
        write_plain(form_word(s.lang, "preview"))
        return 0
    from cytrack.store.changes import ProgressBatch, ProgressChange
    from cytrack.store.write import write_changes

    # One locked, atomic write per file of the ledger (a form of one reply: one write).
    files = list(dict.fromkeys(p.path for p in plan.entries))
    shown = {(p.path, p.cid): p.shown for p in plan.entries}
    added, ids = 0, []
    for file in files:
        batch = ProgressBatch(tuple(
            ProgressChange(p.cid, p.on, p.note, p.status, p.percent, p.by, p.evidence)
            for p in plan.entries if p.path == file
        ))
        location = s.location if Path(file) == Path(s.location.path) else s.location._replace(path=Path(file))
        edits = write_changes(location, batch)
        for warning in dict.fromkeys(w for e in edits for w in e.warnings):
            say(warning)
        added += sum(e.outcome.entries for e in edits)
        ids.extend(one_line(shown.get((file, e.outcome.cid), e.outcome.cid)) for e in edits)
    if added:
        # the files written (in an office, the reply files holding the commitments, not the entry file)
        written = ("、" if s.lang == "zh" else ", ").join(one_line(str(f)) for f in files)
        write_plain(form_word(s.lang, "applied", ledger=written, n=added, ids="、".join(dict.fromkeys(ids))))
    else:
        write_plain(form_word(s.lang, "nothing_new"))
    return 0
