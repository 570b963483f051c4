"""Chinese that reads as Chinese office software: “” around values, Chinese placeholders in help,
no English left in a Chinese run (contract §8); English exactly as before.

Every command line runs through ``cytrack.__main__.main`` in-process (``test_language.main``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHIPPED
from hypothesis import given
from hypothesis import strategies as st
from test_language import main

from cytrack.i18n import message, use
from cytrack.i18n.messages import either, listing, quote_value
from cytrack.textsafe import quoted_zh, shown


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "commitments.toml"
    shutil.copyfile(SHIPPED, path)
    return path


def err_of(*args: str) -> tuple[int, str]:
    code, _, err = main(*args)
    return code, err


# --- 1. Values in Chinese quotes ------------------------------------------------------------------


def test_an_unknown_id_is_quoted_in_chinese_quotes_without_spaces(ledger):
    assert err_of("show", "9-9") == (
        2, "cytrack: data/commitments.toml 中没有编号为“9-9”的承诺事项；`cytrack list` 可列出全部编号。\n"
    )
    assert err_of("show", "9-9", "--lang", "en") == (
        2, "cytrack: no commitment with id '9-9' in data/commitments.toml; `cytrack list` shows the ids.\n"
    )


def test_did_you_mean_lists_quoted_ids_with_chinese_or(ledger):
    assert err_of("show", "1-9") == (
        2, "cytrack: data/commitments.toml 中没有编号为“1-9”的承诺事项；您是要输入“1-5”、“1-4”或“1-3”吗？\n"
    )
    assert err_of("--lang", "en", "show", "1-9") == (
        2, "cytrack: no commitment with id '1-9' in data/commitments.toml; did you mean '1-5' or '1-4' or '1-3'?\n"
    )


@pytest.mark.parametrize(
    ("typed", "zh", "en"),
    [
        ("9\x1b[31m-9", "“9␛[31m-9”", "'9\\x1b[31m-9'"),
        ("9\u202e-9", "“9<U+202E>-9”", "'9\\u202e-9'"),
        ("9\u200b-9", "“9<U+200B>-9”", "'9\\u200b-9'"),
        ("9\t-9", "“9␉-9”", "'9\\t-9'"),
        ("9\x9b-9", "“9<U+009B>-9”", "'9\\x9b-9'"),
    ],
    ids=["esc", "bidi", "zero-width", "tab", "c1"],
)
def test_hostile_text_in_a_quoted_value_is_shown_never_passed_through(ledger, typed, zh, en):
    code, err = err_of("show", typed)
    assert code == 2
    assert err == f"cytrack: data/commitments.toml 中没有编号为{zh}的承诺事项；`cytrack list` 可列出全部编号。\n"
    code, err = err_of("--lang", "en", "show", typed)
    assert err == f"cytrack: no commitment with id {en} in data/commitments.toml; `cytrack list` shows the ids.\n"


def test_a_line_break_in_a_value_is_shown_as_a_control_picture(ledger):
    before = ledger.read_bytes()
    assert err_of("update", "1-1", "--note", "x", "--percent", "5\n0") == (
        2, "cytrack: --percent 必须是 0 到 100 的整数，不能是“5␊0”。\n"
    )
    assert err_of("--lang", "en", "update", "1-1", "--note", "x", "--percent", "5\n0") == (
        2, "cytrack: --percent must be a whole number from 0 to 100, not '5\\n0'.\n"
    )
    assert ledger.read_bytes() == before


def test_choices_are_listed_with_the_chinese_enumeration_comma(ledger):
    assert err_of("list", "--sort", "bogus") == (
        2, "cytrack: 不能按“bogus”排序；请用 id、due、status、owner、percent、updated 之一。\n"
    )
    assert err_of("--lang", "en", "list", "--sort", "bogus") == (
        2, "cytrack: cannot sort by 'bogus'; use one of id, due, status, owner, percent, updated.\n"
    )
    assert err_of("add", "--section", "2", "--title", "x", "--lead", "y", "--review", "daily") == (
        2, "cytrack: --review 必须是 weekly、monthly、quarterly、half-yearly、yearly 之一，不能是“daily”。\n"
    )


def test_a_full_width_id_is_quoted_in_both_languages(ledger):
    args = ("add", "--section", "2", "--title", "x", "--lead", "y", "--id", "１-１")
    assert err_of(*args) == (
        2, "cytrack: --id “１-１”不是纯 ASCII：编号只用 ASCII 数字、字母和“-”。是不是“1-1”？\n"
    )
    assert err_of("--lang", "en", *args) == (
        2,
        "cytrack: --id '１-１' is not plain ASCII: ids are typed with ASCII digits, letters and '-'. "
        "Did you mean '1-1'?\n",
    )


def test_a_value_read_from_the_ledger_is_quoted_in_validate(ledger):
    text = ledger.read_text(encoding="utf-8").replace('\nstatus = "not_started"', '\nstatus = "推进中"', 1)
    ledger.write_text(text, encoding="utf-8")
    code, _, err = main("validate")
    assert code == 1
    assert '：status 在文件中要写英文值：请把“推进中”改成 "in_progress"\n' in err
    code, _, err = main("--lang", "en", "validate")
    assert ": status must be written with its English value: use \"in_progress\", not '推进中'\n" in err


def test_numbers_are_not_quoted_in_chinese():
    use("zh")
    assert message("bad_schema", value=2) == "schema 必须是 1，不能是2"
    assert message("bad_schema", value="2") == "schema 必须是 1，不能是“2”"
    use("en")
    assert message("bad_schema", value=2) == "schema must be 1, not 2"
    assert message("bad_schema", value="2") == "schema must be 1, not '2'"


def test_quoting_helpers_follow_the_language():
    use("zh")
    assert (quote_value("a\x1b"), listing(["a", "b"]), either(["1-1"]), either(["1-1", "2-1", "3-1"])) == (
        "“a␛”", "a、b", "“1-1”", "“1-1”、“2-1”或“3-1”"
    )
    use("en")
    assert (quote_value("a\x1b"), listing(["a", "b"]), either(["1-1"]), either(["1-1", "2-1"])) == (
        "'a\\x1b'", "a, b", "'1-1'", "'1-1' or '2-1'"
    )


@given(st.text())
def test_shown_leaves_nothing_invisible_and_printable_text_alone(text):
    out = shown(text)
    assert out.isprintable()
    if text.isprintable():
        assert out == text
    assert quoted_zh(text) == f"“{out}”"


def test_no_chinese_template_puts_spaces_around_a_quoted_value():
    import re

    from cytrack.i18n import MESSAGES

    for key, text in MESSAGES["zh"].items():
        assert not re.search(r"[^\x00-\x7f] \{\w+!r\}|\{\w+!r\} [^\x00-\x7f]", text), key
        assert not re.search(r"'\{|\{\w+\}'", text), key


# --- 2. Chinese placeholders in help ----------------------------------------------------------------


UPDATE_OPTIONS_ZH = """\
选项：
  -n, --note 文字      做了什么（必填）。
  -s, --status 状态    新状态：未启动/推进中/受阻/已办结/已终止（中文名或
                       not_started、in_progress、blocked、done、dropped 均可）。
  -p, --percent 数     新的完成进度，0–100。
  -d, --date 日期      进展日期（默认今天）。
  --by 姓名            报送人。
  -e, --evidence 佐证  佐证材料：文号、网址或会议纪要。
  --force              没有 --evidence 也允许标为已办结。
  -h, --help           显示本帮助并退出。
