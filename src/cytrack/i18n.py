"""Every user-facing word in one table, in Chinese (default) and English."""

from __future__ import annotations

from datetime import date

LANGS = ("zh", "en")

STATUS_NAMES = {
    "zh": {
        "not_started": "未启动",
        "in_progress": "推进中",
        "blocked": "受阻",
        "done": "已办结",
        "dropped": "已终止",
    },
    "en": {
        "not_started": "not started",
        "in_progress": "in progress",
        "blocked": "blocked",
        "done": "done",
        "dropped": "dropped",
    },
}

RHYTHM_NAMES = {
    "zh": {
        "weekly": "按周报送",
        "monthly": "按月报送",
        "quarterly": "按季报送",
        "half-yearly": "按半年报送",
        "yearly": "按年报送",
        None: "30天未更新即提醒",
    },
    "en": {
        "weekly": "weekly",
        "monthly": "monthly",
        "quarterly": "quarterly",
        "half-yearly": "half-yearly",
        "yearly": "yearly",
        None: "every 30 days",
    },
}

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "id": "编号",
        "section": "部分",
        "title": "事项",
        "quote": "答复原文",
        "lead": "牵头单位",
        "co_owners": "配合单位",
        "status": "状态",
        "percent": "进度",
        "due": "完成时限",
        "due_basis": "时限依据",
        "review": "报送频次",
        "tags": "标签",
        "last_update": "最近更新",
        "days_overdue": "逾期天数",
        "progress": "进展记录",
        "extensions": "延期记录",
        "date": "日期",
        "note": "进展情况",
        "by": "报送人",
        "evidence": "佐证材料",
        "new_due": "延至",
        "reason": "延期原因",
        "approved_by": "批准人",
        "assumed": "（待确认）",
        "basis_source": "答复明确",
        "basis_assumed": "台账设定，待确认",
        "lead_assumed": "台账设定，待确认",
        "none": "无",
        "overdue_days": "逾期{n}天",
        "due_soon_days": "{n}天后到期",
        "due_today": "今日到期",
        "extended": "已延期",
        "footer": "共{total}项",
        "footer_overdue": "逾期{n}项",
        "footer_stale": "久未更新{n}项",
        "footer_statuses": "（{items}）",
        "footer_status": "{name}{n}",
        "footer_due_soon": "7天内到期{n}项",
        "footer_as_of": "截至{date}",
        "list_sep": "、",
        "no_match": "没有符合条件的承诺事项。",
        "no_progress": "暂无进展记录。",
        "no_extensions": "无延期。",
        "original_due": "原定时限",
        "extended_from": "已延期，原定时限{date}",
        "field": "{label}：{value}",
        "count": "（{n}）",
        "stale": "久未更新",
    },
    "en": {
        "id": "ID",
        "section": "Section",
        "title": "Commitment",
        "quote": "Quote",
        "lead": "Lead",
        "co_owners": "Co-owners",
        "status": "Status",
        "percent": "Done",
        "due": "Due",
        "due_basis": "Due basis",
        "review": "Review",
        "tags": "Tags",
        "last_update": "Updated",
        "days_overdue": "Days overdue",
        "progress": "Progress",
        "extensions": "Extensions",
        "date": "Date",
        "note": "Note",
        "by": "By",
        "evidence": "Evidence",
        "new_due": "New due",
        "reason": "Reason",
        "approved_by": "Approved by",
        "assumed": " (assumed)",
        "basis_source": "from the reply",
        "basis_assumed": "set by the keepers; to be confirmed",
        "lead_assumed": "assumed by the ledger's keepers; to be confirmed",
        "none": "none",
        "overdue_days": "{n}d overdue",
        "due_soon_days": "due in {n}d",
        "due_today": "due today",
        "extended": "extended",
        "footer": "Total {total}",
        "footer_overdue": "{n} overdue",
        "footer_stale": "{n} stale",
        "footer_statuses": " ({items})",
        "footer_status": "{n} {name}",
        "footer_due_soon": "{n} due within 7 days",
        "footer_as_of": "as of {date}",
        "list_sep": ", ",
        "no_match": "No commitment matches.",
        "no_progress": "No progress recorded yet.",
        "no_extensions": "No extensions.",
        "original_due": "original due",
        "extended_from": "extended; originally due {date}",
        "field": "{label}: {value}",
        "count": " ({n})",
        "stale": "stale",
    },
}


def label(lang: str, key: str, **kwargs: object) -> str:
    """The label ``key`` in ``lang``, formatted with ``kwargs``."""
    text = LABELS[lang][key]
    return text.format(**kwargs) if kwargs else text


def status_name(lang: str, status: str) -> str:
    return STATUS_NAMES[lang].get(status, status)


def format_date(lang: str, d: date | None) -> str:
    """``2026年11月23日`` in Chinese, ISO ``2026-11-23`` in English; empty for no date."""
    if d is None:
        return ""
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.isoformat()


