"""The write path on the parse cache: a hit edits one block, and the entry it leaves equals a fresh load."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from cytrack.cache import codec as cacheentry
from cytrack.cache import folder as cache
from cytrack.ledger.errors import LedgerUnusable
from cytrack.ledger.load import LedgerLocation, decode_ledger, load_ledger, load_text
from cytrack.store import changes
from cytrack.store import view as writeview
from cytrack.store import write as store

HEAD = """\
schema = 1

[source]
proposal = "1181"
title = "关于推动成渝地区双城经济圈产业协同的建议"

[sections]
"1" = "持续开展体制机制创新"
"2" = "持续加强产业协同发展"
"3" = "持续优化营商环境"
"""


def _commitment(section: int, n: int, *, progress: int = 2) -> str:
    entries = "".join(
        f'\n  [[commitments.progress]]\n  date = 2025-0{k + 1}-01\n  status = "in_progress"\n'
        f'  percent = {10 * (k + 1)}\n  note = "第{k + 1}次进展：推进\\"{section}-{n}\\"。"\n'
        for k in range(progress)
    )
    return (
        f'\n# 第{section}项第{n}条\n[[commitments]]\nid = "{section}-{n}"\nsection = {section}\n'
        f'title = "任务{section}-{n}"\nlead = "市经济信息委"\nstatus = "in_progress"  # 进行中\n'
        f"percent = {10 * progress}\ndue = 2026-12-31\n{entries}"
    )


LEDGER = HEAD + "".join(_commitment(s, n, progress=n % 3) for s in (1, 3) for n in (1, 2, 3))

OPS: dict[str, Callable[[], object]] = {
    "update": lambda: changes.new_progress("1-2", date(2025, 6, 1), "又推进了一步", status="blocked", percent=70),
    "update, back-dated": lambda: changes.new_progress("3-3", date(2025, 1, 15), "补记", percent=15),
    "update, last": lambda: changes.new_progress("3-3", date(2025, 7, 1), "最后一条"),
    "extend": lambda: changes.new_extension("1-1", date(2025, 5, 1), date(2027, 6, 30), "经批准延期", "市政府"),
    "add, middle section": lambda: changes.new_commitment(section=2, title="新任务", lead="市发展改革委"),
    "add, first": lambda: changes.new_commitment(section=1, title="头一条", lead="L", cid="0-1"),
    "add, last": lambda: changes.new_commitment(section=3, title="最后", lead="L", tags=["年度"]),
}
VARIANTS = {
    "LF": lambda text: text.encode(),
    "CRLF, BOM": lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
    "no final newline": lambda text: text.rstrip("\n").encode(),
}


def _write(path: Path, op: str) -> None:
    store.write_change(LedgerLocation(path), OPS[op]())  # type: ignore[arg-type]


def _full_loads_of_update(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run an update on ``path`` and return the paths it parsed in full (a cache miss parses the file)."""
    full: list[str] = []
    real = writeview.load_text
    with monkeypatch.context() as m:
        m.setattr(writeview, "load_text", lambda lt: full.append(lt.path) or real(lt))
        _write(path, "update")
    return full


