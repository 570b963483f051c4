"""The user's language, everywhere (contract §8): catalogues, Click's own words, help, errors.

Every command line here runs through ``cytrack.__main__.main``, the entry point users run
(the quick path first, then Typer), in-process.
"""

from __future__ import annotations

import ast
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT, SHIPPED
from typer.testing import CliRunner

from cytrack.cli import spec
from cytrack.i18n import (
    GIT_WORDS,
    HELP,
    LABELS,
    MESSAGES,
    REPORT_WORDS,
    RHYTHM_NAMES,
    STATUS_NAMES,
    TABLE_WORDS,
    WRITE_WORDS,
    catalogue,
    choose,
)
from cytrack.i18n.catalogue import compile_po, po_path, read_po

SRC = ROOT / "src" / "cytrack"


def main(*args: str, env: dict[str, str | None] | None = None, columns: int = 80) -> tuple[int, str, str]:
    """Run ``cytrack ARGS`` through its entry point; (exit code, stdout, stderr)."""
    from cytrack.__main__ import main as entry

    base = {"COLUMNS": str(columns), "NO_COLOR": "1", "CYTRACK_LEDGER": None, "CYTRACK_LANG": None, "LANG": "C"}
    with CliRunner().isolation(env={**base, **(env or {})}) as (out, err, _):
        try:
            entry(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        import sys

        sys.stdout.flush()
        sys.stderr.flush()
        return code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


# --- The catalogues -------------------------------------------------------------------------

TABLES = {
    "MESSAGES": MESSAGES, "HELP": HELP, "LABELS": LABELS, "TABLE_WORDS": TABLE_WORDS, "REPORT_WORDS": REPORT_WORDS,
    "WRITE_WORDS": WRITE_WORDS, "GIT_WORDS": GIT_WORDS, "STATUS_NAMES": STATUS_NAMES, "RHYTHM_NAMES": RHYTHM_NAMES,
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_key_is_in_both_languages(name):
    table = TABLES[name]
    assert set(table) == {"zh", "en"}
    assert set(table["zh"]) == set(table["en"]), set(table["zh"]) ^ set(table["en"])


def _source_strings() -> dict[str, set[str]]:
    """Every string constant of every module of cytrack outside the catalogues, by module."""
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        if path.parent.name == "i18n" and path.name in ("messages.py", "help.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found[str(path.relative_to(SRC))] = {
            n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
    return found


def _message_calls() -> set[str]:
    """The keys named by every ``message("key", …)`` call (also imported as ``msg``)."""
    keys: set[str] = set()
    for path in SRC.rglob("*.py"):
        for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(n, ast.Call)
                and isinstance(n.func, ast.Name)
                and n.func.id in ("message", "msg")
                and n.args
                and isinstance(n.args[0], ast.Constant)
            ):
                keys.add(n.args[0].value)
    return keys


def test_every_message_used_is_in_the_catalogue():
    assert _message_calls() - set(MESSAGES["en"]) == set()


def test_every_message_in_the_catalogue_is_used():
    strings = set().union(*_source_strings().values()) | _message_calls()
    unused = {k for k in MESSAGES["en"] if k not in strings}
    assert unused == set()


def test_the_help_catalogue_holds_exactly_what_the_declarations_name():
    named = {"cytrack", "install_completion", "show_completion", *spec.GROUPS}
    for command in spec.COMMANDS.values():
        named.add(command.key)
        named.update(command.help_key(o) for o in command.declared())
        named.update(f"{command.key} {a.dest}" for a in command.args)
    named.update(o.help for o in [*spec.GLOBAL.values(), spec.VERSION] if o.help)
    assert set(HELP["en"]) == named


def test_option_strings_are_declared_in_one_file_only():
    """An option name as a whole string (``"--status"``) appears in ``cli/spec.py`` and nowhere else."""
    names = spec.option_names() - {"-h", "--help"}
    elsewhere = {
        module: strings & names for module, strings in _source_strings().items() if module != "cli/spec.py"
    }
    assert {m: s for m, s in elsewhere.items() if s} == {}


def test_the_shipped_mo_is_the_compilation_of_the_po():
    po = po_path("zh")
    assert po.with_suffix(".mo").read_bytes() == compile_po(po.read_text(encoding="utf-8"))


def test_the_po_translates_words_click_and_typer_really_use():
    import click
    import typer

    files = [p for pkg in (click, typer) for p in Path(pkg.__file__).parent.glob("*.py")]
    sources = "".join(p.read_text(encoding="utf-8") for p in files)
    for msgid in read_po(po_path("zh").read_text(encoding="utf-8")):
        if msgid:
            first = msgid.split("\0")[0]
            assert repr(first)[1:-1] in sources or first in sources, first


def test_gettext_finds_the_chinese_words_whatever_the_locale(monkeypatch):
    import gettext

    for user in ("en_US.UTF-8", "C", "de_DE", ""):
        monkeypatch.setenv("LANG", user)
        monkeypatch.setenv("LANGUAGE", user)
        with catalogue.speaking("zh"):
            assert gettext.gettext("Usage:") == "用法："
        with catalogue.speaking("en"):
            assert gettext.gettext("Usage:") == "Usage:"
        assert gettext.gettext("Usage:") == "Usage:"  # and put back afterwards


def test_the_language_is_the_flag_then_the_environment_then_chinese(monkeypatch):
    monkeypatch.delenv("CYTRACK_LANG", raising=False)
    assert choose(None) == "zh"
    monkeypatch.setenv("CYTRACK_LANG", "en")
    assert choose(None) == "en"
    assert choose("zh") == "zh"
    monkeypatch.setenv("CYTRACK_LANG", "fr")
    assert choose(None) == "zh"


def test_the_wheel_ships_the_catalogue():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'packages = ["src/cytrack"]' in text  # hatch ships every file under the package, .mo included
    assert po_path("zh").with_suffix(".mo").is_file()


# --- Help ------------------------------------------------------------------------------------

HELP_LINES = [(), ("report",)] + [c.path for c in spec.COMMANDS.values()]


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", HELP_LINES, ids=lambda p: " ".join(p) or "cytrack")
def test_help_fits_80_columns_in_both_languages(path, lang):
    code, out, err = main("--lang", lang, *path, "--help")
    assert code == 0, err
    assert out.strip()
    for line in out.splitlines():
        assert cells(line) <= 80, line
    assert "{" not in out.splitlines()[0]  # usage line: metavars like ID, never {ID}
    for name in spec.option_names():
        for line in out.splitlines():
            stripped = line.strip()
            # an option name is never cut at the end of a line (e.g. "--due-" / "before")
            assert not (stripped.endswith(name[:-1]) and len(name) > 3 and not stripped.endswith(name)), line
    if lang == "zh":
        assert "用法：" in out and ("选项：" in out or path == ())
        assert not re.search(r"\b(Usage|Options|Show this message)\b", out)


def test_status_help_lists_the_chinese_names():
    code, out, _ = main("list", "--help")
    assert "未启动/推进中/受阻/已办结/已终止" in out
    assert "也可写" in out
    code, out, _ = main("update", "--help")
    assert "未启动/推进中/受阻/已办结/已终止" in out and "均可" in out


def test_merge_driver_is_hidden_from_the_list_but_works(tmp_path):
    code, out, _ = main("--help")
    assert code == 0 and not re.search(r"^\s+merge-driver\s", out, re.M)
    ours = tmp_path / "ours.toml"
    shutil.copyfile(SHIPPED, ours)
    code, out, err = main("merge-driver", str(SHIPPED), str(ours), str(SHIPPED), "data/commitments.toml")
    assert (code, err) == (0, "")
    assert ours.read_bytes() == SHIPPED.read_bytes()


# --- Errors in both languages ----------------------------------------------------------------

BROKEN = {
    "quote": 'schema = 1\n\n[source]\nproposal = “1181”\n',
    "equals": "schema ＝ 1\n",
    "colon": "schema： 1\n",
    "comma": 'schema = 1\n\n[source]\nproposal = "1181"\nco_units = ["市教委"，"市科技局"]\n',
    "unclosed": 'schema = 1\n\n[source]\nproposal = "1181\n',
    "bracket": 'schema = 1\n\n[source\nproposal = "1181"\n',
    "repeated": 'schema = 1\n\n[source]\nproposal = "1181"\nproposal = "1182"\n',
}
SLIP_WORDS = {
    "quote": ("中文（全角）引号", 'proposal = "1181"'),
    "equals": ("全角等号", "schema = 1"),
    "colon": ("全角冒号", "schema = 1"),
    "comma": ("全角逗号", '["市教委", "市科技局"]'),
    "unclosed": ("缺少结尾的引号", 'proposal = "1181"'),
    "bracket": ("缺少结尾的 ]", "[source]"),
    "repeated": ("写了两次", "第4行"),
}


def _ledger_with(tmp_path: Path, body: str | bytes, name: str = "commitments.toml") -> Path:
    path = tmp_path / name
    path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    return path


@pytest.mark.parametrize("slip", sorted(BROKEN))
def test_a_toml_slip_is_named_with_where_and_what_to_type(slip, tmp_path):
    ledger = _ledger_with(tmp_path, BROKEN[slip])
    code, out, err = main("--ledger", str(ledger), "validate")
    assert code == 3 or code == 1, err
    lines = err.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(str(ledger)))
    where = re.match(rf"{re.escape(str(ledger))}:(\d+):(\d+): ", lines[first])
    assert where, lines[first]
    words, fix = SLIP_WORDS[slip]
    assert words in lines[first] and fix in lines[first], lines[first]
    quoted, caret = lines[first + 1], lines[first + 2]
    text = BROKEN[slip].split("\n")[int(where.group(1)) - 1]
    assert quoted == "    " + text
    column = int(where.group(2))
    assert caret == "    " + " " * cells(text[: column - 1]) + "^"


def test_a_quoted_date_and_a_chinese_status_say_what_to_write(tmp_path):
    body = SHIPPED.read_text(encoding="utf-8").replace('\nstatus = "not_started"', '\nstatus = "推进中"', 1)
    body = body.replace("\ndue = 2025-12-31", '\ndue = "2025-12-31"', 1)
    ledger = _ledger_with(tmp_path, body)
    code, _, err = main("--ledger", str(ledger), "validate")
    assert code == 1
    assert "请把“推进中”改成 \"in_progress\"" in err
    assert "请去掉引号，写成 due = 2025-12-31" in err
    code, _, err = main("--lang", "en", "--ledger", str(ledger), "validate")
    assert 'use "in_progress", not \'推进中\'' in err


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("gbk", "GBK/GB18030"), ("gb18030", "GBK/GB18030"), ("utf-16", "UTF-16"), ("utf-16-le", "UTF-16")],
)
def test_a_file_in_another_encoding_is_named_with_how_to_resave_it(encoding, named, tmp_path):
    ledger = _ledger_with(tmp_path, SHIPPED.read_text(encoding="utf-8").encode(encoding))
    code, _, err = main("--ledger", str(ledger), "list")
    assert code == 3
    assert named in err and "记事本" in err and "另存为" in err and "WPS" in err and "iconv" in err
    code, _, err = main("--lang", "en", "--ledger", str(ledger), "list")
    assert named in err and "Notepad" in err and "iconv" in err


