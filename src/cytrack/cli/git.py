"""Git commands: ``git-setup`` (register the merge driver) and ``merge-driver`` (run by git)."""

# No `from __future__ import annotations` here: Typer would compile every annotation string
# again on each run (~20 ms for all commands); real annotation objects cost nothing.

from pathlib import Path
from typing import Annotated

import typer

from cytrack.cli.typer_app import app, session_of
from cytrack.ledger.errors import EXIT_FOUND
from cytrack.ledger.errors import UsageError as CytrackUsageError
from cytrack.render.terminal import say, write_plain
from cytrack.textsafe import visible


@app.command("git-setup")
def git_setup_cmd(ctx: typer.Context) -> None:
    """Make git merge the ledger by its structure (with merge-driver), in this clone.

    \b
    Adds `<ledger> merge=cytrack` to .gitattributes (commit it once), sets
    merge.cytrack.driver in this clone's git config (run it in every clone), and keeps
    the ledger's lock file out of `git status`.  Running it again changes nothing.

    \b
    Example:
      cytrack git-setup
    """
    from cytrack.merge.git import setup_git
    from cytrack.i18n import git_word

    s = session_of(ctx)
    if s.location.bundled:
        raise CytrackUsageError(
            "no data/commitments.toml here or above; run `cytrack git-setup` inside your clone of the ledger"
            " repository, or give --ledger PATH."
        )
    report = setup_git(Path(s.location.path))
    lines = [git_word(s.lang, "where", root=report.root, path=report.relative)]
    for what, value, changed in report.steps:
        key = ("set" if changed else "is") if what.startswith("merge.") else ("added" if changed else "has")
        lines.append(git_word(s.lang, key, what=what, value=value))
    if not report.changed:
        lines.append(git_word(s.lang, "nothing"))
    if report.override is not None:
        lines.append(git_word(s.lang, "override", path=report.relative, value=report.override))
    if any(changed for what, _, changed in report.steps if what == ".gitattributes"):
        lines.append(git_word(s.lang, "hint"))
    write_plain("\n".join(visible(line) for line in lines))


@app.command("merge-driver")
def merge_driver_cmd(
    ancestor: Annotated[Path, typer.Argument(metavar="ANCESTOR", help="%O: the common ancestor's version (from git).")],
    ours: Annotated[Path, typer.Argument(metavar="OURS", help="%A: our version; the merge result is written here.")],
    theirs: Annotated[Path, typer.Argument(metavar="THEIRS", help="%B: their version.")],
    name: Annotated[str, typer.Argument(metavar="PATH", help="%P: the ledger's path in the repository.")] = "ledger",
) -> None:
    """Three-way merge of a ledger; git runs it once git-setup has registered it.

    \b
    Progress entries and extensions of both sides are joined in date order; a field
    changed to different values on both sides is marked with <<<<<<< and >>>>>>>.
    Exit 0: merged; 1: conflicts marked; 3: not merged (OURS left as it was).

    \b
    Example (what git runs):
      cytrack merge-driver %O %A %B %P
    """
    from cytrack.merge.git import conflict_problems, run_merge_driver

    result = run_merge_driver(ancestor, ours, theirs, name)
    if result.conflicts:
        for problem in conflict_problems(name, result):
            say(str(problem))
        say(
            f"cytrack: {name}: {len(result.conflicts)} conflict(s) marked with <<<<<<< and >>>>>>>;"
            " resolve them, run `cytrack validate`, then `git add` the file."
        )
        raise typer.Exit(EXIT_FOUND)
