"""The office ledger (contract §6, issue 16): include, qualified ids, filters, reports, one-file writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from office_kit import AS_OF, expected_rows, make_office, snapshot

WHEN = AS_OF.isoformat()
PICK = ("id", "reply", "section", "status", "percent", "due", "days_overdue", "last_update")


@pytest.fixture
def office(tmp_path: Path):
    replies = make_office(tmp_path)
    return tmp_path, replies


def _json(cli, entry: Path, *args: str):
    result = cli("--ledger", entry, *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _by_id(rows):
    return {r["id"]: {k: r[k] for k in PICK} for r in rows}


def test_list_json_is_what_the_generator_wrote(cli, office):
    folder, replies = office
    rows = _json(cli, folder / "commitments.toml", "list", "--format", "json", "--as-of", WHEN)
    assert _by_id(rows) == _by_id(expected_rows(replies))
    assert len(rows) == sum(len(r.rows) for r in replies)


@pytest.mark.parametrize(
    ("args", "keep"),
    [
        (("--reply", "1000"), lambda r: r.key == "1000"),
        (("--reply", "1000", "--reply", "s1074"), lambda r: r.key in ("1000", "s1074")),
        (("--kind", "suggestion"), lambda r: r.kind == "suggestion"),
        (("--kind", "proposal", "--year", "2024"), lambda r: r.kind == "proposal" and r.year == 2024),
        (("--year", "2025"), lambda r: r.year == 2025),
    ],
)
def test_filters_keep_the_replies_asked_for_and_ids_stay_qualified(cli, office, args, keep):
    folder, replies = office
    rows = _json(cli, folder / "commitments.toml", "list", "--format", "json", "--as-of", WHEN, *args)
    assert _by_id(rows) == _by_id(expected_rows([r for r in replies if keep(r)]))


@pytest.mark.parametrize("command", [("list",), ("overdue",), ("stale",), ("summary",), ("report", "weekly")])
def test_an_unknown_reply_key_is_a_usage_error_listing_the_keys(cli, office, command):
    folder, replies = office
    result = cli("--ledger", folder / "commitments.toml", *command, "--reply", "nope")
    assert result.exit_code == 2
    keys = [r.key for r in sorted(replies, key=lambda r: r.file)]
    assert "没有简称为“nope”的答复件；现有的简称：" + "、".join(keys) + "。" in result.stderr
    result = cli("--lang", "en", "--ledger", folder / "commitments.toml", *command, "--reply", "nope")
    assert result.exit_code == 2
    assert "no reply with key 'nope' in " in result.stderr
    assert "; the keys are: " + ", ".join(keys) + "." in result.stderr


def test_overdue_across_replies_is_the_generators_answer(cli, office):
    folder, replies = office
    rows = _json(cli, folder / "commitments.toml", "overdue", "--format", "json", "--as-of", WHEN)
    want = [r for r in expected_rows(replies) if r["days_overdue"] is not None]
    assert _by_id(rows) == _by_id(want)
    days = [r["days_overdue"] for r in rows]
    assert days == sorted(days, reverse=True)


def test_a_bare_id_held_by_several_replies_lists_the_candidates(cli, office):
    folder, replies = office
    result = cli("--ledger", folder / "commitments.toml", "show", "1-1")
    assert result.exit_code == 2
    for r in replies:
        assert f"{r.key}/1-1" in result.stderr


def test_a_qualified_id_and_a_unique_bare_id_are_found(cli, office):
    folder, replies = office
    entry = folder / "commitments.toml"
    shown = _json(cli, entry, "show", "s1074/2-1", "--format", "json", "--as-of", WHEN)
    assert (shown["id"], shown["reply"]) == ("s1074/2-1", "s1074")
    # A reply that is alone in holding an id: rename one id and find it bare.
    path = folder / replies[0].file
    path.write_text(path.read_text(encoding="utf-8").replace('id = "2-2"', 'id = "9-9"', 1), encoding="utf-8")
    shown = _json(cli, entry, "show", "9-9", "--format", "json")
    assert (shown["id"], shown["reply"]) == (f"{replies[0].key}/9-9", replies[0].key)


def test_update_changes_only_the_file_that_holds_the_commitment(cli, office):
    folder, replies = office
    before = snapshot(folder)
    target = replies[2]  # a suggestion: s1074
    result = cli("--ledger", folder / "commitments.toml", "update", f"{target.key}/1-1", "--note", "推进",
                 "--percent", "55", "--date", WHEN)
    assert result.exit_code == 0, result.stderr
    assert f"{target.key}/1-1" in result.stdout
    after = snapshot(folder)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {target.file}
    assert (folder / (target.file + ".lock")).exists()
    assert not (folder / "commitments.toml.lock").exists()
    shown = _json(cli, folder / "commitments.toml", "show", f"{target.key}/1-1", "--format", "json", "--as-of", WHEN)
    assert shown["percent"] == 55


def test_add_needs_reply_when_there_are_several(cli, office):
    folder, replies = office
    entry = folder / "commitments.toml"
    before = snapshot(folder)
    result = cli("--ledger", entry, "add", "--section", "1", "--title", "新", "--lead", "市科技局")
    assert result.exit_code == 2
    assert "--reply" in result.stderr
    assert snapshot(folder) == before
    result = cli(
        "--ledger", entry, "add", "--reply", replies[1].key, "--section", "1", "--title", "新", "--lead", "市科技局"
    )
    assert result.exit_code == 0, result.stderr
    after = snapshot(folder)
    assert {n for n in before if before[n] != after[n]} == {replies[1].file}
    assert f"{replies[1].key}/1-3" in result.stdout


def test_duplicate_keys_name_both_files(cli, office):
    folder, replies = office
    (folder / "replies" / "zz-copy.toml").write_bytes((folder / replies[0].file).read_bytes())
    result = cli("--lang", "en", "--ledger", folder / "commitments.toml", "validate")
    assert result.exit_code == 1
    assert "replies/zz-copy.toml" in result.stderr and replies[0].file in result.stderr
    assert "reply key '1000'" in result.stderr
    result = cli("--ledger", folder / "commitments.toml", "list")
    assert result.exit_code == 3
    assert "replies/zz-copy.toml:3:" in result.stderr


def test_problems_in_an_included_file_name_that_file_and_line(cli, office):
    folder, replies = office
    path = folder / replies[1].file
    path.write_text(path.read_text(encoding="utf-8").replace('status = "', 'status = "bogus', 1), encoding="utf-8")
    result = cli("--ledger", folder / "commitments.toml", "validate")
    assert result.exit_code == 1
    assert f"{folder / replies[1].file}:" in result.stderr or f"{replies[1].file}:" in result.stderr
    assert cli("--ledger", folder / "commitments.toml", "list").exit_code == 3


def test_a_pattern_matching_nothing_is_a_warning(cli, office):
    folder, _ = office
    entry = folder / "commitments.toml"
    entry.write_text('schema = 1\ninclude = ["replies/*.toml", "old/*.toml"]\n', encoding="utf-8")
    result = cli("--lang", "en", "--ledger", entry, "validate")
    assert result.exit_code == 0
    assert "commitments.toml:2: warning: include pattern 'old/*.toml' matches no file" in result.stderr
    result = cli("--ledger", entry, "validate")
    assert "commitments.toml:2: 警告：include 的模式“old/*.toml”没有匹配到任何文件" in result.stderr


def test_an_included_file_may_not_include(cli, office):
    folder, replies = office
    path = folder / replies[0].file
    path.write_text('include = ["x/*.toml"]\n' + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("--ledger", folder / "commitments.toml", "validate")
    assert result.exit_code == 1
    assert f"{replies[0].file}:1: an included reply file cannot include others" in result.stderr


def test_a_single_reply_keeps_bare_ids_and_gains_reply_in_json(cli, tmp_path):
    replies = make_office(tmp_path, replies=1)
    entry = tmp_path / "single.toml"
    entry.write_bytes((tmp_path / replies[0].file).read_bytes())
    rows = _json(cli, entry, "list", "--format", "json", "--as-of", WHEN)
    assert _by_id(rows) == _by_id(expected_rows(replies, multi=False))
    # An entry file including exactly one reply: ids stay bare too.
    rows = _json(cli, tmp_path / "commitments.toml", "list", "--format", "json", "--as-of", WHEN)
    assert _by_id(rows) == _by_id(expected_rows(replies, multi=False))


def test_weekly_report_levels_in_order(cli, office):
    folder, replies = office
    entry = folder / "commitments.toml"
    for key, cid, day in (("1000", "1-1", "2026-11-24"), ("1000", "2-1", "2026-11-25"), ("s1074", "1-2", "2026-11-26")):
        assert cli("--ledger", entry, "update", f"{key}/{cid}", "--note", "本周推进", "--date", day).exit_code == 0
    result = cli("--ledger", entry, "report", "weekly", "--as-of", WHEN)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    part = text[text.index("二、本周进展"): text.index("三、")]
    lines = [line for line in part.splitlines()[1:] if line]
    assert lines[0] == f"（一）第1000号提案《{replies[0].title}》"
    assert lines[1] == "1. 体制机制"
    assert lines[2].startswith("（1）【1000/1-1】")
    assert lines[3] == "2. 产业协同"
    assert lines[4].startswith("（1）【1000/2-1】")
    assert lines[5] == f"（二）第1074号建议《{replies[2].title}》"
    assert lines[6] == "1. 体制机制"
    assert lines[7].startswith("（1）【s1074/1-2】")
    data = _json(cli, entry, "report", "weekly", "--as-of", WHEN, "--format", "json")
    assert [(p["reply"], p["id"]) for p in data["progress"]] == [
        ("1000", "1000/1-1"), ("1000", "1000/2-1"), ("s1074", "s1074/1-2")
    ]


def test_summary_has_a_row_per_reply(cli, office):
    folder, replies = office
    data = _json(cli, folder / "commitments.toml", "summary", "--format", "json", "--as-of", WHEN)
    by_reply = {r["reply"]: r for r in data["replies"]}
    for r in replies:
        got = by_reply[r.key]
        assert (got["kind"], got["number"], got["year"], got["total"]) == (r.kind, r.number, r.year, len(r.rows))
        assert got["overdue"] == sum(1 for row in r.rows if row.days_overdue is not None)
    assert data["total"] == sum(len(r.rows) for r in replies)


def test_reply_add_grows_a_single_reply_ledger_into_an_office(cli, tmp_path, monkeypatch):
    entry = tmp_path / "data" / "commitments.toml"
    shipped = Path(__file__).parent.parent / "data" / "commitments.toml"
    entry.parent.mkdir()
    entry.write_bytes(shipped.read_bytes())
    result = cli("--ledger", entry, "reply", "add", "--kind", "suggestion", "--number", "523",
                 "--title", "关于人才的建议", "--lead-unit", "市人力社保局",
                 "--co-unit", "市教委", "--co-unit", "市科技局")
    assert result.exit_code == 0, result.stderr
    assert "s523" in result.stdout
    new = entry.parent / "replies" / "s523.toml"
    text = new.read_text(encoding="utf-8")
    assert 'kind = "suggestion"' in text and 'co_units = ["市教委", "市科技局"]' in text
    assert "tracking_since = " in text and "replied" not in text
    old, now = shipped.read_bytes().split(b"\n"), entry.read_bytes().split(b"\n")
    assert [line for line in now if line not in old] == [b'include = ["replies/*.toml"]']
    assert len(now) == len(old) + 1
    # A second reply: the pattern covers it, the entry file stays as it is.
    before = entry.read_bytes()
    result = cli(
        "--ledger", entry, "reply", "add", "--number", "1203", "--title", "关于转化的提案", "--replied", "2025-07-01"
    )
    assert result.exit_code == 0, result.stderr
    assert entry.read_bytes() == before
    assert "replied = 2025-07-01" in (entry.parent / "replies" / "1203.toml").read_text(encoding="utf-8")
    # The key exists: exit 2, nothing written.
    files = snapshot(entry.parent)
    result = cli("--ledger", entry, "reply", "add", "--number", "523", "--kind", "suggestion", "--title", "x")
    assert result.exit_code == 2
    assert snapshot(entry.parent) == files
    rows = _json(cli, entry, "reply", "list", "--format", "json", "--as-of", "2026-11-29")
    assert [(r["reply"], r["kind"], r["year"], r["total"]) for r in rows] == [
        ("1181", "proposal", 2024, 31), ("1203", "proposal", 2025, 0), ("s523", "suggestion", 2026, 0)
    ]
    assert sum(rows[0]["by_status"].values()) == 31
    # Ids keep working: 1181's are unique, so bare ids still find them.
    shown = _json(cli, entry, "show", "2-3", "--format", "json")
    assert (shown["id"], shown["reply"]) == ("1181/2-3", "1181")
    assert cli("--ledger", entry, "validate").exit_code == 0


def test_export_across_replies_has_a_kind_column(cli, office):
    folder, replies = office
    result = cli("--ledger", folder / "commitments.toml", "export", "--format", "csv", "--as-of", WHEN)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("序号,类型,案号,编号,")
    assert len(lines) == 1 + sum(len(r.rows) for r in replies)
    assert lines[1].startswith('1,提案,1000,"=""1000/1-1""",')  # ids stay text in spreadsheets
    assert any(line.split(",")[1] == "建议" for line in lines[1:])
    one = cli(
        "--ledger", folder / "commitments.toml", "export", "--format", "json", "--reply", "s1074", "--as-of", WHEN
    )
    data = json.loads(one.stdout)
    assert data["source"]["proposal"] == "1074"
    assert {c["id"] for c in data["commitments"]} == {row.id for row in replies[2].rows}
    result = cli(
        "--ledger", folder / "commitments.toml", "export", "--format", "csv", "--output", folder / replies[0].file
    )
    assert result.exit_code == 2


