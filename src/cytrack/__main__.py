"""Entry point for ``python -m cytrack`` and the ``cytrack`` console script."""

import gc
import sys

from cytrack.cli.quick import run


def main(argv: list[str] | None = None) -> None:
    """Run ``cytrack`` with ``argv`` (default: the process's arguments) and exit with its code."""
    # One run builds up to a million small objects and almost no cycles; the default
    # threshold (a collection every 700 allocations) would cost a fifth of `list` on a
    # large ledger.  Collections still happen, just less often.
    gc.set_threshold(100_000, 50, 100)
    args = sys.argv[1:] if argv is None else list(argv)
    code = run(args)  # the everyday commands, without building Typer
    if code is not None:
        sys.exit(code)
    from cytrack.cli import app

    sys.exit(app(args=args, prog_name="cytrack"))


if __name__ == "__main__":
    main()
