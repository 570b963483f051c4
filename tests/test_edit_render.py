"""cytrack's own TOML renderers write exactly what tomlkit writes, and cytrack never imports tomlkit.

``cytrack.store.edit`` is cytrack's one TOML value writer (the write path and the merge
driver use it); tomlkit is a test dependency only, the independent oracle: existing ledgers
must not see one byte of difference, so every value is compared with tomlkit's rendering
and read back with tomllib.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import tomlkit
from conftest import SHIPPED
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cytrack.ledger.scan import lines_with_ends
from cytrack.store import edit
from cytrack.store.edit import insert_key, render_commitment, render_key, render_table, render_value, set_values

# Full unicode without surrogates (TOML cannot hold them), with the characters that need
# escaping (C0 controls, DEL, quote, backslash) and look-alikes (C1, U+2028, bidi) drawn often.
SPECIAL = [chr(c) for c in (*range(0x20), 0x7F, 0x80, 0x85, 0x9F, 0x2028, 0x2029, 0x202E, 0xFEFF)] + ['"', "\\", "'"]
texts = st.text(st.characters(exclude_categories=("Cs",)) | st.sampled_from(SPECIAL))
toml_ints = st.integers(min_value=-(2**63), max_value=2**63 - 1)
scalars = st.one_of(texts, toml_ints, st.booleans(), st.dates())


def read_back(text: str) -> object:
    return tomllib.loads(f"k = {text}")["k"]


@given(texts)
@example("")
@example("\x00\x1b\x7f\b\t\n\f\r\"\\")
@example('"""')
def test_strings_render_as_tomlkit_renders_them_and_read_back(s):
    assert render_value(s) == tomlkit.item(s).as_string()
    assert read_back(render_value(s)) == s


@given(texts)
@example("")
@example("a.b")
@example("-_09AZaz")
@example("é")
def test_keys_render_as_tomlkit_renders_them_and_read_back(k):
    assert render_key(k) == tomlkit.key(k).as_string()
    assert tomllib.loads(f"{render_key(k)} = 1") == {k: 1}


@given(st.dates())
def test_dates_render_as_tomlkit_renders_them(d):
    assert render_value(d) == tomlkit.item(d).as_string()
    assert read_back(render_value(d)) == d


@given(toml_ints)
@example(-(2**63))
@example(2**63 - 1)
def test_ints_render_as_tomlkit_renders_them(n):
    assert render_value(n) == tomlkit.item(n).as_string()
    assert read_back(render_value(n)) == n


@given(st.booleans())
def test_bools_render_as_tomlkit_renders_them(b):
    assert render_value(b) == tomlkit.item(b).as_string()
    assert read_back(render_value(b)) is b


@given(st.lists(texts))
def test_lists_of_strings_render_as_tomlkit_renders_them(xs):
    assert render_value(xs) == tomlkit.item(xs).as_string()
    assert read_back(render_value(xs)) == xs


@given(st.lists(scalars, max_size=5))
def test_lists_of_mixed_values_render_as_tomlkit_renders_them(xs):
    assert render_value(xs) == tomlkit.item(xs).as_string()
    assert read_back(render_value(xs)) == xs


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("a\nb", '"a\\nb"'),
        ("中文", '"中文"'),
        ("\x1b[31m", '"\\u001b[31m"'),  # not TOML 1.1's \e, which tomllib refuses
        ("\x00\x7f", '"\\u0000\\u007f"'),
        ('say "hi" \\o/', '"say \\"hi\\" \\\\o/"'),
        ("\u2028\u202e\x85", '"\u2028\u202e\x85"'),  # not TOML control characters: verbatim
        ([], "[]"),
        (["a", "b"], '["a", "b"]'),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (-5, "-5"),
        (date(1, 2, 3), "0001-02-03"),
        (date(2026, 11, 26), "2026-11-26"),
    ],
)
def test_exact_renderings(value, text):
    assert render_value(value) == text


@pytest.mark.parametrize(("key", "text"), [("note", "note"), ("due_basis", "due_basis"), ("a-1", "a-1"),
                                           ("", '""'), ("a b", '"a b"'), ("1.2", '"1.2"'), ("中", '"中"')])
def test_exact_keys(key, text):
    assert render_key(key) == text


