"""The fast paths of the output give exactly what the slow ones give: long tables and JSON rows."""

from __future__ import annotations

import io
import json
import random
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console
from rich.table import Table

from cytrack.core.query import row, select
from cytrack.ledger.load import load_ledger
from cytrack.render import table as table_module
from cytrack.render.jsonout import to_json
from cytrack.render.table import list_table

AS_OF = date(2026, 11, 25)
WORDS = [
    "电子信息", "new energy vehicles", "氢走廊", "没有空格一直写下去的很长很长很长很长的单位名称", "A",
    "ab cd ef gh ij kl mn op qr", "😀😀", "ＦＵＬＬＷＩＤＴＨ", "x" * 45, "中 文 空 格", "市经济信息委",
]
# Lead units are never folded (a unit's name is not split across lines), so they have real lengths.
LEADS = ["市经济信息委", "市科技局", "A", "市发展改革委", "ＦＵＬＬ", "市教委"]
STATUSES = ["not_started", "in_progress", "blocked", "done", "dropped"]


def ledger_text(n: int, seed: int) -> str:
    """``n`` commitments with titles and owners of every awkward width; some overdue, some extended."""
    rng = random.Random(seed)
    out = ['schema = 1\n\n[source]\nproposal = "1181"\n']
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
        co = [rng.choice(WORDS) for _ in range(rng.randint(0, 3))]
        status = rng.choice(STATUSES)
        due = f"due = 2026-{rng.randint(9, 12):02d}-{rng.randint(1, 28):02d}\n" if rng.random() < 0.8 else ""
        entry = ""
        if status == "done" or rng.random() < 0.5:
            entry = f'\n[[commitments.progress]]\ndate = 2026-0{rng.randint(1, 9)}-01\nnote = "进展"\n'
            entry += f"percent = {rng.randint(0, 100)}\n"
        extension = (
            '\n[[commitments.extensions]]\ndate = 2026-10-01\nnew_due = 2026-11-28\nreason = "延期"\n'
            if rng.random() < 0.1
            else ""
        )
        out.append(
            f"\n[[commitments]]\nid = {json.dumps(f'{rng.randint(1, 5)}-{i + 1}')}\nsection = 1\n"
            f"title = {json.dumps(title, ensure_ascii=False)}\n"
            f"lead = {json.dumps(rng.choice(LEADS), ensure_ascii=False)}\n"
            f"co_owners = {json.dumps(co, ensure_ascii=False)}\nstatus = {json.dumps(status)}\n"
            f"percent = {rng.randint(0, 100)}\n{due}{entry}{extension}"
        )
    return "".join(out)


def render(items, width: int, colour: bool, lang: str) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, force_terminal=colour, color_system="standard" if colour else None,
        markup=False, emoji=False, highlight=False, soft_wrap=False,
    )
    console.print(list_table(items, lang, AS_OF, width))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def items(tmp_path_factory):
    path = tmp_path_factory.mktemp("long") / "commitments.toml"
    path.write_text(ledger_text(60, seed=1181), encoding="utf-8")
    return select(load_ledger(path).ledger, AS_OF)


def rich_table() -> Table:
    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)


@pytest.mark.parametrize("width", [200, 150, 140, 120, 100, 90, 80, 76])
@pytest.mark.parametrize("colour", [False, True])
def test_long_table_draws_what_rich_draws(items, width, colour, monkeypatch):
    fast = render(items, width, colour, "zh")
    monkeypatch.setattr(table_module, "LongTable", rich_table)
    rich = render(items, width, colour, "zh")
    assert "─" in fast
    assert fast == rich


def test_long_table_draws_what_rich_draws_in_english(items, monkeypatch):
    fast = render(items, 110, True, "en")
    monkeypatch.setattr(table_module, "LongTable", rich_table)
    assert fast == render(items, 110, True, "en")


def test_a_short_list_is_drawn_as_rich_draws_it(items, monkeypatch):
    fast = [render(items[:n], 120, True, "zh") for n in (1, 2, 5)]
    monkeypatch.setattr(table_module, "LongTable", rich_table)
    assert fast == [render(items[:n], 120, True, "zh") for n in (1, 2, 5)]


_UNSAFE = re.compile("[\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
LEAF = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=True)
VALUE = LEAF | st.lists(LEAF, max_size=4) | st.lists(st.text(), max_size=4) | st.dictionaries(st.text(), LEAF)
ROWS = st.lists(st.dictionaries(st.text() | st.integers() | st.booleans(), VALUE, max_size=6), max_size=5)


@settings(max_examples=400, deadline=None)
@given(ROWS | st.lists(LEAF))
def test_json_rows_are_written_as_json_dumps_writes_them(data):
    expected = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, ensure_ascii=False, indent=2))
    assert to_json(data) == expected


def test_list_rows_take_the_fast_path_and_match(items, monkeypatch):
    rows = [row(s) for s in items]
    expected = to_json(rows)
    monkeypatch.setattr("cytrack.render.jsonout._flat_rows", lambda rows: None)
    assert to_json(rows) == expected
