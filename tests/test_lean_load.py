"""The lean read of a large ledger (issue 16, memory) gives what the ordinary read gives.

``load_ledger`` reads a ledger over ``LET_GO`` characters through ``_load_large``, which lets the
text go before the model is built and builds the model while it drops the TOML tables; the line
index keeps its key lines as shared offsets. Here both paths run on the same texts.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from conftest import SHIPPED

from cytrack.ledger.layout import layout_of
from cytrack.ledger.load import _load_large, build_ledger, decode_ledger, load_ledger, load_text, parse_toml
from cytrack.ledger.scan import index_lines

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from gen import ledger_text, make_items  # noqa: E402


def _texts() -> list[tuple[str, str]]:
    generated = ledger_text(make_items(60, date(2026, 12, 2)))
    return [("shipped.toml", SHIPPED.read_text(encoding="utf-8")), ("gen.toml", generated)]


def test_large_path_builds_the_same_ledger_warnings_and_layout():
    for name, text in _texts():
        plain = load_text(decode_ledger(name, text.encode()))
        lt = decode_ledger(name, text.encode())
        layout = layout_of(lt.text, index_lines(lt.text), lt.bom)
        lean, lean_layout = _load_large(lt, True)
        assert lean.ledger == plain.ledger
        assert lean.problems == plain.problems
        assert lean_layout == layout
        assert lean.data is None and lean.index is None
        assert lt.text == ""


def test_large_path_reports_the_same_problems():
    text = _texts()[1][1].replace('percent = ', 'percent = 1', 3).replace('status = "', 'status = "bogus_', 2)
    plain = load_text(decode_ledger("bad.toml", text.encode()))
    lean, layout = _load_large(decode_ledger("bad.toml", text.encode()), True)
    assert plain.errors and lean.ledger is None and layout is None
    assert lean.problems == plain.problems


def test_consuming_build_empties_the_tables_and_builds_the_same():
    _, text = _texts()[1]
    lt = decode_ledger("gen.toml", text.encode())
    data, _ = parse_toml(lt)
    index = index_lines(lt.text)
    expected = build_ledger("gen.toml", data, index)
    assert build_ledger("gen.toml", data, index, consume=True) == expected
    assert data["commitments"] == []


def test_line_index_keys_are_absolute_lines_and_first_one_counts():
    text = (
        '[source]\ntitle = "x"\n\n[[commitments]]\nid = "1-1"\n'
        '\n[[commitments.progress]]\ndate = 2026-01-02\nnote = "a"\n'
        '\n[[commitments.progress]]\ndate = 2026-01-03\nnote = "b"\n'
    )
    index = index_lines(text)
    first, second = index.progress[0]
    assert first.keys == {"date": 8, "note": 9} and second.keys == {"date": 12, "note": 13}
    assert second.key_line("note") == 13 and second.key_line("missing") == 11
    second.add("date", 99)  # the first line of a key counts
    second.add("by", 14)
    assert second.keys == {"date": 12, "note": 13, "by": 14}
    assert first.keys == {"date": 8, "note": 9}  # a shared shape is copied before it changes
    assert index.commitment(0).keys == {"id": 5}


def test_large_ledger_through_load_ledger(tmp_path, monkeypatch):
    """Over the threshold (lowered here) ``load_ledger`` takes the lean path and caches the same."""
    from cytrack.ledger import load as loader

    _, text = _texts()[1]
    path = tmp_path / "commitments.toml"
    path.write_text(text, encoding="utf-8", newline="\n")
    monkeypatch.setenv("CYTRACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CYTRACK_NO_CACHE", raising=False)
    expected = load_text(decode_ledger(str(path), path.read_bytes())).ledger
    monkeypatch.setattr(loader, "LET_GO", 100)
    first = load_ledger(path)
    again = load_ledger(path)  # from the cache entry the lean path stored
    assert first.ledger == expected and again.ledger == expected