# Every mistake: (arguments, exit code); {ledger} is a fresh copy of the shipped ledger.
MISTAKES = [
    (["lsit"], 2),
    (["list", "--colour"], 2),
    (["list", "--stauts", "done"], 2),
    (["show"], 2),
    (["show", "1-1", "2-2"], 2),
    (["list", "--format", "JSON"], 2),
    (["list", "--section", "x"], 2),
    (["list", "--section", "0"], 2),
    (["list", "--status"], 2),
    (["--lang", "fr", "list"], 2),
    (["report"], 2),
    (["report", "monthly"], 2),
    (["show", "9-9"], 2),
    (["show", "2-33"], 2),
    (["list", "--due-before", "明年"], 2),
    (["list", "--due-after", "03/04/2026"], 2),
    (["list", "--due-after", "2026-02-30"], 2),
    (["list", "--sort", "title"], 2),
    (["list", "--status", "完成"], 2),
    (["report", "weekly", "--week", "2026-W60"], 2),
    (["report", "weekly", "--week", "明年"], 2),
    (["report", "weekly", "--week", "2026-W47", "--as-of", "2026-11-29"], 2),
    (["update", "1-1"], 2),
    (["update", "1-1", "--note", " "], 2),
    (["update", "1-1", "--note", "x", "--percent", "120"], 2),
    (["update", "1-1", "--note", "x", "--status", "完成"], 2),
    (["update", "1-1", "--note", "x", "--status", "done"], 2),
    (["update", "9-9", "--note", "x"], 2),
    (["update", "1-1", "--note", "x", "--by", "a\nb"], 2),
    (["extend", "1-2", "--reason", "x"], 2),
    (["extend", "1-2", "--to", "2020-01-01", "--reason", "x"], 2),
    (["extend", "1-2", "--to", "2027-01-01"], 2),
    (["add", "--title", "x", "--lead", "y"], 2),
    (["add", "--section", "2", "--title", "x", "--lead", "y", "--review", "daily"], 2),
    (["add", "--section", "2", "--title", "x", "--lead", "y", "--due-basis", "source"], 2),
    (["add", "--section", "2", "--title", "x", "--lead", "y", "--id", "1-1"], 2),
    (["export", "--format", "csv", "--output", "x.json"], 2),
    (["export", "--output", "x.txt"], 2),
    (["init", "{ledger}"], 2),
    (["stale", "--days", "-1"], 2),
    (["reply", "add"], 2),
    (["list", "--reply", "nope"], 2),
    (["reply", "list", "--kind", "x"], 2),
    (["list", "--light", "green"], 2),
    (["import", "missing.xlsx"], 2),
    (["export", "--form"], 2),
]

