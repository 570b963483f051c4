"""Plain text and Markdown of the weekly report, and the ``text`` format of ``overdue``, ``stale`` and ``summary``.

No colour codes and no box-drawing characters, so the text pastes cleanly into mail and
documents.  Every string from the ledger goes through ``one_line``; Markdown additionally
escapes the punctuation it would otherwise read as formatting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from cytrack.core.dates import DEFAULT_STALE_DAYS
from cytrack.core.reports import Group, ProgressItem, StaleList, Summary, Tally, Weekly
from cytrack.core.state import State
from cytrack.i18n import (
    RHYTHM_NAMES,
    days_text,
    format_date,
    kind_word,
    label,
    lights_text,
    office_word,
    reply_name,
    report_word,
    state_word,
    status_name,
    zh_number,
)
from cytrack.ledger.model import STATUS_VALUES, Commitment, Source
from cytrack.textsafe import one_line


class TableBlock(NamedTuple):
    """A table of the weekly report for the formats that draw tables (Word, the report page)."""

    headers: list[str]
    rows: list[list[str]]
    widths: list[int]  # relative column widths (points in Word's 156 mm text block: 442 in all)
    numeric: list[bool]  # right-aligned columns


# A document is a list of blocks, rendered per format: (kind, text) for "title", "subtitle",
# "part", "section" and "para"; ("items", [text, ...]); ("table", TableBlock) only when asked for.
Block = tuple[str, "str | list[str] | TableBlock"]

TOTALS_ORDER = ("done", "in_progress", "blocked", "not_started", "dropped")  # as the 周报 lists them
CJK_START = 0x2E80  # from here on, a note ends in Chinese (or other CJK) text and takes a full-width stop
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#~|&])")


def _head(c: Commitment, lang: str) -> str:
    return report_word(lang, "item_head", id=one_line(c.id), title=one_line(c.title))


def _lead(c: Commitment, lang: str) -> str:
    return report_word(lang, "lead_suffix", lead=one_line(c.lead)) if c.lead.strip() else ""


def _sentence(text: str, lang: str) -> str:
    """``text`` on one line, ending with a full stop (``。`` after Chinese) unless it already ends a sentence."""
    text = one_line(text).strip()
    if text and text[-1] not in report_word(lang, "sentence_marks"):
        text += report_word(lang, "sentence_end_cjk" if ord(text[-1]) >= CJK_START else "sentence_end")
    return text


def totals_sentence(t: Tally, closed: int, lang: str) -> str:
    """``共27项承诺事项，已办结3项、推进中18项……；平均进度42.5%。`` (statuses with no items left out)."""
    counts = [
        report_word(lang, "status_count", name=status_name(lang, s), n=t.by_status[s])
        for s in TOTALS_ORDER
        if t.by_status.get(s)
    ]
    joined = report_word(lang, "list_joiner").join(counts)
    statuses = report_word(lang, "totals_statuses", items=joined) if counts else ""
    return report_word(
        lang, "totals", total=t.total, statuses=statuses, overdue=t.overdue, closed=closed,
        average=f"{t.average_percent:.1f}",
    )


def lights_sentence(t: Tally, lang: str) -> str:
    """``预警：红灯3项、黄灯5项、蓝灯2项。`` (all three, zeros included): the 周报's 总体情况, second line."""
    return state_word(lang, "lights_sentence", lights=lights_text(lang, t.lights))


def unjudged_note(n: int, as_of: date, lang: str, files: Sequence[str] = ()) -> str:
    """How many commitments cannot be judged stale or not, and which key of [source] to set
    (with several replies: in which files)."""
    if files:
        joined = state_word(lang, "why_joiner").join(one_line(f) for f in files)
        return state_word(lang, "unjudged_office", n=n, files=joined, today=as_of.isoformat())
    return state_word(lang, "unjudged", n=n, today=as_of.isoformat())


