"""The quick path (``cytrack.cli.quick``) runs exactly what Typer would run, or leaves the line to Typer."""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess
import sys
from datetime import date

import pytest
import typer.main
from conftest import SHIPPED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cytrack.cli import quick
from cytrack.cli import app
from cytrack.commands import read

CLICK = typer.main.get_command(app)


def click_command(path: tuple[str, ...]):  # type: ignore[no-untyped-def]
    cmd = CLICK
    for name in path:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    return cmd


def declared(param) -> tuple:  # type: ignore[no-untyped-def]
    """What the quick path must know of one Typer/Click option: kind, choices, lower limit."""
    choices = getattr(param.type, "choices", None)
    if param.multiple:
        kind = quick.MANY
    elif getattr(param, "is_flag", False):
        kind = quick.FLAG
    elif type(param.type).__name__ in ("IntRange", "IntParamType"):
        kind = quick.INT
    else:
        kind = quick.STR
    return kind, tuple(choices) if choices else None, getattr(param.type, "min", None)


@pytest.mark.parametrize("path", sorted(quick.COMMANDS), ids=" ".join)
def test_the_table_agrees_with_the_typer_declarations(path):
    cmd, spec = click_command(path), quick.COMMANDS[path]
    arguments = [p for p in cmd.params if p.param_type_name == "argument"]
    options = [p for p in cmd.params if p.param_type_name == "option"]
    assert tuple(p.name for p in arguments) == spec.args
    assert all(p.required and p.nargs == 1 for p in arguments)
    mine = {(o.dest, tuple(sorted(o.names)), o.kind, o.choices, o.minimum) for o in set(spec.options.values())}
    theirs = {(p.name, tuple(sorted(p.opts)), *declared(p)) for p in options}
    assert mine == theirs
    assert all(not p.secondary_opts for p in options)
    # The body's defaults are what Typer passes for an option not given.
    body = inspect.signature(spec.body).parameters
    for p in cmd.params:
        default = p.default.value if hasattr(p.default, "value") else p.default
        if p.param_type_name == "option":
            assert body[p.name].default == default, p.name
    assert set(body) - {"s"} == {p.name for p in cmd.params}


def test_the_global_options_agree_with_the_typer_declarations():
    params = {p.name: p for p in CLICK.params}
    assert params["ledger"].opts == ["--ledger"]
    assert tuple(params["lang"].type.choices) == quick.GLOBAL["--lang"].choices


def test_every_command_of_the_quick_path_exists_and_nothing_else_is_claimed():
    for path in quick.COMMANDS:
        click_command(path)
    assert quick.parse(["export"]) is None
    assert quick.parse(["report"]) is None


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["list", "--help"],
        ["list", "-h"],
        ["--version"],
        ["lst"],
        ["list", "--colour"],
        ["list", "--format", "JSON"],
        ["list", "--format"],
        ["list", "--section", "0"],
        ["list", "--section", "+1"],
        ["list", "--section", "-1"],
        ["list", "--overdue=yes"],
        ["list", "--overdue", "--overdue"],
        ["list", "--sort", "id", "--sort", "due"],
        ["list", "-fjson"],
        ["list", "--", "x"],
        ["list", "-"],
        ["list", "extra"],
        ["--format", "json", "list"],
        ["--lang", "fr", "list"],
        ["--ledger", "a.toml", "--ledger", "b.toml", "list"],
        ["show"],
        ["show", "1-1", "2-2"],
        ["update", "1-1", "--note", "-x"],
        ["update", "1-1", "--percent", "-5"],
        ["report"],
        ["report", "monthly"],
        ["export", "--format", "csv"],
        ["init"],
    ],
)
def test_anything_unusual_is_left_to_typer(args):
    assert quick.parse(args) is None


def test_the_values_reach_the_body_as_typer_gives_them():
    parsed = quick.parse(
        ["list", "--lang", "en", "-s", "done", "--status=blocked", "--section", "07", "--overdue", "-f", "json",
         "--search=", "--ledger", "x.toml"]
    )
    assert parsed is not None
    assert parsed.command is quick.COMMANDS[("list",)]
    assert parsed.settings == {"lang": "en", "ledger_flag": "x.toml"}
    assert parsed.values == {"status": ["done", "blocked"], "section": 7, "overdue": True, "fmt": "json", "search": ""}
    parsed = quick.parse(["report", "--lang", "en", "weekly", "--week", "2026-W47"])
    assert parsed is not None and parsed.values == {"week": "2026-W47"}
    parsed = quick.parse(["update", "--note", "进展", "2-3"])
    assert parsed is not None and parsed.values == {"note": "进展", "cid": "2-3"}


def test_shell_completion_is_left_to_typer(monkeypatch):
    monkeypatch.setenv("_CYTRACK_COMPLETE", "bash_complete")
    assert quick.run(["list"]) is None


# --- Both ways, side by side -------------------------------------------------------------

