"""The word tables: English counts agree with their nouns, and values are never rewritten."""

from __future__ import annotations

import pytest

from cytrack.i18n import report_word, table_word


@pytest.mark.parametrize(
    ("rows", "entries", "expected"),
    [
        (1, 1, "cytrack: exported to a.csv: 1 commitment, 1 progress entry (csv)."),
        (2, 0, "cytrack: exported to a.csv: 2 commitments, 0 progress entries (csv)."),
        (11, 21, "cytrack: exported to a.csv: 11 commitments, 21 progress entries (csv)."),
    ],
)
def test_english_counts_agree_with_their_nouns(rows, entries, expected):
    assert table_word("en", "exported", path="a.csv", rows=rows, entries=entries, format="csv") == expected


def test_a_value_that_contains_a_count_is_printed_as_it_is():
    said = table_word("en", "exported", path="1 commitments/1 progress entries.csv", rows=1, entries=2, format="csv")
    assert said == "cytrack: exported to 1 commitments/1 progress entries.csv: 1 commitment, 2 progress entries (csv)."


def test_chinese_needs_no_agreement():
    said = table_word("zh", "init_done", path="x.toml", count=1)
    assert said == "已创建台账 x.toml（1 项承诺事项，复制自 cytrack 自带的第1181号提案台账）。"


def test_the_report_totals_say_one_commitment():
    weekly = report_word("en", "totals", total=1, statuses=": 1 not started", overdue=0, closed=0, average="0.0")
    assert weekly == "1 commitment: 1 not started; 0 overdue; 0 closed this week; average progress 0.0%."
    summary = report_word("en", "summary_totals", total=1, statuses="1 done", overdue=0, stale=0, average="100.0")
    assert summary == "1 commitment: 1 done; 0 overdue; 0 stale; average progress 100.0%"
