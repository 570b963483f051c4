"""The 台账 as data: one row per commitment, per progress entry and per extension.

CSV and XLSX render the same ``Table`` values.  Cells stay typed (``date``, ``int``,
``Status``, ``Percent``) so each renderer writes them its own way: ISO text and ``40%``
in CSV, real date and number cells in XLSX.  The JSON export is ``ledger_document``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cytrack.i18n import RHYTHM_NAMES, label, table_word
from cytrack.ledger.model import FEEDBACK_VALUES, Ledger, Office
from cytrack.core.query import as_office, detail, qualified
from cytrack.core.state import State, state_of


class Percent(int):
    """A completion percentage (0..100); CSV writes ``40%``, XLSX a number formatted as a percentage."""


@dataclass(frozen=True)
class Column:
    """One column of a table: its header key, and whether its cells hold long text that wraps."""

    key: str
    wrap: bool = False
    max_width: int = 16  # in display cells (a Chinese character is two)


@dataclass
class Table:
    """A sheet of the 台账: a name, its columns and its typed rows."""

    name: str
    columns: tuple[Column, ...]
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


# The 台账 columns a Chinese office expects, in order; useful extras follow the first twelve.
LEDGER_COLUMNS = (
    Column("seq", max_width=6),
    Column("id", max_width=8),
    Column("title", wrap=True, max_width=30),
    Column("quote", wrap=True, max_width=50),
    Column("lead", max_width=16),
    Column("co_owners", wrap=True, max_width=24),
    Column("status", max_width=10),
    Column("percent", max_width=8),
    Column("due", max_width=12),
    Column("latest_note", wrap=True, max_width=50),
    Column("last_update", max_width=12),
    Column("days_overdue", max_width=10),
    Column("section_title", wrap=True, max_width=24),
    Column("due_basis", wrap=True, max_width=18),
    Column("original_due", max_width=12),
    Column("review", max_width=18),
    Column("lead_basis", wrap=True, max_width=18),
    Column("tags", wrap=True, max_width=20),
)
PROGRESS_COLUMNS = (
    Column("id", max_width=8),
    Column("title", wrap=True, max_width=30),
    Column("date", max_width=12),
    Column("status", max_width=10),
    Column("percent", max_width=8),
    Column("note", wrap=True, max_width=60),
    Column("by", max_width=16),
    Column("evidence", wrap=True, max_width=30),
)
EXTENSION_COLUMNS = (
    Column("id", max_width=8),
    Column("title", wrap=True, max_width=30),
    Column("approved_on", max_width=12),
    Column("original_due", max_width=12),
    Column("new_due", max_width=12),
    Column("reason", wrap=True, max_width=50),
    Column("approved_by", max_width=16),
)
SOURCE_COLUMNS = (Column("item", max_width=12), Column("value", wrap=True, max_width=60))
# With several replies (contract §6) the 台账 says which reply each row comes from, after 序号.
OFFICE_COLUMNS = (Column("kind", max_width=6), Column("number", max_width=8))
REPLY_COLUMNS = (
    Column("key", max_width=8),
    Column("kind", max_width=6),
    Column("number", max_width=8),
    Column("src_title", wrap=True, max_width=40),
    Column("src_proposer", max_width=12),
    Column("src_lead_unit", max_width=16),
    Column("src_replied", max_width=12),
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
        head: list[Any] = [seq, _kind_word(lang, ledger.source.kind), ledger.source.proposal] if multi else [seq]
        table.rows.append(
            [
                *head,
                c.id,
                c.title,
                c.quote,
                c.lead,
                list(c.co_owners),
                st.status,
                Percent(st.percent),
                st.due,
                latest.note if latest else None,
                st.last_update,
                st.days_overdue,
                ledger.sections.get(c.section, str(c.section)),
                _basis(lang, c.due_basis) if c.due else "",
                c.due if st.extension is not None else None,
                RHYTHM_NAMES[lang].get(c.review, c.review or ""),
                _basis(lang, c.lead_basis),
                list(c.tags),
            ]
        )
    return table


def _commitments(ledger: Ledger | Office) -> list[Any]:
    office = as_office(ledger)
    if not office.multi:
        return [c for r in office.replies for c in r.commitments]
    return [qualified(c, r.source.key) for r in office.replies for c in r.commitments]


def progress_table(ledger: Ledger | Office, lang: str) -> Table:
    """The whole progress log, one row per entry, commitments in file order, entries oldest first."""
    table = _table(lang, "sheet_progress", PROGRESS_COLUMNS)
    for c in _commitments(ledger):
        for e in c.progress:
            percent = Percent(e.percent) if e.percent is not None else None
            table.rows.append([c.id, c.title, e.date, e.status, percent, e.note, e.by, e.evidence])
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
        [table_word(lang, "src_replied"), s.replied],
        [table_word(lang, "src_as_of"), as_of],
        [table_word(lang, "src_count"), len(ledger.commitments)],
    ]
    return table


def replies_table(office: Office, lang: str) -> Table:
    """The replies of an office ledger, one row each (the sheet that replaces 说明 with several)."""
    table = _table(lang, "sheet_replies", REPLY_COLUMNS)
    for r in office.replies:
        s = r.source
        table.rows.append([s.key, _kind_word(lang, s.kind), s.proposal, s.title, s.proposer, s.lead_unit, s.replied,
                           s.year, len(r.commitments)])
    return table


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
    }


def office_document(office: Office, as_of: date) -> dict[str, Any]:
    """The JSON export of several replies: each reply's key, kind, year, source and sections, then
    every commitment (show-shaped, qualified ids)."""
    return {
        "schema": 1,
        "as_of": as_of.isoformat(),
        "replies": [
            {
                "reply": r.source.key,
                "kind": r.source.kind,
                "year": r.source.year,
                "session": r.source.session or None,
                "source": _source_data(r.source),
                "sections": {str(k): v for k, v in sorted(r.sections.items())},
            }
            for r in office.replies
        ],
        "commitments": [detail(st) for _, st in _office_states(office, as_of)],
    }


def ledger_document(ledger: Ledger, as_of: date) -> dict[str, Any]:
    """The JSON export: ``{"schema": 1, "as_of", "source", "sections", "commitments": [show-shaped]}``."""
    s = ledger.source
    return {
        "schema": 1,
        "as_of": as_of.isoformat(),
        "source": {
            "proposal": s.proposal,
            "title": s.title,
            "proposer": s.proposer,
            "lead_unit": s.lead_unit,
            "co_units": list(s.co_units),
            "signed_by": s.signed_by,
            "category": s.category,
            "feedback": s.feedback,
            "replied": s.replied.isoformat() if s.replied else None,
        },
        "sections": {str(k): v for k, v in sorted(ledger.sections.items())},
        "commitments": [detail(st) for st in _states(ledger, as_of)],
    }

