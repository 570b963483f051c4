"""Errors, warnings and notices, in Chinese and English: one catalogue per language, the same keys.

``message(key, **values)`` formats the text of the run's language (``cytrack.i18n.use``).
Paths, ids, option names and TOML keys go in as values and are never translated.
"""

from __future__ import annotations

from collections.abc import Iterable

from cytrack.i18n.core import current, lookup

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "cache_folder_unused": "cytrack：调试：不使用缓存文件夹 {where}：{reason}。",
        "cache_not_a_folder": "它不是文件夹",
        "cache_other_owner": "它属于另一个用户",
        "cache_others_write": "其他用户可以写入它",
        "conflict_same_id": "双方各新增了一项编号同为 {cid} 的不同承诺事项；请两项都保留（给其中一项换个新编号）或只留一项，并删去冲突标记行",
        "conflict_entry": "承诺事项 {cid}：{what}在双方被改得不一样，或一方删除、另一方修改；请留下正确的条目，并删去冲突标记行",
        "conflict_a_progress_entry": "一条进展记录",
        "conflict_an_extension": "一条延期记录",
        "toml_truncated": "；文件在一行中间结束，看来被截断了（已损坏）：请恢复它（`git checkout -- {path}`，或用备份）",
        "damaged_zeros": "{path}:{line}：台账已损坏（有一串零字节，崩溃或磁盘写满时会留下这种内容）；请恢复它（`git checkout -- {path}`，或用备份）。",
        "damaged_cut": "{path}:{line}：台账已损坏（文件在一个字符中间结束）；请恢复它（`git checkout -- {path}`，或用备份）。",
        "not_plain": "{path}：这是{kind}，不是台账文件；cytrack 只读取普通文件。",
        "kind_fifo": "命名管道（FIFO）",
        "kind_device": "设备文件",
        "kind_socket": "套接字",
        "kind_special": "特殊文件",
        "kept_changing": "{path}：在 cytrack 等待期间，另一个程序一直在修改台账；未写入任何内容。请等它保存完毕，再运行一次。",
        "half_written": "{path}：台账看来正被另一个程序写到一半（编辑器、git 或同步工具正在保存？）：现在有{count}项承诺事项，"
        "而 cytrack 上次在这里看到的版本有{before}项（缺少：{missing}）；未写入任何内容。请等那个程序完成后再运行一次；"
        "如果这些事项是有意删除的，请先运行 `cytrack validate`。",
        "id_not_ascii": "--id {cid!r}不是纯 ASCII：编号只用 ASCII 数字、字母和“-”。{hint}",
        "id_did_you_mean": "是不是{plain!r}？",
        "id_use_ascii": "请用数字、字母和“-”（例如 2-3）。",
        "id_has_slash": "--id {cid!r}含有“/”：“/”用来连接答复件简称和编号（如 1181/2-3），编号本身不能含有它。",
        "bundled": "cytrack：本目录及上级目录都没有 data/commitments.toml，正在读取 cytrack 附带的台账副本（"
        "只读；`cytrack init` 可写出一份供编辑的副本）。",
        "validate_ok": "{path}：检查通过，共{count}项承诺事项。",
        "validate_found": "{path}：发现{count}个问题。",
        "internal": "程序内部出错（{error}）；设置 CYTRACK_DEBUG=1 后再运行一次，可看到出错位置。",
        "left_out": "……（此处略去{count}个字符）……",
        "completion_installed": "已为 {shell} 安装命令补全：{path}\n重新打开终端后生效。",
        "completion_shell": "不支持为{shell!r}安装命令补全；可用的 shell：bash、zsh、fish、powershell。",
        "os_error": "{path} 无法使用：{reason}。",
        "a_file": "某个文件",
        "warning": "警告：",
        "unknown_reason": "原因不明",
        "unknown_lang": "不认识的语言{lang!r}；请用 zh 或 en。",
        "export_mismatch": "--format {fmt} 与文件名 {path} 不一致；请改其中一个。",
        "export_no_format": "从文件名 {path} 看不出格式；请加 --format csv、json 或 xlsx。",
        "export_onto_ledger": "{path} 就是台账本身；请导出到别的文件。",
        "export_xlsx_terminal": ".xlsx 是二进制文件，输出到屏幕会乱码；请用 --output 指定文件。",
        "init_exists": "{path} 已存在；init 从不覆盖台账。请直接编辑该文件，或换一个路径。",
        "git_setup_no_ledger": "本目录及上级目录没有 data/commitments.toml；请在台账仓库的克隆里运行 `cytrack "
        "git-setup`，或用 --ledger 指定台账。",
        "merge_conflicts": "{name}：有{count}处冲突，已用 <<<<<<< 和 >>>>>>> 标出；请处理后运行 `cytrack validate`，"
        "再 `git add` 该文件。",
        "date_hint": "请写成 YYYY-MM-DD（2026-11-25）、2026/11/25、2026年11月25日、today（今天）、yesterday（"
        "昨天）、tomorrow（明天），或 +7d、-2w、+3m 这样的相对天数",
        "date_no_such_day": "{text!r}不是有效日期：没有这一天；{hint}。",
        "date_out_of_range": "{text!r}超出了日历范围（公元1年至9999年）。",
        "date_ambiguous": "{text!r}有歧义（日和月可以互换）；请写成 {forms}（YYYY-MM-DD）。",
        "or": " 或 ",
        "date_unreadable": "无法把{text!r}识别为日期；{hint}。",
        "week_unreadable": "无法把{text!r}识别为 ISO 周；请写成 YYYY-Www，如 2026-W47。",
        "week_out_of_range": "{text!r}超出了日历范围（公元1年至9999年）。",
        "week_missing": "{text!r}不存在：ISO {year}年只有第 W01 至 W{last} 周。",
        "week_past_end": "{text!r}结束于日历最后一天 9999-12-31 之后。",
        "unknown_status": "不认识的状态{text!r}；请用 未启动、推进中、受阻、已办结、已终止 之一（或 {values}）。",
        "unknown_id": "{path} 中没有编号为{cid!r}的承诺事项{hint}",
        "unknown_id_close": "；您是要输入{names}吗？",
        "unknown_id_list": "；`cytrack list` 可列出全部编号。",
        "unknown_sort": "不能按{key!r}排序；请用 {values} 之一。",
        "option_required": "必须给出 --{option}，且不能为空。",
        "option_holds": "--{option} 含有{what}（{value!r}）；请去掉后重新输入。",
        "line_break": "换行",
        "control_character": "控制字符",
        "bad_percent": "--percent 必须是 0 到 100 的整数，不能是{value!r}。",
        "done_needs_evidence": "标为已办结（done）需要 --evidence（文号、网址或会议纪要），或加 --force 在没"
        "有佐证的情况下记录。",
        "extend_not_later": "--to {to} 不晚于 {cid} 在 {on} 时的完成时限（{due}）；延期只能往后延。",
        "add_needs_section": "必须给出 --section：该事项来自答复第二部分的第几项（1、2……）。",
        "due_basis_alone": "--due-basis 只能与 --due 一起用。",
        "bad_due_basis": "--due-basis 必须是 {values} 之一，不能是{value!r}。",
        "bad_review": "--review 必须是 {values} 之一，不能是{value!r}。",
        "id_taken": "编号{cid!r}已被占用（第{line}行：{title}）。",
        "log_not_tables": "{path}:{line}：{cid} 的 {kind} 没有写成 [[commitments.{kind}]] 表，cytrack 无法追"
        "加；未写入任何内容。",
        "extend_needs_to": "必须给出 --to：新的完成时限，如 --to 2026-06-30。",
        "week_or_as_of": "--week 和 --as-of 只能给一个。",
        "write_unsynced": "{path}：新台账已写入，但所在文件夹未能同步到磁盘（{reason}）；此时断电仍可能丢失。",
        "write_failed": "{path}：无法写入台账（{reason}）；台账保持原样。",
        "bad_lock_timeout": "{name} 必须是秒数，不能是{value!r}。",
        "locked": "{path}：另一个 cytrack 正在写这本台账，已锁定 {seconds} 秒；未写入任何内容。请稍后再试。",
        "lock_failed": "{path}：无法加写锁（{reason}）；未写入任何内容。",
        "too_large": "{path}：台账有 {size} MiB，超过 {limit} MiB 的上限；不予读取。",
        "changed_meanwhile": "{path}：写入期间台账被其他程序（编辑器？git？）改动了；未写入任何内容，保留了那个程序的版本。请重新"
        "运行该命令。",
        "edit_disturbs": "{path}:{line}：cytrack 无法在不改动周围文字的情况下做这项修改（TOML 写法特殊？）；"
        "未写入任何内容。请手工修改，然后运行 `cytrack validate`。",
        "change_invalid": "{path}：这项修改会使台账出现{count}个问题；未写入任何内容。",
        "duplicate_id_short": "编号{cid!r}重复：第{line}行已有该编号",
        "unusable_folder": "{path}：台账或其所在文件夹无法使用（{reason}）；未写入任何内容。",
        "read_only": "{path}：您对台账只有读权限；未写入任何内容。请联系文件所有者，或把它改为可写（chmod u+w，"
        "或在 Windows 中取消“只读”属性）。",
        "bundled_write": "{path}：这是 cytrack 附带的只读副本；请先运行 `cytrack init` 写出一份可编辑的 "
        "data/commitments.toml（"
        "或用 --ledger 指定台账），再运行本命令。",
        "no_ledger_write": "{path}：这里没有台账。请用 --ledger 给出正确路径，或用 `cytrack init` 新建一份。",
        "tables_apart": "{path}:{line}：cytrack 只能修改各个表都写在其 [[commitments]] 块内的承诺事项（TOML "
        "写法特殊？）；未写入任何内容。请手工修改，然后运行 `cytrack validate`。",
        "ledger_problems_write": "{path}：台账有{count}个问题；未写入任何内容。请先改正（`cytrack validate` "
        "会列出）。",
        "blocks_unknown": "{path}：cytrack 找不到各承诺事项块的起止位置（TOML 写法特殊？）；未写入任何内容。"
        "请手工修改，然后运行 `cytrack validate`。",
        "not_array_tables": "{path}：有的承诺事项没有写成 [[commitments]] 表，cytrack 只能编辑这种写法。未写"
        "入任何内容。",
        "output_is_folder": "{path} 是文件夹；请给出文件名。",
        "folder_blocked": "无法建立文件夹 {path}：有同名文件挡着。",
        "folder_failed": "无法建立文件夹 {path}：{reason}。",
        "output_unsynced": "{path} 已写入，但所在文件夹未能同步到磁盘（{reason}）。",
        "open_in_excel": "是否在 Excel 或 WPS 中打开着？请关闭后再试。",
        "output_failed": "无法写入 {path}（{reason}）；没有任何改动。{hint}",
        "bad_fail_spec": "{name} 应写成 3:EIO 或 5:ENOSPC 这样，不能是{value!r}。",
        "toml_invalid_detail": "TOML 写法有误：{detail}",
        "toml_invalid": "TOML 写法有误：这一行的写法不符合 TOML 要求（见下方 ^ 所指之处）",
        "slip_quotes": "TOML 写法有误：{char} 是中文（全角）引号，TOML 的文字要用英文双引号 \" 括起来。请改"
        "成：{fixed}",
        "slip_equals": "TOML 写法有误：＝ 是全角等号，请改用英文的 =：{fixed}",
        "slip_colon": "TOML 写法有误：键和值之间要用 =，不能用全角冒号 ：。请改成：{fixed}",
        "slip_comma": "TOML 写法有误：， 是全角逗号，列表各项之间要用英文逗号 ,。请改成：{fixed}",
        "slip_unclosed": "TOML 写法有误：这段文字缺少结尾的引号，要在同一行内写完。请改成：{fixed}",
        "slip_bracket": "TOML 写法有误：表头缺少结尾的 {close}。请改成：{fixed}",
        "slip_repeated": "TOML 写法有误：同一个表里 {key} 写了两次（第{first}行已有）；请保留其中一行，删除另一行",
        "slip_table_twice": "TOML 写法有误：表 [{table}] 出现了两次（第{first}行已有）；请把两处合并为一处",
        "ledger_empty": "台账是空的（0 字节）；是否被截断了？请从 git 或备份中恢复，或用 `cytrack init` 新建一份",
        "ledger_only_comments": "台账里只有空行和注释；是否被截断了？请从 git 或备份中恢复，或用 `cytrack init` "
        "新建一份",
        "conflict_marker": "git 合并冲突标记尚未处理{where}；请完成合并（保留正确的行，删除标记行）",
        "conflict_around": "（在承诺事项 {cid} 处）",
        "conflict_field": "，字段 {key}",
        "conflict_in_table": "（在 [{table}] 中{field}）",
        "conflict_marker_entry": "的一条 {kind} 记录",
        "conflict_in": "（在承诺事项 {cid}{entry}{field}）",
        "looks_utf16": "看起来是 UTF-16 编码（记事本里叫“Unicode”）。",
        "looks_gbk": "看起来是 GBK/GB18030 编码（中文 Windows 上用记事本或 WPS 保存的文件常是这样）。",
        "looks_unknown": "",
        "not_utf8": "{path}:{line}：台账必须是 UTF-8 编码，但字节 {byte} 不是有效的 UTF-8。{guess}",
        "resave": "请另存为 UTF-8：在记事本中选“另存为”→“编码”选 UTF-8 → 保存；在 WPS 中选“另存为”→ 编码选 "
        "UTF-8；在 Linux 上可用 `iconv -f {source} -t UTF-8 {name} > {name}.utf8` 转换后替换原文件。",
        "nul_utf16": "{path}:{line}：台账必须是 UTF-8 编码，但其中有 NUL 字节。{guess}",
        "nul_byte": "{path}:{line}：台账中有 NUL 字节；它不是文本文件，或已损坏。",
        "is_folder": "{path}：这是文件夹，不是台账文件。",
        "no_ledger": "{path}：这里没有台账。请用 --ledger 给出正确路径，或用 `cytrack init` 新建一份。",
        "no_permission": "{path}：无法读取台账（没有权限）。",
        "unreadable": "{path}：无法读取台账（{reason}）。",
        "over_limit": "{path}：台账超过 {limit} MiB 的上限；不予读取。",
        "too_deep": "台账中表或数组嵌套超过 {depth} 层；不予读取",
        "ledger_problems": "{path}：台账有{count}个问题；未做任何操作。",
        "type_bool": "true/false（是/否）",
        "type_str": "文字",
        "type_int": "整数",
        "type_float": "小数",
        "type_datetime": "带时间的日期",
        "type_date": "日期",
        "type_time": "时刻",
        "type_list": "数组",
        "type_table": "表",
        "date_quoted": "{name} 必须是不加引号的 TOML 日期（如 2025-12-31），不能是带引号的文字{value!r}；请"
        "去掉引号，写成 {key} = {value}",
        "date_type": "{name} 必须是 TOML 日期（如 2025-12-31），不能是{type}",
        "must_be_string": "{name} 必须是文字（用英文双引号括起来），不能是{type}",
        "must_not_be_empty": "{name} 不能为空",
        "must_be_one_line": "{name} 只能写一行",
        "must_be_strings": "{name} 必须是文字的数组，如 [\"市科技局\", \"市教委\"]",
        "unknown_key": "{where} 中有不认识的键{key!r}；原样保留",
        "no_schema": "台账缺少“schema = 1”这一行；这是 cytrack 台账吗？",
        "bad_schema": "schema 必须是 1，不能是{value!r}",
        "top_level": "文件顶层",
        "commitments_not_tables": "commitments 必须写成表的数组（[[commitments]] 块）",
        "source_not_table": "source 必须是表（[source]）",
        "one_of": "{name} 必须是 {values} 之一，不能是{value!r}",
        "sections_not_table": "sections 必须是“部分编号 = 标题”的表",
        "bad_section_key": "部分编号{key!r}必须是正整数，如 \"2\"",
        "bad_section_heading": "第{key}部分的标题必须是文字",
        "commitment_named": "承诺事项 {cid}",
        "commitment_numbered": "第{n}项承诺事项",
        "bad_percent_value": "{name} 必须是 0 到 100 的整数，不能是{value!r}",
        "status_in_chinese": "{name} 在文件中要写英文值：请把{value!r}改成 \"{fix}\"",
        "has_no": "{name} 缺少 {key}",
        "named_problem": "{name}：{problem}",
        "bad_section": "section 必须是正整数，不能是{value!r}",
        "log_not_array": "{key} 必须写成表的数组（[[commitments.{key}]] 块）",
        "duplicate_id": "编号{cid!r}重复：第{line}行已有该编号（编号不区分大小写）",
        "progress_entry_named": "{name}的第{n}条进展记录",
        "extensions_entry_named": "{name}的第{n}条延期记录",
        "progress_out_of_order": "{what}的日期是 {date}，早于上面一条（{before}）；进展记录要按日期从早到晚排列",
        "extensions_out_of_order": "{what}的日期是 {date}，早于上面一条（{before}）；延期记录要按日期从早到晚排列",
        "done_without_progress": "{name} 已办结，但没有进展记录；请记录是如何完成的",
        "merge_too_large": "{name}：超过 {limit} MiB 的上限；不予合并。",
        "merge_unreadable": "{name}：无法读取（{reason}）；未做合并。",
        "merge_side": "{name}（{side}）",
        "merge_invalid": "{name}：合并结果会违反{count}条规则（行号见上方，按合并结果计），因此没有写入；文"
        "件仍是我方版本：请手工合并。",
        "no_git": "没有安装 git，或 git 不在 PATH 中；请安装 git 后再运行本命令。",
        "not_a_repo": "{path} 不在 git 仓库中；请克隆共享的台账仓库（或运行 `git init`），再在其中运行 `cytrack "
        "git-setup`。",
        "attributes_unreadable": "无法读取 {path}（{reason}）；请手工加入这一行：`{line}`。",
        "setup_no_ledger": "{path}：这里没有台账；请用 --ledger 给出您克隆中的台账文件。",
        "outside_repo": "{path} 不在位于 {root} 的 git 仓库中。",
        "git_config_failed": "git config {key} 失败：{reason}。",
        "side_unreadable": "台账的{side}无法读取，因此无法合并：{problem}",
        "merge_readback": "合并后的文本（{what}）读回来与合并数据不一致（TOML 写法特殊？）；未写入任何内容："
        "请手工合并。",
        "conflict_deleted": "承诺事项 {cid} 一方删除、另一方修改了；请决定保留还是删除，并删除标记行",
        "conflict_where_field": "承诺事项 {cid} 的字段 {key}",
        "conflict_where_top": "顶层的 {key}",
        "conflict_both": "{where}双方都改了（我方：{ours}，对方：{theirs}）；请保留正确的值，并删除标记行",
        "merge_dotted": "{where}：{key!r}的值分成几处写（点号键）；请手工合并。",
        "merge_inline": "{where}：{key!r}是内联表，双方都改了；请手工合并。",
        "merge_not_found": "{where}：在文本中找不到{key!r}；请手工合并。",
        "merge_removed_changed": "[{table}] 一方删除、另一方修改了；请手工合并。",
        "merge_inline_commitments": "我方版本把承诺事项写成内联形式，而不是 [[commitments]] 表；请手工合并。",
        "merge_unusual_top": "顶层的{key!r}写法特殊；请手工合并。",
        "merge_replaced_changed": "[{table}] 一方替换、另一方修改了；请手工合并。",
        "merge_not_list": "{side}：commitments 不是 [[commitments]] 表的列表；请手工合并。",
        "merge_no_id": "{side}：第{n}项承诺事项没有编号，无法对应；请手工合并。",
        "merge_twice": "{side}：编号{cid!r}出现了两次，无法对应；请手工合并。",
        "merge_header": "无法识别表头{header!r}；请手工合并。",
        "merge_value_end": "找不到以{start!r}开头的值在哪里结束；请手工合并。",
        "side_ancestor": "共同祖先版本",
        "side_ours": "我方版本",
        "side_theirs": "对方版本",
        "toml_bad_value": "值的写法不对（文字要用英文双引号括起来，日期写成 2026-06-30，数字和 true/false 不加引号）",
        "toml_bad_key": "键名中有不允许的字符（键名只用英文字母、数字、_ 和 -）",
        "toml_expected_equals": "键的后面应是 =",
        "toml_unclosed_array": "数组缺少结尾的 ]，或各项之间缺少英文逗号 ,",
        "toml_unclosed_table": "内联表缺少结尾的 }",
        "toml_backslash": "文字中的 \\ 要写成 \\\\",
        "toml_one_per_line": "一行只能写一项，这里之后应换行",
        "toml_bad_date": "日期写法不对，应写成 2026-06-30 这样",
        "toml_illegal_character": "这里有不允许出现的字符",
        "include_multiline": "include 数组分成了几行写；请手工把{pattern!r}加进去。",
        "unknown_kind": "不认识的类别{kind!r}；请用 {values} 之一。",
        "reply_needs_number": "必须给出 --number：提案或建议的编号，如 --number 523。",
        "reply_needs_title": "必须给出 --title：提案或建议的案由。",
        "bad_category": "--category 必须是 {values} 之一，不能是{value!r}。",
        "bad_reply_key": "简称{key!r}不能用作答复件的文件名；请用 --key 给出由字母、数字、- 或 _ 组成的简称。",
        "reply_exists": "简称为{key!r}的答复件已存在（{path}）。",
        "reply_file_exists": "{path} 已存在；请用 --key 换一个简称。",
        "bundled_reply": "{path}：这是 cytrack 附带的只读副本；请先运行 `cytrack init`。",
        "include_disturbs": "{path}：cytrack 无法在不改动其他内容的情况下加入 include = [\"{pattern}\"]；请手工加入。",
        "reply_key_twice": "答复件简称{key!r}也被 {path} 使用；请给其中一个在 [source] 中另设 key",
        "include_no_match": "include 的模式{pattern!r}没有匹配到任何文件",
        "include_not_patterns": "include 必须是文件模式的数组，如 include = [\"replies/*.toml\"]",
        "include_outside": "include 的模式{pattern!r}必须在台账所在文件夹之内（不能用绝对路径，也不能用“..”）",
        "bad_source_year": "source.year 必须是年份（如 2024），不能是{value!r}",
        "bad_source_key": "source.key 只能由字母、数字、“-”或“_”组成（它是答复件在编号和文件名中的简称），不能是{value!r}",
        "office_problems": "{path}：台账的文件中有{count}个问题；未做任何操作。",
        "the_lock_file": "锁文件",
        "the_ledger_file": "台账文件",
        "output_protected": "{path} 就是{what} {protected}；输出文件从不覆盖台账或其锁文件。未写入任何内容；请换一个文件名。",
        "edits_disturb": "{path}：cytrack 无法在不改动周围文字的情况下做这些修改（TOML 写法特殊？）；未写入任何内容。",
        "id_in_several": "{cid!r}在{count}个答复件中都有；请写明是哪一个：{names}。",
        "no_such_reply": "{path} 中没有简称为{key!r}的答复件；现有的简称：{known}。",
        "unknown_light": "不认识的预警灯{light!r}；请用 {values} 之一。",
        "lock_is_symlink": "它是符号链接；锁文件必须是普通文件",
        "lock_not_plain": "它不是普通文件",
        "docx_terminal": ".docx 是二进制文件，输出到屏幕会乱码；请用 --output 指定文件。",
        "say_which_reply": "台账中有{count}个答复件；请用 --reply 简称 写明是哪一个（{keys}）。",
    },
    "en": {
        "cache_folder_unused": "cytrack: debug: not using the cache folder {where}: {reason}.",
        "cache_not_a_folder": "it is not a folder",
        "cache_other_owner": "it belongs to another user",
        "cache_others_write": "other users can write to it",
        "conflict_same_id": "two different commitments were added with the same id {cid} on both sides; keep both (give one of them a new id) or one, and delete the marker lines",
        "conflict_entry": "commitment {cid}: {what} was changed differently on both sides, or deleted on one side and changed on the other; keep the right entries and delete the marker lines",
        "conflict_a_progress_entry": "a progress entry",
        "conflict_an_extension": "an extension",
        "toml_truncated": "; the file ends in the middle of a line, so it looks truncated (damaged): restore it (`git checkout -- {path}`, or the backup)",
        "damaged_zeros": "{path}:{line}: the ledger is damaged (a run of zero bytes, as a crash or a full disk leaves); restore it (`git checkout -- {path}`, or the backup).",
        "damaged_cut": "{path}:{line}: the ledger is damaged (it ends inside a character); restore it (`git checkout -- {path}`, or the backup).",
        "not_plain": "{path}: is {kind}, not a ledger file; cytrack reads only plain files.",
        "kind_fifo": "a FIFO (named pipe)",
        "kind_device": "a device",
        "kind_socket": "a socket",
        "kind_special": "a special file",
        "kept_changing": "{path}: another program kept changing the ledger while cytrack waited for it to settle; nothing was written. Let it finish saving, then run the command again.",
        "half_written": "{path}: the ledger looks half-written by another program (an editor, git or a sync tool saving it right now?): it has {count} commitments, but the version cytrack last saw here had {before} (missing: {missing}); nothing was written. Wait until the other program has finished and run the command again; if those commitments were removed on purpose, run `cytrack validate` first.",
        "id_not_ascii": "--id {cid!r} is not plain ASCII: ids are typed with ASCII digits, letters and '-'. {hint}",
        "id_did_you_mean": "Did you mean {plain!r}?",
        "id_use_ascii": "Use digits, letters and '-' (e.g. 2-3).",
        "id_has_slash": "--id {cid!r} holds '/', which joins a reply's key and an id (1181/2-3); an id cannot hold it.",
        "bundled": "cytrack: no data/commitments.toml here or above; reading the copy bundled with cytrack "
        "(read-only; `cytrack init` makes an editable one).",
        "validate_ok": "{path}: OK, {count} commitments.",
        "validate_found": "{path}: {count} problem(s) found.",
        "internal": "internal error ({error}); set CYTRACK_DEBUG=1 to see where.",
        "left_out": " … ({count} characters left out) … ",
        "completion_installed": "{shell} completion installed in {path}\nCompletion will take effect once you restart the terminal",
        "completion_shell": "cannot install completion for the shell {shell!r}; the shells are bash, zsh, fish and powershell.",
        "os_error": "{path} cannot be used: {reason}.",
        "a_file": "a file",
        "warning": "warning: ",
        "unknown_reason": "reason unknown",
        "unknown_lang": "unknown language '{lang}'; use zh or en.",
        "export_mismatch": "--format {fmt} does not match the file name {path}; change one of them.",
        "export_no_format": "cannot tell the format from the file name {path}; add --format csv, json or xlsx.",
        "export_onto_ledger": "{path} is the ledger itself; export to another file.",
        "export_xlsx_terminal": "an .xlsx file is binary and would garble the terminal; give --output FILE.",
        "init_exists": "{path} already exists; init never overwrites a ledger. Edit that file, or give another PATH.",
        "git_setup_no_ledger": "no data/commitments.toml here or above; run `cytrack git-setup` inside your "
        "clone of the ledger repository, or give --ledger PATH.",
        "merge_conflicts": "{name}: {count} conflict(s) marked with <<<<<<< and >>>>>>>; resolve them, run "
        "`cytrack validate`, then `git add` the file.",
        "date_hint": "use YYYY-MM-DD (2026-11-25), 2026/11/25, 2026年11月25日, today, yesterday, tomorrow or "
        "an offset such as +7d, -2w, +3m",
        "date_no_such_day": "'{text}' is not a valid date: there is no such day; {hint}.",
        "date_out_of_range": "'{text}' reaches past the calendar's range (years 1-9999).",
        "date_ambiguous": "'{text}' is ambiguous (day and month could be either way round); write it as {forms} "
        "(YYYY-MM-DD).",
        "or": " or ",
        "date_unreadable": "cannot read '{text}' as a date; {hint}.",
        "week_unreadable": "cannot read '{text}' as an ISO week; write it as YYYY-Www, e.g. 2026-W47.",
        "week_out_of_range": "'{text}' is outside the calendar (years 1-9999).",
        "week_missing": "'{text}' does not exist: ISO year {year} has weeks W01 to W{last}.",
        "week_past_end": "'{text}' ends after 9999-12-31, the last day of the calendar.",
        "unknown_status": "unknown status '{text}'; use one of {values}.",
        "unknown_id": "no commitment with id {cid!r} in {path}{hint}",
        "unknown_id_close": "; did you mean {names}?",
        "unknown_id_list": "; `cytrack list` shows the ids.",
        "unknown_sort": "cannot sort by '{key}'; use one of {values}.",
        "option_required": "--{option} is required and must not be empty.",
        "option_holds": "--{option} holds {what} ({value!r}); type it without one.",
        "line_break": "a line break",
        "control_character": "a control character",
        "bad_percent": "--percent must be a whole number from 0 to 100, not {value!r}.",
        "done_needs_evidence": "--status done needs --evidence (a document number, URL or minutes reference), "
        "or --force to record it without one.",
        "extend_not_later": "--to {to} is not later than the due date of {cid} in force on {on} ({due}); an "
        "extension moves it later.",
        "add_needs_section": "--section is required: the number (1, 2, …) of the item of part 二 it comes from.",
        "due_basis_alone": "--due-basis only goes with --due.",
        "bad_due_basis": "--due-basis must be one of {values}, not {value!r}.",
        "bad_review": "--review must be one of {values}, not {value!r}.",
        "id_taken": "id {cid!r} is taken already (line {line}: {title}).",
        "log_not_tables": "{path}:{line}: the {kind} of {cid} are not written as [[commitments.{kind}]] tables, "
        "so cytrack cannot add one; nothing was written.",
        "extend_needs_to": "--to is required: the new due date, e.g. --to 2026-06-30.",
        "week_or_as_of": "give either --week or --as-of, not both.",
        "write_unsynced": "{path}: the new ledger IS in place, but the folder could not be synced to disk ({reason}); "
        "a power cut now could still lose it.",
        "write_failed": "{path}: cannot write the ledger ({reason}); it was left as it was.",
        "bad_lock_timeout": "{name} must be a number of seconds, not {value!r}.",
        "locked": "{path}: another cytrack is writing this ledger and kept it locked for {seconds} s; nothing "
        "was written. Try again in a moment.",
        "lock_failed": "{path}: cannot take the write lock ({reason}); nothing was written.",
        "too_large": "{path}: the ledger is {size} MiB, over the limit of {limit} MiB; refusing to parse it.",
        "changed_meanwhile": "{path}: the ledger was changed by another program (an editor? git?) while this "
        "command was writing it; nothing was written and that program's version is kept. Run the command again.",
        "edit_disturbs": "{path}:{line}: cytrack could not make this change without disturbing the text around "
        "it (unusual TOML layout?); nothing was written. Make the change by hand, then run `cytrack validate`.",
        "change_invalid": "{path}: the change would leave the ledger with {count} problem(s); nothing was written.",
        "duplicate_id_short": "duplicate id {cid!r}: line {line} has it already",
        "unusable_folder": "{path}: the ledger or its folder cannot be used ({reason}); nothing was written.",
        "read_only": "{path}: the ledger is read-only for you (no write permission); nothing was written. Ask "
        "its owner, or make it writable (chmod u+w / clear the read-only attribute).",
        "bundled_write": "{path}: this is the read-only copy bundled with cytrack; run `cytrack init` to make "
        "an editable data/commitments.toml (or give --ledger PATH), then run this command again.",
        "no_ledger_write": "{path}: no ledger there. Give the right --ledger path, or make one with `cytrack init`.",
        "tables_apart": "{path}:{line}: cytrack can only change a commitment whose tables are all written together "
        "in its [[commitments]] block (unusual TOML layout?); nothing was written. Make the change by hand, "
        "then run `cytrack validate`.",
        "ledger_problems_write": "{path}: the ledger has {count} problem(s); nothing was written. Fix them "
        "first (`cytrack validate` lists them).",
        "blocks_unknown": "{path}: cytrack could not find where each commitment's block starts and ends (unusual "
        "TOML layout?); nothing was written. Make the change by hand, then run `cytrack validate`.",
        "not_array_tables": "{path}: some commitments are not written as [[commitments]] tables; cytrack can "
        "only edit that layout. Nothing was written.",
        "output_is_folder": "{path} is a folder; give a file name.",
        "folder_blocked": "cannot create the folder {path}: a file is in the way.",
        "folder_failed": "cannot create the folder {path}: {reason}.",
        "output_unsynced": "{path} was written, but its folder could not be synced to disk ({reason}).",
        "open_in_excel": " Is it open in Excel or WPS? Close it and try again.",
        "output_failed": "{path} cannot be written ({reason}); nothing was changed.{hint}",
        "bad_fail_spec": "{name} must look like 3:EIO or 5:ENOSPC, not {value!r}.",
        "toml_invalid_detail": "invalid TOML: {detail}",
        "toml_invalid": "invalid TOML: this line is not written the way TOML needs (see the caret below)",
        "slip_quotes": "invalid TOML: the quote {char} is a Chinese (full-width) quote; TOML strings need straight "
        "double quotes \". Type it as: {fixed}",
        "slip_equals": "invalid TOML: ＝ is a full-width equals sign; type the plain = instead: {fixed}",
        "slip_colon": "invalid TOML: a key and its value are joined with =, not the full-width colon ：. Type "
        "it as: {fixed}",
        "slip_comma": "invalid TOML: ， is a full-width comma; items of a list are separated by the plain comma "
        ",. Type it as: {fixed}",
        "slip_unclosed": "invalid TOML: this string has no closing quote; end it on the same line. Type it "
        "as: {fixed}",
        "slip_bracket": "invalid TOML: the table header has no closing {close}. Type it as: {fixed}",
        "slip_repeated": "invalid TOML: the key {key} is given twice in the same table (first on line {first}); "
        "keep one of the two lines and delete the other",
        "slip_table_twice": "invalid TOML: the table [{table}] is declared twice (first on line {first}); merge "
        "the two into one",
        "ledger_empty": "the ledger is empty (0 bytes); was it cut short? Restore it from git or a backup, "
        "or write a fresh one with `cytrack init`",
        "ledger_only_comments": "the ledger holds nothing but blank lines and comments; was it cut short? Restore "
        "it from git or a backup, or write a fresh one with `cytrack init`",
        "conflict_marker": "unresolved git conflict marker{where}; finish the merge (keep the right lines, "
        "delete the markers)",
        "conflict_around": " around commitment {cid}",
        "conflict_field": " (field {key})",
        "conflict_in_table": " in [{table}]{field}",
        "conflict_marker_entry": ", a {kind} entry",
        "conflict_in": " in commitment {cid}{entry}{field}",
        "looks_utf16": " It looks like UTF-16 (what Notepad calls \"Unicode\").",
        "looks_gbk": " It looks like GBK/GB18030 (common for files saved by Notepad or WPS on Chinese Windows).",
        "looks_unknown": "",
        "not_utf8": "{path}:{line}: the ledger must be UTF-8, but byte {byte} is not valid UTF-8.{guess}",
        "resave": " Save it again as UTF-8: in Notepad (记事本) choose 另存为 (Save As) → 编码 (Encoding): "
        "UTF-8; in WPS choose 另存为 → 编码 UTF-8; on Linux convert it with `iconv -f {source} -t UTF-8 {name} "
        "> {name}.utf8` and put that file in its place.",
        "nul_utf16": "{path}:{line}: the ledger must be UTF-8, but it holds NUL bytes.{guess}",
        "nul_byte": "{path}:{line}: the ledger holds a NUL byte; it is not a text file, or it is damaged.",
        "is_folder": "{path}: is a folder, not a ledger file.",
        "no_ledger": "{path}: no ledger there. Give the right --ledger path, or create one with `cytrack init`.",
        "no_permission": "{path}: the ledger cannot be read (permission denied).",
        "unreadable": "{path}: the ledger cannot be read ({reason}).",
        "over_limit": "{path}: the ledger is over the limit of {limit} MiB; refusing to parse it.",
        "too_deep": "the ledger nests deeper than {depth} levels of tables or arrays; refusing to parse it",
        "ledger_problems": "{path}: the ledger has {count} problem(s); nothing was done.",
        "type_bool": "true/false",
        "type_str": "a string",
        "type_int": "an integer",
        "type_float": "a number",
        "type_datetime": "a date with a time",
        "type_date": "a date",
        "type_time": "a time of day",
        "type_list": "an array",
        "type_table": "a table",
        "date_quoted": "{name} must be a TOML date written without quotes (like 2025-12-31), not the string "
        "{value!r}",
        "date_type": "{name} must be a TOML date (like 2025-12-31), not {type}",
        "must_be_string": "{name} must be a string, not {type}",
        "must_not_be_empty": "{name} must not be empty",
        "must_be_one_line": "{name} must be a single line",
        "must_be_strings": "{name} must be an array of strings",
        "unknown_key": "unknown key '{key}' in {where}; it is kept as it is",
        "no_schema": "the ledger has no 'schema = 1' line; is this a cytrack ledger?",
        "bad_schema": "schema must be 1, not {value!r}",
        "top_level": "the top level",
        "commitments_not_tables": "commitments must be an array of tables ([[commitments]] blocks)",
        "source_not_table": "source must be a table ([source])",
        "one_of": "{name} must be one of {values}, not {value!r}",
        "sections_not_table": "sections must be a table of section number = heading",
        "bad_section_key": "section key {key!r} must be a positive whole number, like \"2\"",
        "bad_section_heading": "the heading of section {key} must be a string",
        "commitment_named": "commitment {cid}",
        "commitment_numbered": "commitment #{n}",
        "bad_percent_value": "{name} must be a whole number from 0 to 100, not {value!r}",
        "status_in_chinese": "{name} must be written with its English value: use \"{fix}\", not {value!r}",
        "has_no": "{name} has no {key}",
        "named_problem": "{name}: {problem}",
        "bad_section": "section must be a positive whole number, not {value!r}",
        "log_not_array": "{key} must be an array of tables ([[commitments.{key}]] blocks)",
        "duplicate_id": "duplicate id {cid!r}: line {line} has it already (ids compare case-insensitively)",
        "progress_entry_named": "{name}, progress entry {n}",
        "extensions_entry_named": "{name}, extension {n}",
        "progress_out_of_order": "{what} is dated {date}, before the entry above it ({before}); progress entries "
        "go oldest first",
        "extensions_out_of_order": "{what} is dated {date}, before the extension above it ({before}); extensions "
        "go oldest first",
        "done_without_progress": "{name} is done but has no progress entry; record how it was delivered",
        "merge_too_large": "{name}: over the limit of {limit} MiB; refusing to merge it.",
        "merge_unreadable": "{name}: cannot be read ({reason}); nothing was merged.",
        "merge_side": "{name} ({side})",
        "merge_invalid": "{name}: the merged ledger would break {count} rule(s) (lines of the merge, shown "
        "above), so it was not written; the file holds your version only: merge by hand.",
        "no_git": "git is not installed or not on PATH; install git, then run this command again.",
        "not_a_repo": "{path} is not inside a git repository; clone the shared ledger repository (or run `git "
        "init`) and run `cytrack git-setup` there.",
        "attributes_unreadable": "{path} cannot be read ({reason}); add the line `{line}` to it by hand.",
        "setup_no_ledger": "{path}: no ledger there; give --ledger PATH to the ledger file in your clone.",
        "outside_repo": "{path} is not inside the git repository at {root}.",
        "git_config_failed": "git config {key} failed: {reason}.",
        "side_unreadable": "{side} of the ledger cannot be read, so it cannot be merged: {problem}",
        "merge_readback": "the merged text ({what}) does not read back as the merged data (an unusual TOML "
        "layout?); nothing was written: merge by hand.",
        "conflict_deleted": "commitment {cid} was deleted on one side and changed on the other; keep it or "
        "delete it, and delete the marker lines",
        "conflict_where_field": "commitment {cid}, field {key}",
        "conflict_where_top": "top-level {key}",
        "conflict_both": "{where} was changed on both sides (ours: {ours}, theirs: {theirs}); keep the right "
        "value and delete the marker lines",
        "merge_dotted": "{where}: the value of {key!r} is written in several pieces (dotted keys); merge by hand.",
        "merge_inline": "{where}: {key!r} is an inline table changed on both sides; merge by hand.",
        "merge_not_found": "{where}: cannot find {key!r} in the text; merge by hand.",
        "merge_removed_changed": "[{table}] was removed on one side and changed on the other; merge by hand.",
        "merge_inline_commitments": "our version writes its commitments inline, not as [[commitments]] tables; "
        "merge by hand.",
        "merge_unusual_top": "the top-level {key!r} is laid out in an unusual way; merge by hand.",
        "merge_replaced_changed": "[{table}] was replaced on one side and changed on the other; merge by hand.",
        "merge_not_list": "{side}: 'commitments' is not a list of [[commitments]] tables; merge it by hand.",
        "merge_no_id": "{side}: commitment number {n} has no id, so it cannot be matched; merge by hand.",
        "merge_twice": "{side}: the id {cid!r} appears twice, so it cannot be matched; merge by hand.",
        "merge_header": "cannot read the table header {header!r}; merge by hand.",
        "merge_value_end": "cannot find the end of the value that starts with {start!r}; merge by hand.",
        "side_ancestor": "the common ancestor",
        "side_ours": "our version",
        "side_theirs": "their version",
        "toml_bad_value": "invalid value",
        "toml_bad_key": "invalid initial character for a key part",
        "toml_expected_equals": "expected '=' after a key in a key/value pair",
        "toml_unclosed_array": "unclosed array",
        "toml_unclosed_table": "unclosed inline table",
        "toml_backslash": "unescaped '\\' in a string",
        "toml_one_per_line": "expected newline or end of document after a statement",
        "toml_bad_date": "invalid date or datetime",
        "toml_illegal_character": "illegal character",
        "include_multiline": "the include array is written over several lines; add {pattern!r} to it by hand.",
        "unknown_kind": "unknown kind {kind!r}; use one of {values}.",
        "reply_needs_number": "--number is required: the proposal's or suggestion's number, e.g. --number 523.",
        "reply_needs_title": "--title is required: the title (案由) of the proposal or suggestion.",
        "bad_category": "--category must be one of {values}, not {value!r}.",
        "bad_reply_key": "the key {key!r} cannot name a reply file; give --key with letters, digits, '-' or '_'.",
        "reply_exists": "a reply with key {key!r} exists already ({path}).",
        "reply_file_exists": "{path} exists already; give another --key.",
        "bundled_reply": "{path}: this is the read-only copy bundled with cytrack; run `cytrack init` first.",
        "include_disturbs": "{path}: cytrack could not add include = [\"{pattern}\"] without disturbing the file; add it by hand.",
        "reply_key_twice": "reply key {key!r} is used by {path} too; give one of them its own [source] key",
        "include_no_match": "include pattern {pattern!r} matches no file",
        "include_not_patterns": "include must be an array of file patterns, e.g. include = [\"replies/*.toml\"]",
        "include_outside": "include pattern {pattern!r} must stay inside the ledger's folder (no absolute paths, no '..')",
        "bad_source_year": "source.year must be a year such as 2024, not {value!r}",
        "bad_source_key": "source.key must be letters, digits, '-' or '_' (it names the reply in ids and its file), not {value!r}",
        "office_problems": "{path}: the ledger has {count} problem(s) in its files; nothing was done.",
        "the_lock_file": "the lock file",
        "the_ledger_file": "the ledger file",
        "output_protected": "{path} is {what} {protected}; an output never overwrites a ledger or its lock. Nothing was written; give another file name.",
        "edits_disturb": "{path}: cytrack could not make these changes without disturbing the text around them (unusual TOML layout?); nothing was written.",
        "id_in_several": "{cid!r} is an id in {count} replies; say which: {names}.",
        "no_such_reply": "no reply with key {key!r} in {path}; the keys are: {known}.",
        "unknown_light": "unknown light '{light}'; use one of {values}.",
        "lock_is_symlink": "it is a symbolic link; a lock file must be a plain file",
        "lock_not_plain": "it is not a plain file",
        "docx_terminal": "a .docx file is binary and would garble the terminal; give --output FILE.",
        "say_which_reply": "the ledger holds {count} replies; say which with --reply KEY ({keys}).",
    },
}