ALLOWED = re.compile(
    r"""(?x)
    (?:\S*[/\\]\S*) | \S+\.(?:toml|txt|json|csv|xlsx|md)\b   # paths and file names
    | --?[\w-]+                    # option names
    | `[^`]*`                      # commands in backquotes
    | '[^']*' | "[^"]*" | “[^”]*”  # quoted values
    | \$?[A-Z][A-Z_0-9]+           # environment variables, metavars (ID, DATE), TOML, UTF-8
    | \b(?:list|show|validate|update|extend|add|overdue|stale|summary|report|export|import|init|reply|merge-driver)\b
    | \b(?:cytrack|git|iconv|not_started|in_progress|blocked|done|dropped|today|yesterday|tomorrow)\b
    | \b(?:source|assumed|weekly|monthly|quarterly|half-yearly|yearly|id|due|sort|status|owner|percent|updated)\b
    | \b(?:csv|json|xlsx|table|text|markdown|zh|en|x)\b
    | \b(?:schema|sections|commitments|progress|extensions|title|quote|lead|lead_basis|co_owners|due_basis)\b
    | \b(?:review|tags|date|note|by|evidence|new_due|reason|approved_by|proposal|replied|category|feedback)\b
    | \b\d[\w.:-]*                 # numbers, dates, ids like 1-1, 2026-W60
    """
)


