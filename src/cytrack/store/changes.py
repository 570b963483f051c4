"""The write commands as changes: check what was typed, then edit the re-read ledger.

Each ``new_*`` function checks the values (``UsageError``, exit 2, before any lock is
taken) and returns a change.  ``store.write_change`` calls its ``apply`` under the
lock with a view of the ledger just re-read and validated (``store.view.View``); ``apply``
reads only the target commitment's block and returns an ``Edit``: the new lines, where
they go, the data those lines must read back as, and the ``Outcome`` to tell the user.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from cytrack.core.query import parse_status
from cytrack.core.state import effective_due, status_after
from cytrack.i18n.messages import listing, message
from cytrack.ledger.errors import LedgerUnusable, UsageError
from cytrack.ledger.model import DUE_BASES, RHYTHMS, Status, ascii_id
from cytrack.ledger.scan import content_end
from cytrack.store.edit import (
    insert_key,
    insert_table,
    new_block,
    set_values,
)
from cytrack.store.view import Edit, Outcome, View
from cytrack.textsafe import has_control, one_line


def _text(option: str, value: str | None, *, required: bool = False, single: bool = False) -> str | None:
    """A text option, trimmed; empty counts as not given.  Control characters are refused
    (newline and tab are fine in free text), so they never reach the ledger."""
    value = value.replace("\r\n", "\n").strip() if value is not None else ""
    if not value:
        if required:
            raise UsageError(message("option_required", option=option))
        return None
    if has_control(value) or (single and "\n" in value):
        what = "line_break" if single and "\n" in value and not has_control(value) else "control_character"
        raise UsageError(message("option_holds", option=option, what=message(what), value=one_line(value)[:60]))
    return value


def _percent(value: int | str | None) -> int | None:
    if value is None:
        return None
    text = str(value).strip().removesuffix("%").strip()
    if not re.fullmatch(r"[+-]?\d+", text) or not 0 <= int(text) <= 100:
        raise UsageError(message("bad_percent", value=str(value)))
    return int(text)


def _append_entry(
    view: View, i: int, kind: str, entry: dict[str, Any], values: dict[str, Any]
) -> tuple[int, int, list[str], dict[str, Any]]:
    """Insert ``entry`` in date order into the ``kind`` log of commitment ``i`` and set ``values``.

    Works on the commitment's block alone.  Returns the old block's line range (without the
    blank and comment lines after it), its new lines and the intended data.
    """
    block = _Block(view, i)
    block.insert(kind, entry, values)
    return block.start, block.end, block.lines, block.data


class _Block:
    """Commitment ``i``'s block as it is being edited: its lines and the data they must read as.

    Several entries can go into one block in turn (``ProgressBatch``); each lands in date
    order among the ones already there, the new ones included.
    """

    def __init__(self, view: View, i: int) -> None:
        window = view.block(i)
        self.view, self.i = view, i
        old, self.index = view.commitment_data(i, window)
        end = content_end(window.lines, 0, len(window.lines))
        self.following = window.lines[end] if end < len(window.lines) else window.following
        self.lines = window.lines[:end]
        self.start, self.end = window.first, window.first + end
        self.data: dict[str, Any] = dict(old)

    def insert(self, kind: str, entry: dict[str, Any], values: dict[str, Any]) -> None:
        entries = self.data.get(kind, [])
        k = sum(1 for e in entries if e["date"] <= entry["date"])  # after the last one dated on or before it
        try:
            block = insert_table(self.lines, f"commitments.{kind}", k, len(entries), entry, self.following)
        except ValueError:
            cid = self.view.ids[self.i]
            raise LedgerUnusable(
                message("log_not_tables", path=self.view.path, line=self.start + 1, kind=kind, cid=cid)
            ) from None
        missing = {key: v for key, v in values.items() if key not in self.data}
        for key, value in missing.items():  # only percent is optional among the values an entry sets
            block = insert_key(block, self.index.commitment(0).keys["status"] - 1, key, value)
        present = {key: v for key, v in values.items() if key in self.data}
        if present:
            block = set_values(block, present)
        self.lines = block
        self.data = {**self.data, kind: [*entries[:k], entry, *entries[k:]], **values}


STARTED = "started"  # a percent above 0 on a not-started commitment also set in_progress
COMPLETED = "completed"  # done without a percent also set 100
FULL_NOT_CLOSED = "full_not_closed"  # 100 % alone: the status stays; closing needs done


def resolve_progress(
    current_status: Status | str,
    current_percent: int,
    status: Status | str | None,
    percent: int | None,
) -> tuple[Status | None, int | None, tuple[str, ...]]:
    """What a progress entry sets, once status follows progress (contract §7).

    ``current_*`` are the commitment's values just before the entry (as of its date);
    ``status``/``percent`` what the entry was given (None: not given).  Returns the status
    and percent the entry records (None: it does not set it) and notes naming each rule
    that applied, for the confirmation line:

    - a percent above 0 on a ``not_started`` commitment, without a status, also sets
      ``in_progress`` (``STARTED``);
    - ``done`` without a percent also sets 100 (``COMPLETED``, noted when it was below);
    - a percent of 100 alone does not close a commitment (``FULL_NOT_CLOSED`` when open).

    ``cytrack update`` applies it to the one entry it writes; an import applies it to each
    entry in date order, passing the values the previous entries left.
    """
    current = Status(current_status)
    wanted = Status(status) if status is not None else None
    notes: list[str] = []
    if wanted is None and percent is not None and percent > 0 and current is Status.NOT_STARTED:
        wanted = Status.IN_PROGRESS
        notes.append(STARTED)
    if wanted is Status.DONE and percent is None:
        percent = 100
        if current_percent != 100:
            notes.append(COMPLETED)
    if percent == 100 and status is None and not current.closed:
        notes.append(FULL_NOT_CLOSED)
    return wanted, percent, tuple(notes)


class ProgressChange(NamedTuple):
    """``cytrack update``: one progress entry, and the current status/percent it sets."""

    cid: str
    on: date
    note: str
    status: Status | None = None
    percent: int | None = None
    by: str | None = None
    evidence: str | None = None

    def apply(self, view: View) -> Edit:
        c, i = view.locate(self.cid)
        before = sum(1 for e in c.progress if e.date <= self.on)  # the entry goes after these
        status, percent, notes = resolve_progress(*status_after(c, before), self.status, self.percent)
        entry: dict[str, Any] = {"date": self.on}
        if status is not None:
            entry["status"] = status.value
        if percent is not None:
            entry["percent"] = percent
        entry["note"] = self.note
        entry.update({k: v for k, v in (("by", self.by), ("evidence", self.evidence)) if v is not None})
        # The stored status/percent must say what the latest entry says: a back-dated
        # entry does not override a value that a later entry set.
        later = [e for e in c.progress if e.date > self.on]
        values: dict[str, Any] = {}
        kept: list[str] = []
        for key in ("status", "percent"):
            if key in entry:
                if any(getattr(e, key) is not None for e in later):
                    kept.append(key)
                else:
                    values[key] = entry[key]
        start, end, block, expected = _append_entry(view, i, "progress", entry, values)
        outcome = Outcome(
            "update", c.id, c.title, expected["status"], expected.get("percent", 0), on=self.on,
            kept=tuple(kept), later=later[-1].date if kept else None, notes=notes,
        )
        return Edit(start, end, block, i, expected, outcome)


def new_progress(
    cid: str,
    on: date,
    note: str | None,
    *,
    status: str | None = None,
    percent: int | str | None = None,
    by: str | None = None,
    evidence: str | None = None,
    force: bool = False,
) -> ProgressChange:
    """Check the values of ``cytrack update`` (exit 2 when bad) and make the change."""
    text = _text("note", note, required=True)
    assert text is not None
    st = parse_status(status) if status is not None else None
    pct = _percent(percent)
    ev = _text("evidence", evidence)
    if st is Status.DONE and ev is None and not force:
        raise UsageError(message("done_needs_evidence"))
    return ProgressChange(cid.strip(), on, text, st, pct, _text("by", by, single=True), ev)


def note_key(note: str) -> str:
    """A note as compared to tell whether an entry is in the log already: line endings and the
    spaces at the ends of lines do not count (office suites change them when they re-save)."""
    return "\n".join(line.rstrip() for line in note.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()


class ProgressBatch(NamedTuple):
    """``cytrack import``: several progress entries, on one or more commitments, in one write.

    An entry whose commitment already holds one with the same date and note (``note_key``)
    is recognised and left out, here under the lock, so applying the same batch twice adds
    nothing.  The entries of one commitment go into its block in date order (ties in the
    order given); each sets the stored status/percent unless a later entry sets them.
    """

    changes: tuple[ProgressChange, ...]

    def apply_all(self, view: View) -> list[Edit]:
        by_index: dict[int, list[ProgressChange]] = {}
        for change in self.changes:
            _c, i = view.locate(change.cid)
            by_index.setdefault(i, []).append(change)
        edits = []
        for i, changes in sorted(by_index.items()):
            c = view.commitment(i)
            seen = {(e.date, note_key(e.note)) for e in c.progress}
            block: _Block | None = None
            last: date | None = None
            count = 0
            for change in sorted(changes, key=lambda ch: ch.on):
                if (change.on, note_key(change.note)) in seen:
                    continue
                seen.add((change.on, note_key(change.note)))
                block = block or _Block(view, i)
                status, percent, _notes = resolve_progress(
                    *_values_before(block.data, change.on), change.status, change.percent
                )
                entry = _entry_of(change._replace(status=status, percent=percent))
                later = [e for e in block.data.get("progress", []) if e["date"] > change.on]
                values = {k: entry[k] for k in ("status", "percent") if k in entry and not any(k in e for e in later)}
                block.insert("progress", entry, values)
                last, count = change.on, count + 1
            if block is not None:
                data = block.data
                status, percent = data["status"], data.get("percent", 0)
                outcome = Outcome("update", c.id, c.title, status, percent, on=last, entries=count)
                edits.append(Edit(block.start, block.end, block.lines, i, data, outcome))
        return edits


def _values_before(data: dict[str, Any], on: date) -> tuple[str, int]:
    """A commitment's status and percent just before a new entry dated ``on`` (contract §1): set by
    the latest entry dated on or before ``on`` that sets them, else stored, unless a later entry
    sets them (then ``not_started`` and 0).  ``data`` is the commitment as a TOML table."""
    log = data.get("progress", [])
    found = []
    for key, default in (("status", "not_started"), ("percent", 0)):
        earlier = [e[key] for e in log if e["date"] <= on and key in e]
        later = any(key in e for e in log if e["date"] > on)
        found.append(earlier[-1] if earlier else default if later else data.get(key, default))
    return found[0], found[1]


def _entry_of(change: ProgressChange) -> dict[str, Any]:
    """A progress entry's table, keys in the order the contract writes them."""
    entry: dict[str, Any] = {"date": change.on}
    if change.status is not None:
        entry["status"] = change.status.value
    if change.percent is not None:
        entry["percent"] = change.percent
    entry["note"] = change.note
    entry.update({k: v for k, v in (("by", change.by), ("evidence", change.evidence)) if v is not None})
    return entry