"""

UPDATE_OPTIONS_EN = """\
Options:
  -n, --note TEXT      What was done (required).
  -s, --status STATUS  New status: not_started, in_progress, blocked, done,
                       dropped (or the Chinese names
                       未启动/推进中/受阻/已办结/已终止).
  -p, --percent N      New completion, 0-100.
  -d, --date DATE      Date of the progress (default today).
  --by NAME            Who reported it.
  -e, --evidence REF   Document number, URL or minutes reference.
  --force              Allow --status done without --evidence.
  -h, --help           Show this message and exit.
"""


def test_update_help_names_its_values_in_chinese():
    code, out, _ = main("update", "--help")
    assert code == 0
    assert out.startswith("用法： cytrack update [选项] 编号\n")
    assert "参数：\n  编号  承诺事项编号，如 2-3。 [必填]\n" in out
    assert out.endswith(UPDATE_OPTIONS_ZH)


def test_update_help_keeps_its_english_placeholders():
    code, out, _ = main("--lang", "en", "update", "--help")
    assert code == 0
    assert out.startswith("Usage: cytrack update [OPTIONS] ID\n")
    assert out.endswith(UPDATE_OPTIONS_EN)


@pytest.mark.parametrize(
    ("path", "zh", "en"),
    [
        ((), "  --ledger 路径 ", "  --ledger PATH "),
        (("list",), "  --section 序号                 只看答复第二部分中的这一项。 [不小于1]\n",
         "  --section N                    Only item N of part 二 of the reply. [x>=1]\n"),
        (("list",), "  --sort 字段  ", "  --sort KEY  "),
        (("list",), "  --year 年份                    只看这一年的答复件。\n",
         "  --year N                       Only the replies of this year.\n"),
        (("stale",), "  --days 天数  ", "  --days N  "),
        (("export",), "  --output-dir 文件夹  ", "  --output-dir DIR  "),
        (("import",), "用法： cytrack import [选项] 文件\n", "Usage: cytrack import [OPTIONS] FILE\n"),
        (("init",), "用法： cytrack init [选项] [路径]\n", "Usage: cytrack init [OPTIONS] [PATH]\n"),
        (("reply", "add"), "  --number 案号  ", "  --number N  "),
        (("reply", "add"), "  --key 简称  ", "  --key KEY  "),
        (("add",), "  --review 频次  ", "  --review RHYTHM  "),
        (("report", "weekly"), "  --week YYYY-Www  ", "  --week YYYY-Www  "),
    ],
)
def test_placeholders_in_both_languages(path, zh, en):
    _, out_zh, _ = main(*path, "--help")
    _, out_en, _ = main("--lang", "en", *path, "--help")
    assert zh in out_zh
    assert en in out_en


def test_no_help_shows_an_unbounded_range():
    for path in (("list",), ("reply", "add"), ("export",)):
        for lang in ("zh", "en"):
            _, out, _ = main("--lang", lang, *path, "--help")
            assert "None" not in out, (path, lang)


def test_usage_errors_name_the_chinese_placeholder(ledger):
    code, err = err_of("update")
    assert code == 2
    assert err.endswith("错误：缺少参数“编号”。\n")
    code, err = err_of("--lang", "en", "update")
    assert err.endswith("Error: Missing argument 'ID'.\n")
    code, err = err_of("list", "--section", "0")
    assert code == 2
    assert err.endswith("错误：“--section”的值无效：0 不在允许的范围内（不小于1）。\n")
    code, err = err_of("--lang", "en", "list", "--section", "0")
    assert err.endswith("Error: Invalid value for '--section': 0 is not in the range x>=1.\n")


# --- 3. No English left in a Chinese run ----------------------------------------------------------


def test_an_internal_error_is_told_in_the_language(ledger, monkeypatch):
    from cytrack.commands import read

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(read, "show_cmd", broken)
    assert err_of("show", "1-1") == (
        70, "cytrack: 程序内部出错（RuntimeError: boom）；设置 CYTRACK_DEBUG=1 后再运行一次，可看到出错位置。\n"
    )
    assert err_of("--lang", "en", "show", "1-1") == (
        70, "cytrack: internal error (RuntimeError: boom); set CYTRACK_DEBUG=1 to see where.\n"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_message_says_what_was_left_out_in_the_language(lang, capsys):
    from cytrack.render.terminal import MAX_MESSAGE, say

    use(lang)
    say("a" * (MAX_MESSAGE + 500))
    err = capsys.readouterr().err
    gap = "……（此处略去500个字符）……" if lang == "zh" else " … (500 characters left out) … "
    assert MAX_MESSAGE == 2000
    assert err == "a" * 1333 + gap + "a" * 667 + "\n"


def test_warnings_are_worded_in_each_run_s_language_cache_or_not(ledger):
    text = ledger.read_text(encoding="utf-8").replace("[source]\n", "[source]\nbogus_key = 1\n", 1)
    ledger.write_text(text, encoding="utf-8")
    line = text.splitlines().index("bogus_key = 1") + 1
    zh = f"data/commitments.toml:{line}: 警告：[source] 中有不认识的键“bogus_key”；原样保留\n"
    en = f"data/commitments.toml:{line}: warning: unknown key 'bogus_key' in [source]; it is kept as it is\n"
    for _ in range(2):  # the second round reads the parse cache
        code, _, err = main("summary", "--format", "json")
        assert (code, err) == (0, zh)
        code, _, err = main("--lang", "en", "summary", "--format", "json")
        assert (code, err) == (0, en)


def test_include_problems_are_told_in_chinese(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    text = SHIPPED.read_text(encoding="utf-8").replace("schema = 1\n", 'schema = 1\ninclude = ["../x/*.toml"]\n', 1)
    (tmp_path / "data" / "commitments.toml").write_text(text, encoding="utf-8")
    line = text.splitlines().index('include = ["../x/*.toml"]') + 1
    code, _, err = main("validate")
    assert code == 1
    assert err.startswith(
        f"data/commitments.toml:{line}: include 的模式“../x/*.toml”必须在台账所在文件夹之内"
        "（不能用绝对路径，也不能用“..”）\n"
    )
    code, _, err = main("--lang", "en", "validate")
    assert err.startswith(
        f"data/commitments.toml:{line}: include pattern '../x/*.toml' must stay inside the ledger's folder"
        " (no absolute paths, no '..')\n"
    )


def test_the_real_program_prints_chinese_quotes_on_a_terminal_stream(ledger):
    """The console script itself (a subprocess), with its stderr a pipe: the same sentence."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    run = subprocess.run(
        [sys.executable, "-m", "cytrack", "show", "9-9"], capture_output=True, text=True, env=env, cwd=ledger.parents[1]
    )
    assert run.returncode == 2
    assert run.stderr == "cytrack: data/commitments.toml 中没有编号为“9-9”的承诺事项；`cytrack list` 可列出全部编号。\n"