# The reports (`overdue`, `stale`, `summary`, `report weekly`): headings, sentences and table columns.
REPORT_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "weekly_title": "第{proposal}号提案答复承诺事项落实情况周报",
        "weekly_title_plain": "提案答复承诺事项落实情况周报",
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
        "summary_title": "第{proposal}号提案答复承诺事项汇总（截至{date}）",
        "summary_title_plain": "提案答复承诺事项汇总（截至{date}）",
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
    },
    "en": {
        "weekly_title": "Weekly report on the commitments in the reply to proposal No. {proposal}",
        "weekly_title_plain": "Weekly report on the commitments in the reply to a proposal",
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
        "summary_title": "Commitments of the reply to proposal No. {proposal}, as of {date}",
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
        "col_since": "Days quiet",
        "no_overdue": "Nothing is overdue as of {date}.",
        "no_stale": "Nothing is stale as of {date}.",
        "no_lead": "(none)",
        "no_update_yet": "none yet",
    },
}

_ZH_DIGITS = "零一二三四五六七八九"


def report_word(lang: str, key: str, **kwargs: object) -> str:
    """A heading, sentence or column name of the reports in ``lang``."""
    text = REPORT_WORDS[lang][key]
    return text.format(**kwargs) if kwargs else text


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


# The 台账 as exported (CSV/XLSX column headers, sheet names) and the notes of `export` and `init`.
TABLE_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "seq": "序号",
        "id": "编号",
        "title": "事项",
        "quote": "原文",
        "lead": "牵头单位",
        "co_owners": "配合单位",
        "status": "状态",
        "percent": "进度",
        "due": "完成时限",
        "latest_note": "最近进展",
        "last_update": "最近更新",
        "days_overdue": "逾期天数",
        "section_title": "所属部分",
        "due_basis": "时限依据",
        "original_due": "原定时限",
        "review": "报送频次",
        "lead_basis": "分工依据",
        "tags": "标签",
        "date": "日期",
        "note": "进展情况",
        "by": "报送人",
        "evidence": "佐证材料",
        "approved_on": "批准日期",
        "new_due": "延至",
        "reason": "延期原因",
        "approved_by": "批准人",
        "item": "项目",
        "value": "内容",
        "sheet_ledger": "台账",
        "sheet_progress": "进展记录",
        "sheet_extensions": "延期记录",
        "sheet_source": "说明",
        "src_proposal": "提案号",
        "src_title": "案由",
        "src_proposer": "提案人",
        "src_lead_unit": "主办单位",
        "src_co_units": "会办单位",
        "src_signed_by": "签发人",
        "src_category": "答复类别",
        "src_feedback": "委员反馈",
        "src_replied": "答复日期",
        "src_as_of": "统计截至",
        "src_count": "承诺事项",
        "category_A": "A类（已解决或采纳）",
        "category_B": "B类（正在解决或列入计划）",
        "category_C": "C类（留作参考）",
        "feedback_pending": "待反馈",
        "feedback_satisfied": "满意",
        "feedback_basically_satisfied": "基本满意",
        "feedback_dissatisfied": "不满意",
        "print_title": "第{proposal}号提案答复承诺事项台账（截至{as_of}）",
        "print_footer": "第 &P 页，共 &N 页",
        "truncated": "……（超出单元格上限，已截断；全文见台账文件）",
        "exported": "cytrack: 已导出到 {path}：{rows} 项承诺事项，{entries} 条进展记录（{format}）。",
        "init_done": "已创建台账 {path}（{count} 项承诺事项，复制自 cytrack 自带的第1181号提案台账）。",
        "init_next": (
            "下一步：\n"
            "  查看全部承诺事项：cytrack list\n"
            "  记录进展：cytrack update 2-1 --note \"进展情况\" --percent 10\n"
            "  台账纳入 git 后，让 git 正确合并它：cytrack git-setup"
        ),
        "init_elsewhere": "注意：从当前文件夹找不到它；请加 --ledger {path}，或设置环境变量 CYTRACK_LEDGER={path}。",
    },
    "en": {
        "seq": "No.",
        "id": "ID",
        "title": "Commitment",
        "quote": "Quote",
        "lead": "Lead",
        "co_owners": "Co-owners",
        "status": "Status",
        "percent": "Progress",
        "due": "Due",
        "latest_note": "Latest progress",
        "last_update": "Updated",
        "days_overdue": "Days overdue",
        "section_title": "Section",
        "due_basis": "Due basis",
        "original_due": "Original due",
        "review": "Review",
        "lead_basis": "Lead basis",
        "tags": "Tags",
        "date": "Date",
        "note": "Note",
        "by": "By",
        "evidence": "Evidence",
        "approved_on": "Approved on",
        "new_due": "New due",
        "reason": "Reason",
        "approved_by": "Approved by",
        "item": "Item",
        "value": "Value",
        "sheet_ledger": "Ledger",
        "sheet_progress": "Progress",
        "sheet_extensions": "Extensions",
        "sheet_source": "About",
        "src_proposal": "Proposal",
        "src_title": "Title",
        "src_proposer": "Proposer",
        "src_lead_unit": "Lead unit",
        "src_co_units": "Co-units",
        "src_signed_by": "Signed by",
        "src_category": "Category",
        "src_feedback": "Proposer's feedback",
        "src_replied": "Replied",
        "src_as_of": "As of",
        "src_count": "Commitments",
        "category_A": "A (solved or adopted)",
        "category_B": "B (being solved or planned)",
        "category_C": "C (kept for reference)",
        "feedback_pending": "pending",
        "feedback_satisfied": "satisfied",
        "feedback_basically_satisfied": "basically satisfied",
        "feedback_dissatisfied": "dissatisfied",
        "print_title": "Commitments of the reply to proposal {proposal} (as of {as_of})",
        "print_footer": "Page &P of &N",
        "truncated": "... (cut at the spreadsheet cell limit; the ledger holds the full text)",
        "exported": "cytrack: exported to {path}: {rows} commitments, {entries} progress entries ({format}).",
        "init_done": "Created the ledger {path} ({count} commitments, a copy of the ledger bundled with cytrack).",
        "init_next": (
            "Next:\n"
            "  see every commitment: cytrack list\n"
            "  record progress: cytrack update 2-1 --note \"what was done\" --percent 10\n"
            "  once the ledger is in git, let git merge it properly: cytrack git-setup"
        ),
        "init_elsewhere": "Note: it is not found from this folder; add --ledger {path}, or set CYTRACK_LEDGER={path}.",
    },
}


