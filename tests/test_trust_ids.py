"""Contract §10, ids are ASCII: ``add --id`` refuses look-alikes with the ASCII form as a hint;
``show``/``update``/``extend`` map them to ASCII.  Each also runs against a broken variant."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reliability_kit import cli_forked, data_of, make_ledger, needs_fork

from cytrack.ledger import model
from cytrack.store import changes


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages are checked word for word in English here (tests/test_language.py checks the Chinese)."""
    monkeypatch.setenv("CYTRACK_LANG", "en")


LOOKALIKES = {
    "full-width digits": "２-３",
    "full-width hyphen": "2\uff0d3",
    "en dash": "2\u20133",
    "em dash": "2\u20143",
    "minus sign": "2\u22123",
    "hyphen": "2\u20103",
    "small hyphen-minus": "2\ufe633",
    "all full-width": "２\uff0d３",
}


@pytest.mark.parametrize("typed", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_a_look_alike_maps_to_the_ascii_id(typed):
    assert model.ascii_id(typed) == "2-3"
    assert model.ascii_id(f"  {typed} ") == "2-3"


@given(st.text(alphabet="0123456789-ABCabc", max_size=12))
def test_an_ascii_id_is_left_as_it_is(text):
    assert model.ascii_id(text) == text.strip()


@needs_fork
@pytest.mark.parametrize("typed", ["２-１", "2\u22121", "2\uff0d1", "2\u20131"])
@pytest.mark.parametrize("broken", [False, True], ids=["ours", "no-mapping"])
def test_show_update_and_extend_find_the_ascii_id(tmp_path, monkeypatch, typed, broken):
    path = make_ledger(tmp_path)
    if broken:
        from cytrack.cache import codec
        from cytrack.store import view

        for module in (model, view, codec):  # ids compared as typed
            monkeypatch.setattr(module, "ascii_id", lambda text: text.strip())
    show = cli_forked(["--ledger", path, "show", typed, "--format", "json"])
    update = cli_forked(["--ledger", path, "update", typed, "--note", "via look-alike", "--date", "2026-11-25"])
    extend = cli_forked(["--ledger", path, "extend", typed, "--to", "2027-03-31", "--reason", "批准",
                         "--date", "2026-11-25"])
    if broken:  # what the property forbids: the id typed with a look-alike is "unknown"
        assert (show.rc, update.rc, extend.rc) == (2, 2, 2)
        return
    assert (show.rc, update.rc, extend.rc) == (0, 0, 0), (show.err, update.err, extend.err)
    assert '"id": "2-1"' in show.out
    c = next(c for c in data_of(path)["commitments"] if c["id"] == "2-1")
    assert [e["note"] for e in c["progress"]] == ["via look-alike"]
    assert str(c["extensions"][0]["new_due"]) == "2027-03-31"


@needs_fork
@pytest.mark.parametrize("typed", LOOKALIKES.values(), ids=LOOKALIKES.keys())
@pytest.mark.parametrize("broken", [False, True], ids=["ours", "accepts-look-alikes"])
def test_add_refuses_a_look_alike_id_with_the_ascii_form(tmp_path, monkeypatch, typed, broken):
    path = make_ledger(tmp_path)
    before = path.read_bytes()
    if broken:
        monkeypatch.setattr(changes, "_ascii_only", lambda cid: cid)
    run = cli_forked(["--ledger", path, "add", "--section", "2", "--id", typed, "--title", "新", "--lead", "L"])
    if broken:  # what the property forbids: an id that looks like 2-3 but is not
        assert run.rc == 0 and typed in [c["id"] for c in data_of(path)["commitments"]]
        return
    assert run.rc == 2
    assert run.err == (
        f"cytrack: --id {typed!r} is not plain ASCII: ids are typed with ASCII digits, letters and '-'."
        " Did you mean '2-3'?\n"
    )
    assert path.read_bytes() == before


def test_add_refuses_a_non_ascii_id_without_an_ascii_form(tmp_path):
    path = make_ledger(tmp_path)
    run = cli_forked(["--ledger", path, "add", "--section", "2", "--id", "二-3", "--title", "新", "--lead", "L"])
    assert run.rc == 2
    assert "Use digits, letters and '-' (e.g. 2-3)." in run.err
