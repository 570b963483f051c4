"""Golden files: the weekly report in both languages and all three formats, and the text of overdue/stale.

The fixture ledger ``golden/weekly-ledger.toml`` holds every computed state as of 2026-11-29
(see the comment above each commitment).  After a deliberate change of wording, regenerate with
``UPDATE_GOLDEN=1 python -m pytest tests/test_reports_golden.py`` and read the diff before keeping it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
LEDGER = GOLDEN / "weekly-ledger.toml"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
BOX_OR_ESCAPE = re.compile("[\x1b\u2500-\u257f\u2580-\u259f]")
EXTENSIONS = {"text": "txt", "markdown": "md", "json": "json"}


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(actual.encode("utf-8"))
    assert actual == path.read_bytes().decode("utf-8"), f"differs from {path}; see the module docstring"


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_weekly_report_matches_its_golden_file(cli, lang, fmt):
    result = cli("--ledger", LEDGER, "--lang", lang, "report", "weekly", "--week", "2026-W48", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert not BOX_OR_ESCAPE.search(result.stdout)
    check_golden(f"weekly-{lang}.{EXTENSIONS[fmt]}", result.stdout)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_as_of_the_sunday_and_lang_after_the_command_give_the_same_report(cli, fmt):
    by_week = cli("--ledger", LEDGER, "report", "weekly", "--week", "2026-W48", "--format", fmt, "--lang", "en")
    by_date = cli("--ledger", LEDGER, "--lang", "en", "report", "weekly", "--as-of", "2026年11月29日", "--format", fmt)
    assert by_week.exit_code == by_date.exit_code == 0
    assert by_week.stdout == by_date.stdout


def test_the_chinese_text_follows_the_contract_layout():
    """The golden file itself, checked line by line against the shape of the sample in contract §3."""
    lines = (GOLDEN / "weekly-zh.txt").read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["第1181号提案答复承诺事项落实情况周报", "（2026年11月23日—2026年11月29日）", ""]
    parts = [line for line in lines if re.match("^[一二三四五]、", line)]
    assert parts == [
        "一、总体情况", "二、本周进展", "三、逾期事项", "四、近期到期（2026年11月30日—2026年12月6日）", "五、久未更新",
    ]
    for i, line in enumerate(lines):
        if line in parts[1:]:
            assert lines[i - 1] == "", "a blank line before each part"
    assert lines[4] == (
        "共14项承诺事项，已办结1项、推进中10项、受阻1项、未启动1项、已终止1项；逾期2项；本周办结2项；平均进度44.2%。"
    )
    sections = [line for line in lines if re.match("^（[一二三四]）", line)]
    assert sections == [
        "（一）持续开展体制机制创新",
        "（二）持续加强产业协同发展",
        "（三）持续强化科技创新支撑",
        "（四）持续加强高层次人才培养",
    ]
    # The sample's lines, item for item (the numbers differ only by position).
    items = {re.sub(r"^\d+\. ", "", line) for line in lines}
    assert (
        "【1-3】电走廊、氢走廊、智行走廊建设：进度由40%升至50%。已完成氢走廊加氢站布局方案。（市经济信息委，2026年11月24日）"
    ) in items
    assert "【1-1】成本分担和利益共享机制：逾期333天（完成时限2025年12月31日，市发展改革委）。" in items
    assert "【2-3】金融领域双核联动“五项行动”：最近更新2026年9月1日，按月报送。" in items
    assert lines[lines.index("（四）持续加强高层次人才培养") + 1] == "本部分本周无新进展。"


def test_the_json_golden_has_the_contract_shape():
    data = json.loads((GOLDEN / "weekly-zh.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in data["progress"]] == ["1-2", "1-3", "1-4", "2-1", "2-2", "3-6"]
    assert [r["id"] for r in data["overdue"]] == ["1-1", "2-2"]
    assert [r["days_overdue"] for r in data["overdue"]] == [333, 243]
    assert [r["id"] for r in data["due_next_week"]] == ["1-4", "1-3"]
    assert {r["id"] for r in data["stale"]} == {"2-3", "2-4", "3-1", "3-2", "3-3", "3-4", "3-5"}
    assert data["summary"]["closed_in_period"] == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overdue_and_stale_text_match_their_golden_files(cli, lang):
    overdue = cli("--ledger", LEDGER, "--lang", lang, "overdue", "--format", "text", "--as-of", "2026-11-29")
    stale = cli("--ledger", LEDGER, "--lang", lang, "stale", "--format", "text", "--as-of", "2026-11-29")
    assert (overdue.exit_code, stale.exit_code) == (0, 0)
    check_golden(f"overdue-{lang}.txt", overdue.stdout)
    check_golden(f"stale-{lang}.txt", stale.stdout)
