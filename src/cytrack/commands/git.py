"""``git-setup`` (register the merge driver) and ``merge-driver`` (run by git)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cytrack.i18n import git_word, message
from cytrack.ledger.errors import EXIT_FOUND, UsageError
from cytrack.render.terminal import say, write_plain
from cytrack.textsafe import visible

if TYPE_CHECKING:
    from cytrack.commands.session import Session


def git_setup_cmd(s: Session) -> int:
    from cytrack.merge.git import setup_git

    if s.location.bundled:
        raise UsageError(message("git_setup_no_ledger"))
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
    return 0


def merge_driver_cmd(s: Session, *, ancestor: str, ours: str, theirs: str, name: str = "ledger") -> int:
    from cytrack.merge.git import conflict_problems, run_merge_driver

    result = run_merge_driver(Path(ancestor), Path(ours), Path(theirs), name)
    if result.conflicts:
        for problem in conflict_problems(name, result):
            say(str(problem))
        say("cytrack: " + message("merge_conflicts", name=name, count=len(result.conflicts)))
        return EXIT_FOUND
    return 0
