"""Pure tests of reports.py: the boundaries of every computed state, orderings, totals and the weekly data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cytrack.core.dates import parse_week
from cytrack.core.query import ROW_KEYS
from cytrack.core.reports import (
    average_percent,
    due_soon_report,
    overdue_report,
    stale_report,
    summary_data,
    summary_report,
    weekly_data,
    weekly_report,
)
from cytrack.core.state import state_of
from cytrack.ledger.errors import UsageError
from cytrack.ledger.model import Commitment, Extension, Ledger, ProgressEntry, Source, Status

D = date(2026, 11, 29)  # a Sunday: ISO 2026-W48, Monday 2026-11-23


def make(cid: str = "1-1", **kwargs) -> Commitment:
    fields = {"id": cid, "section": 1, "title": f"事项{cid}", "lead": "市科技局", "status": Status.IN_PROGRESS}
    fields.update(kwargs)
    return Commitment(**fields)


def entry(d: date, note: str = "n", **kwargs) -> ProgressEntry:
    return ProgressEntry(date=d, note=note, **kwargs)


def ledger(*commitments: Commitment, replied: date | None = None, sections: dict[int, str] | None = None) -> Ledger:
    return Ledger("t.toml", Source(proposal="1181", replied=replied), sections or {}, commitments)


def ids(items) -> list[str]:
    return [st.commitment.id for st in items]


# Overdue: a date-only due is the end of that day.


@pytest.mark.parametrize(("as_of", "expected"), [(D - timedelta(days=1), None), (D, None), (D + timedelta(days=1), 1)])
def test_overdue_boundary_day_before_on_and_after_the_due(as_of, expected):
    lg = ledger(make(due=D))
    found = overdue_report(lg, as_of)
    assert [st.days_overdue for st in found] == ([expected] if expected else [])


@pytest.mark.parametrize("status", [Status.DONE, Status.DROPPED])
def test_closed_commitments_are_never_overdue(status):
    lg = ledger(make(due=D - timedelta(days=100), status=status, progress=(entry(D - timedelta(days=200)),)))
    assert overdue_report(lg, D) == []


@pytest.mark.parametrize(
    ("approved", "overdue_days"),
    [(D + timedelta(days=1), 30), (D, None), (D - timedelta(days=1), None)],
)
def test_an_extension_counts_from_the_day_it_is_approved(approved, overdue_days):
    lg = ledger(make(due=D - timedelta(days=30), extensions=(Extension(approved, D + timedelta(days=30)),)))
    assert [st.days_overdue for st in overdue_report(lg, D)] == ([overdue_days] if overdue_days else [])


def test_overdue_is_most_overdue_first_ties_by_natural_id_order():
    lg = ledger(
        make("2-10", due=D - timedelta(days=5)),
        make("2-9", due=D - timedelta(days=5)),
        make("1-1", due=D - timedelta(days=1)),
        make("3-1", due=D - timedelta(days=40)),
    )
    assert ids(overdue_report(lg, D)) == ["3-1", "2-9", "2-10", "1-1"]


def test_overdue_owner_matches_lead_or_co_owner_by_substring_case_insensitively():
    lg = ledger(
        make("1-1", due=D - timedelta(days=3), lead="市科技局"),
        make("1-2", due=D - timedelta(days=2), lead="市教委", co_owners=("市科技局",)),
        make("1-3", due=D - timedelta(days=1), lead="Finance Office"),
    )
    assert ids(overdue_report(lg, D, ["科技"])) == ["1-1", "1-2"]
    assert ids(overdue_report(lg, D, ["finance", "教委"])) == ["1-2", "1-3"]


# Due soon: 1..7 days after D.


@pytest.mark.parametrize(("days_left", "soon"), [(0, False), (1, True), (7, True), (8, False), (-1, False)])
def test_due_soon_covers_the_seven_days_after_d(days_left, soon):
    lg = ledger(make(due=D + timedelta(days=days_left)))
    assert bool(due_soon_report(lg, D)) is soon


def test_due_soon_uses_the_extended_due_and_orders_by_due():
    lg = ledger(
        make("1-1", due=D + timedelta(days=6)),
        make("1-2", due=D - timedelta(days=10), extensions=(Extension(D - timedelta(days=20), D + timedelta(days=2)),)),
        make("1-3", due=D + timedelta(days=3), status=Status.DONE, progress=(entry(D),)),
    )
    assert ids(due_soon_report(lg, D)) == ["1-2", "1-1"]


# Stale: calendar months per rhythm, 7 days for weekly, 30 days without a rhythm, --days overrides.


@pytest.mark.parametrize(
    ("review", "last", "fresh_until"),
    [
        ("weekly", date(2026, 11, 20), date(2026, 11, 27)),
        ("monthly", date(2026, 1, 31), date(2026, 2, 28)),
        ("quarterly", date(2026, 8, 31), date(2026, 11, 30)),
        ("half-yearly", date(2026, 5, 20), date(2026, 11, 20)),
        ("yearly", date(2024, 2, 29), date(2025, 2, 28)),
        (None, date(2026, 10, 29), date(2026, 11, 28)),
    ],
)
def test_stale_boundary_under_each_rhythm(review, last, fresh_until):
    lg = ledger(make(review=review, progress=(entry(last),)))
    for as_of, stale in ((fresh_until - timedelta(days=1), False), (fresh_until, False),
                         (fresh_until + timedelta(days=1), True)):
        assert bool(stale_report(lg, as_of).items) is stale, as_of


@pytest.mark.parametrize(("days", "stale"), [(9, False), (8, True), (0, True)])
def test_stale_days_override_the_rhythm(days, stale):
    lg = ledger(make(review="yearly", progress=(entry(D - timedelta(days=9)),)))
    report = stale_report(lg, D, days)
    assert bool(report.items) is stale
    assert report.days == days


def test_stale_counts_from_replied_when_nothing_is_recorded_and_never_without_it():
    c = make(review="monthly")
    assert stale_report(ledger(c), D).items == ()
    with_reply = stale_report(ledger(c, replied=date(2026, 10, 28)), D)
    assert ids(with_reply.items) == ["1-1"] and with_reply.replied == date(2026, 10, 28)
    assert stale_report(ledger(c, replied=date(2026, 10, 28)), D - timedelta(days=1)).items == ()


def test_an_entry_after_d_neither_refreshes_nor_closes_it():
    c = make(review="weekly", status=Status.DONE,
             progress=(entry(D - timedelta(days=10), percent=30), entry(D + timedelta(days=1), status=Status.DONE)))
    found = stale_report(ledger(c), D).items
    assert ids(found) == ["1-1"]
    assert (found[0].status, found[0].percent, found[0].last_update) == (Status.NOT_STARTED, 30, D - timedelta(days=10))


def test_stale_is_longest_quiet_first():
    lg = ledger(
        make("1-1", review="weekly", progress=(entry(D - timedelta(days=9)),)),
        make("1-2", review="monthly", progress=(entry(date(2026, 6, 1)),)),
        make("1-3", progress=(entry(D - timedelta(days=40)),)),
    )
    assert ids(stale_report(lg, D).items) == ["1-2", "1-3", "1-1"]


# Totals and the summary.


def test_average_percent_skips_dropped_and_rounds_half_up():
    def st(percent, status=Status.IN_PROGRESS):
        return state_of(make(percent=percent, status=status), D)

    assert average_percent([st(40), st(45)]) == 42.5
    assert average_percent([st(42), st(42), st(42), st(43)]) == 42.3  # 42.25: half up, not to even
    assert average_percent([st(10), st(90, Status.DROPPED)]) == 10.0
    assert average_percent([]) == 0.0


def test_summary_groups_by_section_and_lead_with_every_status():
    lg = ledger(
        make("1-1", lead="市科技局", percent=20, due=D - timedelta(days=1)),
        make("1-2", lead="市教委", status=Status.NOT_STARTED),
        make("3-1", section=3, lead="市科技局", status=Status.DONE, percent=100, progress=(entry(D),)),
        sections={1: "甲", 2: "乙"},
    )
    data = summary_data(summary_report(lg, D))
    assert data["total"] == 3 and data["overdue"] == 1 and data["average_percent"] == 40.0
    assert data["by_status"] == {"not_started": 1, "in_progress": 1, "blocked": 0, "done": 1, "dropped": 0}
    sections = [(s["section"], s["heading"], s["total"]) for s in data["sections"]]
    assert sections == [(1, "甲", 2), (2, "乙", 0), (3, "", 1)]
    assert [(o["lead"], o["total"], o["overdue"]) for o in data["owners"]] == [("市科技局", 2, 1), ("市教委", 1, 0)]
    assert list(data["sections"][0]) == ["section", "heading", "total", "by_status", "overdue", "stale",
                                         "average_percent", "lights", "unjudged"]


# The weekly report.


def test_period_runs_from_monday_through_d_and_ignores_later_entries():
    thursday = date(2026, 11, 26)
    c = make(progress=(
        entry(date(2026, 11, 22), "sunday before"),
        entry(date(2026, 11, 23), "monday"),
        entry(thursday, "thursday"),
        entry(date(2026, 11, 27), "friday"),
    ))
    w = weekly_report(ledger(c), thursday)
    assert (w.start, w.end) == (date(2026, 11, 23), thursday)
    assert [p.entry.note for p in w.progress] == ["monday", "thursday"]
    assert w.due_window == (date(2026, 11, 27), date(2026, 12, 3))


def test_closed_in_period_counts_transitions_to_closed_inside_the_period():
    lg = ledger(
        make("1-1", status=Status.DONE, progress=(entry(date(2026, 11, 23), status=Status.DONE),)),  # Monday
        make("1-2", status=Status.DROPPED, progress=(entry(D, status=Status.DROPPED),)),  # Sunday = D
        make("1-3", status=Status.DONE, progress=(entry(date(2026, 11, 22), status=Status.DONE),)),  # before
        make("1-4", status=Status.DONE, progress=(
            entry(date(2026, 11, 1), status=Status.DONE), entry(date(2026, 11, 24), "reaffirmed", status=Status.DONE),
        )),
        make("1-5", status=Status.DONE, progress=(entry(D + timedelta(days=1), status=Status.DONE),)),  # after D
    )
    assert weekly_report(lg, D).closed_in_period == 2


def test_progress_records_the_state_before_and_after_each_entry():
    c = make(progress=(
        entry(date(2026, 11, 2), status=Status.IN_PROGRESS, percent=40),
        entry(date(2026, 11, 24), percent=50),
        entry(date(2026, 11, 25), status=Status.BLOCKED),
        entry(date(2026, 11, 26), "note only"),
    ))
    changes = [(p.before, p.after) for p in weekly_report(ledger(c), D).progress]
    assert changes == [
        ((Status.IN_PROGRESS, 40), (Status.IN_PROGRESS, 50)),
        ((Status.IN_PROGRESS, 50), (Status.BLOCKED, 50)),
        ((Status.BLOCKED, 50), (Status.BLOCKED, 50)),
    ]


def test_progress_is_grouped_by_every_section_in_order_only_when_the_ledger_has_sections():
    lg_args = (make("2-1", section=2, progress=(entry(D),)), make("1-1", progress=(entry(D - timedelta(days=1)),)))
    grouped = weekly_report(ledger(*lg_args, sections={1: "甲", 3: "丙"}), D)
    assert [(s.number, s.heading, len(s.items)) for s in grouped.sections] == [(1, "甲", 1), (2, "", 1), (3, "丙", 0)]
    assert [p.commitment.id for p in grouped.progress] == ["1-1", "2-1"]
    assert weekly_report(ledger(*lg_args), D).sections == ()


def test_weekly_json_has_exactly_the_contract_keys():
    c = make(due=D - timedelta(days=2), progress=(entry(D, "n", percent=10, by="甲", evidence="乙"),))
    data = weekly_data(weekly_report(ledger(c), D))
    assert list(data) == ["period", "summary", "progress", "overdue", "due_next_week", "stale"]
    assert data["period"] == {"start": "2026-11-23", "end": "2026-11-29"}
    assert data["summary"] == {
        "total": 1,
        "by_status": {"not_started": 0, "in_progress": 1, "blocked": 0, "done": 0, "dropped": 0},
        "overdue": 1,
        "closed_in_period": 0,
        "average_percent": 10.0,
        "lights": {"red": 1, "yellow": 0, "blue": 0},
        "unjudged": 0,
    }
    assert data["progress"] == [{
        "id": "1-1", "reply": "", "title": "事项1-1", "date": "2026-11-29", "status": None, "percent": 10,
        "note": "n", "by": "甲", "evidence": "乙",
    }]
    assert tuple(data["overdue"][0]) == ROW_KEYS and data["overdue"][0]["days_overdue"] == 2


# ISO weeks across a year boundary.


@pytest.mark.parametrize(
    ("week", "monday", "sunday"),
    [
        ("2026-W53", date(2026, 12, 28), date(2027, 1, 3)),
        ("2027-W01", date(2027, 1, 4), date(2027, 1, 10)),
        ("2026-W01", date(2025, 12, 29), date(2026, 1, 4)),
        ("2020-W53", date(2020, 12, 28), date(2021, 1, 3)),
    ],
)
def test_iso_weeks_across_the_year_boundary(week, monday, sunday):
    assert parse_week(week) == (monday, sunday)
    w = weekly_report(ledger(make()), sunday)
    assert (w.start, w.end) == (monday, sunday)


@pytest.mark.parametrize("week", ["2025-W53", "2027-W53", "2026-W00", "2026-W54"])
def test_a_week_the_year_lacks_is_refused(week):
    with pytest.raises(UsageError):
        parse_week(week)


def test_a_week_spanning_new_year_takes_entries_from_both_years():
    log = (entry(date(2026, 12, 27)), entry(date(2026, 12, 31), "old year"), entry(date(2027, 1, 2), "new"))
    c = make(progress=log)
    w = weekly_report(ledger(c), date(2027, 1, 3))
    assert [p.entry.note for p in w.progress] == ["old year", "new"]
