"""Contract §10, the parse cache can only make things faster: a damaged, foreign or forged
entry is a miss; a folder other users can write is not used; the cache never decides which
commitment a write touches; eviction deletes only cytrack's own entries; a FIFO entry does
not hang.  Each property also runs against a deliberately broken cache, which must fail it.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from reliability_kit import BASE, cli_forked, data_of, fork, make_ledger, needs_fork, wait

from cytrack.cache import codec
from cytrack.cache import folder as cache
from cytrack.ledger.load import load_ledger
from cytrack.store import view as writeview


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages are checked word for word in English here (tests/test_language.py checks the Chinese)."""
    monkeypatch.setenv("CYTRACK_LANG", "en")


TITLE = "电子信息先进制造集群培育提升三年行动"
FORGED = "电子信息先进制造集群培育提升五年行动"  # the same length in UTF-8


def _entry(path: Path) -> Path:
    load_ledger(path)
    entry = cache.entry_for(path.read_bytes())
    assert entry is not None and entry.is_file()
    return entry


def _forge(entry: Path, *, sign: bool) -> None:
    """Change one title inside the entry, byte for byte the same length; re-sign it or not."""
    blob = entry.read_bytes()
    body = blob[len(cache.MAGIC) + cache.MAC_SIZE :]
    assert TITLE.encode() in body
    body = body.replace(TITLE.encode(), FORGED.encode())
    mac = cache._mac(cache.secret_key(entry.parent), entry.name, body) if sign else blob[8:40]
    entry.write_bytes(cache.MAGIC + mac + body)


def _no_mac_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """The broken cache: decodes an entry without checking its MAC."""
    monkeypatch.setattr(cache, "_signed", lambda path: memoryview(cache._read_plain(path, 1 << 31))[40:])


@needs_fork
@pytest.mark.parametrize("broken", [False, True], ids=["ours", "no-mac-check"])
def test_a_same_length_change_in_an_entry_is_a_miss(tmp_path, monkeypatch, broken):
    path = make_ledger(tmp_path)
    _forge(_entry(path), sign=False)
    if broken:
        _no_mac_check(monkeypatch)
    run = cli_forked(["--ledger", path, "show", "2-1", "--format", "json"])
    assert run.rc == 0
    if broken:  # what the property forbids: a forged title shown as the ledger's
        assert FORGED in run.out
        return
    assert TITLE in run.out and FORGED not in run.out


# Frames that make marshal read far outside its buffer (a code object with forged sizes and
# references to objects never stored).  Whatever they do to an unchecked ``marshal.loads``,
# an unsigned entry must never reach it.
HOSTILE_FRAMES = [
    b"\xe3" + b"\xff" * 17,
    b"r\xff\xff\xff\x7f" + b"\x00" * 13,
    b")\xff\xff\xff\x7f" + b"r\x00\x00\x00\x00" * 2 + b"\x00\x00\x00",
]


@pytest.mark.parametrize("frame", HOSTILE_FRAMES)
def test_a_forged_short_entry_never_reaches_marshal(tmp_path, monkeypatch, frame):
    path = make_ledger(tmp_path)
    entry = _entry(path)
    forged = cache.MAGIC + b"\x00" * cache.MAC_SIZE + len(frame).to_bytes(8, "little") + frame
    entry.write_bytes(forged)
    run = cli_forked(["--ledger", path, "list"])
    assert run.rc == 0 and "2-1" in run.out
    entry.write_bytes(forged)
    called: list[bytes] = []
    monkeypatch.setattr(codec, "marshal", SimpleNamespace(loads=called.append, dumps=codec.marshal.dumps))
    assert cache.find_entry(path.read_bytes(), str(path)) is None
    assert called == []


def _plant(folder: Path, ledger: Path) -> None:
    """What another local user can do in a folder they may write: plant an entry (and its key)."""
    own = folder.parent / "attacker-cache"
    os.environ[cache.DIR_ENV] = str(own)
    try:
        entry = _entry(ledger)
        _forge(entry, sign=True)
    finally:
        os.environ[cache.DIR_ENV] = str(folder)
    folder.mkdir(exist_ok=True)
    for name in (entry.name, cache.KEY_NAME):
        shutil.copyfile(own / name, folder / name)
    os.chmod(folder / cache.KEY_NAME, 0o600)


