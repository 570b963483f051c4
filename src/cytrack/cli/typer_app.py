"""The Typer application: global options, error handling, and the shared option types.

Commands live beside this module, one module per area, and register on ``app``.
"""

# No `from __future__ import annotations` here: Typer would compile every annotation string
# again on each run (~20 ms for all commands); real annotation objects cost nothing.

from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from cytrack import __version__
from cytrack.commands import exit_code_for
from cytrack.cli.quick import GLOBAL
from cytrack.commands.session import Session
from cytrack.render.terminal import write_plain
from cytrack.textsafe import visible

GLOBAL_OPTIONS = tuple(GLOBAL)  # --ledger, --lang: what the quick path also accepts anywhere


class CytrackGroup(TyperGroup):
    """Lets ``--ledger``/``--lang`` stand after the command name, and turns errors into exits."""

    def parse_args(self, ctx, args):  # type: ignore[no-untyped-def]
        try:
            return super().parse_args(ctx, hoist_global_options(self, args))
        except Exception as exc:
            _make_inert(exc)
            raise

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last guard before a traceback
            _make_inert(exc)
            code = exit_code_for(exc)
            if code is None:
                raise
            raise typer.Exit(code) from None


def _make_inert(exc: Exception) -> None:
    """Click shows C0/C1 controls in the values it echoes as ``\\xNN``, but passes bidi controls raw."""
    message = getattr(exc, "format_message", None)
    if callable(message):
        exc.format_message = lambda: visible(message())  # type: ignore[attr-defined]


def _value_options(group) -> set[str]:  # type: ignore[no-untyped-def]
    """Every option name of every (sub)command that takes a value."""
    names: set[str] = set()
    stack = [group]
    while stack:
        cmd = stack.pop()
        for param in getattr(cmd, "params", []):
            if getattr(param, "is_flag", False) or getattr(param, "param_type_name", "") != "option":
                continue
            names.update(param.opts)
        stack.extend(getattr(cmd, "commands", {}).values())
    return names


def hoist_global_options(group, args: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Move ``--ledger X``/``--lang X`` found after the command name to the front."""
    takes_value = _value_options(group) - set(GLOBAL_OPTIONS)
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg in GLOBAL_OPTIONS and i + 1 < len(args):
            front.extend(args[i : i + 2])
            i += 2
            continue
        if arg.startswith(tuple(o + "=" for o in GLOBAL_OPTIONS)):
            front.append(arg)
            i += 1
            continue
        rest.append(arg)
        if arg in takes_value and i + 1 < len(args):
            rest.append(args[i + 1])
            i += 1
        i += 1
    return front + rest


app = typer.Typer(
    cls=CytrackGroup,
    name="cytrack",
    help="第1181号提案答复承诺事项台账 — track the commitments of a reply to a proposal.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Lang(str, Enum):
    zh = "zh"
    en = "en"


def _version(value: bool) -> None:
    if value:
        write_plain(f"cytrack {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    ledger: Annotated[
        str | None,
        typer.Option(
            "--ledger",
            metavar="PATH",
            help="The ledger file (default: $CYTRACK_LEDGER, then data/commitments.toml here or above).",
        ),
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of labels and reports.")] = Lang.zh,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """第1181号提案答复承诺事项台账 — track the commitments of a reply to a proposal."""
    ctx.obj = Session(ledger_flag=ledger, lang=lang.value)


def session_of(ctx: typer.Context) -> Session:
    return ctx.ensure_object(Session)


def _plain(value: Any) -> Any:
    """A choice as its string value; a repeated choice as a list of them."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [v.value if isinstance(v, Enum) else v for v in value]
    return value


def run(ctx: typer.Context, body: Callable[..., int], values: dict[str, Any]) -> None:
    """Call a command's body (``cytrack.commands``) with the values Typer parsed.

    ``values`` is the command function's ``locals()``: its parameters, named as the body's
    keywords; choices arrive as their string values.  A non-zero exit code ends the run.
    """
    kwargs = {k: _plain(v) for k, v in values.items() if k != "ctx"}
    code = body(session_of(ctx), **kwargs)
    if code:
        raise typer.Exit(code)


AsOf = Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="Compute as of this date (default today).")]


class KindChoice(str, Enum):
    proposal = "proposal"
    suggestion = "suggestion"


def _complete_reply(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from cytrack.cli.completion import complete_reply

    return complete_reply(ctx, incomplete)


# The filters of the office ledger (contract §6), on every command that lists.
ReplyOpt = Annotated[
    list[str] | None,
    typer.Option("--reply", metavar="KEY", help="Only this reply, by its key (repeatable).", autocompletion=_complete_reply),
]
KindOpt = Annotated[
    KindChoice | None, typer.Option("--kind", help="Only proposals (提案) or suggestions (建议).")
]
YearOpt = Annotated[int | None, typer.Option("--year", metavar="N", help="Only the replies of this year.")]