def test_install_completion_says_what_it_did_in_the_language(tmp_path, monkeypatch):
    from typer import _completion_shared

    monkeypatch.setattr(_completion_shared, "_get_shell_name", lambda: "bash")
    script = tmp_path / ".bash_completions" / "cytrack.sh"
    assert main("--install-completion", env={"HOME": str(tmp_path)}) == (
        0, f"已为 bash 安装命令补全：{script}\n重新打开终端后生效。\n", ""
    )
    assert script.is_file()
    assert main("--lang", "en", "--install-completion", env={"HOME": str(tmp_path)}) == (
        0, f"bash completion installed in {script}\nCompletion will take effect once you restart the terminal\n", ""
    )


def test_install_completion_refuses_an_unknown_shell_in_the_language(tmp_path, monkeypatch):
    from typer import _completion_shared

    monkeypatch.setattr(_completion_shared, "_get_shell_name", lambda: "tcsh")
    assert main("--install-completion", env={"HOME": str(tmp_path)}) == (
        1, "", "cytrack: 不支持为“tcsh”安装命令补全；可用的 shell：bash、zsh、fish、powershell。\n"
    )
    assert main("--lang", "en", "--install-completion", env={"HOME": str(tmp_path)}) == (
        1, "", "cytrack: cannot install completion for the shell 'tcsh'; the shells are bash, zsh, fish and "
        "powershell.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_import_of_a_folder_or_a_missing_file_says_so(ledger):
    before = ledger.read_bytes()
    assert err_of("import", "data") == (2, "cytrack: data 是文件夹；请给出填好的填报表文件（.xlsx 或 .csv）。\n")
    assert err_of("--lang", "en", "import", "data") == (
        2, "cytrack: data is a folder; give the filled-in form itself (.xlsx or .csv).\n"
    )
    assert err_of("import", "missing") == (2, "cytrack: missing：文件不存在。\n")
    assert err_of("--lang", "en", "import", "missing") == (2, "cytrack: missing: no such file.\n")
    assert ledger.read_bytes() == before


def test_click_errors_show_invisible_characters_in_chinese_as_repr_does_in_english(ledger):
    assert err_of("updte\u200b")[1].endswith("错误：没有命令“updte<U+200B>”。您是要输入“update”吗？\n")
    assert err_of("--lang", "en", "updte\u200b")[1].endswith(
        "Error: No such command 'updte\\u200b'. Did you mean 'update'?\n"
    )
    code, err = err_of("list", "--format", "x\u202e\x1b")
    assert code == 2
    assert err.endswith("错误：“--format” / “-f”的值无效：“x<U+202E>␛”不是可选的值，可选：“table”、“json”、“csv”。\n")
