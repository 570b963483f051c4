"""Finding the ledger (contract §2), the bundled copy, `cytrack init`, and shell completion."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHIPPED
from typer.main import get_command

from cytrack.cli import app
from cytrack.ledger.load import bundled_ledger_path

BUNDLED_NOTE = (
    "cytrack：本目录及上级目录都没有 data/commitments.toml，正在读取 cytrack 附带的台账副本"
    "（只读；`cytrack init` 可写出一份供编辑的副本）。\n"
)
ONE = """
[[commitments]]
id = "9-1"
section = 1
title = "一项"
lead = "市科技局"
status = "not_started"
"""
NEXT_ZH = (
    "下一步：\n"
    "  查看全部承诺事项：cytrack list\n"
    "  记录进展：cytrack update 2-1 --note \"进展情况\" --percent 10\n"
    "  台账纳入 git 后，让 git 正确合并它：cytrack git-setup\n"
)


REPLY_UNKNOWN = "# Reply date unknown: fill in `replied` when confirmed.\n"
TRACKING = {
    "zh": "tracking_since = 2026-12-02  # 跟踪起始日期（cytrack init 写入）：尚无进展的事项自此日起判断是否久未更新；"
          "答复日期 replied 确认后以其为准\n",
    "en": "tracking_since = 2026-12-02  # when tracking began (written by cytrack init): commitments with no progress"
          " count toward stale from here; replied takes over once known\n",
}
TRACKING_SAID = {
    "zh": "台账没有答复日期（replied），已在 [source] 写入 tracking_since = 2026-12-02："
    "尚无进展的事项自此日起判断是否久未更新。",
    "en": "The ledger has no reply date (replied), so [source] now has tracking_since = 2026-12-02: commitments"
          " with no progress count toward stale from that day.",
}


def initialised(lang: str = "zh") -> bytes:
    """The shipped ledger as ``init`` writes it on 2026-12-02: with the tracking start in [source]."""
    text = SHIPPED.read_text(encoding="utf-8")
    assert text.count(REPLY_UNKNOWN) == 1 and "replied =" not in text.replace("如 replied =", "")
    return text.replace(REPLY_UNKNOWN, REPLY_UNKNOWN + TRACKING[lang]).encode("utf-8")


@pytest.fixture(autouse=True)
def _today(today) -> None:  # type: ignore[no-untyped-def]
    today("2026-12-02")


def ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.stderr
    return [r["id"] for r in json.loads(result.stdout)]


@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder with no ledger in it or above it."""
    folder = tmp_path / "empty"
    folder.mkdir()
    monkeypatch.chdir(folder)
    assert not any((p / "data" / "commitments.toml").exists() for p in (folder, *folder.parents))
    return folder


def test_bundled_copy_is_byte_identical_to_the_shipped_ledger():
    assert bundled_ledger_path().read_bytes() == SHIPPED.read_bytes()


def test_discovery_from_a_nested_subfolder(cli, tmp_path, monkeypatch, write_ledger):
    (tmp_path / "data").mkdir()
    write_ledger(ONE, name="data/commitments.toml")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    result = cli("validate")
    assert result.exit_code == 0
    assert result.stdout == f"{Path('../../../data/commitments.toml')}：检查通过，共1项承诺事项。\n"
    assert result.stderr == ""
    assert ids(cli("list", "--format", "json")) == ["9-1"]


def test_env_beats_discovery_and_flag_beats_env(cli, tmp_path, monkeypatch, write_ledger):
    (tmp_path / "data").mkdir()
    write_ledger(ONE, name="data/commitments.toml")
    env_ledger = write_ledger(ONE.replace("9-1", "8-1"), name="env.toml")
    flag_ledger = write_ledger(ONE.replace("9-1", "7-1"), name="flag.toml")
    monkeypatch.chdir(tmp_path)
    assert ids(cli("list", "--format", "json")) == ["9-1"]
    monkeypatch.setenv("CYTRACK_LEDGER", str(env_ledger))
    assert ids(cli("list", "--format", "json")) == ["8-1"]
    assert ids(cli("--ledger", flag_ledger, "list", "--format", "json")) == ["7-1"]
    assert ids(cli("list", "--format", "json", "--ledger", flag_ledger)) == ["7-1"]


