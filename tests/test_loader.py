"""The read path: discovery, decoding, TOML 1.0 parsing, the line index and the model."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

import pytest
from conftest import SHIPPED
from hypothesis import given, settings
from hypothesis import strategies as st

from cytrack.ledger import load as loader
from cytrack.ledger.errors import LedgerUnusable
from cytrack.ledger.load import (
    bundled_ledger_path,
    decode_ledger,
    load_ledger,
    load_text,
    locate_ledger,
    read_ledger_text,
)
from cytrack.ledger.model import Status
from cytrack.ledger.scan import index_lines


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages here are checked word for word in English (tests/test_language.py checks the Chinese)."""
    monkeypatch.setenv("CYTRACK_LANG", "en")


ONE = """\
[[commitments]]
id = "2-1"
section = 2
title = "电子信息先进制造集群培育提升三年行动"
quote = "实施成渝地区电子信息先进制造集群培育提升三年行动"
lead = "市经济信息委"
lead_basis = "assumed"
co_owners = ["市科技局", "市教委"]
status = "in_progress"
percent = 40
due = 2025-12-31
due_basis = "source"
review = "quarterly"
tags = ["电子信息"]

  [[commitments.progress]]
  date = 2026-01-10
  note = "启动"
  status = "in_progress"
  percent = 10

  [[commitments.progress]]
  date = 2026-03-01
  percent = 40
  note = "过半"
  by = "张三"
  evidence = "渝经信发〔2026〕12号"

  [[commitments.extensions]]
  date = 2025-12-10
  new_due = 2026-06-30
  reason = "资金未到位"
  approved_by = "市政府办公厅"
"""


def lines_of(path: Path, needle: str) -> list[int]:
    return [n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in line]


# --- the shipped ledger -------------------------------------------------------------------


def test_shipped_ledger_loads_clean_with_every_commitment_on_its_header_line():
    result = load_ledger(SHIPPED)
    assert result.problems == []
    ledger = result.ledger
    assert len(ledger.commitments) == 31
    headers = lines_of(SHIPPED, "[[commitments]]")
    assert [c.line for c in ledger.commitments] == headers
    assert ledger.source.proposal == "1181"
    assert ledger.source.co_units == ("市发展改革委", "市科技局", "市委金融办", "市教委", "市人力社保局")
    assert sorted(ledger.sections) == [1, 2, 3, 4, 5]
    assert all(c.lead_basis == "assumed" for c in ledger.commitments)


def test_bundled_copy_is_byte_identical_to_the_shipped_ledger():
    assert bundled_ledger_path().read_bytes() == SHIPPED.read_bytes()


# --- the model ----------------------------------------------------------------------------


def test_model_is_immutable_typed_and_carries_lines(write_ledger):
    path = write_ledger(ONE)
    ledger = load_ledger(path).ledger
    c = ledger.commitments[0]
    assert c.line == lines_of(path, "[[commitments]]")[0]
    assert [e.line for e in c.progress] == lines_of(path, "[[commitments.progress]]")
    assert [x.line for x in c.extensions] == lines_of(path, "[[commitments.extensions]]")
    assert c.status is Status.IN_PROGRESS
    assert c.co_owners == ("市科技局", "市教委") and c.tags == ("电子信息",)
    assert c.owners == ("市经济信息委", "市科技局", "市教委")
    assert (c.due, c.due_basis, c.review, c.lead_basis) == (date(2025, 12, 31), "source", "quarterly", "assumed")
    first, second = c.progress
    assert (first.status, first.percent, first.by, first.evidence) == (Status.IN_PROGRESS, 10, None, None)
    assert (second.status, second.percent, second.by, second.evidence) == (None, 40, "张三", "渝经信发〔2026〕12号")
    (ext,) = c.extensions
    assert (ext.date, ext.new_due, ext.reason, ext.approved_by) == (
        date(2025, 12, 10), date(2026, 6, 30), "资金未到位", "市政府办公厅"
    )
    assert ledger.sections == {1: "持续开展体制机制创新", 2: "持续加强产业协同发展"}
    for record in (ledger, c, first, ext, ledger.source):
        for field in record._fields:
            with pytest.raises(AttributeError):
                setattr(record, field, None)
        with pytest.raises(AttributeError):
            record.added = None  # no new attributes either