@pytest.mark.parametrize("command", [("report", "weekly"), ("export", "--format", "csv")])
def test_no_output_overwrites_an_included_file(cli, office, command):
    folder, replies = office
    before = snapshot(folder)
    result = cli("--ledger", folder / "commitments.toml", *command, "--output", folder / replies[3].file)
    assert result.exit_code == 2, result.stderr
    assert snapshot(folder) == before


def test_the_cache_is_per_file_so_a_changed_file_alone_is_parsed_again(office, monkeypatch):
    from cytrack.cache import folder as cache
    from cytrack.ledger import load
    from cytrack.ledger.office import load_office

    folder, replies = office
    entry = folder / "commitments.toml"
    parsed: list[str] = []
    real = load.load_text

    def counting(lt):  # type: ignore[no-untyped-def]
        parsed.append(lt.path)
        return real(lt)

    monkeypatch.setattr(load, "load_text", counting)
    load_office(entry)
    assert len(parsed) == len(replies) + 1
    parsed.clear()
    load_office(entry)
    assert parsed == []
    changed = folder / replies[4].file
    changed.write_text(changed.read_text(encoding="utf-8") + "# 改动\n", encoding="utf-8")
    first = load_office(entry)
    assert parsed == [str(changed)]
    assert len(list(cache.folder().glob("*.ledger"))) == len(replies) + 2  # every file's entry is kept
    assert [r.source.key for r in first.office.replies] == [r.key for r in sorted(replies, key=lambda r: r.file)]


