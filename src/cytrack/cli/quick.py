"""The everyday commands without building the Typer application: start-up is most of their time.

Importing Typer and turning the command functions into Click commands costs 40-60 ms on
every run, more than a status check on a few thousand commitments spends on its work.
So ``cytrack.__main__`` first offers the arguments to ``run`` here.  It reads them with
the table ``COMMANDS`` below and, when every token is one it fully understands, calls the
command's body in ``cytrack.commands`` itself, the same function with the same values
Typer would call it with.  Whenever anything is unusual (help, ``--version``, a token
it does not know, an option given twice, a value that would need converting or
checking beyond an exact match, ``--``, shell completion) it answers None without a
side effect, and Typer runs as before and says what it always said.  So this path
never prints a usage error of its own.

``tests/test_quick.py`` checks that ``COMMANDS`` agrees with the Typer declarations
(names, flags, types, choices, limits, defaults) and that both ways give the same
output, exit code and ledger bytes for generated command lines.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from cytrack.commands import read, reports, write
from cytrack.core.state import LIGHTS

STR, MANY, FLAG, INT = "str", "many", "flag", "int"
_DIGITS = re.compile(r"[0-9]+")


class Opt:
    """One option: the body's keyword ``dest``, its names, and what values it takes."""

    __slots__ = ("choices", "dest", "kind", "minimum", "names")

    def __init__(
        self,
        dest: str,
        *names: str,
        kind: str = STR,
        choices: tuple[str, ...] | None = None,
        minimum: int | None = None,
    ) -> None:
        self.dest, self.names, self.kind, self.choices, self.minimum = dest, names, kind, choices, minimum

    def value(self, text: str) -> object | None:
        """``text`` as the body gets it; None when only Typer should judge it."""
        if self.choices is not None:
            return text if text in self.choices else None
        if self.kind == INT:
            if not _DIGITS.fullmatch(text):
                return None
            number = int(text)
            return number if self.minimum is None or number >= self.minimum else None
        return text


class Command:
    """A command the quick path runs: its body, its positional arguments and its options."""

    __slots__ = ("args", "body", "options")

    def __init__(self, body: Callable[..., int], *options: Opt, args: tuple[str, ...] = ()) -> None:
        self.body, self.args = body, args
        self.options = {name: opt for opt in options for name in opt.names}


AS_OF = Opt("as_of", "--as-of")
# The office filters (contract §6) of every command that lists.
OFFICE = (
    Opt("reply", "--reply", kind=MANY),
    Opt("kind", "--kind", choices=("proposal", "suggestion")),
    Opt("year", "--year", kind=INT),
)
ROWS = ("table", "json", "text")

COMMANDS: dict[tuple[str, ...], Command] = {
    ("list",): Command(
        read.list_cmd,
        Opt("status", "--status", "-s", kind=MANY),
        Opt("owner", "--owner", "-o", kind=MANY),
        Opt("section", "--section", kind=INT, minimum=1),
        Opt("tag", "--tag", "-t", kind=MANY),
        Opt("due_before", "--due-before"),
        Opt("due_after", "--due-after"),
        Opt("overdue", "--overdue", kind=FLAG),
        Opt("stale", "--stale", kind=FLAG),
        Opt("light", "--light", kind=MANY, choices=LIGHTS),
        Opt("search", "--search", "-q"),
        Opt("sort", "--sort"),
        Opt("fmt", "--format", "-f", choices=("table", "json", "csv")),
        AS_OF,
        *OFFICE,
    ),
    ("show",): Command(read.show_cmd, Opt("fmt", "--format", "-f", choices=("table", "json")), AS_OF, args=("cid",)),
    ("validate",): Command(read.validate_cmd),
    ("update",): Command(
        write.update_cmd,
        Opt("note", "--note", "-n"),
        Opt("status", "--status", "-s"),
        Opt("percent", "--percent", "-p"),
        Opt("when", "--date", "-d"),
        Opt("by", "--by"),
        Opt("evidence", "--evidence", "-e"),
        Opt("force", "--force", kind=FLAG),
        args=("cid",),
    ),
    ("extend",): Command(
        write.extend_cmd,
        Opt("to", "--to"),
        Opt("reason", "--reason"),
        Opt("by", "--by"),
        Opt("when", "--date", "-d"),
        Opt("force", "--force", kind=FLAG),
        args=("cid",),
    ),
    ("add",): Command(
        write.add_cmd,
        Opt("section", "--section", kind=INT),
        Opt("title", "--title"),
        Opt("quote", "--quote"),
        Opt("lead", "--lead"),
        Opt("co_owner", "--co-owner", kind=MANY),
        Opt("due", "--due"),
        Opt("due_basis", "--due-basis"),
        Opt("review", "--review"),
        Opt("tag", "--tag", "-t", kind=MANY),
        Opt("cid", "--id"),
        Opt("reply", "--reply"),
    ),
    ("overdue",): Command(
        reports.overdue_cmd,
        Opt("owner", "--owner", "-o", kind=MANY),
        Opt("fmt", "--format", "-f", choices=ROWS),
        Opt("check", "--check", kind=FLAG),
        AS_OF,
        *OFFICE,
    ),
    ("stale",): Command(
        reports.stale_cmd,
        Opt("days", "--days", kind=INT, minimum=0),
        Opt("fmt", "--format", "-f", choices=ROWS),
        AS_OF,
        *OFFICE,
    ),
    ("summary",): Command(
        reports.summary_cmd, Opt("fmt", "--format", "-f", choices=("table", "json", "text")), AS_OF, *OFFICE
    ),
    ("report", "weekly"): Command(
        reports.weekly_cmd,
        Opt("week", "--week"),
        Opt("fmt", "--format", "-f", choices=("text", "markdown", "json", "docx", "html")),
        Opt("output", "--output"),
        AS_OF,
        *OFFICE,
    ),
}

