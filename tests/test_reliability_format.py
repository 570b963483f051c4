"""Random edits on a heavily commented ledger change only the target commitment's lines.

Hypothesis drives ``update``, ``extend`` and ``add`` through the real write path on a
ledger full of comments, odd quoting and layouts (LF, CRLF, CRLF with a BOM, no final
newline).  After every edit an oracle written independently of ``edit.py`` checks: the
diff lies inside the target commitment (or is one inserted block for ``add``); every
comment survives; the data is exactly the old data plus the change; BOM and newline
style are kept; a refused edit leaves the file byte-identical.  50 examples × 10 edits
(≥ 500 edits) run in a few seconds.  The same checker catches two broken writers.
"""

from __future__ import annotations

import bisect
import re
import tempfile
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_kit import break_writer

from cytrack.ledger.errors import CytrackError, UsageError
from cytrack.ledger.load import LedgerLocation
from cytrack.ledger.model import STATUS_VALUES
from cytrack.store import changes
from cytrack.store import write as store

COMMENTED = """\
# A heavily commented ledger #@c1
schema = 1  #@c2

[source]  #@c3
proposal = "1181"
title = "t # not a comment"   #@c4
lead_unit = "市经济信息委"

#@c5 about the sections
[sections]
"1" = "一"  #@c6
"2" = '二'

#@c7 —— （一） ——
[[commitments]]  #@c8
id = "1-1"   #@c9
section = 1
title = "A"
quote = \"\"\"多行
# 不是注释
引文\"\"\"
lead = '市发展改革委'   #@c10
#@c11 between keys
status = 'in_progress'  #@c12
percent = 10 #@c13
tags = [
  "a",  #@c14
  #@c15 inside an array

  "b",
]

  #@c16 above the first entry
  [[commitments.progress]]  #@c17
  date = 2026-10-01
  note = "启动 # hash"  #@c18

  #@c19 above the second entry
  [[commitments.progress]]
  date = 2026-10-20
  status = "in_progress"
  note = 'x'

#@c20 above 1-2
[[commitments]]
id = "1-2"
section = 1
title = "B"
lead = "L"
status = "not_started"   #@c21 no percent key
due = 2025-12-31

    [[commitments.extensions]]   #@c22
    date = 2025-12-01
    new_due = 2026-03-31
    reason = "r"

#@c23 —— （二） ——
[[commitments]]
id = "2-1"
section = 2
title = "C"
lead = "L"
status = "in_progress"
percent = 30
due = 2026-06-30
  [[commitments.progress]]
  date = 2026-11-01
  note = "n"
  [[commitments.extensions]]
  date = 2026-11-02
  new_due = 2027-01-01
  [[commitments.progress]]
  date = 2026-11-30
  percent = 30
  note = "m"
#@c24 straight above 2-2
[[commitments]]
id = "2-2"
section = 2
title = "D"
lead = "L"
status = "blocked"
percent = 20
#@c25 the end
"""

VARIANTS = {
    "lf": COMMENTED.encode(),
    "crlf": COMMENTED.replace("\n", "\r\n").encode(),
    "bom-crlf": b"\xef\xbb\xbf" + COMMENTED.replace("\n", "\r\n").encode(),
    "no-final-newline": COMMENTED.removesuffix("#@c25 the end\n").removesuffix("\n").encode(),
}
MARKER = re.compile(rb"#@c\d+")
HEADER = re.compile(r"\s*\[\[\s*commitments\s*\]\]")

TEXT = st.text(alphabet=st.sampled_from(list("ab 中文进展\"'\\#=[]{}.,:\n\t")), min_size=1, max_size=30).filter(
    lambda s: s.strip() != ""
)
LINE = TEXT.map(lambda s: s.replace("\n", " ").replace("\t", " ")).filter(lambda s: s.strip() != "")
DATES = st.dates(min_value=date(2025, 6, 1), max_value=date(2027, 6, 30))

OPS = st.one_of(
    st.tuples(st.just("update"), st.integers(0, 9), DATES, st.sampled_from((None, *STATUS_VALUES)),
              st.one_of(st.none(), st.integers(0, 100)), TEXT, st.one_of(st.none(), LINE)),
    st.tuples(st.just("extend"), st.integers(0, 9), DATES, DATES, TEXT),
    st.tuples(st.just("add"), st.integers(1, 3), LINE),
)