def test_bundled_fallback_from_an_empty_folder(cli, nowhere):
    result = cli("list", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == BUNDLED_NOTE
    assert len(json.loads(result.stdout)) == 31


def test_bundled_fallback_in_a_real_process(nowhere):
    env = {k: v for k, v in os.environ.items() if k not in ("CYTRACK_LEDGER", "NO_COLOR")}
    proc = subprocess.run(
        [sys.executable, "-m", "cytrack", "show", "2-3", "--format", "json"],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=nowhere, timeout=60,
    )
    assert proc.returncode == 0
    assert proc.stderr == BUNDLED_NOTE
    assert json.loads(proc.stdout)["id"] == "2-3"


def _registered(name: str) -> bool:
    return name in get_command(app).commands  # type: ignore[attr-defined]


@pytest.mark.skipif(not _registered("update"), reason="`cytrack update` is not built yet")
def test_writes_refuse_the_bundled_copy(cli, nowhere):
    before = bundled_ledger_path().read_bytes()
    result = cli("update", "1-1", "--note", "试写", "--percent", "10")
    assert result.exit_code == 3
    assert "cytrack init" in result.stderr.splitlines()[-1]
    assert bundled_ledger_path().read_bytes() == before
    assert not any(nowhere.iterdir())


def test_init_writes_the_bundled_ledger_here(cli, nowhere):
    result = cli("init")
    assert result.exit_code == 0
    written = Path("data") / "commitments.toml"
    done = f"已创建台账 {written}（31 项承诺事项，复制自 cytrack 自带的第1181号提案台账）。\n"
    assert result.stdout == done + TRACKING_SAID["zh"] + "\n" + NEXT_ZH
    assert result.stderr == ""
    assert (nowhere / written).read_bytes() == initialised()
    assert sorted(p.name for p in (nowhere / "data").iterdir()) == ["commitments.toml"]
    # The new copy is found from here on: no bundled note any more.
    listed = cli("list", "--format", "json")
    assert listed.stderr == "" and len(json.loads(listed.stdout)) == 31


def test_init_never_overwrites(cli, nowhere):
    target = nowhere / "data" / "commitments.toml"
    target.parent.mkdir()
    target.write_bytes(b"# mine\n")
    result = cli("init")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"cytrack: {Path('data/commitments.toml')} 已存在；init 从不覆盖台账。请直接编辑该文件，或换一个路径。\n"
    )
    result = cli("--lang", "en", "init")
    assert result.stderr == (
        f"cytrack: {Path('data/commitments.toml')} already exists; init never overwrites a ledger."
        " Edit that file, or give another PATH.\n"
    )
    assert target.read_bytes() == b"# mine\n"


def test_init_into_a_folder_and_elsewhere_in_english(cli, nowhere):
    project = nowhere / "project"
    project.mkdir()
    result = cli("--lang", "en", "init", project)
    written = project / "data" / "commitments.toml"
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == [
        f"Created the ledger {written} (31 commitments, a copy of the ledger bundled with cytrack).",
        TRACKING_SAID["en"],
        f"Note: it is not found from this folder; add --ledger {written}, or set CYTRACK_LEDGER={written}.",
    ]
    assert written.read_bytes() == initialised("en")


def test_init_at_the_ledger_flag_path(cli, nowhere):
    result = cli("--ledger", "mine.toml", "init")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("已创建台账 mine.toml（31 项")
    assert (nowhere / "mine.toml").read_bytes() == initialised()
    assert ids(cli("--ledger", "mine.toml", "list", "--format", "json"))[0] == "1-1"


# Shell completion: Typer's bash protocol, run in-process.


def complete(cli, words: str, **env: str) -> list[str]:  # type: ignore[no-untyped-def]
    """What bash would offer after ``words`` (a trailing space means a new, empty word)."""
    parts = words.split(" ")
    result = cli(
        env={"_CYTRACK_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1), **env},
        prog_name="cytrack",
    )
    assert result.exit_code == 0
    assert result.stderr == ""
    return result.stdout.split()


def test_ids_owners_statuses_and_tags_complete_from_the_ledger(cli, monkeypatch):
    monkeypatch.setenv("CYTRACK_LEDGER", str(SHIPPED))
    assert complete(cli, "cytrack show 2-") == ["2-1", "2-2", "2-3", "2-4", "2-5", "2-6"]
    assert complete(cli, "cytrack list --owner 市科") == ["市科技局"]
    assert complete(cli, "cytrack list --status d") == ["done", "dropped"]
    assert complete(cli, "cytrack list --status 推") == ["推进中"]
    assert complete(cli, "cytrack list --tag 金") == ["金融", "金融监管"]


def test_completion_reads_the_ledger_flag(cli, write_ledger):
    ledger = write_ledger(ONE)
    assert complete(cli, f"cytrack --ledger {ledger} show ") == ["9-1"]
    assert complete(cli, f"cytrack show --ledger {ledger} 9") == ["9-1"]


def test_completion_is_silent_without_a_usable_ledger(cli, tmp_path, write_ledger):
    broken = write_ledger("schema = [\n", bare=True)
    assert complete(cli, f"cytrack --ledger {tmp_path / 'missing.toml'} show ") == []
    assert complete(cli, f"cytrack --ledger {broken} list --owner ") == []
