"""Several progress entries in one write (`ProgressBatch`, `write_changes`): the store side of `import`."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from cytrack.ledger.errors import LedgerUnusable, UsageError
from cytrack.ledger.load import LedgerLocation
from cytrack.store.changes import ProgressBatch, ProgressChange, note_key
from cytrack.store.write import write_changes

BODY = """\
[[commitments]]
id = "1-1"
section = 1
title = "一"
lead = "市科技局"
status = "not_started"
percent = 0

  [[commitments.progress]]
  date = 2026-11-10
  note = "旧的"

# 一段属于 1-2 的注释

[[commitments]]
id = "1-2"
section = 1
title = "二"
lead = "市教委"
status = "in_progress"

  [[commitments.progress]]
  date = 2026-11-20
  status = "blocked"
  note = "更晚的"

[[commitments]]
id = "2-1"
section = 2
title = "三"
lead = "市教委"
status = "not_started"
percent = 0
"""


def _data(path):
    return {c["id"]: c for c in tomllib.loads(path.read_text(encoding="utf-8"))["commitments"]}


def test_entries_on_several_commitments_in_one_write(write_ledger):
    path = write_ledger(BODY)
    before = path.read_text(encoding="utf-8")
    batch = ProgressBatch((
        ProgressChange("1-1", date(2026, 11, 25), "后", percent=50),
        ProgressChange("2-1", date(2026, 11, 21), "三的", by="李四"),
        ProgressChange("1-1", date(2026, 11, 12), "前", percent=10),
        ProgressChange("1-2", date(2026, 11, 15), "补记", percent=20),
    ))
    inode = path.stat().st_ino
    edits = write_changes(LedgerLocation(path), batch)
    assert [e.outcome.cid for e in edits] == ["1-1", "1-2", "2-1"]
    assert [e.outcome.entries for e in edits] == [2, 1, 1]
    assert path.stat().st_ino != inode
    data = _data(path)
    assert [(e["date"], e["note"]) for e in data["1-1"]["progress"]] == [
        (date(2026, 11, 10), "旧的"), (date(2026, 11, 12), "前"), (date(2026, 11, 25), "后"),
    ]
    assert data["1-1"]["percent"] == 50
    assert data["1-2"]["status"] == "in_progress" and data["1-2"]["percent"] == 20  # a later entry sets status only
    assert [e["note"] for e in data["1-2"]["progress"]] == ["补记", "更晚的"]
    after = path.read_text(encoding="utf-8")
    assert "# 一段属于 1-2 的注释\n\n[[commitments]]\nid = \"1-2\"" in after
    # Everything outside the three blocks is byte for byte as before.
    assert after.startswith(before[: before.index('[[commitments]]\nid = "1-1"')])


def test_recognised_entries_write_nothing(write_ledger):
    path = write_ledger(BODY)
    before, inode = path.read_bytes(), path.stat().st_ino
    batch = ProgressBatch((ProgressChange("1-1", date(2026, 11, 10), " 旧的 \r\n"),))
    assert write_changes(LedgerLocation(path), batch) == []
    assert path.read_bytes() == before and path.stat().st_ino == inode


def test_an_unknown_id_in_a_batch_writes_nothing(write_ledger):
    path = write_ledger(BODY)
    before = path.read_bytes()
    day = date(2026, 11, 25)
    batch = ProgressBatch((ProgressChange("1-1", day, "x"), ProgressChange("9-9", day, "y")))
    with pytest.raises(UsageError):
        write_changes(LedgerLocation(path), batch)
    assert path.read_bytes() == before


def test_crlf_and_bom_are_kept(write_ledger):
    path = write_ledger(BODY)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    day = date(2026, 11, 25)
    batch = ProgressBatch((ProgressChange("1-1", day, "a"), ProgressChange("2-1", day, "b")))
    write_changes(LedgerLocation(path), batch)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\n" not in raw.replace(b"\r\n", b"")
    assert [e["note"] for e in _data_bytes(raw)["2-1"]["progress"]] == ["b"]


def _data_bytes(raw: bytes):
    return {c["id"]: c for c in tomllib.loads(raw.decode("utf-8-sig"))["commitments"]}


def test_a_spliced_file_that_would_not_load_is_refused(write_ledger, monkeypatch):
    from cytrack.store import view

    path = write_ledger(BODY)
    before = path.read_bytes()
    monkeypatch.setattr(view.View, "splice_all", lambda self, edits: self.raw.replace(b'title = "\xe4\xb8\x89"', b""))
    day = date(2026, 11, 25)
    batch = ProgressBatch((ProgressChange("1-1", day, "a"), ProgressChange("2-1", day, "b")))
    with pytest.raises(LedgerUnusable):
        write_changes(LedgerLocation(path), batch)
    assert path.read_bytes() == before


def test_note_key_ignores_line_endings_and_trailing_spaces():
    assert note_key(" a \r\nb  \n") == note_key("a\nb") == "a\nb"
    assert note_key("a b") != note_key("ab")
