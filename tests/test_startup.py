"""Start-up stays lean: what a read command imports, and building only the command being run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHIPPED

from cytrack.cli.spec import scan

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
    ("args", "path"),
    [
        (["list"], ["list"]),
        (["--ledger", "x.toml", "--lang", "en", "overdue", "--format", "json"], ["overdue"]),
        (["--lang", "list", "show", "1-1"], ["show"]),  # "list" is the value of --lang here
        (["report", "--lang", "en", "weekly"], ["report", "weekly"]),
        (["--version"], []),
        (["--help", "list"], ["list"]),
        (["-h"], []),
        (["--", "list"], []),
        ([], []),
    ],
)
def test_the_command_is_found_past_global_options(args, path):
    assert scan(args).path == path


@pytest.mark.parametrize(
    ("args", "hoisted"),
    [
        (["list", "--lang", "en"], ["--lang", "en", "list"]),
        (["show", "--lang=en", "1-1", "--ledger", "a.toml"], ["--lang=en", "--ledger", "a.toml", "show", "1-1"]),
        (["update", "1-1", "--note", "--lang"], ["update", "1-1", "--note", "--lang"]),  # a value, not an option
        (["list", "--", "--lang", "en"], ["list", "--", "--lang", "en"]),
    ],
)
def test_global_options_after_the_command_move_to_the_front(args, hoisted):
    assert scan(args).hoisted == hoisted


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cytrack", *args],
        capture_output=True, text=True, encoding="utf-8", stdin=subprocess.DEVNULL, timeout=120,
    )


def test_help_still_lists_every_command_and_a_typo_is_still_answered():
    listing = run("--help")
    assert listing.returncode == 0
    assert not re.search(r"^  merge-driver\s", listing.stdout, re.M)  # called by git, not people
    assert run("merge-driver", "--help").returncode == 0
    for name in ("list", "show", "update", "overdue", "report", "git-setup"):
        assert re.search(rf"^  {re.escape(name)}\s", listing.stdout, re.M), name
    typo = run("lst")
    assert typo.returncode == 2
    assert "您是要输入“list”吗？" in typo.stderr
    typo = run("--lang", "en", "lst")
    assert "Did you mean 'list'?" in typo.stderr