class ExtensionChange(NamedTuple):
    """``cytrack extend``: an approved extension (延期); the original ``due`` stays."""

    cid: str
    on: date
    new_due: date
    reason: str
    approved_by: str | None = None

    def apply(self, view: View) -> Edit:
        c, i = view.locate(self.cid)
        old_due, _ext = effective_due(c, self.on)
        if old_due is not None and self.new_due <= old_due:
            raise UsageError(
                message("extend_not_later", to=self.new_due.isoformat(), cid=c.id, on=self.on.isoformat(),
                        due=old_due.isoformat())
            )
        entry: dict[str, Any] = {"date": self.on, "new_due": self.new_due, "reason": self.reason}
        if self.approved_by is not None:
            entry["approved_by"] = self.approved_by
        start, end, block, expected = _append_entry(view, i, "extensions", entry, {})
        outcome = Outcome(
            "extend", c.id, c.title, expected["status"], expected.get("percent", 0), on=self.on,
            new_due=self.new_due, old_due=old_due,
        )
        return Edit(start, end, block, i, expected, outcome)


def new_extension(cid: str, on: date, new_due: date, reason: str | None, by: str | None = None) -> ExtensionChange:
    """Check the values of ``cytrack extend`` (exit 2 when bad) and make the change."""
    text = _text("reason", reason, required=True)
    assert text is not None
    return ExtensionChange(cid.strip(), on, new_due, text, _text("by", by, single=True))


