"""The line-level editing of one commitment (``edit.py``) and where changes put things (``changes.py``)."""

from __future__ import annotations

import textwrap
import tomllib
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cytrack.ledger.errors import LedgerUnusable, UsageError
from cytrack.ledger.load import LedgerLocation, load_ledger
from cytrack.ledger.scan import content_end, header_name, line_kinds, lines_with_ends
from cytrack.store import changes
from cytrack.store import write as store
from cytrack.store.edit import insert_key, insert_table, set_values


def _lines(text: str) -> list[str]:
    return lines_with_ends(textwrap.dedent(text))


def test_split_lines_keeps_endings_and_splits_only_on_lf():
    assert lines_with_ends("a\r\nb\u2028c\nlast") == ["a\r\n", "b\u2028c\n", "last"]
    assert lines_with_ends("a\n") == ["a\n"]
    assert lines_with_ends("") == []


@given(st.text(alphabet="ab\r\n\u2028#"))
def test_split_lines_joins_back(text):
    assert "".join(lines_with_ends(text)) == text


def test_line_kinds_know_multiline_strings():
    lines = _lines('''\
        a = """x
        # not a comment

        y"""  # a comment
        # comment
        b = '# not a comment'
        c = \'\'\'
        \'\'\'

        d = "\\"""#"
        ''')
    kinds = ["code", "string", "string", "string", "trivia", "code", "code", "string", "trivia", "code"]
    assert line_kinds(lines) == kinds


@given(
    st.sampled_from(['"""', "'''"]),
    st.lists(st.sampled_from(["a", "#", '"', "'", "\\\\", '\\"', '""', "''", " ", "\n", "x#y"]), max_size=12),
)
def test_line_kinds_agree_with_tomllib_on_multiline_strings(delim, parts):
    text = f"k = {delim}{''.join(parts).replace(delim, '')}{delim} # c\n# trailing\nz = 1\n"
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assume(False)
    kinds = line_kinds(lines_with_ends(text))
    assert kinds[0] == "code" and kinds[-2:] == ["trivia", "code"] and set(kinds[1:-2]) <= {"string"}


def test_content_end_skips_trailing_blank_and_comment_lines_only():
    lines = _lines('''\
        [[commitments]]
        note = """
        # inside"""

        # belongs to the next
        ''')
    assert content_end(lines, 0, len(lines)) == 3
    assert content_end(lines, 0, 1) == 1


def test_header_name():
    assert header_name('  [[ commitments . "progress" ]]  # c\r\n') == "commitments.progress"
    assert header_name("[sections]\n") == "sections"
    assert header_name("tags = [[1]]\n") is None


BLOCK = """\
[[commitments]]
id = "2-1"
status = 'in_progress'  # set by hand
percent = 10

    # about the first entry
    [[commitments.progress]]
    date = 2026-10-01
    note = "a"

    # about the second entry
    [[commitments.progress]]
    date = 2026-10-20
    note = "b"
"""


def test_insert_table_goes_above_the_comments_of_the_next_entry_with_its_indent():
    block = lines_with_ends(BLOCK)
    new = insert_table(block, "commitments.progress", 1, 2, {"date": date(2026, 10, 5), "note": "中"}, None)
    assert "".join(new) == BLOCK.replace(
        '    note = "a"\n',
        '    note = "a"\n\n    [[commitments.progress]]\n    date = 2026-10-05\n    note = "中"\n',
    )


def test_insert_table_first_of_its_kind_gets_two_spaces_and_a_blank_line_before_a_following_header():
    block = _lines("""\
        [[commitments]]
        id = "1"
        status = "blocked"
        """)
    new = insert_table(block, "commitments.extensions", 0, 0, {"date": date(2026, 1, 1)}, "[[commitments]]\n")
    assert new[3:] == ["\n", "  [[commitments.extensions]]\n", "  date = 2026-01-01\n", "\n"]


def test_insert_table_keeps_crlf_and_ends_an_unterminated_last_line():
    block = ["[[commitments]]\r\n", 'status = "blocked"']
    new = insert_table(block, "commitments.progress", 0, 0, {"note": "x"}, None)
    assert "".join(new) == '[[commitments]]\r\nstatus = "blocked"\r\n\r\n  [[commitments.progress]]\r\n  note = "x"\r\n'


def test_insert_table_refuses_when_the_headers_do_not_match_the_data():
    with pytest.raises(ValueError):
        insert_table(lines_with_ends(BLOCK), "commitments.progress", 0, 3, {"note": "x"}, None)


def test_set_values_keeps_comment_spacing_and_literal_quotes():
    new = set_values(lines_with_ends(BLOCK.replace("\n", "\r\n")), {"status": "done", "percent": 100})
    assert new[2:4] == ["status = 'done'  # set by hand\r\n", "percent = 100\r\n"]
    assert "".join(new[4:]) == "".join(lines_with_ends(BLOCK.replace("\n", "\r\n"))[4:])


def test_insert_key_after_a_line_with_its_indent():
    assert insert_key(["[[commitments]]\n", '  status = "x"\n'], 1, "percent", 5)[2] == "  percent = 5\n"


# --- where the changes put things ---------------------------------------------------------------

LEDGER = """\
schema = 1

[sections]
"1" = "一"

# —— （一） ——
[[commitments]]
id = "1-1"
section = 1
title = "A"
lead = "L"
status = "not_started"

# —— （三） ——
[[commitments]]
id = "3-2"
section = 3
title = "C"
lead = "L"
status = "not_started"
"""