@pytest.mark.parametrize(
    "value", [1.5, datetime(2026, 1, 2, 3, 4), None, {"a": 1}, [{"a": 1}], ["a", None], b"a"]
)
def test_values_cytrack_never_writes_are_refused(value):
    with pytest.raises(TypeError):
        render_value(value)


def test_a_key_that_is_not_a_string_is_refused():
    with pytest.raises(TypeError):
        render_key(1)  # type: ignore[arg-type]


def test_a_table_and_a_key_are_written_with_these_renderers():
    fields = {"date": date(2026, 3, 1), "note": "第一\n第二", "by": 'A "B"', "tags": ["x", "y z"]}
    assert render_table("commitments.progress", fields, "  ", "\r\n") == [
        "  [[commitments.progress]]\r\n",
        "  date = 2026-03-01\r\n",
        '  note = "第一\\n第二"\r\n',
        '  by = "A \\"B\\""\r\n',
        '  tags = ["x", "y z"]\r\n',
    ]
    assert insert_key(["[[commitments]]\n", '  status = "x"\n'], 1, "due basis", "a\tb")[2] == (
        '  "due basis" = "a\\tb"\n'
    )


def test_importing_the_editor_does_not_import_tomlkit():
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, cytrack.store.edit; print('tomlkit' in sys.modules)"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert proc.stdout.strip() == "False"


def _imports(args: list[str]) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cytrack", *args],
        capture_output=True, text=True, encoding="utf-8", stdin=subprocess.DEVNULL, timeout=120,
    )
    found = {m.group(1).split(".")[0] for m in re.finditer(r"^import time:.*\|\s*(\S+)$", proc.stderr, re.M)}
    return found, proc


def test_update_with_only_a_note_writes_without_importing_tomlkit(tmp_path: Path):
    ledger = tmp_path / "commitments.toml"
    shutil.copyfile(SHIPPED, ledger)
    before = ledger.read_text(encoding="utf-8")
    found, proc = _imports(["--ledger", str(ledger), "update", "1-1", "--note", 'a "quoted"\tnote'])
    assert proc.returncode == 0, proc.stderr
    assert "tomlkit" not in found
    after = ledger.read_text(encoding="utf-8")
    assert after != before
    assert '  note = "a \\"quoted\\"\\tnote"\n' in after
    first = tomllib.loads(after)["commitments"][0]
    assert first["id"] == "1-1"
    assert [e["note"] for e in first["progress"]].count('a "quoted"\tnote') == 1


_STATUS_VALUES = ["not_started", "in_progress", "blocked", "done", "dropped"]


@settings(max_examples=200, deadline=None)
@given(
    status_quote=st.sampled_from(['"', "'"]),
    eq=st.sampled_from(["=", " = ", "   =  ", "=\t"]),
    comment=st.sampled_from(["", "  # 状态", "# c", " #"]),
    indent=st.sampled_from(["", "  ", "\t"]),
    percent_text=st.sampled_from(["0", "+5", "40", "1_0"]),
    nl=st.sampled_from(["\n", "\r\n"]),
    sub=st.booleans(),
    new_status=st.sampled_from(_STATUS_VALUES),
    new_percent=st.integers(min_value=0, max_value=100),
    which=st.sampled_from(["status", "percent", "both"]),
)
def test_changing_a_value_in_place_writes_what_tomlkit_writes(
    status_quote, eq, comment, indent, percent_text, nl, sub, new_status, new_percent, which
):
    """The in-place value change keeps key, spacing and comment exactly as tomlkit's replacement does."""
    entry = f'  [[commitments.progress]]{nl}  date = 2026-01-02{nl}  status = "done"{nl}  percent = 7{nl}'
    text = (
        f'[[commitments]]{nl}id = "1-1"{nl}'
        f"{indent}status{eq}{status_quote}blocked{status_quote}{comment}{nl}"
        f"{indent}percent{eq}{percent_text}{comment}{nl}" + (entry if sub else "")
    )
    values = {"status": new_status, "percent": new_percent}
    if which != "both":
        values = {which: values[which]}
    block = lines_with_ends(text)
    assert set_values(block, values) == tomlkit_set(block, values)


