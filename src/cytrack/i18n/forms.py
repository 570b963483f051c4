"""Words of the 填报表 (`export --form`) and of `import`: the form's own text, messages and errors."""

from __future__ import annotations

from cytrack.i18n.core import lookup

FORM_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        # The form itself.
        "col_reply": "答复",
        "col_id": "编号",
        "col_title": "事项",
        "col_quote": "答复原文",
        "col_role": "分工",
        "col_due": "完成时限",
        "col_current": "当前状态",
        "col_last": "最近进展",
        "col_light": "预警",
        "col_note": "本期进展",
        "col_percent": "进度",
        "col_status": "状态",
        "col_evidence": "佐证材料",
        "col_by": "填报人",
        "col_date": "填报日期",
        "role_lead": "牵头",
        "role_co": "配合",
        "form_title": "第{proposal}号{kind}答复承诺事项进展填报表（{unit}，截至{as_of}）",
        "form_title_office": "提案和建议答复承诺事项进展填报表（{unit}，截至{as_of}）",
        "form_hint": (
            "填表说明：灰色各列来自台账，已锁定，请勿改动。请在黄色各列填写：本期进展（必填，未填的行不导入）；"
            "进度（0至100的整数）；状态（下拉选择，不变可不填）；佐证材料（文号、链接或会议纪要，状态为“已办结”时必填）；"
            "填报人；填报日期（如2026-11-25，不能晚于当天）。填好后请保存为 .xlsx 格式发回，不要改动表头和编号。"
        ),
        "page_footer": "第 &P 页，共 &N 页",
        "prompt_note": "本期做了什么、取得什么成果（必填；不填则本行不导入）。",
        "prompt_percent": "填0至100的整数，如 60；不填表示进度不变。",
        "prompt_status": "从下拉列表选择；不填表示状态不变。选“已办结”须填佐证材料。",
        "prompt_evidence": "文号、链接或会议纪要，如 渝科发〔2026〕8号。状态为“已办结”时必填。",
        "prompt_by": "填报人姓名。",
        "prompt_date": "本期进展的日期，如 2026-11-25；不能晚于今天。",
        "invalid_note": "本期进展不超过2000字。",
        "invalid_percent": "进度须为0至100的整数。",
        "invalid_status": "请从下拉列表中选择状态。",
        "invalid_evidence": "佐证材料不超过500字。",
        "invalid_by": "填报人不超过50字。",
        "invalid_date": "请填写不晚于今天的日期，如 2026-11-25。",
        # export --form
        "form_written": "cytrack: 已导出{unit}填报表到 {path}：{rows}项未办结事项。",
        "no_open": "没有“{owner}”的未办结事项（按 list --owner 的规则匹配牵头或配合单位），未生成填报表。",
        "empty_owner": "--owner 不能为空。",
        "form_output": "--form 需要 --output 文件（一个 --owner 时）或 --output-dir 文件夹（每个单位一个文件）。",
        "form_dir": (
            "给了多个 --owner 或没有给 --owner 时，每个单位写一个文件，请用 --output-dir 文件夹，不用 --output。"
        ),
        "form_xlsx": "填报表是 .xlsx 文件：请把 --output 写成 .xlsx 文件名，不要加 --format {format}。",
        "form_stdout": "填报表是 .xlsx 文件，不能写到标准输出；请给 --output 文件名。",
        "form_only": "{option} 只用于 --form（导出填报表）。",
        "form_dir_file": "{path} 不是文件夹。",
        # import: the file
        "no_file": "{path}：文件不存在。",
        "import_folder": "{path} 是文件夹；请给出填好的填报表文件（.xlsx 或 .csv）。",
        "unreadable": "{path}：无法读取（{reason}）。",
        "unsupported": (
            "{path}：不能导入 {suffix} 文件；请在 Excel、WPS 或 LibreOffice 中“另存为”Excel 工作簿（.xlsx）后再导入。"
        ),
        "not_xlsx": (
            "{path}：不是有效的 .xlsx 文件（可能是改了扩展名的 .xls/.et，或文件已损坏）；"
            "请另存为 Excel 工作簿（.xlsx）后再导入。"
        ),
        "csv_encoding": "{path}：无法按 UTF-8 或 GBK 读取；请另存为“CSV UTF-8”或 .xlsx 后再导入。",
        "no_header": (
            "{path}：找不到填报表的表头（至少要有“编号”和“本期进展”两列）；请导入 cytrack export --form 生成的填报表。"
        ),
        # import: the cells
        "bad_id": "编号“{id}”不在台账中。{hint}",
        "did_you_mean": "是否为 {ids}？",
        "not_in_form": "编号“{id}”不是这张填报表导出的事项（本表只含{unit}的事项）。",
        "no_id": "填了本期进展，但编号为空。",
        "changed": "“{column}”列是只读的，被改动了（台账中为“{expected}”）；请恢复原样或重新导出填报表。",
        "other_reply": "这张填报表来自答复“{form}”，本台账中没有（本台账的答复：{ledger}）。",
        "ambiguous_id": "编号“{id}”在多件答复中都有，请写成带答复的编号：{ids}。",
        "bad_date": "“{text}”不是有效日期；请写成 2026-11-25、2026/11/25 或 2026年11月25日。",
        "future_date": "填报日期 {date} 晚于今天（{today}），不能填写将来的日期。",
        "no_date": "填报日期为空；请填写日期，或导入时加 --date 日期 统一指定。",
        "bad_percent": "进度“{text}”不是0至100的整数。",
        "bad_status": "状态“{text}”无法识别；请从下拉列表选择：{names}。",
        "needs_evidence": "状态为“已办结”，须填写佐证材料（文号、链接或会议纪要）。",
        "control": "含有控制字符（{text}），请删除后重新保存。",
        "one_line": "填报人只能写一行。",
        "skipped_values": "本期进展为空，本行已跳过（其中填写的{columns}未导入）。",
        "status_from_percent": "进度大于0，状态随之记为“推进中”。",
        "percent_from_done": "状态为“已办结”，进度随之记为100%。",
        "full_not_closed": "进度为100%，但状态没有选“已办结”，事项仍未办结；办结请选“已办结”并填写佐证材料。",
        # import: the outcome
        "problems": "cytrack: {path}：发现{n}处问题，台账未改动；请改正后重新导入。",
        "summary": (
            "{path}（{unit}，截至{as_of}）：新增{new}条进展，已在台账中{present}条，本期进展为空跳过{skipped}行。"
        ),
        "summary_plain": "{path}：新增{new}条进展，已在台账中{present}条，本期进展为空跳过{skipped}行。",
        "preview": "以上为预览，台账未改动；核对无误后加 --apply 写入。",
        "applied": "已写入 {ledger}：新增{n}条进展记录（{ids}）。",
        "nothing_new": "没有需要新增的进展，台账未改动。",
        "none_new": "（没有新的进展）",
    },
    "en": {
        "col_reply": "Reply",
        "col_id": "ID",
        "col_title": "Commitment",
        "col_quote": "Quote",
        "col_role": "Role",
        "col_due": "Due",
        "col_current": "Current",
        "col_last": "Last progress",
        "col_light": "Light",
        "col_note": "Progress this period",
        "col_percent": "Percent",
        "col_status": "Status",
        "col_evidence": "Evidence",
        "col_by": "Reported by",
        "col_date": "Date",
        "role_lead": "lead",
        "role_co": "co-owner",
        "form_title": "Reply to {kind} {proposal}: progress return of {unit} (as of {as_of})",
        "form_title_office": "Commitments of replies: progress return of {unit} (as of {as_of})",
        "form_hint": (
            "How to fill in: the grey columns come from the ledger and are locked. In the yellow columns write: the"
            " progress this period (required; rows without it are not imported); the percent (a whole number 0-100);"
            " the status (pick from the list, or leave it empty if unchanged); evidence (document number, link or"
            " minutes; required for done); who reports it; the date (e.g. 2026-11-25, not after today). Save as .xlsx"
            " and send it back; do not change the headers or the ids."
        ),
        "page_footer": "Page &P of &N",
        "prompt_note": "What was done this period (required; a row without it is not imported).",
        "prompt_percent": "A whole number 0-100, e.g. 60; empty keeps the percent.",
        "prompt_status": "Pick from the list; empty keeps the status. Done needs evidence.",
        "prompt_evidence": "Document number, link or minutes reference. Required for done.",
        "prompt_by": "Who reports this progress.",
        "prompt_date": "The date of this progress, e.g. 2026-11-25; not after today.",
        "invalid_note": "At most 2000 characters.",
        "invalid_percent": "The percent is a whole number from 0 to 100.",
        "invalid_status": "Pick a status from the list.",
        "invalid_evidence": "At most 500 characters.",
        "invalid_by": "At most 50 characters.",
        "invalid_date": "A date not after today, e.g. 2026-11-25.",
        "form_written": "cytrack: wrote the form of {unit} to {path}: {rows} open commitments.",
        "no_open": "no open commitment has '{owner}' as lead or co-owner (matched as list --owner does);"
        " no form written.",
        "empty_owner": "--owner must not be empty.",
        "form_output": "--form needs --output FILE (with one --owner) or --output-dir DIR (one file per unit).",
        "form_dir": "with several --owner, or none, each unit gets its own file: give --output-dir DIR, not --output.",
        "form_xlsx": "a form is an .xlsx file: give --output a name ending in .xlsx, without --format {format}.",
        "form_stdout": "a form is an .xlsx file and cannot go to stdout; give --output FILE.",
        "form_only": "{option} goes only with --form (export a form).",
        "form_dir_file": "{path} is not a folder.",
        "no_file": "{path}: no such file.",
        "import_folder": "{path} is a folder; give the filled-in form itself (.xlsx or .csv).",
        "unreadable": "{path}: cannot be read ({reason}).",
        "unsupported": "{path}: cannot import a {suffix} file; open it in Excel, WPS or LibreOffice, save it as an"
        " Excel workbook (.xlsx) and import that.",
        "not_xlsx": "{path}: not a valid .xlsx file (an .xls/.et file renamed, or a damaged one); save it as an Excel"
        " workbook (.xlsx) and import that.",
        "csv_encoding": "{path}: neither UTF-8 nor GBK; save it as 'CSV UTF-8' or as .xlsx and import that.",
        "no_header": "{path}: no form header found (it needs at least the columns ID and Progress this period);"
        " import a form written by cytrack export --form.",
        "bad_id": "no commitment with id '{id}' in the ledger.{hint}",
        "did_you_mean": " Did you mean {ids}?",
        "not_in_form": "'{id}' is not one of the commitments this form was exported with (it holds those of {unit}).",
        "no_id": "the progress is filled in but the id is empty.",
        "changed": "the column '{column}' is read-only and was changed (the ledger has '{expected}'); undo the change"
        " or export the form again.",
        "other_reply": "this form comes from the reply '{form}', which this ledger does not hold (it holds: {ledger}).",
        "ambiguous_id": "'{id}' is an id in several replies; write it with its reply: {ids}.",
        "bad_date": "'{text}' is not a date; write 2026-11-25, 2026/11/25 or 2026年11月25日.",
        "future_date": "the date {date} is after today ({today}); a date in the future is not accepted.",
        "no_date": "the date is empty; fill it in, or give --date DATE to import for every such row.",
        "bad_percent": "the percent '{text}' is not a whole number from 0 to 100.",
        "bad_status": "unknown status '{text}'; pick one of: {names}.",
        "needs_evidence": "the status is done, which needs evidence (document number, link or minutes reference).",
        "control": "holds a control character ({text}); remove it and save again.",
        "one_line": "the reporter must fit on one line.",
        "skipped_values": "no progress this period, so the row was skipped ({columns} not imported).",
        "status_from_percent": "the percent is above 0, so the status is recorded as in progress.",
        "percent_from_done": "the status is done, so the percent is recorded as 100%.",
        "full_not_closed": "the percent is 100 but the status is not done, so the commitment stays open; choose done"
        " (with evidence) to close it.",
        "problems": "cytrack: {path}: {n} problem(s) found; the ledger was not changed. Correct them and import again.",
        "summary": "{path} ({unit}, as of {as_of}): {new} new progress entries, {present} already in the ledger,"
        " {skipped} rows without progress skipped.",
        "summary_plain": "{path}: {new} new progress entries, {present} already in the ledger, {skipped} rows without"
        " progress skipped.",
        "preview": "This is a preview; the ledger was not changed. Add --apply to write these entries.",
        "applied": "Wrote {ledger}: {n} new progress entries ({ids}).",
        "nothing_new": "No new progress to add; the ledger was not changed.",
        "none_new": "(no new progress)",
    },
}


def form_word(lang: str, key: str, **kwargs: object) -> str:
    """A word of the 填报表 or of ``import`` in ``lang``."""
    return lookup(FORM_WORDS, lang, key, **kwargs)
