"""Encodings and shapes a Chinese office meets: BOM, CRLF, GBK, UTF-16, empty files, NUL, conflict markers.

BOM and CRLF ledgers work (and keep their BOM and line ends when written); everything
else is refused with exit 3 and one sentence that says what is wrong and what to do.
"""

from __future__ import annotations

import json

import pytest
from hardening import SHIPPED, command_paths, problem_lines, realistic_ledger, run

TEXT = realistic_ledger()
BOM = b"\xef\xbb\xbf"


def write(tmp_path, raw: bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / "commitments.toml"
    path.write_bytes(raw)
    return path


def listing(path) -> list[dict]:  # type: ignore[no-untyped-def]
    result = run("--ledger", path, "list", "--format", "json", "--as-of", "2026-11-25")
    assert (result.exit_code, result.stderr) == (0, "")
    return json.loads(result.stdout)


SHAPES = {
    "BOM": BOM + TEXT.encode("utf-8"),
    "CRLF": TEXT.replace("\n", "\r\n").encode("utf-8"),
    "BOM and CRLF": BOM + TEXT.replace("\n", "\r\n").encode("utf-8"),
    "mixed LF and CRLF": "\n".join(
        line + ("\r" if i % 3 == 0 else "") for i, line in enumerate(TEXT.split("\n"))
    ).encode("utf-8"),
    "no newline at the end": TEXT.rstrip("\n").encode("utf-8"),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_bom_and_crlf_ledgers_work(tmp_path, shape):
    plain = listing(write(tmp_path, TEXT.encode("utf-8")))
    path = write(tmp_path, SHAPES[shape])
    assert listing(path) == plain
    result = run("--ledger", path, "validate")
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{path}: OK, 31 commitments.\n", "")
    shown = run("--ledger", path, "show", "2-1", "--format", "json")
    assert json.loads(shown.stdout)["progress"][0]["note"] == "行动方案已报市政府审定。"
    assert path.read_bytes() == SHAPES[shape]


def test_problem_lines_count_crlf_lines_like_lf_lines(tmp_path):
    text = TEXT.replace('  percent = 45', '  percent = 145')
    line = text.split("\n").index("  percent = 145") + 1
    path = write(tmp_path, BOM + text.replace("\n", "\r\n").encode("utf-8"))
    result = run("--ledger", path, "list")
    assert result.exit_code == 3
    assert problem_lines(result.stderr, path)[0].startswith(f"{path}:{line}: commitment 2-1, progress entry 2: percent")


WRITES = {
    "update": ["update", "2-1", "--note", "第二批项目开工。", "--percent", "60", "--date", "2026-11-24"],
    "extend": ["extend", "2-1", "--to", "2026-12-31", "--reason", "项目审批延后。"],
}


@pytest.mark.parametrize("command", sorted(WRITES))
@pytest.mark.parametrize("shape", ["BOM", "CRLF", "BOM and CRLF"])
def test_a_write_keeps_bom_and_crlf(tmp_path, command, shape):
    assert command in command_paths(), command
    before = SHAPES[shape]
    path = write(tmp_path, before)
    result = run("--ledger", path, *WRITES[command])
    assert result.exit_code == 0, result.stderr
    after = path.read_bytes()
    assert after != before
    assert after.startswith(BOM) == before.startswith(BOM)
    body = after.removeprefix(BOM)
    if b"\r\n" in before:
        assert body.count(b"\n") == body.count(b"\r\n"), "a line lost its CR"
    else:
        assert b"\r" not in body
    assert run("--ledger", path, "validate").exit_code == 0


GB_TEXT = SHIPPED.read_text(encoding="utf-8")
FIRST_CHINESE_LINE = 1  # the ledger opens with a Chinese comment


@pytest.mark.parametrize(
    ("codec", "looks_like", "iconv_from"),
    [
        ("gbk", "It looks like GBK/GB18030", "GB18030"),
        ("gb18030", "It looks like GBK/GB18030", "GB18030"),
        ("utf-16", 'It looks like UTF-16 (what Notepad calls "Unicode")', "UTF-16"),
        ("utf-16-be", 'It looks like UTF-16 (what Notepad calls "Unicode")', "UTF-16BE"),
    ],
)
def test_other_encodings_are_refused_with_a_hint(tmp_path, codec, looks_like, iconv_from):
    raw = GB_TEXT.encode(codec)
    path = write(tmp_path, raw)
    for args in (["list"], ["validate"], ["show", "2-1"]):
        result = run("--ledger", path, *args)
        assert result.exit_code == 3
        assert result.stdout == ""
        (message,) = result.stderr.splitlines()
        assert message.startswith(f"cytrack: {path}:{FIRST_CHINESE_LINE}: the ledger must be UTF-8, but byte 0x")
        assert looks_like in message
        assert f"`iconv -f {iconv_from} -t UTF-8 commitments.toml > commitments.toml.utf8`" in message
        assert "Save it again as UTF-8" in message
    assert path.read_bytes() == raw


def test_gbk_after_utf8_lines_names_the_first_bad_line(tmp_path):
    """A ledger that one colleague saved as GBK after another wrote it as UTF-8: the line of the first GBK byte."""
    text = TEXT.replace('note = "首批12个重点项目开工。"', 'note = "首批12个重点项目开工。ＧＢＫ"')
    line = text.split("\n").index('  note = "首批12个重点项目开工。ＧＢＫ"') + 1
    raw = text.encode("utf-8").replace("ＧＢＫ".encode(), "改".encode("gbk"))
    path = write(tmp_path, raw)
    result = run("--ledger", path, "list")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"cytrack: {path}:{line}: the ledger must be UTF-8")


def test_utf16_without_bom_and_ascii_only_is_named_as_such(tmp_path):
    raw = 'schema = 1\n[source]\nproposal = "1181"\n'.encode("utf-16-le")
    path = write(tmp_path, raw)
    result = run("--ledger", path, "list")
    assert result.exit_code == 3
    assert result.stderr == (
        f"cytrack: {path}:1: the ledger must be UTF-8, but it holds NUL bytes. It looks like UTF-16 (what Notepad"
        ' calls "Unicode"). Save it again as UTF-8: in Notepad (记事本) choose 另存为 (Save As) → 编码 (Encoding):'
        " UTF-8; in WPS choose 另存为 → 编码 UTF-8; on Linux convert it with"
        " `iconv -f UTF-16LE -t UTF-8 commitments.toml > commitments.toml.utf8` and put that file in its place.\n"
    )


@pytest.mark.parametrize(
    ("raw", "what"),
    [
        (b"", "is empty (0 bytes)"),
        (BOM, "is empty (0 bytes)"),
        (b"\n\n   \n", "holds nothing but blank lines and comments"),
        (b"\r\n\r\n", "holds nothing but blank lines and comments"),
        ("# 第1181号提案答复承诺事项台账\n# 备注\n".encode(), "holds nothing but blank lines and comments"),
    ],
    ids=["0 bytes", "only a BOM", "blank lines", "CRLF blank lines", "only comments"],
)
def test_an_empty_ledger_says_it_is_empty(tmp_path, raw, what):
    path = write(tmp_path, raw)
    expected = (
        f"{path}:1: the ledger {what}; was it cut short? Restore it from git or a backup,"
        " or write a fresh one with `cytrack init`"
    )
    result = run("--ledger", path, "list")
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == f"{expected}\ncytrack: {path}: the ledger has 1 problem(s); nothing was done.\n"
    result = run("--ledger", path, "validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == expected
    assert path.read_bytes() == raw


@pytest.mark.parametrize("where", ["in a comment", "in a string", "at the end"])
def test_nul_bytes_are_refused_with_their_line(tmp_path, where):
    lines = TEXT.split("\n")
    note = lines.index('  note = "首批12个重点项目开工。"')
    n = {"in a comment": 1, "in a string": note, "at the end": len(lines) - 1}[where]
    lines[n] = lines[n][:-2] + "\x00" + lines[n][-2:] if lines[n] else "\x00"
    raw = "\n".join(lines).encode("utf-8")
    path = write(tmp_path, raw)
    for args in (["list"], ["validate"]):
        result = run("--ledger", path, *args)
        assert result.exit_code == 3
        assert result.stderr == (
            f"cytrack: {path}:{n + 1}: the ledger holds a NUL byte; it is not a text file, or it is damaged.\n"
        )
    assert path.read_bytes() == raw


def _conflicted(style: str) -> tuple[str, list[int]]:
    """The realistic ledger with git's conflict markers around a changed percent of 2-1."""
    ours = "  percent = 45"
    base = "||||||| base\n  percent = 30\n" if style == "diff3" else ""
    block = f"<<<<<<< HEAD\n{ours}\n{base}=======\n  percent = 50\n>>>>>>> origin/main"
    text = TEXT.replace(ours, block, 1)
    lines = text.split("\n")
    markers = [i + 1 for i, line in enumerate(lines) if line[:7] in ("<<<<<<<", "|||||||", "=======", ">>>>>>>")]
    return text, markers


@pytest.mark.parametrize("style", ["merge", "diff3"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_git_conflict_markers_are_named_with_their_lines(tmp_path, style, newline):
    text, markers = _conflicted(style)
    assert len(markers) == (4 if style == "diff3" else 3)
    raw = text.replace("\n", newline).encode("utf-8")
    path = write(tmp_path, raw)
    expected = [f"{path}:{n}: unresolved git conflict marker" for n in markers]
    result = run("--ledger", path, "validate")
    assert result.exit_code == 1
    problems = problem_lines(result.stderr, path)
    assert [p[: len(e)] for p, e in zip(problems, expected, strict=True)] == expected
    result = run("--ledger", path, "list")
    assert result.exit_code == 3
    assert problem_lines(result.stderr, path) == problems
    last = f"cytrack: {path}: the ledger has {len(markers)} problem(s); nothing was done."
    assert result.stderr.splitlines()[-1] == last
    assert path.read_bytes() == raw


def test_equals_signs_inside_a_note_are_not_conflict_markers(tmp_path):
    """A note may hold a line of '=' (a rule under a heading, in a multi-line string)."""
    text = TEXT.replace(
        'note = "首批12个重点项目开工。"', 'note = """\n首批项目\n=======\n十二个重点项目开工。"""'
    )
    path = write(tmp_path, text.encode("utf-8"))
    result = run("--ledger", path, "validate")
    assert result.exit_code == 0, result.stderr
