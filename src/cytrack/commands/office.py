"""``reply add`` and ``reply list``: the replies of an office ledger (contract §6)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cytrack.i18n.messages import listing, message
from cytrack.ledger.errors import LedgerUnusable, ReadOnlyLedger, UsageError
from cytrack.render.terminal import say, write_plain

if TYPE_CHECKING:
    from cytrack.commands.session import Session
    from cytrack.ledger.model import Office

REPLIES_DIR = "replies"
PATTERN = "replies/*.toml"
_INCLUDE_LINE = re.compile(r"(?m)^([ \t]*include[ \t]*=[ \t]*\[)([^\]\n]*)(\][ \t]*(?:#[^\n]*)?)$")
_SCHEMA_LINE = re.compile(r"(?m)^[ \t]*schema[ \t]*=[^\n]*\n?")


def _toml_string(text: str) -> str:
    """A TOML basic string of ``text`` (one line: control characters escaped)."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def reply_text(
    *, kind: str, number: str, title: str, proposer: str | None, lead_unit: str | None, co_units: list[str],
    replied: date | None, category: str | None, session: str | None, year: int | None, key: str | None,
    since: date | None,
) -> str:
    """A new reply file: ``schema = 1`` and its ``[source]``, ready for ``cytrack add --reply KEY``."""
    lines = ["schema = 1", "", "[source]", f"kind = {_toml_string(kind)}", f"proposal = {_toml_string(number)}",
             f"title = {_toml_string(title)}"]
    if proposer:
        lines.append(f"proposer = {_toml_string(proposer)}")
    if lead_unit:
        lines.append(f"lead_unit = {_toml_string(lead_unit)}")
    if co_units:
        lines.append(f"co_units = [{', '.join(_toml_string(u) for u in co_units)}]")
    if category:
        lines.append(f"category = {_toml_string(category)}")
    if session:
        lines.append(f"session = {_toml_string(session)}")
    if year is not None:
        lines.append(f"year = {year}")
    if key:
        lines.append(f"key = {_toml_string(key)}")
    if replied is not None:
        lines.append(f"replied = {replied.isoformat()}")
    if since is not None:
        lines.append(f"tracking_since = {since.isoformat()}")
    return "\n".join(lines) + "\n"


def with_pattern(text: str, pattern: str, newline: str = "\n") -> str:
    """The entry file's text with ``pattern`` in its ``include`` (added after ``schema`` when it has none).

    Only that one line changes or is added; every other byte stays.  An ``include`` array
    written over several lines is not edited: the caller then asks for a hand edit.
    """
    from cytrack.ledger.office import top_part

    head = top_part(text.encode("utf-8")).decode("utf-8")
    found = _INCLUDE_LINE.search(head)
    if found is not None:
        inner = found.group(2).rstrip()
        joined = f"{inner}, {_toml_string(pattern)}" if inner.strip() else _toml_string(pattern)
        return text[: found.start(2)] + joined + text[found.end(2) :]
    spread = re.search(r"(?m)^[ \t]*include[ \t]*=[ \t]*\[", head)
    if spread:
        return _with_pattern_on_its_line(text, spread.end() - 1, pattern, newline)
    line = f"include = [{_toml_string(pattern)}]{newline}"
    schema = _SCHEMA_LINE.search(head)
    if schema is None:
        return line + text
    end = schema.end()
    if not text[:end].endswith("\n"):
        return text[:end] + newline + line.rstrip("\r\n") + text[end:]
    return text[:end] + line + text[end:]


def _with_pattern_on_its_line(text: str, start: int, pattern: str, newline: str) -> str:
    """An ``include`` array written one pattern a line gets ``pattern`` on a line of its own
    before the closing ``]``, indented like the others; comments and every other byte stay.
    Only an array whose last pattern has its comma and whose ``]`` stands on its own line is
    edited so; any other shape is left to a person."""
    from cytrack.ledger.scan import string_array

    found = string_array(text, start)
    closing = text.rfind("\n", start, found.end) + 1 if found else -1
    if found is None or not found.comma_after_last or text[closing : found.end - 1].strip():
        raise LedgerUnusable(message("include_multiline", pattern=pattern))
    first = re.search(r"\n([ \t]*)[\"']", text[start : found.end])
    indent = first.group(1) if first else "  "
    return text[:closing] + f"{indent}{_toml_string(pattern)},{newline}" + text[closing:]


def _covered(entry: str, patterns: tuple[str, ...], target: str) -> bool:
    import os

    from cytrack.ledger.office import matches

    want = os.path.normcase(os.path.abspath(target))
    return any(os.path.normcase(os.path.abspath(p)) == want for p in matches(entry, patterns))


