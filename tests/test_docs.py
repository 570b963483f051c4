"""Every command has help text with an example, is listed by `cytrack --help`, and is in the README."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from typer.main import get_command

from cytrack.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")
# The quick start names many commands in passing; a command counts as documented only elsewhere.
REFERENCE = re.sub(r"<!-- section:quickstart -->.*?<!-- /section:quickstart -->", "", README, flags=re.S)
GLOBAL = r"(?:--(?:lang|ledger)[ =]\S+ )*"


def _walk(group, prefix: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    """(path, command) for every command and sub-command, groups included."""
    for name, command in sorted(getattr(group, "commands", {}).items()):
        path = (*prefix, name)
        yield path, command
        yield from _walk(command, path)


COMMANDS = list(_walk(get_command(app)))
NAMES = [" ".join(path) for path, _ in COMMANDS]


def test_the_walk_finds_the_commands():
    assert {"list", "show", "validate", "export", "init"} <= set(NAMES)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=NAMES)
def test_command_has_a_summary_and_an_example(path, command):
    text = command.help or ""
    assert text.strip(), f"cytrack {' '.join(path)} has no help text"
    first = text.strip().splitlines()[0].strip()
    assert first.endswith(".") and "cytrack " not in first, (
        "the docstring's first line is a one-sentence summary; examples go in a later '\\b' paragraph"
    )
    if not getattr(command, "commands", None):  # groups point to their sub-commands instead
        assert re.search(rf"^\s*cytrack .*\b{re.escape(path[-1])}\b", text, re.M), "an example shows the command"


@pytest.mark.parametrize("name", NAMES)
def test_command_is_documented_in_the_readme(name):
    """Documented = a heading naming `cytrack NAME`, or a real output sample starting `$ cytrack NAME`."""
    words = re.escape(name)
    heading = re.search(rf"^#+ .*cytrack {words}\b", REFERENCE, re.M)
    sample = re.search(rf"^\$ cytrack {GLOBAL}{words}\b", REFERENCE, re.M)
    assert heading or sample, f"README has no heading or '$ cytrack {name}' sample for `cytrack {name}`"


@pytest.mark.parametrize("name", [p[0] for p, c in COMMANDS if len(p) == 1 and not c.hidden])
def test_top_level_help_lists_every_command(cli, name):
    result = cli("--help")
    assert result.exit_code == 0
    assert re.search(rf"^\s+{re.escape(name)}\s", result.stdout, re.M)
