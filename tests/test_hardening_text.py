"""Hostile text in every text field and in command-line arguments stays inert.

Text pasted from web pages and chat can hold Rich markup, terminal escape sequences (CSI,
OSC 0/8/52, DCS), C1 controls, CR, backspace and bidi overrides.  Whatever the command and
format, the output holds no control sequence except the SGR colour codes cytrack emits
itself (colour is forced on here, as on a terminal), markup shows literally, JSON gives the
text back exactly, spreadsheet cells never start a formula, and nothing crashes.
"""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from hardening import (
    DOCUMENTED_EXITS,
    SGR,
    add_to_commitment,
    command_paths,
    leaks,
    options_of,
    realistic_ledger,
    run,
    toml_list,
    toml_str,
)

AS_OF = "2026-11-25"
COLOUR = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "120"}

PAYLOADS = {
    "markup": "[bold]粗体[/bold] [red]红[/red]",
    "link markup": "[link=https://evil.example]点击[/link]",
    "unbalanced tag": "结束[/x] [/] [bold",
    "many brackets": "[[[[[[[[[[[[嵌套]]]]]]]]]]]] {{{{{{{{{{",
    "CSI colour": "\x1b[31m红字\x1b[0m",
    "CSI clear screen": "\x1b[2J\x1b[H清屏",
    "OSC 0 title, BEL": "\x1b]0;被改的窗口标题\x07",
    "OSC 0 title, ST": "\x1b]0;被改的窗口标题\x1b\\",
    "OSC 8 hyperlink": "\x1b]8;;https://evil.example\x1b\\链接\x1b]8;;\x1b\\",
    "OSC 52 clipboard": "\x1b]52;c;cm0gLXJmIH4K\x07",
    "DCS": "\x1bP1$r0m\x1b\\",
    "C1 NEL": "下一行\x85注入",
    "C1 CSI": "\x9b31m红\x9b0m",
    "C1 OSC and ST": "\x9d0;标题\x9c",
    "CR overwrite": "正常内容\r伪造内容",
    "backspace": "删除\b\b\b替换",
    "bidi override": "文件\u202etxt.exe",
    "bidi isolates": "\u2066\u2067\u2068隔离\u2069",
    "BEL and DEL": "响铃\x07\x7f",
    "NUL escape": "空\x00字符",
    "formula =": '=HYPERLINK("https://evil.example","点我")',
    "formula +": "+1+cmd|' /C calc'!A0",
    "formula -": "-2+3",
    "formula @": "@SUM(1,2)",
    "formula after tab": "\t=1+1",
    "all at once": "[bold]\x1b[31m\x1b]8;;https://e\x07\x85\u202e\r\b=1",
}
MARKUP = {"markup": "[bold]粗体[/bold]", "link markup": "[link=https://evil.example]", "unbalanced tag": "[/x]"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def one_line(text: str) -> str:
    """Ids and titles must be single lines (a schema rule), so they get the payload without CR and LF."""
    return text.replace("\r", "").replace("\n", "")


def hostile_ledger(payload: str) -> str:
    """The realistic ledger with ``payload`` in every text field cytrack shows, in two extra commitments:
    H1 is overdue with progress this week; H2 is due soon and stale."""
    p, flat = toml_str(payload), toml_str(one_line(payload))
    text = realistic_ledger()
    for key in ("title", "proposer", "lead_unit", "signed_by"):
        text = text.replace(f"\n{key} = ", f"\n{key} = {p}\n# was: {key} = ", 1)
    text = text.replace("\nco_units = ", f"\nco_units = {toml_list([payload, '市科技局'])}\n# was: co_units = ", 1)
    text = text.replace('\n"2" = ', f'\n"2" = {p}\n# was: "2" = ', 1)
    text = add_to_commitment(
        text,
        "2-1",
        f"  [[commitments.progress]]\n  date = 2026-11-23\n  note = {p}\n  by = {p}\n  evidence = {p}\n",
    )
    common = f"""section = 2
title = {flat}
quote = {p}
lead = {p}
co_owners = {toml_list([payload, "市科技局"])}
tags = {toml_list([payload])}
"""
    return text + f"""
[[commitments]]
id = {toml_str("H1" + one_line(payload))}
{common}status = "in_progress"
percent = 40
due = 2026-06-30
due_basis = "assumed"
review = "monthly"

  [[commitments.progress]]
  date = 2026-11-24
  status = "in_progress"
  percent = 40
  note = {p}
  by = {p}
  evidence = {p}

  [[commitments.extensions]]
  date = 2026-06-01
  new_due = 2026-09-30
  reason = {p}
  approved_by = {p}

[[commitments]]
id = {toml_str("H2" + one_line(payload))}
{common}status = "blocked"
due = 2026-11-28
review = "weekly"

  [[commitments.progress]]
  date = 2026-10-01
  note = {p}
  by = {p}
"""


def runs(h1: str) -> list[tuple[str, list[str]]]:
    """Every read command and format, as (command, arguments)."""
    wanted = [
        ("list", []),
        ("list", ["--format", "json"]),
        ("list", ["--format", "csv"]),
        ("list", ["--sort", "owner", "--lang", "en"]),
        ("show", [h1]),
        ("show", [h1, "--format", "json"]),
        ("show", [h1, "--lang", "en"]),
        ("validate", []),
        ("overdue", []),
        ("overdue", ["--format", "json"]),
        ("overdue", ["--format", "text"]),
        ("stale", []),
        ("stale", ["--format", "json"]),
        ("stale", ["--format", "text"]),
        ("summary", []),
        ("summary", ["--format", "json"]),
        ("report weekly", []),
        ("report weekly", ["--format", "markdown"]),
        ("report weekly", ["--format", "json"]),
        ("report weekly", ["--lang", "en"]),
        ("export", ["--format", "csv"]),
        ("export", ["--format", "json"]),
    ]
    missing = {cmd for cmd, _ in wanted} - command_paths()
    assert not missing, f"not commands: {sorted(missing)}"
    return wanted


READ_RUNS = [f"{cmd} {' '.join(args)}".strip() for cmd, args in runs("H1")]


def invoke(path, command: str, args: list[str], env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    dated = ["--as-of", AS_OF] if "--as-of" in options_of(command) else []
    return run("--ledger", path, *command.split(), *args, *dated, env=env or COLOUR)


SUMMARY_FORMULA = re.compile(
    r"=(?:COUNTIFS|SUM)\((?:'台账'!\$[A-Z]+\$\d+:\$[A-Z]+\$\d+|\$A\d+|[A-Z]+\d+:[A-Z]+\d+|\"[^\"]*\"|,)+\)"
)
SUMMARY_WORDS = {">0", "红", "黄", "蓝", "未启动", "推进中", "受阻", "已办结", "已终止"}
TEXT_FORMULA = re.compile(r'="(?:[^"]|"")*"')


def cells(text: str) -> list[str]:
    return [c for r in csv.reader(io.StringIO(text.removeprefix("\ufeff"))) for c in r]


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory) -> dict[str, object]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for i, (name, payload) in enumerate(PAYLOADS.items()):
        path = folder / f"ledger-{i}.toml"
        path.write_text(hostile_ledger(payload), encoding="utf-8")
        paths[name] = path
    return paths


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_hostile_ledger_is_valid(ledgers, name):
    result = run("--ledger", ledgers[name], "validate")
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr


@pytest.mark.parametrize("which", range(len(READ_RUNS)), ids=READ_RUNS)
@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_hostile_text_stays_inert(ledgers, name, which):
    payload = PAYLOADS[name]
    path = ledgers[name]
    raw = path.read_bytes()
    h1 = "H1" + one_line(payload)
    command, args = runs(h1)[which]
    result = invoke(path, command, args)
    assert result.exit_code == 0, result.stderr
    is_csv = "csv" in args
    assert leaks(result.stdout, colour=True, csv_rows=is_csv) == []
    assert leaks(result.stderr) == []
    assert "Traceback" not in result.stderr
    if "json" in args:
        data = json.loads(result.stdout)
        text = json.dumps(data, ensure_ascii=False)
        forms = {json.dumps(v, ensure_ascii=False)[1:-1] for v in (payload, one_line(payload))}
        assert any(form in text for form in forms), "JSON lost or changed the text"
    elif is_csv:
        for cell in cells(result.stdout):
            # An id is written as the string literal ="…" (quotes doubled) so spreadsheets keep it
            # text; that formula yields the text and runs nothing.
            assert not cell.startswith(FORMULA_START) or TEXT_FORMULA.fullmatch(cell), cell
    elif name in MARKUP and command in ("list", "show"):
        assert MARKUP[name] in SGR.sub("", result.stdout)
    if command in ("list", "show") and "json" not in args:
        assert "H1" in SGR.sub("", result.stdout)
    assert path.read_bytes() == raw


def test_colour_is_really_on_in_these_tests(ledgers):
    """Without colour the SGR allowance above would prove nothing."""
    result = invoke(ledgers["markup"], "list", [])
    assert SGR.search(result.stdout)
    plain = invoke(ledgers["markup"], "list", [], env={"NO_COLOR": "1"})
    assert "\x1b" not in plain.stdout


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_json_gives_every_field_back_exactly(ledgers, name):
    payload = PAYLOADS[name]
    result = run("--ledger", ledgers[name], "show", "H1" + one_line(payload), "--format", "json", "--as-of", AS_OF)
    data = json.loads(result.stdout)
    assert data["title"] == one_line(payload)
    assert (data["quote"], data["lead"], data["co_owners"][0], data["tags"]) == (payload, payload, payload, [payload])
    (entry,) = data["progress"]
    assert (entry["note"], entry["by"], entry["evidence"]) == (payload, payload, payload)
    (ext,) = data["extensions"]
    assert (ext["reason"], ext["approved_by"]) == (payload, payload)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_xlsx_export_has_no_formulas_and_no_raw_controls(ledgers, name, tmp_path):
    assert "export" in command_paths(), "export"
    target = tmp_path / "台账.xlsx"
    result = run("--lang", "zh", "--ledger", ledgers[name], "export", "--output", target, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert leaks(result.stderr) == []
    book = openpyxl.load_workbook(target)
    seen = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                if c.data_type == "f":  # only the 汇总's own counts, over cell ranges and fixed words
                    assert sheet.title == "汇总" and SUMMARY_FORMULA.fullmatch(c.value), (sheet.title, c.coordinate)
                    assert set(re.findall(r'"([^"]*)"', c.value)) <= SUMMARY_WORDS, c.value
                    continue
                if isinstance(c.value, str):
                    seen += 1
                    assert not c.value.startswith(FORMULA_START), (sheet.title, c.coordinate, c.value)
                    assert leaks(c.value.replace("\n", " ")) == [], (sheet.title, c.coordinate)
    assert seen > 100


# ---- hostile command-line arguments ----------------------------------------------------------------

ARG_PAYLOADS = {k: v for k, v in PAYLOADS.items() if "\x00" not in v}  # argv cannot hold NUL

# (command, arguments with {} for the payload, expected exit)
ARG_RUNS = [
    ("show", ["{}"], 2),
    ("show", ["{}", "--format", "json"], 2),
    ("list", ["--search", "{}"], 0),
    ("list", ["--search", "{}", "--format", "json"], 0),
    ("list", ["--owner", "{}"], 0),
    ("list", ["--tag", "{}"], 0),
    ("list", ["--status", "{}"], 2),
    ("list", ["--sort", "{}"], 2),
    ("list", ["--format", "{}"], 2),
    ("list", ["--as-of", "{}"], 2),
    ("list", ["--lang", "{}"], 2),
    ("list", ["--{}"], 2),
    ("{}", [], 2),
    ("overdue", ["--owner", "{}"], 0),
    ("stale", ["--days", "{}"], 2),
    ("report weekly", ["--week", "{}"], 2),
    ("update", ["{}", "--note", "进展"], 2),
    ("update", ["2-1", "--note", "进展", "--status", "{}"], 2),
    ("extend", ["{}", "--to", "2026-12-31", "--reason", "原因"], 2),
]
ARG_IDS = [f"{cmd} {' '.join(args)}".replace("{}", "X") for cmd, args, _ in ARG_RUNS]


@pytest.mark.parametrize("which", range(len(ARG_RUNS)), ids=ARG_IDS)
@pytest.mark.parametrize("name", sorted(ARG_PAYLOADS))
def test_hostile_arguments_stay_inert(tmp_path, name, which):
    command, args, code = ARG_RUNS[which]
    assert command == "{}" or command in command_paths(), command
    payload = ARG_PAYLOADS[name]
    path = tmp_path / "commitments.toml"
    path.write_text(realistic_ledger(), encoding="utf-8")
    raw = path.read_bytes()
    words = [w.replace("{}", payload) for w in command.split()] if command != "{}" else [payload]
    result = run("--ledger", path, *words, *(a.replace("{}", payload) for a in args), env=COLOUR)
    assert result.exit_code == code, result.stderr
    assert leaks(result.stdout, colour=True) == []
    assert leaks(result.stderr) == []
    assert "Traceback" not in result.stderr
    if code == 2:
        assert result.stdout == ""
    assert path.read_bytes() == raw


@pytest.mark.parametrize("name", sorted(ARG_PAYLOADS))
def test_hostile_ledger_path(tmp_path, name):
    payload = ARG_PAYLOADS[name]
    missing = tmp_path / one_line(payload).replace("/", "∕")
    result = run("--ledger", missing, "list", env=COLOUR)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert leaks(result.stderr) == []
    assert result.stderr.count("\n") == 1


# ---- hostile text written through the write commands ------------------------------------------------

WRITE_RUNS = [
    ("update", ["2-1", "--note", "{}", "--by", "{}", "--evidence", "{}", "--date", "2026-11-24"]),
    ("extend", ["2-1", "--to", "2026-12-31", "--reason", "{}", "--by", "{}", "--date", "2026-11-24"]),
    ("add", ["--section", "2", "--title", "{}", "--quote", "{}", "--lead", "{}", "--co-owner", "{}", "--tag", "{}"]),
]


@pytest.mark.parametrize("which", range(len(WRITE_RUNS)), ids=[w[0] for w in WRITE_RUNS])
@pytest.mark.parametrize("name", sorted(ARG_PAYLOADS))
def test_hostile_text_through_write_commands(tmp_path, name, which):
    """A write either refuses control characters (exit 2, nothing written) or stores the text; then every
    read command still shows it inert."""
    command, args = WRITE_RUNS[which]
    assert command in command_paths(), command
    payload = ARG_PAYLOADS[name]
    path = tmp_path / "commitments.toml"
    path.write_text(realistic_ledger(), encoding="utf-8")
    raw = path.read_bytes()
    value = one_line(payload) if command == "add" else payload
    result = run("--ledger", path, command, *(a.replace("{}", value) for a in args), env=COLOUR)
    assert result.exit_code in (0, 2), result.stderr
    assert leaks(result.stdout, colour=True) == [] and leaks(result.stderr) == []
    if result.exit_code == 2:
        assert path.read_bytes() == raw
        return
    assert run("--ledger", path, "validate").exit_code == 0
    for cmd, more in (("show", ["2-1"]), ("list", []), ("report weekly", []), ("export", ["--format", "csv"])):
        shown = invoke(path, cmd, more)
        assert shown.exit_code == 0, shown.stderr
        assert leaks(shown.stdout, colour=True, csv_rows="csv" in more) == []
        if "csv" in more:
            assert not any(
                c.startswith(FORMULA_START) and not TEXT_FORMULA.fullmatch(c) for c in cells(shown.stdout)
            )


# ---- a 1 MB line ------------------------------------------------------------------------------------

MEGA = ("长文本[bold]\x1b[31m\u202e=1 " * 70_000)[:1_000_000]


@pytest.fixture(scope="module")
def mega_ledger(tmp_path_factory):  # type: ignore[no-untyped-def]
    text = add_to_commitment(
        realistic_ledger(),
        "2-1",
        f"  [[commitments.progress]]\n  date = 2026-11-23\n  note = {toml_str(MEGA)}\n  evidence = {toml_str(MEGA)}\n",
    )
    text = text.replace('title = "川渝汽车产业链供应链协同"', f"title = {toml_str(MEGA)}", 1)
    path = tmp_path_factory.mktemp("mega") / "commitments.toml"
    path.write_text(text, encoding="utf-8")
    return path


MEGA_RUNS = [
    ("list", ["--format", "json"]),
    ("list", ["--search", "长文本", "--format", "csv"]),
    ("show", ["2-1", "--format", "json"]),
    ("show", ["2-2", "--format", "json"]),
    ("report weekly", ["--format", "text"]),
    ("export", ["--format", "csv"]),
]


@pytest.mark.parametrize("which", range(len(MEGA_RUNS)), ids=[f"{c} {' '.join(a)}" for c, a in MEGA_RUNS])
def test_a_one_megabyte_line(mega_ledger, which):
    command, args = MEGA_RUNS[which]
    assert command in command_paths(), command
    result = invoke(mega_ledger, command, args)
    assert result.exit_code == 0, result.stderr[:500]
    assert len(result.stdout) > 1_000_000
    assert leaks(result.stdout, colour=True, csv_rows="csv" in args) == []


def test_a_one_megabyte_argument(tmp_path):
    path = tmp_path / "commitments.toml"
    path.write_text(realistic_ledger(), encoding="utf-8")
    for args, code in ((["show", MEGA], 2), (["list", "--search", MEGA], 0), (["list", "--as-of", MEGA], 2)):
        result = run("--ledger", path, *args)
        assert result.exit_code == code
        assert result.exit_code in DOCUMENTED_EXITS
        assert leaks(result.stderr) == []
        assert len(result.stderr) < 3000, "an error message echoed the whole megabyte"
