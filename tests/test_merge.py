"""The three-way merge of ledger texts (``cytrack.merge.three_way``), as pure functions on texts."""

from __future__ import annotations

import textwrap
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cytrack.ledger.load import decode_ledger, load_text
from cytrack.merge.pieces import cut_pieces
from cytrack.merge.plan import MergeError
from cytrack.merge.three_way import describe, merge_texts

BASE = textwrap.dedent(
    """\
    # 台账 — a comment that must survive
    schema = 1

    [source]
    proposal = "1181"
    title = "关于推动成渝地区双城经济圈产业协同的建议"
    lead_unit = "市经济信息委"
    feedback = "pending"   # 委员反馈

    [sections]
    "1" = "持续开展体制机制创新"

    # —— （一） ——
    [[commitments]]
    id = "1-1"
    section = 1
    title = "一"
    lead = "市发展改革委"
    status = "in_progress"   # 当前状态
    percent = 10

      [[commitments.progress]]
      date = 2026-01-05
      note = "起步"

    [[commitments]]
    id = "1-2"
    section = 1
    title = "二"
    lead = "市经济信息委"
    status = "not_started"
    percent = 0
    """
)


def lt(text: str, name: str = "l.toml"):  # type: ignore[no-untyped-def]
    return decode_ledger(name, text.encode("utf-8"))


def merge(o: str, a: str, b: str):  # type: ignore[no-untyped-def]
    return merge_texts(lt(o), lt(a), lt(b))


def entry(date: str, note: str, kind: str = "progress", extra: str = "") -> str:
    key = "note" if kind == "progress" else "reason"
    more = "  new_due = 2027-06-30\n" if kind == "extensions" else ""
    return f"\n  [[commitments.{kind}]]\n  date = {date}\n{more}  {key} = \"{note}\"\n{extra}"


def append_to(text: str, cid: str, block: str) -> str:
    """``text`` with ``block`` after the last line of commitment ``cid`` (blank and comment lines
    that lead into the next commitment stay with it)."""
    start = text.index(f'id = "{cid}"')
    nxt = text.find("\n[[commitments]]", start)
    lines = text[start : len(text) if nxt < 0 else nxt + 1].splitlines(keepends=True)
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    end = start + len("".join(lines))
    return text[:end] + block + text[end:]


def notes(text: str, cid: str) -> list[str]:
    data = tomllib.loads(text)
    c = next(c for c in data["commitments"] if c["id"] == cid)
    return [e["note"] for e in c.get("progress", [])]


def test_appends_to_the_same_commitment_on_both_sides_are_joined_in_date_order():
    ours = append_to(BASE, "1-1", entry("2026-01-20", "ours"))
    theirs = append_to(BASE, "1-1", entry("2026-01-10", "theirs") + "  by = \"市科技局\"   # 报送\n")
    result = merge(BASE, ours, theirs)
    assert result.conflicts == []
    assert notes(result.text, "1-1") == ["起步", "theirs", "ours"]
    # Their entry is copied verbatim (comment included) just before ours' later one.
    joint = '  note = "theirs"\n  by = "市科技局"   # 报送\n\n  [[commitments.progress]]\n  date = 2026-01-20\n'
    assert joint in result.text
    assert result.text.startswith("# 台账 — a comment that must survive\n")


def test_equal_dates_keep_ours_first_then_theirs_in_their_order():
    ours = append_to(BASE, "1-1", entry("2026-02-01", "ours-1") + entry("2026-02-01", "ours-2"))
    theirs = append_to(BASE, "1-1", entry("2026-02-01", "theirs-1") + entry("2026-02-01", "theirs-2"))
    result = merge(BASE, ours, theirs)
    assert notes(result.text, "1-1") == ["起步", "ours-1", "ours-2", "theirs-1", "theirs-2"]


def test_an_entry_both_sides_carry_appears_once():
    shared = entry("2026-02-01", "both")
    ours = append_to(BASE, "1-1", shared + entry("2026-02-03", "ours"))
    theirs = append_to(BASE, "1-1", shared + entry("2026-02-02", "theirs"))
    result = merge(BASE, ours, theirs)
    assert notes(result.text, "1-1") == ["起步", "both", "theirs", "ours"]


