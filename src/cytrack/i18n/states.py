"""Words of the computed states (contract §7): warning lights, the tracking start, status that
follows progress, contradictions that ``validate`` warns about, and dates refused as typed."""

from __future__ import annotations

from cytrack.i18n.core import lookup

STATE_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        # Warning lights (预警): a table cell, then counts.
        "col_light": "预警",
        "light_red": "红",
        "light_yellow": "黄",
        "light_blue": "蓝",
        "lights": "红灯{red}项、黄灯{yellow}项、蓝灯{blue}项",
        "lights_line": "预警：{lights}",
        "lights_sentence": "预警：{lights}。",
        "why_red": "逾期",
        "why_blocked": "受阻",
        "why_stale": "久未更新",
        "why_due_today": "今日到期",
        "why_due_in": "{n}天后到期",
        "why_joiner": "、",
        "light_with_why": "{light}（{why}）",
        # The tracking start: what cannot be judged, and which key to set.
        "totals_unjudged": "；{n}项无法判断是否久未更新",
        "unjudged": (
            "{n}项承诺事项尚无进展记录，台账 [source] 中也没有 replied（答复日期）或 tracking_since（跟踪起始日期），"
            "无法判断是否久未更新；请在 [source] 中填写其中之一，如 tracking_since = {today}。"
        ),
        "unjudged_office": (
            "{n}项承诺事项尚无进展记录，所在答复件（{files}）的 [source] 中也没有 replied（答复日期）或"
            " tracking_since（跟踪起始日期），无法判断是否久未更新；请在其 [source] 中填写其中之一，如 tracking_since = {today}。"
        ),
        "unjudged_short": "另有{n}项无法判断是否久未更新（请在 [source] 中填写 replied 或 tracking_since）。",
        "stale_item_tracking": "尚无进展记录，自跟踪起始日期{date}起计，{rhythm}。",
        "unjudged_mark": "?",
        # `update`: the status or percent the entry also set.
        "also_started": "（已有进度，状态由未启动改为推进中）",
        "also_completed": "（办结，进度记为100%）",
        "also_full_not_closed": "（进度已达100%，但状态未变；办结请用 --status done 并附 --evidence）",
        # `validate`: hand-edited contradictions.
        "done_below_100": "{id}：状态为已办结，但进度为{percent}%（办结应为100%）",
        "not_started_above_0": "{id}：状态为未启动，但进度为{percent}%（有进度应为推进中）",
        "stored_status_differs": (
            "{id}：status = \"{stored}\"，但最近一条设定状态的进展记录（第{line}行，{date}）设为 \"{entry}\""
        ),
        "stored_percent_differs": (
            "{id}：percent = {stored}，但最近一条设定进度的进展记录（第{line}行，{date}）设为 {entry}"
        ),
        # `init`: the comment beside the tracking start it writes.
        "tracking_comment": "跟踪起始日期（cytrack init 写入）：尚无进展的事项自此日起判断是否久未更新；答复日期 replied 确认后以其为准",
        "init_tracking": (
            "台账没有答复日期（replied），已在 [source] 写入 tracking_since = {date}：尚无进展的事项自此日起判断是否久未更新。"
        ),
        # Dates typed by people.
        "future_entry": (
            "--date {typed} 是 {date}，晚于今天（{today}）：进展只能记录已经发生的事；"
            "如确需记录，请加 --force。台账未改动。"
        ),
        "past_extension": (
            "--to {typed} 是 {date}，{relation}今天（{today}）：延期后的完成时限应在今天之后；"
            "如确需记录，请加 --force。台账未改动。"
        ),
        "relation_before": "早于",
        "relation_same": "就是",
    },
    "en": {
        "col_light": "Light",
        "light_red": "red",
        "light_yellow": "yellow",
        "light_blue": "blue",
        "lights": "{red} red, {yellow} yellow, {blue} blue",
        "lights_line": "Warning lights: {lights}",
        "lights_sentence": "Warning lights: {lights}.",
        "why_red": "overdue",
        "why_blocked": "blocked",
        "why_stale": "stale",
        "why_due_today": "due today",
        "why_due_in": "due in {n} days",
        "why_joiner": ", ",
        "light_with_why": "{light} ({why})",
        "totals_unjudged": "; {n} cannot be judged for staleness",
        "unjudged": (
            "Staleness cannot be judged for {n} commitments with no progress entry: [source] has neither"
            " replied (the reply date) nor tracking_since (when tracking began); set one of them in [source],"
            " e.g. tracking_since = {today}."
        ),
        "unjudged_office": (
            "Staleness cannot be judged for {n} commitments with no progress entry: the [source] of their"
            " replies ({files}) has neither replied (the reply date) nor tracking_since (when tracking began);"
            " set one of them there, e.g. tracking_since = {today}."
        ),
        "unjudged_short": (
            "Also {n} commitments cannot be judged for staleness (set replied or tracking_since in [source])."
        ),
        "stale_item_tracking": "no progress recorded since tracking began on {date}; {rhythm}.",
        "unjudged_mark": "?",
        "also_started": " (progress was made, so the status moved from not started to in progress)",
        "also_completed": " (done, so progress set to 100%)",
        "also_full_not_closed": " (100% does not close it; use --status done with --evidence to close)",
        "done_below_100": "{id}: status is done but percent is {percent} (done means 100)",
        "not_started_above_0": "{id}: status is not_started but percent is {percent} (progress means in_progress)",
        "stored_status_differs": (
            "{id}: status = \"{stored}\", but the latest progress entry that sets it (line {line}, {date})"
            " set \"{entry}\""
        ),
        "stored_percent_differs": (
            "{id}: percent = {stored}, but the latest progress entry that sets it (line {line}, {date}) set {entry}"
        ),
        "tracking_comment": (
            "when tracking began (written by cytrack init): commitments with no progress count toward stale"
            " from here; replied takes over once known"
        ),
        "init_tracking": (
            "The ledger has no reply date (replied), so [source] now has tracking_since = {date}: commitments"
            " with no progress count toward stale from that day."
        ),
        "future_entry": (
            "--date {typed} is {date}, after today ({today}): progress can only be recorded once it has"
            " happened; add --force to record it anyway. The ledger is unchanged."
        ),
        "past_extension": (
            "--to {typed} is {date}, {relation} today ({today}): an extension moves the due date past today;"
            " add --force to record it anyway. The ledger is unchanged."
        ),
        "relation_before": "before",
        "relation_same": "which is",
    },
}


def state_word(lang: str, key: str, **kwargs: object) -> str:
    """A word about lights, the tracking start, status rules or refused dates in ``lang``."""
    return lookup(STATE_WORDS, lang, key, **kwargs)


def light_name(lang: str, light: str | None) -> str:
    """``红``/``red`` for a light; empty for none."""
    return state_word(lang, f"light_{light}") if light else ""


def lights_text(lang: str, lights: dict[str, int]) -> str:
    """``红灯3项、黄灯5项、蓝灯2项`` / ``3 red, 5 yellow, 2 blue``."""
    return state_word(lang, "lights", red=lights.get("red", 0), yellow=lights.get("yellow", 0),
                      blue=lights.get("blue", 0))