def test_optional_fields_take_their_defaults(write_ledger):
    path = write_ledger('[[commitments]]\nid = "1-1"\nsection = 1\ntitle = "t"\nlead = "x"\nstatus = "blocked"\n')
    c = load_ledger(path).ledger.commitments[0]
    assert (c.quote, c.co_owners, c.percent, c.due, c.due_basis, c.review, c.tags, c.progress, c.extensions) == (
        "", (), 0, None, None, None, (), (), ()
    )
    assert c.status is Status.BLOCKED


def test_find_is_case_insensitive_and_trims(write_ledger):
    path = write_ledger('[[commitments]]\nid = "A-1"\nsection = 1\ntitle = "t"\nlead = "x"\nstatus = "done"\n'
                        '[[commitments.progress]]\ndate = 2026-01-01\nnote = "ok"\n')
    ledger = load_ledger(path).ledger
    assert ledger.find(" a-1 ").id == "A-1"
    assert ledger.find("a-2") is None


def test_inline_progress_tables_load_and_point_at_the_progress_key(write_ledger):
    path = write_ledger(
        '[[commitments]]\nid = "1-1"\nsection = 1\ntitle = "t"\nlead = "x"\nstatus = "in_progress"\n'
        'progress = [{ date = 2026-01-01, note = "a" }, { date = 2025-01-01, note = "b" }]\n'
    )
    result = load_text(read_ledger_text(path))
    line = lines_of(path, "progress = [")[0]
    assert [str(p) for p in result.errors] == [
        f"{path}:{line}: commitment 1-1, progress entry 2 is dated 2025-01-01, before the entry above it "
        "(2026-01-01); progress entries go oldest first"
    ]


# --- unknown keys are kept and warned about ----------------------------------------------------


def test_unknown_keys_are_warnings_and_stay_in_the_data(write_ledger):
    path = write_ledger(
        'schema = 1\nowner_note = "x"\n\n[[commitments]]\nid = "1-1"\nsection = 1\ntitle = "t"\nlead = "x"\n'
        'status = "not_started"\npriority = "high"\n',
        bare=True,
    )
    result = load_ledger(path)  # warnings do not stop a command
    assert result.errors == []
    top, priority = lines_of(path, "owner_note")[0], lines_of(path, "priority")[0]
    assert [str(p) for p in result.warnings] == [
        f"{path}:{top}: warning: unknown key 'owner_note' in the top level; it is kept as it is",
        f"{path}:{priority}: warning: unknown key 'priority' in commitment 1-1; it is kept as it is",
    ]
    assert result.data["commitments"][0]["priority"] == "high"
    assert result.ledger.commitments[0].id == "1-1"


# --- every problem at once ---------------------------------------------------------------------


def test_all_problems_at_once_raise_ledger_unusable(write_ledger):
    path = write_ledger(
        '[[commitments]]\nid = "1-1"\nsection = 0\ntitle = "t"\nlead = "x"\nstatus = "doing"\npercent = 101\n'
    )
    with pytest.raises(LedgerUnusable) as info:
        load_ledger(path)
    exc = info.value
    assert exc.exit_code == 3
    assert exc.message == f"{path}: the ledger has 3 problem(s); nothing was done."
    assert exc.details == [
        f"{path}:{lines_of(path, 'section = 0')[0]}: commitment 1-1: section must be a positive whole number, not 0",
        f"{path}:{lines_of(path, 'doing')[0]}: commitment 1-1: status must be one of not_started, in_progress, "
        "blocked, done, dropped, not 'doing'",
        f"{path}:{lines_of(path, '101')[0]}: commitment 1-1: percent must be a whole number from 0 to 100, not 101",
    ]


def test_cli_reports_every_problem_and_exits_3_without_traceback(write_ledger, cli):
    path = write_ledger('[[commitments]]\nid = "1-1"\nsection = "2"\ntitle = ""\nlead = "x"\nstatus = "done"\n')
    result = cli("--ledger", path, "list")
    section, title, status = (lines_of(path, key)[-1] for key in ("section =", "title =", "status ="))
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:{section}: commitment 1-1: section must be a positive whole number, not '2'",
        f"{path}:{title}: commitment 1-1: title must not be empty",
        f"{path}:{status}: commitment 1-1 is done but has no progress entry; record how it was delivered",
        f"cytrack: {path}: the ledger has 3 problem(s); nothing was done.",
    ]


