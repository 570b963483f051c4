"""The parse cache: never stale, never trusted when damaged, never holding a ledger with errors."""

from __future__ import annotations

import json
import marshal
import os
import textwrap
from pathlib import Path

import pytest

from cytrack.cache import codec as cacheentry
from cytrack.cache import folder as cache
from cytrack.ledger.errors import LedgerUnusable
from cytrack.ledger.load import load_ledger, load_text, read_ledger_text
from cytrack.ledger.model import Commitment, Extension, Ledger, ProgressEntry, Source

HEAD = """\
schema = 1

[source]
proposal = "1181"
title = "关于推动成渝地区双城经济圈产业协同的建议"
replied = 2024-07-15

[sections]
"1" = "持续开展体制机制创新"
"""


def commitment(n: int, *, extra: str = "") -> str:
    return textwrap.dedent(
        f"""
        # 第{n}项
        [[commitments]]
        id = "1-{n}"
        section = 1
        title = "电子信息先进制造集群培育提升三年行动{n}"
        lead = "市经济信息委"
        co_owners = ["市科技局"]
        status = "in_progress"
        percent = {n % 100}
        due = 2026-12-31
        review = "quarterly"
        tags = ["电子信息"]
        {extra}
          [[commitments.progress]]
          date = 2026-03-01
          status = "in_progress"
          percent = 10
          note = \"\"\"第一行
        [[commitments]] 在多行字符串里，不是表头\"\"\"
          by = "张伟"

          [[commitments.extensions]]
          date = 2026-06-01
          new_due = 2027-06-30
          reason = "用地指标调整"
        """
    )


def write(tmp_path: Path, n: int = 3, *, name: str = "commitments.toml", extra: str = "", tail: str = "") -> Path:
    path = tmp_path / name
    text = HEAD + "".join(commitment(i, extra=extra if i == 1 else "") for i in range(1, n + 1)) + tail
    path.write_text(text, encoding="utf-8", newline="")
    return path


def frame(blob: bytes) -> bytes:
    return len(blob).to_bytes(8, "little") + blob


def body_of(blob: bytes) -> bytes:
    """An entry's frames, without its magic and MAC."""
    assert blob.startswith(cache.MAGIC)
    return blob[len(cache.MAGIC) + cache.MAC_SIZE :]


def sign(entry: Path, body: bytes) -> bytes:
    """``body`` as an entry at ``entry`` signed with the user's key (what only cytrack can make)."""
    key = cache.secret_key(entry.parent)
    assert key is not None
    return cache.MAGIC + cache._mac(key, entry.name, body) + body


def entries() -> list[Path]:
    where = cache.folder()
    assert where is not None
    return sorted(where.glob("*" + cache.SUFFIX)) if where.exists() else []


def test_the_codec_knows_every_field_of_the_model():
    assert cache.USABLE
    for cls in (Commitment, ProgressEntry, Extension, Source, Ledger):
        assert cls._fields == cache._SHAPES[cls]


def test_second_load_is_a_hit_with_the_same_ledger(tmp_path):
    path = write(tmp_path)
    fresh = load_ledger(path)
    assert len(entries()) == 1
    hit = cache.find_entry(path.read_bytes(), str(path))
    assert hit is not None
    assert hit.ledger == fresh.ledger
    again = load_ledger(path)
    assert again.ledger == fresh.ledger
    assert again.data is None  # it came from the cache


def test_a_ledger_of_many_frames_reads_back_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(cacheentry, "CHUNK", 2)
    path = write(tmp_path, 5)
    fresh = load_ledger(path)
    hit = cache.find_entry(path.read_bytes(), str(path))
    assert hit.ledger == fresh.ledger
    assert [c.id for c in hit.ledger.commitments] == ["1-1", "1-2", "1-3", "1-4", "1-5"]


def test_the_key_is_the_content_so_an_edit_is_a_miss(tmp_path):
    path = write(tmp_path)
    load_ledger(path)
    path.write_text(path.read_text(encoding="utf-8").replace("三年行动2", "五年行动2"), encoding="utf-8")
    changed = load_ledger(path)
    assert changed.data is not None  # parsed again
    assert changed.ledger.commitments[1].title == "电子信息先进制造集群培育提升五年行动2"
    assert len(entries()) == 2


def test_a_ledger_with_errors_is_never_cached(tmp_path):
    path = write(tmp_path, extra='percent_extra = 1\nsection = "x"')
    with pytest.raises(LedgerUnusable):
        load_ledger(path)
    assert entries() == []
    with pytest.raises(LedgerUnusable):
        load_ledger(path)
    lt = read_ledger_text(path)
    result = load_text(lt)
    # The write path cannot store an invalid ledger either.
    cache.store_entry(cache.entry_for(lt.raw), Ledger(path=str(path)), result.problems)
    assert entries() == []


def test_warnings_come_back_from_the_cache_with_the_path_it_is_read_from(tmp_path):
    path = write(tmp_path, extra='owner_note = "x"')
    first = load_ledger(path)
    assert [p.message for p in first.warnings] == ["unknown key 'owner_note' in commitment 1-1; it is kept as it is"]
    other = tmp_path / "copy" / "commitments.toml"
    other.parent.mkdir()
    other.write_bytes(path.read_bytes())
    hit = load_ledger(other)
    assert hit.data is None
    assert [str(p) for p in hit.warnings] == [str(p).replace(str(path), str(other)) for p in first.warnings]
    assert hit.ledger.path == str(other)