# The application's own options, allowed anywhere on the line as ``cli.typer_app`` allows them.
GLOBAL: dict[str, Opt] = {
    "--ledger": Opt("ledger_flag", "--ledger"),
    "--lang": Opt("lang", "--lang", choices=("zh", "en")),
}
_GROUPS = {path[:i] for path in COMMANDS for i in range(1, len(path))}


class Parsed:
    """A command line the quick path can run."""

    __slots__ = ("command", "settings", "values")

    def __init__(self, command: Command, settings: dict[str, object], values: dict[str, object]) -> None:
        self.command, self.settings, self.values = command, settings, values


def parse(args: list[str]) -> Parsed | None:
    """The command and its values, or None when anything should be left to Typer."""
    path: list[str] = []
    command: Command | None = None
    settings: dict[str, object] = {}
    values: dict[str, object] = {}
    positional: list[str] = []
    i = 0
    while i < len(args):
        token = args[i]
        i += 1
        if token.startswith("-") and token != "-" and token != "--":
            name, has_inline, inline = token.partition("=") if token.startswith("--") else (token, "", "")
            opt = GLOBAL.get(name)
            into = settings
            if opt is None and command is not None:
                opt, into = command.options.get(name), values
            if opt is None:
                return None
            if opt.kind == FLAG:
                if has_inline or opt.dest in into:
                    return None
                into[opt.dest] = True
                continue
            if has_inline:
                text = inline
            elif i < len(args) and not args[i].startswith("-"):
                text, i = args[i], i + 1
            else:
                return None  # a missing value, or one that looks like an option: Typer decides
            value = opt.value(text)
            if value is None:
                return None
            if opt.kind == MANY:
                into.setdefault(opt.dest, []).append(value)  # type: ignore[union-attr]
            elif opt.dest in into:
                return None
            else:
                into[opt.dest] = value
        elif token.startswith("-"):
            return None  # "-" and "--"
        elif command is None:
            path.append(token)
            command = COMMANDS.get(tuple(path))
            if command is None and tuple(path) not in _GROUPS:
                return None
        else:
            positional.append(token)
    if command is None or len(positional) != len(command.args):
        return None
    values.update(zip(command.args, positional, strict=True))
    return Parsed(command, settings, values)


def completing() -> bool:
    """Whether the shell asked for completions (Click's ``_CYTRACK_COMPLETE``): always Typer's work."""
    return any(name.endswith("_COMPLETE") for name in os.environ)


def run(args: list[str]) -> int | None:
    """Run the command line and return its exit code, or None to leave it to Typer."""
    if completing():
        return None
    parsed = parse(args)
    if parsed is None:
        return None
    from cytrack.commands import exit_code_for
    from cytrack.commands.session import Session

    try:
        return parsed.command.body(Session(**parsed.settings), **parsed.values)  # type: ignore[arg-type]
    except KeyboardInterrupt:
        return 130  # as Typer ends on Ctrl-C: quietly, 128 + SIGINT
    except Exception as exc:  # noqa: BLE001 - the last guard before a traceback, as in cli.typer_app
        code = exit_code_for(exc)
        if code is None:
            raise
        return code