@needs_fork
@pytest.mark.parametrize("who", ["world-writable", "group-writable", "owned by nobody"])
@pytest.mark.parametrize("broken", [False, True], ids=["ours", "any-folder"])
def test_a_cache_folder_others_can_write_is_not_used(tmp_path, monkeypatch, who, broken):
    ledger = make_ledger(tmp_path)
    folder = tmp_path / "shared-cache"
    monkeypatch.setenv(cache.DIR_ENV, str(folder))
    _plant(folder, ledger)
    if who == "world-writable":
        os.chmod(folder, 0o777)
    elif who == "group-writable":
        os.chmod(folder, 0o770)
    else:
        os.chmod(folder, 0o700)
        os.chown(folder, 65534, 65534)
    if broken:
        monkeypatch.setattr(cache, "usable_folder", lambda where: True)
    run = cli_forked(["--ledger", ledger, "show", "2-1", "--format", "json"])
    assert run.rc == 0
    if broken:  # what the property forbids: another user's entry decides what the user sees
        assert FORGED in run.out
        return
    assert TITLE in run.out and FORGED not in run.out
    assert cache.folder() is None
    reason = {"world-writable": ("其他用户可以写入它", "other users can write to it"),
              "group-writable": ("其他用户可以写入它", "other users can write to it"),
              "owned by nobody": ("它属于另一个用户", "it belongs to another user")}[who]
    debug = cli_forked(["--ledger", ledger, "list", "--format", "json"], {"CYTRACK_DEBUG": "1", "CYTRACK_LANG": "zh"})
    assert debug.rc == 0 and f"cytrack：调试：不使用缓存文件夹 {folder}：{reason[0]}。\n" in debug.err
    debug = cli_forked(["--lang", "en", "--ledger", ledger, "list", "--format", "json"], {"CYTRACK_DEBUG": "1"})
    assert debug.rc == 0 and f"cytrack: debug: not using the cache folder {folder}: {reason[1]}.\n" in debug.err
    assert debug.err.count("cytrack: debug:") == 1  # once a run, however often the folder is asked for


@needs_fork
def test_a_cache_path_that_is_a_file_is_not_used_and_debug_says_so_in_the_users_language(tmp_path, monkeypatch):
    ledger = make_ledger(tmp_path)
    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_bytes(b"")
    monkeypatch.setenv(cache.DIR_ENV, str(not_a_folder))
    quiet = cli_forked(["--ledger", ledger, "show", "2-1", "--format", "json"])
    assert quiet.rc == 0 and quiet.err == ""
    zh = cli_forked(["--ledger", ledger, "show", "2-1", "--format", "json"], {"CYTRACK_DEBUG": "1", "CYTRACK_LANG": ""})
    assert (zh.rc, zh.err) == (0, f"cytrack：调试：不使用缓存文件夹 {not_a_folder}：它不是文件夹。\n")
    en = cli_forked(["--ledger", ledger, "--lang", "en", "show", "2-1", "--format", "json"],
                    {"CYTRACK_DEBUG": "1", "CYTRACK_LANG": "zh"})
    assert (en.rc, en.err) == (0, f"cytrack: debug: not using the cache folder {not_a_folder}: it is not a folder.\n")
    assert not_a_folder.read_bytes() == b""


def test_a_key_file_that_others_can_read_or_that_is_a_link_is_not_used(tmp_path, monkeypatch):
    ledger = make_ledger(tmp_path)
    folder = Path(os.environ[cache.DIR_ENV])
    _entry(ledger)
    key = folder / cache.KEY_NAME
    os.chmod(key, 0o644)
    assert cache.secret_key(folder) is None and cache.find_entry(ledger.read_bytes(), str(ledger)) is None
    os.chmod(key, 0o600)
    assert cache.find_entry(ledger.read_bytes(), str(ledger)) is not None
    moved = tmp_path / "key"
    os.rename(key, moved)
    os.symlink(moved, key)
    assert cache.secret_key(folder) is None


def _swap_ids(entry: Path) -> None:
    """A signed entry whose id list names 2-2's block as 2-1 and 2-1's as 2-9 (its frames, layout and
    lines all true: each commitment's frame still matches its block's bytes)."""
    found = codec.parse_entry(entry.read_bytes()[len(cache.MAGIC) + cache.MAC_SIZE :])
    ids = list(found.ids)
    a, b = ids.index("2-1"), ids.index("2-2")
    ids[a], ids[b] = "2-9", "2-1"
    forged = codec.Entry(found.source, found.sections, found.problems, tuple(ids), found.secs, found.lines,
                         found.layout, found.counts, [bytes(f) for f in found.frames])
    parts = b"".join(len(f).to_bytes(8, "little") + bytes(f) for f in (forged.header(), *forged.frames))
    entry.write_bytes(cache.MAGIC + cache._mac(cache.secret_key(entry.parent), entry.name, parts) + parts)


