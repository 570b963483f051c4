"""The help of every command and option, in Chinese and English (``cytrack … --help``).

Keys: ``"cytrack"`` (the application), a command's name (``"report weekly"``), ``"<command>
<dest>"`` for its arguments and options, and the shared ones (``as_of``, ``format``, …),
as ``cytrack.cli.spec`` names them.  A command's text is a one-sentence summary, then
paragraphs; a paragraph that starts with ``\\b`` keeps its lines as written (examples),
and every line stays within 76 display cells (a Chinese character counts two).
"""

from __future__ import annotations

HELP: dict[str, dict[str, str]] = {
    "zh": {
        "cytrack": "第1181号提案答复承诺事项台账：记录、查询、报送承诺事项的落实情况。\n\n"
        "\b\n示例：\n  cytrack list\n  cytrack update 2-3 --percent 50 --note \"方案已印发\"\n"
        "  cytrack report weekly",
        "report": "报送用的报告：周报。\n\n\b\n示例：\n  cytrack report weekly",
        "ledger": "台账文件（默认：$CYTRACK_LEDGER，再找本目录或上级目录的 data/commitments.toml）。",
        "lang": "输出语言：zh 中文（默认），en 英文；也可用 $CYTRACK_LANG 设定。",
        "version": "显示版本号并退出。",
        "install_completion": "为当前的 shell 安装命令补全。",
        "show_completion": "显示当前 shell 的补全脚本，可复制或自行安装。",
        "as_of": "按此日期计算（默认今天）。",
        "format": "输出格式。",
        "status_filter": "只看此状态（可重复）：未启动/推进中/受阻/已办结/已终止，"
        "也可写 not_started/in_progress/blocked/done/dropped。",
        "status_new": "新状态：未启动/推进中/受阻/已办结/已终止（中文名或 not_started、"
        "in_progress、blocked、done、dropped 均可）。",
        "list": "列出承诺事项，可筛选、排序。\n\n\b\n示例：\n  cytrack list --owner 市科技局 --overdue\n"
        "  cytrack list --status 受阻 --status 未启动 --sort due\n  cytrack list --light red --light yellow\n"
        "  cytrack list --search 人才 --format csv > 人才.csv",
        "list owner": "牵头或配合单位含此文字（可重复）。",
        "list section": "只看答复第二部分中的这一项。",
        "list tag": "只看带此标签的事项（可重复）。",
        "list due_before": "完成时限早于此日期。",
        "list due_after": "完成时限晚于此日期。",
        "list overdue": "只看逾期事项。",
        "list stale": "只看久未更新的事项。",
        "list light": "只看此预警灯（可重复）：red 红灯、yellow 黄灯、blue 蓝灯。",
        "list search": "在事项、答复原文和进展情况中查找文字。",
        "list sort": "排序：id、due（时限）、status（状态）、owner（单位）、percent（进度）、updated（更新）。",
        "show": "查看一项承诺的全部内容：原文、单位、时限、延期和进展记录。\n\n\b\n示例：\n  cytrack show 2-3\n"
        "  cytrack show 2-3 --format json --as-of 2026-06-30",
        "show cid": "承诺事项编号，如 2-3。",
        "validate": "检查台账，逐条列出问题（文件:行: 说明）。\n\n\b\n"
        "没有问题退出码为 0，发现问题为 1，无法读取为 3。\n\n\b\n示例：\n  cytrack validate\n"
        "  cytrack --ledger 其他/commitments.toml validate",
        "update": "记录一条进展，并更新当前状态和进度。\n\n\b\n"
        "补记的进展（--date）按日期排入；标为已办结要有 --evidence\n或加 --force。\n\n\b\n示例：\n"
        "  cytrack update 2-3 --percent 50 --note \"加氢站布局方案已印发\"\n"
        "  cytrack update 3-2 --status 已办结 --percent 100 \\\n"
        "    --evidence \"渝科发〔2026〕8号\" --note \"方案已获批复\"\n"
        "  cytrack update 4-1 --status 受阻 --date 2026-11-20 --by 李明 \\\n    --note \"等待批复\"",
        "update cid": "承诺事项编号，如 2-3。",
        "update note": "做了什么（必填）。",
        "update percent": "新的完成进度，0–100。",
        "update when": "进展日期（默认今天）。",
        "update by": "报送人。",
        "update evidence": "佐证材料：文号、网址或会议纪要。",
        "update force": "没有 --evidence 也允许标为已办结。",
        "extend": "记录一次批准的延期；原定时限保留，逾期从新时限算起。\n\n\b\n示例：\n"
        "  cytrack extend 1-2 --to 2026-06-30 --reason \"配套政策调整\" \\\n    --by 市发展改革委\n"
        "  cytrack extend 5-6 --to +3m --reason \"第二批申报延后\"",
        "extend cid": "承诺事项编号，如 1-2。",
        "extend to": "新的完成时限（必填）。",
        "extend reason": "延期原因（必填）。",
        "extend by": "批准人。",
        "extend when": "批准日期（默认今天）。",
        "extend force": "允许新时限在今天或今天之前。",
        "add": "新增一项承诺事项（未启动），排在其所属部分的最后。\n\n\b\n"
        "编号默认取该部分下一个空号（2-6 之后是 2-7），可用 --id 指定。\n\n\b\n示例：\n"
        "  cytrack add --section 2 --title \"汽车软件协同攻关\" \\\n"
        "    --lead 市经济信息委 --co-owner 市科技局 --tag 汽车\n"
        "  cytrack add --section 3 --title \"中试平台\" --lead 市科技局 \\\n"
        "    --due 2026-12-31 --due-basis assumed --review quarterly",
        "add section": "答复第二部分的第几项（必填）。",
        "add title": "简短名称，一行（必填）。",
        "add quote": "答复原文，照录。",
        "add lead": "牵头单位（必填）。",
        "add co_owner": "配合单位（可重复）。",
        "add due": "完成时限。",
        "add due_basis": "时限依据：source（答复明确）或 assumed（台账设定）。",
        "add review": "报送频次：weekly、monthly、quarterly、half-yearly、yearly。",
        "add tag": "标签（可重复）。",
        "add cid": "编号（默认该部分的下一个空号）。",
        "overdue": "截至某日逾期的承诺事项，逾期最久的在前，附牵头单位和天数。\n\n\b\n"
        "按有效时限计算（--as-of 当日及以前批准的最近一次延期）。\n--check 在有逾期时退出码为 1，"
        "供定时任务和 CI 使用。\n\n\b\n示例：\n  cytrack overdue\n  cytrack overdue --owner 市科技局 --format text\n"
        "  cytrack overdue --check --format json > overdue.json",
        "overdue owner": "牵头或配合单位含此文字（可重复）。",
        "overdue check": "有逾期事项时退出码为 1（供定时任务和 CI）。",
        "stale": "在报送频次内没有进展的未办结事项（久未更新）。\n\n\b\n"
        "频次按事项的 review 计（每周 7 天，未设定 30 天），\n从最近一条进展算起，没有进展则从答复日期算起。\n\n"
        "\b\n示例：\n  cytrack stale\n  cytrack stale --days 60 --format text",
        "stale days": "超过这么多天没有进展即算久未更新，不看频次。",
        "summary": "按状态统计各部分、各牵头单位的事项数，附逾期、久未更新和平均进度。\n\n\b\n"
        "--format text 以文字列出同样的数字；终端太窄放不下表格时也这样输出。\n\n\b\n示例：\n"
        "  cytrack summary\n  cytrack summary --as-of 2026-12-31 --format json\n"
        "  cytrack summary --format text > 汇总.txt",
        "report weekly": "周报：从本周一到截至日期。\n\n\b\n"
        "内容：总体情况、本周进展（按部分）、逾期事项、近期到期（之后七天）、\n久未更新。"
        "--week 2026-W47 报送该周（截至周日）；--output 写入文件。\n"
        "--format docx 按 GB/T 9704 公文格式写出 Word 文档；--format html 写出\n"
        "一个自带图表的网页（不联网），适合屏幕、手机和 A4 打印。\n\n\b\n示例：\n"
        "  cytrack report weekly\n  cytrack report weekly --week 2026-W47 --format markdown \\\n    --output 周报.md\n"
        "  cytrack report weekly --format docx --output 周报.docx\n"
        "  cytrack --lang en report weekly --as-of 2026-11-29 --format json",
        "report weekly week": "ISO 周，如 2026-W47（截至该周周日）。",
        "report weekly output": "把周报写入此文件（UTF-8，或 .docx），不输出到屏幕。",
        "export": "把整本台账导出为 Excel/WPS 能打开的台账（CSV、XLSX）或 JSON。\n\n\b\n"
        "CSV 为带 BOM 的 UTF-8，每项承诺一行。XLSX 第一页是台账，第二页是进展记录，\n"
        "其后是延期记录和答复信息。状态、进度、逾期天数按 --as-of 计算（默认今天）。\n\n\b\n"
        "--form 导出填报表：某单位未办结的事项（锁定）和待填写的列；一个 --owner\n"
        "配 --output 文件，或用 --output-dir 文件夹为每个单位各写一份。\n"
        "`cytrack import` 可读回填好的表。\n\n\b\n示例：\n"
        "  cytrack export -o 台账.xlsx\n  cytrack export --format csv --output 台账.csv --as-of 2026-11-30\n"
        "  cytrack export -f json > ledger.json\n  cytrack export --form --owner 市科技局 -o 市科技局填报.xlsx\n"
        "  cytrack export --form --output-dir 填报表/",
        "export fmt": "csv、json 或 xlsx（默认按 --output 的扩展名，否则为 csv）。",
        "export output": "写入此文件（整体替换）；不写或写 - 则输出到屏幕。",
        "init": "写出一份随 cytrack 附带的台账副本供编辑；从不覆盖已有文件。\n\n\b\n示例：\n"
        "  cytrack init                # 在此处建 data/commitments.toml\n"
        "  cytrack init ~/台账         # 建 ~/台账/data/commitments.toml\n"
        "  cytrack init 1181.toml      # 任意文件名；之后用 --ledger 1181.toml",
        "init path": "写到哪里（默认 --ledger，否则为本目录的 data/commitments.toml）；\n"
        "给文件夹则写到其中的 data/commitments.toml。",
        "git-setup": "让 git 按台账结构合并（用 merge-driver），只对当前仓库生效。\n\n\b\n"
        "在 .gitattributes 加入 `<台账> merge=cytrack`（提交一次即可），在本仓库的\n"
        "git 配置中设置 merge.cytrack.driver（每个克隆都要运行），并让台账的锁文件\n"
        "不出现在 `git status` 中。重复运行不会有变化。\n\n\b\n示例：\n  cytrack git-setup",
        "merge-driver": "台账的三方合并；git-setup 注册后由 git 调用。\n\n\b\n"
        "双方的进展和延期记录按日期合并；同一字段双方改成不同的值时，\n"
        "用 <<<<<<< 和 >>>>>>> 标出。退出码 0：已合并；1：有冲突；\n3：未合并（OURS 保持原样）。\n\n"
        "\b\n示例（git 的调用方式）：\n  cytrack merge-driver %O %A %B %P",
        "merge-driver ancestor": "%O：共同祖先版本（git 提供）。",
        "merge-driver ours": "%A：我方版本；合并结果写在这里。",
        "merge-driver theirs": "%B：对方版本。",
        "merge-driver name": "%P：台账在仓库中的路径。",
        "reply_filter": "只看此答复件（按其简称，可重复）。",
        "kind_filter": "只看提案（proposal）或建议（suggestion）。",
        "year_filter": "只看这一年的答复件。",
        "add reply": "所属的答复件（台账中有多个答复件时必填）。",
        "export form": "导出各单位的填报表，而不是台账。",
        "export owner": "与 --form 一起用：单位（牵头或配合，可重复）。",
        "export output_dir": "与 --form 一起用：每个单位一份 <单位>填报.xlsx，写到此文件夹。",
        "import": "读取填好的填报表，列出它要添加的进展记录；加 --apply 才写入。\n\n\b\n"
        "没有“本期进展”的行跳过；台账中已有的记录（编号、日期、说明相同）会被识别，\n"
        "同一文件导入两次不会重复添加。有任何问题都按“工作表!单元格：说明”列出，\n"
        "并且不写入任何内容（退出码 2）。\n\n\b\n示例：\n  cytrack import 市科技局填报.xlsx\n"
        "  cytrack import 市科技局填报.xlsx --apply\n  cytrack import 返回/市教委填报.csv --date 2026-11-27 --apply",
        "import file": "填好的填报表：.xlsx，或列相同的 .csv。",
        "import apply": "把记录写入台账（不加则只显示）。",
        "import when": "“填报日期”为空的行用此日期。",
        "reply": "办公台账中的答复件：新增、列出。\n\n\b\n示例：\n  cytrack reply list\n"
        "  cytrack reply add --number 1203 --title \"关于科技成果转化的提案\"",
        "reply add": "新增一个答复件：在台账旁建立 replies/<简称>.toml 并纳入台账。\n\n\b\n"
        "没有 --replied 时，tracking_since 设为今天。入口文件没有覆盖新文件的 include\n"
        "时，会加入 include = [\"replies/*.toml\"]。\n\n\b\n示例：\n"
        "  cytrack reply add --number 523 --kind suggestion \\\n"
        "    --title \"关于加快人才引进的建议\" --lead-unit 市人力社保局\n"
        "  cytrack reply add --number 1203 --title \"关于科技成果转化的提案\" \\\n"
        "    --replied 2025-07-01 --category B",
        "reply add kind": "proposal（政协提案）或 suggestion（人大建议）。",
        "reply add number": "编号，如 1181（必填）。",
        "reply add title": "案由（必填）。",
        "reply add proposer": "提案人或代表。",
        "reply add lead_unit": "答复的主办单位。",
        "reply add co_unit": "会办单位（可重复）。",
        "reply add replied": "答复日期。",
        "reply add category": "答复类别：A、B 或 C。",
        "reply add session": "届次，如 市六届政协二次会议。",
        "reply add year": "年份（默认取 --replied 的年份）。",
        "reply add key": "在编号中使用的简称（默认为编号；建议为 s 加编号）。",
        "reply list": "列出各答复件，附各状态的事项数和预警灯。\n\n\b\n示例：\n  cytrack reply list\n"
        "  cytrack reply list --kind suggestion --format json",
    },
    "en": {
        "cytrack": "The ledger of the commitments of the reply to proposal 1181: record,\n"
        "query and report how they are carried out.\n\n"
        "\b\nExamples:\n  cytrack list\n  cytrack update 2-3 --percent 50 --note \"plan issued\"\n"
        "  cytrack report weekly",
        "report": "Reports to send upward: the weekly report.\n\n\b\nExample:\n  cytrack report weekly",
        "ledger": "The ledger file (default: $CYTRACK_LEDGER, then data/commitments.toml here or above).",
        "lang": "Language of everything printed: zh (default) or en; also $CYTRACK_LANG.",
        "version": "Print the version and exit.",
        "install_completion": "Install completion for the current shell.",
        "show_completion": "Show completion for the current shell, to copy it or customize the installation.",
        "as_of": "Compute as of this date (default today).",
        "format": "Output format.",
        "status_filter": "Only this status (repeatable): not_started, in_progress, blocked, done, "
        "dropped; the Chinese names 未启动/推进中/受阻/已办结/已终止 are accepted too.",
        "status_new": "New status: not_started, in_progress, blocked, done, dropped "
        "(or the Chinese names 未启动/推进中/受阻/已办结/已终止).",
        "list": "List commitments, filtered and sorted.\n\n\b\nExamples:\n  cytrack list --owner 市科技局 --overdue\n"
        "  cytrack list --status blocked --status not_started --sort due\n"
        "  cytrack list --light red --light yellow\n"
        "  cytrack list --search 人才 --format csv > 人才.csv",
        "list owner": "Lead or co-owner holds this (repeatable).",
        "list section": "Only item N of part 二 of the reply.",
        "list tag": "Only commitments with this tag (repeatable).",
        "list due_before": "Effective due before this date.",
        "list due_after": "Effective due after this date.",
        "list overdue": "Only overdue commitments.",
        "list stale": "Only stale commitments (no progress within their rhythm).",
        "list light": "Only this warning light (预警; repeatable): red, yellow or blue.",
        "list search": "Text in title, quote or progress notes.",
        "list sort": "Sort by id, due, status, owner, percent or updated.",
        "show": "Show one commitment whole: quote, owners, dates, extensions, progress log.\n\n\b\nExamples:\n"
        "  cytrack show 2-3\n  cytrack show 2-3 --format json --as-of 2026-06-30",
        "show cid": "The commitment id, e.g. 2-3.",
        "validate": "Check the ledger and print every problem as FILE:LINE: message.\n\n\b\n"
        "Exit 0 when it is clean, 1 when problems were found, 3 when it cannot be read.\n\n\b\nExamples:\n"
        "  cytrack validate\n  cytrack --ledger other/commitments.toml validate",
        "update": "Record progress on a commitment: one dated entry, and its current status and percent.\n\n\b\n"
        "A back-dated entry (--date) goes in date order; --status done needs\n--evidence or --force.\n\n\b\n"
        "Examples:\n  cytrack update 2-3 --percent 50 --note \"加氢站布局方案已印发\"\n"
        "  cytrack update 3-2 --status done --percent 100 \\\n"
        "    --evidence \"渝科发〔2026〕8号\" --note \"方案已获批复\"\n"
        "  cytrack update 4-1 --status blocked --date 2026-11-20 --by 李明 \\\n    --note \"等待批复\"",
        "update cid": "The commitment id, e.g. 2-3.",
        "update note": "What was done (required).",
        "update percent": "New completion, 0-100.",
        "update when": "Date of the progress (default today).",
        "update by": "Who reported it.",
        "update evidence": "Document number, URL or minutes reference.",
        "update force": "Allow --status done without --evidence.",
        "extend": "Record an approved extension; the original due stays, overdue counts from the new one.\n\n"
        "\b\nExamples:\n  cytrack extend 1-2 --to 2026-06-30 --reason \"配套政策调整\" \\\n    --by 市发展改革委\n"
        "  cytrack extend 5-6 --to +3m --reason \"第二批申报延后\"",
        "extend cid": "The commitment id, e.g. 1-2.",
        "extend to": "The new due date (required).",
        "extend reason": "Why it was extended (required).",
        "extend by": "Who approved it.",
        "extend when": "Date of the approval (default today).",
        "extend force": "Allow a new due date on or before today.",
        "add": "Add a new commitment, not started, after the last one of its section.\n\n\b\n"
        "The id is the next free one in the section (2-7 after 2-6) unless --id\ngives one.\n\n\b\nExamples:\n"
        "  cytrack add --section 2 --title \"汽车软件协同攻关\" \\\n"
        "    --lead 市经济信息委 --co-owner 市科技局 --tag 汽车\n"
        "  cytrack add --section 3 --title \"中试平台\" --lead 市科技局 \\\n"
        "    --due 2026-12-31 --due-basis assumed --review quarterly",
        "add section": "Item of part 二 of the reply (required).",
        "add title": "Short name, one line (required).",
        "add quote": "The words of the reply, verbatim.",
        "add lead": "Lead unit (required).",
        "add co_owner": "Co-owner unit (repeatable).",
        "add due": "Due date.",
        "add due_basis": "source (in the reply) or assumed.",
        "add review": "weekly, monthly, quarterly, half-yearly or yearly.",
        "add tag": "Tag (repeatable).",
        "add cid": "The id (default: the next free one in the section).",
        "overdue": "Overdue commitments as of a date, most overdue first, with lead owner and days.\n\n\b\n"
        "The due date is the effective one: the latest extension approved on or\nbefore --as-of. "
        "--check exits 1 when anything is overdue (after printing\nit), for cron and CI.\n\n\b\nExamples:\n"
        "  cytrack overdue\n  cytrack overdue --owner 市科技局 --format text\n"
        "  cytrack overdue --check --format json > overdue.json",
        "overdue owner": "Lead or co-owner contains this (repeatable).",
        "overdue check": "Exit 1 when anything is overdue (for cron and CI).",
        "stale": "Open commitments with no progress within their review rhythm.\n\n\b\n"
        "The rhythm is the commitment's review in calendar months (weekly: 7 days;\nnone set: 30 days), "
        "counted from its latest progress entry, else from\n[source] replied.\n\n\b\nExamples:\n"
        "  cytrack stale\n  cytrack stale --days 60 --format text",
        "stale days": "Stale after N days without progress, whatever the rhythm.",
        "summary": "Counts by status per section and per lead owner, with overdue, stale and average "
        "progress.\n\n\b\n--format text prints the same counts as plain lines; so does the table\n"
        "format in a terminal too narrow for the tables.\n\n\b\nExamples:\n  cytrack summary\n"
        "  cytrack summary --as-of 2026-12-31 --format json\n  cytrack summary --format text > 汇总.txt",
        "report weekly": "The weekly report from the Monday of the week through the as-of date.\n\n\b\n"
        "Parts: summary, progress this week (by section), overdue, due soon (the\nnext seven days), stale. "
        "--week 2026-W47 reports that ISO week (as of\nits Sunday); --output writes a file. --format docx writes a Word\n"
        "document laid out as GB/T 9704 documents are; --format html one\n"
        "self-contained page with charts (no network request).\n\n\b\nExamples:\n"
        "  cytrack report weekly\n  cytrack report weekly --week 2026-W47 --format markdown \\\n"
        "    --output 周报.md\n  cytrack report weekly --format docx --output 周报.docx\n"
        "  cytrack --lang en report weekly --as-of 2026-11-29 --format json",
        "report weekly week": "The ISO week, e.g. 2026-W47 (as of its Sunday).",
        "report weekly output": "Write the report to FILE (UTF-8, or .docx), not stdout.",
        "export": "Export the whole ledger as a 台账 for Excel/WPS (CSV, XLSX) or as JSON.\n\n\b\n"
        "CSV is UTF-8 with a BOM, one row per commitment. XLSX has the 台账 on the\n"
        "first sheet, the progress log on the second, extensions and the reply's\n"
        "details after. Computed columns (status, progress, days overdue) are as\nof --as-of (default today).\n\n"
        "\b\n--form writes a 填报表: a unit's open commitments, locked, with\n"
        "columns to fill in; one --owner with --output FILE, or one file\n"
        "per unit with --output-dir DIR. `cytrack import` reads it back.\n\n"
        "\b\nExamples:\n  cytrack export -o 台账.xlsx\n"
        "  cytrack export --format csv --output 台账.csv --as-of 2026-11-30\n"
        "  cytrack export -f json > ledger.json\n  cytrack export --form --owner 市科技局 -o 市科技局填报.xlsx\n"
        "  cytrack export --form --output-dir 填报表/",
        "export fmt": "csv, json or xlsx (default: from the --output suffix, else csv).",
        "export output": "Write here (atomically); omit or '-' for stdout.",
        "init": "Write a fresh, editable copy of the ledger bundled with cytrack; never overwrites.\n\n\b\n"
        "Examples:\n  cytrack init                # creates data/commitments.toml here\n"
        "  cytrack init ~/台账         # creates ~/台账/data/commitments.toml\n"
        "  cytrack init 1181.toml      # any file name; then use --ledger 1181.toml",
        "init path": "Where to write it (default: --ledger, else data/commitments.toml here);"
        " a folder gets data/commitments.toml inside.",
        "git-setup": "Make git merge the ledger by its structure (with merge-driver), in this clone.\n\n\b\n"
        "Adds `<ledger> merge=cytrack` to .gitattributes (commit it once), sets\n"
        "merge.cytrack.driver in this clone's git config (run it in every clone),\n"
        "and keeps the ledger's lock file out of `git status`. Running it again\nchanges nothing.\n\n"
        "\b\nExample:\n  cytrack git-setup",
        "merge-driver": "Three-way merge of a ledger; git runs it once git-setup has registered it.\n\n\b\n"
        "Progress entries and extensions of both sides are joined in date order;\n"
        "a field changed to different values on both sides is marked with <<<<<<<\n"
        "and >>>>>>>. Exit 0: merged; 1: conflicts marked; 3: not merged (OURS\nleft as it was).\n\n"
        "\b\nExample (what git runs):\n  cytrack merge-driver %O %A %B %P",
        "merge-driver ancestor": "%O: the common ancestor's version (from git).",
        "merge-driver ours": "%A: our version; the merge result is written here.",
        "merge-driver theirs": "%B: their version.",
        "merge-driver name": "%P: the ledger's path in the repository.",
        "reply_filter": "Only this reply, by its key (repeatable).",
        "kind_filter": "Only proposals (提案) or suggestions (建议).",
        "year_filter": "Only the replies of this year.",
        "add reply": "The reply it belongs to (required with several).",
        "export form": "Write 填报表 (forms for the departments to fill in) instead of the 台账.",
        "export owner": "With --form: the unit, lead or co-owner (repeatable).",
        "export output_dir": "With --form: one <unit>填报.xlsx per unit in DIR.",
        "import": "Read a filled-in 填报表 and show the progress entries it adds; --apply adds them.\n\n\b\n"
        "Rows without 本期进展 are skipped; entries the ledger has already (same\n"
        "id, date and note) are recognised, so importing a file twice adds\n"
        "nothing. Any problem is listed as SHEET!CELL: message, and then\n"
        "nothing is written (exit 2).\n\n\b\nExamples:\n  cytrack import 市科技局填报.xlsx\n"
        "  cytrack import 市科技局填报.xlsx --apply\n  cytrack import 返回/市教委填报.csv --date 2026-11-27 --apply",
        "import file": "A filled-in 填报表: .xlsx, or .csv with the same columns.",
        "import apply": "Add the entries to the ledger (without it: only show them).",
        "import when": "Date for rows whose 填报日期 is empty.",
        "reply": "The replies of an office ledger: add one, list them.\n\n\b\nExamples:\n  cytrack reply list\n"
        "  cytrack reply add --number 1203 --title \"关于科技成果转化的提案\"",
        "reply add": "Add a reply: creates replies/<key>.toml beside the ledger and includes it.\n\n\b\n"
        "Without --replied, tracking_since is set to today. The entry file gains\n"
        "include = [\"replies/*.toml\"] when no pattern of its own covers the new file.\n\n\b\nExamples:\n"
        "  cytrack reply add --number 523 --kind suggestion \\\n"
        "    --title \"关于加快人才引进的建议\" --lead-unit 市人力社保局\n"
        "  cytrack reply add --number 1203 --title \"关于科技成果转化的提案\" \\\n"
        "    --replied 2025-07-01 --category B",
        "reply add kind": "proposal (政协提案) or suggestion (人大建议).",
        "reply add number": "The number, e.g. 1181 (required).",
        "reply add title": "The title, 案由 (required).",
        "reply add proposer": "Who proposed it (提案人/代表).",
        "reply add lead_unit": "The unit that replied (主办单位).",
        "reply add co_unit": "A co-handling unit, 会办单位 (repeatable).",
        "reply add replied": "The date of the reply.",
        "reply add category": "答复类别: A, B or C.",
        "reply add session": "The session, e.g. 市六届政协二次会议.",
        "reply add year": "The year (default: of --replied).",
        "reply add key": "Its short name in ids (default: the number; s+number for a suggestion).",
        "reply list": "List the replies with their counts by status and their warning lights.\n\n\b\nExamples:\n"
        "  cytrack reply list\n  cytrack reply list --kind suggestion --format json",
    },
}