def changes(p: ProgressItem, lang: str) -> list[str]:
    """What the entry changed relative to the state before it: status, then percent."""
    (before_status, before_pct), (after_status, after_pct) = p.before, p.after
    found = []
    if after_status is not before_status:
        found.append(report_word(
            lang, "change_status",
            before=status_name(lang, before_status.value), after=status_name(lang, after_status.value),
        ))
    if after_pct != before_pct:
        key = "change_up" if after_pct > before_pct else "change_down"
        found.append(report_word(lang, key, before=before_pct, after=after_pct))
    return found


def progress_line(p: ProgressItem, lang: str) -> str:
    """``【2-3】title：进度由40%升至50%。note（by，2026年11月24日）``."""
    e = p.entry
    sentences = []
    changed = changes(p, lang)
    if changed:
        sentences.append(report_word(lang, "change_joiner").join(changed) + report_word(lang, "sentence_end"))
    if one_line(e.note).strip():
        sentences.append(_sentence(e.note, lang))
    parts = [one_line(e.by).strip()] if e.by and one_line(e.by).strip() else []
    parts.append(format_date(lang, e.date))
    inner = report_word(lang, "byline_joiner").join(parts)
    if e.evidence and one_line(e.evidence).strip():
        inner += report_word(lang, "byline_evidence", evidence=one_line(e.evidence).strip())
    glue = "" if lang == "zh" else " "
    return _head(p.commitment, lang) + glue.join(sentences) + report_word(lang, "byline", parts=inner)


def _due_word(st: State, lang: str) -> str:
    return report_word(lang, "due_word_extended" if st.extension is not None else "due_word")


def overdue_line(st: State, lang: str) -> str:
    """``【3-2】title：逾期329天（完成时限2025年12月31日，市科技局）。``."""
    c = st.commitment
    return _head(c, lang) + report_word(
        lang, "overdue_item", n=days_text(lang, st.days_overdue or 0), due_word=_due_word(st, lang),
        due=format_date(lang, st.due), lead=_lead(c, lang),
    )


def due_soon_line(st: State, lang: str) -> str:
    """``【2-1】title：4天后到期（完成时限2026年12月3日，市经济信息委）。``."""
    c = st.commitment
    return _head(c, lang) + report_word(
        lang, "due_soon_item", n=days_text(lang, st.days_left or 0), due_word=_due_word(st, lang),
        due=format_date(lang, st.due), lead=_lead(c, lang),
    )


def rhythm_name(c: Commitment, lang: str, days: int | None = None) -> str:
    """The rhythm staleness is measured by, as a table cell: ``按月报送``, or the ``--days`` override."""
    if days is not None:
        return report_word(lang, "every_n_days", n=days)
    return RHYTHM_NAMES[lang].get(c.review, one_line(c.review or ""))


def rhythm_phrase(c: Commitment, lang: str, days: int | None = None) -> str:
    """The same rhythm as the end of a sentence: ``按月报送``, ``已超过60天未更新``."""
    if days is not None:
        return report_word(lang, "rhythm_days", n=days)
    if c.review is None:
        return report_word(lang, "rhythm_none", n=DEFAULT_STALE_DAYS)
    return report_word(lang, "rhythm_phrase", rhythm=rhythm_name(c, lang))


def stale_line(st: State, stale: StaleList, lang: str) -> str:
    """``【4-1】title：最近更新2026年9月1日，按月报送。`` (or since the reply when nothing is recorded)."""
    c = st.commitment
    rhythm = rhythm_phrase(c, lang, stale.days)
    if st.last_update is not None:
        tail = report_word(lang, "stale_item", date=format_date(lang, st.last_update), rhythm=rhythm)
    elif stale.since_key(st) == "tracking_since":
        tail = state_word(lang, "stale_item_tracking", date=format_date(lang, stale.since(st)), rhythm=rhythm)
    else:
        tail = report_word(lang, "stale_item_replied", date=format_date(lang, stale.since(st)), rhythm=rhythm)
    return _head(c, lang) + tail


def _range(lang: str, start: date, end: date) -> str:
    return report_word(lang, "range", start=format_date(lang, start), end=format_date(lang, end))


