"""``scan.read_plain``: the one-pass reader of the TOML subset cytrack writes.

Its promise: for any text it either gives up (None, and tomllib reads the text) or gives exactly
what ``tomllib.loads`` and ``index_lines`` give. tomllib is the independent judge here; the
generated texts mix the subset with everything just outside it (escapes it does not take,
floats, datetimes, dotted keys, inline tables, multi-line values, redefinitions, control
characters, lone carriage returns), so a reader that accepted too much fails the first
property and one that gave up on everything fails the second.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cytrack.ledger import load, scan
from cytrack.ledger.load import LedgerText, load_text
from cytrack.ledger.scan import LineIndex, index_lines, read_plain

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "commitments.toml"


def typed(value: Any) -> Any:
    """``value`` with each leaf's type beside it: ``True == 1`` and ``date`` vs ``datetime`` must not pass."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def index_shape(index: LineIndex) -> Any:
    """Everything a reader of the index can ask, as plain data."""
    return {
        "root": index.root.keys,
        "tables": {name: (t.line, t.keys) for name, t in index.tables.items()},
        "commitments": [(t.line, t.keys) for t in index.commitments],
        "progress": {i: [(t.line, t.keys) for t in ts] for i, ts in index.progress.items()},
        "extensions": {i: [(t.line, t.keys) for t in ts] for i, ts in index.extensions.items()},
        "headers": [(h.line, h.name, h.array, h.end) for h in index.headers],
    }


def assert_same_as_tomllib(text: str) -> bool:
    """Check ``read_plain`` against tomllib and ``index_lines``; True when it read the text itself."""
    got = read_plain(text)
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert got is None, f"read_plain accepted a text tomllib refuses: {text!r}"
        return False
    if got is None:
        return False
    data, index = got
    assert typed(data) == typed(expected), text
    assert list(data) == list(expected)  # key order, as a table is shown back
    assert index_shape(index) == index_shape(index_lines(text)), text
    return True


# --- texts of the subset, and texts around it -------------------------------------------------

KEYS = ["id", "title", "note", "date", "percent", "tags", "progress", "a-b_1", '"1"', '"id"', '""']
OUTSIDE_KEYS = ["a.b", "'lit'", '"x\\u0041"', '"a\'b"', "ü", '"\'q\'"', "a . b"]
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\n"), max_size=12)
PLAIN_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=12)


