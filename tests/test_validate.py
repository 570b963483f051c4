"""Every rule of validate.CHECKS, one small ledger each, with the exact message and line.

A ledger marks each line a problem must point at with ``#<`` (in the order of the
expected messages), so the expected ``FILE:LINE`` comes from the text itself.
"""

from __future__ import annotations

import pytest

from cytrack.ledger import validate
from cytrack.ledger.load import load_text, read_ledger_text


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages here are checked word for word in English (tests/test_language.py checks the Chinese)."""
    monkeypatch.setenv("CYTRACK_LANG", "en")


STATUSES = "not_started, in_progress, blocked, done, dropped"
ENTRY = "commitment 1-1, progress entry 1"
BASE = {"id": '"1-1"', "section": "1", "title": '"t"', "lead": '"市教委"', "status": '"in_progress"'}


def commitment(**fields: str | None) -> str:
    """A ``[[commitments]]`` block; a field given as None is left out, ``#<`` marks stay in values."""
    merged = {**BASE, **fields}
    return "[[commitments]]\n" + "".join(f"{k} = {v}\n" for k, v in merged.items() if v is not None)


def entry(kind: str = "progress", **fields: str) -> str:
    return f"  [[commitments.{kind}]]\n" + "".join(f"  {k} = {v}\n" for k, v in fields.items())


def run(write_ledger, body: str, *, bare: bool = False) -> tuple[list[str], list[int], str]:
    path = write_ledger(body, bare=bare)
    text = path.read_text(encoding="utf-8")
    marked = [n for n, line in enumerate(text.split("\n"), 1) for _ in range(line.count("#<"))]
    problems = load_text(read_ledger_text(path)).problems
    return [str(p) for p in problems], marked, str(path)


def line_of(path, prefix: str, nth: int = -1) -> int:
    """The line number of the ``nth`` line that starts with ``prefix``."""
    return [n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if line.startswith(prefix)][nth]


def expect(write_ledger, body: str, *messages: str, bare: bool = False) -> None:
    got, marked, path = run(write_ledger, body, bare=bare)
    assert len(marked) == len(messages), "the test ledger needs one #< mark per message"
    assert got == [f"{path}:{line}: {message}" for line, message in zip(marked, messages, strict=True)]


def test_every_check_is_exercised_here():
    tested = {
        "check_schema", "check_top_level", "check_include", "check_source", "check_sections", "check_commitment_fields",
        "check_unique_ids", "check_progress", "check_extensions", "check_done_has_progress",
    }
    assert {check.__name__ for check in validate.CHECKS} == tested


def test_a_good_ledger_has_no_problems(write_ledger):
    body = commitment(percent="30", due="2026-06-30", due_basis='"assumed"', review='"monthly"', tags='["a"]')
    body += entry(date="2026-01-01", note='"n"', status='"in_progress"', percent="30", by='"b"', evidence='"e"')
    body += entry("extensions", date="2026-01-02", new_due="2026-12-31", reason='"r"', approved_by='"a"')
    assert run(write_ledger, body)[0] == []


# --- check_schema ------------------------------------------------------------------------------


def test_schema_missing(write_ledger):
    message = "the ledger has no 'schema = 1' line; is this a cytrack ledger?"
    expect(write_ledger, '[source]  #<\nproposal = "1181"\n', message, bare=True)


@pytest.mark.parametrize(("value", "shown"), [("2", "2"), ('"1"', "'1'"), ("1.0", "1.0"), ("true", "True")])
def test_schema_must_be_1(write_ledger, value, shown):
    expect(write_ledger, f"# a ledger\nschema = {value}  #<\n", f"schema must be 1, not {shown}", bare=True)


# --- check_include (contract §6) --------------------------------------------------------------

_INSIDE = "must stay inside the ledger's folder (no absolute paths, no '..')"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"replies/*.toml"', 'include must be an array of file patterns, e.g. include = ["replies/*.toml"]'),
        ('["a", 1]', 'include must be an array of file patterns, e.g. include = ["replies/*.toml"]'),
        ('["../other/*.toml"]', f"include pattern '../other/*.toml' {_INSIDE}"),
        ('["/etc/*.toml"]', f"include pattern '/etc/*.toml' {_INSIDE}"),
    ],
)
def test_include_must_be_patterns_inside_the_folder(write_ledger, value, message):
    expect(write_ledger, f"schema = 1\ninclude = {value}  #<\n", message, bare=True)


