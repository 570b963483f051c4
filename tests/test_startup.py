"""Start-up stays lean: what a read command imports, and building only the command being run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from conftest import SHIPPED

from cytrack.__main__ import _command_name, keep_only_invoked_command

HEAVY = ("rich", "tomlkit", "openpyxl", "dateutil", "pydantic", "filelock")


def imported(*args: str, ledger: Path = SHIPPED) -> set[str]:
    """Top-level packages a ``cytrack`` run imports, as ``python -X importtime`` reports them."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cytrack", "--ledger", str(ledger), *args],
        capture_output=True, text=True, encoding="utf-8", stdin=subprocess.DEVNULL, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return {m.group(1).split(".")[0] for m in re.finditer(r"^import time:.*\|\s*(\S+)$", proc.stderr, re.M)}


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--format", "json"),
        ("list", "--format", "csv"),
        ("overdue", "--format", "json"),
        ("show", "1-1", "--format", "json"),
    ],
)
def test_machine_readable_output_imports_no_heavy_package(args):
    assert imported(*args).isdisjoint(HEAVY)


# What the everyday commands skip besides: Typer (cytrack.cli.quick runs them), dataclasses (with
# inspect, ~10 ms to import and ~0.5 ms per class made), tempfile (shutil, random).
SKIPPED = ("typer", "dataclasses", "inspect", "tempfile")


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--format", "json"),
        ("overdue", "--format", "json"),
        ("summary", "--format", "json"),
        ("report", "weekly"),
        ("update", "1-1", "--note", "进展"),
    ],
)
def test_the_everyday_commands_skip_typer_and_dataclasses(args, tmp_path):
    ledger = tmp_path / "commitments.toml"
    ledger.write_bytes(SHIPPED.read_bytes())
    found = imported(*args, ledger=ledger)
    assert "cytrack" in found
    assert found.isdisjoint(SKIPPED + HEAVY)


def test_the_table_imports_rich_and_nothing_else_heavy():
    found = imported("list")
    assert "rich" in found
    assert found.isdisjoint(set(HEAVY) - {"rich"})


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["list"], "list"),
        (["--ledger", "x.toml", "--lang", "en", "overdue", "--format", "json"], "overdue"),
        (["--lang", "list", "show", "1-1"], "show"),  # "list" is the value of --lang here
        (["--version"], None),
        (["--help", "list"], None),
        (["-h"], None),
        (["--", "list"], None),
        ([], None),
    ],
)
def test_the_command_name_is_found_past_global_options(args, name):
    assert _command_name(args) == name


def app_with(*names: str) -> typer.Typer:
    app = typer.Typer()
    for name in names:
        app.command(name)(lambda: None)
    sub = typer.Typer()
    sub.command("weekly")(lambda: None)
    app.add_typer(sub, name="report")
    return app


@pytest.mark.parametrize(
    ("args", "kept"),
    [
        (["show", "1-1"], ["show"]),
        (["report", "weekly"], []),
        (["lst"], ["list", "show", "overdue"]),  # a typo keeps every name for "did you mean"
        (["--help"], ["list", "show", "overdue"]),
    ],
)
def test_only_the_invoked_command_is_kept(args, kept, monkeypatch):
    monkeypatch.delenv("_CYTRACK_COMPLETE", raising=False)
    app = app_with("list", "show", "overdue")
    keep_only_invoked_command(app, args)
    assert [c.name for c in app.registered_commands] == kept
    assert [g.name for g in app.registered_groups] == ["report"]


def test_shell_completion_keeps_every_command(monkeypatch):
    monkeypatch.setenv("_CYTRACK_COMPLETE", "bash_complete")
    app = app_with("list", "show")
    keep_only_invoked_command(app, ["show"])
    assert [c.name for c in app.registered_commands] == ["list", "show"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cytrack", *args],
        capture_output=True, text=True, encoding="utf-8", stdin=subprocess.DEVNULL, timeout=120,
    )


def test_help_still_lists_every_command_and_a_typo_is_still_answered():
    listing = run("--help")
    assert listing.returncode == 0
    for name in ("list", "show", "update", "overdue", "report", "merge-driver"):
        assert re.search(rf"^  {re.escape(name)}\s", listing.stdout, re.M), name
    typo = run("lst")
    assert typo.returncode == 2
    assert "Did you mean 'list'?" in typo.stderr