def message(key: str, /, **values: object) -> str:
    """The message ``key`` in the run's language, filled with ``values``."""
    return lookup(MESSAGES, current(), key, **values)


def quote_value(value: object) -> str:
    """A value the user typed or a file holds, as ``{value!r}`` in a message shows it: ``“9-9”`` in
    Chinese (control characters made visible, ``textsafe.quoted_zh``), ``'9-9'`` in English."""
    if current() == "zh":
        from cytrack.textsafe import quoted_zh

        return quoted_zh(value)
    return repr(value)


def listing(items: Iterable[object]) -> str:
    """Names one after another: ``id、due、status`` in Chinese, ``id, due, status`` in English."""
    return ("、" if current() == "zh" else ", ").join(str(x) for x in items)


def either(items: Iterable[object]) -> str:
    """Quoted values to choose from: ``“1-1”、“2-1”或“1-2”`` in Chinese, ``'1-1' or '2-1' or '1-2'`` in English."""
    shown = [quote_value(x) for x in items]
    if current() == "zh" and len(shown) > 1:
        return "、".join(shown[:-1]) + "或" + shown[-1]
    return message("or").join(shown)


# What the operating system's reasons are called, by errno (its own words are English).
_OS_REASONS = {
    "zh": {
        "EACCES": "没有权限", "EPERM": "不允许的操作", "ENOENT": "文件或文件夹不存在", "ENOSPC": "磁盘空间已满",
        "EROFS": "只读的文件系统", "EISDIR": "这是文件夹", "ENOTDIR": "路径中有一处不是文件夹", "EIO": "读写出错",
        "EEXIST": "文件已存在", "EBUSY": "文件正被占用", "EDQUOT": "超出磁盘配额", "ENAMETOOLONG": "文件名太长",
        "EMFILE": "打开的文件太多", "ETIMEDOUT": "超时", "EINVAL": "无效的参数",
    },
}


def os_reason(exc: BaseException) -> str:
    """Why the operating system refused, in the run's language (English: its own words)."""
    import errno

    if type(exc).__name__ == "LockPathRefused" and getattr(exc, "strerror", None):
        return exc.strerror  # cytrack's own words, already in the run's language
    code = getattr(exc, "errno", None)
    name = errno.errorcode.get(code, "") if isinstance(code, int) else ""
    words = _OS_REASONS.get(current(), {})
    if name in words:
        return words[name]
    if current() != "en":
        return words.get("EIO", "") if code else message("unknown_reason")
    return getattr(exc, "strerror", None) or str(exc)