# --- syntax: TOML 1.0, line and column ---------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        (
            'schema = 1\ntitle = "unterminated\n', "2:22",
            "invalid TOML: this string has no closing quote; end it on the same line."
            ' Type it as: title = "unterminated"',
        ),
        (
            "schema = 1\nx = 1\nx = 2\n", "3:6",
            "invalid TOML: the key x is given twice in the same table (first on line 2); keep one of the two lines"
            " and delete the other",
        ),
        ("schema = 1\nx = {a = 1,}\n", "2:12", "invalid TOML: invalid initial character for a key part"),
        ("schema = 1\nx = {\n  a = 1}\n", "2:6", "invalid TOML: invalid initial character for a key part"),
        ('schema = 1\ny = "\\e"\n', "2:8", "invalid TOML: unescaped '\\' in a string"),
        (
            "schema = 1\nx = [1, 2", "2:10",
            "invalid TOML: unclosed array; the file ends in the middle of a line, so it looks truncated (damaged):"
            " restore it (`git checkout -- {path}`, or the backup)",
        ),
        ("schema = 1\n[source]\nreplied =\n", "3:10", "invalid TOML: invalid value"),
    ],
)
def test_syntax_errors_carry_line_and_column(write_ledger, cli, body, where, message):
    path = write_ledger(body, bare=True)
    result = cli("--ledger", path, "show", "1-1")
    assert result.exit_code == 3
    line, column = (int(n) for n in where.split(":"))
    quoted = body.split("\n")[line - 1]
    assert result.stderr.splitlines() == [
        f"{path}:{where}: {message.format(path=path)}",
        f"    {quoted}",  # the line, and a caret under the column
        "    " + " " * (column - 1) + "^",
        f"cytrack: {path}: the ledger has 1 problem(s); nothing was done.",
    ]


def test_toml_1_1_syntax_is_refused_even_though_tomlkit_takes_it(write_ledger):
    path = write_ledger('schema = 1\n[source]\nx = { a = 1,\n  b = 2 }\n', bare=True)
    (problem,) = load_text(read_ledger_text(path)).problems
    assert (problem.line, problem.message.startswith("invalid TOML")) == (3, True)


# --- encodings, odd files, limits ---------------------------------------------------------------


def test_bom_and_crlf_are_accepted_and_remembered(tmp_path):
    text = "\r\n".join(
        ["schema = 1", "", "[[commitments]]", 'id = "1-1"', "section = 1", 'title = "t"', 'lead = "x"']
        + ['status = "x"', ""]
    )
    path = tmp_path / "l.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    lt = read_ledger_text(path)
    assert (lt.bom, lt.newline, lt.text.startswith("schema")) == (True, "\r\n", True)
    assert [str(p) for p in load_text(lt).problems] == [
        f"{path}:8: commitment 1-1: status must be one of not_started, in_progress, blocked, done, dropped, not 'x'"
    ]


def test_gbk_is_refused_with_advice(tmp_path, cli):
    path = tmp_path / "gbk.toml"
    path.write_bytes('schema = 1\n[source]\ntitle = "关于推动成渝地区"\n'.encode("gbk"))
    result = cli("--ledger", path, "list")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"cytrack: {path}:3: the ledger must be UTF-8, but byte 0xB9 is not valid UTF-8.")
    assert "GBK/GB18030" in result.stderr and "iconv -f GB18030 -t UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_nul_byte_is_refused(tmp_path):
    path = tmp_path / "nul.toml"
    path.write_bytes(b"schema = 1\n\n# \x00\n")
    with pytest.raises(LedgerUnusable) as info:
        read_ledger_text(path)
    assert info.value.message == f"{path}:3: the ledger holds a NUL byte; it is not a text file, or it is damaged."


def test_empty_file_is_not_a_ledger(tmp_path, cli):
    path = tmp_path / "empty.toml"
    path.write_bytes(b"")
    result = cli("--ledger", path, "list")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"{path}:1: ")
    assert result.stderr.endswith(f"cytrack: {path}: the ledger has 1 problem(s); nothing was done.\n")


