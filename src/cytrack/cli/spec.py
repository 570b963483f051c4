"""Every command and option of ``cytrack``, declared once, and the one reader of a command line.

``COMMANDS`` maps each command path (``("list",)``, ``("report", "weekly")``) to its body
in ``cytrack.commands``, its positional arguments and its options.  Everything else is
derived from it: ``cli.typer_app`` builds the Click commands Typer runs (names, types, choices,
limits, defaults, help, completion), and ``cli.quick`` runs the everyday commands from it
without importing Typer or Click.  Help texts are keys of ``cytrack.i18n.help``: an
option's key is ``"<command> <dest>"`` unless it names a shared one.

``scan`` is the only code that reads ``sys.argv``: it finds the language before anything
is printed, the command being run, the global options wherever they stand (they are moved
to the front for Click), and whether the line is plain enough for the quick path.
"""

from __future__ import annotations

import re

from cytrack.core.state import LIGHTS

STR, MANY, FLAG, INT = "str", "many", "flag", "int"
_DIGITS = re.compile(r"[0-9]+")


class Opt:
    """One option: the body's keyword ``dest``, its names, and what values it takes."""

    __slots__ = ("choices", "complete", "default", "dest", "help", "kind", "metavar", "minimum", "names")

    def __init__(
        self,
        dest: str,
        *names: str,
        kind: str = STR,
        choices: tuple[str, ...] | None = None,
        minimum: int | None = None,
        metavar: str | None = None,
        default: object = None,
        help: str | None = None,  # noqa: A002 - the key in cytrack.i18n.help
        complete: str | None = None,
    ) -> None:
        self.dest, self.names, self.kind, self.choices, self.minimum = dest, names, kind, choices, minimum
        self.metavar, self.help, self.complete = metavar, help, complete
        self.default = False if kind == FLAG else default

    def value(self, text: str) -> object | None:
        """``text`` as the body gets it; None when only Click should judge it."""
        if self.choices is not None:
            return text if text in self.choices else None
        if self.kind == INT:
            if not _DIGITS.fullmatch(text):
                return None
            number = int(text)
            return number if self.minimum is None or number >= self.minimum else None
        return text


class Arg:
    """A positional argument; an optional one has a default."""

    __slots__ = ("complete", "default", "dest", "metavar", "required")

    def __init__(
        self, dest: str, metavar: str, *, required: bool = True, default: object = None, complete: str | None = None
    ) -> None:
        self.dest, self.metavar, self.required, self.default, self.complete = dest, metavar, required, default, complete


class Command:
    """A command: where its body lives (``module.function`` in ``cytrack.commands``), its arguments
    and options; ``quick`` when ``cli.quick`` may run it without Click."""

    __slots__ = ("args", "body", "hidden", "key", "options", "path", "quick")

    def __init__(
        self,
        path: str,
        body: str,
        *options: Opt,
        args: tuple[Arg, ...] = (),
        quick: bool = True,
        hidden: bool = False,
    ) -> None:
        self.key, self.path, self.body, self.args = path, tuple(path.split()), body, args
        self.quick, self.hidden = quick, hidden
        self.options = {name: opt for opt in options for name in opt.names}

    def declared(self) -> list[Opt]:
        """The options in the order they were declared (the order of ``--help``)."""
        seen: list[Opt] = []
        for opt in self.options.values():
            if opt not in seen:
                seen.append(opt)
        return seen

    def function(self):  # type: ignore[no-untyped-def]
        """The body, looked up when called (so a test may replace it in its module)."""
        from importlib import import_module

        module, name = self.body.rsplit(".", 1)
        return getattr(import_module(f"cytrack.commands.{module}"), name)

    def help_key(self, opt: Opt) -> str:
        return opt.help or f"{self.key} {opt.dest}"


def _as_of() -> Opt:
    return Opt("as_of", "--as-of", metavar="DATE", help="as_of")


def _format(*choices: str, default: str | None = None) -> Opt:
    return Opt("fmt", "--format", "-f", choices=choices, default=default or choices[0], help="format")


_ID = Arg("cid", "ID", complete="id")


def _office() -> tuple[Opt, ...]:
    """The filters of the office ledger (contract §6), on every command that lists."""
    return (
        Opt("reply", "--reply", kind=MANY, metavar="KEY", complete="reply", help="reply_filter"),
        Opt("kind", "--kind", choices=("proposal", "suggestion"), help="kind_filter"),
        Opt("year", "--year", kind=INT, metavar="N", help="year_filter"),
    )


_OWNERS = Opt("owner", "--owner", "-o", kind=MANY, metavar="UNIT", complete="owner")
_ROWS = ("table", "json", "text")

