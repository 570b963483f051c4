"""The benchmark still runs: its tiny smoke mode completes and prints its table (no timing is judged)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


def test_bench_smoke_mode_runs_and_prints_the_table(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--smoke"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "| N | work | cytrack median (s) | Taskwarrior median (s) | ratio | goal | cytrack first run (s) |" in lines
    works = [line.split(" | ")[1] for line in lines if line.startswith("| 30 |")]
    assert works == [
        "list --format json / task list",
        "overdue --format json / task overdue",
        "update ID --note / task ID annotate",
    ]
    assert any(line.startswith("- peak memory (max RSS) at N = 30:") for line in lines)