def test_missing_file_and_folder(tmp_path, cli):
    result = cli("--ledger", tmp_path / "nope.toml", "list")
    assert (result.exit_code, result.stderr) == (
        3,
        f"cytrack: {tmp_path / 'nope.toml'}: no ledger there. Give the right --ledger path, "
        "or create one with `cytrack init`.\n",
    )
    result = cli("--ledger", tmp_path, "list")
    assert (result.exit_code, result.stderr) == (3, f"cytrack: {tmp_path}: is a folder, not a ledger file.\n")


def test_size_cap_refuses_before_parsing(tmp_path, monkeypatch):
    path = tmp_path / "big.toml"
    path.write_bytes(b"schema = 1\n" + b"# padding\n" * 20)
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    with pytest.raises(LedgerUnusable, match="over the limit of 0 MiB; refusing to parse it"):
        read_ledger_text(path)


@pytest.mark.parametrize(
    "body",
    [
        "schema = 1\nx = " + "[" * 9 + "1" + "]" * 9 + "\n",
        "schema = 1\nx = " + "[" * 3000 + "]" * 3000 + "\n",
        "schema = 1\n[a.b.c.d.e.f.g.h]\nx = 1\n",
    ],
)
def test_deep_nesting_is_refused(write_ledger, body):
    path = write_ledger(body, bare=True)
    (problem,) = load_text(read_ledger_text(path)).problems
    assert problem.message.startswith("the ledger nests deeper than 8 levels of tables or arrays")


def test_conflict_markers_are_reported_with_their_lines(write_ledger, cli):
    path = write_ledger(
        'schema = 1\n<<<<<<< ours\npercent = 1\n=======\npercent = 2\n>>>>>>> theirs\n', bare=True
    )
    result = cli("--ledger", path, "validate")
    assert result.exit_code == 1
    hint = "unresolved git conflict marker; finish the merge (keep the right lines, delete the markers)"
    assert result.stderr.splitlines() == [
        f"{path}:2: {hint}",
        f"{path}:4: {hint}",
        f"{path}:6: {hint}",
        f"cytrack: {path}: 3 problem(s) found.",
    ]


def test_a_rule_of_equals_signs_in_a_note_is_not_a_conflict_marker(write_ledger):
    path = write_ledger(
        '[[commitments]]\nid = "1-1"\nsection = 1\ntitle = "t"\nlead = "x"\nstatus = "in_progress"\n'
        '[[commitments.progress]]\ndate = 2026-01-01\nnote = """\n标题\n=======\n正文\n"""\n'
    )
    result = load_text(read_ledger_text(path))
    assert result.problems == []
    assert result.ledger.commitments[0].progress[0].note == "标题\n=======\n正文\n"


def test_decode_keeps_lf_files_lf():
    assert decode_ledger("x", b"a = 1\nb = 2\r\n").newline == "\n"
    assert decode_ledger("x", b"a = 1\r\nb = 2\n").newline == "\r\n"


# --- discovery (contract §2) --------------------------------------------------------------------


