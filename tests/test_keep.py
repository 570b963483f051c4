"""Numbers stay with their nouns at 80 columns (render/keep.py): the summary and ``reply list``
in both languages, exact output, and the wrapping rule itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from office_kit import grow_shipped
from rich.cells import cell_len

from cytrack.render.keep import _lines, units

AS_OF = ("--as-of", "2026-12-02")


def pieces(text: str) -> list[str]:
    return [text[a:b] for a, b in units(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Proposal 1181", ["Proposal 1181"]),
        ("Suggestion 88 and more", ["Suggestion 88 and ", "more"]),  # a number takes the next word too
        ("Section 1: 持续开展", ["Section 1: ", "持", "续", "开", "展"]),
        ("0 dropped; 11 overdue; 0 stale", ["0 dropped; ", "11 overdue; ", "0 stale"]),
        ("reply to proposal No. 1181, as of 2026-12-02", ["reply ", "to ", "proposal ", "No. 1181, ", "as ",
                                                         "of 2026-12-02"]),
        ("e.g. tracking_since = 2026-12-02.", ["e.g. ", "tracking_since = 2026-12-02."]),
        ("已终止0项；逾期11项；久未更新0项；", ["已终止0项；", "逾期11项；", "久未更新0项；"]),
        ("第1181号提案", ["第1181号", "提", "案"]),
        ("（一）持续", ["（一）", "持", "续"]),
    ],
)
def test_units_keep_a_number_with_its_noun(text, expected):
    assert pieces(text) == expected


WORDS = st.sampled_from(["Proposal", "Section", "overdue", "not", "started,", "dropped;", "No.", "项", "逾期",
                         "久未更新", "（一）", "提案", "、", "；"])
NUMBERS = st.integers(0, 99999).map(str)


@given(st.lists(st.one_of(WORDS, NUMBERS), min_size=1, max_size=30), st.lists(st.booleans(), min_size=30,
       max_size=30), st.integers(12, 80))
def test_lines_fit_keep_every_character_and_never_end_on_a_bare_number(tokens, spaces, width):
    text = "".join(t + (" " if s else "") for t, s in zip(tokens, spaces, strict=False)).strip()
    lines = [text[a:b] for a, b in _lines(text, width)]
    assert "".join(lines) == text
    if max(cell_len(u.rstrip()) for u in pieces(text)) <= width:
        assert all(cell_len(line.rstrip()) <= width for line in lines)
        for line, following in zip(lines, lines[1:], strict=False):
            last = line.rstrip().split(" ")[-1]
            # a number ends a line only when the next line starts a new clause, never before its noun
            bare = re.fullmatch(r"\d+", last) and following[:1].isalpha() and line.endswith(" ")
            assert not bare, (line, following)


# --- The screens, exactly, at 80 columns ------------------------------------------------------


@pytest.fixture
def office(cli, today, tmp_path: Path, monkeypatch):
    """The shipped ledger grown with ``cytrack reply add``, as an office does it."""
    today("2026-12-02")
    grow_shipped(cli, tmp_path, monkeypatch)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def screen(cli, *args: str) -> list[str]:
    result = cli(*args, *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout  # piped: no ANSI
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert max(cell_len(line) for line in lines) <= 80
    return lines


def test_reply_list_in_english_at_80_columns(cli, office):
    assert screen(cli, "--lang", "en", "reply", "list") == [
        "                                   not       in",
        "Key  Reply          Year Items started progress blocked done dropped Lights",
        "─" * 75,
        "1181 Proposal 1181  2024    31      31        0       0    0       0 red11",
        "77   Proposal 77    2026     0       0        0       0    0       0 —",
        "s523 Suggestion 523 2026     0       0        0       0    0       0 —",
    ]


def test_reply_list_in_chinese_at_80_columns(cli, office):
    assert screen(cli, "reply", "list") == [
        "简称  答复件        年度  事项  未启动  推进中  受阻  已办结  已终止  预警",
        "─" * 74,
        "1181  第1181号提案  2024    31      31       0     0       0       0  红11",
        "77    第77号提案    2026     0       0       0     0       0       0  —",
        "s523  第523号建议   2026     0       0       0     0       0       0  —",
    ]


BY_REPLY = {
    "en": (
        ["Commitments of the replies, as of 2026-12-02",
         "31 commitments: 31 not started, 0 in progress, 0 blocked, 0 done, 0 dropped;",
         "11 overdue; 0 stale; average progress 0.0%"],
        "By reply",
        ["                         not       in",
         "               Total started progress blocked done dropped Overdue Stale Average",
         "─" * 80,
         "Proposal 1181     31      31        0       0    0       0      11     0 0.0%",
         "Proposal 77        0       0        0       0    0       0       0     0 —",
         "Suggestion 523     0       0        0       0    0       0       0     0 —"],
    ),
    "zh": (
        ["提案建议答复承诺事项汇总（截至2026年12月2日）",
         "共31项：未启动31项、推进中0项、受阻0项、已办结0项、已终止0项；逾期11项；",
         "久未更新0项；平均进度0.0%"],
        "按答复件",
        ["             合计 未启动 推进中 受阻 已办结 已终止 逾期 久未更新 平均进度",
         "─" * 75,
         "第1181号提案   31     31      0    0      0      0   11        0 ░░░   0.0%",
         "第77号提案      0      0      0    0      0      0    0        0 —",
         "第523号建议     0      0      0    0      0      0    0        0 —"],
    ),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_summary_by_reply_at_80_columns(cli, office, lang):
    head, title, table = BY_REPLY[lang]
    lines = screen(cli, "--lang", lang, "summary")
    assert lines[:3] == head
    start = lines.index(title)
    assert lines[start + 1 : start + 1 + len(table)] == table


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_of_one_reply_keeps_section_numbers_and_counts_whole(cli, monkeypatch, lang):
    from conftest import SHIPPED

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    lines = screen(cli, "--ledger", str(SHIPPED), "--lang", lang, "summary")
    if lang == "en":
        assert lines[1:3] == [
            "31 commitments: 31 not started, 0 in progress, 0 blocked, 0 done, 0 dropped;",
            "11 overdue; 0 stale; average progress 0.0%; 31 cannot be judged for staleness",
        ]
        rows = [line for line in lines if line.startswith("Section")]
        assert [row.split()[:3] for row in rows] == [["Section", f"{n}:", str(t)] for n, t in
                                                     zip(range(1, 6), (5, 6, 8, 5, 7), strict=True)]
        assert lines[4:7] == [
            "? Staleness cannot be judged for 31 commitments with no progress entry: [source]",
            "has neither replied (the reply date) nor tracking_since (when tracking began);",
            "set one of them in [source], e.g. tracking_since = 2026-12-02.",
        ]
        start = lines.index("By section")
        assert lines[start + 4 : start + 7] == [
            "Section 1:      5       5        0       0    0       0       2    0? ░░░   0.0%",
            "持续开展体",
            "制机制创新",
        ]
    else:
        assert lines[1:3] == [
            "共31项：未启动31项、推进中0项、受阻0项、已办结0项、已终止0项；逾期11项；",
            "久未更新0项；平均进度0.0%；31项无法判断是否久未更新",
        ]
    for line in lines:  # no line ends on a bare number whose noun went to the next line
        assert not re.search(r"(?:^|\s)\d+$", line) or re.search(r"\d+(\.\d)?%$|\d\??$", line), line


def test_overdue_of_an_office_in_english_at_80_columns_keeps_the_last_column(cli, office):
    """Qualified ids made the table too wide: "Progress" was cut to "Progr" and the percent lost."""
    lines = screen(cli, "--lang", "en", "overdue")
    assert lines[:5] == [
        "                                                     Days",
        "ID        Commitment   Lead          Due          overdue  Status       Progress",
        "─" * 80,
        "1181/3-4  出台双核协   市科技局      2025-06-30  520 days  not started  ░░░   0%",
        "          同科技成果",
    ]
    assert lines[-1] == "11 overdue (as of 2026-12-02)"
    assert len([line for line in lines if line.endswith("  0%")]) == 11