_DECLARED = (
    Command(
        "list",
        "read.list_cmd",
        Opt("status", "--status", "-s", kind=MANY, metavar="STATUS", complete="status", help="status_filter"),
        _OWNERS,
        Opt("section", "--section", kind=INT, minimum=1, metavar="N"),
        Opt("tag", "--tag", "-t", kind=MANY, metavar="TAG", complete="tag"),
        Opt("due_before", "--due-before", metavar="DATE"),
        Opt("due_after", "--due-after", metavar="DATE"),
        Opt("overdue", "--overdue", kind=FLAG),
        Opt("stale", "--stale", kind=FLAG),
        Opt("light", "--light", kind=MANY, choices=LIGHTS),
        Opt("search", "--search", "-q", metavar="TEXT"),
        Opt("sort", "--sort", metavar="KEY", default="id"),
        _format("table", "json", "csv"),
        _as_of(),
        *_office(),
    ),
    Command("show", "read.show_cmd", _format("table", "json"), _as_of(), args=(_ID,)),
    Command("validate", "read.validate_cmd"),
    Command(
        "update",
        "write.update_cmd",
        Opt("note", "--note", "-n", metavar="TEXT"),
        Opt("status", "--status", "-s", metavar="STATUS", complete="status", help="status_new"),
        Opt("percent", "--percent", "-p", metavar="N"),
        Opt("when", "--date", "-d", metavar="DATE"),
        Opt("by", "--by", metavar="NAME"),
        Opt("evidence", "--evidence", "-e", metavar="REF"),
        Opt("force", "--force", kind=FLAG),
        args=(_ID,),
    ),
    Command(
        "extend",
        "write.extend_cmd",
        Opt("to", "--to", metavar="DATE"),
        Opt("reason", "--reason", metavar="TEXT"),
        Opt("by", "--by", metavar="NAME"),
        Opt("when", "--date", "-d", metavar="DATE"),
        Opt("force", "--force", kind=FLAG),
        args=(_ID,),
    ),
    Command(
        "add",
        "write.add_cmd",
        Opt("section", "--section", kind=INT, metavar="N"),
        Opt("title", "--title", metavar="TEXT"),
        Opt("quote", "--quote", metavar="TEXT"),
        Opt("lead", "--lead", metavar="UNIT"),
        Opt("co_owner", "--co-owner", kind=MANY, metavar="UNIT"),
        Opt("due", "--due", metavar="DATE"),
        Opt("due_basis", "--due-basis", metavar="BASIS"),
        Opt("review", "--review", metavar="RHYTHM"),
        Opt("tag", "--tag", "-t", kind=MANY, metavar="TAG"),
        Opt("cid", "--id", metavar="ID"),
        Opt("reply", "--reply", metavar="KEY", complete="reply"),
    ),
    Command(
        "overdue", "reports.overdue_cmd", _OWNERS, _format(*_ROWS), Opt("check", "--check", kind=FLAG), _as_of(),
        *_office(),
    ),
    Command(
        "stale", "reports.stale_cmd", Opt("days", "--days", kind=INT, minimum=0, metavar="N"), _format(*_ROWS),
        _as_of(), *_office(),
    ),
    Command("summary", "reports.summary_cmd", _format("table", "json", "text"), _as_of(), *_office()),
    Command(
        "report weekly",
        "reports.weekly_cmd",
        Opt("week", "--week", metavar="YYYY-Www"),
        _format("text", "markdown", "json", "docx", "html"),
        Opt("output", "--output", metavar="FILE"),
        _as_of(),
        *_office(),
    ),
    Command(
        "export",
        "interop.export_cmd",
        Opt("fmt", "--format", "-f", choices=("csv", "json", "xlsx"), metavar="[csv|json|xlsx]"),
        Opt("output", "--output", "-o", metavar="FILE"),
        _as_of(),
        Opt("form", "--form", kind=FLAG),
        Opt("owner", "--owner", kind=MANY, metavar="UNIT"),
        Opt("output_dir", "--output-dir", metavar="DIR"),
        Opt("reply", "--reply", kind=MANY, metavar="KEY", complete="reply", help="reply_filter"),
        Opt("reply_kind", "--kind", choices=("proposal", "suggestion"), help="kind_filter"),
        Opt("year", "--year", kind=INT, metavar="N", help="year_filter"),
        quick=False,
    ),
    Command(
        "import",
        "forms.import_cmd",
        Opt("apply", "--apply", kind=FLAG),
        Opt("when", "--date", "-d", metavar="DATE"),
        args=(Arg("file", "FILE"),),
        quick=False,
    ),
    Command("init", "interop.init_cmd", args=(Arg("path", "PATH", required=False),), quick=False),
    Command(
        "reply add",
        "office.reply_add_cmd",
        Opt("kind", "--kind", choices=("proposal", "suggestion"), default="proposal"),
        Opt("number", "--number", metavar="N"),
        Opt("title", "--title", metavar="TEXT"),
        Opt("proposer", "--proposer", metavar="NAME"),
        Opt("lead_unit", "--lead-unit", metavar="UNIT"),
        Opt("co_unit", "--co-unit", kind=MANY, metavar="UNIT"),
        Opt("replied", "--replied", metavar="DATE"),
        Opt("category", "--category", metavar="A|B|C"),
        Opt("session", "--session", metavar="TEXT"),
        Opt("year", "--year", kind=INT, metavar="N"),
        Opt("key", "--key", metavar="KEY"),
        quick=False,
    ),
    Command(
        "reply list",
        "office.reply_list_cmd",
        _format("table", "json"),
        _as_of(),
        Opt("kind", "--kind", choices=("proposal", "suggestion"), help="kind_filter"),
        Opt("year", "--year", kind=INT, metavar="N", help="year_filter"),
        quick=False,
    ),
    Command("git-setup", "git.git_setup_cmd", quick=False),
    Command(
        "merge-driver",
        "git.merge_driver_cmd",
        args=(
            Arg("ancestor", "ANCESTOR"),
            Arg("ours", "OURS"),
            Arg("theirs", "THEIRS"),
            Arg("name", "PATH", required=False, default="ledger"),
        ),
        quick=False,
        hidden=True,
    ),
)

