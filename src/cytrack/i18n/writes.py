"""Words of the write commands."""

from __future__ import annotations

from cytrack.i18n.core import lookup

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
    return lookup(WRITE_WORDS, lang, key, **kwargs)