def _part(lang: str, number: int, key: str, suffix: str = "") -> Block:
    heading = report_word(lang, key)
    if suffix:
        heading = report_word(lang, "with_range", text=heading, range=suffix)
    return ("part", report_word(lang, "part", num=zh_number(number), heading=heading))


def _list_or_none(lines: Sequence[str], lang: str, empty_key: str = "none") -> list[Block]:
    return [("items", list(lines))] if lines else [("para", report_word(lang, empty_key))]


def section_heading(number: int, heading: str, lang: str) -> str:
    heading = one_line(heading).strip() or report_word(lang, "section_untitled", n=number)
    num = zh_number(number) if lang == "zh" else str(number)
    return report_word(lang, "section", num=num, heading=heading)


def summary_totals(t: Tally, lang: str) -> str:
    """``共31项：未启动20项、推进中5项……；逾期4项；久未更新6项；平均进度25.3%`` (all five statuses)."""
    counts = report_word(lang, "list_joiner").join(
        report_word(lang, "status_count", name=status_name(lang, s), n=t.by_status[s]) for s in STATUS_VALUES
    )
    text = report_word(
        lang, "summary_totals", total=t.total, statuses=counts, overdue=t.overdue, stale=t.stale,
        average=f"{t.average_percent:.1f}",
    )
    return text + (state_word(lang, "totals_unjudged", n=t.unjudged) if t.unjudged else "")


def summary_lights(t: Tally, lang: str) -> str:
    """``预警：红灯3项、黄灯5项、蓝灯2项``."""
    return state_word(lang, "lights_line", lights=lights_text(lang, t.lights))


def _owner_name(g: Group, lang: str) -> str:
    return one_line(str(g.key)).strip() or report_word(lang, "no_lead")


def source_name(src: Source, lang: str, short: bool = False) -> str:
    """``第1181号提案《…》`` (``short``: ``第1181号提案``), ledger text made visible."""
    return reply_name(lang, src.kind, one_line(src.proposal).strip(), one_line(src.title).strip(), short)


def summary_parts(s: Summary, lang: str) -> tuple[str, list[tuple[str, Tally]], list[tuple[str, Tally]]]:
    """The summary's title, and its rows by section (by reply, with several) and by lead owner as (name, tally)."""
    proposal = one_line(s.proposal).strip()
    day = format_date(lang, s.as_of)
    if s.sources:
        replies = [(source_name(src, lang, short=True), g.tally) for g, src in zip(s.replies, s.sources, strict=True)]
        owners = [(_owner_name(g, lang), g.tally) for g in s.owners]
        return office_word(lang, "summary_title", date=day), replies, owners
    kind = kind_word(lang, s.kind)
    title = (report_word(lang, "summary_title", proposal=proposal, kind=kind, date=day) if proposal
             else report_word(lang, "summary_title_plain", kind=kind, date=day))
    sections = [(section_heading(int(g.key), g.heading, lang), g.tally) for g in s.sections]
    owners = [(_owner_name(g, lang), g.tally) for g in s.owners]
    return title, sections, owners


def summary_blocks(s: Summary, lang: str) -> list[Block]:
    """The summary screen as text, for terminals too narrow for its tables: each row's name,
    then its totals on the next line, indented."""
    title, sections, owners = summary_parts(s, lang)
    if s.sources:  # the full name of each reply, where the table has room only for the short one
        sections = [(source_name(src, lang), t) for src, (_, t) in zip(s.sources, sections, strict=True)]
    blocks: list[Block] = [
        ("title", title), ("para", summary_totals(s.totals, lang)), ("para", summary_lights(s.totals, lang)),
    ]
    if s.totals.unjudged:
        blocks.append(("para", unjudged_note(s.totals.unjudged, s.as_of, lang)))
    for part, rows in ((first_part(s, lang), sections), (report_word(lang, "by_lead"), owners)):
        blocks.append(("part", part))
        for name, tally in rows:
            blocks += [
                ("section", name),
                ("para", "  " + summary_totals(tally, lang)),
                ("para", "  " + summary_lights(tally, lang)),
            ]
    return blocks