def test_update_of_a_qualified_id_reads_only_its_file(cli, office, monkeypatch):
    from cytrack.ledger import load

    folder, replies = office
    entry = folder / "commitments.toml"
    assert cli("--ledger", entry, "list").exit_code == 0  # fills the cache
    read: list[str] = []
    real = load.load_ledger

    def spying(path, raw=None):  # type: ignore[no-untyped-def]
        read.append(str(path))
        return real(path, raw)

    monkeypatch.setattr(load, "load_ledger", spying)
    monkeypatch.setattr("cytrack.ledger.office.load_ledger", spying)
    result = cli("--ledger", entry, "update", f"{replies[1].key}/2-1", "--note", "只读一个文件")
    assert result.exit_code == 0, result.stderr
    assert read and all(p.endswith((replies[1].file, "commitments.toml")) for p in read)
    assert any(p.endswith(replies[1].file) for p in read)
    read.clear()
    assert cli("--ledger", entry, "update", "2-1", "--note", "x").exit_code == 2  # bare and shared: every file
    assert len(read) > len(replies)


@pytest.mark.parametrize(
    ("base", "ours", "theirs", "merged"),
    [
        (["a/*.toml"], ["a/*.toml", "replies/*.toml"], ["a/*.toml", "b/*.toml"],
         ["a/*.toml", "replies/*.toml", "b/*.toml"]),
        (["a/*.toml", "old/*.toml"], ["a/*.toml", "x/*.toml"], ["old/*.toml", "a/*.toml", "y/*.toml"],
         ["a/*.toml", "x/*.toml", "y/*.toml"]),
        (["a/*.toml"], ["a/*.toml", "n/*.toml"], ["a/*.toml", "n/*.toml", "m/*.toml"],
         ["a/*.toml", "n/*.toml", "m/*.toml"]),
    ],
)
def test_the_merge_driver_merges_the_entry_files_include_as_a_set(cli, tmp_path, base, ours, theirs, merged):
    import tomllib

    def entry(patterns: list[str]) -> str:
        return "# 入口文件\nschema = 1\ninclude = [" + ", ".join(f'"{p}"' for p in patterns) + "]\n"

    o, a, b = tmp_path / "o.toml", tmp_path / "a.toml", tmp_path / "b.toml"
    o.write_text(entry(base), encoding="utf-8")
    a.write_text(entry(ours), encoding="utf-8")
    b.write_text(entry(theirs), encoding="utf-8")
    result = cli("merge-driver", o, a, b, "data/commitments.toml")
    assert result.exit_code == 0, result.stderr
    text = a.read_text(encoding="utf-8")
    assert tomllib.loads(text)["include"] == merged
    assert text.startswith("# 入口文件\nschema = 1\n")