def test_discovery_order(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    found = tmp_path / "data" / "commitments.toml"
    found.write_text("schema = 1\n", encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.delenv("CYTRACK_LEDGER", raising=False)

    loc = locate_ledger(None, deep)
    assert (loc.path, loc.how, loc.bundled) == (Path("../../data/commitments.toml"), "found", False)
    assert locate_ledger(None, tmp_path).path == Path("data/commitments.toml")

    monkeypatch.setenv("CYTRACK_LEDGER", "/elsewhere/env.toml")
    loc = locate_ledger(None, deep)
    assert (loc.path, loc.how) == (Path("/elsewhere/env.toml"), "env")

    loc = locate_ledger("flag.toml", deep)
    assert (loc.path, loc.how) == (Path("flag.toml"), "flag")


def test_discovery_falls_back_to_the_bundled_copy(tmp_path, monkeypatch):
    monkeypatch.delenv("CYTRACK_LEDGER", raising=False)
    loc = locate_ledger(None, tmp_path)
    assert (loc.bundled, loc.path) == (True, bundled_ledger_path())


def _ids_json(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return [r["id"] for r in json.loads(result.stdout)]


def test_cli_discovery_flag_beats_env_beats_nearest_file(tmp_path, monkeypatch, cli):
    def ledger(where: Path, cid: str) -> Path:
        where.mkdir(parents=True, exist_ok=True)
        path = where / "commitments.toml"
        path.write_text(
            f'schema = 1\n[[commitments]]\nid = "{cid}"\nsection = 1\ntitle = "t"\nlead = "x"\nstatus = "blocked"\n',
            encoding="utf-8",
        )
        return path

    ledger(tmp_path / "data", "near-1")
    env = ledger(tmp_path / "env", "env-1")
    flag = ledger(tmp_path / "flag", "flag-1")
    work = tmp_path / "work" / "deeper"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    assert _ids_json(cli("list", "-f", "json")) == ["near-1"]
    monkeypatch.setenv("CYTRACK_LEDGER", str(env))
    assert _ids_json(cli("list", "-f", "json")) == ["env-1"]
    assert _ids_json(cli("list", "-f", "json", "--ledger", flag)) == ["flag-1"]


def test_cli_reads_the_bundled_copy_with_a_note(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    result = cli("list", "-f", "json")
    assert len(_ids_json(result)) == 31
    assert result.stderr == (
        "cytrack: no data/commitments.toml here or above; reading the copy bundled with cytrack"
        " (read-only; `cytrack init` makes an editable one).\n"
    )


# --- the line index ----------------------------------------------------------------------------


def test_line_index_skips_strings_that_look_like_delimiters():
    text = (
        'schema = 1\n'                    # 1
        '[[commitments]]\n'               # 2
        "title = 'a \"\"\" b'\n"          # 3  a literal string holding """
        'lead = "x" # a """ comment\n'    # 4
        'quote = """\n'                   # 5
        'first \\""" still inside\n'      # 6  an escaped quote run
        'status = "not a key"\n'          # 7
        'ends with quotes"""""\n'         # 8
        'status = "bad"\n'                # 9
        "note = '''\n"                    # 10
        "[[commitments]]\n"               # 11 inside a literal string: not a header
        "'''\n"                           # 12
        'tags = [\n'                      # 13
        '  "a", # ]\n'                    # 14
        '  "percent = 1",\n'              # 15
        ']\n'                             # 16
        'percent = 5\n'                   # 17
        '[[commitments]]\n'               # 18
        'status = "x"\n'                  # 19
    )
    data = tomllib.loads(text)
    assert data["commitments"][0]["status"] == "bad"
    index = index_lines(text)
    first, second = index.commitments
    assert first.line == 2 and second.line == 18
    assert first.keys == {"title": 3, "lead": 4, "quote": 5, "status": 9, "note": 10, "tags": 13, "percent": 17}
    assert second.keys == {"status": 19}


_PLAIN = st.text(alphabet=st.sampled_from(list("ab中文 #=[]{}\"'.,\\")), max_size=12)


def _toml_string(kind: str, content: str) -> str:
    if kind == "basic":
        return json.dumps(content, ensure_ascii=False)
    if kind == "literal":
        return "'" + content.replace("'", "").replace("\n", "") + "'"
    if kind == "multi_basic":
        body = content.replace("\\", "\\\\").replace('"', '\\"')
        return '"""\n' + body + '\n"""'
    body = content.replace("'", "")
    return "'''\n" + body + "\n'''"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["basic", "literal", "multi_basic", "multi_literal"]), _PLAIN, _PLAIN),
        min_size=1,
        max_size=5,
    ),
    st.data(),
)
def test_line_index_finds_the_bad_status_whatever_the_strings_hold(items, data):
    bad = data.draw(st.integers(0, len(items) - 1))
    lines = ["schema = 1", ""]
    expected = 0
    for i, (kind, title, quote) in enumerate(items):
        lines += ["[[commitments]]", f'id = "c-{i}"', "section = 1"]
        lines += f"title = {json.dumps('t' + title, ensure_ascii=False)}".split("\n")
        lines += f"quote = {_toml_string(kind, quote)}".split("\n")
        lines += ["lead = \"x\"  # lead [x] = 'y'"]
        if i == bad:
            expected = len(lines) + 1
        lines += [f'status = "{"bad" if i == bad else "blocked"}"', ""]
    text = "\n".join(lines)
    result = load_text(decode_ledger("l.toml", text.encode()))
    assert [(p.line, p.message.split(":")[0]) for p in result.problems] == [(expected, f"commitment c-{bad}")]
