"""Acceptance of issue 16 as an outsider checks it: a generated office (replies sharing bare ids,
both kinds, three years), partly grown through the CLI, is listed, filtered, updated, validated,
reported, exported and merged through ``cytrack``; JSON is compared with the generator's own
answers (``office_oracle``) and every untouched file's bytes with sha256.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from office_oracle import (
    AS_OF,
    Entry,
    Ext,
    Item,
    Reply,
    late_touches,
    make_replies,
    reply_text,
    rows,
    state,
    write_office,
)

WHEN = AS_OF.isoformat()
TODAY = "2026-12-02"
ROW_KEYS = ["id", "reply", "section", "title", "lead", "co_owners", "status", "percent", "due",
            "days_overdue", "last_update", "tags", "light"]


def natural(text: str) -> list:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text)]


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.toml"))}


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result.stdout


@pytest.fixture
def office(tmp_path: Path, cli, today):  # type: ignore[no-untyped-def]
    """The generated office plus two replies and three commitments added as a user would."""
    today(TODAY)
    replies = make_replies()
    late_touches(replies)
    entry = write_office(tmp_path, replies)
    L = ("--ledger", entry)
    out = ok(cli(*L, "reply", "add", "--kind", "suggestion", "--number", "999", "--title", "关于社区养老的建议",
                 "--lead-unit", "市民政局", "--co-unit", "市科技局", "--replied", "2026-08-01",
                 "--session", "市六届人大四次会议", "--category", "B"))
    assert "s999" in out and "第999号建议《关于社区养老的建议》" in out
    ok(cli(*L, "reply", "add", "--number", "4242", "--key", "cli42", "--title", "关于公交线网的提案",
           "--lead-unit", "市交通局", "--year", "2025"))
    ok(cli(*L, "add", "--reply", "s999", "--section", "1", "--title", "社区养老服务站", "--quote", "建设社区养老服务站",
           "--lead", "市民政局", "--co-owner", "市科技局", "--due", "2026-12-19", "--tag", "养老"))
    ok(cli(*L, "update", "s999/1-1", "--percent", "30", "--note", "选址完成", "--date", "2026-11-25", "--by", "王五"))
    ok(cli(*L, "add", "--reply", "cli42", "--section", "1", "--title", "公交线网优化", "--quote", "优化公交线网",
           "--lead", "市交通局", "--due", "2027-06-30"))
    ok(cli(*L, "add", "--reply", "cli42", "--section", "7", "--title", "夜间公交", "--quote", "开通夜间公交",
           "--lead", "市交通局"))
    s999 = Reply("replies/s999.toml", "suggestion", "999", "关于社区养老的建议", "市民政局",
                 replied=date(2026, 8, 1), session="市六届人大四次会议")
    s999.items.append(Item("1-1", 1, "社区养老服务站", "建设社区养老服务站", "市民政局", ["市科技局"],
                           "in_progress", 30, date(2026, 12, 19), None, ["养老"],
                           [Entry(date(2026, 11, 25), "选址完成", "in_progress", 30, "王五")]))
    cli42 = Reply("replies/cli42.toml", "proposal", "4242", "关于公交线网的提案", "市交通局", key_field="cli42",
                  year_field=2025, tracking_since=date.fromisoformat(TODAY))
    cli42.items.append(Item("1-1", 1, "公交线网优化", "优化公交线网", "市交通局", [], "not_started", 0,
                            date(2027, 6, 30), None, []))
    cli42.items.append(Item("7-1", 7, "夜间公交", "开通夜间公交", "市交通局", [], "not_started", 0, None, None, []))
    replies += [s999, cli42]
    return entry, replies


def listing(cli, entry: Path, *args: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return json.loads(ok(cli("--ledger", entry, "list", "--format", "json", "--as-of", WHEN, *args)))


def expect(replies: list[Reply], keep=lambda row: True) -> list[dict]:  # type: ignore[no-untyped-def]
    return sorted((r for r in rows(replies) if keep(r)), key=lambda r: natural(r["id"]))


# --- listing ---------------------------------------------------------------------------------------


def test_list_json_is_the_generators_answer_row_for_row(cli, office):
    entry, replies = office
    got = listing(cli, entry)
    assert all(list(row) == ROW_KEYS for row in got)
    assert got == expect(replies)
    assert len({r["reply"] for r in got}) == 14
    # the CLI-built reply file is what the options said
    src = tomllib.loads((entry.parent / "replies" / "s999.toml").read_text(encoding="utf-8"))["source"]
    assert (src["kind"], src["proposal"], src["replied"], src["session"], src["co_units"]) == (
        "suggestion", "999", date(2026, 8, 1), "市六届人大四次会议", ["市科技局"])
    src = tomllib.loads((entry.parent / "replies" / "cli42.toml").read_text(encoding="utf-8"))["source"]
    assert (src["key"], src["year"], src["tracking_since"]) == ("cli42", 2025, date.fromisoformat(TODAY))
    assert tomllib.loads(entry.read_text(encoding="utf-8")) == {"schema": 1, "include": ["replies/*.toml"]}


def test_the_installed_console_script_and_python_m_print_the_same_json(office):
    entry, replies = office
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CYTRACK_LEDGER", None)
    script = Path(sys.executable).with_name("cytrack")
    commands = [[sys.executable, "-m", "cytrack"]] + ([[str(script)]] if script.exists() else [])
    for command in commands:
        done = subprocess.run([*command, "--ledger", str(entry), "list", "--format", "json", "--as-of", WHEN],
                              capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == expect(replies)
        assert "\x1b" not in done.stdout


def year_of(replies: list[Reply]) -> dict[str, int | None]:
    return {r.key: r.year for r in replies}


FILTERS = [
    (("--reply", "1181"), lambda r, k: r["reply"] == "1181"),
    (("--reply", "s1181", "--reply", "rd12"), lambda r, k: r["reply"] in ("s1181", "rd12")),
    (("--reply", "S523"), lambda r, k: r["reply"] == "s523"),
    (("--kind", "suggestion"), lambda r, k: k[r["reply"]].kind == "suggestion"),
    (("--kind", "proposal"), lambda r, k: k[r["reply"]].kind == "proposal"),
    (("--year", "2024"), lambda r, k: k[r["reply"]].year == 2024),
    (("--year", "2025"), lambda r, k: k[r["reply"]].year == 2025),
    (("--year", "2026", "--kind", "suggestion"), lambda r, k: k[r["reply"]].year == 2026
     and k[r["reply"]].kind == "suggestion"),
    (("--kind", "proposal", "--status", "blocked"), lambda r, k: k[r["reply"]].kind == "proposal"
     and r["status"] == "blocked"),
    (("--year", "2024", "--overdue"), lambda r, k: k[r["reply"]].year == 2024 and r["days_overdue"] is not None),
    (("--reply", "s7", "--reply", "zx45_2024", "--stale"), None),
    (("--kind", "suggestion", "--owner", "市民政局"), lambda r, k: k[r["reply"]].kind == "suggestion"
     and any("市民政局" in u for u in [r["lead"], *r["co_owners"]])),
    (("--search", "养老", "--year", "2026"), None),
    (("--reply", "cli42",), lambda r, k: r["reply"] == "cli42"),
]


@pytest.mark.parametrize(("args", "keep"), FILTERS, ids=[" ".join(a) for a, _ in FILTERS])
def test_filters_narrow_to_the_generators_rows(cli, office, args, keep):
    entry, replies = office
    by_key = {r.key: r for r in replies}
    if "--stale" in args:
        stale = {f"{r.key}/{i.id}" for r in replies for i in r.items if state(r, i)["stale"]}
        keep = lambda row, k: row["reply"] in ("s7", "zx45_2024") and row["id"] in stale  # noqa: E731
    if "--search" in args:
        hits = {f"{r.key}/{i.id}" for r in replies for i in r.items
                if "养老" in i.title + i.quote + "".join(e.note for e in i.progress if e.date <= AS_OF)}
        keep = lambda row, k: k[row["reply"]].year == 2026 and row["id"] in hits  # noqa: E731
    want = expect(replies, lambda row: keep(row, by_key))
    assert want, args  # every filter here keeps something
    got = listing(cli, entry, *args)
    assert got == want
    assert all("/" in row["id"] for row in got)  # still qualified, however few are left


@pytest.mark.parametrize("command", [("list",), ("overdue",), ("stale",), ("summary",), ("report", "weekly"),
                                     ("export", "--format", "json")])
def test_an_unknown_reply_key_is_exit_2_listing_every_key(cli, office, command):
    entry, replies = office
    before = hashes(entry.parent)
    result = cli("--ledger", entry, *command, "--reply", "1181", "--reply", "nope", "--as-of", WHEN)
    assert result.exit_code == 2, result.stdout
    assert "nope" in result.stderr
    for r in replies:
        assert r.key in result.stderr
    assert result.stdout == ""
    assert hashes(entry.parent) == before


def test_year_filter_takes_year_then_replied_then_tracking_since(cli, office):
    entry, replies = office
    got = {row["reply"] for row in listing(cli, entry, "--year", "2025")}
    # s523/1002/s1181: replied 2025; 305: tracking_since 2025; cli42: year = 2025 (tracking_since 2026);
    # zx45_2024: year = 2025 (replied 2024)
    assert got == {"s523", "1002", "s1181", "305", "cli42", "zx45_2024"}
    assert "zx45_2024" not in {row["reply"] for row in listing(cli, entry, "--year", "2024")}
    assert {row["reply"] for row in listing(cli, entry, "--year", "2026")} == {"p77-2026", "s88", "s301", "610", "s999"}


# --- show ----------------------------------------------------------------------------------------


def test_show_a_bare_id_held_by_one_reply_and_one_held_by_several(cli, office):
    entry, replies = office
    shown = json.loads(ok(cli("--ledger", entry, "show", "7-1", "--format", "json", "--as-of", WHEN)))
    assert (shown["id"], shown["reply"], shown["title"]) == ("cli42/7-1", "cli42", "夜间公交")
    shown = json.loads(ok(cli("--ledger", entry, "show", "s999/1-1", "--format", "json", "--as-of", WHEN)))
    assert list(shown) == [*ROW_KEYS, "quote", "due_basis", "review", "progress", "extensions"]
    assert shown["progress"] == [{"date": "2026-11-25", "status": "in_progress", "percent": 30, "note": "选址完成",
                                  "by": "王五", "evidence": None}]
    assert {k: shown[k] for k in ROW_KEYS} == next(r for r in rows(replies) if r["id"] == "s999/1-1")
    # every commitment of three replies: the row as of D, and the whole log and extensions as written
    for r in (x for x in replies if x.key in ("1181", "s7", "s523")):
        for it in r.items:
            shown = json.loads(ok(cli("--ledger", entry, "show", f"{r.key}/{it.id}", "--format", "json",
                                      "--as-of", WHEN)))
            assert {k: shown[k] for k in ROW_KEYS} == next(x for x in rows(replies) if x["id"] == shown["id"])
            assert shown["progress"] == [{"date": e.date.isoformat(), "status": e.status, "percent": e.percent,
                                          "note": e.note, "by": e.by, "evidence": e.evidence} for e in it.progress]
            assert shown["extensions"] == [{"date": x.date.isoformat(), "new_due": x.new_due.isoformat(),
                                            "reason": x.reason, "approved_by": None} for x in it.extensions]
    result = cli("--ledger", entry, "show", "1-1", "--as-of", WHEN)
    assert result.exit_code == 2 and result.stdout == ""
    holders = sorted((f"{r.key}/1-1" for r in replies if any(i.id == "1-1" for i in r.items)), key=natural)
    assert len(holders) == 14
    listed = re.findall(r"[\w-]+/1-1", result.stderr)
    assert sorted(listed, key=natural) == holders
    result = cli("--ledger", entry, "show", "nope/1-1")
    assert result.exit_code == 2


# --- overdue, stale, summary ----------------------------------------------------------------------


def test_overdue_and_stale_across_replies(cli, office):
    entry, replies = office
    got = json.loads(ok(cli("--ledger", entry, "overdue", "--format", "json", "--as-of", WHEN)))
    want = [r for r in rows(replies) if r["days_overdue"] is not None]
    want.sort(key=lambda r: (-r["days_overdue"], natural(r["id"])))
    assert got == want  # most overdue first, ties by id
    check = cli("--ledger", entry, "overdue", "--check", "--as-of", WHEN, "--reply", "cli42")
    assert check.exit_code == 0
    check = cli("--ledger", entry, "overdue", "--check", "--as-of", WHEN, "--kind", "suggestion")
    assert check.exit_code == 1
    # 610 has neither replied nor tracking_since: its commitment without entries cannot be judged (§7)
    assert sum(state(r, i)["unjudged"] for r in replies for i in r.items) == 1
    text = ok(cli("--ledger", entry, "stale", "--as-of", WHEN, "--reply", "610"))
    assert "1项承诺事项尚无进展记录" in text and "tracking_since" in text
    assert "所在答复件（" in text and "replies/2026-610.toml）" in text.replace("\n", "")  # which file to fix
    text = ok(cli("--ledger", entry, "--lang", "en", "report", "weekly", "--as-of", WHEN))
    assert "the [source] of their replies (" in text and "replies/2026-610.toml)" in text
    stale = json.loads(ok(cli("--ledger", entry, "stale", "--format", "json", "--as-of", WHEN)))
    assert all(list(row) == ROW_KEYS for row in stale)
    assert stale == stale_in_order(replies)
    # --days N overrides every rhythm: quiet for more than N days since the last entry (or the start)
    days100 = json.loads(ok(cli("--ledger", entry, "stale", "--days", "100", "--format", "json", "--as-of", WHEN)))
    quiet = {}
    for r in replies:
        for i in r.items:
            s = state(r, i)
            base = s["last_update"] or r.replied or r.tracking_since
            if s["status"] not in ("done", "dropped") and base is not None and base + timedelta(days=100) < AS_OF:
                quiet[f"{r.key}/{i.id}"] = base
    assert [row["id"] for row in days100] == sorted(quiet, key=lambda k: (quiet[k], natural(k)))
    assert sorted(stale, key=lambda r: natural(r["id"])) == expect(
        replies, lambda row: row["id"] in {f"{r.key}/{i.id}" for r in replies for i in r.items if state(r, i)["stale"]})


def _counts(items: list[tuple[Reply, Item]]) -> dict:
    states = [state(r, i) for r, i in items]
    by = {s: 0 for s in ("not_started", "in_progress", "blocked", "done", "dropped")}
    for s in states:
        by[s["status"]] += 1
    lights = {c: sum(s["light"] == c for s in states) for c in ("red", "yellow", "blue")}
    return {"total": len(states), "by_status": by, "overdue": sum(s["days_overdue"] is not None for s in states),
            "stale": sum(s["stale"] for s in states), "lights": lights,
            "average_percent": _mean([s["percent"] for s in states if s["status"] != "dropped"]),
            "unjudged": sum(s["unjudged"] for s in states)}


def _mean(values: list[int]) -> float:
    """Average percent leaves out dropped commitments, rounded half up (docs/decisions.md)."""
    if not values:
        return 0.0
    return float((Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _drop_avg(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "average_percent"}


def test_summary_per_reply_and_per_lead_unit(cli, office):
    entry, replies = office
    got = json.loads(ok(cli("--ledger", entry, "summary", "--format", "json", "--as-of", WHEN)))
    every = [(r, i) for r in replies for i in r.items]
    want = _counts(every)
    assert {k: got[k] for k in want if k != "average_percent"} == _drop_avg(want)
    assert got["average_percent"] == want["average_percent"]
    assert [x["reply"] for x in got["replies"]] == [r.key for r in sorted(replies, key=lambda r: r.file)]
    for block in got["replies"]:
        r = next(r for r in replies if r.key == block["reply"])
        assert (block["kind"], block["number"], block["title"], block["year"]) == (r.kind, r.number, r.title, r.year)
        w = _counts([(r, i) for i in r.items]) if r.items else None
        if w:
            assert {k: block[k] for k in w if k != "average_percent"} == _drop_avg(w), r.key
            assert block["average_percent"] == w["average_percent"], r.key
    leads = {i.lead for _, i in every}
    assert {o["lead"] for o in got["owners"]} == leads
    for o in got["owners"]:
        w = _counts([(r, i) for r, i in every if i.lead == o["lead"]])
        assert {k: o[k] for k in w if k != "average_percent"} == _drop_avg(w), o["lead"]
        assert o["average_percent"] == w["average_percent"], o["lead"]
    narrowed = json.loads(ok(cli("--ledger", entry, "summary", "--format", "json", "--as-of", WHEN,
                                 "--kind", "suggestion", "--year", "2024")))
    assert [x["reply"] for x in narrowed["replies"]] == ["rd12", "s7"]
    assert narrowed["total"] == sum(len(r.items) for r in replies if r.key in ("rd12", "s7"))


# --- the weekly report ---------------------------------------------------------------------------

CN = "〇一二三四五六七八九十"


def cn_number(n: int) -> str:
    if n <= 10:
        return CN[n]
    return ("" if n < 20 else CN[n // 10]) + "十" + (CN[n % 10] if n % 10 else "")


def part_items(part: list[str]) -> list[str]:
    """The item lines of 本周进展, in order (not the reply or section headings)."""
    return [line for line in part if re.match(r"(（\d+）|\d+\. )【", line)]


def stale_in_order(replies: list[Reply]) -> list[dict]:
    """Stale rows, longest quiet first (the day each became stale), ties by id."""
    since = {f"{r.key}/{i.id}": state(r, i)["stale_since"] for r in replies for i in r.items}
    return sorted((row for row in rows(replies) if since[row["id"]]), key=lambda row: (since[row["id"]],
                                                                                      natural(row["id"])))


def week_entries(replies: list[Reply]) -> list[tuple[Reply, Item, Entry]]:
    start = AS_OF - timedelta(days=AS_OF.weekday())
    out = []
    for r in sorted(replies, key=lambda r: r.file):
        for it in sorted(r.items, key=lambda i: i.section):
            out += [(r, it, e) for e in it.progress if start <= e.date <= AS_OF]
    return out


def test_weekly_report_groups_by_reply_then_section_in_gongwen_levels(cli, office):
    entry, replies = office
    # two closed this week, in two replies whose bare id is the same
    for key in ("s999", "cli42"):
        ok(cli("--ledger", entry, "update", f"{key}/1-1", "--status", "done", "--evidence", "验收报告",
               "--note", "已办结", "--date", "2026-11-26"))
        r = next(r for r in replies if r.key == key)
        r.items[0].progress.append(Entry(date(2026, 11, 26), "已办结", "done", 100, evidence="验收报告"))
    got = json.loads(ok(cli("--ledger", entry, "report", "weekly", "--format", "json", "--as-of", WHEN)))
    monday = AS_OF - timedelta(days=AS_OF.weekday())
    closed = sum(1 for r in replies for i in r.items if state(r, i)["status"] in ("done", "dropped")
                 and state(r, i, monday - timedelta(days=1))["status"] not in ("done", "dropped"))
    assert closed >= 2
    want = _counts([(r, i) for r in replies for i in r.items])
    assert got["summary"] == {"total": want["total"], "by_status": want["by_status"], "overdue": want["overdue"],
                              "closed_in_period": closed, "average_percent": want["average_percent"],
                              "lights": want["lights"], "unjudged": want["unjudged"]}
    news = week_entries(replies)
    assert len({r.key for r, _, _ in news}) >= 2
    assert got["period"] == {"start": "2026-11-23", "end": WHEN}
    assert [(p["id"], p["reply"], p["date"], p["note"]) for p in got["progress"]] == [
        (f"{r.key}/{i.id}", r.key, e.date.isoformat(), e.note) for r, i, e in news]
    assert got["overdue"] == sorted((r for r in rows(replies) if r["days_overdue"] is not None),
                                    key=lambda r: (-r["days_overdue"], natural(r["id"])))
    assert got["summary"]["total"] == sum(len(r.items) for r in replies)
    soon = [r for r in rows(replies) if r["status"] not in ("done", "dropped") and r["due"]
            and 1 <= (date.fromisoformat(r["due"]) - AS_OF).days <= 7]
    assert got["due_next_week"] == sorted(soon, key=lambda r: (r["due"], natural(r["id"])))
    assert got["due_next_week"], "the generator puts some due in the next week"
    assert got["stale"] == stale_in_order(replies)

    text = ok(cli("--ledger", entry, "report", "weekly", "--as-of", WHEN))
    lines = text.splitlines()
    assert lines[1] == "（2026年11月23日—2026年11月29日）"
    part = text.split("二、本周进展\n", 1)[1].split("\n三、", 1)[0].splitlines()
    # levels never skipped: （一） reply, 1. section, （1） item, numbered from one under each parent
    seq = {"reply": 0, "section": 0, "item": 0}
    shown_replies = []
    for line in part:
        if line.startswith("（") and line[1] in CN:
            seq = {"reply": seq["reply"] + 1, "section": 0, "item": 0}
            assert line.startswith(f"（{cn_number(seq['reply'])}）第"), line
            shown_replies.append(line)
        elif re.match(r"\d+\. ", line):
            seq["section"] += 1
            seq["item"] = 0
            assert line.startswith(f"{seq['section']}. "), line
        else:
            seq["item"] += 1
            assert seq["section"] > 0 and line.startswith(f"（{seq['item']}）【"), line
    want_names = []
    for r, _, _ in news:
        if r.name not in want_names:
            want_names.append(r.name)
    assert [line.split("）", 1)[1] for line in shown_replies] == want_names
    assert any("号建议《" in n for n in want_names)

    md = ok(cli("--ledger", entry, "report", "weekly", "--format", "markdown", "--as-of", WHEN))
    for name in want_names:
        assert name in md
    for r, i, _ in news:
        assert f"{r.key}/{i.id}" in md

    # a reply without [sections]: its items take the level right below it (1.), none skipped
    first = next(r for r in sorted(replies, key=lambda r: r.file) if any(x[0] is r for x in news))
    path = entry.parent / first.file
    path.write_text(re.sub(r'\[sections\]\n(".*\n)+', "", path.read_text(encoding="utf-8")), encoding="utf-8")
    text = ok(cli("--ledger", entry, "report", "weekly", "--as-of", WHEN))
    block = text.split(f"（一）{first.name}\n", 1)[1].split("\n（二）", 1)[0].splitlines()
    assert block == [f"{n}. 【{first.key}/{i.id}】" + line.split("】", 1)[1]
                     for n, ((r, i, _), line) in enumerate(
                         ((x, y) for x, y in zip(news, part_items(part), strict=True) if x[0] is first), start=1)]


# --- validate ------------------------------------------------------------------------------------


def test_validate_duplicate_keys_bad_files_and_empty_patterns(cli, office):
    entry, replies = office
    folder = entry.parent
    assert cli("--ledger", entry, "validate").exit_code == 0
    # a duplicate key (case-insensitive) in another file names both files
    dup = folder / "replies" / "zz-dup.toml"
    dup.write_text('schema = 1\n\n[source]\nproposal = "5"\nkey = "RD12"\ntitle = "重复"\n', encoding="utf-8")
    before = hashes(folder)
    result = cli("--ledger", entry, "validate")
    assert result.exit_code == 1
    assert "2024-rd12.toml" in result.stdout + result.stderr and "zz-dup.toml" in result.stdout + result.stderr
    assert "zz-dup.toml:5:" in result.stdout + result.stderr
    assert cli("--ledger", entry, "list", "--as-of", WHEN).exit_code == 3
    assert cli("--ledger", entry, "update", "s999/1-1", "--note", "x", "--date", WHEN).exit_code == 3
    assert hashes(folder) == before
    dup.unlink()
    # a second file claiming the key of replies/s999.toml itself: `update s999/1-1` cannot know
    # which file is meant; it used to write replies/s999.toml without a word (exit 0)
    copy = (folder / "replies" / "s999.toml").read_bytes()
    copy = copy.replace(b'proposal = "999"', b'proposal = "999"\nkey = "S999"')
    (folder / "replies" / "s999-copy.toml").write_bytes(copy)
    before = hashes(folder)
    result = cli("--ledger", entry, "update", "s999/1-1", "--note", "x", "--date", WHEN)
    assert result.exit_code == 3
    assert "s999-copy.toml" in result.stderr and "replies/s999.toml:3:" in result.stderr
    assert hashes(folder) == before
    (folder / "replies" / "s999-copy.toml").unlink()
    # a file with a problem of its own still has its duplicate key reported with it
    dup.write_text('schema = 1\n\n[source]\nproposal = "5"\nkey = "RD12"\ntitle = "重复"\n\n[[commitments]]\n'
                   'id = "1-1"\nsection = 1\ntitle = "x"\nquote = "y"\nstatus = "not_started"\npercent = 0\n',
                   encoding="utf-8")
    result = cli("--ledger", entry, "validate")
    assert result.exit_code == 1
    assert re.findall(r"zz-dup\.toml:(\d+):", result.stdout + result.stderr) == ["8", "5"]
    assert "“RD12”" in result.stdout + result.stderr and "2024-rd12.toml" in result.stdout + result.stderr
    dup.unlink()
    # an invalid included file: FILE:LINE: message
    bad = folder / "replies" / "2025-305.toml"
    text = bad.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    n = next(k for k, line in enumerate(lines) if line.startswith("percent = "))
    lines[n] = "percent = 140\n"
    bad.write_text("".join(lines), encoding="utf-8")
    result = cli("--ledger", entry, "validate")
    assert result.exit_code == 1
    assert re.search(rf"replies/2025-305\.toml:{n + 1}: ", result.stdout + result.stderr), result.stdout
    bad.write_text(text, encoding="utf-8")
    # a pattern matching nothing is a warning only
    entry.write_text('schema = 1\ninclude = ["replies/*.toml", "archive/*.toml"]\n', encoding="utf-8")
    result = cli("--ledger", entry, "validate")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "archive/*.toml" in result.stderr
    assert len(listing(cli, entry)) == sum(len(r.items) for r in replies)


# --- writes touch one file -----------------------------------------------------------------------


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def test_writes_change_only_the_file_holding_the_commitment(cli, office):
    entry, replies = office
    folder = entry.parent
    L = ("--ledger", entry)
    target = next(r for r in replies if r.key == "rd12")
    it = next(i for i in target.items if state(target, i)["status"] not in ("done", "dropped"))
    before = hashes(folder)
    ok(cli(*L, "update", f"rd12/{it.id}", "--percent", "90", "--note", "阶段验收", "--date", "2026-11-27",
           "--by", "赵六"))
    assert changed(before, hashes(folder)) == {"replies/2024-rd12.toml"}
    data = tomllib.loads((folder / "replies/2024-rd12.toml").read_text(encoding="utf-8"))
    c = next(c for c in data["commitments"] if c["id"] == it.id)
    assert c["percent"] == 90 and c["progress"][-1]["note"] == "阶段验收"
    it.progress.append(Entry(date(2026, 11, 27), "阶段验收", None, 90, "赵六"))
    if it.status == "not_started":
        it.progress[-1].status = "in_progress"
    it.progress.sort(key=lambda e: e.date)

    # a bare id held by one reply is found in its file, and shown qualified
    before = hashes(folder)
    out = ok(cli(*L, "update", "7-1", "--percent", "10", "--note", "线路调研", "--date", "2026-11-28"))
    assert out.startswith("已记录 cli42/7-1 进展：推进中 10%")
    assert changed(before, hashes(folder)) == {"replies/cli42.toml"}
    cli42 = next(r for r in replies if r.key == "cli42")
    cli42.items[1].progress.append(Entry(date(2026, 11, 28), "线路调研", "in_progress", 10))

    before = hashes(folder)
    ok(cli(*L, "extend", "s7/1-1", "--to", "2027-03-31", "--reason", "资金调整", "--date", "2026-11-20"))
    assert changed(before, hashes(folder)) == {"replies/2024-s7.toml"}
    s7 = next(r for r in replies if r.key == "s7")
    s7.items[0].extensions.append(Ext(date(2026, 11, 20), date(2027, 3, 31), "资金调整"))
    data = tomllib.loads((folder / "replies/2024-s7.toml").read_text(encoding="utf-8"))
    assert data["commitments"][0]["extensions"][-1]["new_due"] == date(2027, 3, 31)

    before = hashes(folder)
    out = ok(cli(*L, "add", "--reply", "s523", "--section", "2", "--title", "新增事项", "--quote", "新增",
                 "--lead", "市教委", "--due", "2027-01-31"))
    assert "s523/2-" in out
    assert changed(before, hashes(folder)) == {"replies/2025-s523.toml"}
    s523 = next(r for r in replies if r.key == "s523")
    new_id = f"2-{max(int(i.id.split('-')[1]) for i in s523.items if i.section == 2) + 1}"
    s523.items.append(Item(new_id, 2, "新增事项", "新增", "市教委", [], "not_started", 0, date(2027, 1, 31), None, []))

    before = hashes(folder)
    for args in (("add", "--section", "1", "--title", "无答复件", "--quote", "x", "--lead", "市教委"),
                 ("update", "1-1", "--note", "含糊", "--date", WHEN),
                 ("add", "--reply", "nope", "--section", "1", "--title", "t", "--quote", "q", "--lead", "l"),
                 ("reply", "add", "--number", "1181", "--title", "重复"),
                 # an id holding "/" would read as KEY/ID (s523/s7/1-1 or, bare, s7's 1-1): it was added
                 ("add", "--reply", "s523", "--id", "s7/1-1", "--section", "1", "--title", "t", "--quote", "q",
                  "--lead", "l")):
        result = cli(*L, *args)
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
    assert hashes(folder) == before
    assert sorted(p.name for p in folder.rglob("*") if p.is_file() and not p.name.endswith((".toml", ".lock"))) == []
    # every answer after the writes is still the generator's
    assert listing(cli, entry) == expect(replies)


# --- export --------------------------------------------------------------------------------------


def test_export_across_replies_and_one_reply(cli, office, tmp_path):
    entry, replies = office
    L = ("--ledger", entry)
    before = hashes(entry.parent)
    out = tmp_path / "out"
    out.mkdir()
    ok(cli(*L, "export", "--format", "json", "--output", out / "all.json", "--as-of", WHEN))
    data = json.loads((out / "all.json").read_text(encoding="utf-8"))
    assert sorted(c["id"] for c in data["commitments"]) == sorted(r["id"] for r in rows(replies))
    assert {r["reply"] for r in data["replies"]} == {r.key for r in replies}
    ok(cli(*L, "export", "--format", "json", "--output", out / "one.json", "--reply", "s1181", "--as-of", WHEN))
    one = json.loads((out / "one.json").read_text(encoding="utf-8"))
    s1181 = next(r for r in replies if r.key == "s1181")
    assert [c["id"] for c in one["commitments"]] == [i.id for i in s1181.items]
    ok(cli(*L, "export", "--format", "csv", "--output", out / "all.csv", "--as-of", WHEN))
    raw = (out / "all.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(table) - 1 == sum(len(r.items) for r in replies)
    assert any(h in table[0] for h in ("类型",))
    kinds = {row[table[0].index("类型")] for row in table[1:]}
    assert kinds == {"提案", "建议"}
    ok(cli(*L, "export", "--format", "xlsx", "--output", out / "all.xlsx", "--as-of", WHEN))
    ok(cli(*L, "export", "--format", "xlsx", "--output", out / "two.xlsx", "--reply", "1181", "--reply", "s1181",
           "--as-of", WHEN))
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(out / "two.xlsx")
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    head = next(n for n, row in enumerate(sheet) if "编号" in row)
    ids = [str(row[sheet[head].index("编号")]) for row in sheet[head + 1:] if row[sheet[head].index("编号")]]
    assert sum("1181/" in v for v in ids) == sum(len(r.items) for r in replies if r.key in ("1181", "s1181"))
    assert hashes(entry.parent) == before


# --- the merge driver per file -------------------------------------------------------------------


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "GIT_AUTHOR_NAME": "qa", "GIT_AUTHOR_EMAIL": "qa@x",
                               "GIT_COMMITTER_NAME": "qa", "GIT_COMMITTER_EMAIL": "qa@x"})
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_two_branches_merge_per_file_and_include_as_a_set(office):
    entry, replies = office
    root = entry.parent.parent
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CYTRACK_LEDGER", None)

    def cy(*args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "cytrack", "--ledger", str(entry), *args], cwd=root,
                              capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, (args, done.stdout, done.stderr)

    git(root, "init", "-q", "-b", "main")
    cy("git-setup")
    # the reply files are merged by the driver too, and their locks stay out of git status
    # (git-setup covered the entry file only: both clones' entries for s523/1-1 were a conflict)
    assert (root / ".gitattributes").read_text(encoding="utf-8") == (
        "data/commitments.toml merge=cytrack\ndata/replies/*.toml merge=cytrack\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "office")
    git(root, "checkout", "-q", "-b", "other")
    cy("update", "1181/1-2", "--note", "他方进展", "--date", "2026-11-26")
    cy("update", "s523/1-1", "--note", "他方同一事项", "--date", "2026-11-26")
    entry.write_text('schema = 1\ninclude = ["replies/*.toml", "archive/*.toml"]\n', encoding="utf-8")
    git(root, "commit", "-q", "-am", "other")
    git(root, "checkout", "-q", "main")
    cy("update", "1181/2-2", "--note", "我方进展", "--date", "2026-11-27")
    cy("update", "s523/1-1", "--note", "我方同一事项", "--date", "2026-11-27")
    entry.write_text('schema = 1\ninclude = ["replies/*.toml", "closed/*.toml"]\n', encoding="utf-8")
    git(root, "commit", "-q", "-am", "main")
    touched = ("commitments.toml", "replies/2024-1181.toml", "replies/2025-s523.toml")
    untouched = {k: v for k, v in hashes(entry.parent).items() if k not in touched}
    git(root, "merge", "-q", "--no-edit", "other")
    data = tomllib.loads(entry.read_text(encoding="utf-8"))
    assert sorted(data["include"]) == ["archive/*.toml", "closed/*.toml", "replies/*.toml"]
    reply = tomllib.loads((entry.parent / "replies/2024-1181.toml").read_text(encoding="utf-8"))
    notes = {c["id"]: [p["note"] for p in c.get("progress", [])] for c in reply["commitments"]}
    assert notes["1-2"][-1] == "他方进展" and notes["2-2"][-1] == "我方进展"
    s523 = tomllib.loads((entry.parent / "replies/2025-s523.toml").read_text(encoding="utf-8"))
    assert [p["note"] for p in s523["commitments"][0]["progress"]][-2:] == ["他方同一事项", "我方同一事项"]
    assert git(root, "status", "--porcelain") == ""  # merged, committed, no lock file showing
    after = hashes(entry.parent)
    assert {k: after[k] for k in untouched} == untouched
    cy("validate")


# --- one reply stays as before -------------------------------------------------------------------


def test_a_single_reply_ledger_keeps_bare_ids_and_gains_reply(cli, tmp_path, today):
    today(TODAY)
    entry = tmp_path / "data" / "commitments.toml"
    ok(cli("init", entry))
    got = json.loads(ok(cli("--ledger", entry, "list", "--format", "json", "--as-of", WHEN)))
    assert got and all("/" not in r["id"] and r["reply"] == "1181" and list(r) == ROW_KEYS for r in got)
    shown = json.loads(ok(cli("--ledger", entry, "show", "2-3", "--format", "json", "--as-of", WHEN)))
    assert (shown["id"], shown["reply"]) == ("2-3", "1181")
    ok(cli("--ledger", entry, "show", "1181/2-3"))
    ok(cli("--ledger", entry, "add", "--section", "1", "--title", "新事项", "--quote", "新", "--lead", "市科技局"))
    text = ok(cli("--ledger", entry, "report", "weekly", "--as-of", WHEN))
    assert text.startswith("第1181号提案答复承诺事项落实情况周报\n")
    assert "【1181/" not in text


# --- the reply key read from a file's head (the write path's guard against keys used twice) ------


def test_head_key_is_the_loaders_key_or_says_it_cannot_tell(tmp_path):
    from cytrack.ledger.load import load_ledger
    from cytrack.ledger.office import head_key

    replies = make_replies()
    entry = write_office(tmp_path, replies)
    for r in replies:
        path = str(entry.parent / r.file)
        assert head_key(path) == load_ledger(path).ledger.source.key == r.key
    assert head_key(str(entry)) == ""  # schema and include only: no reply
    cases = {
        '[source]\nproposal = "12"\nkind = "suggestion"  # 人大\n': "s12",
        '[source]\nproposal = "12"\nkey = "AbC"\n[sections]\n"1" = "x"\n': "AbC",
        '[source]\nproposal = "1\\u0032"\n': None,  # an escape: only the full read knows
        '[source]\nproposal = 12\n': None,
        '[source]\ntitle = """\nkey = "x"\n"""\nproposal = "3"\n': None,
        '[[commitments]]\nid = "1-1"\n\n[source]\nproposal = "9"\n': None,
        'source = { proposal = "9" }\n': None,
        'title = "x"\n': "",
    }
    for n, (text, want) in enumerate(cases.items()):
        path = tmp_path / f"case{n}.toml"
        path.write_text("schema = 1\n" + text, encoding="utf-8")
        assert head_key(str(path)) == want, text
    assert head_key(str(tmp_path / "missing.toml")) is None


# --- a ledger of one suggestion is titled a suggestion (it used to say 提案 everywhere) -----------


def test_one_suggestion_is_titled_a_suggestion_not_a_proposal(cli, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    reply = next(r for r in make_replies() if r.key == "s1181")
    entry = tmp_path / "commitments.toml"
    entry.write_text(reply_text(reply), encoding="utf-8")
    L = ("--ledger", entry)
    assert ok(cli(*L, "report", "weekly", "--as-of", WHEN)).splitlines()[0] == "第1181号建议答复承诺事项落实情况周报"
    assert ok(cli(*L, "report", "weekly", "--format", "markdown", "--as-of", WHEN)).splitlines()[0] == (
        "# 第1181号建议答复承诺事项落实情况周报")
    assert ok(cli(*L, "--lang", "en", "report", "weekly", "--as-of", WHEN)).splitlines()[0] == (
        "Weekly report on the commitments in the reply to suggestion No. 1181")
    assert ok(cli(*L, "summary", "--as-of", WHEN)).splitlines()[0] == (
        "第1181号建议答复承诺事项汇总（截至2026年11月29日）")
    assert ok(cli(*L, "--lang", "en", "summary", "--as-of", WHEN)).splitlines()[0] == (
        "Commitments of the reply to suggestion No. 1181, as of 2026-11-29")
    ok(cli(*L, "export", "--format", "xlsx", "--output", tmp_path / "t.xlsx", "--as-of", WHEN))
    title = openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0]["A1"].value
    assert title == f"第1181号建议答复承诺事项台账\u3000主办单位：{reply.lead_unit}"
    unit = next(i.lead for i in reply.items if state(reply, i)["status"] not in ("done", "dropped"))
    ok(cli(*L, "export", "--form", "--owner", unit, "--output", tmp_path / "f.xlsx", "--as-of", WHEN))
    title = openpyxl.load_workbook(tmp_path / "f.xlsx").worksheets[0]["A1"].value
    assert title.startswith(f"第1181号建议答复承诺事项进展填报表（{unit}，")
    # the same number as a proposal keeps 提案; an office of both kinds says 提案建议
    entry.write_text(reply_text(next(r for r in make_replies() if r.key == "1181")), encoding="utf-8")
    assert ok(cli(*L, "report", "weekly", "--as-of", WHEN)).splitlines()[0] == "第1181号提案答复承诺事项落实情况周报"
    office = write_office(tmp_path / "o", make_replies())
    ok(cli("--ledger", office, "export", "--format", "xlsx", "--output", tmp_path / "o.xlsx", "--as-of", WHEN))
    assert openpyxl.load_workbook(tmp_path / "o.xlsx").worksheets[0]["A1"].value == "提案建议答复承诺事项台账"


@pytest.mark.parametrize("command", [("list",), ("overdue",), ("stale",), ("summary",), ("report", "weekly"),
                                     ("export",), ("reply", "add"), ("reply", "list")])
def test_year_help_shows_no_empty_range(cli, command):
    """``--year N`` has no bounds; its help said ``[x<=None]``."""
    out = ok(cli(*command, "--help"))
    line = next(line for line in out.splitlines() if "--year" in line)
    assert "None" not in line and "x<=" not in line and "x>=" not in line, line
    assert "[不小于1]" in ok(cli("list", "--help"))  # a real bound is still shown
    assert "[x>=1]" in ok(cli("--lang", "en", "list", "--help"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reply_list_at_80_columns_crops_no_count(cli, office, lang, monkeypatch):
    """English ``reply list`` at 80 columns cut ``yellow3`` to ``yello…`` and ``done`` to ``do…``
    when "Suggestion 1181" could not stay whole: the name wraps at its space instead."""
    entry, replies = office
    monkeypatch.setenv("COLUMNS", "80")
    text = ok(cli("--ledger", entry, "--lang", lang, "reply", "list", "--as-of", WHEN))
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    data = json.loads(ok(cli("--ledger", entry, "reply", "list", "--as-of", WHEN, "--format", "json")))
    words = {"zh": {"red": "红", "yellow": "黄", "blue": "蓝"},
             "en": {"red": "red", "yellow": "yellow", "blue": "blue"}}
    shown = re.findall(r"(red|yellow|blue|红|黄|蓝)(\d+)", text)
    wanted = [(words[lang][light], str(r["lights"][light])) for r in data for light in ("red", "yellow", "blue")
              if r["lights"][light]]
    assert shown == wanted
    header = text.splitlines()[0] + text.splitlines()[1]
    statuses = ("未启动", "推进中", "受阻", "已办结", "已终止") if lang == "zh" else ("started", "progress", "done")
    for status in statuses:
        assert status in header


MULTI = 'schema = 1\n# 入口\ninclude = [\n  "replies/*.toml",\n{extra}]\n'


@pytest.mark.parametrize(
    ("base", "ours", "theirs", "merged"),
    [
        # one pattern a line, as people write a long list: was a conflict (exit 1)
        (MULTI.format(extra=""), MULTI.format(extra='  "a/*.toml",\n'), MULTI.format(extra='  "b/*.toml",\n'),
         MULTI.format(extra='  "a/*.toml",\n  "b/*.toml",\n')),
        # a glob with a character class: the array ended at its "]" and the merge failed
        ('schema = 1\ninclude = ["replies/*.toml", "r/[ab]*.toml"]\n',
         'schema = 1\ninclude = ["replies/*.toml", "r/[ab]*.toml", "x/*.toml"]\n',
         'schema = 1\ninclude = ["r/[ab]*.toml", "new/*.toml"]\n',
         'schema = 1\ninclude = ["r/[ab]*.toml", "x/*.toml", "new/*.toml"]\n'),
        # the first pattern on the line of "[", no trailing comma
        ('schema = 1\ninclude = ["a/*.toml",\n           "b/*.toml"]\n',
         'schema = 1\ninclude = ["a/*.toml",\n           "b/*.toml", "c/*.toml"]\n',
         'schema = 1\ninclude = ["b/*.toml",\n           "d/*.toml"]\n',
         'schema = 1\ninclude = ["b/*.toml",\n           "c/*.toml",\n           "d/*.toml"]\n'),
    ],
)
def test_the_entry_files_include_merges_as_a_set_however_written(cli, tmp_path, base, ours, theirs, merged):
    o, a, b = tmp_path / "o.toml", tmp_path / "a.toml", tmp_path / "b.toml"
    for path, text in ((o, base), (a, ours), (b, theirs)):
        path.write_text(text, encoding="utf-8")
    result = cli("merge-driver", o, a, b, "data/commitments.toml")
    assert result.exit_code == 0, result.stderr
    assert a.read_text(encoding="utf-8") == merged


def test_an_include_array_with_a_comment_changed_on_both_sides_is_left_to_a_person(cli, tmp_path):
    o, a, b = tmp_path / "o.toml", tmp_path / "a.toml", tmp_path / "b.toml"
    sides = (('  "a/*.toml",  # 2025年\n', '  "b/*.toml",\n'), ('  "a/*.toml",\n', '  # 2026年\n  "b/*.toml",\n'))
    for ours, theirs in sides:
        o.write_text(MULTI.format(extra=""), encoding="utf-8")
        a.write_text(MULTI.format(extra=ours), encoding="utf-8")
        b.write_text(MULTI.format(extra=theirs), encoding="utf-8")
        result = cli("merge-driver", o, a, b, "data/commitments.toml")
        assert result.exit_code == 1
        assert "<<<<<<< ours (include)" in a.read_text(encoding="utf-8")


def test_a_form_across_replies_goes_out_and_back_into_their_files_only(cli, office, tmp_path):
    """A unit's 填报表 of an office lists its open commitments of every reply; filled rows of two
    replies come back into those two files (each its own locked write), nothing else moves."""
    openpyxl = pytest.importorskip("openpyxl")
    entry, replies = office
    folder = entry.parent
    unit = "市民政局"
    form = tmp_path / "form.xlsx"
    ok(cli("--ledger", entry, "export", "--form", "--owner", unit, "--output", form, "--as-of", WHEN))
    mine = [r for r in rows(replies) if r["status"] not in ("done", "dropped")
            and (unit in r["lead"] or any(unit in u for u in r["co_owners"]))]
    book = openpyxl.load_workbook(form)
    sheet = book.worksheets[0]
    head = [c.value for c in sheet[3]]
    listed = [row[head.index("编号")].value for row in sheet.iter_rows(min_row=4) if row[head.index("编号")].value]
    assert sorted(listed, key=natural) == [r["id"] for r in sorted(mine, key=lambda r: natural(r["id"]))]
    picked: dict[str, str] = {}
    for row in sheet.iter_rows(min_row=4):
        cid = row[head.index("编号")].value
        if cid and cid.split("/")[0] not in picked and len(picked) < 2:
            picked[cid.split("/")[0]] = cid
            row[head.index("本期进展")].value = "填报进展"
            row[head.index("进度")].value = 60
            row[head.index("填报日期")].value = date(2026, 11, 27)
    book.save(form)
    assert len(picked) == 2
    before = hashes(folder)
    out = ok(cli("--ledger", entry, "import", form, "--apply"))
    files = {r.file for r in replies if r.key in picked}
    assert changed(before, hashes(folder)) == files
    assert out.splitlines()[-1].startswith("已写入 " + "、".join(str(folder / f) for f in sorted(
        files, key=lambda f: listed.index(picked[next(r.key for r in replies if r.file == f)]))))
    for key, cid in picked.items():
        r = next(r for r in replies if r.key == key)
        it = next(i for i in r.items if f"{key}/{i.id}" == cid)
        status = "in_progress" if state(r, it)["status"] == "not_started" else None
        it.progress.append(Entry(date(2026, 11, 27), "填报进展", status, 60))
        it.progress.sort(key=lambda e: e.date)
    assert listing(cli, entry) == expect(replies)
    after = hashes(folder)
    again = cli("--ledger", entry, "import", form, "--apply")
    assert again.exit_code == 0 and hashes(folder) == after  # the same form again adds nothing


STATUS_ORDER = ("not_started", "in_progress", "blocked", "done", "dropped")
SORTS = {
    "id": lambda r: natural(r["id"]),
    "due": lambda r: (r["due"] is None, r["due"] or "", natural(r["id"])),
    "status": lambda r: (STATUS_ORDER.index(r["status"]), natural(r["id"])),
    "owner": lambda r: (r["lead"], natural(r["id"])),
    "percent": lambda r: (-r["percent"], natural(r["id"])),
    "updated": lambda r: (r["last_update"] is None, "".join(chr(0x10FFFF - ord(c)) for c in r["last_update"] or ""),
                          natural(r["id"])),
}


@pytest.mark.parametrize("key", list(SORTS))
def test_sorts_across_replies_follow_the_manual(cli, office, key):
    """manual.md: natural ids; earliest due first (none last); statuses in table order; lead unit;
    highest percent first; latest update first; ties by id."""
    entry, replies = office
    got = [r["id"] for r in listing(cli, entry, "--sort", key)]
    assert got == [r["id"] for r in sorted(rows(replies), key=SORTS[key])]


def test_reply_list_json_is_the_generators_replies(cli, office):
    entry, replies = office
    got = json.loads(ok(cli("--ledger", entry, "reply", "list", "--format", "json", "--as-of", WHEN)))
    ordered = sorted(replies, key=lambda r: r.file)
    assert [x["reply"] for x in got] == [r.key for r in ordered]
    for x, r in zip(got, ordered, strict=True):
        counts = _counts([(r, i) for i in r.items])
        assert x == {
            "reply": r.key, "kind": r.kind, "number": r.number, "title": r.title, "year": r.year,
            "session": r.session, "lead_unit": r.lead_unit,
            "replied": r.replied.isoformat() if r.replied else None, "file": str(entry.parent / r.file),
            "total": counts["total"], "by_status": counts["by_status"], "lights": counts["lights"],
        }, r.key
    narrowed = json.loads(ok(cli("--ledger", entry, "reply", "list", "--format", "json", "--as-of", WHEN,
                                 "--kind", "suggestion", "--year", "2026")))
    assert [x["reply"] for x in narrowed] == [r.key for r in ordered if r.kind == "suggestion" and r.year == 2026]


def test_the_office_checks_speak_chinese(cli, tmp_path):
    """The checks of [source] key/year and of include printed English in a Chinese run."""
    replies = make_replies()
    entry = write_office(tmp_path, replies)
    entry.write_text('schema = 1\ninclude = ["../x/*.toml", "replies/*.toml"]\n', encoding="utf-8")
    rd12 = entry.parent / "replies" / "2024-rd12.toml"
    rd12.write_text(rd12.read_text(encoding="utf-8").replace('key = "rd12"', 'key = "r/d"'), encoding="utf-8")
    p77 = entry.parent / "replies" / "2026-p77.toml"
    p77.write_text(p77.read_text(encoding="utf-8").replace("year = 2026", "year = 12"), encoding="utf-8")
    result = cli("--ledger", entry, "validate")
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert f"{entry}:2: include 的模式“../x/*.toml”必须在台账所在文件夹之内（不能用绝对路径，也不能用“..”）" in out
    assert (f"{rd12}:8: source.key 只能由字母、数字、“-”或“_”组成（它是答复件在编号和文件名中的简称），"
            "不能是“r/d”") in out
    assert f"{p77}:9: source.year 必须是年份（如 2024），不能是12" in out
    entry.write_text('schema = 1\ninclude = "replies"\n', encoding="utf-8")
    result = cli("--ledger", entry, "validate")
    assert f'{entry}:2: include 必须是文件模式的数组，如 include = ["replies/*.toml"]' in result.stdout + result.stderr


def test_a_form_narrowed_by_reply_kind_and_year_holds_only_those_replies(cli, office, tmp_path):
    """``export --form --reply KEY`` was accepted and ignored: the form held every reply's rows."""
    openpyxl = pytest.importorskip("openpyxl")
    entry, replies = office
    unit = "市民政局"
    by_key = {r.key: r for r in replies}
    open_rows = [r for r in rows(replies) if r["status"] not in ("done", "dropped")
                 and (unit in r["lead"] or any(unit in u for u in r["co_owners"]))]
    for args, keep in ((("--reply", "s7"), lambda k: k == "s7"),
                       (("--kind", "suggestion", "--year", "2024"),
                        lambda k: by_key[k].kind == "suggestion" and by_key[k].year == 2024)):
        form = tmp_path / "form.xlsx"
        ok(cli("--ledger", entry, "export", "--form", "--owner", unit, "--output", form, "--as-of", WHEN, *args))
        sheet = list(openpyxl.load_workbook(form).worksheets[0].iter_rows(min_row=3, values_only=True))
        ids = [row[sheet[0].index("编号")] for row in sheet[1:] if row[sheet[0].index("编号")]]
        want = [r["id"] for r in open_rows if keep(r["reply"])]
        assert want and sorted(ids, key=natural) == sorted(want, key=natural)
    result = cli("--ledger", entry, "export", "--form", "--owner", unit, "--output", tmp_path / "x.xlsx",
                 "--reply", "nope")
    assert result.exit_code == 2 and "nope" in result.stderr


