"""Every command has help text with an example, is listed by `cytrack --help` and is documented in
docs/manual.md; the README stays short and the docs point only at files inside the repository."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from typer.main import get_command

from cytrack.cli import app

README = ROOT / "README.md"
DOCS = ROOT / "docs"
MANUAL = (DOCS / "manual.md").read_text(encoding="utf-8")
PAGES = ("manual", "ledger-format", "exit-codes", "trust", "performance", "decisions", "CONTRIBUTING")
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
def test_command_is_documented_in_the_manual(name):
    """Documented = a heading naming `cytrack NAME`, or a real output sample starting `$ cytrack NAME`."""
    words = re.escape(name)
    heading = re.search(rf"^#+ .*cytrack {words}\b", MANUAL, re.M)
    sample = re.search(rf"^\$ cytrack {GLOBAL}{words}\b", MANUAL, re.M)
    assert heading or sample, f"docs/manual.md has no heading or '$ cytrack {name}' sample for `cytrack {name}`"


def test_readme_is_short_and_names_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 16 * 1024
    assert re.search(r"pip install -e \. && cytrack list$", text, re.M)
    assert re.search(r"""pip install -e "\.\[test\]" && python -m pytest$""", text, re.M)
    assert text.index("快速上手") < text.index("For engineers"), "Chinese first, then the English part"


@pytest.mark.parametrize("page", PAGES)
def test_docs_page_exists_and_the_readme_links_it(page):
    assert (DOCS / f"{page}.md").is_file()
    assert f"](docs/{page}.md)" in README.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [README, *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name)
def test_links_point_inside_the_repository(path):
    """Every relative link resolves to a file of the repository; nothing cites a file outside it."""
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        resolved = (path.parent / target).resolve()
        assert resolved.is_relative_to(ROOT.resolve()), f"{path.name} links outside the repository: {target}"
        assert resolved.exists(), f"{path.name} links to a missing file: {target}"
    assert "shared/design" not in text and "contract.md" not in text


@pytest.mark.parametrize("name", [p[0] for p, c in COMMANDS if len(p) == 1 and not c.hidden])
def test_top_level_help_lists_every_command(cli, name):
    result = cli("--help")
    assert result.exit_code == 0
    assert re.search(rf"^\s+{re.escape(name)}\s", result.stdout, re.M)
