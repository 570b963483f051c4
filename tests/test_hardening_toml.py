"""Invalid TOML of every kind, and damaged copies of the real ledger: a clear answer, never a crash or a write.

`validate` lists a syntax error as a problem (exit 1); every other command refuses the
ledger (exit 3).  Both print ``FILE:LINE:COL: invalid TOML: …`` and leave the file as it was.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hardening import DATA, DOCUMENTED_EXITS, SHIPPED, problem_lines, realistic_ledger, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cytrack.ledger import load as loader

CORPUS = DATA / "invalid-toml"

# Where tomllib (TOML 1.0) puts each error; "at end of document" is the end of the last line.
EXPECTED = {
    "cpython/array/file-end-after-val.toml": (1, 5),
    "cpython/array/unclosed-after-item.toml": (1, 6),
    "cpython/array/unclosed-empty.toml": (1, 4),
    "cpython/array-of-tables/overwrite-bool-with-aot.toml": (2, 4),
    "cpython/basic-str-ends-in-escape.toml": (1, 29),
    "cpython/boolean/invalid-false-casing.toml": (1, 5),
    "cpython/boolean/invalid-true-casing.toml": (1, 5),
    "cpython/dates-and-times/invalid-day.toml": (1, 36),
    "cpython/dotted-keys/access-non-table.toml": (2, 11),
    "cpython/dotted-keys/extend-defined-table-with-subtable.toml": (4, 16),
    "cpython/dotted-keys/extend-defined-table.toml": (4, 12),
    "cpython/inline-table/define-twice-in-subtable.toml": (1, 44),
    "cpython/inline-table/define-twice.toml": (1, 29),
    "cpython/inline-table/file-end-after-key-val.toml": (1, 7),
    "cpython/inline-table/mutate.toml": (2, 8),
    "cpython/inline-table/unclosed-empty.toml": (1, 4),
    "cpython/invalid-comment-char.toml": (1, 14),
    "cpython/invalid-escaped-unicode.toml": (1, 22),
    "cpython/invalid-hex.toml": (1, 8),
    "cpython/keys-and-vals/ends-early-table-def.toml": (1, 11),
    "cpython/keys-and-vals/ends-early.toml": (1, 6),
    "cpython/keys-and-vals/no-value.toml": (1, 14),
    "cpython/keys-and-vals/only-ws-after-dot.toml": (1, 4),
    "cpython/literal-str/unclosed.toml": (1, 15),
    "cpython/multiline-basic-str/carriage-return.toml": (1, 38),
    "cpython/multiline-basic-str/escape-only.toml": (2, 1),
    "cpython/multiline-basic-str/file-ends-after-opening.toml": (1, 6),
    "cpython/multiline-basic-str/unclosed-ends-in-whitespace-escape.toml": (3, 7),
    "cpython/multiline-literal-str/file-ends-after-opening.toml": (1, 6),
    "cpython/multiline-literal-str/unclosed.toml": (3, 7),
    "cpython/non-scalar-escaped.toml": (1, 10),
    "cpython/unclosed-string.toml": (1, 29),
    "extra/aot-missing-closing-bracket.toml": (2, 14),
    "extra/array-of-tables-over-array.toml": (3, 14),
    "extra/bare-cr-line-endings.toml": (1, 11),
    "extra/bom-in-the-middle.toml": (2, 1),
    "extra/chinese-curly-quotes.toml": (2, 9),
    "extra/chinese-date.toml": (2, 11),
    "extra/date-with-slashes.toml": (2, 11),
    "extra/duplicate-key.toml": (3, 13),
    "extra/escaped-single-quote-in-literal.toml": (2, 13),
    "extra/fullwidth-equals.toml": (2, 7),
    "extra/header-with-trailing-text.toml": (2, 17),
    "extra/key-with-space.toml": (2, 5),
    "extra/leading-zero.toml": (2, 12),
    "extra/missing-equals.toml": (2, 7),
    "extra/nbsp-before-key.toml": (2, 1),
    "extra/percent-sign.toml": (2, 13),
    "extra/raw-control-char-in-string.toml": (2, 10),
    "extra/raw-del-in-string.toml": (2, 10),
    "extra/slash-comment.toml": (2, 1),
    "extra/table-defined-twice.toml": (4, 8),
    "extra/toml11-datetime-without-seconds.toml": (2, 21),
    "extra/toml11-escape-e.toml": (2, 11),
    "extra/toml11-escape-x.toml": (2, 11),
    "extra/toml11-inline-table-newline.toml": (2, 10),
    "extra/toml11-inline-table-trailing-comma.toml": (2, 26),
    "extra/toml11-time-without-seconds.toml": (2, 12),
    "extra/toml11-unicode-bare-key.toml": (2, 1),
    "extra/unclosed-multiline-array.toml": (6, 1),
    "extra/unquoted-chinese-value.toml": (2, 8),
    "extra/value-on-next-line.toml": (2, 8),
    "extra/windows-path-in-basic-string.toml": (2, 17),
    "extra/zero-width-space-in-key.toml": (2, 3),
}
CORPUS_FILES = sorted(EXPECTED)

_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def test_the_corpus_on_disk_is_the_corpus_tested():
    on_disk = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.toml"))
    assert on_disk == CORPUS_FILES


def assert_syntax_error(path: Path, raw: bytes, line: int, col: int) -> None:
    """`validate` lists the error (exit 1), `list` refuses (exit 3); both name FILE:LINE:COL; file untouched."""
    for args, code in ((["validate"], 1), (["list"], 3), (["show", "1-1", "--format", "json"], 3)):
        result = run("--ledger", path, *args)
        assert result.exit_code == code, (args, result.stderr)
        assert result.stdout == ""
        problems = problem_lines(result.stderr, path)
        assert len(problems) == 1, result.stderr
        assert problems[0].startswith(f"{path}:{line}:{col}: invalid TOML: "), problems[0]
        assert "Traceback" not in result.stderr
    assert path.read_bytes() == raw


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_invalid_toml_is_reported_with_line_and_column(tmp_path, name):
    raw = (CORPUS / name).read_bytes()
    path = tmp_path / "commitments.toml"
    path.write_bytes(raw)
    assert_syntax_error(path, raw, *EXPECTED[name])


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_a_bom_does_not_move_the_reported_position(tmp_path, name):
    """Notepad's BOM is stripped before parsing, so lines and columns are those of the text."""
    raw = b"\xef\xbb\xbf" + (CORPUS / name).read_bytes()
    path = tmp_path / "commitments.toml"
    path.write_bytes(raw)
    assert_syntax_error(path, raw, *EXPECTED[name])


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_invalid_toml_after_a_real_ledger_points_into_the_ledger(tmp_path, name):
    """The same snippets pasted at the end of the shipped ledger: the position counts from the file's start."""
    snippet = (CORPUS / name).read_bytes().decode("utf-8")
    text = SHIPPED.read_text(encoding="utf-8") + "\n" + snippet
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_AT.search(str(exc))
        where = (int(m[1]), int(m[2])) if m else (text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1)
    else:
        pytest.skip("valid TOML once it follows the ledger's last table (the schema tests cover it)")
    path = tmp_path / "commitments.toml"
    path.write_bytes(text.encode("utf-8"))
    assert where[0] > SHIPPED.read_text(encoding="utf-8").count("\n")
    assert_syntax_error(path, text.encode("utf-8"), *where)


