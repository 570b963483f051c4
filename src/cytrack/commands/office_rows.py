"""``list --format json`` of an office ledger from per-file row caches (issue 16, performance).

The rows of one reply file as of a day are a function of the file's bytes, that day, its
path and whether the ledger holds several replies.  So they are kept in the cache folder
beside the file's parse-cache entry, under a name made of all four, and a warm
``list --format json`` with no filters reads each file (to hash it), reads its rows and
writes them out, without building 20,000 commitments again.  Anything unusual (a filter,
a file that does not load, a nested include, keys used twice, caching off) returns None
and the ordinary path runs and says what it always says.
"""

from __future__ import annotations

import marshal
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cytrack.cache import folder as cache

if TYPE_CHECKING:
    from cytrack.commands.session import Session

ROWS_FORMAT = 2
ROWS_SUFFIX = ".rows"


def _name(digest: str, path: str, as_of: date, multi: bool) -> str:
    """The rows file of one reply file; the language is part of the name (its warnings are worded in it)."""
    from cytrack.i18n.core import current

    tag = cache.key(f"{ROWS_FORMAT}\0{path}\0{as_of.isoformat()}\0{int(multi)}\0{current()}".encode())[:16]
    return f"{digest}-{tag}{ROWS_SUFFIX}"


def _compute(
    name: str, raw: bytes, as_of: date, multi: bool
) -> tuple[str, list[str], list[str], list[list[int]]] | None:
    """(key, warnings, row texts sorted by id, [days overdue, row] of the overdue ones) of one reply
    file, or None when it does not load cleanly."""
    from cytrack.core.query import id_key, qualified, row
    from cytrack.core.state import state_of
    from cytrack.ledger.errors import LedgerUnusable
    from cytrack.ledger.load import load_ledger
    from cytrack.render.jsonout import _flat_rows, _safe

    try:
        result = load_ledger(name, raw)
    except LedgerUnusable:
        return None
    reply = result.ledger
    if reply is None:
        return None
    key, start = reply.source.key, reply.source.start
    ordered = sorted(reply.commitments, key=lambda c: id_key(c.id))
    rows = [row(state_of(qualified(c, key) if multi else c, as_of, start, reply=key)) for c in ordered]
    texts = _flat_rows(rows)
    if texts is None:
        return None
    late = [[r["days_overdue"], i] for i, r in enumerate(rows) if r["days_overdue"] is not None]
    return key, [str(w) for w in result.warnings], [_safe(t) for t in texts], late


def office_list_json(s: Session, as_of: date) -> str | None:
    """The whole ``list --format json`` text of an office ledger, or None for the ordinary path."""
    parts = _parts(s, as_of)
    if parts is None:
        return None
    texts = [t for _, rows, _ in parts for t in rows]
    return "[\n" + ",\n".join(texts) + "\n]\n" if texts else "[]\n"


def office_overdue_json(s: Session, as_of: date) -> tuple[str, int] | None:
    """``overdue --format json`` of an office ledger and how many rows, or None for the ordinary path.

    Most overdue first, ties in id order, as ``core.reports.overdue_report`` sorts."""
    parts = _parts(s, as_of)
    if parts is None:
        return None
    late = [(days, rows[i]) for _, rows, marks in parts for days, i in marks]
    late.sort(key=lambda pair: -pair[0])  # stable: the id order of the parts stays among equal days
    texts = [t for _, t in late]
    return ("[\n" + ",\n".join(texts) + "\n]\n" if texts else "[]\n"), len(texts)


def _parts(s: Session, as_of: date) -> list[tuple[str, list[str], list[list[int]]]] | None:
    """Every reply file's rows (key order), warnings printed; None when the ordinary path must run."""
    where = cache.folder()
    if where is None or s.location.bundled:
        return None
    from cytrack.i18n.messages import message
    from cytrack.ledger.errors import LedgerUnusable, Problem
    from cytrack.ledger.load import load_ledger, read_ledger_bytes
    from cytrack.ledger.office import file_has_include, holds_reply, include_patterns, matches, unmatched

    entry = str(s.location.path)
    if not file_has_include(entry):
        return None
    try:
        raw = read_ledger_bytes(entry)
        patterns, line = include_patterns(raw, entry)
        if not patterns:
            return None
        first = load_ledger(entry, raw)
    except LedgerUnusable:
        return None
    if first.ledger is None:
        return None
    names = matches(entry, patterns)
    own = holds_reply(first.ledger, patterns)
    files = ([entry] if own else []) + names
    multi = len(files) > 1
    warnings = [str(w) for w in first.warnings]
    for p in unmatched(entry, patterns):
        warnings.append(str(Problem(entry, line, message("include_no_match", pattern=p), warning=True)))
    with cache.many_saves():  # a changed file's new parse-cache entry: the folder is pruned once
        parts = _each(files, entry, raw, where, as_of, multi, warnings)
    if parts is None:
        return None
    keys = [k.casefold() for k, _, _ in parts]
    if len(set(keys)) != len(keys):
        return None  # keys used twice: the ordinary path reports it
    from cytrack.core.query import _key_order

    if multi:
        parts.sort(key=lambda p: _key_order(p[0]))
    from cytrack.render.terminal import say

    for w in warnings:
        say(w)
    return parts


def _each(
    files: list[str], entry: str, raw: bytes, where: Path, as_of: date, multi: bool, warnings: list[str]
) -> list[tuple[str, list[str], list[list[int]]]] | None:
    from cytrack.ledger.errors import LedgerUnusable
    from cytrack.ledger.load import read_ledger_bytes
    from cytrack.ledger.office import has_include

    parts: list[tuple[str, list[str], list[list[int]]]] = []
    saves: list[tuple[Path, bytes]] = []
    for name in files:
        try:
            body = raw if name == entry else read_ledger_bytes(name)
        except LedgerUnusable:
            return None
        if name != entry and has_include(body):
            return None
        digest = cache.key(body)
        spot = where / _name(digest, name, as_of, multi)
        found = None
        blob = cache.read_signed(spot)  # MAC-checked first: marshal never sees a forged file
        if blob is not None:
            try:
                found = marshal.loads(blob)
            except (ValueError, EOFError, TypeError):
                found = None
        if not (isinstance(found, tuple) and len(found) == 4):
            found = _compute(name, body, as_of, multi)
            if found is None:
                return None
            saves.append((spot, marshal.dumps(found)))
        key, file_warnings, texts, late = found
        warnings += file_warnings
        parts.append((key, texts, late))
    for spot, blob in saves:
        _save(spot, blob)
    return parts


def _save(spot: Path, blob: bytes) -> None:
    """Best effort, signed as the cache's entries are (``cache.save_signed``); never an error."""
    cache.save_signed(spot, blob)