def test_the_merge_driver_merges_a_reply_file_like_any_ledger(cli, office):
    folder, replies = office
    path = folder / replies[0].file
    base = path.read_text(encoding="utf-8")
    o, a, b = folder / "o.toml", folder / "a.toml", folder / "b.toml"
    o.write_text(base, encoding="utf-8")
    a.write_text(base.replace('title = "事项1000-0"', 'title = "我方改名"'), encoding="utf-8")
    added = '\n[[commitments]]\nid = "9-1"\nsection = 9\ntitle = "对方新增"\nlead = "市教委"\nstatus = "not_started"\n'
    b.write_text(base + added, encoding="utf-8")
    result = cli("merge-driver", o, a, b, replies[0].file)
    assert result.exit_code == 0, result.stderr
    text = a.read_text(encoding="utf-8")
    assert 'title = "我方改名"' in text and 'title = "对方新增"' in text


@pytest.mark.parametrize("replies_n", [1, 6])
def test_list_json_from_the_row_cache_is_what_the_full_path_prints(cli, tmp_path, monkeypatch, replies_n):
    replies = make_office(tmp_path, replies=replies_n)
    entry = tmp_path / "commitments.toml"
    (tmp_path / "replies" / "9999.toml").write_text(  # a reply with a warning, and ids needing natural order
        'schema = 1\n[source]\nproposal = "9999"\nodd = 1\n\n[[commitments]]\nid = "1-10"\nsection = 1\ntitle = "t"\n'
        'lead = "L"\nstatus = "not_started"\n\n[[commitments]]\nid = "1-9"\nsection = 1\ntitle = "t"\nlead = "L"\n'
        'status = "not_started"\n', encoding="utf-8")
    args = ("--ledger", entry, "list", "--format", "json", "--as-of", WHEN)
    cold = cli(*args)
    warm = cli(*args)
    from cytrack.cache import folder as cache

    assert len(list(cache.folder().glob("*.rows"))) == replies_n + 1  # one per file and day
    monkeypatch.setenv("CYTRACK_NO_CACHE", "1")
    plain = cli(*args)
    assert cold.exit_code == warm.exit_code == plain.exit_code == 0
    assert cold.stdout == warm.stdout == plain.stdout
    assert cold.stderr == warm.stderr == plain.stderr
    assert "odd" in plain.stderr
    rows = json.loads(plain.stdout)
    assert len(rows) == sum(len(r.rows) for r in replies) + 2
    assert [r["id"] for r in rows if r["reply"] == "9999"] == ["9999/1-9", "9999/1-10"]
    monkeypatch.delenv("CYTRACK_NO_CACHE")
    for extra in ((), ("--check",)):
        late = ("--ledger", entry, "overdue", "--format", "json", "--as-of", WHEN, *extra)
        cold, warm = cli(*late), cli(*late)
        monkeypatch.setenv("CYTRACK_NO_CACHE", "1")
        plain = cli(*late)
        monkeypatch.delenv("CYTRACK_NO_CACHE")
        assert cold.exit_code == warm.exit_code == plain.exit_code == (1 if extra else 0)
        assert cold.stdout == warm.stdout == plain.stdout
        assert cold.stderr == warm.stderr == plain.stderr
        days = [r["days_overdue"] for r in json.loads(plain.stdout)]
        assert days and days == sorted(days, reverse=True)


