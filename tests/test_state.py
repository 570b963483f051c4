"""Computed states as of a date D (contract §1): effective due, overdue, due soon, status, stale."""

from __future__ import annotations

from datetime import date

import pytest

from cytrack.core.state import effective_due, state_of
from cytrack.ledger.model import Commitment, Extension, ProgressEntry, Status

DUE = date(2025, 12, 31)


def make(**kwargs) -> Commitment:
    fields = {"id": "2-1", "section": 2, "title": "t", "lead": "市经济信息委", "status": Status.IN_PROGRESS}
    fields.update(kwargs)
    return Commitment(**fields)


def entry(d: date, **kwargs) -> ProgressEntry:
    return ProgressEntry(date=d, note=kwargs.pop("note", "n"), **kwargs)


EXTENDED = make(
    due=DUE,
    extensions=(
        Extension(date(2025, 12, 10), date(2026, 6, 30), "r1"),
        Extension(date(2026, 6, 1), date(2026, 12, 31), "r2"),
    ),
)


@pytest.mark.parametrize(
    ("as_of", "due", "which"),
    [
        (date(2025, 12, 9), DUE, None),
        (date(2025, 12, 10), date(2026, 6, 30), 0),
        (date(2026, 5, 31), date(2026, 6, 30), 0),
        (date(2026, 6, 1), date(2026, 12, 31), 1),
        (date(2030, 1, 1), date(2026, 12, 31), 1),
    ],
)
def test_effective_due_is_the_latest_extension_on_or_before_d(as_of, due, which):
    got_due, ext = effective_due(EXTENDED, as_of)
    assert got_due == due
    assert ext is (None if which is None else EXTENDED.extensions[which])


def test_extension_without_a_due_still_sets_one():
    c = make(extensions=(Extension(date(2026, 1, 1), date(2026, 3, 1)),))
    assert state_of(c, date(2025, 12, 31)).due is None
    assert state_of(c, date(2026, 3, 2)).days_overdue == 1


@pytest.mark.parametrize(
    ("as_of", "days_overdue", "days_left", "due_soon"),
    [
        (date(2025, 12, 23), None, 8, False),
        (date(2025, 12, 24), None, 7, True),
        (date(2025, 12, 30), None, 1, True),
        (date(2025, 12, 31), None, 0, False),  # due today: the end of the day has not passed
        (date(2026, 1, 1), 1, -1, False),
        (date(2026, 12, 31), 365, -365, False),
    ],
)
def test_overdue_and_due_soon_boundaries(as_of, days_overdue, days_left, due_soon):
    st = state_of(make(due=DUE), as_of)
    assert st.days_overdue == days_overdue
    assert st.overdue is (days_overdue is not None)
    assert st.days_left == days_left
    assert st.due_soon is due_soon


@pytest.mark.parametrize("status", [Status.DONE, Status.DROPPED])
def test_closed_commitments_are_never_overdue_due_soon_or_stale(status):
    c = make(status=status, due=DUE, progress=(entry(date(2025, 1, 1), status=status),))
    for as_of in (date(2025, 12, 28), date(2027, 1, 1)):
        st = state_of(c, as_of, replied=date(2024, 7, 15))
        assert (st.overdue, st.due_soon, st.stale) == (False, False, False)


def test_no_due_is_never_overdue():
    st = state_of(make(), date(2099, 1, 1))
    assert (st.due, st.days_overdue, st.days_left, st.due_soon) == (None, None, None, False)


def test_overdue_uses_the_extension_in_force_on_d():
    assert state_of(EXTENDED, date(2026, 1, 5)).days_overdue is None
    assert state_of(EXTENDED, date(2026, 5, 31)).days_overdue is None
    assert state_of(EXTENDED, date(2027, 1, 1)).days_overdue == 1


def test_an_extension_approved_after_d_is_ignored():
    st = state_of(EXTENDED, date(2026, 1, 5))
    assert st.due == date(2026, 6, 30)
    assert state_of(make(due=DUE, extensions=EXTENDED.extensions[1:]), date(2026, 1, 5)).days_overdue == 5


LOG = make(
    status=Status.DONE,
    percent=100,
    progress=(
        entry(date(2026, 1, 10), note="a"),
        entry(date(2026, 2, 10), status=Status.IN_PROGRESS, percent=30),
        entry(date(2026, 3, 10), percent=60),
        entry(date(2026, 4, 10), status=Status.BLOCKED),
        entry(date(2026, 5, 10), status=Status.DONE, percent=100),
    ),
)