def test_an_earlier_entry_of_theirs_goes_before_ours_and_one_into_an_empty_log_goes_at_the_end():
    ours = append_to(BASE, "1-1", entry("2026-03-01", "ours"))
    theirs = append_to(append_to(BASE, "1-1", entry("2025-12-01", "early")), "1-2", entry("2026-01-01", "first"))
    result = merge(BASE, ours, theirs)
    assert notes(result.text, "1-1") == ["early", "起步", "ours"]
    assert notes(result.text, "1-2") == ["first"]
    assert result.text.endswith('percent = 0\n\n  [[commitments.progress]]\n  date = 2026-01-01\n  note = "first"\n')


def test_appends_to_different_commitments_both_arrive_and_nothing_else_moves():
    ours = append_to(BASE, "1-1", entry("2026-01-20", "ours"))
    theirs = append_to(BASE, "1-2", entry("2026-01-21", "theirs"))
    result = merge(BASE, ours, theirs)
    assert result.text == append_to(ours, "1-2", entry("2026-01-21", "theirs"))


def test_new_commitments_on_both_sides_are_kept_each_after_its_predecessor():
    new_ours = '\n[[commitments]]\nid = "1-9"\nsection = 1\ntitle = "ours new"\nlead = "市教委"\n'
    new_theirs = (
        '\n# theirs: a new one after 1-1\n[[commitments]]\nid = "1-5"\nsection = 1\ntitle = "theirs new"\n'
        'lead = "市科技局"\n'
    )
    ours = BASE + new_ours
    cut = BASE.index("\n[[commitments]]\nid = \"1-2\"")
    theirs = BASE[:cut] + new_theirs + BASE[cut:]
    result = merge(BASE, ours, theirs)
    assert result.conflicts == []
    assert [c["id"] for c in tomllib.loads(result.text)["commitments"]] == ["1-1", "1-5", "1-2", "1-9"]
    assert result.text == ours[:cut] + new_theirs + ours[cut:]


def test_the_same_commitment_added_on_both_sides_appears_once():
    new = '\n[[commitments]]\nid = "1-9"\nsection = 1\ntitle = "新"\nlead = "市教委"\n'
    result = merge(BASE, BASE + new, BASE + new)
    assert result.text == BASE + new


def test_extensions_on_both_sides_are_joined():
    ours = append_to(BASE, "1-2", entry("2026-05-01", "ours reason", "extensions"))
    theirs = append_to(BASE, "1-2", entry("2026-04-01", "theirs reason", "extensions"))
    result = merge(BASE, ours, theirs)
    c = tomllib.loads(result.text)["commitments"][1]
    assert [e["reason"] for e in c["extensions"]] == ["theirs reason", "ours reason"]


def test_a_field_changed_on_one_side_takes_that_change_with_its_line_verbatim():
    theirs = BASE.replace('status = "not_started"', 'status = "blocked"  # 卡在审批')
    ours = append_to(BASE, "1-2", entry("2026-01-02", "ours"))
    result = merge(BASE, ours, theirs)
    assert result.conflicts == []
    assert result.text == append_to(theirs, "1-2", entry("2026-01-02", "ours"))


def test_edits_to_different_fields_and_tables_merge():
    ours = BASE.replace("percent = 10", "percent = 30")
    ours = ours.replace('"1" = "持续开展体制机制创新"', '"1" = "体制机制"\n"2" = "产业协同"')
    theirs = BASE.replace('feedback = "pending"   # 委员反馈', 'feedback = "satisfied"').replace(
        'title = "一"', 'title = "一"\ndue = 2026-12-31'
    )
    result = merge(BASE, ours, theirs)
    assert result.conflicts == []
    data = tomllib.loads(result.text)
    assert data["source"]["feedback"] == "satisfied"
    assert data["sections"] == {"1": "体制机制", "2": "产业协同"}
    assert data["commitments"][0]["percent"] == 30
    assert 'title = "一"\ndue = 2026-12-31\nlead = "市发展改革委"\n' in result.text


def test_the_same_change_on_both_sides_is_no_conflict():
    changed = BASE.replace('status = "not_started"', 'status = "blocked"')
    assert merge(BASE, changed, changed).text == changed