def _cold(tmp_path: Path, raw: bytes, op: str, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """What the write makes of ``raw`` with the cache off: the full load, as before the cache."""
    path = tmp_path / "cold" / "commitments.toml"
    path.parent.mkdir()
    path.write_bytes(raw)
    with monkeypatch.context() as m:
        m.setenv(cache.OFF_ENV, "1")
        _write(path, op)
    return path.read_bytes()


@contextmanager
def _no_full_load(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail if a write inside parses the whole ledger (it must use the cache entry)."""

    def refuse(*_args: object) -> None:
        raise AssertionError("the write parsed the whole ledger on a cache hit")

    with monkeypatch.context() as m:
        m.setattr(writeview, "load_text", refuse)
        m.setattr(cache.Entry, "cached", refuse)  # nor rebuilds the whole model from the entry
        yield


def _fresh(path: Path) -> tuple[object, object]:
    """The model and layout a full load of the file gives."""
    lt = decode_ledger(str(path), path.read_bytes())
    result = load_text(lt)
    assert not result.problems
    assert result.index is not None
    return result.ledger, cache.layout_of(lt.text, result.index, lt.bom)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("op", OPS)
def test_a_write_on_a_cache_hit_equals_one_on_a_cold_cache_and_leaves_a_true_entry(tmp_path, monkeypatch, op, variant):
    raw = VARIANTS[variant](LEDGER)
    path = tmp_path / "commitments.toml"
    path.write_bytes(raw)
    load_ledger(path)  # fills the cache, as any read does
    with _no_full_load(monkeypatch):
        _write(path, op)
    new = path.read_bytes()
    assert new == _cold(tmp_path, raw, op, monkeypatch)
    hit = cache.find_entry(new, str(path))
    assert hit is not None, "the write left no cache entry for the new bytes"
    assert (hit.ledger, hit.layout) == _fresh(path)
    assert hit.warnings == []


@pytest.mark.parametrize("op", OPS)
def test_a_write_copies_the_untouched_frames_byte_for_byte(tmp_path, monkeypatch, op):
    """With one commitment to a frame, every frame but the target's is the same bytes after the write."""
    monkeypatch.setattr(cacheentry, "CHUNK", 1)
    path = tmp_path / "commitments.toml"
    path.write_text(LEDGER, encoding="utf-8")
    load_ledger(path)
    before = cache.read(cache.key(path.read_bytes()))
    with _no_full_load(monkeypatch):
        _write(path, op)
    after = cache.read(cache.key(path.read_bytes()))
    assert before is not None and after is not None
    old, new = [bytes(f) for f in before.frames], [bytes(f) for f in after.frames]
    assert sum(after.counts) == sum(before.counts) + (1 if op.startswith("add") else 0)
    assert len([f for f in new if f not in old]) == len([f for f in old if f not in new]) == 1
    hit = cache.find_entry(path.read_bytes(), str(path))
    assert hit is not None and (hit.ledger, hit.layout) == _fresh(path)


@pytest.mark.parametrize("chunk", [1000, 2, 1])
def test_a_chain_of_writes_stays_on_the_cache_and_true(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(cacheentry, "CHUNK", chunk)  # small frames: adds split them, lines move across them
    path = tmp_path / "commitments.toml"
    path.write_text(LEDGER, encoding="utf-8")
    load_ledger(path)
    with _no_full_load(monkeypatch):
        for op in ("add, middle section", "update", "extend", "add, first", "update, back-dated", "add, last"):
            _write(path, op)
    hit = cache.find_entry(path.read_bytes(), str(path))
    assert hit is not None and (hit.ledger, hit.layout) == _fresh(path)


@pytest.mark.parametrize("damage", ["garbage", "cut short", "missing"])
def test_a_damaged_or_missing_entry_falls_back_to_the_full_load(tmp_path, monkeypatch, damage):
    path = tmp_path / "commitments.toml"
    path.write_text(LEDGER, encoding="utf-8")
    load_ledger(path)
    entry = cache.entry_for(path.read_bytes())
    assert entry is not None and entry.is_file()
    if damage == "garbage":
        entry.write_bytes(b"\x00not a cache entry")
    elif damage == "cut short":
        entry.write_bytes(entry.read_bytes()[:-20])
    else:
        entry.unlink()
    assert _full_loads_of_update(path, monkeypatch) == [str(path)]
    assert path.read_bytes() == _cold(tmp_path, LEDGER.encode(), "update", monkeypatch)


def test_an_edited_file_never_uses_the_entry_of_its_old_bytes(tmp_path, monkeypatch):
    """An editor moves every line (a comment on top) and changes the target; the old entry must not be used."""
    path = tmp_path / "commitments.toml"
    path.write_text(LEDGER, encoding="utf-8")
    load_ledger(path)
    edited = ("# 由编辑器修改\n" + LEDGER.replace('title = "任务1-2"', 'title = "改过的任务"')).encode()
    path.write_bytes(edited)
    assert _full_loads_of_update(path, monkeypatch) == [str(path)]
    new = path.read_bytes()
    assert new == _cold(tmp_path, edited, "update", monkeypatch)
    assert '# 由编辑器修改\n' in new.decode() and '改过的任务' in new.decode()
    hit = cache.find_entry(new, str(path))
    assert hit is not None and (hit.ledger, hit.layout) == _fresh(path)


def test_a_ledger_with_warnings_is_written_but_left_to_the_next_read(tmp_path):
    path = tmp_path / "commitments.toml"
    path.write_text(LEDGER.replace('lead = "市经济信息委"', 'lead = "市经济信息委"\nowner_note = "x"', 1),
                    encoding="utf-8")
    edit = store.write_change(LedgerLocation(path), OPS["update"]())  # type: ignore[arg-type]
    assert edit.warnings == [f"{path}:18: warning: unknown key 'owner_note' in commitment 1-1; it is kept as it is"]
    assert cache.find_entry(path.read_bytes(), str(path)) is None
    assert load_ledger(path).warnings[0].line == 18


@pytest.mark.parametrize("warm", [True, False])
def test_a_block_whose_table_is_written_elsewhere_is_refused(tmp_path, warm):
    """``[[commitments.progress]]`` after ``[source.extra]`` belongs to the last commitment: legal TOML,
    but its block alone would not show it, so the write must not trust the block."""
    text = LEDGER + '\n[source.extra]\n\n[[commitments.progress]]\ndate = 2025-09-01\nnote = "放错地方"\n'
    path = tmp_path / "commitments.toml"
    path.write_text(text, encoding="utf-8")
    if warm:
        assert load_ledger(path).ledger.commitments[-1].progress[-1].note == "放错地方"
    before = path.read_bytes()
    with pytest.raises(LedgerUnusable, match=r"written together in its \[\[commitments\]\] block"):
        _write(path, "update, last")
    assert path.read_bytes() == before
