"""The 台账 as data: one row per commitment, per progress entry and per extension.

CSV and XLSX render the same ``Table`` values.  Cells stay typed (``date``, ``int``,
``Status``, ``Percent``) so each renderer writes them its own way: ISO text and ``40%``
in CSV, real date and number cells in XLSX.  The JSON export is ``ledger_document``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cytrack.core.query import as_office, detail, qualified
from cytrack.core.state import State, state_of, status_after
from cytrack.i18n import RHYTHM_NAMES, kind_word, label, light_name, office_word, table_word
from cytrack.ledger.model import FEEDBACK_VALUES, Ledger, Office
from cytrack.textsafe import one_line


class Percent(int):
    """A completion percentage (0..100); CSV writes ``40%``, XLSX a number formatted as a percentage."""


@dataclass(frozen=True)
class Column:
    """One column of a table: its header key, and how renderers treat it.

    ``wrap``: long text that wraps; ``max_width``: the widest it gets, in display cells (a
    Chinese character is two); ``core``: printed (the XLSX print area is the columns up to the
    last core one, so core columns come first); ``text``: a value a spreadsheet would misread as
    a date or number (ids such as ``1-1``), which CSV protects.
    """

    key: str
    wrap: bool = False
    max_width: int = 16
    core: bool = False
    text: bool = False


@dataclass
class Table:
    """A sheet of the 台账: a name, its columns and its typed rows."""

    name: str
    columns: tuple[Column, ...]
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


# The 台账 columns a Chinese office expects, in order: the printed core first (it fits A4
# landscape at 8 pt and more, see render/xlsx_style), then the reply's wording and the details.
# A new column goes where it belongs; renderers find columns by key, never by position.
LEDGER_COLUMNS = (
    Column("seq", max_width=4, core=True),
    Column("id", max_width=8, core=True, text=True),
    Column("title", wrap=True, max_width=24, core=True),
    Column("lead", wrap=True, max_width=12, core=True),
    Column("co_owners", wrap=True, max_width=14, core=True),
    Column("status", max_width=8, core=True),
    Column("percent", max_width=6, core=True),
    Column("due", max_width=10, core=True),
    Column("light", max_width=4, core=True),
    Column("days_overdue", max_width=8, core=True),
    Column("latest_note", wrap=True, max_width=36, core=True),
    Column("last_update", max_width=10, core=True),
    Column("quote", wrap=True, max_width=50),
    Column("section_title", wrap=True, max_width=24),
    Column("due_basis", wrap=True, max_width=18),
    Column("original_due", max_width=12),
    Column("review", max_width=18),
    Column("lead_basis", wrap=True, max_width=18),
    Column("tags", wrap=True, max_width=20),
)
PROGRESS_COLUMNS = (
    Column("id", max_width=8, text=True),
    Column("title", wrap=True, max_width=30),
    Column("date", max_width=12),
    Column("status", max_width=10),
    Column("percent", max_width=8),
    Column("note", wrap=True, max_width=60),
    Column("by", max_width=16),
    Column("evidence", wrap=True, max_width=30),
)
EXTENSION_COLUMNS = (
    Column("id", max_width=8, text=True),
    Column("title", wrap=True, max_width=30),
    Column("approved_on", max_width=12),
    Column("original_due", max_width=12),
    Column("new_due", max_width=12),
    Column("reason", wrap=True, max_width=50),
    Column("approved_by", max_width=16),
)
SOURCE_COLUMNS = (Column("item", max_width=12), Column("value", wrap=True, max_width=60))
# With several replies (contract §6) the 台账 says which reply each row comes from, after 序号.
OFFICE_COLUMNS = (Column("kind", max_width=4, core=True), Column("number", max_width=6, core=True))
REPLY_COLUMNS = (
    Column("key", max_width=8),
    Column("kind", max_width=6),
    Column("number", max_width=8),
    Column("src_title", wrap=True, max_width=40),
    Column("src_proposer", max_width=12),
    Column("src_lead_unit", max_width=16),
    Column("src_replied", max_width=12),
    Column("src_tracking_since", max_width=12),
    Column("year", max_width=6),
    Column("src_count", max_width=8),
)
_FEEDBACK_KEYS = {f"feedback_{v}" for v in FEEDBACK_VALUES}


def _table(lang: str, name_key: str, columns: tuple[Column, ...]) -> Table:
    return Table(table_word(lang, name_key), columns, [table_word(lang, c.key) for c in columns])


def _basis(lang: str, basis: str | None) -> str:
    return label(lang, f"basis_{basis}") if basis in ("source", "assumed") else ""


def _kind_word(lang: str, kind: str) -> str:
    from cytrack.i18n import office_word

    return office_word(lang, "kind_suggestion" if kind == "suggestion" else "kind_proposal")


def ledger_table(ledger: Ledger | Office, as_of: date, lang: str) -> Table:
    """The 台账 proper: one row per commitment in file order, computed columns as of ``as_of``;
    with several replies, reply after reply, with the kind (提案/建议) and number of each."""
    office = as_office(ledger)
    multi = office.multi
    columns = (LEDGER_COLUMNS[0], *OFFICE_COLUMNS, *LEDGER_COLUMNS[1:]) if multi else LEDGER_COLUMNS
    table = _table(lang, "sheet_ledger", columns)
    for seq, (ledger, st) in enumerate(_office_states(office, as_of), start=1):
        c = st.commitment
        latest = st.entries[-1] if st.entries else None
        cells = {
            "seq": seq,
            "kind": _kind_word(lang, ledger.source.kind),
            "number": ledger.source.proposal,
            "id": c.id,
            "title": c.title,
            "lead": c.lead,
            "co_owners": list(c.co_owners),
            "status": st.status,
            "percent": Percent(st.percent),
            "due": st.due,
            "light": light_name(lang, st.light),  # 红/黄/蓝, empty for none
            "days_overdue": st.days_overdue,
            "latest_note": latest.note if latest else None,
            "last_update": st.last_update,
            "quote": c.quote,
            "section_title": ledger.sections.get(c.section, str(c.section)),
            "due_basis": _basis(lang, c.due_basis) if c.due else "",
            "original_due": c.due if st.extension is not None else None,
            "review": RHYTHM_NAMES[lang].get(c.review, c.review or ""),
            "lead_basis": _basis(lang, c.lead_basis),
            "tags": list(c.tags),
        }
        table.rows.append([cells[column.key] for column in table.columns])
    return table


def _commitments(ledger: Ledger | Office) -> list[Any]:
    office = as_office(ledger)
    if not office.multi:
        return [c for r in office.replies for c in r.commitments]
    return [qualified(c, r.source.key) for r in office.replies for c in r.commitments]


def progress_table(ledger: Ledger | Office, lang: str) -> Table:
    """The whole progress log, one row per entry, commitments in file order, entries oldest first.

    Status and percent are the commitment's after the entry (``status_after``), so an entry that
    only wrote a note still shows where things stood.
    """
    table = _table(lang, "sheet_progress", PROGRESS_COLUMNS)
    for c in _commitments(ledger):
        for i, e in enumerate(c.progress):
            status, percent = status_after(c, i + 1)
            table.rows.append([c.id, c.title, e.date, status, Percent(percent), e.note, e.by, e.evidence])
    return table


def extensions_table(ledger: Ledger | Office, lang: str) -> Table:
    """Every approved extension (延期), with the due date it replaced."""
    table = _table(lang, "sheet_extensions", EXTENSION_COLUMNS)
    for c in _commitments(ledger):
        previous = c.due
        for x in c.extensions:
            table.rows.append([c.id, c.title, x.date, previous, x.new_due, x.reason, x.approved_by])
            previous = x.new_due
    return table


def source_table(ledger: Ledger, as_of: date, lang: str) -> Table:
    """The ``[source]`` of the reply as item/value rows, with the as-of date of the computed columns."""
    s = ledger.source
    table = _table(lang, "sheet_source", SOURCE_COLUMNS)
    category = table_word(lang, f"category_{s.category}") if s.category in ("A", "B", "C") else s.category
    feedback_key = f"feedback_{s.feedback}"
    feedback = table_word(lang, feedback_key) if feedback_key in _FEEDBACK_KEYS else s.feedback
    table.rows = [
        [table_word(lang, "src_proposal"), s.proposal],
        [table_word(lang, "src_title"), s.title],
        [table_word(lang, "src_proposer"), s.proposer],
        [table_word(lang, "src_lead_unit"), s.lead_unit],
        [table_word(lang, "src_co_units"), list(s.co_units)],
        [table_word(lang, "src_signed_by"), s.signed_by],
        [table_word(lang, "src_category"), category],
        [table_word(lang, "src_feedback"), feedback],
        [table_word(lang, "src_replied"), _replied(s, lang)],
        [table_word(lang, "src_tracking_since"), _tracking_since(s, lang)],
        [table_word(lang, "src_as_of"), as_of],
        [table_word(lang, "src_count"), len(ledger.commitments)],
    ]
    return table


def _replied(s: Any, lang: str) -> date | str:
    """答复日期: the date, or 未记录 — an empty cell would not say whether it is unknown or forgotten."""
    return s.replied if s.replied is not None else table_word(lang, "not_recorded")


def _tracking_since(s: Any, lang: str) -> date | str:
    """跟踪起始 as recorded; empty when the reply's date is known (tracking counts from it, contract §7),
    未记录 when neither is (staleness cannot be judged)."""
    if s.tracking_since is not None:
        return s.tracking_since
    return "" if s.replied is not None else table_word(lang, "not_recorded")


def replies_table(office: Office, lang: str) -> Table:
    """The replies of an office ledger, one row each (the sheet that replaces 说明 with several)."""
    table = _table(lang, "sheet_replies", REPLY_COLUMNS)
    for r in office.replies:
        s = r.source
        table.rows.append([s.key, _kind_word(lang, s.kind), s.proposal, s.title, s.proposer, s.lead_unit,
                           _replied(s, lang), _tracking_since(s, lang), s.year, len(r.commitments)])
    return table


def sheet_title(ledger: Ledger | Office, lang: str) -> str:
    """The 台账's title row: ``第1181号提案答复承诺事项台账　主办单位：市经济信息委``; with several
    replies, the plain title (each row names its reply)."""
    office = as_office(ledger)
    if office.multi or not office.replies:
        return office_word(lang, "sheet_title")
    ledger = office.replies[0]
    proposal = one_line(ledger.source.proposal).strip()
    kind = kind_word(lang, ledger.source.kind)
    title = (table_word(lang, "sheet_title", proposal=proposal, kind=kind) if proposal
             else table_word(lang, "sheet_title_plain", kind=kind))
    unit = one_line(ledger.source.lead_unit).strip()
    if unit:
        title += ("\u3000" if lang == "zh" else " · ") + table_word(lang, "sheet_unit", unit=unit)
    return title


def _states(ledger: Ledger, as_of: date) -> list[State]:
    key = ledger.source.key
    return [state_of(c, as_of, ledger.source.start, reply=key) for c in ledger.commitments]


def _office_states(office: Office, as_of: date) -> list[tuple[Ledger, State]]:
    multi = office.multi
    out = []
    for r in office.replies:
        key, replied = r.source.key, r.source.start
        for c in r.commitments:
            out.append((r, state_of(qualified(c, key) if multi else c, as_of, replied, reply=key)))
    return out


def _source_data(s: Any) -> dict[str, Any]:
    return {
        "proposal": s.proposal,
        "title": s.title,
        "proposer": s.proposer,
        "lead_unit": s.lead_unit,
        "co_units": list(s.co_units),
        "signed_by": s.signed_by,
        "category": s.category,
        "feedback": s.feedback,
        "replied": s.replied.isoformat() if s.replied else None,
        "tracking_since": s.tracking_since.isoformat() if s.tracking_since else None,
    }


def _sections(ledger: Ledger) -> dict[str, str]:
    return {str(k): v for k, v in sorted(ledger.sections.items())}


def _reply_entry(ledger: Ledger) -> dict[str, Any]:
    """One reply of the export's ``replies``: its key, kind, year, session, source and sections."""
    s = ledger.source
    return {
        "reply": s.key, "kind": s.kind, "year": s.year, "session": s.session or None,
        "source": _source_data(s), "sections": _sections(ledger),
    }


# The JSON export has the same keys whatever the ledger holds (docs/ledger-format.md, "Export JSON"):
# ``source`` and ``sections`` are the one reply's (null with several), ``replies`` lists every reply.
def office_document(office: Office, as_of: date) -> dict[str, Any]:
    """The JSON export of several replies: no single ``source`` (null), each reply in ``replies``,
    then every commitment (show-shaped, qualified ids)."""
    return {
        "schema": 1,
        "as_of": as_of.isoformat(),
        "source": None,
        "sections": None,
        "replies": [_reply_entry(r) for r in office.replies],
        "commitments": [detail(st) for _, st in _office_states(office, as_of)],
    }


def ledger_document(ledger: Ledger, as_of: date) -> dict[str, Any]:
    """The JSON export of one reply (a one-reply ledger, or one picked with ``--reply``): contract §3's
    ``{"schema": 1, "as_of", "source", "sections", "commitments"}`` and, as an office export has it,
    ``replies`` with this one reply; ids bare."""
    return {
        "schema": 1,
        "as_of": as_of.isoformat(),
        "source": _source_data(ledger.source),
        "sections": _sections(ledger),
        "replies": [_reply_entry(ledger)],
        "commitments": [detail(st) for st in _states(ledger, as_of)],
    }

