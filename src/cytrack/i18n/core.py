"""Every user-facing word in one table, in Chinese (default) and English."""

from __future__ import annotations

from datetime import date

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

# The language of this run.  The command line sets it (``use``) before it reads or prints
# anything: ``--lang``, else ``$CYTRACK_LANG``, else Chinese.  Code that imports cytrack as a
# library and never calls ``use`` gets English messages.
_CURRENT = ["en"]


def use(lang: str) -> None:
    """Speak ``lang`` from now on (errors, warnings, notices: everything not given a language)."""
    _CURRENT[0] = lang


def current() -> str:
    return _CURRENT[0]


def choose(flag: str | None) -> str:
    """The language of a run: ``--lang`` when valid, else ``$CYTRACK_LANG`` when valid, else zh."""
    import os

    for candidate in (flag, os.environ.get("CYTRACK_LANG", "").strip().lower()):
        if candidate in LANGS:
            return candidate
    return DEFAULT_LANG

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
        "extended_mark": "（已延期）",
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
        "percent": "Progress",
        "due": "Due",
        "due_basis": "Due basis",
        "review": "Review",
        "tags": "Tags",
        "last_update": "Updated",
        "days_overdue": "Days overdue",
        "progress": "Progress log",
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
        "extended_mark": "(extended)",
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
    return lookup(LABELS, lang, key, **kwargs)


def status_name(lang: str, status: str) -> str:
    return STATUS_NAMES[lang].get(status, status)


def format_date(lang: str, d: date | None) -> str:
    """``2026年11月23日`` in Chinese, ISO ``2026-11-23`` in English; empty for no date."""
    if d is None:
        return ""
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.isoformat()


def lookup(table: dict[str, dict[str, str]], lang: str, key: str, /, **kwargs: object) -> str:
    """``table[lang][key]``, formatted with ``kwargs``: every word table is read this way."""
    text = table[lang][key]
    if not kwargs:
        return text
    if lang == "en":
        text = singular_after_one(text, kwargs)
    elif "!r}" in text:
        return _chinese_quotes().format(text, **kwargs)
    return text.format(**kwargs)


_QUOTING: list[object] = []


def _chinese_quotes():  # type: ignore[no-untyped-def]
    """The formatter of Chinese templates: ``{value!r}`` is the value in Chinese quotes, ``“9-9”``.

    ``!r`` in a template marks a value typed by the user or read from a file; English prints
    its ``repr`` (``'9-9'``), Chinese ``textsafe.quoted_zh`` (``“9-9”``), which shows control
    characters, line breaks and bidi controls as ``repr`` would, never passing them through.
    """
    if not _QUOTING:
        import string

        from cytrack.textsafe import quoted_zh

        class Quoting(string.Formatter):
            def convert_field(self, value: object, conversion: str | None) -> object:
                return quoted_zh(value) if conversion == "r" else super().convert_field(value, conversion)

        _QUOTING.append(Quoting())
    return _QUOTING[0]


_ENGLISH_PLURALS = {"commitments": "commitment", "progress entries": "progress entry"}


def singular_after_one(template: str, counts: dict[str, object]) -> str:
    """The English ``template`` with "{n} commitments" made "{n} commitment" where ``n`` is 1.

    The template is changed, not the formatted text, so a title or path that happens to
    contain "1 commitments" is still printed as it is.
    """
    for name, value in counts.items():
        if type(value) is int and value == 1:
            for plural, single in _ENGLISH_PLURALS.items():
                template = template.replace(f"{{{name}}} {plural}", f"{{{name}}} {single}")
    return template