def _add(path, **kw):
    fields = {"title": "新", "lead": "L", **kw}
    return store.write_change(LedgerLocation(path), changes.new_commitment(**fields))


def test_add_goes_after_the_last_commitment_of_its_section(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(LEDGER, encoding="utf-8")
    assert _add(path, section=3).outcome.cid == "3-3"
    assert _add(path, section=1).outcome.cid == "1-2"
    assert _add(path, section=2).outcome.cid == "2-1"  # after section 1, above the comment of section 3
    text = path.read_text(encoding="utf-8")
    assert [c.id for c in load_ledger(path).ledger.commitments] == ["1-1", "1-2", "2-1", "3-2", "3-3"]
    assert '\nstatus = "not_started"\npercent = 0\ntags = []\n\n# —— （三） ——\n[[commitments]]\nid = "3-2"' in text


def test_add_before_every_section_goes_above_the_first_commitment_and_its_comments(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(LEDGER.replace('id = "1-1"\nsection = 1', 'id = "2-1"\nsection = 2'), encoding="utf-8")
    _add(path, section=1)
    assert path.read_text(encoding="utf-8").startswith(
        'schema = 1\n\n[sections]\n"1" = "一"\n\n[[commitments]]\nid = "1-1"\nsection = 1\ntitle = "新"\n'
    )
    assert load_ledger(path).ledger.commitments[0].id == "1-1"


def test_next_id_never_reuses_the_highest_number(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(LEDGER.replace('id = "3-2"', 'id = "3-9"'), encoding="utf-8")
    assert changes.next_id([c.id for c in load_ledger(path).ledger.commitments], 3) == "3-10"
    assert changes.next_id([c.id for c in load_ledger(path).ledger.commitments], 4) == "4-1"


def test_add_to_an_empty_ledger_and_a_file_without_final_newline(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("schema = 1  # no newline", encoding="utf-8")
    _add(path, section=1, cid="X", tags=["t"], co_owners=["A", "B"], due=date(2026, 1, 2), due_basis="source")
    assert path.read_text(encoding="utf-8") == (
        'schema = 1  # no newline\n\n[[commitments]]\nid = "X"\nsection = 1\ntitle = "新"\nlead = "L"\n'
        'co_owners = ["A", "B"]\nstatus = "not_started"\npercent = 0\ndue = 2026-01-02\ndue_basis = "source"\n'
        'tags = ["t"]\n'
    )


def test_percent_missing_is_added_after_status(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(LEDGER, encoding="utf-8")
    store.write_change(LedgerLocation(path), changes.new_progress("1-1", date(2026, 1, 1), "n", percent=20))
    # a percent on a not-started commitment also starts it (contract §7)
    assert 'status = "in_progress"\npercent = 20\n\n  [[commitments.progress]]' in path.read_text(encoding="utf-8")


def test_inline_progress_cannot_be_appended_to(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(LEDGER.replace('title = "A"', 'title = "A"\nprogress = [{date = 2026-01-01, note = "x"}]'))
    before = path.read_bytes()
    with pytest.raises(LedgerUnusable, match=r"c.toml:7: the progress of 1-1 are not written as"):
        store.write_change(LedgerLocation(path), changes.new_progress("1-1", date(2026, 1, 2), "n"))
    assert path.read_bytes() == before


def test_backdated_entry_keeps_the_status_a_later_entry_set(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(LEDGER, encoding="utf-8")
    loc = LedgerLocation(path)
    store.write_change(loc, changes.new_progress("1-1", date(2026, 3, 1), "later", status="blocked"))
    edit = store.write_change(loc, changes.new_progress("1-1", date(2026, 2, 1), "earlier", status="done", percent=90,
                                                      force=True))
    c = tomllib.loads(path.read_text(encoding="utf-8"))["commitments"][0]
    assert (c["status"], c["percent"]) == ("blocked", 90)  # percent: no later entry sets it
    assert [e["note"] for e in c["progress"]] == ["earlier", "later"]
    assert edit.outcome.kept == ("status",) and edit.outcome.later == date(2026, 3, 1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"note": None}, "--note is required"),
        ({"note": " \n "}, "--note is required"),
        ({"note": "a\x1b[2J"}, "--note holds a control character"),
        ({"note": "x", "percent": "101"}, "--percent must be a whole number from 0 to 100, not '101'"),
        ({"note": "x", "percent": "-1"}, "--percent must be"),
        ({"note": "x", "percent": "half"}, "--percent must be"),
        ({"note": "x", "status": "finished"}, "unknown status 'finished'"),
        ({"note": "x", "status": "done"}, "--status done needs --evidence"),
        ({"note": "x", "by": "a\nb"}, "--by holds a line break"),
    ],
)
def test_new_progress_refuses_bad_values(kwargs, message):
    note = kwargs.pop("note")
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace("[", r"\[")):
        changes.new_progress("1-1", date(2026, 1, 1), note, **kwargs)


def test_new_progress_accepts_names_percent_signs_and_crlf_notes():
    change = changes.new_progress("1-1", date(2026, 1, 1), " a\r\nb\t", status="已办结", percent="50%", evidence="E")
    assert (change.note, change.status.value, change.percent) == ("a\nb", "done", 50)