# The placeholders of values in help and usage lines (``--date DATE``, ``update [选项] ID``), by the
# metavar ``cli.spec`` declares; an entry keyed by an option's help key (``"list sort"``) comes first.
# English prints the metavar as declared.
METAVARS: dict[str, dict[str, str]] = {
    "zh": {
        "ID": "编号",
        "FILE": "文件",
        "DATE": "日期",
        "TEXT": "文字",
        "N": "数",
        "PATH": "路径",
        "STATUS": "状态",
        "NAME": "姓名",
        "REF": "佐证",
        "UNIT": "单位",
        "TAG": "标签",
        "KEY": "简称",
        "DIR": "文件夹",
        "BASIS": "依据",
        "RHYTHM": "频次",
        "ANCESTOR": "共同版本",
        "OURS": "本方版本",
        "THEIRS": "对方版本",
        "list sort": "字段",
        "list section": "序号",
        "add section": "序号",
        "stale days": "天数",
        "year_filter": "年份",
        "reply add year": "年份",
        "reply add number": "案号",
    },
}


def metavar_text(lang: str, metavar: str | None, key: str = "") -> str | None:
    """The placeholder ``metavar`` of the option (or argument) with help key ``key``, in ``lang``."""
    if metavar is None:
        return None
    words = METAVARS.get(lang, {})
    return words.get(key) or words.get(metavar, metavar)


def help_text(lang: str, key: str, missing: str | None = None) -> str:
    """The help ``key`` in ``lang``; ``missing`` (when given) for a key without help."""
    table = HELP[lang]
    if missing is not None:
        return table.get(key, missing)
    return table[key]