VALUES = st.sampled_from(
    ["json", "table", "text", "csv", "markdown", "JSON", "1", "2", "07", "0", "", "x", "id", "due", "status",
     "percent", "owner", "updated", "市经济信息委", "市科技局", "人才", "2026-01-01", "2025-12-31", "+3m", "-1d",
     "2026-13-01", "2026-W47", "2026-W60", "1-1", "1-2", "2-3", "9-9", "done", "in_progress", "blocked",
     "monthly", "source", "assumed", "50", "101", "说明\n第二行", "\x1b[31m红\x1b[0m", "[bold]x[/bold]"]
)


OUTPUT = "@OUTPUT@"


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    path = draw(st.sampled_from(sorted(quick.COMMANDS)))
    spec = quick.COMMANDS[path]
    names = sorted(spec.options)
    tokens: list[list[str]] = []
    for name in draw(st.lists(st.sampled_from(names), max_size=5)) if names else []:
        opt = spec.options[name]
        value = OUTPUT if name == "--output" else draw(VALUES)  # files are written only where the test says
        if opt.kind == quick.FLAG:
            tokens.append([name])
        elif name.startswith("--") and draw(st.booleans()):
            tokens.append([f"{name}={value}"])
        else:
            tokens.append([name, value])
    tokens.extend([draw(st.sampled_from(["1-1", "1-2", "2-3", "9-9", "x"]))] for _ in spec.args)
    if draw(st.booleans()):
        tokens.append(["--lang", draw(st.sampled_from(["zh", "en"]))])
    order = draw(st.permutations(tokens))
    split = draw(st.integers(0, 1)) if path[0] == "report" else 0
    return [*path[: split + 1], *path[split + 1 :], *(t for group in order for t in group)]


def run_typer(args: list[str]) -> tuple[int, bytes, bytes]:
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr_bytes


def run_quick(args: list[str]) -> tuple[int, bytes, bytes]:
    with CliRunner().isolation() as (out, err, _):
        code = quick.run(args)
        sys.stdout.flush()
        sys.stderr.flush()
        seen = out.getvalue(), err.getvalue()
    assert code is not None
    return code, *seen


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=command_lines(), ledger_first=st.booleans())
def test_both_ways_give_the_same_output_exit_code_and_ledger(args, ledger_first, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a relative path in a generated line stays in here
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("CYTRACK_LOCK_TIMEOUT", "5")
    ledger = tmp_path / "commitments.toml"
    output = tmp_path / "周报.txt"
    args = [a.replace(OUTPUT, str(output)) for a in args]
    args = ["--ledger", str(ledger), *args] if ledger_first else [*args, "--ledger", str(ledger)]
    if quick.parse(args) is None:
        return  # Typer's alone; the table test says which lines those are
    seen = []
    for way in (run_typer, run_quick):
        shutil.copyfile(SHIPPED, ledger)
        output.unlink(missing_ok=True)
        seen.append((*way(args), ledger.read_bytes(), output.read_bytes() if output.exists() else None))
    assert seen[0] == seen[1]


@pytest.mark.parametrize("error", [KeyboardInterrupt, EOFError, BrokenPipeError, RuntimeError])
def test_an_interrupted_or_failing_body_ends_both_ways_alike(error, monkeypatch, tmp_path):
    def body(*args: object, **kwargs: object) -> int:
        raise error("boom")

    monkeypatch.setattr(read, "list_cmd", body)  # what the Typer command calls
    monkeypatch.setattr(quick.COMMANDS[("list",)], "body", body)
    args = ["--ledger", str(SHIPPED), "list", "--format", "json"]
    via_typer = CliRunner().invoke(app, args)
    assert run_quick(args) == (via_typer.exit_code, via_typer.stdout_bytes, via_typer.stderr_bytes)


def test_a_quick_command_does_not_import_typer():
    found = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cytrack", "--ledger", str(SHIPPED), "overdue", "--format", "json"],
        capture_output=True, text=True, encoding="utf-8", stdin=subprocess.DEVNULL, timeout=120,
    )
    assert found.returncode == 0, found.stderr
    modules = {m.group(1).split(".")[0] for m in re.finditer(r"^import time:.*\|\s*(\S+)$", found.stderr, re.M)}
    assert "cytrack" in modules
    assert "typer" not in modules


def test_a_line_the_quick_path_declines_still_runs_through_typer(tmp_path):
    ledger = tmp_path / "commitments.toml"
    shutil.copyfile(SHIPPED, ledger)
    done = subprocess.run(
        [sys.executable, "-m", "cytrack", "--ledger", str(ledger), "list", "--format", "JSON"],
        capture_output=True, text=True, encoding="utf-8", stdin=subprocess.DEVNULL, timeout=120,
    )
    assert done.returncode == 2
    assert "Invalid value for '--format' / '-f'" in done.stderr
    written = subprocess.run(
        [sys.executable, "-m", "cytrack", "--ledger", str(ledger), "update", "1-1", "--note", "-开头的说明"],
        capture_output=True, text=True, encoding="utf-8", stdin=subprocess.DEVNULL, timeout=120,
    )
    assert written.returncode == 0, written.stderr
    assert "note = \"-开头的说明\"" in ledger.read_text(encoding="utf-8")
    assert date.today().isoformat() in written.stdout
