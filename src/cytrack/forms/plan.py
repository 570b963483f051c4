"""A form's rows as the progress entries they would add, checked against the ledger.

Every problem is collected as ``SHEET!CELL: message`` (nothing is written while there is
one): unknown ids, ids the form was not exported with, changed read-only columns, bad
dates, dates after today, percents outside 0-100, unknown statuses, ``done`` without
evidence, control characters.  Rows without 本期进展 are skipped and counted; an entry the
log holds already (same id, date and note) is counted as present, so importing a file
twice adds nothing.  Status follows percent as ``cytrack update`` does (contract §7).
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from datetime import date, datetime
from typing import Any, NamedTuple

from cytrack.core.dates import parse_date
from cytrack.core.query import parse_status
from cytrack.core.state import status_after
from cytrack.forms.layout import INPUTS, header_text
from cytrack.forms.read import Cell, Form, as_date
from cytrack.i18n import STATUS_NAMES, form_word
from cytrack.ledger.errors import UsageError
from cytrack.ledger.model import Commitment, Ledger, Office, ProgressEntry, Status
from cytrack.render.csvout import cell as inert
from cytrack.store.changes import COMPLETED, FULL_NOT_CLOSED, STARTED, note_key, resolve_progress
from cytrack.textsafe import has_control, one_line

_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_SERIAL = re.compile(r"\d{5}(\.0+)?")


class Planned(NamedTuple):
    """A progress entry a form row would add."""

    cid: str  # the id in its reply's file
    path: str  # that file
    shown: str  # the id as tables show it (``KEY/ID`` when the ledger holds several replies)
    row: int  # the row's place among the form's rows
    where: str  # the row's id cell, for messages
    evidence_at: str  # its evidence cell (the id cell when the form has no such column)
    on: date
    note: str
    status: Status | None = None
    percent: int | None = None
    by: str | None = None
    evidence: str | None = None


class Plan(NamedTuple):
    """What importing a form would do."""

    entries: list[Planned]  # new entries, in the order of the form's rows
    present: int  # rows whose entry the log holds already
    skipped: int  # rows without 本期进展
    problems: list[str]  # ``SHEET!CELL: message``; nothing is written while there is one
    notes: list[str]  # what the reader should know: values left out, statuses that followed the percent


def _clean(value: Any) -> str:
    """A text cell as text: numbers without a spurious ``.0``, dates as ISO, line endings as LF, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n").strip()


class _Row:
    """One row being read: its cells, and the problems found in it."""

    def __init__(self, cells: dict[str, Cell], lang: str, problems: list[str]) -> None:
        self.cells, self.lang, self.problems = cells, lang, problems

    def text(self, key: str) -> str:
        cell = self.cells.get(key)
        return _clean(cell.value) if cell is not None else ""

    def ref(self, key: str) -> str:
        return self.cells[key].ref

    def problem(self, key: str, word: str, **kwargs: object) -> None:
        self.problems.append(f"{self.ref(key)}: {form_word(self.lang, word, **kwargs)}")

    def free_text(self, key: str, *, single: bool = False) -> str | None:
        text = self.text(key)
        if not text:
            return None
        if has_control(text.replace("\n", "").replace("\t", "")):
            self.problem(key, "control", text=one_line(text)[:40])
            return None
        if single and "\n" in text:
            self.problem(key, "one_line")
            return None
        return text


def _percent(row: _Row) -> int | None:
    cell = row.cells.get("percent")
    if cell is None or not _clean(cell.value):
        return None
    value = cell.value
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value * 100 if cell.percent else value
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().removesuffix("%").strip()
        try:
            number = float(text)
        except ValueError:
            number = None
    if number is None or not math.isfinite(number) or abs(number - round(number)) > 1e-6 or not 0 <= number <= 100:
        row.problem("percent", "bad_percent", text=one_line(_clean(value))[:40])
        return None
    return int(round(number))


def _status(row: _Row) -> Status | None:
    text = row.text("status")
    if not text:
        return None
    try:
        return parse_status(unicodedata.normalize("NFKC", text))
    except UsageError:
        names = ("、" if row.lang == "zh" else ", ").join(STATUS_NAMES[row.lang].values())
        row.problem("status", "bad_status", text=one_line(text)[:40], names=names)
        return None


def _date(row: _Row, epoch: date, today: date, default: date | None) -> date | None:
    cell = row.cells.get("date")
    value = cell.value if cell is not None else None
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None:
            row.problem("date" if cell is not None else "note", "no_date")
        return default
    found = as_date(value, epoch)
    if found is None and isinstance(value, str):
        text = _TIME.sub("", unicodedata.normalize("NFKC", value).strip())
        if _SERIAL.fullmatch(text):
            found = as_date(float(text), epoch)
        else:
            try:
                found = parse_date(text, today)
            except UsageError:
                found = None
    if found is None:
        row.problem("date", "bad_date", text=one_line(_clean(value))[:40])
        return None
    if found > today:
        row.problem("date", "future_date", date=found.isoformat(), today=today.isoformat())
        return None
    return found