def english_prose(text: str) -> list[str]:
    """Words of English left after ids, paths, option names, quotes and keys are taken out."""
    rest = ALLOWED.sub(" ", text)
    return re.findall(r"[A-Za-z]{3,}", rest)


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "commitments.toml"
    shutil.copyfile(SHIPPED, path)
    return path


@pytest.mark.parametrize(("args", "code"), MISTAKES, ids=[" ".join(a) for a, _ in MISTAKES])
def test_every_mistake_is_told_in_chinese_without_english_prose(args, code, ledger):
    args = [a.replace("{ledger}", str(ledger)) for a in args]
    before = ledger.read_bytes()
    got, out, err = main("--ledger", str(ledger), *args)
    assert got == code, err
    assert "Traceback" not in err
    assert re.search(r"[\u4e00-\u9fff]", err), err
    assert english_prose(err) == [], err
    assert ledger.read_bytes() == before


@pytest.mark.parametrize(("args", "code"), MISTAKES, ids=[" ".join(a) for a, _ in MISTAKES])
def test_every_mistake_is_told_in_english_with_lang_en(args, code, ledger):
    args = [a.replace("{ledger}", str(ledger)) for a in args]
    for how in (["--lang", "en"], []):
        env = {"CYTRACK_LANG": "en"} if not how else None
        got, out, err = main(*how, "--ledger", str(ledger), *args, env=env)
        assert got == code, err
        assert "Traceback" not in err
        assert len(english_prose(err)) >= 2, err
        assert not re.search("[。；请您]", err), err  # no Chinese sentence