def first_part(s: Summary, lang: str) -> str:
    """The heading of the summary's first group: by section, or by reply with several."""
    return office_word(lang, "by_reply") if s.sources else report_word(lang, "by_section")


def office_progress(w: Weekly, lang: str) -> list[Block]:
    """Part 二 of several replies: （一） reply, 1. section (or item), （1） item — no level skipped."""
    blocks: list[Block] = []
    for n, rp in enumerate(w.replies or (), 1):
        num = zh_number(n) if lang == "zh" else str(n)
        blocks.append(("section", office_word(lang, "reply_heading", num=num, name=source_name(rp.source, lang))))
        if not rp.sections:
            blocks.append(("items", [progress_line(p, lang) for p in rp.items]))
            continue
        for k, sp in enumerate(rp.sections, 1):
            heading = one_line(sp.heading).strip() or report_word(lang, "section_untitled", n=sp.number)
            blocks.append(("subsection", office_word(lang, "section_heading", num=k, heading=heading)))
            lines = [office_word(lang, "item", n=i, text=progress_line(p, lang)) for i, p in enumerate(sp.items, 1)]
            blocks.append(("lines", lines))
    return blocks or [("para", report_word(lang, "none"))]


# The 序号 column of the Word tables, in points: two Chinese characters at the table's 12 pt (24 pt),
# the cell margins of Word's "Table Grid" (108 twips = 5.4 pt a side) and the borders, with room to spare.
SEQ_WIDTH = 38


def _state_table(items: Sequence[State], lang: str, overdue: bool) -> TableBlock:
    """序号, 编号, 事项, 牵头单位, 完成时限, then 逾期天数 or 剩余天数."""
    headers = [report_word(lang, "col_seq"), label(lang, "id"), label(lang, "title"), label(lang, "lead"),
               label(lang, "due"), report_word(lang, "col_days_overdue" if overdue else "col_days_left")]
    rows = []
    for i, st in enumerate(items, 1):
        c = st.commitment
        due = format_date(lang, st.due) if st.due else ""
        if st.extension is not None:
            due += report_word(lang, "extended_mark")
        days = st.days_overdue if overdue else st.days_left
        rows.append([str(i), one_line(c.id), one_line(c.title), one_line(c.lead), due, days_text(lang, days or 0)])
    # 编号 holds a whole id on one line: LibreOffice sets a digit at 12 pt about 7.5 pt wide, plus the
    # cell's margins (an office's qualified ids, 1181/3-4, need more than a bare 3-4). The room comes
    # from 事项, which wraps well; 完成时限 and 牵头单位 need all theirs for a date or unit on one line.
    # 序号 holds its two characters on one line (SEQ_WIDTH); 完成时限 gives the room (a date needs ~101 pt).
    id_width = min(90, max([38] + [8 * len(row[1]) + 14 for row in rows]))
    return TableBlock(headers, rows, [SEQ_WIDTH, id_width, 138 - id_width, 84, 160 - SEQ_WIDTH, 60],
                      [True, False, False, False, False, True])


def _states_or_table(items: Sequence[State], lines: list[str], lang: str, tables: bool, overdue: bool) -> list[Block]:
    if tables and items:
        return [("table", _state_table(items, lang, overdue))]
    return _list_or_none(lines, lang)