@pytest.mark.parametrize(
    ("as_of", "status", "percent", "last", "count"),
    [
        (date(2026, 1, 1), Status.NOT_STARTED, 0, None, 0),  # later entries set both
        (date(2026, 1, 10), Status.NOT_STARTED, 0, date(2026, 1, 10), 1),
        (date(2026, 2, 10), Status.IN_PROGRESS, 30, date(2026, 2, 10), 2),
        (date(2026, 3, 31), Status.IN_PROGRESS, 60, date(2026, 3, 10), 3),
        (date(2026, 4, 10), Status.BLOCKED, 60, date(2026, 4, 10), 4),
        (date(2026, 5, 10), Status.DONE, 100, date(2026, 5, 10), 5),
        (date(2027, 1, 1), Status.DONE, 100, date(2026, 5, 10), 5),
    ],
)
def test_status_and_percent_as_of_d(as_of, status, percent, last, count):
    st = state_of(LOG, as_of)
    assert (st.status, st.percent, st.last_update, len(st.entries)) == (status, percent, last, count)


def test_stored_values_apply_when_no_entry_ever_sets_them():
    c = make(status=Status.BLOCKED, percent=45, progress=(entry(date(2026, 3, 1)),))
    for as_of in (date(2026, 1, 1), date(2026, 3, 1), date(2027, 1, 1)):
        st = state_of(c, as_of)
        assert (st.status, st.percent) == (Status.BLOCKED, 45)


def test_status_and_percent_fall_back_independently():
    c = make(status=Status.BLOCKED, percent=45, progress=(entry(date(2026, 3, 1), percent=50),))
    st = state_of(c, date(2026, 2, 1))
    assert (st.status, st.percent) == (Status.BLOCKED, 0)  # only percent is set later
    c = make(status=Status.BLOCKED, percent=45, progress=(entry(date(2026, 3, 1), status=Status.BLOCKED),))
    st = state_of(c, date(2026, 2, 1))
    assert (st.status, st.percent) == (Status.NOT_STARTED, 45)


def test_a_commitment_done_after_d_is_open_and_overdue_before_it():
    c = make(status=Status.DONE, percent=100, due=DUE, progress=(entry(date(2026, 2, 1), status=Status.DONE),))
    before = state_of(c, date(2026, 1, 31))
    assert (before.status, before.days_overdue) == (Status.NOT_STARTED, 31)
    assert state_of(c, date(2026, 2, 1)).overdue is False


@pytest.mark.parametrize(
    ("review", "last", "fresh_until"),
    [
        ("weekly", date(2026, 3, 1), date(2026, 3, 8)),
        ("monthly", date(2026, 1, 31), date(2026, 2, 28)),
        ("quarterly", date(2026, 11, 30), date(2027, 2, 28)),
        ("half-yearly", date(2026, 8, 31), date(2027, 2, 28)),
        ("yearly", date(2024, 2, 29), date(2025, 2, 28)),
        (None, date(2026, 1, 1), date(2026, 1, 31)),
    ],
)
def test_stale_after_the_rhythm_in_calendar_months(review, last, fresh_until):
    c = make(review=review, progress=(entry(last),))
    on_edge = state_of(c, fresh_until)
    assert on_edge.stale is False
    late = state_of(c, date.fromordinal(fresh_until.toordinal() + 1))
    assert late.stale is True
    assert late.stale_since == fresh_until


def test_stale_counts_from_the_latest_entry_on_or_before_d():
    c = make(review="monthly", progress=(entry(date(2026, 1, 1)), entry(date(2026, 6, 1))))
    assert state_of(c, date(2026, 3, 1)).stale_since == date(2026, 2, 1)
    assert state_of(c, date(2026, 6, 15)).stale is False


def test_without_entries_stale_counts_from_replied_and_never_without_it():
    c = make(review="quarterly")
    assert state_of(c, date(2030, 1, 1)).stale is False
    replied = date(2024, 7, 15)
    assert state_of(c, date(2024, 10, 15), replied=replied).stale is False
    st = state_of(c, date(2024, 10, 16), replied=replied)
    assert (st.stale, st.stale_since) == (True, date(2024, 10, 15))


def test_an_entry_after_d_does_not_refresh_it():
    c = make(review="monthly", progress=(entry(date(2026, 6, 1)),))
    st = state_of(c, date(2026, 5, 1), replied=date(2026, 1, 1))
    assert (st.stale_since, st.last_update) == (date(2026, 2, 1), None)


def test_stale_days_override_the_rhythm():
    c = make(review="yearly", progress=(entry(date(2026, 1, 1)),))
    assert state_of(c, date(2026, 1, 11), stale_days=10).stale is False
    assert state_of(c, date(2026, 1, 12), stale_days=10).stale is True


def test_closed_as_of_d_is_not_stale_but_reopened_before_closure_is():
    c = make(
        status=Status.DONE,
        review="weekly",
        progress=(entry(date(2026, 1, 1), status=Status.IN_PROGRESS), entry(date(2026, 3, 1), status=Status.DONE)),
    )
    assert state_of(c, date(2026, 2, 1)).stale is True
    assert state_of(c, date(2026, 12, 1)).stale is False