def test_the_lang_flag_beats_the_environment(ledger):
    _, _, err = main("--ledger", str(ledger), "show", "9-9", "--lang", "zh", env={"CYTRACK_LANG": "en"})
    assert "没有编号" in err
    _, _, err = main("--ledger", str(ledger), "show", "9-9", env={"CYTRACK_LANG": "en"})
    assert "no commitment" in err


@pytest.mark.parametrize("bad", ["no-schema", "percent", "empty", "folder", "markers"])
def test_ledger_problems_are_told_in_chinese(bad, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = SHIPPED.read_text(encoding="utf-8")
    if bad == "folder":
        path = tmp_path / "folder.toml"
        path.mkdir()
    else:
        body = {
            "no-schema": text.replace("schema = 1", "", 1),
            "percent": text.replace("\npercent = 0", "\npercent = 150", 1),
            "empty": "",
            "markers": text.replace("title = ", "<<<<<<< ours\ntitle = ", 1),
        }[bad]
        path = _ledger_with(tmp_path, body)
    for command in (["list"], ["validate"]):
        code, out, err = main("--ledger", str(path), *command)
        assert code in (1, 3), err
        assert re.search(r"[\u4e00-\u9fff]", err), err
        assert english_prose(err) == [], err


def test_validate_and_the_bundled_notice_speak_chinese(ledger, tmp_path, monkeypatch):
    code, out, err = main("--ledger", str(ledger), "validate")
    assert (code, err) == (0, "")
    assert out == f"{ledger}：检查通过，共31项承诺事项。\n"
    code, out, err = main("--lang", "en", "--ledger", str(ledger), "validate")
    assert out == f"{ledger}: OK, 31 commitments.\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    code, out, err = main("list", "--format", "json")
    assert code == 0 and "附带的台账副本" in err and english_prose(err) == []
    code, out, err = main("update", "1-1", "--note", "x")
    assert code == 3 and "只读副本" in err and english_prose(err) == []


# --- Click's own punctuation and placeholders (cli/clickwords.py) ----------------------------

USAGE_ERRORS = {
    ("show",): (
        "用法： cytrack show [选项] 编号\n输入“cytrack show --help”查看帮助。\n\n错误：缺少参数“编号”。\n",
        "Usage: cytrack show [OPTIONS] ID\nTry 'cytrack show --help' for help.\n\nError: Missing argument 'ID'.\n",
    ),
    ("list", "--format", "xx"): (
        "用法： cytrack list [选项]\n输入“cytrack list --help”查看帮助。\n\n"
        "错误：“--format” / “-f”的值无效：“xx”不是可选的值，可选：“table”、“json”、“csv”。\n",
        "Usage: cytrack list [OPTIONS]\nTry 'cytrack list --help' for help.\n\n"
        "Error: Invalid value for '--format' / '-f': 'xx' is not one of 'table', 'json', 'csv'.\n",
    ),
    ("list", "--section", "abc"): (
        "用法： cytrack list [选项]\n输入“cytrack list --help”查看帮助。\n\n错误：“--section”的值无效：“abc”不是有效的整数。\n",
        "Usage: cytrack list [OPTIONS]\nTry 'cytrack list --help' for help.\n\n"
        "Error: Invalid value for '--section': 'abc' is not a valid integer.\n",
    ),
    ("list", "--sectio", "3"): (
        "用法： cytrack list [选项]\n输入“cytrack list --help”查看帮助。\n\n"
        "错误：没有选项“--sectio”。您是要输入“--search”或“--section”吗？\n",
        "Usage: cytrack list [OPTIONS]\nTry 'cytrack list --help' for help.\n\n"
        "Error: No such option '--sectio'. (Did you mean one of: '--search', '--section'?)\n",
    ),
    ("lst",): (
        "用法： cytrack [选项] 命令 [参数]...\n输入“cytrack --help”查看帮助。\n\n错误：没有命令“lst”。您是要输入“list”吗？\n",
        "Usage: cytrack [OPTIONS] COMMAND [ARGS]...\nTry 'cytrack --help' for help.\n\n"
        "Error: No such command 'lst'. Did you mean 'list'?\n",
    ),
    ("report", "nosuch"): (
        "用法： cytrack report [选项] 命令 [参数]...\n输入“cytrack report --help”查看帮助。\n\n错误：没有命令“nosuch”。\n",
        "Usage: cytrack report [OPTIONS] COMMAND [ARGS]...\nTry 'cytrack report --help' for help.\n\n"
        "Error: No such command 'nosuch'.\n",
    ),
    ("show", "1-1", "extra"): (
        "用法： cytrack show [选项] 编号\n输入“cytrack show --help”查看帮助。\n\n错误：多出了参数（extra）。\n",
        "Usage: cytrack show [OPTIONS] ID\nTry 'cytrack show --help' for help.\n\nError: Got unexpected extra argument (extra)\n",
    ),
    ("list", "--format"): ("错误：选项“--format”后面要跟一个值。\n", "Error: Option '--format' requires an argument.\n"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("line", sorted(USAGE_ERRORS), ids=" ".join)
def test_usage_errors_are_worded_and_punctuated_in_the_language(line, lang):
    code, out, err = main(*(["--lang", "en"] if lang == "en" else []), *line)
    assert (code, out) == (2, "")
    assert err == USAGE_ERRORS[line][lang == "en"]


@pytest.mark.parametrize(
    ("path", "zh", "en"),
    [
        ((), "用法： cytrack [选项] 命令 [参数]...", "Usage: cytrack [OPTIONS] COMMAND [ARGS]..."),
        (("reply",), "用法： cytrack reply [选项] 命令 [参数]...", "Usage: cytrack reply [OPTIONS] COMMAND [ARGS]..."),
        (("list",), "用法： cytrack list [选项]", "Usage: cytrack list [OPTIONS]"),
        (("merge-driver",), "用法： cytrack merge-driver [选项] 共同版本 本方版本 对方版本 [路径]",
         "Usage: cytrack merge-driver [OPTIONS] ANCESTOR OURS THEIRS [PATH]"),
    ],
)
def test_the_usage_line_says_options_and_command_in_the_language(path, zh, en):
    assert main(*path, "--help")[1].splitlines()[0] == zh
    assert main("--lang", "en", *path, "--help")[1].splitlines()[0] == en
    assert main(*path, "--help", env={"CYTRACK_LANG": "en"})[1].splitlines()[0] == en


def test_the_language_of_click_words_does_not_stick_between_runs():
    assert main("show")[2].endswith("错误：缺少参数“编号”。\n")
    assert main("--lang", "en", "show")[2].endswith("Error: Missing argument 'ID'.\n")
    assert main("show")[2].endswith("错误：缺少参数“编号”。\n")
