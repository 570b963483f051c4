"""Ledger text → ``Ledger`` plus a list of problems; also where the ledger is found.

Why a text does not parse is said by ``diagnose``; the rules of a parsed ledger are in ``validate``.

The read path is: size cap → strict UTF-8 (a BOM is accepted) → refuse NUL bytes and
git conflict markers → TOML 1.0 via tomllib → nesting cap → schema checks → model.
Problems are collected as values; ``load_ledger`` raises ``LedgerUnusable`` only when
there is at least one error, so a command never runs on a ledger it cannot trust.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cytrack.cache import folder as cache
from cytrack.i18n.messages import message, os_reason
from cytrack.ledger.errors import LedgerUnusable, Problem
from cytrack.ledger.model import Commitment, Extension, Ledger, ProgressEntry, Source, Status, default_key

if TYPE_CHECKING:  # the parser, the line scanner and the checks are imported on a cache miss only
    from cytrack.ledger.scan import LineIndex

MAX_BYTES = 64 * 1024 * 1024
LET_GO = 1 << 20  # characters; ``load_ledger`` keeps the parse data of smaller ledgers in its result
LEDGER_ENV = "CYTRACK_LEDGER"
DEFAULT_RELATIVE = Path("data") / "commitments.toml"
BOM = "\ufeff"
ZERO_RUN = "\x00" * 8  # no text encoding cytrack might meet writes eight zero bytes in a row


class LedgerLocation(NamedTuple):
    """Where the ledger was found, and whether it is the read-only copy inside the package."""

    path: Path
    bundled: bool = False
    how: str = "flag"


class LedgerText:
    """A ledger file decoded (``text`` without the BOM), with the details a writer must preserve."""

    __slots__ = ("bom", "newline", "path", "raw", "text")

    def __init__(self, path: str, text: str, bom: bool = False, newline: str = "\n", raw: bytes = b"") -> None:
        self.path, self.text, self.bom, self.newline, self.raw = path, text, bom, newline, raw


class LoadResult:
    """A load's model (None when there are errors), every problem, and the parse data when kept."""

    __slots__ = ("data", "index", "ledger", "problems")

    def __init__(
        self,
        ledger: Ledger | None,
        problems: list[Problem] | None = None,
        data: dict[str, Any] | None = None,
        index: LineIndex | None = None,
    ) -> None:
        self.ledger, self.data, self.index = ledger, data, index
        self.problems = problems if problems is not None else []

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def bundled_ledger_path() -> Path:
    """The copy of the shipped ledger that lives inside the installed package."""
    from importlib import resources  # ~2 ms, and only this fallback needs it

    return Path(str(resources.files("cytrack") / "data" / "commitments.toml"))


def locate_ledger(flag: str | None, cwd: Path | None = None) -> LedgerLocation:
    """Contract §2: ``--ledger`` > ``$CYTRACK_LEDGER`` > nearest ``data/commitments.toml`` > bundled."""
    if flag:
        return LedgerLocation(Path(flag), how="flag")
    env = os.environ.get(LEDGER_ENV)
    if env:
        return LedgerLocation(Path(env), how="env")
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / DEFAULT_RELATIVE
        if candidate.is_file():
            return LedgerLocation(_relative(candidate, here), how="found")
    return LedgerLocation(bundled_ledger_path(), bundled=True, how="bundled")


def _relative(path: Path, base: Path) -> Path:
    try:
        return Path(os.path.relpath(path, base))
    except ValueError:  # another drive on Windows
        return path


def _guess_encoding(body: bytes) -> tuple[str, str]:
    """The likely encoding of a ledger that is not UTF-8, for iconv, and a sentence saying so."""
    head = body[:400]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16", message("looks_utf16")
    if head.count(b"\x00") > len(head) // 4:  # no BOM: the zero high bytes of ASCII say which end is which
        return ("UTF-16LE" if head[1::2].count(0) > head[0::2].count(0) else "UTF-16BE"), message("looks_utf16")
    try:
        body.decode("gb18030")
    except UnicodeDecodeError:
        return "ENCODING", message("looks_unknown")
    return "GB18030", message("looks_gbk")


