"""Entry point for ``python -m cytrack`` and the ``cytrack`` console script."""

import gc
import sys


def main() -> None:
    # One run builds up to a million small objects and almost no cycles; the default
    # threshold (a collection every 700 allocations) would cost a fifth of `list` on a
    # large ledger.  Collections still happen, just less often.
    gc.set_threshold(100_000, 50, 100)
    from cytrack.cli import app

    sys.exit(app())


if __name__ == "__main__":
    main()
