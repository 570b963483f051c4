"""Shared pieces of the hardening tests (``test_hardening_*.py``): a runner, oracles, ledgers.

The runner does not use the ``cli`` fixture so that hypothesis tests can call it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from unittest import mock

import typer
import typer.testing
from typer.testing import CliRunner

from cytrack.cli import app

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "commitments.toml"
DATA = Path(__file__).resolve().parent / "data"

# Exit codes of contract §4; anything else (70 is the last-guard "internal error") is a crash.
DOCUMENTED_EXITS = {0, 1, 2, 3}

# A colour code cytrack itself emits: SGR, ESC [ params m.  Any other ESC is a leak.
SGR = re.compile(r"\x1b\[[0-9;]*m")
# Raw characters that must never reach a terminal: C0 except TAB/LF (CR separately), DEL, C1, bidi controls.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")

_RUNNER = CliRunner()
_ENV = {
    "CYTRACK_LEDGER": None, "NO_COLOR": None, "COLUMNS": "100", "FORCE_COLOR": None, "CYTRACK_DEBUG": None,
    "CYTRACK_LANG": "en",  # the oracles here read English messages; tests/test_language.py reads the Chinese
}


@cache
def _command() -> object:
    """The click command behind ``app``, built once (Typer would rebuild it for every run)."""
    return typer.main.get_command(app)


def run(*args: object, env: dict[str, str | None] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    """Run ``cytrack`` in-process with a clean environment; exceptions propagate (a traceback fails the test)."""
    # Typer's runner rebuilds the click command from ``app`` on every call (~20 ms); hand it the one built once.
    with mock.patch.object(typer.testing, "_get_command", lambda _app: _command()):
        return _RUNNER.invoke(
            app, [str(a) for a in args], env={**_ENV, **(env or {})}, catch_exceptions=False, **kwargs
        )


@cache
def command_paths() -> frozenset[str]:
    """Every registered command, sub-commands as ``"report weekly"``."""
    found: set[str] = set()
    stack = [("", _command())]
    while stack:
        prefix, group = stack.pop()
        for name, cmd in getattr(group, "commands", {}).items():
            path = f"{prefix} {name}".strip()
            found.add(path)
            stack.append((path, cmd))
    return frozenset(found)


@cache
def options_of(path: str) -> frozenset[str]:
    """The option names a registered command takes (empty when it is not registered)."""
    cmd = _command()
    for part in path.split():
        cmd = getattr(cmd, "commands", {}).get(part)
        if cmd is None:
            return frozenset()
    return frozenset(opt for p in cmd.params for opt in getattr(p, "opts", ()))


def leaks(text: str, *, colour: bool = False, csv_rows: bool = False) -> list[str]:
    """What in ``text`` could act on a terminal: raw controls, stray ESC sequences, CR.

    ``colour`` allows SGR colour codes (cytrack's own); ``csv_rows`` allows the CRLF row ends of CSV.
    """
    found = []
    if colour:
        text = SGR.sub("", text)
    if "\x1b" in text:
        found.append(f"ESC not part of a colour code: {text[max(text.index(chr(27)) - 20, 0):][:60]!r}")
    if csv_rows:
        text = text.replace("\r\n", "\n")
    if "\r" in text:
        found.append(f"raw CR: {text[max(text.index(chr(13)) - 20, 0):][:60]!r}")
    m = UNSAFE.search(text)
    if m:
        found.append(f"raw U+{ord(m.group()):04X}: {text[max(m.start() - 20, 0):][:60]!r}")
    return found


def problem_lines(stderr: str, path: Path | str) -> list[str]:
    """The ``FILE:LINE[:COL]: message`` lines of ``stderr`` for ``path``."""
    prefix = f"{path}:"
    return [line for line in stderr.splitlines() if line.startswith(prefix) and line[len(prefix):][:1].isdigit()]


def line_of(text: str, needle: str, start: int = 1) -> int:
    """The 1-based number of the first line at or after ``start`` that contains ``needle``."""
    for number, line in enumerate(text.split("\n"), start=1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not found")


def toml_str(value: str) -> str:
    """``value`` as a TOML basic string: control characters as ``\\uXXXX``, everything else as it is."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(toml_str(v) for v in values) + "]"


# A progress log and extensions on 2-1 and 3-2 of the shipped ledger, as a keeper would write them.
LOG_2_1 = """
  [[commitments.progress]]
  date = 2026-03-02
  status = "in_progress"
  percent = 20
  note = "行动方案已报市政府审定。"
  by = "产业发展处"
  evidence = "渝经信发〔2026〕12号"

  [[commitments.progress]]
  date = 2026-06-15
  percent = 45
  note = "首批12个重点项目开工。"
  by = "产业发展处"

  [[commitments.extensions]]
  date = 2025-12-10
  new_due = 2026-06-30
  reason = "配套资金下达推迟。"
  approved_by = "分管副市长"
"""

LOG_3_2 = """
  [[commitments.progress]]
  date = 2026-01-20
  status = "blocked"
  note = "用地指标未落实。"
  evidence = "市科技局会议纪要〔2026〕3号"
"""


def realistic_ledger() -> str:
    """The shipped ledger with a progress log and an extension on 2-1 and a blocked 3-2."""
    text = SHIPPED.read_text(encoding="utf-8")
    for cid, block, status, percent in (("2-1", LOG_2_1, "in_progress", 45), ("3-2", LOG_3_2, "blocked", 0)):
        start = text.index(f'id = "{cid}"')
        head, tail = text[:start], text[start:]
        tail = tail.replace('status = "not_started"\npercent = 0', f'status = "{status}"\npercent = {percent}', 1)
        text = add_to_commitment(head + tail, cid, block)
    return text


def add_to_commitment(text: str, cid: str, block: str) -> str:
    """``block`` inserted after the last key line of commitment ``cid`` (blank and comment lines
    before the next ``[[commitments]]`` belong to the next one)."""
    lines = text.split("\n")
    start = line_of(text, f'id = "{cid}"') - 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("[[commitments]]")), len(lines))
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return "\n".join(lines[:end] + [""] + block.strip("\n").split("\n") + lines[end:])
