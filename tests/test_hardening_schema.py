"""Every schema rule broken one at a time in a realistic ledger, through the command line.

Each case edits one key of commitment 2-1 (which has a progress log and an extension), of
another commitment, of ``[source]``/``[sections]`` or the ``schema`` line.  Commands refuse
the ledger (exit 3), ``validate`` lists the problem (exit 1); both print exactly one
``FILE:LINE: message`` at the line of the key (or of the table header when the key is
missing) naming the field, and the file stays byte for byte as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hardening import problem_lines, realistic_ledger, run

BASE = realistic_ledger()


@dataclass(frozen=True)
class Where:
    """A table in the ledger: ``None`` is the top level; ``("commitment", id)``; an entry ``(kind, id, j)``."""

    kind: str  # "top", "source", "sections", "commitment", "progress", "extensions"
    cid: str = "2-1"
    j: int = 0


def _block(lines: list[str], where: Where) -> tuple[int, int]:
    """0-based [start, end) of the table ``where``; start is its header line (0 for the top level)."""
    def headers(name: str, lo: int = 0, hi: int | None = None) -> list[int]:
        hi = len(lines) if hi is None else hi
        return [i for i in range(lo, hi) if lines[i].strip() == name]

    def end_of(start: int) -> int:
        return next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))

    if where.kind == "top":
        return 0, end_of(-1) if not lines[0].startswith("[") else 0
    if where.kind in ("source", "sections"):
        start = headers(f"[{where.kind}]")[0]
        return start, end_of(start)
    id_line = next(i for i, line in enumerate(lines) if line.strip() == f'id = "{where.cid}"')
    start = max(i for i in headers("[[commitments]]") if i < id_line)
    if where.kind == "commitment":
        return start, end_of(start)
    following = headers("[[commitments]]", start + 1)
    entry = headers(f"[[commitments.{where.kind}]]", start + 1, following[0] if following else None)[where.j]
    return entry, end_of(entry)


def mutate(text: str, where: Where, key: str, value: str | None) -> tuple[str, int]:
    """Set ``key = value`` in the table (``None`` deletes the key); returns the text and the expected line."""
    lines = text.split("\n")
    start, end = _block(lines, where)
    indent = "  " if where.kind in ("progress", "extensions") else ""
    found = next((i for i in range(start, end) if lines[i].strip().split(" =")[0].strip() == key), None)
    if value is None:
        assert found is not None, key
        del lines[found]
        return "\n".join(lines), (start + 1 if where.kind != "top" else 1)
    new = f"{indent}{key} = {value}"
    if found is None:
        found = start + 1 if where.kind != "top" else 0
        lines.insert(found, new)
    else:
        lines[found] = new
    return "\n".join(lines), found + 1


C = Where("commitment")
P0, P1 = Where("progress"), Where("progress", j=1)
X0 = Where("extensions")

# (case id, table, key, new value or None to delete it, words the message must hold)
CASES = [
    # missing required fields
    ("commitment missing id", C, "id", None, ["has no id"]),
    ("commitment missing section", C, "section", None, ["commitment 2-1 has no section"]),
    ("commitment missing title", C, "title", None, ["commitment 2-1 has no title"]),
    ("commitment missing lead", C, "lead", None, ["commitment 2-1 has no lead"]),
    ("commitment missing status", C, "status", None, ["commitment 2-1 has no status"]),
    ("progress missing date", P0, "date", None, ["commitment 2-1, progress entry 1 has no date"]),
    ("progress missing note", P1, "note", None, ["commitment 2-1, progress entry 2 has no note"]),
    ("extension missing date", X0, "date", None, ["commitment 2-1, extension 1 has no date"]),
    ("extension missing new_due", X0, "new_due", None, ["commitment 2-1, extension 1 has no new_due"]),
    # wrong types
    ("id integer", C, "id", "21", ["id must be a string"]),
    ("id empty", C, "id", '""', ["id must not be empty"]),
    ("id two lines", C, "id", '"2-1\\n"', ["id must be a single line"]),
    ("section string", C, "section", '"2"', ["commitment 2-1", "section must be a positive whole number"]),
    ("section float", C, "section", "2.0", ["commitment 2-1", "section must be a positive whole number"]),
    ("title integer", C, "title", "1", ["commitment 2-1", "title must be a string, not an integer"]),
    ("title empty", C, "title", '"  "', ["commitment 2-1", "title must not be empty"]),
    ("title two lines", C, "title", '"电子信息\\n集群"', ["commitment 2-1", "title must be a single line"]),
    ("quote integer", C, "quote", "1", ["commitment 2-1", "quote must be a string"]),
    ("lead array", C, "lead", '["市经济信息委"]', ["commitment 2-1", "lead must be a string, not an array"]),
    ("lead empty", C, "lead", '""', ["commitment 2-1", "lead must not be empty"]),
    ("co_owners string", C, "co_owners", '"市科技局"', ["commitment 2-1", "co_owners must be an array of strings"]),
    ("co_owners numbers", C, "co_owners", "[1, 2]", ["commitment 2-1", "co_owners must be an array of strings"]),
    ("tags string", C, "tags", '"电子信息"', ["commitment 2-1", "tags must be an array of strings"]),
    ("status integer", C, "status", "1", ["commitment 2-1", "status must be one of"]),
    ("percent string", C, "percent", '"40"', ["commitment 2-1", "percent must be a whole number from 0 to 100"]),
    ("percent float", C, "percent", "40.5", ["commitment 2-1", "percent must be a whole number from 0 to 100"]),
    ("percent boolean", C, "percent", "true", ["commitment 2-1", "percent must be a whole number from 0 to 100"]),
    ("due as string", C, "due", '"2025-12-31"', ["commitment 2-1", "due must be a TOML date written without quotes"]),
    ("due with time", C, "due", "2025-12-31T18:00:00", ["commitment 2-1", "due must be a TOML date", "with a time"]),
    ("due integer", C, "due", "20251231", ["commitment 2-1", "due must be a TOML date", "an integer"]),
    ("progress date as string", P0, "date", '"2026-03-02"', ["progress entry 1", "date must be a TOML date written"]),
    ("progress date with time", P0, "date", "2026-03-02T09:30:00", ["progress entry 1", "date must be a TOML date"]),
    ("progress note integer", P0, "note", "1", ["progress entry 1", "note must be a string"]),
    ("progress note empty", P0, "note", '""', ["progress entry 1", "note must not be empty"]),
    ("progress by integer", P0, "by", "1", ["progress entry 1", "by must be a string"]),
    ("progress evidence array", P0, "evidence", '["纪要"]', ["progress entry 1", "evidence must be a string"]),
    ("extension new_due as string", X0, "new_due", '"2026-06-30"', ["extension 1", "new_due must be a TOML date wr"]),
    ("extension date as string", X0, "date", '"2025-12-10"', ["extension 1", "date must be a TOML date written"]),
    ("extension reason integer", X0, "reason", "1", ["extension 1", "reason must be a string"]),
    ("extension approved_by boolean", X0, "approved_by", "false", ["extension 1", "approved_by must be a string"]),
    # out of range and unknown values
    ("section zero", C, "section", "0", ["commitment 2-1", "section must be a positive whole number, not 0"]),
    ("section negative", C, "section", "-2", ["commitment 2-1", "section must be a positive whole number, not -2"]),
    ("percent over 100", C, "percent", "101", ["commitment 2-1", "from 0 to 100, not 101"]),
    ("percent negative", C, "percent", "-1", ["commitment 2-1", "from 0 to 100, not -1"]),
    ("progress percent over 100", P1, "percent", "150", ["progress entry 2", "percent must be a whole number"]),
    ("status unknown", C, "status", '"finished"', ["commitment 2-1", "status must be one of", "'finished'"]),
    ("status wrong case", C, "status", '"In_Progress"', ["commitment 2-1", "status must be one of", "'In_Progress'"]),
    ("status in Chinese", C, "status", '"推进中"', ["commitment 2-1", 'use "in_progress"', "'推进中'"]),
    ("progress status unknown", P0, "status", '"ongoing"', ["progress entry 1", "status must be one of"]),
    ("due_basis unknown", C, "due_basis", '"guess"', ["commitment 2-1", "due_basis must be one of"]),
    ("lead_basis unknown", C, "lead_basis", '"maybe"', ["commitment 2-1", "lead_basis must be one of"]),
    ("review unknown", C, "review", '"daily"', ["commitment 2-1", "review must be one of"]),
    # order of entries
    ("progress out of order", P1, "date", "2026-01-01", ["progress entry 2 is dated 2026-01-01", "oldest first"]),
    # schema line, [source], [sections]
    ("schema 2", Where("top"), "schema", "2", ["schema must be 1, not 2"]),
    ("schema string", Where("top"), "schema", '"1"', ["schema must be 1, not '1'"]),
    ("schema float", Where("top"), "schema", "1.0", ["schema must be 1, not 1.0"]),
    ("schema boolean", Where("top"), "schema", "true", ["schema must be 1, not True"]),
    ("schema missing", Where("top"), "schema", None, ["no 'schema = 1' line"]),
    ("source category unknown", Where("source"), "category", '"D"', ["source.category must be one of"]),
    ("source feedback unknown", Where("source"), "feedback", '"happy"', ["source.feedback must be one of"]),
    ("source replied as string", Where("source"), "replied", '"2024-07-15"', ["source.replied must be a TOML date"]),
    ("source co_units string", Where("source"), "co_units", '"市科技局"', ["source.co_units must be an array"]),
    ("source proposal integer", Where("source"), "proposal", "1181", ["source.proposal must be a string"]),
    ("sections key zero", Where("sections"), '"0"', '"标题"', ["section key '0' must be a positive whole number"]),
    ("sections key word", Where("sections"), '"two"', '"标题"', ["section key 'two' must be a positive whole number"]),
    ("sections heading integer", Where("sections"), '"2"', "2", ["the heading of section 2 must be a string"]),
]


def assert_one_problem(text: str, line: int, words: list[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "commitments.toml"
    raw = text.encode("utf-8")
    path.write_bytes(raw)
    for args, code in ((["list", "--format", "json"], 3), (["show", "1-1"], 3), (["validate"], 1)):
        result = run("--ledger", path, *args)
        assert result.exit_code == code, (args, result.stderr)
        assert result.stdout == ""
        problems = [p for p in problem_lines(result.stderr, path) if ": warning: " not in p]
        assert len(problems) == 1, result.stderr
        assert problems[0].startswith(f"{path}:{line}: "), (problems[0], line)
        for word in words:
            assert word in problems[0], (word, problems[0])
    assert path.read_bytes() == raw


@pytest.mark.parametrize(("where", "key", "value", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_rule_broken(tmp_path, where, key, value, words):
    text, line = mutate(BASE, where, key, value)
    assert_one_problem(text, line, words, tmp_path)


def test_the_unbroken_ledger_is_valid(tmp_path):
    path = tmp_path / "commitments.toml"
    path.write_text(BASE, encoding="utf-8")
    result = run("--ledger", path, "validate")
    assert (result.exit_code, result.stderr) == (0, "")


def test_extensions_out_of_order(tmp_path):
    text = BASE.replace(
        '  approved_by = "分管副市长"\n',
        '  approved_by = "分管副市长"\n\n  [[commitments.extensions]]\n  date = 2025-11-01\n  new_due = 2026-09-30\n',
        1,
    )
    line = text.split("\n").index("  date = 2025-11-01") + 1
    assert_one_problem(text, line, ["extension 2 is dated 2025-11-01", "oldest first"], tmp_path)


@pytest.mark.parametrize(
    ("first", "second"),
    [("2-1", "2-1"), ("a-1", "A-1"), ("2-1", "2-1 "), ("ⅰ-1", "Ⅰ-1"), ("straße-1", "STRASSE-1")],
    ids=["same", "different case", "trailing space", "roman numeral case", "casefold ß"],
)
def test_duplicate_ids_compare_case_insensitively(tmp_path, first, second):
    text = BASE.replace('id = "2-1"', f'id = "{first}"', 1).replace('id = "2-2"', f'id = "{second}"', 1)
    lines = text.split("\n")
    first_line = lines.index(f'id = "{first}"') + 1
    second_line = lines.index(f'id = "{second}"', first_line) + 1
    assert_one_problem(text, second_line, [f"duplicate id {second!r}: line {first_line} has it already"], tmp_path)


def test_done_needs_a_progress_entry(tmp_path):
    text, line = mutate(BASE, Where("commitment", "2-2"), "status", '"done"')
    assert_one_problem(text, line, ["commitment 2-2 is done but has no progress entry"], tmp_path)


def test_several_problems_are_all_reported_in_line_order(tmp_path):
    text, _ = mutate(BASE, C, "percent", "101")
    text, _ = mutate(text, Where("commitment", "3-2"), "status", '"finished"')
    text, _ = mutate(text, P0, "date", '"2026-03-02"')
    path = tmp_path / "commitments.toml"
    path.write_text(text, encoding="utf-8")
    result = run("--ledger", path, "list")
    assert result.exit_code == 3
    problems = problem_lines(result.stderr, path)
    assert len(problems) == 3
    lines = [int(p[len(str(path)) + 1 :].split(":")[0]) for p in problems]
    assert lines == sorted(lines)
    assert result.stderr.splitlines()[-1] == f"cytrack: {path}: the ledger has 3 problem(s); nothing was done."


def test_unknown_keys_are_warned_about_and_do_not_stop_a_command(tmp_path):
    text, line = mutate(BASE, C, "priority", '"high"')
    path = tmp_path / "commitments.toml"
    path.write_text(text, encoding="utf-8")
    result = run("--ledger", path, "list", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == (
        f"{path}:{line}: warning: unknown key 'priority' in commitment 2-1; it is kept as it is\n"
    )
