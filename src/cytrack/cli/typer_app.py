"""The Typer application: its Click commands are built from ``cli.spec``, in the user's language.

Typer runs the application (``app``) and formats help and usage errors; the commands and
options are not Python signatures but the declarations in ``cli.spec``, turned into
Typer's Click classes here.  Before Click parses anything, ``CytrackGroup.main`` reads
the line with ``spec.scan`` (the language, the global options after the command name),
chooses the language (``cytrack.i18n.choose``), lets Click speak it through gettext
(``cytrack.i18n.catalogue``) and writes the help of every command and option in it.
"""

from __future__ import annotations

import inspect
import sys
from typing import Any

import click
import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from cytrack import __version__
from cytrack.cli import clickwords, spec
from cytrack.cli.helpfmt import Context
from cytrack.commands import exit_code_for
from cytrack.commands.session import Session
from cytrack.i18n import catalogue, choose, help_text, metavar_text, use
from cytrack.render.terminal import write_plain
from cytrack.textsafe import visible_all


class CytrackGroup(TyperGroup):
    """The ``cytrack`` group: commands from ``spec``, global options anywhere, errors turned into exits."""

    context_class = Context

    def __init__(self, **attrs: Any) -> None:
        attrs["params"] = [*_global_params(), *attrs.get("params", [])]
        attrs["commands"] = _commands()
        super().__init__(**attrs)
        from cytrack.i18n import current

        localize(self, current())  # again in ``main``, once the line's language is known

    def main(self, args: Any = None, *more: Any, **extra: Any) -> Any:  # type: ignore[override]
        line = list(sys.argv[1:] if args is None else args)
        found = spec.scan(line)
        lang = choose(found.lang)
        use(lang)
        localize(self, lang)
        for param in self.params:  # Typer appends its completion options after building the group
            if param.name == "install_completion":
                param.callback = _install_completion  # Typer's own says what it did in English only
        with catalogue.speaking(lang):
            return super().main(line, *more, **extra)

    def parse_args(self, ctx, args):  # type: ignore[no-untyped-def]
        try:
            return super().parse_args(ctx, spec.scan(args).hoisted)  # --ledger/--lang after the command
        except Exception as exc:
            _make_inert(exc)
            raise

    def resolve_command(self, ctx, args):  # type: ignore[no-untyped-def]
        return click.Group.resolve_command(self, ctx, args)  # Click's own "did you mean", in gettext

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last guard before a traceback
            _make_inert(exc)
            code = exit_code_for(exc)
            if code is None:
                raise
            raise typer.Exit(code) from None


class _SubGroup(TyperGroup):
    context_class = Context

    def resolve_command(self, ctx, args):  # type: ignore[no-untyped-def]
        return click.Group.resolve_command(self, ctx, args)


class _Command(TyperCommand):
    context_class = Context

    def format_arguments(self, ctx, formatter):  # type: ignore[no-untyped-def]
        """Click 8.5 lists arguments again under its own heading; Typer's options section has them."""


def _make_inert(exc: Exception) -> None:
    """Click shows C0/C1 controls in the values it echoes as ``\\xNN``, but passes bidi controls raw.

    In Chinese, the usage errors Click assembles itself are written again (``clickwords``).
    """
    text = getattr(exc, "format_message", None)
    if callable(text):
        from cytrack.i18n import current

        chinese = clickwords.chinese_message(exc) if current() == "zh" else None
        exc.format_message = lambda: visible_all(chinese if chinese is not None else text())  # type: ignore[attr-defined]


_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")  # the shells Typer installs completion for