def test_new_source_keys_are_checked(write_ledger):
    body = source('kind = "motion"  #<', 'year = "2024"  #<', 'key = "a/b"  #<', 'tracking_since = "2024-01-01"  #<')
    expect(
        write_ledger, body,
        "source.kind must be one of proposal, suggestion, not 'motion'",
        "source.year must be a year such as 2024, not '2024'",
        "source.key must be letters, digits, '-' or '_' (it names the reply in ids and its file), not 'a/b'",
        "source.tracking_since must be a TOML date written without quotes (like 2025-12-31),"
        " not the string '2024-01-01'",
        bare=True,
    )


# --- check_top_level ---------------------------------------------------------------------------


def test_unknown_top_level_key_and_table_are_warnings(write_ledger):
    expect(
        write_ledger,
        'schema = 1\nowner = "x"  #<\n\n[notes]  #<\ntext = "y"\n',
        "warning: unknown key 'owner' in the top level; it is kept as it is",
        "warning: unknown key 'notes' in the top level; it is kept as it is",
        bare=True,
    )


def test_an_unknown_sub_table_is_reported_at_its_own_header(write_ledger):
    body = (
        'schema = 1\n\n[source.extra]  #<\nx = 1\n\n'
        '[[commitments]]\nid = "1-1"\nsection = 1\ntitle = "t"\nlead = "x"\nstatus = "not_started"\n\n'
        '[commitments.meta]  #<\nnote = "x"\n\n'
        '[[commitments.progress]]\ndate = 2026-01-01\nnote = "n"\n\n'
        '[commitments.progress.more]  #<\na = 1\n'
    )
    expect(
        write_ledger,
        body,
        "warning: unknown key 'extra' in [source]; it is kept as it is",
        "warning: unknown key 'meta' in commitment 1-1; it is kept as it is",
        "warning: unknown key 'more' in commitment 1-1, progress entry 1; it is kept as it is",
        bare=True,
    )


@pytest.mark.parametrize("value", ["1", "[1, 2]", '"x"'])
def test_commitments_must_be_an_array_of_tables(write_ledger, value):
    expect(write_ledger, f"schema = 1\ncommitments = {value}  #<\n",
           "commitments must be an array of tables ([[commitments]] blocks)", bare=True)


def test_commitments_as_a_single_table(write_ledger):
    expect(write_ledger, 'schema = 1\n[commitments]  #<\nid = "1"\n',
           "commitments must be an array of tables ([[commitments]] blocks)", bare=True)


# --- check_source ------------------------------------------------------------------------------


def source(*lines: str) -> str:
    return "schema = 1\n\n[source]\n" + "".join(line + "\n" for line in lines)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("proposal = 1181  #<", "source.proposal must be a string, not an integer"),
        ("title = ['a']  #<", "source.title must be a string, not an array"),
        ("co_units = ['a', 2]  #<", "source.co_units must be an array of strings"),
        ("co_units = 'a'  #<", "source.co_units must be an array of strings"),
        ('replied = "2024-07-15"  #<',
         "source.replied must be a TOML date written without quotes (like 2025-12-31), not the string '2024-07-15'"),
        ("replied = 2024-07-15T10:00:00  #<",
         "source.replied must be a TOML date (like 2025-12-31), not a date with a time"),
        ('category = "D"  #<', "source.category must be one of A, B, C, not 'D'"),
        ('category = "b"  #<', "source.category must be one of A, B, C, not 'b'"),
        ('feedback = "ok"  #<',
         "source.feedback must be one of pending, satisfied, basically_satisfied, dissatisfied, not 'ok'"),
        ('colour = "red"  #<', "warning: unknown key 'colour' in [source]; it is kept as it is"),
    ],
)
def test_source_fields(write_ledger, line, message):
    expect(write_ledger, source('lead_unit = "市经济信息委"', line), message, bare=True)


def test_source_must_be_a_table(write_ledger):
    expect(write_ledger, 'schema = 1\nsource = "1181"  #<\n', "source must be a table ([source])", bare=True)


def test_inline_source_points_at_its_key(write_ledger):
    expect(write_ledger, "schema = 1\n\nsource = { proposal = 1181 }  #<\n",
           "source.proposal must be a string, not an integer", bare=True)