def basic(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{out}"'


def plain_values() -> st.SearchStrategy[str]:
    return st.one_of(
        PLAIN_TEXT.map(basic),
        PLAIN_TEXT.filter(lambda s: "'" not in s).map(lambda s: f"'{s}'"),
        st.integers(-10**6, 10**6).map(str),
        st.sampled_from(["true", "false", "0", "-0"]),
        st.dates(date(1, 1, 1), date(9999, 12, 31)).map(lambda d: d.isoformat()),
        st.lists(PLAIN_TEXT.filter(lambda s: '"' not in s and "\\" not in s), max_size=3).map(
            lambda xs: "[" + ", ".join(f'"{x}"' for x in xs) + "]"
        ),
        st.sampled_from(['["a",]', "[ ]", '[ "x" , "y" ]', '"tab\\there"', '"\\"q\\" \\\\ \\n"']),
    )


def outside_values() -> st.SearchStrategy[str]:
    return st.one_of(
        TEXT.map(lambda s: f'"{s}"'),  # raw, unescaped: quotes, backslashes and controls as they come
        TEXT.map(lambda s: f"'{s}'"),
        st.sampled_from([
            "1.5", "+1", "01", "1_000", "0x1F", "inf", "nan", "True", "2024-02-30", "2024-13-01",
            "2024-1-01", "2024-01-01T10:00:00", "2024-01-01 10:00:00", "10:00:00", "2024-01-01Z",
            '"\\u4e2d"', '"\\U0001F600"', '"\\e"', '"\\x41"', '"bad \\q"', "{ a = 1 }", "[1, 2]",
            '["a", 1]', '[["a"]]', '["a" "b"]', "[,]", '"""multi\nline"""', "'''lit\nline'''",
            '[\n  "a",\n]', '"unclosed', "", "x", '"a" "b"', '"a"#c', "1 # c", '"\x7f"', "'\x01'",
        ]),
    )


@st.composite
def toml_texts(draw: st.DrawFn, plain_only: bool = False) -> str:
    keys = st.sampled_from(KEYS if plain_only else KEYS + OUTSIDE_KEYS)
    values = plain_values() if plain_only else st.one_of(plain_values(), outside_values())
    comment = st.one_of(st.just(""), (PLAIN_TEXT if plain_only else TEXT).map(lambda s: f"  # {s}"))
    headers = ["[source]", "[sections]", "[[commitments]]", "[[commitments.progress]]",
               "[[commitments.extensions]]", "  [[commitments.progress]]  # 进展"]
    if not plain_only:
        headers += ["[commitments.meta]", "[ source ]", "[[a.b.c]]", "[a]]", '["q"]', "[source]",
                    "[[source]]", "[sections.x]", "\u3000[x]", "[[commitments.progress.x]]"]
    line = st.one_of(
        st.tuples(keys, values, comment).map(lambda t: f"{t[0]} = {t[1]}{t[2]}"),
        st.tuples(st.sampled_from(["", "  ", "\t"]), keys, values).map(lambda t: f"{t[0]}{t[1]}={t[2]}"),
        st.sampled_from(headers),
        comment,
        st.just(""),
    )
    lines = draw(st.lists(line, max_size=14))
    if plain_only:
        # One table of each name, one key of each name per table: what a ledger written by cytrack holds.
        seen: set[tuple[int, str]] = set()
        tables: set[str] = set()
        kept, table, arrays = [], 0, False
        for ln in lines:
            stripped = ln.strip()
            if stripped.startswith("[["):
                if "commitments." in stripped and not arrays:
                    continue
                arrays = arrays or stripped.startswith("[[commitments]]")
                table += 1
            elif stripped.startswith("["):
                if stripped in tables or arrays:
                    continue
                tables.add(stripped)
                table += 1
            elif "=" in ln:
                key = ln.split("=")[0].strip().strip('"') or '""'
                if key in ("progress", "tags") and arrays:
                    continue
                if (table, key) in seen:
                    continue
                seen.add((table, key))
            kept.append(ln)
        lines = kept
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines)
    if draw(st.booleans()):
        text += newline
    if not plain_only and draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["\r", "\x00", "\x1b", "\x7f", "\t", " "])) + text[at:]
    return text


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(toml_texts())
def test_read_plain_equals_tomllib_or_gives_up(text: str) -> None:
    assert_same_as_tomllib(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(toml_texts(plain_only=True))
def test_read_plain_reads_every_text_of_its_subset(text: str) -> None:
    assert assert_same_as_tomllib(text), f"read_plain gave up on a text of its subset: {text!r}"


@pytest.mark.parametrize(
    "text",
    [
        'a = "x"\na = "y"\n',  # a key twice
        'id = "1"\n"id" = "2"\n',  # the same key, quoted the second time
        "[source]\n[source]\n",  # a table twice
        "source = 1\n[source]\n",  # a table over a value
        "commitments = []\n[[commitments]]\n",  # an array of tables over a static array
        '[[commitments]]\nprogress = ["a"]\n[[commitments.progress]]\n',
        "[commitments]\n[[commitments]]\n",
        "[[commitments.progress]]\n",  # an element of an array that does not exist (tomllib makes it; not the subset)
        'a = 1\r',  # a carriage return at the end without its line feed
        'a = "x\ry"\n',
        "d = 2023-02-29\n",
        "n = 007\n",
        'a = "\\u00e9"\n',
    ],
)
def test_read_plain_gives_up_where_it_must(text: str) -> None:
    assert read_plain(text) is None
    assert_same_as_tomllib(text)  # and tomllib is asked: equal data or an error


def test_shipped_and_generated_ledgers_take_the_plain_path() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    try:
        from gen import ledger_text, make_items, office_files
    finally:
        sys.path.pop(0)
    today = date(2026, 12, 2)
    items = make_items(120, today)
    texts = [SHIPPED.read_text(encoding="utf-8"), ledger_text(items)]
    entry, replies = office_files(items, 4, today)
    texts += [entry, *(t for _, t in replies)]
    for text in texts:
        assert assert_same_as_tomllib(text)
        assert assert_same_as_tomllib(text.replace("\n", "\r\n"))


def _loaded(text: str, path: str = "l.toml") -> tuple[Any, list[tuple[int, str, bool]]]:
    result = load_text(LedgerText(path, text))
    return result.ledger, [(p.line, p.message, p.warning) for p in result.problems]


@pytest.mark.parametrize(
    "text",
    [
        SHIPPED.read_text(encoding="utf-8"),
        SHIPPED.read_text(encoding="utf-8").replace('status = "not_started"', 'status = "paused"', 1),
        SHIPPED.read_text(encoding="utf-8").replace('id = "2-3"', 'id = "2-2"', 1),
        SHIPPED.read_text(encoding="utf-8") + '\n[[commitments]]\nid = "9-9"\n',
        "",
        "# only a comment\n",
    ],
    ids=["shipped", "bad-status", "duplicate-id", "missing-fields", "empty", "comments"],
)
def test_load_gives_the_same_model_and_problems_either_way(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _loaded(text)
    monkeypatch.setattr(scan, "read_plain", lambda _text: None)
    assert _loaded(text) == plain


def test_the_loader_uses_the_plain_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger in the subset is never handed to tomllib (the speed of a changed office file depends on it)."""
    called: list[str] = []
    real = load.parse_toml
    monkeypatch.setattr(load, "parse_toml", lambda lt: called.append(lt.path) or real(lt))
    ledger, problems = _loaded(SHIPPED.read_text(encoding="utf-8"))
    assert ledger is not None and not [p for p in problems if not p[2]]
    assert called == []
    _loaded('schema = 1\nx = 1.5\n', "float.toml")
    assert called == ["float.toml"]