def weekly_blocks(w: Weekly, lang: str, *, tables: bool = False) -> list[Block]:
    """The five parts of contract §3 in order; an empty part says so in one line.

    ``tables``: overdue and due-soon items as tables (Word, the report page) instead of lines.
    """
    proposal = one_line(w.proposal).strip()
    if w.replies is not None:
        title = office_word(lang, "weekly_title")
    elif proposal:
        title = report_word(lang, "weekly_title", proposal=proposal, kind=kind_word(lang, w.kind))
    else:
        title = report_word(lang, "weekly_title_plain", kind=kind_word(lang, w.kind))
    blocks: list[Block] = [("title", title), ("subtitle", _range(lang, w.start, w.end))]
    blocks += [_part(lang, 1, "part_summary"), ("para", totals_sentence(w.totals, w.closed_in_period, lang))]
    blocks.append(("para", lights_sentence(w.totals, lang)))
    blocks.append(_part(lang, 2, "part_progress"))
    if w.replies is not None:
        blocks += office_progress(w, lang)
    elif w.sections:
        for s in w.sections:
            blocks.append(("section", section_heading(s.number, s.heading, lang)))
            blocks += _list_or_none([progress_line(p, lang) for p in s.items], lang, "section_quiet")
    else:
        blocks += _list_or_none([progress_line(p, lang) for p in w.progress], lang)
    blocks.append(_part(lang, 3, "part_overdue"))
    blocks += _states_or_table(w.overdue, [overdue_line(st, lang) for st in w.overdue], lang, tables, True)
    blocks.append(_part(lang, 4, "part_due_soon", _range(lang, *w.due_window)))
    blocks += _states_or_table(w.due_soon, [due_soon_line(st, lang) for st in w.due_soon], lang, tables, False)
    blocks.append(_part(lang, 5, "part_stale"))
    blocks += _stale_part(w.stale, lang)
    return blocks


def _stale_part(stale: StaleList, lang: str) -> list[Block]:
    """The stale items, then how many cannot be judged; "none" only when every one could be."""
    lines = [stale_line(st, stale, lang) for st in stale.items]
    if not stale.unjudged:
        return _list_or_none(lines, lang)
    note: Block = ("para", unjudged_note(stale.unjudged, stale.as_of, lang, stale.unjudged_files))
    return [("items", lines), note] if lines else [note]


def overdue_blocks(items: Sequence[State], as_of: date, lang: str) -> list[Block]:
    if not items:
        return [("para", report_word(lang, "no_overdue", date=format_date(lang, as_of)))]
    return [("title", report_word(lang, "overdue_title", date=format_date(lang, as_of))),
            ("items", [overdue_line(st, lang) for st in items])]


def stale_blocks(stale: StaleList, lang: str) -> list[Block]:
    note: list[Block] = (
        [("para", unjudged_note(stale.unjudged, stale.as_of, lang, stale.unjudged_files))] if stale.unjudged else []
    )
    if not stale.items:
        return note or [("para", report_word(lang, "no_stale", date=format_date(lang, stale.as_of)))]
    return [("title", report_word(lang, "stale_title", date=format_date(lang, stale.as_of))),
            ("items", [stale_line(st, stale, lang) for st in stale.items]), *note]


def to_text(blocks: Sequence[Block]) -> str:
    """Plain text: a blank line before each part, numbered items, nothing else."""
    lines: list[str] = []
    for kind, content in blocks:
        if kind == "lines":  # numbered already
            lines += list(content)
            continue
        if isinstance(content, list):
            lines += [f"{i}. {item}" for i, item in enumerate(content, 1)]
            continue
        if kind == "part":
            lines.append("")
        lines.append(content)
    return "\n".join(lines) + "\n"


def md_escape(text: str) -> str:
    """Backslash-escape the characters Markdown would take as formatting or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", text)


_MD_PREFIX = {"title": "# ", "part": "## ", "section": "### ", "subsection": "#### ", "para": "", "subtitle": ""}


def to_markdown(blocks: Sequence[Block]) -> str:
    """Markdown: headings for the title, parts and sections; ordered lists for items."""
    out: list[str] = []
    for kind, content in blocks:
        if kind == "lines":  # numbered already: one paragraph each
            out.extend(md_escape(item) for item in content)
        elif isinstance(content, list):
            out.append("\n".join(f"{i}. {md_escape(item)}" for i, item in enumerate(content, 1)))
        else:
            out.append(_MD_PREFIX[kind] + md_escape(content))
    return "\n\n".join(out) + "\n"
