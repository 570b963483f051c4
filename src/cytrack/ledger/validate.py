"""The rules of a ledger (contract §1), one small function each, registered in ``CHECKS``.

Every check takes the parsed TOML data and a ``Where`` that turns a location into a
line, and returns problems as values; nothing here raises or touches the disk.
"""

from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from typing import Any, NamedTuple

from cytrack.i18n.messages import listing
from cytrack.i18n.messages import message as msg
from cytrack.ledger.errors import Problem
from cytrack.ledger.model import (
    CATEGORIES,
    DUE_BASES,
    FEEDBACK_VALUES,
    KINDS,
    RHYTHMS,
    STATUS_VALUES,
)
from cytrack.ledger.scan import LineIndex

TOP_KEYS = {"schema", "include", "source", "sections", "commitments"}
SOURCE_KEYS = {
    "proposal", "title", "proposer", "lead_unit", "co_units", "signed_by",
    "category", "feedback", "replied", "kind", "session", "year", "key", "tracking_since",
}
COMMITMENT_KEYS = {
    "id", "section", "title", "quote", "lead", "lead_basis", "co_owners", "status",
    "percent", "due", "due_basis", "review", "tags", "progress", "extensions",
}
PROGRESS_KEYS = {"date", "status", "percent", "note", "by", "evidence"}
EXTENSION_KEYS = {"date", "new_due", "reason", "approved_by"}


class Where:
    """Turns a place in the data into a ``Problem`` with the right file and line."""

    __slots__ = ("index", "path")

    def __init__(self, path: str, index: LineIndex) -> None:
        self.path, self.index = path, index

    def at(self, line: int, message: str, *, warning: bool = False) -> Problem:
        return Problem(self.path, line, message, warning=warning)

    def commitment(self, i: int, key: str | None = None) -> int:
        block = self.index.commitment(i)
        return block.key_line(key) if key else block.line

    def entry(self, kind: str, i: int, j: int, key: str | None = None) -> int:
        block = self.index.entry(kind, i, j)
        return block.key_line(key) if key else block.line


Check = Callable[[dict[str, Any], Where], Iterator[Problem]]


def _type_name(value: Any) -> str:
    for kind, key in _TYPE_NAMES:
        if isinstance(value, kind):
            return msg(key)
    return type(value).__name__


_TYPE_NAMES = (
    (bool, "type_bool"), (str, "type_str"), (int, "type_int"), (float, "type_float"), (datetime, "type_datetime"),
    (date, "type_date"), (time, "type_time"), (list, "type_list"), (dict, "type_table"),
)