def tomlkit_set(block: list[str], values: dict) -> list[str]:
    """The oracle: tomlkit parses the block and sets the values (cytrack itself did this until it
    wrote every value itself); a string stays literal where the old one was a one-line literal."""
    from tomlkit.items import String, StringType

    nl = "\r\n" if block[0].endswith("\r\n") else "\n"
    doc = tomlkit.parse("".join(block).replace("\r\n", "\n"))
    table = doc["commitments"][0]
    for key, value in values.items():
        old = table[key]
        if isinstance(value, str):
            table[key] = tomlkit.string(value, literal=isinstance(old, String) and old.type is StringType.SLL)
        else:
            table[key] = tomlkit.item(value)
    return lines_with_ends(tomlkit.dumps(doc).replace("\n", nl))


def test_a_value_over_several_lines_is_still_replaced():
    block = lines_with_ends('[[commitments]]\nid = "1-1"\nstatus = """\nblocked"""\npercent = 5\n')
    expected = '[[commitments]]\nid = "1-1"\nstatus = "done"\npercent = 5\n'
    assert "".join(set_values(block, {"status": "done"})) == expected


def test_changing_status_and_percent_does_not_import_tomlkit():
    code = (
        "import sys\nfrom cytrack.store.edit import set_values\n"
        "set_values(['[[commitments]]\\n', 'status = \"blocked\"\\n', 'percent = 5\\n'],"
        " {'status': 'done', 'percent': 9})\n"
        "print('tomlkit' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert found.stdout.strip() == "False", found.stderr


# --- every TOML value, for the merge driver and its messages ----------------------------------------

floats = st.floats()
offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
datetimes = st.datetimes(timezones=st.none() | st.just(UTC) | offsets)
times = st.times()


@given(st.one_of(floats, datetimes, times, st.lists(st.one_of(floats, datetimes, times, scalars), max_size=4)))
@example(float("inf"))
@example(-0.0)
@example(datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC))
def test_every_type_renders_as_tomlkit_renders_it(value):
    assert render_value(value, every_type=True) == tomlkit.item(value).as_string()


