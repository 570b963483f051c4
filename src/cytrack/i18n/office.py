"""Words of the office ledger (contract §6): reply names, the reports across replies, ``reply``."""

from __future__ import annotations

from cytrack.i18n.core import lookup

OFFICE_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "name_proposal": "第{number}号提案《{title}》",
        "name_suggestion": "第{number}号建议《{title}》",
        "short_proposal": "第{number}号提案",
        "short_suggestion": "第{number}号建议",
        "kind_proposal": "提案",
        "kind_suggestion": "建议",
        "weekly_title": "提案建议答复承诺事项落实情况周报",
        "summary_title": "提案建议答复承诺事项汇总（截至{date}）",
        "sheet_title": "提案建议答复承诺事项台账",
        "by_reply": "按答复件",
        "reply_heading": "（{num}）{name}",
        "section_heading": "{num}. {heading}",
        "item": "（{n}）{text}",
        "col_reply": "答复件",
        "col_key": "简称",
        "col_kind": "类别",
        "col_number": "编号",
        "col_title": "案由",
        "col_year": "年度",
        "col_lead_unit": "主办单位",
        "col_total": "事项",
        "col_lights": "预警",
        "light_red": "红",
        "light_yellow": "黄",
        "light_blue": "蓝",
        "no_replies": "台账中还没有答复件；用 cytrack reply add 添加。",
        "reply_added": "已新增答复件 {reply}：{name}（{path}）",
        "include_added": "已在 {path} 中加入 include = [\"{pattern}\"]",
    },
    "en": {
        "name_proposal": "Proposal No. {number} “{title}”",
        "name_suggestion": "Suggestion No. {number} “{title}”",
        "short_proposal": "Proposal {number}",
        "short_suggestion": "Suggestion {number}",
        "kind_proposal": "proposal",
        "kind_suggestion": "suggestion",
        "weekly_title": "Weekly report on the commitments of the replies to proposals and suggestions",
        "summary_title": "Commitments of the replies, as of {date}",
        "sheet_title": "Commitments of the replies",
        "by_reply": "By reply",
        "reply_heading": "Reply {num}: {name}",
        "section_heading": "{num}. {heading}",
        "item": "({n}) {text}",
        "col_reply": "Reply",
        "col_key": "Key",
        "col_kind": "Kind",
        "col_number": "No.",
        "col_title": "Title",
        "col_year": "Year",
        "col_lead_unit": "Lead unit",
        "col_total": "Items",
        "col_lights": "Lights",
        "light_red": "red",
        "light_yellow": "yellow",
        "light_blue": "blue",
        "no_replies": "The ledger holds no reply yet; add one with cytrack reply add.",
        "reply_added": "Added reply {reply}: {name} ({path})",
        "include_added": "Added include = [\"{pattern}\"] to {path}",
    },
}


def office_word(lang: str, key: str, **kwargs: object) -> str:
    """A word of the office ledger in ``lang``."""
    return lookup(OFFICE_WORDS, lang, key, **kwargs)


def kind_word(lang: str, kind: str) -> str:
    """``提案`` / ``建议`` (``proposal`` / ``suggestion``): what the titles of one reply call it."""
    return office_word(lang, "kind_suggestion" if kind == "suggestion" else "kind_proposal")


def reply_name(lang: str, kind: str, number: str, title: str, short: bool = False) -> str:
    """``第1181号提案《…》`` / ``第523号建议《…》`` (``short``: without the title)."""
    kind = "suggestion" if kind == "suggestion" else "proposal"
    return office_word(lang, f"{'short' if short else 'name'}_{kind}", number=number, title=title)
