"""Entry point for ``python -m cytrack`` and the ``cytrack`` console script."""

import sys


def main() -> None:
    from cytrack.cli import app

    sys.exit(app())


if __name__ == "__main__":
    main()