def test_a_field_changed_differently_on_both_sides_is_a_conflict_marked_around_that_field(tmp_path):
    ours = BASE.replace('status = "not_started"', 'status = "blocked"')
    theirs = append_to(BASE.replace('status = "not_started"', 'status = "done"'), "1-2", entry("2026-02-01", "办结"))
    result = merge(BASE, ours, theirs)
    assert [describe(c) for c in result.conflicts] == [
        'commitment 1-2, field status was changed on both sides (ours: "blocked", theirs: "done");'
        " keep the right value and delete the marker lines"
    ]
    expected_block = (
        'lead = "市经济信息委"\n'
        "<<<<<<< ours (1-2 status)\n"
        'status = "blocked"\n'
        "=======\n"
        'status = "done"\n'
        ">>>>>>> theirs (1-2 status)\n"
        "percent = 0\n"
    )
    assert expected_block in result.text
    assert notes(resolve(result.text, "theirs"), "1-2") == ["办结"]  # the entry merged regardless
    start = result.text.splitlines().index("<<<<<<< ours (1-2 status)") + 1
    assert result.line_of(result.conflicts[0]) == start
    problems = load_text(lt(result.text, "data/commitments.toml")).problems
    hint = (
        "unresolved git conflict marker in commitment 1-2 (field status);"
        " finish the merge (keep the right lines, delete the markers)"
    )
    assert [str(p) for p in problems] == [f"data/commitments.toml:{n}: {hint}" for n in (start, start + 2, start + 4)]


def resolve(text: str, side: str) -> str:
    """``text`` with each conflict resolved to one side, as a person would do it."""
    out, state = [], None
    for line in text.splitlines(keepends=True):
        if line.startswith("<<<<<<< "):
            state = "ours"
        elif line.startswith("=======") and state:
            state = "theirs"
        elif line.startswith(">>>>>>> "):
            state = None
        elif state in (None, side):
            out.append(line)
    return "".join(out)


def test_a_commitment_deleted_on_one_side_and_unchanged_on_the_other_is_deleted():
    cut = BASE.index("\n[[commitments]]\nid = \"1-2\"")
    deleted = BASE[:cut + 1]
    result = merge(BASE, append_to(BASE, "1-1", entry("2026-02-01", "x")), deleted)
    assert [c["id"] for c in tomllib.loads(result.text)["commitments"]] == ["1-1"]


def test_a_commitment_deleted_on_one_side_and_changed_on_the_other_is_a_conflict():
    cut = BASE.index("\n[[commitments]]\nid = \"1-2\"")
    deleted = BASE[:cut + 1]
    changed = append_to(BASE, "1-2", entry("2026-02-01", "still here"))
    result = merge(BASE, deleted, changed)
    assert [describe(c) for c in result.conflicts] == [
        "commitment 1-2 was deleted on one side and changed on the other;"
        " keep it or delete it, and delete the marker lines"
    ]
    assert [c["id"] for c in tomllib.loads(resolve(result.text, "ours"))["commitments"]] == ["1-1"]
    assert notes(resolve(result.text, "theirs"), "1-2") == ["still here"]
    (first, *_) = load_text(lt(result.text)).problems
    assert "in commitment" not in first.message and "around commitment 1-2" in first.message
    # And the other way round: ours changed it, theirs deleted it.
    result = merge(BASE, changed, deleted)
    assert result.text.count("<<<<<<< ours (1-2)\n[[commitments]]\n") == 1
    assert notes(resolve(result.text, "ours"), "1-2") == ["still here"]


def test_an_entry_edited_on_one_side_is_edited_not_doubled():
    edited = BASE.replace('note = "起步"', 'note = "起步（更正）"')
    theirs = append_to(BASE, "1-1", entry("2026-02-01", "theirs"))
    result = merge(BASE, edited, theirs)
    assert notes(result.text, "1-1") == ["起步（更正）", "theirs"]


def test_ours_newline_style_and_bom_are_kept_and_theirs_pieces_follow_them():
    ours = "\ufeff" + append_to(BASE, "1-1", entry("2026-01-20", "ours")).replace("\n", "\r\n")
    theirs = append_to(BASE, "1-2", entry("2026-01-21", "theirs"))
    result = merge_texts(lt(BASE), decode_ledger("l", ours.encode()), lt(theirs))
    assert "\n" not in result.text.replace("\r\n", "")
    assert notes(result.text, "1-2") == ["theirs"]
    conflict = merge_texts(lt(BASE), decode_ledger("l", ours.replace('"not_started"', '"blocked"').encode()),
                           lt(theirs.replace('"not_started"', '"done"')))
    assert "<<<<<<< ours (1-2 status)\r\n" in conflict.text and "\n" not in conflict.text.replace("\r\n", "")