def _ids(data: dict[str, Any]) -> list[str]:
    return [c["id"] for c in data["commitments"]]


def _change(op: tuple, data: dict[str, Any]) -> tuple[Any, str | None]:
    """The store change for ``op``, and the id of the commitment it targets (None for add)."""
    if op[0] == "add":
        return changes.new_commitment(section=op[1], title=op[2], lead="市经济信息委"), None
    cid = _ids(data)[op[1] % len(data["commitments"])]
    if op[0] == "update":
        _, _, on, status, percent, note, by = op
        return changes.new_progress(cid, on, note, status=status, percent=percent, by=by, force=True), cid
    _, _, on, to, reason = op
    return changes.new_extension(cid, on, to, reason), cid


def _expected(op: tuple, data: dict[str, Any], cid: str | None) -> tuple[dict[str, Any] | None, int]:
    """The data after ``op`` (None when it must be refused), and where its commitment is."""
    items = [dict(c) for c in data["commitments"]]
    if op[0] == "add":
        section = op[1]
        taken = {int(m.group(1)) for c in items if (m := re.fullmatch(rf"{section}-(\d+)", c["id"]))}
        new = {"id": f"{section}-{max(taken, default=0) + 1}", "section": section, "title": op[2].strip(),
               "lead": "市经济信息委", "co_owners": [], "status": "not_started", "percent": 0, "tags": []}
        before = [n for n, c in enumerate(items) if c["section"] <= section]
        at = (max(n for n in before if items[n]["section"] == max(items[m]["section"] for m in before)) + 1
              if before else 0)
        at = max((n + 1 for n, c in enumerate(items) if c["section"] == section), default=at)
        items.insert(at, new)
        return {**data, "commitments": items}, at
    i = _ids(data).index(cid)
    c = items[i]
    if op[0] == "update":
        _, _, on, status, percent, note, by = op
        entry = {"date": on, "status": status, "percent": percent, "note": note.replace("\r\n", "\n").strip(),
                 "by": by.strip() if by else None}
        entry = {k: v for k, v in entry.items() if v is not None}
        log = list(c.get("progress", []))
        later = log[bisect.bisect_right([e["date"] for e in log], on):]
        earlier = log[: len(log) - len(later)]

        def as_of(key: str, default: Any) -> Any:  # contract §1: the value just before the entry
            set_before = [e[key] for e in earlier if key in e]
            if set_before:
                return set_before[-1]
            return default if any(key in e for e in later) else c.get(key, default)

        # contract §7: a percent on a not-started commitment starts it; done without a percent is 100
        if status is None and percent and as_of("status", "not_started") == "not_started":
            entry["status"] = "in_progress"
        if status == "done" and percent is None:
            entry["percent"] = 100
        for key in ("status", "percent"):
            if key in entry and not any(key in e for e in later):
                c[key] = entry[key]
        log.insert(len(log) - len(later), entry)
        c["progress"] = log
    else:
        _, _, on, to, reason = op
        exts = list(c.get("extensions", []))
        in_force = [e for e in exts if e["date"] <= on]
        due = in_force[-1]["new_due"] if in_force else c.get("due")
        if due is not None and to <= due:
            return None, i
        k = bisect.bisect_right([e["date"] for e in exts], on)
        exts.insert(k, {"date": on, "new_due": to, "reason": reason.replace("\r\n", "\n").strip()})
        c["extensions"] = exts
    return {**data, "commitments": items}, i


def _block(lines: list[str], cid: str) -> tuple[int, int]:
    """The oracle's own idea of a commitment's lines: header to last non-blank, non-comment line."""
    id_line = next(n for n, line in enumerate(lines) if line.strip().startswith(f'id = "{cid}"'))
    head = max(n for n in range(id_line) if HEADER.match(lines[n]))
    nxt = next((n for n in range(id_line, len(lines)) if HEADER.match(lines[n])), len(lines))
    end = nxt
    while end > head and (not lines[end - 1].strip() or lines[end - 1].strip().startswith("#")):
        end -= 1
    return head, end