@pytest.mark.parametrize(
    "damage",
    [b"", b"garbage", b"\x00" * 64, "truncated", "wrong shape", "another format", "a frame short"],
)
@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
def test_a_damaged_entry_is_a_miss_and_is_written_again(tmp_path, damage, signed):
    """Damage with a valid MAC (made with the user's key) tests the decoder; without, the MAC check."""
    path = write(tmp_path)
    good = load_ledger(path).ledger
    (entry,) = entries()
    whole = entry.read_bytes()
    blob = body_of(whole)
    header_size = int.from_bytes(blob[:8], "little")
    header = marshal.loads(blob[8 : 8 + header_size])
    if damage == "truncated":
        damage = blob[: len(blob) // 2]
    elif damage == "wrong shape":
        damage = frame(marshal.dumps((cache.FORMAT, 1, 2)))
    elif damage == "another format":
        damage = frame(marshal.dumps((cache.FORMAT + 1, *header[1:]))) + blob[8 + header_size :]
    elif damage == "a frame short":
        damage = blob[: 8 + header_size]
    entry.write_bytes(sign(entry, damage) if signed else damage)
    assert cache.find_entry(path.read_bytes(), str(path)) is None
    again = load_ledger(path)
    assert again.ledger == good
    assert again.data is not None
    assert entry.read_bytes() == whole


def test_an_unusable_cache_folder_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(cache.DIR_ENV, str(blocker / "cache"))
    path = write(tmp_path)
    assert load_ledger(path).ledger is not None
    assert load_ledger(path).data is not None


def test_no_cache_turns_it_off(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.OFF_ENV, "1")
    assert cache.folder() is None
    path = write(tmp_path)
    load_ledger(path)
    monkeypatch.delenv(cache.OFF_ENV)
    assert entries() == []


def test_the_default_folder_is_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    if os.name == "nt":
        assert cache.folder() == tmp_path / "local" / "cytrack" / "cache"
    elif os.uname().sysname == "Darwin":
        assert cache.folder() == tmp_path / "home" / "Library" / "Caches" / "cytrack"
    else:
        assert cache.folder() == tmp_path / "xdg" / "cytrack"
        monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
        assert cache.folder() == tmp_path / "home" / ".cache" / "cytrack"


def test_entries_are_written_atomically_and_pruned_to_the_newest(tmp_path):
    for n in range(cache.KEEP + 3):
        path = write(tmp_path, n + 1, name=f"l{n}.toml")
        load_ledger(path)
        entry = cache.entry_for(path.read_bytes())
        os.utime(entry, (1_000_000 + n, 1_000_000 + n))  # written in this order
    kept = entries()
    assert len(kept) == cache.KEEP
    assert {cache.entry_for((tmp_path / f"l{n}.toml").read_bytes()) for n in range(3, cache.KEEP + 3)} == set(kept)
    assert not [p for p in kept[0].parent.iterdir() if p.name.startswith(".tmp-")]


def test_old_temporary_files_of_crashed_runs_are_removed(tmp_path):
    path = write(tmp_path)
    load_ledger(path)
    where = cache.folder()
    old, new = where / ".tmp-old00000.tmp", where / ".tmp-new00000.tmp"
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    os.utime(old, (1_000_000, 1_000_000))
    cache.prune(where)
    assert not old.exists() and new.exists()


def test_store_makes_the_next_read_a_hit(tmp_path):
    path = write(tmp_path)
    lt = read_ledger_text(path)
    result = load_text(lt)
    cache.store_entry(
        cache.entry_for(lt.raw), result.ledger, result.warnings, cache.layout_of(lt.text, result.index, lt.bom)
    )
    assert load_ledger(path).data is None


@pytest.mark.parametrize("tail", ["", "\n# 结尾的注释\n[extra]\nnote = \"x\"\n"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [False, True])
def test_the_layout_cuts_the_file_into_commitment_blocks(tmp_path, newline, bom, tail):
    path = write(tmp_path, 4, tail=tail)
    text = path.read_text(encoding="utf-8").replace("\n", newline)
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    path.write_bytes(raw)
    load_ledger(path)
    hit = cache.find_entry(raw, str(path))
    layout = hit.layout
    assert len(layout.spans) == 4
    lines = text.split(newline)
    for i, ((start, end), (first, stop)) in enumerate(zip(layout.spans, layout.lines, strict=True)):
        block = raw[start:end].decode("utf-8")
        assert block.startswith("[[commitments]]" + newline + f'id = "1-{i + 1}"')
        assert block == "".join(line + newline for line in lines[first - 1 : stop - 1])
        assert hit.ledger.commitments[i].line == first
    after = tail[tail.find("[extra]") :] if tail else ""  # the comment above [extra] is still in the block
    assert raw[layout.spans[-1][1] :].decode("utf-8") == after.replace("\n", newline)
    assert [b for a, b in layout.spans[:-1]] == [a for a, b in layout.spans[1:]]
    assert hit.position("1-3") == 2 and hit.position(" 1-3 ".upper()) == 2 and hit.position("9-9") is None


def test_list_reads_the_same_from_the_cache(tmp_path, cli):
    path = write(tmp_path, 5)
    first = cli("--ledger", path, "list", "--format", "json", "--as-of", "2026-11-25")
    assert entries()
    second = cli("--ledger", path, "list", "--format", "json", "--as-of", "2026-11-25")
    assert first.exit_code == second.exit_code == 0
    assert second.stdout == first.stdout
    assert [row["id"] for row in json.loads(second.stdout)] == ["1-1", "1-2", "1-3", "1-4", "1-5"]
