"""The office ledger (contract §6): the entry file, its ``include`` patterns and every reply file.

The entry file (``data/commitments.toml``) may hold one reply as before and/or
``include = ["replies/*.toml"]``.  Each pattern is a glob relative to the entry file's
folder; its matches are taken in sorted order, a file matched twice once.  Every file is
loaded on its own through ``load.load_ledger``, so each has its own parse-cache entry
(keyed by its bytes): after a ``git pull`` that changed five of 600 files, five are parsed.

Problems of every file are gathered and raised together (``FILE:LINE: message``), so a
command never runs on an office it cannot trust; ``check_office`` gives them as values
for ``validate``.  A ledger without ``include`` is an office of one reply, read exactly
as before.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from cytrack.cache import folder as cache
from cytrack.i18n.messages import message
from cytrack.ledger.errors import LedgerUnusable, Problem
from cytrack.ledger.lazyre import Lazy
from cytrack.ledger.load import LoadResult, decode_ledger, load_ledger, load_text, read_ledger_bytes
from cytrack.ledger.model import Ledger, Office, Source, default_key

_INCLUDE = re.compile(rb"(?m)^[ \t]*include[ \t]*=")
_HEADER = re.compile(rb"(?m)^[ \t]*\[")
HEAD_BYTES = 65536


def top_part(raw: bytes) -> bytes:
    """The text before the first table header: where a top-level ``include`` must stand in TOML."""
    found = _HEADER.search(raw)
    return raw if found is None else raw[: found.start()]


def has_include(raw: bytes) -> bool:
    return _INCLUDE.search(top_part(raw)) is not None


def file_has_include(path: str | Path) -> bool:
    """Whether the file has a top-level ``include =`` line, reading only its head when it can."""
    from cytrack.ledger.rawfile import open_regular

    try:
        with open_regular(path) as f:  # a FIFO or a device is not waited on
            head = f.read(HEAD_BYTES)
            if len(head) == HEAD_BYTES and _HEADER.search(head) is None:
                head += f.read()
    except OSError:
        return False  # whoever reads the file next says what is wrong with it
    return has_include(head)
_SOURCE_KEY = Lazy(r"(?m)^[ \t]*key[ \t]*=")
_SOURCE_HEADER = Lazy(r"(?m)^[ \t]*\[[ \t]*source[ \t]*\]")


class OfficeResult(NamedTuple):
    """A loaded office and the warnings of all its files (errors raise instead)."""

    office: Office
    warnings: list[Problem]


def include_patterns(raw: bytes, path: str) -> tuple[tuple[str, ...], int]:
    """The entry file's ``include`` patterns and their line (``(), 0`` when it has none).

    Only a file with an ``include =`` line is parsed for them, so a ledger of one reply
    (the everyday case) costs one byte search here.  A file whose patterns are not valid
    is reported by its own validation; here they read as none.
    """
    found = _INCLUDE.search(top_part(raw))
    if found is None:
        return (), 0
    from cytrack.ledger.scan import read_plain

    line = raw.count(b"\n", 0, found.start()) + 1
    try:
        text = decode_ledger(path, raw).text
    except LedgerUnusable:
        return (), line
    plain = read_plain(text)  # an entry file as cytrack writes it; tomllib (~5 ms to import) for any other
    if plain is not None:
        data = plain[0]
    else:
        import tomllib

        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError):
            return (), line
    if "include" not in data:
        return (), 0  # an "include =" line inside a table: not the entry file's patterns
    value = data["include"]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return (), line
    return tuple(value), line


def holds_reply(ledger: Ledger, patterns: tuple[str, ...]) -> bool:
    """Whether the entry file is a reply itself: always without ``include``; with it, when it has
    a ``[source]`` with a number or title, or commitments."""
    if not patterns:
        return True
    s = ledger.source
    return bool(ledger.commitments or s.proposal or s.title or ledger.sections)


def matches(entry: str, patterns: tuple[str, ...]) -> list[str]:
    """The included files, as paths beside the entry path: sorted per pattern, each once."""
    import glob

    folder = os.path.dirname(entry)
    seen: set[str] = set()
    out: list[str] = []
    me = os.path.normcase(os.path.abspath(entry))
    for pattern in patterns:
        for name in sorted(glob.glob(pattern, root_dir=folder or ".")):
            path = os.path.join(folder, name) if folder else name
            norm = os.path.normcase(os.path.abspath(path))
            # Folders and dangling links are not files to include; a FIFO or a device is, and is
            # refused by the reader at once (contract §10), never skipped in silence.
            if norm in seen or norm == me or os.path.isdir(path) or not os.path.exists(path):
                continue
            seen.add(norm)
            out.append(path)
    return out


def unmatched(entry: str, patterns: tuple[str, ...]) -> list[str]:
    import glob

    folder = os.path.dirname(entry) or "."
    return [p for p in patterns if not glob.glob(p, root_dir=folder)]


_TABLE_ARRAY = re.compile(rb"(?m)^[ \t]*\[\[")
HEAD_KEY_BYTES = 4096
_SOURCE_TABLE = re.compile(rb"(?m)^[ \t]*\[[ \t]*source[ \t]*\]")
_SOURCE_NAME = re.compile(rb"(?m)^[ \t]*[\"']?(?:key|kind|proposal)\b")
_PLAIN_VALUE = re.compile(rb"[ \t]*(key|kind|proposal)[ \t]*=[ \t]*\"([^\"\\\r\n]*)\"[ \t]*(?:#[^\n]*)?\r?$", re.M)


def head_key(path: str) -> str | None:
    """The reply key a file declares, read from its head alone: ``""`` when the
    file holds no ``[source]`` number or key, ``None`` when the head cannot tell (unreadable,
    no ``[source]`` before the first ``[[``, or ``key``/``kind``/``proposal`` written other
    than as a plain one-line string).

    A write to ``KEY/ID`` reads only ``KEY.toml``; this tells it, for a few bytes a file,
    whether another file claims the same key (then the whole office is read and the key
    reported as used twice, contract §6).
    """
    from cytrack.ledger.rawfile import open_regular

    try:
        with open_regular(path) as f:
            raw = f.read(HEAD_KEY_BYTES)
            found = _TABLE_ARRAY.search(raw)
            if found is None and len(raw) == HEAD_KEY_BYTES:
                raw += f.read()
                found = _TABLE_ARRAY.search(raw)
    except OSError:
        return None
    head = raw if found is None else raw[: found.start()]
    table = _SOURCE_TABLE.search(head)
    if table is None:  # none, or one that follows the commitments or is written another way
        return "" if found is None and b"source" not in head else None
    after = _HEADER.search(head, table.end())
    block = head[table.end() : after.start() if after else len(head)]
    if b'"""' in block or b"'''" in block:
        return None
    values: dict[bytes, bytes] = {}
    for name in _SOURCE_NAME.finditer(block):  # key, kind, proposal: plain one-line strings
        plain = _PLAIN_VALUE.match(block, name.start())
        if plain is None or plain.group(1) in values:
            return None  # written another way (escapes, a number, twice): the full read decides
        values[plain.group(1)] = plain.group(2)
    try:
        number = values.get(b"proposal", b"").decode("utf-8")
        key = values.get(b"key", b"").decode("utf-8") or default_key(values.get(b"kind", b"").decode("utf-8"), number)
    except UnicodeDecodeError:
        return None
    return key


def _key_line(path: str) -> int:
    """The line of ``key =`` in a reply file's ``[source]`` (else of ``[source]``, else 1)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return 1
    head = _SOURCE_HEADER.search(text)
    start = head.start() if head else 0
    found = _SOURCE_KEY.search(text, start)
    at = found.start() if found else start
    return text.count("\n", 0, at) + 1


def _nested_include(path: str, raw: bytes) -> Problem | None:
    patterns, line = include_patterns(raw, path)
    if line:
        return Problem(path, line, "an included reply file cannot include others; move its include to the entry file")
    return None


def _duplicates(replies: list[Ledger]) -> list[Problem]:
    """Reply keys used twice, each named with both files (contract §6)."""
    first: dict[str, Ledger] = {}
    out = []
    for r in replies:
        k = r.source.key.casefold()
        if k in first:
            other = first[k]
            out.append(
                Problem(r.path, _key_line(r.path), message("reply_key_twice", key=r.source.key, path=other.path))
            )
        else:
            first[k] = r
    return out


def load_office(path: str | Path) -> OfficeResult:
    """Every reply the entry file reaches; raises ``LedgerUnusable`` listing every error of every file."""
    entry = str(path)
    raw = read_ledger_bytes(entry)
    first = load_ledger(entry, raw)
    patterns, line = include_patterns(raw, entry)
    del raw
    assert first.ledger is not None
    warnings = list(first.warnings)
    if not patterns:
        return OfficeResult(Office(entry, (first.ledger,)), warnings)
    replies = [first.ledger] if holds_reply(first.ledger, patterns) else []
    errors: list[Problem] = []
    for pattern in unmatched(entry, patterns):
        warnings.append(Problem(entry, line, message("include_no_match", pattern=pattern), warning=True))
    with cache.many_saves():
        loaded = _load_each(matches(entry, patterns), errors)
    for result in loaded:
        assert result.ledger is not None
        warnings.extend(result.warnings)
        replies.append(result.ledger)
    errors.extend(_duplicates(replies))
    if errors:
        raise LedgerUnusable(
            message("office_problems", path=entry, count=len(errors)), problems=errors
        )
    return OfficeResult(Office(entry, tuple(replies), patterns), warnings)


def _load_each(names: list[str], errors: list[Problem]) -> list[LoadResult]:
    """Every reply file loaded on its own (each a parse-cache entry); problems go to ``errors``."""
    loaded = []
    for name in names:
        try:
            body = read_ledger_bytes(name)
            nested = _nested_include(name, body) if has_include(body) else None
            if nested is not None:
                errors.append(nested)
                continue
            loaded.append(load_ledger(name, body))
        except LedgerUnusable as exc:
            errors.extend(exc.problems or [_as_problem(exc.message, name)])
    return loaded


def check_office(
    path: str | Path, extra: Callable[[LoadResult], list[Problem]] | None = None
) -> tuple[list[Problem], int]:
    """``validate``: every problem of every file, warnings too (no cache), and how many commitments.

    ``extra`` adds the warnings of checks that live outside ``ledger`` (contract §7's
    contradictions) for each file that loaded; each file's problems are in line order.
    """

    def of(result: LoadResult) -> list[Problem]:
        found = list(result.problems)
        if extra is not None and result.ledger is not None:
            found = sorted(found + extra(result), key=lambda p: p.line)
        return found

    entry = str(path)
    raw = read_ledger_bytes(entry)  # the entry file missing or unreadable: exit 3, as before
    first = load_text(decode_ledger(entry, raw))
    problems = of(first)
    patterns, line = include_patterns(raw, entry)
    del raw
    if not patterns:
        return problems, len(first.ledger.commitments) if first.ledger else 0
    replies: list[Ledger] = []
    if first.ledger is not None and holds_reply(first.ledger, patterns):
        replies.append(first.ledger)
    for pattern in unmatched(entry, patterns):
        problems.append(Problem(entry, line, message("include_no_match", pattern=pattern), warning=True))
    for name in matches(entry, patterns):
        try:
            body = read_ledger_bytes(name)
            nested = _nested_include(name, body) if has_include(body) else None
            if nested is not None:
                problems.append(nested)
                continue
            result = load_text(decode_ledger(name, body))
        except LedgerUnusable as exc:
            problems.extend(exc.problems or [_as_problem(exc.message, name)])
            continue
        problems.extend(of(result))
        if result.ledger is not None:
            replies.append(result.ledger)
        else:  # a file with problems still claims its key: a key used twice is said at once too
            key = head_key(name)
            if key:
                replies.append(Ledger(name, Source(key=key)))
    problems.extend(_duplicates(replies))
    return problems, sum(len(r.commitments) for r in replies)


def _as_problem(message: str, path: str) -> Problem:
    """``decode_ledger``'s messages start with ``PATH:LINE:`` or ``PATH:``; as a problem of that file."""
    m = re.match(re.escape(path) + r"(?::(\d+))?: ", message)
    if m is None:
        return Problem(path, 1, message)
    return Problem(path, int(m.group(1) or 1), message[m.end():])