class CommitmentChange(NamedTuple):
    """``cytrack add``: a new commitment, not started, after the last one of its section."""

    fields: dict[str, Any]  # everything but the id, in the order written

    def apply(self, view: View) -> Edit:
        section = self.fields["section"]
        cid = self.fields.get("id") or next_id(view.ids, section)
        at_taken = view.position(cid)
        if at_taken is not None:
            taken = view.commitment(at_taken)
            raise UsageError(message("id_taken", cid=cid, line=taken.line, title=one_line(taken.title)))
        fields = {"id": cid, **{k: v for k, v in self.fields.items() if k != "id"}}
        # After the last commitment of its section (or an earlier one), else after the text
        # before the first commitment, else at the end of a ledger that has none.
        anchor = _anchor(view.sections, section)
        window = view.block(anchor) if anchor is not None else view.head()
        lines = window.lines
        at = content_end(lines, 0, len(lines)) if view.ids else len(lines)
        around = [*lines, window.following] if window.following is not None else lines
        new = new_block(around, at, fields, view.newline)
        outcome = Outcome("add", cid, fields["title"], "not_started", 0)
        fix_eol = window.following is None and at == len(lines) and bool(lines) and not lines[-1].endswith("\n")
        position = anchor + 1 if anchor is not None else 0
        start = window.first + at
        return Edit(start, start, new, position, fields, outcome, added=True, fix_eol=fix_eol)