def _commitment(row: _Row, office: Office, form: Form) -> tuple[Ledger, Commitment] | None:
    """The reply and commitment a row is about, its read-only columns checked against the ledger."""
    shown = row.text("id")
    found = office.holders(shown)
    multi = office.multi
    if not found:
        ids = [f"{r.source.key}/{x.id}" if multi else x.id for r in office.replies for x in r.commitments]
        known = {x.casefold(): x for x in ids}
        close = [known[x] for x in difflib.get_close_matches(shown.casefold(), list(known), n=3, cutoff=0.5)]
        hint = form_word(row.lang, "did_you_mean", ids="、".join(close)) if close else ""
        row.problem("id", "bad_id", id=one_line(shown)[:40], hint=hint)
        return None
    if len(found) > 1:
        names = "、".join(f"{r.source.key}/{c.id}" for r, c in found)
        row.problem("id", "ambiguous_id", id=one_line(shown)[:40], ids=names)
        return None
    reply, c = found[0]
    key = reply.source.key
    listed = {x.casefold() for x in form.ids}
    if form.ids and not {c.id.casefold(), f"{key}/{c.id}".casefold()} & listed:
        row.problem("id", "not_in_form", id=one_line(shown), unit=one_line(form.meta.get("unit", "")))
        return None
    if "title" in row.cells and row.text("title") not in (_clean(inert(c.title)), _clean(c.title)):
        column = header_text(row.lang, "title")
        row.problem("title", "changed", column=column, expected=one_line(c.title))
        return None
    if "reply" in row.cells and row.text("reply") and row.text("reply") != key:
        row.problem("reply", "changed", column=header_text(row.lang, "reply"), expected=one_line(key))
        return None
    return reply, c


_RULE_WORDS = {STARTED: "status_from_percent", COMPLETED: "percent_from_done", FULL_NOT_CLOSED: "full_not_closed"}


def _follow(c: Commitment, planned: list[Planned], lang: str, notes: list[str]) -> list[Planned]:
    """Contract §7 for a commitment's new entries, in date order, as ``update`` and the store's batch
    apply it (``resolve_progress``): each against the status and percent the log, the earlier new
    entries included, leaves just before its date."""
    log = list(c.progress)
    out = []
    for p in sorted(planned, key=lambda p: p.on):
        before = sum(1 for e in log if e.date <= p.on)
        current = status_after(c._replace(progress=tuple(log)), before)
        status, percent, rules = resolve_progress(*current, p.status, p.percent)
        notes.extend(f"{p.where}: {form_word(lang, _RULE_WORDS[rule])}" for rule in rules if rule in _RULE_WORDS)
        p = p._replace(status=status, percent=percent)
        log.insert(before, ProgressEntry(p.on, p.note, p.status, p.percent))
        out.append(p)
    return out


def plan_import(form: Form, office: Office, today: date, lang: str, default_date: date | None = None) -> Plan:
    """What importing ``form`` into the ledger would add; ``today`` is the real today (no future dates)."""
    problems: list[str] = []
    notes: list[str] = []
    keys = [k for k in form.meta.get("reply", "").split(",") if k]
    missing = [k for k in keys if office.reply(k) is None]
    if missing and "reply" in form.meta_refs:
        held = "、".join(office.keys())
        message = form_word(lang, "other_reply", form=one_line(missing[0]), ledger=held)
        problems.append(f"{form.meta_refs['reply']}: {message}")
        return Plan([], 0, 0, problems, notes)
    skipped = present = 0
    found: dict[tuple[str, str], list[Planned]] = {}
    holders: dict[tuple[str, str], Commitment] = {}
    for n, cells in enumerate(form.rows):
        row = _Row(cells, lang, problems)
        if not any(row.text(k) for k in cells):
            continue  # a blank row
        if not row.text("note"):
            skipped += 1
            filled = [header_text(lang, k) for k in INPUTS if k != "note" and row.text(k)]
            if filled:
                columns = ("、" if lang == "zh" else ", ").join(filled)
                notes.append(f"{row.ref('note')}: {form_word(lang, 'skipped_values', columns=columns)}")
            continue
        if not row.text("id"):
            row.problem("id", "no_id")
            continue
        before = len(problems)
        held = _commitment(row, office, form)
        on = _date(row, form.epoch, today, default_date)
        percent, status = _percent(row), _status(row)
        note = row.free_text("note")
        by, evidence = row.free_text("by", single=True), row.free_text("evidence")
        if held is None or on is None or note is None or len(problems) > before:
            continue
        reply, c = held
        evidence_at = row.ref("evidence") if "evidence" in cells else row.ref("id")
        shown = f"{reply.source.key}/{c.id}" if office.multi else c.id
        where = (reply.path, c.id)
        holders[where] = c
        found.setdefault(where, []).append(
            Planned(c.id, reply.path, shown, n, row.ref("id"), evidence_at, on, note, status, percent, by, evidence)
        )
    entries: list[Planned] = []
    for where, planned in found.items():
        c = holders[where]
        seen = {(e.date, note_key(e.note)) for e in c.progress}
        new = []
        for p in planned:
            if (p.on, note_key(p.note)) in seen:
                present += 1
                continue
            seen.add((p.on, note_key(p.note)))
            new.append(p)
        for p in _follow(c, new, lang, notes):
            if p.status is Status.DONE and not p.evidence:
                problems.append(f"{p.evidence_at}: {form_word(lang, 'needs_evidence')}")
                continue
            entries.append(p)
    entries.sort(key=lambda p: p.row)
    problems.sort(key=lambda message: _position(message, form.sheet))
    return Plan(entries, present, skipped, problems, notes)


_REF = re.compile(r"(.*)!([A-Z]+)(\d+): ")


def _position(message: str, sheet: str) -> tuple[int, int, int]:
    """Where a problem's cell is, to list problems down the form: the hidden sheet's first, then row by row."""
    m = _REF.match(message)
    if m is None:
        return (0, 0, 0)
    letters = m.group(2)
    column = sum((ord(ch) - 64) * 26**k for k, ch in enumerate(reversed(letters)))
    return (m.group(1) == sheet, int(m.group(3)), column)