# --- check_sections ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('"x" = "heading"  #<', "section key 'x' must be a positive whole number, like \"2\""),
        ('"0" = "heading"  #<', "section key '0' must be a positive whole number, like \"2\""),
        ('"3" = 3  #<', "the heading of section 3 must be a string"),
    ],
)
def test_section_headings(write_ledger, line, message):
    expect(write_ledger, f'schema = 1\n[sections]\n"1" = "ok"\n{line}\n', message, bare=True)


def test_sections_must_be_a_table(write_ledger):
    expect(write_ledger, "schema = 1\nsections = 5  #<\n", "sections must be a table of section number = heading",
           bare=True)


# --- check_commitment_fields -------------------------------------------------------------------


@pytest.mark.parametrize("key", ["id", "section", "title", "lead", "status"])
def test_required_fields(write_ledger, key):
    body = commitment(**{key: None}).replace("[[commitments]]", "[[commitments]]  #<")
    label = "commitment #1" if key == "id" else "commitment 1-1"
    expect(write_ledger, body, f"{label} has no {key}")


TYPE_CASES = [
    ("id", '""', "commitment #1: id must not be empty"),
    ("id", '"  "', "commitment #1: id must not be empty"),
    ("id", "5", "commitment #1: id must be a string, not an integer"),
    ("id", '"a\\nb"', "commitment a\nb: id must be a single line"),
    ("section", "0", "commitment 1-1: section must be a positive whole number, not 0"),
    ("section", "-2", "commitment 1-1: section must be a positive whole number, not -2"),
    ("section", '"2"', "commitment 1-1: section must be a positive whole number, not '2'"),
    ("section", "1.5", "commitment 1-1: section must be a positive whole number, not 1.5"),
    ("section", "true", "commitment 1-1: section must be a positive whole number, not True"),
    ("title", '""', "commitment 1-1: title must not be empty"),
    ("title", '"""\na\nb"""', "commitment 1-1: title must be a single line"),
    ("title", "1", "commitment 1-1: title must be a string, not an integer"),
    ("quote", "2025-01-01", "commitment 1-1: quote must be a string, not a date"),
    ("lead", '" "', "commitment 1-1: lead must not be empty"),
    ("lead", '["市教委"]', "commitment 1-1: lead must be a string, not an array"),
    ("co_owners", '"市科技局"', "commitment 1-1: co_owners must be an array of strings"),
    ("co_owners", '["市科技局", 1]', "commitment 1-1: co_owners must be an array of strings"),
    ("tags", "{ a = 1 }", "commitment 1-1: tags must be an array of strings"),
    ("status", '"doing"', f"commitment 1-1: status must be one of {STATUSES}, not 'doing'"),
    ("status", '"推进中"',
     """commitment 1-1: status must be written with its English value: use "in_progress", not '推进中'"""),
    ("status", '"In_Progress"',
     f"commitment 1-1: status must be one of {STATUSES}, not 'In_Progress'"),
    ("percent", "-1", "commitment 1-1: percent must be a whole number from 0 to 100, not -1"),
    ("percent", "101", "commitment 1-1: percent must be a whole number from 0 to 100, not 101"),
    ("percent", "50.5", "commitment 1-1: percent must be a whole number from 0 to 100, not 50.5"),
    ("percent", '"50"', "commitment 1-1: percent must be a whole number from 0 to 100, not '50'"),
    ("percent", "true", "commitment 1-1: percent must be a whole number from 0 to 100, not True"),
    ("due", '"2025-12-31"',
     "commitment 1-1: due must be a TOML date written without quotes (like 2025-12-31), not the string '2025-12-31'"),
    ("due", "2025-12-31T00:00:00", "commitment 1-1: due must be a TOML date (like 2025-12-31), not a date with a time"),
    ("due", "2025-12-31T00:00:00+08:00",
     "commitment 1-1: due must be a TOML date (like 2025-12-31), not a date with a time"),
    ("due", "20251231", "commitment 1-1: due must be a TOML date (like 2025-12-31), not an integer"),
    ("due", "17:00:00", "commitment 1-1: due must be a TOML date (like 2025-12-31), not a time of day"),
    ("due", "2025-12-31T17:00:00Z",
     "commitment 1-1: due must be a TOML date (like 2025-12-31), not a date with a time"),
    ("due_basis", '"guess"', "commitment 1-1: due_basis must be one of source, assumed, not 'guess'"),
    ("lead_basis", '"Assumed"', "commitment 1-1: lead_basis must be one of source, assumed, not 'Assumed'"),
    ("review", '"daily"',
     "commitment 1-1: review must be one of weekly, monthly, quarterly, half-yearly, yearly, not 'daily'"),
    ("progress", '"none"', "commitment 1-1: progress must be an array of tables ([[commitments.progress]] blocks)"),
    ("extensions", "[1]", "commitment 1-1: extensions must be an array of tables ([[commitments.extensions]] blocks)"),
    ("priority", '"high"', "warning: unknown key 'priority' in commitment 1-1; it is kept as it is"),
]