def _anchor(sections: Sequence[int], section: int) -> int | None:
    """The index to add after: the last commitment of ``section``, else of an earlier section
    (``sections`` holds each commitment's section, in file order)."""
    same = [n for n, s in enumerate(sections) if s == section]
    if same:
        return same[-1]
    earlier = [n for n, s in enumerate(sections) if s < section]
    return earlier[-1] if earlier else None


def next_id(ids: Sequence[str], section: int) -> str:
    """``S-N`` with N one more than the highest N used in section S, so no id is ever reused."""
    pattern = re.compile(rf"{section}-(\d+)")
    used = [int(m.group(1)) for cid in ids if (m := pattern.fullmatch(cid.strip()))]
    n = max(used, default=0) + 1
    taken = {cid.casefold() for cid in ids}
    while f"{section}-{n}".casefold() in taken:
        n += 1
    return f"{section}-{n}"


def _ascii_only(cid: str | None) -> str | None:
    """``add --id``: ids are ASCII; a look-alike (full-width digits, en dash, minus sign, …) is
    refused with its ASCII form as the hint (contract §10)."""
    if cid is not None and "/" in cid:  # "/" joins a reply's key and an id: 1181/2-3 (contract §6)
        raise UsageError(message("id_has_slash", cid=cid))
    if cid is None or cid.isascii():
        return cid
    plain = ascii_id(cid)
    hint = message("id_did_you_mean", plain=plain) if plain.isascii() else message("id_use_ascii")
    raise UsageError(message("id_not_ascii", cid=cid, hint=hint))


def new_commitment(
    *,
    section: int | None,
    title: str | None,
    lead: str | None,
    quote: str | None = None,
    co_owners: list[str] | None = None,
    due: date | None = None,
    due_basis: str | None = None,
    review: str | None = None,
    tags: list[str] | None = None,
    cid: str | None = None,
) -> CommitmentChange:
    """Check the values of ``cytrack add`` (exit 2 when bad) and make the change."""
    if section is None or section < 1:
        raise UsageError(message("add_needs_section"))
    fields: dict[str, Any] = {"id": _ascii_only(_text("id", cid, single=True)), "section": section}
    fields["title"] = _text("title", title, required=True, single=True)
    if quote is not None:
        fields["quote"] = _text("quote", quote, required=True)
    fields["lead"] = _text("lead", lead, required=True, single=True)
    fields["co_owners"] = [_text("co-owner", x, required=True, single=True) for x in co_owners or []]
    fields.update(status="not_started", percent=0)
    if due is not None:
        fields["due"] = due
    if due_basis is not None:
        if due is None:
            raise UsageError(message("due_basis_alone"))
        if due_basis not in DUE_BASES:
            raise UsageError(message("bad_due_basis", values=listing(DUE_BASES), value=due_basis))
        fields["due_basis"] = due_basis
    if review is not None:
        if review not in RHYTHMS:
            raise UsageError(message("bad_review", values=listing(RHYTHMS), value=review))
        fields["review"] = review
    fields["tags"] = [_text("tag", x, required=True, single=True) for x in tags or []]
    return CommitmentChange(fields)