@needs_fork
@pytest.mark.parametrize("broken", [False, True], ids=["ours", "trusts-the-cache"])
def test_the_cache_never_decides_which_commitment_a_write_touches(tmp_path, monkeypatch, broken):
    ledger = make_ledger(tmp_path)
    _swap_ids(_entry(ledger))
    if broken:
        monkeypatch.setattr(writeview.View, "_block_is", lambda self, i, table, window: True)
    run = cli_forked(["--ledger", ledger, "update", "2-1", "--note", "for 2-1", "--date", "2026-11-25"])
    assert run.rc == 0, run.err
    by_id = {c["id"]: [e["note"] for e in c.get("progress", [])] for c in data_of(ledger)["commitments"]}
    if broken:  # what the property forbids: the note went into 2-2
        assert by_id["2-2"] == ["for 2-1"] and by_id["2-1"] == []
        return
    assert by_id["2-1"] == ["for 2-1"] and by_id["2-2"] == []


@pytest.mark.parametrize("broken", [False, True], ids=["ours", "any-name"])
def test_eviction_deletes_only_cytracks_own_entries(tmp_path, monkeypatch, broken):
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv(cache.DIR_ENV, str(folder))
    users = {f"{name}.ledger": f"the user's {name}".encode() for name in ("a", "b", "c", "d", "e")}
    users["0" * 40 + ".ledger"] = b"looks like an entry by name only"
    users[".tmp-abcdefgh.tmp"] = b"a user's file named like a temp file, but not ours... by age"
    for name, data in users.items():
        (folder / name).write_bytes(data)
        os.utime(folder / name, (1_000, 1_000))  # older than any entry
    os.chmod(folder / ".tmp-abcdefgh.tmp", 0o644)
    os.utime(folder / ".tmp-abcdefgh.tmp", (time.time(), time.time()))  # recent: not a crash's leftover
    if broken:
        monkeypatch.setattr(cache, "_ENTRY_NAME", __import__("re").compile(r".*\.ledger"))
        monkeypatch.setattr(cache, "_is_own", lambda item: True)
    for n in range(cache.KEEP + 2):
        load_ledger(make_ledger(tmp_path, BASE + f"# {n}\n", name=f"l{n}.toml"))
    left = {p.name for p in folder.iterdir()}
    if broken:  # what the property forbids: the user's files were deleted
        assert not set(users) <= left
        return
    assert set(users) <= left
    assert all((folder / name).read_bytes() == data for name, data in users.items())
    assert len([n for n in left if cache._ENTRY_NAME.fullmatch(n) and n not in users]) >= cache.KEEP


def _fifo_entry(ledger: Path) -> Path:
    entry = cache.entry_for(ledger.read_bytes())
    assert entry is not None
    entry.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(entry)
    return entry


def test_a_fifo_or_a_device_link_as_cache_entry_is_a_miss_at_once(tmp_path):
    ledger = make_ledger(tmp_path)
    entry = _fifo_entry(ledger)
    run = cli_forked(["--ledger", ledger, "update", "2-1", "--note", "fifo", "--date", "2026-11-25"])
    assert run.rc == 0, run.err
    other = make_ledger(tmp_path, BASE + "# other\n", name="other.toml")
    os.symlink("/dev/zero", cache.entry_for(other.read_bytes()))
    assert cli_forked(["--ledger", other, "list"]).rc == 0
    assert stat.S_ISFIFO(os.lstat(entry).st_mode) or not entry.exists()


@needs_fork
def test_a_cache_that_reads_entries_with_a_plain_open_hangs_on_a_fifo(tmp_path, monkeypatch):
    """The negative control: what the FIFO test forbids (an ``update`` stuck while it holds the lock)."""
    ledger = make_ledger(tmp_path)
    _fifo_entry(ledger)
    monkeypatch.setattr(cache, "_signed", lambda path: memoryview(Path(path).read_bytes()))
    # in the forked child itself (a grandchild would outlive the kill below, blocked on the FIFO)
    pid = fork(lambda: cache.read(cache.key(ledger.read_bytes())) is None)
    time.sleep(1.0)
    assert os.waitpid(pid, os.WNOHANG) == (0, 0)  # still stuck
    os.kill(pid, 9)
    assert wait(pid) == -9