def test_export_json_has_the_same_keys_for_one_reply_and_for_many(cli, office):
    """Contract §3's source/sections stay (null with several replies); replies is always there."""
    folder, replies = office
    entry = folder / "commitments.toml"
    every = _json(cli, entry, "export", "--format", "json", "--as-of", WHEN)
    keys = ["schema", "as_of", "source", "sections", "replies", "commitments"]
    assert list(every) == keys
    assert (every["source"], every["sections"]) == (None, None)
    assert [r["reply"] for r in every["replies"]] == sorted(r.key for r in replies)  # file order
    shape = ["reply", "kind", "year", "session", "source", "sections"]
    assert [list(r) for r in every["replies"]] == [shape] * len(replies)
    third = replies[2]
    one = _json(cli, entry, "export", "--format", "json", "--reply", third.key, "--as-of", WHEN)
    assert list(one) == keys
    # a script written for one reply: source and sections at the top, bare ids
    [its] = [r for r in every["replies"] if r["reply"] == third.key]
    assert one["source"] == its["source"] and one["source"]["proposal"] == "1074"
    assert one["sections"] == its["sections"]
    assert one["replies"] == [its]  # and a script written for the office still finds it
    assert [c["id"] for c in one["commitments"]] == [row.id for row in third.rows]
    qualified = [c for c in every["commitments"] if c["reply"] == third.key]
    assert [c["id"] for c in qualified] == [f"{third.key}/{row.id}" for row in third.rows]
    assert [{**c, "id": c["id"].split("/", 1)[1]} for c in qualified] == one["commitments"]