COMMANDS: dict[tuple[str, ...], Command] = {c.path: c for c in _DECLARED}
GROUPS = ("report", "reply")  # a group has no body of its own; its help is the key of its name

# The application's own options, allowed anywhere on the line (before or after the command name).
GLOBAL: dict[str, Opt] = {
    "--ledger": Opt("ledger_flag", "--ledger", metavar="PATH", help="ledger"),
    "--lang": Opt("lang", "--lang", choices=("zh", "en"), help="lang"),
}
VERSION = Opt("version", "--version", kind=FLAG, help="version")
HELP_NAMES = ("-h", "--help")


class Scan:
    """What a command line says: the command, the global settings, the values, and how to read it."""

    __slots__ = ("command", "exact", "front", "path", "positional", "rest", "settings", "values")

    def __init__(self) -> None:
        self.command: Command | None = None
        self.path: list[str] = []
        self.settings: dict[str, object] = {}
        self.values: dict[str, object] = {}
        self.positional: list[str] = []
        self.front: list[str] = []  # the global options and their values, as typed
        self.rest: list[str] = []  # everything else, in order
        self.exact = True  # every token understood: the quick path may run it

    @property
    def hoisted(self) -> list[str]:
        """The line with the global options moved to the front, where Click expects them."""
        return self.front + self.rest

    @property
    def lang(self) -> str | None:
        lang = self.settings.get("lang")
        return lang if isinstance(lang, str) else None

    def quick(self) -> bool:
        """Whether ``cli.quick`` may run this line: a known command, every token understood."""
        c = self.command
        if not (self.exact and c is not None and c.quick):
            return False
        return len(self.positional) == len(c.args)


def scan(args: list[str]) -> Scan:
    """Read ``args`` once, without judging it: Click says what is wrong with a line, not this."""
    s = Scan()
    i = 0
    while i < len(args):
        token = args[i]
        i += 1
        if token == "--":
            s.rest.extend(args[i - 1 :])
            s.exact = False
            break
        if token.startswith("-") and token != "-":
            name, has_inline, inline = token.partition("=") if token.startswith("--") else (token, "", "")
            opt, into, where = GLOBAL.get(name), s.settings, s.front
            if opt is None and s.command is not None:
                opt, into, where = s.command.options.get(name), s.values, s.rest
            if opt is None:
                s.rest.append(token)  # help, --version, a typo: Click's to judge
                s.exact = False
                continue
            where.append(token)
            if opt.kind == FLAG:
                if has_inline or opt.dest in into:
                    s.exact = False
                into[opt.dest] = True
                continue
            if has_inline:
                text = inline
            elif i < len(args):
                text = args[i]
                where.append(text)
                i += 1
                if text.startswith("-"):
                    s.exact = False  # a value that looks like an option: Click decides
            else:
                s.exact = False  # a missing value
                continue
            value = opt.value(text)
            if value is None:
                s.exact = False
            elif opt.kind == MANY:
                into.setdefault(opt.dest, []).append(value)  # type: ignore[union-attr]
            elif opt.dest in into:
                s.exact = False
            else:
                into[opt.dest] = value
            continue
        s.rest.append(token)
        if token == "-":
            s.exact = False
        elif s.command is None and (not s.path or s.path[0] in GROUPS):
            s.path.append(token)
            s.command = COMMANDS.get(tuple(s.path))
            if s.command is None and s.path[0] not in GROUPS:
                s.exact = False
        else:
            s.positional.append(token)
    if s.command is not None:
        if len(s.positional) <= len(s.command.args):
            s.values.update(zip((a.dest for a in s.command.args), s.positional, strict=False))
    else:
        s.exact = False
    return s


def option_names() -> set[str]:
    """Every option string of every command and of the application."""
    names = {n for c in _DECLARED for opt in c.declared() for n in opt.names}
    return names | set(GLOBAL) | set(VERSION.names) | set(HELP_NAMES)