def decode_ledger(path: str, raw: bytes) -> LedgerText:
    """Strict UTF-8 (BOM accepted and remembered); refuses other encodings and NUL bytes."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if bom else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        zeros = body.find(ZERO_RUN.encode())
        if zeros >= 0 or exc.reason == "unexpected end of data":
            at = body.count(b"\n", 0, zeros) + 1 if zeros >= 0 else line
            damage = "damaged_zeros" if zeros >= 0 else "damaged_cut"
            raise LedgerUnusable(message(damage, path=path, line=at)) from None
        source, guess = _guess_encoding(body)
        name = Path(path).name
        raise LedgerUnusable(
            message("not_utf8", path=path, line=line, byte=f"0x{body[exc.start]:02X}", guess=guess)
            + message("resave", source=source, name=name)
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        zeros = text.find(ZERO_RUN)
        if zeros >= 0:  # UTF-16 text has no such run: this is a crash's or a full disk's zero fill
            raise LedgerUnusable(message("damaged_zeros", path=path, line=text.count("\n", 0, zeros) + 1))
        source, guess = _guess_encoding(body)
        if source.startswith("UTF-16"):
            name = Path(path).name
            raise LedgerUnusable(
                message("nul_utf16", path=path, line=line, guess=guess) + message("resave", source=source, name=name)
            )
        raise LedgerUnusable(message("nul_byte", path=path, line=line))
    newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1 or None] else "\n"
    return LedgerText(path, text, bom=bom, newline=newline, raw=raw)


def read_ledger_text(path: str | Path) -> LedgerText:
    """Read and decode a ledger file, refusing what is too large before reading it."""
    return decode_ledger(str(path), read_ledger_bytes(path))


def read_ledger_bytes(path: str | Path) -> bytes:
    """The ledger file's bytes, refusing what is too large, or not a plain file, before reading it."""
    from cytrack.ledger.rawfile import KIND_KEYS, NotRegularFile, read_regular

    shown = str(path)
    try:
        raw, st = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise LedgerUnusable(message("no_ledger", path=shown)) from None
    except PermissionError:
        raise LedgerUnusable(message("no_permission", path=shown)) from None
    except NotRegularFile as exc:
        if exc.kind == "a folder":
            raise LedgerUnusable(message("is_folder", path=shown)) from None
        kind = message(KIND_KEYS.get(exc.kind, "kind_special"))
        raise LedgerUnusable(message("not_plain", path=shown, kind=kind)) from None
    except IsADirectoryError:
        raise LedgerUnusable(message("is_folder", path=shown)) from None
    except OSError as exc:
        raise LedgerUnusable(message("unreadable", path=shown, reason=os_reason(exc))) from None
    if st.st_size > MAX_BYTES:
        size_text = f"{st.st_size / 1048576:.1f}"
        raise LedgerUnusable(message("too_large", path=shown, size=size_text, limit=MAX_BYTES // 1048576))
    if len(raw) > MAX_BYTES:  # it grew while being read
        raise LedgerUnusable(message("over_limit", path=shown, limit=MAX_BYTES // 1048576))
    return raw


def _share_keys(value: Any) -> Any:
    """The same data with every table key interned.

    tomllib makes a new string for each key it reads: a million copies of "date" and "note"
    in a 20,000-commitment ledger, ~40 MB that this gives back before the line index is built.
    """
    if type(value) is dict:
        return {sys.intern(k): _share_keys(v) if type(v) in (dict, list) else v for k, v in value.items()}
    if type(value) is list:
        for i, v in enumerate(value):  # in place, so each old table is freed as soon as it is replaced
            if type(v) in (dict, list):
                value[i] = _share_keys(v)
    return value


def parse_toml(lt: LedgerText) -> tuple[dict[str, Any] | None, list[Problem]]:
    """TOML 1.0 parse with tomllib; a syntax error becomes a ``Problem`` with line and column.

    Nesting is judged on the parsed data (and on tomllib's ``RecursionError``), not on the raw
    text, so a note that merely contains many ``[`` is not mistaken for deep nesting.
    """
    import tomllib

    from cytrack.ledger.diagnose import (
        MAX_DEPTH,
        deep_line,
        empty_problem,
        marker_problems,
        nesting_depth,
        syntax_problem,
    )
    from cytrack.ledger.scan import conflict_marker_lines

    markers = conflict_marker_lines(lt.text)
    if markers:
        return None, marker_problems(lt, markers)
    too_deep = message("too_deep", depth=MAX_DEPTH)
    try:
        data = tomllib.loads(lt.text)
    except tomllib.TOMLDecodeError as exc:
        return None, [syntax_problem(lt, exc)]
    except RecursionError:
        return None, [Problem(lt.path, deep_line(lt.text), too_deep)]
    if nesting_depth(data) > MAX_DEPTH:
        return None, [Problem(lt.path, deep_line(lt.text, data), too_deep)]
    if not data:
        return None, [empty_problem(lt)]
    # Interning pays for itself in memory only on a large ledger; a small one skips the extra pass.
    return (_share_keys(data) if len(lt.text) > LET_GO else data), []


def parse_indexed(lt: LedgerText) -> tuple[dict[str, Any] | None, LineIndex | None, list[Problem]]:
    """The TOML data and the line index of ``lt``, or None and the problems.

    A text in the subset cytrack writes is read by ``scan.read_plain`` (data and index in one
    pass, equal to what tomllib and ``index_lines`` give); any other text by ``parse_toml`` and
    ``index_lines``, so tomllib stays the judge of everything outside the subset.
    """
    from cytrack.ledger.scan import conflict_marker_lines, index_lines, read_plain

    if not conflict_marker_lines(lt.text):
        plain = read_plain(lt.text)
        if plain is not None:
            if not plain[0]:
                from cytrack.ledger.diagnose import empty_problem

                return None, None, [empty_problem(lt)]
            return plain[0], plain[1], []  # nesting is bounded by the subset: tables of tables of arrays
    data, problems = parse_toml(lt)
    if data is None:
        return None, None, problems
    return data, index_lines(lt.text), []


def load_text(lt: LedgerText) -> LoadResult:
    """Parse, validate and build the model from decoded text; never raises for data problems."""
    from cytrack.ledger.validate import validate_data

    data, index, problems = parse_indexed(lt)
    if data is None or index is None:
        return LoadResult(None, problems)
    problems = validate_data(data, index, lt.path)
    if any(not p.warning for p in problems):
        return LoadResult(None, problems, data, index)
    return LoadResult(build_ledger(lt.path, data, index), problems, data, index)


def load_ledger(path: str | Path, raw: bytes | None = None) -> LoadResult:
    """Read, validate and build; raises ``LedgerUnusable`` (exit 3) listing every error.

    A ledger whose exact bytes were loaded before comes from the parse cache (``cache.py``):
    only fully valid ledgers are cached, so a hit needs no decoding or checking again.
    The result has no ``data`` or ``index`` when it came from the cache or the ledger is over
    ``LET_GO`` characters (``load_text`` always gives them).
    """
    if raw is None:
        raw = read_ledger_bytes(path)
    hit = cache.find_entry(raw, str(path))
    if hit is not None:
        return LoadResult(hit.ledger, list(hit.warnings))
    entry = cache.entry_for(raw)
    lt = decode_ledger(str(path), raw)
    lt.raw = raw = b""  # nobody reads the bytes again: freeing them lowers the peak of a large parse
    if len(lt.text) > LET_GO:
        with cache.paused_gc():
            result, layout = _load_large(lt, entry is not None)
        del lt
        if result.errors:
            raise LedgerUnusable(
                message("ledger_problems", path=path, count=len(result.errors)), problems=result.errors
            )
        if entry is not None and result.ledger is not None:
            cache.store_entry(entry, result.ledger, result.warnings, layout)
        return result
    with cache.paused_gc():
        result = load_text(lt)
    if result.errors:
        raise LedgerUnusable(
            message("ledger_problems", path=path, count=len(result.errors)),
            problems=result.errors,
        )
    if entry is not None and result.ledger is not None and result.index is not None:
        layout = cache.layout_of(lt.text, result.index, lt.bom)
        del lt
        cache.store_entry(entry, result.ledger, result.warnings, layout)
    return result


def _load_large(lt: LedgerText, want_layout: bool) -> tuple[LoadResult, Any]:
    """``load_text`` for a ledger over ``LET_GO`` characters, holding as little at once as it can.

    The same checks in the same order, but what nothing needs any more is let go before the
    next large thing is made: the block layout (for the cache entry) is taken while the text
    and the line index are there, then the text goes, and the model is built from the TOML data
    one commitment at a time, each table dropped as soon as its record exists. With 20,000
    commitments the text, the data and the model were otherwise all alive at once (~300 MiB).
    The result keeps no ``data`` or ``index`` (as before for ledgers this size).
    """
    from cytrack.ledger.validate import validate_data

    data, index, problems = parse_indexed(lt)
    if data is None or index is None:
        return LoadResult(None, problems), None
    problems = validate_data(data, index, lt.path)
    if any(not p.warning for p in problems):
        return LoadResult(None, problems), None
    layout = cache.layout_of(lt.text, index, lt.bom) if want_layout else None
    lt.text = ""  # the caller reads nothing of it again
    ledger = build_ledger(lt.path, data, index, consume=True)
    return LoadResult(ledger, problems), layout


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else ()


def build_commitment(c: dict[str, Any], index: LineIndex | None = None, i: int = 0) -> Commitment:
    """One validated ``[[commitments]]`` table as a ``Commitment``."""
    progress = []
    for j, e in enumerate(c.get("progress", [])):
        status = e.get("status")
        progress.append(
            ProgressEntry(
                date=e["date"],
                note=e["note"],
                status=Status(status) if status is not None else None,
                percent=e.get("percent"),
                by=e.get("by"),
                evidence=e.get("evidence"),
                line=index.entry("progress", i, j).line if index else 0,
            )
        )
    extensions = [
        Extension(
            date=e["date"],
            new_due=e["new_due"],
            reason=e.get("reason", ""),
            approved_by=e.get("approved_by"),
            line=index.entry("extensions", i, j).line if index else 0,
        )
        for j, e in enumerate(c.get("extensions", []))
    ]
    return Commitment(
        id=c["id"],
        section=c["section"],
        title=c["title"],
        quote=c.get("quote", ""),
        lead=c.get("lead", ""),
        lead_basis=c.get("lead_basis"),
        co_owners=_tuple(c.get("co_owners")),
        status=Status(c.get("status", "not_started")),
        percent=c.get("percent", 0),
        due=c.get("due"),
        due_basis=c.get("due_basis"),
        review=c.get("review"),
        tags=_tuple(c.get("tags")),
        progress=tuple(progress),
        extensions=tuple(extensions),
        line=index.commitment(i).line if index else 0,
    )


def build_ledger(path: str, data: dict[str, Any], index: LineIndex | None = None, consume: bool = False) -> Ledger:
    """The validated data as an immutable ``Ledger``.

    With ``consume`` each commitment's table is removed from ``data`` once its record is built
    (``data["commitments"]`` is left empty), so the two never both exist whole.
    """
    src = data.get("source", {})
    replied = src.get("replied")
    replied = replied if isinstance(replied, date) else None
    since = src.get("tracking_since")
    since = since if isinstance(since, date) else None
    kind = src.get("kind", "proposal")
    number = src.get("proposal", "")
    year = src.get("year")
    if not isinstance(year, int):
        year = replied.year if replied else since.year if since else None
    source = Source(
        proposal=src.get("proposal", ""),
        title=src.get("title", ""),
        proposer=src.get("proposer", ""),
        lead_unit=src.get("lead_unit", ""),
        co_units=_tuple(src.get("co_units")),
        signed_by=src.get("signed_by", ""),
        category=src.get("category", ""),
        feedback=src.get("feedback", ""),
        replied=replied,
        kind=kind,
        session=src.get("session", ""),
        year=year,
        key=src.get("key") or default_key(kind, number),
        tracking_since=since,
    )
    sections = {int(k): v for k, v in data.get("sections", {}).items()}
    tables = data.get("commitments", [])
    if consume and type(tables) is list:
        built = []
        for i in range(len(tables)):
            built.append(build_commitment(tables[i], index, i))
            tables[i] = None
        tables.clear()
        commitments = tuple(built)
        del built
    else:
        commitments = tuple(build_commitment(c, index, i) for i, c in enumerate(tables))
    return Ledger(path=path, source=source, sections=sections, commitments=commitments)
