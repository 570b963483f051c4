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

from cytrack.cli import app, quick, spec
from cytrack.commands import read

CLICK = typer.main.get_command(app)


def click_command(path: tuple[str, ...]):  # type: ignore[no-untyped-def]
    cmd = CLICK
    for name in path:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    return cmd


@pytest.mark.parametrize("path", sorted(spec.COMMANDS), ids=" ".join)
def test_the_body_takes_what_the_declaration_gives_with_the_same_defaults(path):
    command = spec.COMMANDS[path]
    body = inspect.signature(command.function()).parameters
    declared = {o.dest: o.default for o in command.declared()} | {a.dest: a.default for a in command.args}
    assert set(body) - {"s"} == set(declared)
    for dest, default in declared.items():
        if body[dest].default is not inspect.Parameter.empty:
            assert body[dest].default == default, dest
    # Click is handed the same names, so both ways call the body alike.
    assert {p.name for p in click_command(path).params} == set(declared)


def test_the_global_options_agree_with_the_click_group():
    params = {p.name: p for p in CLICK.params}
    assert params["ledger_flag"].opts == ["--ledger"]
    assert tuple(params["lang"].type.choices) == spec.GLOBAL["--lang"].choices


def test_every_declared_command_exists_and_only_the_everyday_ones_are_quick():
    for path in spec.COMMANDS:
        click_command(path)
    assert not spec.scan(["export"]).quick()
    assert not spec.scan(["report"]).quick()


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
    assert not spec.scan(args).quick()


def test_the_values_reach_the_body_as_typer_gives_them():
    parsed = spec.scan(
        ["list", "--lang", "en", "-s", "done", "--status=blocked", "--section", "07", "--overdue", "-f", "json",
         "--search=", "--ledger", "x.toml"]
    )
    assert parsed.quick()
    assert parsed.command is spec.COMMANDS[("list",)]
    assert parsed.settings == {"lang": "en", "ledger_flag": "x.toml"}
    assert parsed.values == {"status": ["done", "blocked"], "section": 7, "overdue": True, "fmt": "json", "search": ""}
    assert parsed.hoisted[:4] == ["--lang", "en", "--ledger", "x.toml"]
    parsed = spec.scan(["report", "--lang", "en", "weekly", "--week", "2026-W47"])
    assert parsed.quick() and parsed.values == {"week": "2026-W47"}
    parsed = spec.scan(["update", "--note", "进展", "2-3"])
    assert parsed.quick() and parsed.values == {"note": "进展", "cid": "2-3"}


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
    path = draw(st.sampled_from(sorted(p for p, c in spec.COMMANDS.items() if c.quick)))
    command = spec.COMMANDS[path]
    names = sorted(command.options)
    tokens: list[list[str]] = []
    for name in draw(st.lists(st.sampled_from(names), max_size=5)) if names else []:
        opt = command.options[name]
        value = OUTPUT if name == "--output" else draw(VALUES)  # files are written only where the test says
        if opt.kind == spec.FLAG:
            tokens.append([name])
        elif name.startswith("--") and draw(st.booleans()):
            tokens.append([f"{name}={value}"])
        else:
            tokens.append([name, value])
    tokens.extend([draw(st.sampled_from(["1-1", "1-2", "2-3", "9-9", "x"]))] for _ in command.args)
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
    if not spec.scan(args).quick():
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

    monkeypatch.setattr(read, "list_cmd", body)  # what both ways call
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
    assert "“--format” / “-f”的值无效" in done.stderr
    written = subprocess.run(
        [sys.executable, "-m", "cytrack", "--ledger", str(ledger), "update", "1-1", "--note", "-开头的说明"],
        capture_output=True, text=True, encoding="utf-8", stdin=subprocess.DEVNULL, timeout=120,
    )
    assert written.returncode == 0, written.stderr
    assert "note = \"-开头的说明\"" in ledger.read_text(encoding="utf-8")
    assert date.today().isoformat() in written.stdout
