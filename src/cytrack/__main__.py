"""Entry point for ``python -m cytrack`` and the ``cytrack`` console script."""

import gc
import sys
from typing import TYPE_CHECKING

from cytrack.cli.quick import GLOBAL, completing, run

if TYPE_CHECKING:
    from typer import Typer


def main() -> None:
    # One run builds up to a million small objects and almost no cycles; the default
    # threshold (a collection every 700 allocations) would cost a fifth of `list` on a
    # large ledger.  Collections still happen, just less often.
    gc.set_threshold(100_000, 50, 100)
    code = run(sys.argv[1:])  # the everyday commands, without building Typer
    if code is not None:
        sys.exit(code)
    from cytrack.cli import app

    keep_only_invoked_command(app, sys.argv[1:])
    sys.exit(app())


def keep_only_invoked_command(app: "Typer", args: list[str]) -> None:
    """Let Typer build only the command being run, when the arguments name one exactly.

    Typer turns every registered command into a click command on each run (~9 ms for
    fourteen); one is enough to run it.  Everything that lists or suggests commands —
    ``cytrack --help``, a mistyped name, shell completion — names none, and keeps all.
    """
    if completing():
        return
    named = _command_name(args)
    if named is None:
        return
    invoked = [c for c in app.registered_commands if c.name == named]
    if invoked or any(g.name == named for g in app.registered_groups):
        app.registered_commands[:] = invoked


def _command_name(args: list[str]) -> str | None:
    """The first argument that is not a global option or its value."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in GLOBAL:
            skip = True
        elif arg in ("-h", "--help"):
            return None  # the help of cytrack itself lists every command
        elif not arg.startswith("-"):
            return arg
        elif arg == "--":
            return None
    return None


if __name__ == "__main__":
    main()