# A status typed in Chinese in the file: said with the value to write instead.
_ZH_STATUS = {
    "未启动": "not_started", "推进中": "in_progress", "受阻": "blocked", "已办结": "done", "已终止": "dropped",
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def date_problem(name: str, value: Any) -> str | None:
    """Why ``value`` is not a TOML local date, or None when it is one."""
    if _is_date(value):
        return None
    if isinstance(value, str):
        return msg("date_quoted", name=name, value=value, key=name.rsplit(".", 1)[-1])
    return msg("date_type", name=name, type=_type_name(value))


def _string_problem(name: str, value: Any, *, required: bool = False, one_line: bool = False) -> str | None:
    if not isinstance(value, str):
        return msg("must_be_string", name=name, type=_type_name(value))
    if required and not value.strip():
        return msg("must_not_be_empty", name=name)
    if one_line and ("\n" in value or "\r" in value):
        return msg("must_be_one_line", name=name)
    return None


def _string_list_problem(name: str, value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return msg("must_be_strings", name=name)
    return None


def _unknown(keys: set[str], known: set[str], where: str, line_of: Callable[[str], int], w: Where) -> Iterator[Problem]:
    for key in sorted(keys - known):
        yield w.at(line_of(key), msg("unknown_key", key=key, where=where), warning=True)


def check_schema(data: dict[str, Any], w: Where) -> Iterator[Problem]:
    if "schema" not in data:
        yield w.at(1, msg("no_schema"))
        return
    value = data["schema"]
    if not _is_int(value) or value != 1:
        yield w.at(w.index.root.key_line("schema"), msg("bad_schema", value=value))


def check_top_level(data: dict[str, Any], w: Where) -> Iterator[Problem]:
    def line_of(key: str) -> int:
        block = w.index.tables.get(key)
        return block.line if block else w.index.root.key_line(key)

    yield from _unknown(set(data), TOP_KEYS, msg("top_level"), line_of, w)
    commitments = data.get("commitments", [])
    if not isinstance(commitments, list) or not all(isinstance(c, dict) for c in commitments):
        yield w.at(line_of("commitments"), msg("commitments_not_tables"))


def check_source(data: dict[str, Any], w: Where) -> Iterator[Problem]:
    if "source" not in data:
        return
    block = w.index.tables.get("source")
    source = data["source"]
    if not isinstance(source, dict):
        yield w.at(block.line if block else w.index.root.key_line("source"), msg("source_not_table"))
        return

    def line_of(key: str) -> int:
        return block.key_line(key) if block else w.index.root.key_line("source")

    yield from _unknown(set(source), SOURCE_KEYS, "[source]", line_of, w)
    for key, value in source.items():
        message = None
        if key == "co_units":
            message = _string_list_problem("source.co_units", value)
        elif key in ("replied", "tracking_since"):
            message = date_problem(f"source.{key}", value)
        elif key == "year":
            if not _is_int(value) or not 1949 <= value <= 9999:
                message = msg("bad_source_year", value=value)
        elif key == "key":
            message = _string_problem("source.key", value, required=True, one_line=True)
            if message is None and not _KEY_OK(value):
                message = msg("bad_source_key", value=value)
        elif key in SOURCE_KEYS:
            message = _string_problem(f"source.{key}", value)
        if message is None and key == "category" and value not in CATEGORIES:
            message = msg("one_of", name="source.category", values=listing(CATEGORIES), value=value)
        if message is None and key == "kind" and value not in KINDS:
            message = msg("one_of", name="source.kind", values=listing(KINDS), value=value)
        if message is None and key == "feedback" and value not in FEEDBACK_VALUES:
            message = msg("one_of", name="source.feedback", values=listing(FEEDBACK_VALUES), value=value)
        if message:
            yield w.at(line_of(key), message)


def _KEY_OK(value: str) -> bool:
    return bool(value) and all(ch.isalnum() or ch in "-_" for ch in value) and value[0] not in "-."


def check_include(data: dict[str, Any], w: Where) -> Iterator[Problem]:
    """``include`` (contract §6): an array of glob patterns relative to the entry file's folder."""
    if "include" not in data:
        return
    value = data["include"]
    line = w.index.root.key_line("include")
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        yield w.at(line, msg("include_not_patterns"))
        return
    for pattern in value:
        if pattern.startswith(("/", "\\")) or ".." in pattern.replace("\\", "/").split("/"):
            yield w.at(line, msg("include_outside", pattern=pattern))


def check_sections(data: dict[str, Any], w: Where) -> Iterator[Problem]:
    if "sections" not in data:
        return
    block = w.index.tables.get("sections")
    sections = data["sections"]
    line = block.line if block else w.index.root.key_line("sections")
    if not isinstance(sections, dict):
        yield w.at(line, msg("sections_not_table"))
        return
    for key, value in sections.items():
        key_line = block.key_line(key) if block else line
        if not key.isdigit() or int(key) < 1:
            yield w.at(key_line, msg("bad_section_key", key=key))
        elif not isinstance(value, str):
            yield w.at(key_line, msg("bad_section_heading", key=key))


def _commitments(data: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    items = data.get("commitments", [])
    if not isinstance(items, list):
        return []
    return [(i, c) for i, c in enumerate(items) if isinstance(c, dict)]


def _label(c: dict[str, Any], i: int) -> str:
    cid = c.get("id")
    if isinstance(cid, str) and cid.strip():
        return msg("commitment_named", cid=cid)
    return msg("commitment_numbered", n=i + 1)


def _percent_problem(name: str, value: Any) -> str | None:
    if not _is_int(value) or not 0 <= value <= 100:
        return msg("bad_percent_value", name=name, value=value)
    return None


def _status_problem(name: str, value: Any) -> str | None:
    if value not in STATUS_VALUES:
        if isinstance(value, str) and value.strip() in _ZH_STATUS:
            return msg("status_in_chinese", name=name, value=value, fix=_ZH_STATUS[value.strip()])
        return msg("one_of", name=name, values=listing(STATUS_VALUES), value=value)
    return None


def check_commitment_fields(data: dict[str, Any], w: Where) -> Iterator[Problem]:
    for i, c in _commitments(data):
        name = _label(c, i)

        def line_of(key: str, i: int = i) -> int:
            return w.commitment(i, key)

        yield from _unknown(set(c), COMMITMENT_KEYS, name, line_of, w)
        for key in ("id", "section", "title", "lead", "status"):
            if key not in c:
                yield w.at(w.commitment(i), msg("has_no", name=name, key=key))
        for key, value in c.items():
            message = _field_problem(key, value)
            if message:
                yield w.at(line_of(key), msg("named_problem", name=name, problem=message))


def _field_problem(key: str, value: Any) -> str | None:
    if key == "id":
        return _string_problem("id", value, required=True, one_line=True)
    if key == "section":
        if not _is_int(value) or value < 1:
            return msg("bad_section", value=value)
    elif key == "title":
        return _string_problem("title", value, required=True, one_line=True)
    elif key in ("quote", "lead"):
        return _string_problem(key, value, required=key == "lead")
    elif key in ("co_owners", "tags"):
        return _string_list_problem(key, value)
    elif key == "status":
        return _status_problem("status", value)
    elif key == "percent":
        return _percent_problem("percent", value)
    elif key == "due":
        return date_problem("due", value)
    elif key in ("due_basis", "lead_basis"):
        if value not in DUE_BASES:
            return msg("one_of", name=key, values=listing(DUE_BASES), value=value)
    elif key == "review":
        if value not in RHYTHMS:
            return msg("one_of", name="review", values=listing(RHYTHMS), value=value)
    elif key in ("progress", "extensions"):
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            return msg("log_not_array", key=key)
    return None


def check_unique_ids(data: dict[str, Any], w: Where) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for i, c in _commitments(data):
        cid = c.get("id")
        if not isinstance(cid, str) or not cid.strip():
            continue
        key = cid.strip().casefold()
        if key in seen:
            first = w.commitment(seen[key], "id")
            message = msg("duplicate_id", cid=cid, line=first)
            yield w.at(w.commitment(i, "id"), message)
        else:
            seen[key] = i


def _entries(c: dict[str, Any], kind: str) -> list[tuple[int, dict[str, Any]]]:
    items = c.get(kind, [])
    if not isinstance(items, list):
        return []
    return [(j, e) for j, e in enumerate(items) if isinstance(e, dict)]


def _progress_field(key: str, value: Any) -> str | None:
    if key == "date":
        return date_problem("date", value)
    if key == "note":
        return _string_problem("note", value, required=True)
    if key == "status":
        return _status_problem("status", value)
    if key == "percent":
        return _percent_problem("percent", value)
    if key in ("by", "evidence"):
        return _string_problem(key, value)
    return None


def _extension_field(key: str, value: Any) -> str | None:
    if key in ("date", "new_due"):
        return date_problem(key, value)
    if key in ("reason", "approved_by"):
        return _string_problem(key, value)
    return None


class LogKind(NamedTuple):
    """What differs between the two dated logs of a commitment: progress and extensions."""

    key: str  # "progress" or "extensions"
    named: str  # the message key naming one entry
    out_of_order: str  # the message key of an entry dated before the one above it
    known: set[str]
    required: tuple[str, ...]
    field_problem: Callable[[str, Any], str | None]


PROGRESS_LOG = LogKind(
    "progress", "progress_entry_named", "progress_out_of_order", PROGRESS_KEYS, ("date", "note"), _progress_field
)
EXTENSION_LOG = LogKind(
    "extensions", "extensions_entry_named", "extensions_out_of_order", EXTENSION_KEYS, ("date", "new_due"),
    _extension_field,
)


def _check_log(data: dict[str, Any], w: Where, kind: LogKind) -> Iterator[Problem]:
    """Every entry of one log: known keys, required keys, field types, oldest first."""
    for i, c in _commitments(data):
        name = _label(c, i)
        previous: date | None = None
        for j, e in _entries(c, kind.key):
            what = msg(kind.named, name=name, n=j + 1)

            def line_of(key: str, i: int = i, j: int = j) -> int:
                return w.entry(kind.key, i, j, key)

            yield from _unknown(set(e), kind.known, what, line_of, w)
            for key in kind.required:
                if key not in e:
                    yield w.at(w.entry(kind.key, i, j), msg("has_no", name=what, key=key))
            for key, value in e.items():
                message = kind.field_problem(key, value)
                if message:
                    yield w.at(line_of(key), msg("named_problem", name=what, problem=message))
            when = e.get("date")
            if _is_date(when):
                if previous is not None and when < previous:
                    yield w.at(
                        line_of("date"),
                        msg(kind.out_of_order, what=what, date=when.isoformat(), before=previous.isoformat()),
                    )
                previous = when


def check_progress(data: dict[str, Any], w: Where) -> Iterator[Problem]:
    yield from _check_log(data, w, PROGRESS_LOG)


def check_extensions(data: dict[str, Any], w: Where) -> Iterator[Problem]:
    yield from _check_log(data, w, EXTENSION_LOG)


def check_done_has_progress(data: dict[str, Any], w: Where) -> Iterator[Problem]:
    for i, c in _commitments(data):
        if c.get("status") == "done" and not _entries(c, "progress"):
            yield w.at(
                w.commitment(i, "status"),
                msg("done_without_progress", name=_label(c, i)),
            )


CHECKS: list[Check] = [
    check_schema,
    check_top_level,
    check_include,
    check_source,
    check_sections,
    check_commitment_fields,
    check_unique_ids,
    check_progress,
    check_extensions,
    check_done_has_progress,
]


def validate_data(data: dict[str, Any], index: LineIndex, path: str) -> list[Problem]:
    """Every problem and warning in ``data``, in line order."""
    w = Where(path, index)
    problems = [p for check in CHECKS for p in check(data, w)]
    return sorted(problems, key=lambda p: p.line)
