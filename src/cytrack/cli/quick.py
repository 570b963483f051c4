"""The everyday commands without building the Typer application: start-up is most of their time.

Importing Typer and Click and building the commands costs 30-50 ms on every run, more
than a status check on a few thousand commitments spends on its work.  So
``cytrack.__main__`` first offers the arguments to ``run`` here.  ``spec.scan`` reads
them with the declarations of ``spec.COMMANDS``; when every token is one it fully
understands, ``run`` calls the command's body in ``cytrack.commands`` itself, the same
function with the same values Click would call it with.  Whenever anything is unusual
(help, ``--version``, a token it does not know, an option given twice, a value that
would need converting or checking beyond an exact match, ``--``, shell completion) it
answers None without a side effect, and Typer runs as before and says what it always
said.  So this path never prints a usage error of its own.

``tests/test_quick.py`` checks that both ways give the same output, exit code and ledger
bytes for generated command lines.
"""

from __future__ import annotations

import os

from cytrack.cli.spec import scan


def completing() -> bool:
    """Whether the shell asked for completions (Click's ``_CYTRACK_COMPLETE``): always Typer's work."""
    return any(name.endswith("_COMPLETE") for name in os.environ)


def run(args: list[str]) -> int | None:
    """Run the command line and return its exit code, or None to leave it to Typer."""
    if completing():
        return None
    found = scan(args)
    if not found.quick():
        return None
    from cytrack.commands import exit_code_for
    from cytrack.commands.session import Session
    from cytrack.i18n import choose, use

    lang = choose(found.lang)
    use(lang)
    session = Session(ledger_flag=found.settings.get("ledger_flag"), lang=lang)  # type: ignore[arg-type]
    try:
        return found.command.function()(session, **found.values)  # type: ignore[union-attr]
    except KeyboardInterrupt:
        return 130  # as Typer ends on Ctrl-C: quietly, 128 + SIGINT
    except Exception as exc:  # noqa: BLE001 - the last guard before a traceback, as in cli.typer_app
        code = exit_code_for(exc)
        if code is None:
            raise
        return code