def test_merging_the_result_again_changes_nothing():
    ours = append_to(BASE.replace("percent = 10", "percent = 20"), "1-1", entry("2026-01-20", "ours"))
    theirs = append_to(BASE, "1-1", entry("2026-01-10", "theirs"))
    theirs += '\n[[commitments]]\nid = "1-3"\nsection = 1\ntitle = "三"\n'
    once = merge(BASE, ours, theirs).text
    assert merge(BASE, once, theirs).text == once
    assert merge(BASE, once, once).text == once
    assert merge(BASE, ours, BASE).text == ours


def test_a_side_that_does_not_parse_is_refused_naming_it():
    broken = BASE.replace("percent = 0", "percent = ")
    with pytest.raises(MergeError) as caught:
        merge_texts(lt(BASE), lt(BASE), lt(broken, "data/commitments.toml (their version)"))
    assert caught.value.message.startswith(
        "their version of the ledger cannot be read, so it cannot be merged: data/commitments.toml (their version):"
    )


def test_an_empty_ancestor_means_both_sides_added_the_file():
    ours = append_to(BASE, "1-1", entry("2026-01-20", "ours"))
    theirs = append_to(BASE, "1-1", entry("2026-01-10", "theirs"))
    result = merge("", ours, theirs)
    assert notes(result.text, "1-1") == ["起步", "theirs", "ours"]


def test_inline_progress_is_merged_all_the_same_by_writing_that_commitment_afresh():
    inline = BASE.replace(
        '\n  [[commitments.progress]]\n  date = 2026-01-05\n  note = "起步"\n',
        '\nprogress = [{ date = 2026-01-05, note = "起步" }]\n',
    )
    theirs = inline.replace('"起步" }]', '"起步" }, { date = 2026-01-09, note = "t" }]')
    ours = inline.replace('title = "二"', 'title = "二（改）"')
    result = merge(inline, ours, theirs)
    assert result.conflicts == []
    data = tomllib.loads(result.text)
    assert notes(result.text, "1-1") == ["起步", "t"] and data["commitments"][1]["title"] == "二（改）"


# --- the layout the merge cuts a text into --------------------------------------------------------

_piece = st.sampled_from(["", "\n", "# c\n", "   # 注释\n", "\n\n"])
_value = st.sampled_from(['"a"', "1", "2026-01-01", '["x", "y"]', '[\n  "x",  # c\n  "y",\n]', '"""\nmulti\n[x]\n"""'])


@st.composite
def ledgers(draw) -> str:  # type: ignore[no-untyped-def]
    parts = [draw(_piece), "schema = 1\n"]
    for n in range(draw(st.integers(0, 3))):
        parts += [draw(_piece), "[[commitments]]\n", f'id = "{n}"\n', draw(_piece), f"x = {draw(_value)}\n"]
        for m in range(draw(st.integers(0, 2))):
            parts += [draw(_piece), "  [[commitments.progress]]\n", f"  date = 2026-01-0{m + 1}\n"]
            parts.append(f"  note = {draw(_value)}\n")
    parts.append(draw(_piece))
    if draw(st.booleans()):
        parts.append("end = 1")  # a last line without a newline
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(ledgers())
def test_the_layout_gives_the_text_back_and_a_merge_of_three_equal_texts_is_that_text(text):
    tomllib.loads(text)
    layout = cut_pieces(text)
    pieces = [line for s in layout.root for line in s.lead + s.body]
    pieces += [line for u in layout.units for line in u.lines()] + layout.tail
    assert "".join(pieces) == text
    assert merge(text, text, text).text == text


def test_a_source_field_changed_differently_is_a_conflict_that_validate_places_in_source():
    ours = BASE.replace('feedback = "pending"   # 委员反馈', 'feedback = "satisfied"')
    theirs = BASE.replace('feedback = "pending"   # 委员反馈', 'feedback = "dissatisfied"')
    result = merge(BASE, ours, theirs)
    assert [describe(c) for c in result.conflicts] == [
        '[source] feedback was changed on both sides (ours: "satisfied", theirs: "dissatisfied");'
        " keep the right value and delete the marker lines"
    ]
    (first, *_) = load_text(lt(result.text)).problems
    assert first.message.startswith("unresolved git conflict marker in [source] (field feedback);")