TOML_11 = {
    "inline table over several lines": 'owner = {\n  name = "市科技局"\n}\n',
    "trailing comma in an inline table": 'owner = { name = "市科技局", }\n',
    "\\e escape": 'note = "\\e[31m"\n',
    "\\x escape": 'note = "\\x41"\n',
    "time without seconds": "meeting = 07:32\n",
    "date-time without seconds": "meeting = 2026-05-27T07:32\n",
    "unicode bare key": '标题 = "成渝"\n',
}


@pytest.mark.parametrize("name", sorted(TOML_11))
def test_toml_1_1_only_syntax_is_refused_in_a_commitment(tmp_path, name):
    """tomlkit would accept these; the loader enforces TOML 1.0 with tomllib first."""
    text = realistic_ledger().replace('id = "2-2"\n', 'id = "2-2"\n' + TOML_11[name], 1)
    path = tmp_path / "commitments.toml"
    path.write_bytes(text.encode("utf-8"))
    result = run("--ledger", path, "list")
    assert result.exit_code == 3
    line = text[: text.index('id = "2-2"')].count("\n") + 2
    assert problem_lines(result.stderr, path)[0].startswith(f"{path}:{line}:")
    assert "invalid TOML" in result.stderr


DEEP = {
    "arrays": "x = " + "[" * 9 + "1" + "]" * 9 + "\n",
    "arrays past the recursion limit": "x = " + "[" * 100_000 + "]" * 100_000 + "\n",
    "inline tables past the recursion limit": "x = " + "{a=" * 50_000 + "1" + "}" * 50_000 + "\n",
    "dotted table header": "[a.b.c.d.e.f.g.h.i]\nz = 1\n",
    "dotted key": "a.b.c.d.e.f.g.h.i = 1\n",
    "mixed": "x = [{a=[{b=[{c=[[1]]}]}]}]\n",
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_nesting_is_refused_without_recursion_error(tmp_path, name):
    shipped = SHIPPED.read_text(encoding="utf-8")
    text = shipped + "\n" + DEEP[name]
    path = tmp_path / "commitments.toml"
    path.write_bytes(text.encode("utf-8"))
    for args, code in ((["validate"], 1), (["list", "--format", "json"], 3)):
        result = run("--ledger", path, *args)
        assert result.exit_code == code
        assert problem_lines(result.stderr, path) == [
            f"{path}:{shipped.count(chr(10)) + 2}: the ledger nests deeper than 8 levels of tables or arrays;"
            " refusing to parse it"
        ]


def test_brackets_inside_text_are_not_nesting(tmp_path):
    """A title or note full of ``[`` (pasted markup, a table drawn in text) is data, not depth."""
    text = realistic_ledger().replace(
        'note = "首批12个重点项目开工。"', 'note = "[[[[[[[[[[[[[[[[嵌套]]]]]]]]]]]]]]]] {{{{{{{{{{{{"'
    )
    path = tmp_path / "commitments.toml"
    path.write_bytes(text.encode("utf-8"))
    assert run("--ledger", path, "validate").exit_code == 0
    assert "[[[[[[[[[[[[[[[[嵌套" in run("--ledger", path, "show", "2-1", "--format", "json").stdout


def test_a_ledger_far_too_large_is_refused_before_parsing(tmp_path, monkeypatch):
    raw = SHIPPED.read_bytes()
    path = tmp_path / "commitments.toml"
    path.write_bytes(raw)

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed a ledger over the size cap")

    monkeypatch.setattr(loader, "MAX_BYTES", len(raw) - 1)
    monkeypatch.setattr(tomllib, "loads", no_parse)
    for args in (["validate"], ["list"]):
        result = run("--ledger", path, *args)
        assert result.exit_code == 3
        assert result.stderr.startswith(f"cytrack: {path}: the ledger is ")
        assert "over the limit of" in result.stderr and "refusing to parse it" in result.stderr
        assert result.stderr.count("\n") == 1
    assert path.read_bytes() == raw


# ---- byte mutations and truncations of the real ledger (hypothesis) --------------------------------

REAL = realistic_ledger().encode("utf-8")


# Lines a merge could have left: whatever follows them, cytrack may report them as conflict markers
# (docs/exit-codes.md) rather than as a syntax error, so the oracle below keeps out of their way.
_MARKER_LIKE = re.compile(r"^(?:<{7}|={7}|>{7}|\|{7})", re.M)


def expected_syntax_error(raw: bytes) -> tuple[int, int] | None:
    """Where the docs say a damaged ledger's syntax error is reported, from tomllib and the codec alone.

    A ledger that decodes as UTF-8 (a BOM allowed), holds no NUL byte and no line that looks like a
    conflict marker, and that tomllib refuses, is reported at tomllib's own line and column; tomllib's
    "at end of document" is the end of the last line.  For anything else (not UTF-8, NUL bytes,
    markers, nesting too deep for the parser) cytrack gives another message and this says nothing.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if "\x00" in text or _MARKER_LIKE.search(text):
        return None
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _TOML_AT.search(message)
        if m:
            return int(m[1]), int(m[2])
        assert message.endswith("(at end of document)"), message
        if message.startswith(("Cannot overwrite", "Cannot declare")):
            return None  # tomllib names no place for a repeated key; cytrack points at the key (test_language)
        lines = text.split("\n")
        return len(lines), len(lines[-1]) + 1
    except RecursionError:
        return None
    return None


def check_damaged(path: Path, raw: bytes) -> None:
    """Whatever the damage: a documented exit, problems as FILE:LINE lines, no traceback, no write."""
    path.write_bytes(raw)
    listed = run("--ledger", path, "list", "--format", "json", "--as-of", "2026-11-25")
    checked = run("--ledger", path, "validate")
    assert listed.exit_code in (0, 3)
    assert checked.exit_code in (0, 1, 3)
    assert (listed.exit_code == 0) == (checked.exit_code == 0), (listed.stderr, checked.stderr)
    for result in (listed, checked):
        assert result.exit_code in DOCUMENTED_EXITS
        for line in result.stderr.splitlines():
            # a syntax error quotes its line and puts a caret under the column, indented below it
            assert line.startswith((f"{path}:", "cytrack: ", "    ")), line
        assert "Traceback" not in result.stderr
    if listed.exit_code == 3:
        assert listed.stdout == ""
        assert listed.stderr.rstrip("\n").splitlines()[-1].startswith(f"cytrack: {path}")
    where = expected_syntax_error(raw)
    if where is not None:
        assert listed.exit_code == 3 and checked.exit_code == 1
        for result in (listed, checked):
            assert problem_lines(result.stderr, path)[0].startswith(f"{path}:{where[0]}:{where[1]}: invalid TOML: ")
    assert path.read_bytes() == raw


MUTATION_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@MUTATION_SETTINGS
@given(cut=st.integers(min_value=0, max_value=len(REAL) - 1))
def test_truncated_ledger(tmp_path, cut):
    check_damaged(tmp_path / "commitments.toml", REAL[:cut])


@MUTATION_SETTINGS
@given(at=st.integers(min_value=0, max_value=len(REAL) - 1), byte=st.integers(min_value=0, max_value=255))
def test_one_byte_replaced(tmp_path, at, byte):
    check_damaged(tmp_path / "commitments.toml", REAL[:at] + bytes([byte]) + REAL[at + 1 :])


@MUTATION_SETTINGS
@given(at=st.integers(min_value=0, max_value=len(REAL)), junk=st.binary(min_size=1, max_size=8))
def test_bytes_inserted(tmp_path, at, junk):
    check_damaged(tmp_path / "commitments.toml", REAL[:at] + junk + REAL[at:])


@MUTATION_SETTINGS
@given(
    at=st.integers(min_value=0, max_value=len(REAL) - 1),
    length=st.integers(min_value=1, max_value=200),
)
def test_bytes_deleted(tmp_path, at, length):
    check_damaged(tmp_path / "commitments.toml", REAL[:at] + REAL[at + length :])


TOKENS = [b"[", b"]", b"[[", b"]]", b'"', b"'", b'"""', b"=", b"\n", b"\r", b"#", b"\\", b",", b"{", b"}", b".", b"\t"]


@MUTATION_SETTINGS
@given(
    at=st.integers(min_value=0, max_value=len(REAL)),
    token=st.sampled_from(TOKENS),
)
def test_toml_punctuation_inserted(tmp_path, at, token):
    """Mutations that hit the grammar rather than the encoding: most become syntax errors."""
    check_damaged(tmp_path / "commitments.toml", REAL[:at] + token + REAL[at:])


@MUTATION_SETTINGS
@given(
    first=st.integers(min_value=0, max_value=REAL.count(b"\n")),
    second=st.integers(min_value=0, max_value=REAL.count(b"\n")),
)
def test_lines_swapped(tmp_path, first, second):
    """A careless edit in WPS or a bad merge: two lines change places."""
    lines = REAL.split(b"\n")
    lines[first], lines[second] = lines[second], lines[first]
    check_damaged(tmp_path / "commitments.toml", b"\n".join(lines))