toml_values = st.recursive(  # what tomllib reads: no fold, no time with an offset
    st.one_of(scalars, floats, st.datetimes(timezones=st.none() | offsets).map(lambda d: d.replace(fold=0)),
              times.map(lambda t: t.replace(fold=0))),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
tables = st.dictionaries(texts, toml_values, max_size=4)


@settings(max_examples=300, deadline=None)
@given(
    own=tables,
    progress=st.none() | st.lists(tables, max_size=3),
    extensions=st.none() | st.lists(tables, max_size=2),
    nl=st.sampled_from(["\n", "\r\n"]),
)
def test_a_commitment_written_afresh_reads_back_as_itself(own, progress, extensions, nl):
    """The merge driver writes a commitment afresh (``render_commitment``) when the pieces of the two
    texts cannot express the merge: tomllib must read back exactly the commitment, types and all."""
    from cytrack.merge.plan import canon

    c = {k: v for k, v in own.items() if k not in ("progress", "extensions")}
    if progress is not None:
        c["progress"] = progress
    if extensions is not None:
        c["extensions"] = extensions
    lines = render_commitment(c, nl)
    assert lines[0] == f"[[commitments]]{nl}" and all(line.endswith(nl) for line in lines)
    assert canon(tomllib.loads("".join(lines))) == canon({"commitments": [c]})
    for n, line in enumerate(lines):  # the layout add and update write: a blank line, then an indented table
        if line.lstrip().startswith("[[commitments."):
            assert lines[n - 1] == nl and line.startswith("  [[commitments.")


def test_a_commitment_written_afresh_looks_like_one_cytrack_wrote():
    c = {
        "id": "1-1", "title": "标题", "progress": [{"date": date(2026, 1, 5), "note": "起步"}],
        "due": date(2026, 6, 30),
        "extensions": [{"date": date(2026, 2, 1), "new_due": date(2026, 9, 30), "reason": "等"}],
    }
    assert "".join(render_commitment(c, "\n")) == (
        '[[commitments]]\nid = "1-1"\ntitle = "标题"\ndue = 2026-06-30\n'
        '\n  [[commitments.progress]]\n  date = 2026-01-05\n  note = "起步"\n'
        '\n  [[commitments.extensions]]\n  date = 2026-02-01\n  new_due = 2026-09-30\n  reason = "等"\n'
    )


# --- a value written over several lines becomes one line ---------------------------------------------

_body = st.text(st.sampled_from(list("ab 中#=[]{},'\"\n")), max_size=12).filter(
    lambda t: '"' not in t[-1:] and '""' not in t
)
_literal_body = st.text(st.sampled_from(list("ab 中#=[]{},\"\n\\")), max_size=12)
_comment = st.sampled_from(["", "  # c", " # 注 ]", "#[x] '''"])
_item = st.sampled_from(['"a"', "1", "2026-01-01", "'x # y'", '"]"', "[1, 2]", "true", '"""q"""'])


@st.composite
def values_over_lines(draw) -> str:
    """The text of a value that spans lines, with comments inside arrays, ``\\n``-ended."""
    kind = draw(st.sampled_from(["basic", "literal", "array"]))
    if kind == "basic":
        return '"""' + draw(st.sampled_from(["\n", ""])) + draw(_body) + "\n" + draw(_body) + '"""'
    if kind == "literal":
        return "'''" + draw(st.sampled_from(["\n", ""])) + draw(_literal_body) + "\n" + draw(_literal_body) + "'''"
    items = draw(st.lists(_item, max_size=4))
    lines = ["[" + draw(_comment)]
    lines += [f"  {item},{draw(_comment)}" for item in items]
    return "\n".join(lines) + "\n" + draw(st.sampled_from(["]", "  ]"]))


def only_the_value_lines_changed(block: list[str], new: list[str], first: int, last: int) -> bool:
    """Every line outside the old value's lines ``first..last`` is there, byte for byte, in order."""
    return new[:first] == block[:first] and new[first + 1 :] == block[last + 1 :]


@settings(max_examples=300, deadline=None)
@given(
    old=values_over_lines(),
    new=st.one_of(texts, toml_ints, st.booleans(), st.dates(), st.lists(scalars, max_size=3)),
    key=st.sampled_from(["status", "note", '"a key"']),
    eq=st.sampled_from([" = ", "=", "  =\t"]),
    before=st.lists(st.sampled_from(["# 上面", "", "  # 注释 = 1", 'x = "y"']), max_size=3, unique=True),
    after=st.lists(st.sampled_from(["# 下面", "", "   ", "percent = 5  # p"]), max_size=3, unique=True),
    trail=_comment,
    sub=st.booleans(),
    nl=st.sampled_from(["\n", "\r\n"]),
)
def test_a_value_over_several_lines_becomes_one_line_and_nothing_else_changes(
    old, new, key, eq, before, after, trail, sub, nl
):
    old = old.replace("\n", nl)
    head = ["[[commitments]]", 'id = "1-1"', *before]
    text = nl.join([*head, f"{key}{eq}{old}{trail}", *after, "last = 1"]) + nl
    if sub:
        text += f"{nl}  [[commitments.progress]]{nl}  date = 2026-01-01{nl}  note = {old}{nl}"
    block = lines_with_ends(text)
    name = key.strip('"')
    data = tomllib.loads(text)
    new_block = set_values(block, {name: new})
    first, last = len(head), len(head) + old.count(nl)
    assert only_the_value_lines_changed(block, new_block, first, last)
    assert new_block[first] == f"{key}{eq}{render_value(new)}{trail}{nl}"
    data["commitments"][0][name] = new
    assert tomllib.loads("".join(new_block)) == data
    assert new_block == tomlkit_set(block, {name: new})


@pytest.mark.parametrize("broken", [False, True], ids=["ours", "to-the-next-key"])
def test_the_comment_after_a_value_over_several_lines_stays(monkeypatch, broken):
    """Negative control: a replacement that takes the old value to run up to the next key drops the
    comment line between them; the data would still read back the same, the line check sees it."""
    block = lines_with_ends(
        '[[commitments]]\nid = "1-1"\nstatus = """\nblocked\n"""  # 旧\n# 下一行是进度\npercent = 5\n'
    )
    if broken:
        real = edit.value_end

        def to_the_next_key(lines, j, i):  # type: ignore[no-untyped-def]
            last, _ = real(lines, j, i)
            while last + 1 < len(lines) and not lines[last + 1].strip().startswith("percent"):
                last += 1
            return last, len(lines[last].rstrip("\n"))

        monkeypatch.setattr(edit, "value_end", to_the_next_key)
    new = set_values(block, {"status": "done"})
    assert tomllib.loads("".join(new))["commitments"][0]["status"] == "done"
    kept = only_the_value_lines_changed(block, new, 2, 4)
    if broken:
        assert not kept and "# 下一行是进度\n" not in new
        return
    assert kept and new[2] == 'status = "done"  # 旧\n'
