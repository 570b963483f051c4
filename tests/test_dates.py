"""Dates as users type them (contract §3), ISO weeks and review rhythms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cytrack.core.dates import Freshness, add_rhythm, parse_date, parse_week, week_of
from cytrack.ledger.errors import UsageError

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25", date(2026, 11, 25)),
        ("2026/11/25", date(2026, 11, 25)),
        ("2026.11.25", date(2026, 11, 25)),
        ("2026-1-5", date(2026, 1, 5)),
        ("2026年11月25日", date(2026, 11, 25)),
        ("2026年1月5号", date(2026, 1, 5)),
        ("2026 年 1 月 5 日", date(2026, 1, 5)),
        ("２０２６年１１月２５日", date(2026, 11, 25)),
        ("20261125", date(2026, 11, 25)),
        ("  2026-11-25  ", date(2026, 11, 25)),
        ("today", TODAY),
        ("Today", TODAY),
        ("今天", TODAY),
        ("yesterday", date(2026, 11, 24)),
        ("昨天", date(2026, 11, 24)),
        ("tomorrow", date(2026, 11, 26)),
        ("明天", date(2026, 11, 26)),
        ("+7d", date(2026, 12, 2)),
        ("-2w", date(2026, 11, 11)),
        ("+3m", date(2027, 2, 25)),
        ("-1y", date(2025, 11, 25)),
        ("+0d", TODAY),
        ("+1M", date(2026, 12, 25)),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_date(text, TODAY) == expected


def test_month_offsets_are_calendar_months_clamped_to_the_month_end():
    assert parse_date("+1m", date(2026, 1, 31)) == date(2026, 2, 28)
    assert parse_date("-1m", date(2024, 3, 31)) == date(2024, 2, 29)


def test_ambiguous_form_is_refused_showing_both_iso_readings():
    with pytest.raises(UsageError) as info:
        parse_date("03/04/2026", TODAY)
    assert info.value.exit_code == 2
    assert info.value.message == (
        "'03/04/2026' is ambiguous (day and month could be either way round); "
        "write it as 2026-03-04 or 2026-04-03 (YYYY-MM-DD)."
    )


def test_day_first_form_is_refused_showing_only_the_real_date():
    with pytest.raises(UsageError) as info:
        parse_date("25/11/2026", TODAY)
    assert info.value.message == (
        "'25/11/2026' is ambiguous (day and month could be either way round); write it as 2026-11-25 (YYYY-MM-DD)."
    )


def test_same_day_and_month_is_still_refused():
    with pytest.raises(UsageError, match=r"write it as 2026-04-04 \(YYYY-MM-DD\)"):
        parse_date("4/4/2026", TODAY)


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "2026年2月30日", "31/31/2026", "0000-01-01"])
def test_impossible_days_are_refused(text):
    with pytest.raises(UsageError, match=r"is not a valid date: there is no such day; use YYYY-MM-DD"):
        parse_date(text, TODAY)


@pytest.mark.parametrize("text", ["", "soon", "7d", "2026-11", "26-11-25", "next week", "2026-11-25T10:00", "+d"])
def test_unreadable_text_is_refused_with_the_accepted_forms(text):
    with pytest.raises(UsageError) as info:
        parse_date(text, TODAY)
    assert info.value.message == (
        f"cannot read '{text}' as a date; use YYYY-MM-DD (2026-11-25), 2026/11/25, 2026年11月25日, "
        "today, yesterday, tomorrow or an offset such as +7d, -2w, +3m."
    )


@pytest.mark.parametrize("text", ["+999999w", "+9000y", "-999999w", "-300000m"])
def test_offsets_past_the_calendar_are_refused(text):
    with pytest.raises(UsageError, match="reaches past the calendar's range"):
        parse_date(text, TODAY)


@given(st.dates())
def test_iso_round_trip(d):
    assert parse_date(d.isoformat(), TODAY) == d


@given(st.dates(min_value=date(1000, 1, 1)))
def test_slash_and_chinese_forms_round_trip(d):
    assert parse_date(f"{d.year}/{d.month}/{d.day}", TODAY) == d
    assert parse_date(f"{d.year}年{d.month}月{d.day}日", TODAY) == d


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.integers(-5000, 5000))
def test_day_and_week_offsets_add_exactly(today, n):
    sign = "+" if n >= 0 else "-"
    assert parse_date(f"{sign}{abs(n)}d", today) == today + timedelta(days=n)
    assert parse_date(f"{sign}{abs(n)}w", today) == today + timedelta(weeks=n)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 120))
def test_month_offsets_land_in_the_right_month_never_past_the_day(today, n):
    later = parse_date(f"+{n}m", today)
    months = (later.year - today.year) * 12 + later.month - today.month
    assert months == n
    assert later.day <= today.day


def test_parse_week_gives_monday_and_sunday():
    assert parse_week("2026-W47") == (date(2026, 11, 16), date(2026, 11, 22))
    assert parse_week("2026w47") == (date(2026, 11, 16), date(2026, 11, 22))
    assert parse_week(" 2026-W1 ") == (date(2025, 12, 29), date(2026, 1, 4))


def test_parse_week_53_only_in_long_years():
    assert parse_week("2026-W53") == (date(2026, 12, 28), date(2027, 1, 3))
    with pytest.raises(UsageError) as info:
        parse_week("2025-W53")
    assert info.value.message == "'2025-W53' does not exist: ISO year 2025 has weeks W01 to W52."
    with pytest.raises(UsageError, match="ISO year 2026 has weeks W01 to W53"):
        parse_week("2026-W00")


@pytest.mark.parametrize("text", ["2026-47", "W47", "2026-W", "47/2026", ""])
def test_parse_week_refuses_other_forms(text):
    with pytest.raises(UsageError) as info:
        parse_week(text)
    assert info.value.message == f"cannot read '{text}' as an ISO week; write it as YYYY-Www, e.g. 2026-W47."


@given(st.dates(min_value=date(1000, 1, 8), max_value=date(9999, 12, 24)))
def test_week_round_trip(d):
    year, week, _ = d.isocalendar()
    monday, sunday = parse_week(f"{year}-W{week:02d}")
    assert monday <= d <= sunday
    assert (monday, sunday) == week_of(d)
    assert monday.weekday() == 0 and sunday - monday == timedelta(days=6)


@pytest.mark.parametrize(
    ("start", "rhythm", "expected"),
    [
        (date(2026, 1, 1), "weekly", date(2026, 1, 8)),
        (date(2026, 1, 31), "monthly", date(2026, 2, 28)),
        (date(2024, 1, 31), "monthly", date(2024, 2, 29)),
        (date(2026, 11, 30), "quarterly", date(2027, 2, 28)),
        (date(2026, 8, 31), "half-yearly", date(2027, 2, 28)),
        (date(2024, 2, 29), "yearly", date(2025, 2, 28)),
        (date(2026, 1, 1), None, date(2026, 1, 31)),
    ],
)
def test_add_rhythm_uses_calendar_months(start, rhythm, expected):
    assert add_rhythm(start, rhythm) == expected


def test_add_rhythm_days_override_and_calendar_end():
    assert add_rhythm(date(2026, 1, 1), "yearly", 10) == date(2026, 1, 11)
    assert add_rhythm(date(9999, 12, 30), "weekly") == date.max


@given(
    base=st.dates(),
    as_of=st.dates(),
    rhythm=st.sampled_from([None, "weekly", "monthly", "quarterly", "half-yearly", "yearly"]),
    days=st.none() | st.integers(min_value=0, max_value=10**12),
)
def test_the_cutoff_of_a_rhythm_says_what_adding_the_rhythm_says(base, as_of, rhythm, days):
    """One cut-off per rhythm and day replaces a calendar sum per commitment; the sum is the oracle."""
    end = add_rhythm(base, rhythm, days)
    assert Freshness(as_of, days).stale_since(base, rhythm) == (end if as_of > end else None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("+1m", date(2026, 2, 28)), ("-1m", date(2025, 12, 31)), ("+1y", date(2027, 1, 31)), ("+13m", date(2027, 2, 28))],
)
def test_month_offsets_hold_the_day_at_the_months_end(text, expected):
    assert parse_date(text, date(2026, 1, 31)) == expected