def table_word(lang: str, key: str, **kwargs: object) -> str:
    """A 台账 header, sheet name or export/init note in ``lang``."""
    text = TABLE_WORDS[lang][key]
    return text.format(**kwargs) if kwargs else text


# The confirmations of the write commands (`update`, `extend`, `add`).
WRITE_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "updated": "已记录 {id} 进展：{status} {percent}%（{date}）",
        "extended": "已记录 {id} 延期：完成时限延至 {new_due}（原为 {old_due}）",
        "extended_first": "已记录 {id} 延期：完成时限定为 {new_due}",
        "added": "已新增 {id}：{title}（{status} {percent}%）",
        "kept": "注意：{date} 的进展记录更晚，当前{fields}仍按该记录：{status} {percent}%。",
        "kept_status": "状态",
        "kept_percent": "进度",
        "kept_both": "状态和进度",
    },
    "en": {
        "updated": "Recorded progress on {id}: {status} {percent}% ({date})",
        "extended": "Recorded an extension for {id}: now due {new_due} (was {old_due})",
        "extended_first": "Recorded an extension for {id}: now due {new_due}",
        "added": "Added {id}: {title} ({status} {percent}%)",
        "kept": "Note: the entry of {date} is later and keeps the current {fields}: {status} {percent}%.",
        "kept_status": "status",
        "kept_percent": "percent",
        "kept_both": "status and percent",
    },
}


def write_word(lang: str, key: str, **kwargs: object) -> str:
    """A confirmation of ``update``, ``extend`` or ``add`` in ``lang``."""
    text = WRITE_WORDS[lang][key]
    return text.format(**kwargs) if kwargs else text


# What `git-setup` reports.
GIT_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "where": "仓库：{root}；台账：{path}",
        "added": "已在 {what} 中加入：{value}",
        "has": "{what} 已有：{value}",
        "set": "已设置 git 配置 {what} = {value}",
        "is": "git 配置 {what} 已是 {value}",
        "nothing": "合并驱动此前已设置好，本次未作改动。",
        "override": "注意：另有 .gitattributes 规则生效，git 合并 {path} 时用的是 merge={value}，"
        "请检查各 .gitattributes 文件。",
        "hint": "请提交 .gitattributes，让各部门的克隆用同一方式合并台账；"
        "git 配置不随克隆复制，每个克隆各运行一次 cytrack git-setup。",
    },
    "en": {
        "where": "Repository: {root}; ledger: {path}",
        "added": "Added to {what}: {value}",
        "has": "{what} already has: {value}",
        "set": "Set git config {what} = {value}",
        "is": "git config {what} is already {value}",
        "nothing": "The merge driver was already set up; nothing changed.",
        "override": "Warning: another .gitattributes rule wins: git merges {path} with merge={value};"
        " check your .gitattributes files.",
        "hint": "Commit .gitattributes so that every clone merges the ledger this way; git config is not"
        " copied by a clone, so run `cytrack git-setup` once in each clone.",
    },
}


def git_word(lang: str, key: str, **kwargs: object) -> str:
    """A line of what ``git-setup`` did, in ``lang``."""
    text = GIT_WORDS[lang][key]
    return text.format(**kwargs) if kwargs else text
