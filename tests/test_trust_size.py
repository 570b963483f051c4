"""Issue 12 point 8, size: an update of a commitment with 10,000 progress entries parses that
block once (not three times); status and percent change by cytrack's own value renderer, and
a value written over several lines is found by the scanner over the block's head only (the
lines before its first entry); an xlsx date before 1900 is
text, never a negative serial.  Both are checked by counting work, not by timing; each also
runs against the broken variant (the old write path; dates always as serials), which must fail.
"""

from __future__ import annotations

import io
import re
import tomllib
import zipfile
from datetime import date, timedelta

import pytest
from reliability_kit import BASE, cli_forked, data_of, make_ledger, needs_fork

from cytrack.ledger import scan
from cytrack.store import edit
from cytrack.store import view as writeview


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages are checked word for word in English here (tests/test_language.py checks the Chinese)."""
    monkeypatch.setenv("CYTRACK_LANG", "en")


ENTRIES = 10_000


def _huge() -> str:
    start = date(1990, 1, 1)
    log = "".join(
        f'\n  [[commitments.progress]]\n  date = {start + timedelta(days=k)}\n  note = "第{k}次"\n'
        for k in range(ENTRIES)
    )
    return BASE.replace("due = 2025-12-31\n", "due = 2025-12-31\n" + log, 1)


def _old_write_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The broken variant: the block parsed again on a cache hit."""
    monkeypatch.setattr(writeview.View, "_data_from_cache", lambda self, i, window: None)


@needs_fork
@pytest.mark.parametrize("broken", [False, True], ids=["ours", "old-write-path"])
def test_an_update_of_a_10000_entry_commitment_parses_its_block_once(tmp_path, monkeypatch, broken):
    path = make_ledger(tmp_path, _huge())
    assert cli_forked(["--ledger", path, "list"]).rc == 0  # the parse cache holds it, as in daily use
    block = len(path.read_text(encoding="utf-8"))
    parsed: list[int] = []
    real_loads, real_plain = tomllib.loads, scan.read_plain

    def counting(text: str, **kw):  # type: ignore[no-untyped-def]
        parsed.append(len(text))
        return real_loads(text, **kw)

    def counting_plain(text: str):  # type: ignore[no-untyped-def]
        parsed.append(len(text))  # cytrack's reader of its own TOML subset parses as much
        return real_plain(text)

    monkeypatch.setattr(tomllib, "loads", counting)
    monkeypatch.setattr(scan, "read_plain", counting_plain)
    if broken:
        _old_write_path(monkeypatch)
    args = ["update", "2-1", "--note", "第一万零一次", "--status", "in_progress", "--percent", "40",
            "--date", "2026-11-26"]
    # in this process (the counters must see the calls), through the real write path
    from cytrack.commands.session import Session
    from cytrack.commands.write import update_cmd

    code = update_cmd(Session(str(path)), cid="2-1", note=args[3], status="in_progress", percent="40",
                      when="2026-11-26")
    assert code in (0, None)
    work = sum(parsed)
    if broken:  # what the property forbids: the block parsed twice
        assert work > 1.8 * block
        return
    assert work < 1.2 * block, work
    c = next(c for c in data_of(path)["commitments"] if c["id"] == "2-1")
    assert len(c["progress"]) == ENTRIES + 1 and c["progress"][-1]["note"] == "第一万零一次"
    assert (c["status"], c["percent"]) == ("in_progress", 40)


@pytest.mark.parametrize("broken", [False, True], ids=["ours", "whole-block"])
def test_a_value_over_several_lines_is_found_by_scanning_the_head_of_a_long_block_only(monkeypatch, broken):
    """A value written over several lines (``\"\"\"…\"\"\"``) is replaced after scanning the head only."""
    head = ['[[commitments]]\n', 'id = "2-1"\n', 'status = """not_started"""\n', "percent = 0\n"]
    log = [f"  [[commitments.progress]]\n  date = 2020-01-01\n  note = \"{k}\"\n" for k in range(2_000)]
    block = head + [line for entry in log for line in entry.splitlines(keepends=True)]
    real_advance = scan._Scan.advance
    stepped: list[int] = []

    def counting(self, line, i, stop=False):  # type: ignore[no-untyped-def]
        stepped.append(1)
        return real_advance(self, line, i, stop)

    monkeypatch.setattr(scan._Scan, "advance", counting)
    if broken:  # the kinds of the whole block worked out before the head is read
        monkeypatch.setattr(edit, "iter_kinds", lambda lines: iter(list(scan.iter_kinds(lines))))
    new = edit.set_values(block, {"status": "in_progress", "percent": 40})
    assert tomllib.loads("".join(new))["commitments"][0]["status"] == "in_progress"
    assert new[len(head):] == block[len(head):]
    if broken:
        assert len(stepped) > len(block)
        return
    assert len(stepped) < 50, len(stepped)


@pytest.mark.parametrize("broken", [False, True], ids=["ours", "always-serial"])
def test_an_xlsx_date_before_1900_is_text(tmp_path, monkeypatch, broken):
    text = BASE.replace('  date = 2026-10-01\n', '  date = 1899-06-01\n', 1)
    path = make_ledger(tmp_path, text)
    if broken:
        from cytrack.render import xlsx_style

        def always_serial(target, value):  # type: ignore[no-untyped-def]
            target.value = value

        monkeypatch.setattr(xlsx_style, "set_date", always_serial)
    out = tmp_path / "台账.xlsx"
    run = cli_forked(["--ledger", path, "export", "--format", "xlsx", "--output", out, "--as-of", "2026-11-30"])
    assert run.rc == 0, run.err
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        shared = z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in z.namelist() else ""
    negative = re.findall(r"<v>-\d+(?:\.\d+)?</v>", sheets)
    if broken:  # what the property forbids: a negative date serial
        assert negative
        return
    assert negative == []
    assert "1899-06-01" in sheets + shared
