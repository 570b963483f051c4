"""The one TOML line scanner's small readers, as the edit and the diagnosis use them."""

from __future__ import annotations

import pytest

from cytrack.ledger.scan import key_text, plain_string, too_deep_line, value_end, value_start


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("x = " + "[" * 9 + "1" + "]" * 9 + "\n", 1),
        ("x = " + "[" * 8 + "1" + "]" * 8 + "\n", None),  # eight levels are allowed
        ("a = 1\nx = [\n  [[[[[[[[1]]]]]]]],\n]\n", 3),  # the line where the ninth level opens
        ('x = ["[[[[[[[[[[", \'{{{{{{{{{{\']  # [[[[[[[[[[\n', None),  # brackets in strings and comments
        ('n = """\n[[[[[[[[[[\n1.2.3.4.5.6.7.8.9 = 1\n"""\n', None),  # inside a multi-line string
        ("x = {a={a={a={a={a={a={a={a={a=1}}}}}}}}}\n", 1),
        ("z = 1\n[a.b.c.d.e.f.g.h]\n", 2),  # a header name of eight parts
        ("z = 1\n[a.b.c.d.e.f.g]\n", None),
        ('z = 1\na.b.c.d.e.f.g."h" = 1\n', 2),  # a dotted key of eight parts
    ],
)
def test_too_deep_line(text, line):
    assert too_deep_line(text, 8) == line


def test_key_text_keeps_the_key_as_written_and_says_where_it_starts():
    assert key_text('  a . "b c".d = 1') == ('a . "b c".d', 2)
    assert key_text('"a\\"b" = 1') == ('"a\\"b"', 0)
    assert key_text("[table]") is None and key_text("# a = 1") is None


def test_value_start_and_plain_string():
    line = "  id =  '2-3'  # c\n"
    assert value_start(line) == ("id", 8)
    assert plain_string(line, 8) == "2-3"
    assert plain_string('id = "a\\"b"', 5) is None  # an escape: not a plain string
    assert value_start("a.b = 1") is None  # a dotted key has no value of its own


@pytest.mark.parametrize(
    ("lines", "end"),
    [
        (['s = """a\n', 'b""" # c\n'], (1, 4)),
        (["s = '''a'''\n"], (0, 11)),
        (['a = [ # [\n', '  "]",\n', '  [1, 2],\n', ']  # ]\n'], (3, 1)),
        (["d = 2026-01-02  # x\n"], (0, 14)),
        (["t = {a = [1, {b = 2}]}\n"], (0, 22)),
        (['s = """a""""" # c\n'], (0, 13)),  # a multi-line string may end with two quotes of its own
    ],
)
def test_value_end_follows_the_value_to_its_close(lines, end):
    _, start = value_start(lines[0])
    assert value_end(lines, 0, start) == end


def test_a_value_that_never_closes_is_refused():
    with pytest.raises(ValueError):
        value_end(['s = """a\n', "b\n"], 0, 4)
