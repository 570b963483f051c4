"""The yardstick for start-up cost: a one-command Typer app that prints a 20-row Rich table.

``cytrack list`` on the shipped ledger should be no slower than this.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False)


@app.command()
def main(rows: Annotated[int, typer.Option("--rows", help="How many rows.")] = 20) -> None:
    """Print a small table."""
    table = Table("编号", "事项", "牵头单位", "状态", "进度")
    for i in range(rows):
        table.add_row(f"1-{i + 1}", "电子信息先进制造集群培育提升三年行动", "市经济信息委", "推进中", f"{i * 5}%")
    Console().print(table)


if __name__ == "__main__":
    app()
