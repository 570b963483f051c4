"""Click's words that Click writes outside gettext, in the user's language.

Click looks most of its words up in the catalogue (``cytrack.i18n.catalogue``), but a few
pieces it writes itself, in English or ASCII punctuation, whatever the catalogue says:

- the usage placeholders ``[OPTIONS]`` and ``COMMAND [ARGS]...`` (per-command settings,
  ``options_metavar`` and ``subcommand_metavar``: ``placeholders`` gives them in the
  language, from the catalogue, and ``cli.typer_app.localize`` sets them);
- the full stop after "Missing argument 'ID'", the quotes around a parameter's name in
  every usage error, and the list of "did you mean" candidates: ``chinese_message``
  writes those errors again in Chinese with “” and 。, as cytrack's own messages are.

English is left exactly as Click prints it.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from cytrack.i18n import catalogue

# Click 8.4 and later say "No such command" with candidates as ``NoSuchCommand``.
_SUGGESTING = (click.NoSuchOption, getattr(click.exceptions, "NoSuchCommand", click.NoSuchOption))
OPTIONS = "[OPTIONS]"
SUBCOMMAND = "COMMAND [ARGS]..."


def placeholders(lang: str) -> tuple[str, str]:
    """The usage line's ``[OPTIONS]`` and ``COMMAND [ARGS]...`` in ``lang`` (``[选项]``, ``命令 [参数]...``)."""
    words = catalogue.translations(lang)
    return words.gettext(OPTIONS), words.gettext(SUBCOMMAND)


def quoted(names: Sequence[str] | str) -> str:
    """``“--format” / “-f”``: names in Chinese quotes, as cytrack's Chinese messages quote what was typed."""
    if isinstance(names, str):
        names = [names]
    return " / ".join(f"“{name}”" for name in names)


def _hint(exc: click.BadParameter) -> str | None:
    """The parameter an error is about, quoted in Chinese (Click: ``'--format' / '-f'``, ``'ID'``)."""
    if exc.param_hint is not None:
        return quoted(exc.param_hint) if not isinstance(exc.param_hint, str) else exc.param_hint
    param = exc.param
    if param is None:
        return None
    if isinstance(param, click.Argument):
        return quoted(param.make_metavar(exc.ctx) if exc.ctx is not None else param.human_readable_name)
    return quoted(param.opts or [param.human_readable_name])


def _candidates(possibilities: Sequence[str]) -> str:
    from gettext import ngettext

    names = [f"“{p}”" for p in sorted(possibilities)]
    names = names[0] if len(names) == 1 else "、".join(names[:-1]) + "或" + names[-1]
    template = ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", len(possibilities))
    return template.format(possibility=names, possibilities=names)


def chinese_message(exc: BaseException) -> str | None:
    """The Chinese text of a Click usage error whose English form Click assembles itself; None for the rest.

    Called while the catalogue speaks Chinese (``catalogue.speaking``), so ``gettext`` gives the words.
    """
    from gettext import gettext

    if isinstance(exc, click.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        missing = {
            "argument": gettext("Missing argument"),
            "option": gettext("Missing option"),
            "parameter": gettext("Missing parameter"),
        }.get(kind) or gettext("Missing {param_type}").format(param_type=kind)
        hint = _hint(exc) or ""
        extra = exc.message or ""
        if exc.param is not None:
            more = exc.param.type.get_missing_message(param=exc.param, ctx=exc.ctx)
            extra = f"{extra}。{more}" if extra and more else extra or more or ""
        return f"{missing}{hint}。{extra}"
    if isinstance(exc, click.BadParameter):
        hint = _hint(exc)
        if hint is None:
            return None
        return gettext("Invalid value for {param_hint}: {message}").format(param_hint=hint, message=exc.message)
    if isinstance(exc, _SUGGESTING) and exc.possibilities:
        return f"{exc.message}{_candidates(exc.possibilities)}"
    return None


class Choice(click.Choice):
    """Click's choice, whose Chinese refusal lists the values as “table”、“json”、“csv”."""

    def get_invalid_choice_message(self, value: object, ctx: click.Context | None) -> str:
        from cytrack.i18n import current

        if current() != "zh":
            return super().get_invalid_choice_message(value, ctx)
        from gettext import ngettext

        choices = "、".join(f"“{c}”" for c in self.choices)
        return ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", len(self.choices)).format(
            value=value, choice=choices, choices=choices
        )
