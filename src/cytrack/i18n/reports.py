"""Words of the reports: headings, sentences and table columns."""

from __future__ import annotations

from cytrack.i18n.core import lookup

# The reports (`overdue`, `stale`, `summary`, `report weekly`): headings, sentences and table columns.
REPORT_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "weekly_title": "第{proposal}号{kind}答复承诺事项落实情况周报",
        "weekly_title_plain": "{kind}答复承诺事项落实情况周报",
        "range": "（{start}—{end}）",
        "with_range": "{text}{range}",
        "part": "{num}、{heading}",
        "part_summary": "总体情况",
        "part_progress": "本周进展",
        "part_overdue": "逾期事项",
        "part_due_soon": "近期到期",
        "part_stale": "久未更新",
        "section": "（{num}）{heading}",
        "section_untitled": "第{n}部分",
        "totals": "共{total}项承诺事项{statuses}；逾期{overdue}项；本周办结{closed}项；平均进度{average}%。",
        "totals_statuses": "，{items}",
        "status_count": "{name}{n}项",
        "list_joiner": "、",
        "none": "无。",
        "section_quiet": "本部分本周无新进展。",
        "item_head": "【{id}】{title}：",
        "change_status": "状态由{before}变为{after}",
        "change_up": "进度由{before}%升至{after}%",
        "change_down": "进度由{before}%降至{after}%",
        "change_joiner": "，",
        "sentence_end": "。",
        "sentence_end_cjk": "。",
        "sentence_marks": "。！？；…",
        "byline_joiner": "，",
        "byline": "（{parts}）",
        "byline_evidence": "；佐证材料：{evidence}",
        "overdue_item": "逾期{n}（{due_word}{due}{lead}）。",
        "due_soon_item": "{n}后到期（{due_word}{due}{lead}）。",
        "due_word": "完成时限",
        "due_word_extended": "延期后完成时限",
        "lead_suffix": "，{lead}",
        "stale_item": "最近更新{date}，{rhythm}。",
        "stale_item_replied": "尚无进展记录，自答复日期{date}起计，{rhythm}。",
        "every_n_days": "{n}天未更新即提醒",
        "rhythm_phrase": "{rhythm}",
        "rhythm_days": "已超过{n}天未更新",
        "rhythm_none": "未设报送频次，已超过{n}天未更新",
        "overdue_title": "逾期事项（截至{date}）",
        "stale_title": "久未更新事项（截至{date}）",
        "written": "cytrack: 周报已写入 {path}",
        "summary_title": "第{proposal}号{kind}答复承诺事项汇总（截至{date}）",
        "summary_title_plain": "{kind}答复承诺事项汇总（截至{date}）",
        "summary_totals": "共{total}项：{statuses}；逾期{overdue}项；久未更新{stale}项；平均进度{average}%",
        "by_section": "按部分",
        "by_lead": "按牵头单位",
        "col_total": "合计",
        "col_overdue": "逾期",
        "col_stale": "久未更新",
        "col_average": "平均进度",
        "col_since": "未更新天数",
        "no_overdue": "没有逾期事项（截至{date}）。",
        "no_stale": "没有久未更新的事项（截至{date}）。",
        "no_lead": "（未定）",
        "no_update_yet": "尚无",
        "col_seq": "序号",
        "col_days_overdue": "逾期天数",
        "col_days_left": "剩余天数",
        "extended_mark": "（已延期）",
        "written_docx": "cytrack: 周报（Word）已写入 {path}",
        "written_html": "cytrack: 周报网页已写入 {path}",
        "html_lang": "zh-CN",
        "chart_lights": "各牵头单位预警情况",
        "chart_statuses": "各牵头单位办理状态",
        "chart_closed": "近{n}周每周办结事项",
        "chart_week": "{month}/{day}",
        "chart_closed_label": "{week}当周办结{n}项",
        "chart_bar_label": "{lead}：{parts}",
        "light_none": "无预警",
        "light_red": "红灯",
        "light_yellow": "黄灯",
        "light_blue": "蓝灯",
        "charts": "图表",
        "generated": "由 cytrack 生成，数据截至{date}。",
        "missing_library": "{what}格式需要 Python 包 {package}，它没有安装；请运行 pip install {package}。",
    },
    "en": {
        "weekly_title": "Weekly report on the commitments in the reply to {kind} No. {proposal}",
        "weekly_title_plain": "Weekly report on the commitments in the reply to a {kind}",
        "range": "({start} to {end})",
        "with_range": "{text} {range}",
        "part": "{heading}",
        "part_summary": "Summary",
        "part_progress": "Progress this week",
        "part_overdue": "Overdue",
        "part_due_soon": "Due soon",
        "part_stale": "Stale",
        "section": "Section {num}: {heading}",
        "section_untitled": "Section {n}",
        "totals": (
            "{total} commitments{statuses}; {overdue} overdue; {closed} closed this week; average progress {average}%."
        ),
        "totals_statuses": ": {items}",
        "status_count": "{n} {name}",
        "list_joiner": ", ",
        "none": "None.",
        "section_quiet": "No progress in this section this week.",
        "item_head": "[{id}] {title}: ",
        "change_status": "status changed from {before} to {after}",
        "change_up": "progress rose from {before}% to {after}%",
        "change_down": "progress fell from {before}% to {after}%",
        "change_joiner": ", ",
        "sentence_end": ".",
        "sentence_end_cjk": "。",
        "sentence_marks": ".!?;…。！？",
        "byline_joiner": ", ",
        "byline": " ({parts})",
        "byline_evidence": "; evidence: {evidence}",
        "overdue_item": "{n} overdue ({due_word} {due}{lead}).",
        "due_soon_item": "due in {n} ({due_word} {due}{lead}).",
        "due_word": "due",
        "due_word_extended": "extended to",
        "lead_suffix": ", {lead}",
        "stale_item": "last update {date}; {rhythm}.",
        "stale_item_replied": "no progress recorded since the reply of {date}; {rhythm}.",
        "every_n_days": "every {n} days",
        "rhythm_phrase": "reported {rhythm}",
        "rhythm_days": "no update for over {n} days",
        "rhythm_none": "no review rhythm set; no update for over {n} days",
        "overdue_title": "Overdue as of {date}",
        "stale_title": "Stale as of {date}",
        "written": "cytrack: weekly report written to {path}",
        "summary_title": "Commitments of the reply to {kind} No. {proposal}, as of {date}",
        "summary_title_plain": "Commitments of the reply, as of {date}",
        "summary_totals": (
            "{total} commitments: {statuses}; {overdue} overdue; {stale} stale; average progress {average}%"
        ),
        "by_section": "By section",
        "by_lead": "By lead owner",
        "col_total": "Total",
        "col_overdue": "Overdue",
        "col_stale": "Stale",
        "col_average": "Average",
        "col_since": "Quiet",
        "no_overdue": "Nothing is overdue as of {date}.",
        "no_stale": "Nothing is stale as of {date}.",
        "no_lead": "(none)",
        "no_update_yet": "none yet",
        "col_seq": "No.",
        "col_days_overdue": "Overdue",
        "col_days_left": "Due in",
        "extended_mark": " (extended)",
        "written_docx": "cytrack: weekly report (Word) written to {path}",
        "written_html": "cytrack: weekly report page written to {path}",
        "html_lang": "en",
        "chart_lights": "Warning lights by lead unit",
        "chart_statuses": "Status by lead unit",
        "chart_closed": "Closed per week, last {n} weeks",
        "chart_week": "{month}/{day}",
        "chart_closed_label": "week of {week}: {n} closed",
        "chart_bar_label": "{lead}: {parts}",
        "light_none": "no light",
        "light_red": "red",
        "light_yellow": "yellow",
        "light_blue": "blue",
        "charts": "Charts",
        "generated": "Made by cytrack with the data as of {date}.",
        "missing_library": "the {what} format needs the Python package {package}, which is not installed; run pip install {package}.",
    },
}

_ZH_DIGITS = "零一二三四五六七八九"


def report_word(lang: str, key: str, **kwargs: object) -> str:
    """A heading, sentence or column name of the reports in ``lang``."""
    return lookup(REPORT_WORDS, lang, key, **kwargs)


def zh_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一: the numerals of 一、 and （一） headings (1..99; larger stay digits)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _ZH_DIGITS[tens] + "十")
    return head + (_ZH_DIGITS[ones] if ones else "")


def days_text(lang: str, n: int) -> str:
    """``5天`` / ``5 days`` (``1 day``)."""
    if lang == "zh":
        return f"{n}天"
    return f"{n} day" if n == 1 else f"{n} days"