def test_reply_add_grows_an_include_written_one_pattern_a_line(cli, tmp_path, today):
    """``reply add`` refused (exit 3) an include array over several lines, and left the new
    reply file behind when it refused one it could not edit."""
    today(TODAY)
    entry = tmp_path / "data" / "commitments.toml"
    (tmp_path / "data" / "archive").mkdir(parents=True)
    (tmp_path / "data" / "archive" / "old.toml").write_text(reply_text(make_replies()[0]), encoding="utf-8")
    entry.write_text('schema = 1\n# 入口\ninclude = [\n    "archive/*.toml",  # 往年\n]\n', encoding="utf-8")
    ok(cli("--ledger", entry, "reply", "add", "--number", "5", "--title", "新提案", "--replied", "2026-01-05"))
    assert entry.read_text(encoding="utf-8") == (
        'schema = 1\n# 入口\ninclude = [\n    "archive/*.toml",  # 往年\n    "replies/*.toml",\n]\n')
    listed = json.loads(ok(cli("--ledger", entry, "reply", "list", "--format", "json", "--as-of", WHEN)))
    assert [r["reply"] for r in listed] == ["1181", "5"]
    # a shape it does not edit: exit 3, and no reply file left outside the ledger
    entry.write_text('schema = 1\ninclude = ["archive/*.toml",\n  "old/*.toml"]\n', encoding="utf-8")
    before = entry.read_bytes()
    result = cli("--ledger", entry, "reply", "add", "--number", "6", "--title", "新提案", "--replied", "2026-01-05")
    assert result.exit_code == 3
    assert "“replies/*.toml”" in result.stderr
    assert entry.read_bytes() == before
    assert not (tmp_path / "data" / "replies" / "6.toml").exists()