@pytest.mark.parametrize(("key", "value", "message"), TYPE_CASES, ids=[f"{k}={v}" for k, v, _ in TYPE_CASES])
def test_commitment_field(write_ledger, key, value, message):
    path = write_ledger(commitment(**{key: value}))
    line = line_of(path, f"{key} = ")
    assert [str(p) for p in load_text(read_ledger_text(path)).problems] == [f"{path}:{line}: {message}"]


def test_a_commitment_that_is_not_a_table_is_left_to_the_top_level_rule(write_ledger):
    good = '{ id = "1-1", section = 1, title = "t", lead = "x", status = "blocked" }'
    expect(write_ledger, f"schema = 1\n\ncommitments = [{good}, 2]  #<\n",
           "commitments must be an array of tables ([[commitments]] blocks)", bare=True)


def test_inline_commitments_point_at_their_key(write_ledger):
    expect(write_ledger, 'schema = 1\n\ncommitments = [{ id = "1-1", section = 1, title = "t", lead = "x" }]  #<\n',
           "commitment 1-1 has no status", bare=True)


# --- check_unique_ids ----------------------------------------------------------------------------


def test_duplicate_ids_compare_case_insensitively_and_point_at_both(write_ledger):
    body = commitment(id='"A-1"') + "\n" + commitment(id='"a-1"  #<') + "\n" + commitment(id='" A-1 "  #<')
    got, marked, path = run(write_ledger, body)
    first = marked[0] - 7
    assert got == [
        f"{path}:{marked[0]}: duplicate id 'a-1': line {first} has it already (ids compare case-insensitively)",
        f"{path}:{marked[1]}: duplicate id ' A-1 ': line {first} has it already (ids compare case-insensitively)",
    ]


# --- check_progress ------------------------------------------------------------------------------


PROGRESS_CASES = [
    ({"date": "2026-01-01  #<", "note": '""'}, "commitment 1-1, progress entry 1: note must not be empty", "note"),
    ({"date": '"2026-01-01"', "note": '"n"'},
     "commitment 1-1, progress entry 1: date must be a TOML date written without quotes (like 2025-12-31), "
     "not the string '2026-01-01'", "date"),
    ({"date": "2026-01-01", "note": "1"}, f"{ENTRY}: note must be a string, not an integer", "note"),
    ({"date": "2026-01-01", "note": '"n"', "status": '"finished"'},
     "commitment 1-1, progress entry 1: status must be one of not_started, in_progress, blocked, done, dropped, "
     "not 'finished'", "status"),
    ({"date": "2026-01-01", "note": '"n"', "percent": "120"},
     "commitment 1-1, progress entry 1: percent must be a whole number from 0 to 100, not 120", "percent"),
    ({"date": "2026-01-01", "note": '"n"', "by": "7"}, f"{ENTRY}: by must be a string, not an integer", "by"),
    ({"date": "2026-01-01", "note": '"n"', "evidence": "[]"},
     "commitment 1-1, progress entry 1: evidence must be a string, not an array", "evidence"),
    ({"date": "2026-01-01", "note": '"n"', "who": '"x"'},
     "warning: unknown key 'who' in commitment 1-1, progress entry 1; it is kept as it is", "who"),
]


@pytest.mark.parametrize(("fields", "message", "key"), PROGRESS_CASES, ids=[c[2] for c in PROGRESS_CASES])
def test_progress_entry_field(write_ledger, fields, message, key):
    fields = {k: v.replace("  #<", "") for k, v in fields.items()}
    fields[key] += "  #<"
    expect(write_ledger, commitment() + entry(**fields), message)


def test_progress_entry_without_date_or_note_points_at_its_header(write_ledger):
    body = commitment() + entry(percent="5").replace("[[commitments.progress]]", "[[commitments.progress]]  #<#<")
    expect(write_ledger, body, f"{ENTRY} has no date", f"{ENTRY} has no note")