def _install_completion(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """``--install-completion``: Typer's installer, with what it did said in the user's language."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import _get_shell_name, install  # typer < 0.26 (pyproject)

    from cytrack.i18n import message

    shell = value if isinstance(value, str) else _get_shell_name()
    if shell not in _SHELLS:
        write_plain("cytrack: " + message("completion_shell", shell=str(shell or "?")), stderr=True)
        ctx.exit(1)
    shell, path = install(shell=shell)
    write_plain(message("completion_installed", shell=shell, path=path))
    ctx.exit(0)


# --- Click commands from the declarations --------------------------------------------------


class _WholeNumber(click.IntRange):
    """Click's integer (range), named in the user's language in "'x' is not a valid integer"."""

    @property  # type: ignore[override]
    def name(self) -> str:
        from gettext import gettext

        return gettext("integer")

    def _describe_range(self) -> str:
        """``x>=1`` (Chinese: ``不小于1``) after the help; nothing when any whole number will do."""
        if self.min is None and self.max is None:
            return ""
        from cytrack.i18n import current

        if current() == "zh" and self.max is None and not self.min_open:
            return f"不小于{self.min}"
        return super()._describe_range()


def _click_type(opt: spec.Opt) -> click.ParamType | None:
    if opt.choices is not None:
        return clickwords.Choice(opt.choices)
    if opt.kind == spec.INT:
        return _WholeNumber(min=opt.minimum)
    return None


def _completer(name: str | None):  # type: ignore[no-untyped-def]
    """Click's completion callback for the ``cli.completion`` function named in the declaration."""
    if name is None:
        return None

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        from cytrack.cli import completion

        found = getattr(completion, f"complete_{name}")(ctx, incomplete)
        return [CompletionItem(v[0], help=v[1]) if isinstance(v, tuple) else CompletionItem(v) for v in found]

    return complete


def _option(opt: spec.Opt, help_key: str) -> click.Option:
    flag = opt.kind == spec.FLAG
    option = TyperOption(
        param_decls=[opt.dest, *opt.names],
        type=None if flag else _click_type(opt),
        default=None if opt.kind == spec.MANY else opt.default,
        multiple=opt.kind == spec.MANY,
        is_flag=flag,
        metavar=opt.metavar,
        show_default=opt.choices is not None and opt.default is not None,
        help=help_key,
    )
    option._custom_shell_complete = _completer(opt.complete)  # Click's hook (Typer would warn of the keyword)
    option._metavar_key = opt.metavar  # type: ignore[attr-defined]  (``localize`` writes it in the language)
    return option


def _argument(arg: spec.Arg, help_key: str) -> click.Argument:
    argument = TyperArgument(
        param_decls=[arg.dest],
        required=arg.required,
        default=None if arg.required else arg.default,
        metavar=arg.metavar,
        show_default=False,
        help=help_key,
    )
    argument._custom_shell_complete = _completer(arg.complete)
    argument._help_key = help_key  # type: ignore[attr-defined]  (Click's Parameter would forget ``help``)
    argument._metavar_key = arg.metavar  # type: ignore[attr-defined]
    return argument


def _callback(command: spec.Command):  # type: ignore[no-untyped-def]
    def callback(**values: Any) -> None:
        for opt in command.declared():
            if opt.kind == spec.MANY:
                values[opt.dest] = list(values[opt.dest]) or None
        ctx = click.get_current_context()
        code = command.function()(ctx.find_object(Session), **values)
        if code:
            raise typer.Exit(code)

    return callback


def _command(command: spec.Command) -> click.Command:
    params: list[click.Parameter] = [_argument(a, f"{command.key} {a.dest}") for a in command.args]
    params += [_option(o, command.help_key(o)) for o in command.declared()]
    return _Command(
        name=command.path[-1],
        params=params,
        callback=_callback(command),
        help=command.key,
        hidden=command.hidden,
        rich_markup_mode=None,
        context_settings={"help_option_names": list(spec.HELP_NAMES)},
    )


def _commands() -> dict[str, click.Command]:
    top: dict[str, click.Command] = {}
    for path, command in spec.COMMANDS.items():
        if len(path) == 1:
            top[path[0]] = _command(command)
            continue
        group = top.get(path[0])
        if group is None:
            group = top[path[0]] = _SubGroup(
                name=path[0],
                help=path[0],
                no_args_is_help=True,
                rich_markup_mode=None,
                context_settings={"help_option_names": list(spec.HELP_NAMES)},
            )
        group.add_command(_command(command))  # type: ignore[attr-defined]
    return top


def _version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        write_plain(f"cytrack {__version__}")
        ctx.exit()


def _global_params() -> list[click.Parameter]:
    params: list[click.Parameter] = [_option(o, o.help or o.dest) for o in spec.GLOBAL.values()]
    version = spec.VERSION
    params.append(
        TyperOption(
            param_decls=[version.dest, *version.names],
            is_flag=True,
            is_eager=True,
            expose_value=False,
            callback=_version,
            help=version.help,
        )
    )
    return params


# --- Help in the user's language --------------------------------------------------------------


def localize(group: click.Command, lang: str) -> None:
    """Write the help of every command and option, the placeholders of their values (``--date 日期``)
    and the usage line's placeholders, in ``lang`` (the tree keeps keys aside)."""
    options, subcommand = clickwords.placeholders(lang)
    stack: list[tuple[click.Command, str | None]] = [(group, "cytrack")]
    while stack:
        cmd, key = stack.pop()
        cmd.options_metavar = options
        if isinstance(cmd, click.Group):
            cmd.subcommand_metavar = subcommand
        key = getattr(cmd, "_help_key", None) or key or cmd.help or ""
        cmd._help_key = key  # type: ignore[attr-defined]
        cmd.help = help_text(lang, key)
        for param in cmd.params:
            pkey = getattr(param, "_help_key", None)
            if pkey is None:
                given = getattr(param, "help", None) or ""
                pkey = given if help_text(lang, given, missing="") else param.name or ""
                param._help_key = pkey  # type: ignore[attr-defined]
            if help_text(lang, pkey, missing=""):
                param.help = help_text(lang, pkey)  # type: ignore[attr-defined]
            declared = getattr(param, "_metavar_key", None)
            if declared is not None:
                param.metavar = metavar_text(lang, declared, pkey)
        for sub in getattr(cmd, "commands", {}).values():
            stack.append((sub, None))


# --- The Typer application -----------------------------------------------------------------------


def _main(ctx: typer.Context, **settings: Any) -> None:
    from cytrack.i18n import current

    ctx.obj = Session(ledger_flag=settings.get("ledger_flag"), lang=current())


# Typer builds the application's own options from the callback's signature; cytrack's come from spec.
_main.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)]
)

app = typer.Typer(
    cls=CytrackGroup,
    name="cytrack",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": list(spec.HELP_NAMES)},
)
app.callback(help="cytrack")(_main)


def session_of(ctx: typer.Context) -> Session:
    return ctx.ensure_object(Session)