def reply_add_cmd(
    s: Session,
    *,
    kind: str = "proposal",
    number: str | None = None,
    title: str | None = None,
    proposer: str | None = None,
    lead_unit: str | None = None,
    co_unit: list[str] | None = None,
    replied: str | None = None,
    category: str | None = None,
    session: str | None = None,
    year: int | None = None,
    key: str | None = None,
) -> int:
    from cytrack.i18n import office_word, reply_name
    from cytrack.ledger.model import CATEGORIES, KINDS, default_key
    from cytrack.ledger.office import include_patterns, load_office
    from cytrack.store.outputs import create_file
    from cytrack.textsafe import one_line

    if kind not in KINDS:
        raise UsageError(message("unknown_kind", kind=kind, values=listing(KINDS)))
    if not number or not number.strip():
        raise UsageError(message("reply_needs_number"))
    if not title or not title.strip():
        raise UsageError(message("reply_needs_title"))
    if category is not None and category not in CATEGORIES:
        raise UsageError(message("bad_category", values=listing(CATEGORIES), value=category))
    number = number.strip()
    name = key or default_key(kind, number)
    if not name or not all(ch.isalnum() or ch in "-_" for ch in name) or name[0] in "-.":
        raise UsageError(message("bad_reply_key", key=name))
    location = s.location
    if location.bundled:
        raise ReadOnlyLedger(message("bundled_reply", path=location.path))
    entry = str(location.path)
    office = load_office(entry).office
    if office.reply(name) is not None:
        held = office.reply(name)
        raise UsageError(message("reply_exists", key=name, path=held.path if held else entry))
    when_replied = s.date(replied) if replied is not None else None
    text = reply_text(
        kind=kind, number=number, title=title.strip(), proposer=proposer, lead_unit=lead_unit, co_units=co_unit or [],
        replied=when_replied, category=category, session=session, year=year, key=key,
        since=None if when_replied is not None else s.today,
    )
    folder = Path(entry).parent
    target = folder / REPLIES_DIR / f"{name}.toml"
    shown = Path(entry).parent / REPLIES_DIR / f"{name}.toml"
    from cytrack.store.write import ledger_lock

    with ledger_lock(Path(entry)):
        try:
            create_file(target, text.encode("utf-8"))
        except FileExistsError:
            raise UsageError(message("reply_file_exists", path=shown)) from None
        try:
            raw = Path(entry).read_bytes()
            patterns, _ = include_patterns(raw, entry)
            added = not _covered(entry, patterns, str(target))
            if added:
                from cytrack.store.write import replace_ledger

                replace_ledger(Path(entry), _entry_with_pattern(Path(entry), raw))
        except BaseException:
            target.unlink(missing_ok=True)  # the command failed: no reply file left outside the ledger
            raise
    write_plain(one_line(office_word(s.lang, "reply_added", reply=name, path=shown,
                                     name=reply_name(s.lang, kind, number, title.strip()))))
    if added:
        say(office_word(s.lang, "include_added", path=entry, pattern=PATTERN))
    return 0


def _entry_with_pattern(entry: Path, raw: bytes) -> bytes:
    """The entry file with ``include = ["replies/*.toml"]`` added (lock held): one line, the rest
    byte for byte; raises (exit 3) when that cannot be done safely."""
    import tomllib

    from cytrack.ledger.load import decode_ledger
    from cytrack.store.write import encode

    lt = decode_ledger(str(entry), raw)
    try:
        new_text = with_pattern(lt.text, PATTERN, lt.newline)
    except LedgerUnusable as exc:
        raise LedgerUnusable(f"{entry}: {exc.message}") from None
    try:
        data = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        data = {}
    if PATTERN not in (data.get("include") or []):
        raise LedgerUnusable(message("include_disturbs", path=entry, pattern=PATTERN))
    return encode(lt, new_text)


def _reply_rows(office: Office, as_of: date) -> list[dict[str, Any]]:
    from cytrack.core.query import states
    from cytrack.core.state import LIGHTS
    from cytrack.ledger.model import STATUS_VALUES

    rows = []
    everything = states(office, as_of)
    by_key: dict[str, list[Any]] = {r.source.key: [] for r in office.replies}
    for st in everything:
        by_key[st.reply].append(st)
    for r in office.replies:
        src = r.source
        items = by_key[src.key]
        by_status = dict.fromkeys(STATUS_VALUES, 0)
        lights = dict.fromkeys(LIGHTS, 0)
        for st in items:
            by_status[str(st.status)] += 1
            light = st.light
            if light is not None:
                lights[light] += 1
        rows.append({
            "reply": src.key, "kind": src.kind, "number": src.proposal, "title": src.title, "year": src.year,
            "session": src.session or None, "lead_unit": src.lead_unit or None,
            "replied": src.replied.isoformat() if src.replied else None, "file": r.path,
            "total": len(items), "by_status": by_status, "lights": lights,
        })
    return rows


def reply_list_cmd(
    s: Session, *, fmt: str = "table", as_of: str | None = None, kind: str | None = None, year: int | None = None
) -> int:
    office = s.office(None, [kind] if kind else None, [year] if year is not None else None)
    rows = _reply_rows(office, s.date(as_of))
    if fmt == "json":
        from cytrack.render.jsonout import to_json

        write_plain(to_json(rows))
        return 0
    from cytrack.render.office import reply_table

    s.out.print(reply_table(rows, s.lang, s.out.width))
    return 0
