"""``overdue``, ``stale``, ``summary`` and ``report weekly`` (contract §3)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cytrack.i18n.messages import message
from cytrack.ledger.errors import EXIT_FOUND, UsageError
from cytrack.render.terminal import say, write_plain

if TYPE_CHECKING:
    from cytrack.commands.session import Session
    from cytrack.core.reports import Weekly
    from cytrack.ledger.model import Ledger

# Below this many columns the overdue and stale tables would cut their last columns off;
# the numbered text form says the same and wraps instead.
MIN_TABLE_WIDTH = 76


def _as_text(s: Session, fmt: str) -> bool:
    return fmt == "text" or s.out.width < MIN_TABLE_WIDTH


def _office(s: Session, reply: list[str] | None, kind: str | None, year: int | None):  # noqa: ANN202
    return s.office(reply, [kind] if kind else None, [year] if year is not None else None)


def overdue_cmd(
    s: Session,
    *,
    owner: list[str] | None = None,
    fmt: str = "table",
    check: bool = False,
    as_of: str | None = None,
    reply: list[str] | None = None,
    kind: str | None = None,
    year: int | None = None,
) -> int:
    from cytrack.core.reports import overdue_report

    when = s.date(as_of)
    if fmt == "json" and not (owner or reply or kind) and year is None:
        from cytrack.commands.office_rows import office_overdue_json

        found = office_overdue_json(s, when)
        if found is not None:
            from cytrack.render.terminal import write_chunks

            write_chunks([found[0]])
            return EXIT_FOUND if check and found[1] else 0
    items = overdue_report(_office(s, reply, kind, year), when, owner or ())
    if fmt == "json":
        from cytrack.core.query import row
        from cytrack.render.jsonout import to_json

        write_plain(to_json([row(st) for st in items]))
    elif _as_text(s, fmt):
        from cytrack.render.report_text import overdue_blocks, to_text

        write_plain(to_text(overdue_blocks(items, when, s.lang)))
    else:
        from cytrack.render.report_tables import overdue_table

        s.out.print(overdue_table(items, when, s.lang))
    return EXIT_FOUND if check and items else 0


def stale_cmd(
    s: Session,
    *,
    days: int | None = None,
    fmt: str = "table",
    as_of: str | None = None,
    reply: list[str] | None = None,
    kind: str | None = None,
    year: int | None = None,
) -> int:
    from cytrack.core.reports import stale_report

    stale = stale_report(_office(s, reply, kind, year), s.date(as_of), days)
    if fmt == "json":
        from cytrack.core.query import row
        from cytrack.render.jsonout import to_json

        write_plain(to_json([row(st) for st in stale.items]))
        if stale.unjudged:  # the array stays list-shaped rows; the count goes beside it
            from cytrack.render.report_text import unjudged_note

            say("cytrack: " + unjudged_note(stale.unjudged, stale.as_of, s.lang, stale.unjudged_files))
    elif _as_text(s, fmt):
        from cytrack.render.report_text import stale_blocks, to_text

        write_plain(to_text(stale_blocks(stale, s.lang)))
    else:
        from cytrack.render.report_tables import stale_table

        s.out.print(stale_table(stale, s.lang))
    return 0


def summary_cmd(
    s: Session,
    *,
    fmt: str = "table",
    as_of: str | None = None,
    reply: list[str] | None = None,
    kind: str | None = None,
    year: int | None = None,
) -> int:
    from cytrack.core.reports import summary_report

    summary = summary_report(_office(s, reply, kind, year), s.date(as_of))
    if fmt == "json":
        from cytrack.core.reports import summary_data, summary_office_data
        from cytrack.render.jsonout import to_json

        write_plain(to_json(summary_office_data(summary) if summary.sources else summary_data(summary)))
        return 0
    if fmt == "table":
        from cytrack.render.summary import summary_view, summary_width

        if s.out.width >= summary_width(summary, s.lang):
            s.out.print(summary_view(summary, s.lang, s.out.width))
            return 0
    # Asked for, or the terminal is too narrow for the tables: the same counts as text that wraps.
    from cytrack.render.report_text import summary_blocks, to_text

    write_plain(to_text(summary_blocks(summary, s.lang)))
    return 0


def weekly_cmd(
    s: Session,
    *,
    week: str | None = None,
    fmt: str = "text",
    output: str | None = None,
    as_of: str | None = None,
    reply: list[str] | None = None,
    kind: str | None = None,
    year: int | None = None,
) -> int:
    from cytrack.core.dates import parse_week
    from cytrack.core.reports import weekly_report

    if week is not None and as_of is not None:
        raise UsageError(message("week_or_as_of"))
    when = parse_week(week)[1] if week is not None else s.date(as_of)
    ledger = _office(s, reply, kind, year)
    report = weekly_report(ledger, when)
    if fmt in ("docx", "html"):
        return _weekly_paper(s, ledger, report, fmt, output)
    if fmt == "json":
        from cytrack.core.reports import weekly_data
        from cytrack.render.jsonout import to_json

        text = to_json(weekly_data(report)) + "\n"
    else:
        from cytrack.render.report_text import to_markdown, to_text, weekly_blocks

        render = to_markdown if fmt == "markdown" else to_text
        text = render(weekly_blocks(report, s.lang))
    if output is None:
        write_plain(text)
        return 0
    from cytrack.i18n import report_word
    from cytrack.store.outputs import replace_output

    replace_output(Path(output), text.encode("utf-8"), protect=s.protected)
    say(report_word(s.lang, "written", path=output))
    return 0


# The libraries each paper format needs (the ``[report]`` extra); imported only on its path.
PAPER_LIBRARIES = {"docx": ("docx", "python-docx", "Word"), "html": ("jinja2", "Jinja2", "HTML")}


def _weekly_paper(s: Session, ledger: Ledger, report: Weekly, fmt: str, output: str | None) -> int:
    """``--format docx|html``: the Word document (GB/T 9704 layout) or the report page with charts."""
    import importlib.util

    from cytrack.i18n import report_word

    module, package, what = PAPER_LIBRARIES[fmt]
    if importlib.util.find_spec(module) is None:
        raise UsageError(report_word(s.lang, "missing_library", what=what, package=package))
    if output not in (None, "-"):
        from cytrack.store.outputs import refuse_protected

        refuse_protected(Path(output), s.protected)  # before the work, as export does
    if output is None and (fmt == "docx" and sys.stdout.isatty()):
        raise UsageError(message("docx_terminal"))
    from cytrack.render.report_text import weekly_blocks

    blocks = weekly_blocks(report, s.lang, tables=True)
    if fmt == "docx":
        from cytrack.render.report_docx import weekly_docx

        data = weekly_docx(blocks, s.lang)
    else:
        from cytrack.core.reports import chart_data
        from cytrack.render.report_html import weekly_html

        data = weekly_html(blocks, report, chart_data(ledger, report.end), s.lang).encode("utf-8")
    if output is None or output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    from cytrack.store.outputs import replace_output

    replace_output(Path(output), data, protect=s.protected)
    say(report_word(s.lang, f"written_{fmt}", path=output))
    return 0