def test_progress_out_of_order_points_at_the_later_entrys_date(write_ledger):
    body = commitment()
    body += entry(date="2026-03-01", note='"a"')
    body += entry(date="2026-03-01", note='"same day is fine"')
    body += entry(date="2026-02-28  #<", note='"b"')
    body += entry(date="2026-04-01", note='"c"')
    expect(
        write_ledger,
        body,
        "commitment 1-1, progress entry 3 is dated 2026-02-28, before the entry above it (2026-03-01); "
        "progress entries go oldest first",
    )


def test_progress_of_the_second_commitment_is_named_for_it(write_ledger):
    body = commitment() + entry(date="2026-01-01", note='"n"') + "\n" + commitment(id='"2-1"')
    body += entry(date="2026-01-01", note='"n"', percent="-5  #<")
    expect(write_ledger, body, "commitment 2-1, progress entry 1: percent must be a whole number from 0 to 100, not -5")


# --- check_extensions ----------------------------------------------------------------------------


def test_extension_rules(write_ledger):
    body = commitment(due="2025-12-31")
    body += entry("extensions", date="2025-12-01", reason='"r"').replace("]]\n", "]]  #<\n", 1)
    body += entry("extensions", new_due="2026-06-30").replace("]]\n", "]]  #<\n", 1)
    body += entry("extensions", date="2025-11-01  #<", new_due='"2026-12-31"  #<', reason="5  #<", approved_by="[]  #<")
    body += entry("extensions", date="2026-01-01", new_due="2027-01-01", approver='"x"  #<')
    expect(
        write_ledger,
        body,
        "commitment 1-1, extension 1 has no new_due",
        "commitment 1-1, extension 2 has no date",
        "commitment 1-1, extension 3 is dated 2025-11-01, before the extension above it (2025-12-01); "
        "extensions go oldest first",
        "commitment 1-1, extension 3: new_due must be a TOML date written without quotes (like 2025-12-31), "
        "not the string '2026-12-31'",
        "commitment 1-1, extension 3: reason must be a string, not an integer",
        "commitment 1-1, extension 3: approved_by must be a string, not an array",
        "warning: unknown key 'approver' in commitment 1-1, extension 4; it is kept as it is",
    )


# --- check_done_has_progress ---------------------------------------------------------------------


def test_done_needs_a_progress_entry(write_ledger):
    expect(write_ledger, commitment(status='"done"  #<'),
           "commitment 1-1 is done but has no progress entry; record how it was delivered")
    assert run(write_ledger, commitment(status='"done"') + entry(date="2026-01-01", note='"ok"'))[0] == []
    assert run(write_ledger, commitment(status='"dropped"'))[0] == []


# --- together ---------------------------------------------------------------------------------------


def test_all_problems_come_at_once_in_line_order_through_validate(write_ledger, cli):
    body = commitment(section="0  #<", extra='"x"  #<') + entry(date='"2026-01-01"  #<', note='"n"') + "\n"
    body += commitment(id='"1-1"  #<', status='"done"  #<')
    path = write_ledger(body)
    result = cli("--ledger", path, "validate")
    marked = [n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if "#<" in line]
    first_id = line_of(path, "id = ", 0)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:{marked[0]}: commitment 1-1: section must be a positive whole number, not 0",
        f"{path}:{marked[1]}: warning: unknown key 'extra' in commitment 1-1; it is kept as it is",
        f"{path}:{marked[2]}: commitment 1-1, progress entry 1: date must be a TOML date written without quotes "
        "(like 2025-12-31), not the string '2026-01-01'",
        f"{path}:{marked[3]}: duplicate id '1-1': line {first_id} has it already (ids compare case-insensitively)",
        f"{path}:{marked[4]}: commitment 1-1 is done but has no progress entry; record how it was delivered",
        f"cytrack: {path}: 4 problem(s) found.",
    ]


def test_validate_ok_and_warnings_only(write_ledger, cli):
    path = write_ledger(commitment())
    result = cli("--ledger", path, "validate")
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{path}: OK, 1 commitment.\n", "")
    path = write_ledger(commitment(extra='"x"'))
    result = cli("--ledger", path, "validate")
    assert result.exit_code == 0
    assert result.stderr.endswith("warning: unknown key 'extra' in commitment 1-1; it is kept as it is\n")


def test_validate_missing_file_exits_3(tmp_path, cli):
    result = cli("--ledger", tmp_path / "none.toml", "validate")
    assert result.exit_code == 3