def check_edit(path: Path, op: tuple) -> list[str]:
    """Apply ``op`` through the write path and return every broken promise."""
    old_raw = path.read_bytes()
    old = tomllib.loads(old_raw.decode("utf-8-sig"))
    change, cid = _change(op, old)
    expected, at = _expected(op, old, cid)
    try:
        store.write_change(LedgerLocation(path), change)
    except UsageError:
        refused = True
    except CytrackError as exc:
        return [f"{op}: unexpected failure: {exc.message}"]
    else:
        refused = False
    new_raw = path.read_bytes()
    if refused or expected is None:
        ok = refused and expected is None and new_raw == old_raw
        return [] if ok else [f"{op}: refused={refused}, expected refusal={expected is None}"]
    found = []
    if tomllib.loads(new_raw.decode("utf-8-sig")) != expected:
        found.append(f"{op}: the data is not the old data plus the change")
    if MARKER.findall(new_raw) != MARKER.findall(old_raw):
        found.append(f"{op}: a comment was lost or moved out of order")
    if new_raw.startswith(b"\xef\xbb\xbf") != old_raw.startswith(b"\xef\xbb\xbf"):
        found.append(f"{op}: the BOM changed")
    if b"\r\n" in old_raw and new_raw.count(b"\n") != new_raw.count(b"\r\n"):
        found.append(f"{op}: a bare LF in a CRLF file")
    old_lines = old_raw.decode("utf-8-sig").splitlines()
    new_lines = new_raw.decode("utf-8-sig").splitlines()
    if cid is not None:  # lines before the header and after the last line of the commitment are untouched
        head, end = _block(old_lines, cid)
        tail = len(old_lines) - end
        if new_lines[: head + 1] != old_lines[: head + 1] or new_lines[len(new_lines) - tail :] != old_lines[end:]:
            found.append(f"{op}: lines changed outside {cid} (lines {head + 1}-{end})")
    else:  # one block inserted, blank lines around it, below the last line of a commitment
        head, end = _block(new_lines, expected["commitments"][at]["id"])
        rest = new_lines[:head] + new_lines[end:]
        blank = [j for j in (head, head - 1) if 0 <= j < len(rest) and not rest[j].strip()]
        candidates = [rest] + [rest[:j] + rest[j + 1 :] for j in blank]
        if len(blank) == 2:
            candidates.append(rest[: head - 1] + rest[head + 1 :])
        above = next((line for line in reversed(new_lines[:head]) if line.strip()), "")
        if old_lines not in candidates or above.lstrip().startswith("#"):
            found.append(f"{op}: the new commitment is not one block inserted below a commitment")
    return found


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_commented_ledger_is_valid_to_start_with(tmp_path, variant):
    path = tmp_path / "commitments.toml"
    path.write_bytes(VARIANTS[variant])
    from cytrack.ledger.load import load_ledger

    assert len(load_ledger(path).ledger.commitments) == 4


def test_random_edits_touch_only_their_commitment():
    count = {"edits": 0}

    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(sorted(VARIANTS)), st.lists(OPS, min_size=10, max_size=10))
    def run(variant: str, ops: list[tuple]) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "commitments.toml"
            path.write_bytes(VARIANTS[variant])
            for op in ops:
                assert check_edit(path, op) == []
                count["edits"] += 1

    run()
    assert count["edits"] >= 500


FIXED_OPS = [
    ("update", 0, date(2026, 10, 10), "blocked", 15, "中间 # 一条", "张三"),
    ("update", 1, date(2026, 12, 1), None, None, "note", None),
    ("extend", 1, date(2026, 1, 10), date(2026, 9, 30), "原因"),
    ("update", 3, date(2026, 12, 2), "done", 100, "完成", None),
    ("add", 1, "新的一项"),
]


@pytest.mark.parametrize("broken", ["rewrite", "naive-place"])
def test_the_checker_catches_broken_writers(tmp_path, monkeypatch, broken):
    break_writer(monkeypatch, broken)
    path = tmp_path / "commitments.toml"
    path.write_bytes(VARIANTS["lf"])
    found = [v for op in FIXED_OPS for v in check_edit(path, op)]
    assert found, f"the {broken} writer passed every check"


def test_the_fixed_edits_pass_with_the_real_writer(tmp_path):
    path = tmp_path / "commitments.toml"
    path.write_bytes(VARIANTS["lf"])
    assert [v for op in FIXED_OPS for v in check_edit(path, op)] == []
