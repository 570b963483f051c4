"""Side-by-side benchmark: cytrack against Taskwarrior on the same data.

    python bench/run.py                 # N = 200 2000 20000, 7 repeats
    python bench/run.py 2000 -k 11      # one size, more repeats
    python bench/run.py --smoke         # tiny and quick, for CI (no timing is asserted)

For each N it writes a ledger of N commitments (5 progress entries each) and imports the
same tasks into a private Taskwarrior database, then runs each pair of commands
alternately k times and prints the medians and the ratio cytrack / Taskwarrior as a
Markdown table.  A cytrack command that does not exist yet, or a missing ``task``
binary, turns its row or column into "n/a" instead of failing.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen import ledger_text, make_items, office_files, taskwarrior_json  # noqa: E402

ROOT = HERE.parent
SHIPPED = ROOT / "data" / "commitments.toml"
HEADER = "| N | work | cytrack median (s) | Taskwarrior median (s) | ratio | goal | cytrack first run (s) |"
GOALS = {2000: 2.0, 20000: 1.0}
# The office ledger (issue 16): N commitments in F reply files; goals per work, by N.
OFFICE_GOALS = {
    20000: {"list": 0.5, "overdue": 0.5, "update": 0.5, "changed": 1.0},
    2000: {"list": 1.5, "overdue": 1.5, "update": 1.5, "changed": 1.5},
}
MIB = 1048576
TASKRC = """\
data.location={data}
confirmation=off
verbose=nothing
gc=off
hooks=off
recurrence=off
detection=off
defaultwidth=120
uda.owner.type=string
uda.owner.label=Owner
"""


@dataclass
class Run:
    """One finished child process: wall time, peak resident memory (bytes, 0 if unknown), exit code."""

    seconds: float
    peak: int
    code: int
    out: bytes = b""


# A small parent for each measured command.  On Linux a child's ``ru_maxrss`` starts from the
# peak of the process it was forked from (exec keeps the old memory's high-water mark), so a
# command forked straight from this bench, which holds the generated data, reported the
# bench's own size.  This wrapper (``python -S``, a few MiB) spawns the command, waits for it
# with ``wait4`` and writes its wall time, its own peak RSS and its exit status to the fd
# given as the first argument.
_WRAP = (
    "import os,sys,time\n"
    "fd=int(sys.argv[1]);os.set_inheritable(fd,False)\n"
    "t=time.perf_counter()\n"
    "pid=os.posix_spawnp(sys.argv[2],sys.argv[2:],os.environ)\n"
    "_,st,ru=os.wait4(pid,0)\n"
    "dt=time.perf_counter()-t\n"
    "os.write(fd,('%r %d %d'%(dt,ru.ru_maxrss,os.waitstatus_to_exitcode(st))).encode())\n"
)


def _wrapped(argv: list[str]) -> tuple[list[str], int, int]:
    """``argv`` under the small parent; returns the new argv and the report pipe's two ends."""
    read, write = os.pipe()
    return [sys.executable, "-S", "-c", _WRAP, str(write), *argv], read, write


def _report(proc: subprocess.Popen[bytes], read: int, write: int, start: float) -> tuple[float, int, int]:
    """Wait for the wrapper and return the command's seconds, peak RSS (bytes) and exit code."""
    os.close(write)
    proc.wait()
    with os.fdopen(read, "rb") as pipe:
        text = pipe.read().decode()
    if not text:  # the wrapper itself failed (cannot happen unless the command cannot be spawned)
        return time.perf_counter() - start, 0, proc.returncode or 127
    seconds, maxrss, code = text.split()
    scale = 1 if sys.platform == "darwin" else 1024
    return float(seconds), int(maxrss) * scale, int(code)


def run_once(argv: list[str], env: dict[str, str], *, tty: bool = False, keep: bool = False) -> Run:
    """Run ``argv`` once; its stdout goes to a pseudo-terminal when ``tty``, else to a file."""
    if tty and hasattr(os, "openpty"):
        return _run_tty(argv, env)
    with tempfile.TemporaryFile() as sink:
        start = time.perf_counter()
        if hasattr(os, "posix_spawnp") and hasattr(os, "wait4"):
            wrapped, read, write = _wrapped(argv)
            proc = subprocess.Popen(wrapped, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.DEVNULL,
                                    env=env, pass_fds=(write,))
            seconds, peak, code = _report(proc, read, write, start)
        else:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.DEVNULL, env=env)
            code, peak = _wait(proc)
            seconds = time.perf_counter() - start
        out = b""
        if keep:
            sink.seek(0)
            out = sink.read()
    return Run(seconds, peak, code, out)


def _wait(proc: subprocess.Popen[bytes]) -> tuple[int, int]:
    """Wait for the child and return its exit code and peak RSS (``wait4`` sees that child alone)."""
    if not hasattr(os, "wait4"):
        return proc.wait(), 0
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    scale = 1 if sys.platform == "darwin" else 1024
    return proc.returncode, usage.ru_maxrss * scale


def _run_tty(argv: list[str], env: dict[str, str]) -> Run:
    master, slave = os.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.perf_counter()
    if hasattr(os, "posix_spawnp") and hasattr(os, "wait4"):
        wrapped, read, write = _wrapped(argv)
        proc = subprocess.Popen(wrapped, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.DEVNULL,
                                env=env, pass_fds=(write,))
        os.close(slave)
        seconds, peak, code = _report(proc, read, write, start)
    else:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.DEVNULL, env=env)
        os.close(slave)
        code, peak = _wait(proc)
        seconds = time.perf_counter() - start
    reader.join(timeout=5)
    os.close(master)
    return Run(seconds, peak, code, b"".join(chunks))


@dataclass
class Row:
    n: int
    work: str
    ours: list[Run] = field(default_factory=list)
    peer: list[Run] = field(default_factory=list)
    first: Run | None = None
    note: str = ""

    @staticmethod
    def median(runs: list[Run]) -> float | None:
        return statistics.median(r.seconds for r in runs) if runs else None

    goal: float | None = None

    def line(self) -> str:
        ours, peer = self.median(self.ours), self.median(self.peer)
        ratio = f"{ours / peer:.2f}" if ours is not None and peer else "n/a"
        goal = f"≤ {GOALS[self.n]:.1f}" if self.n in GOALS and self.work[0] != "(" else ""
        if self.goal is not None:
            goal = f"≤ {self.goal:.1f}"
        first = f"{self.first.seconds:.3f}" if self.first else ""
        cells = [
            f"{self.n:,}",
            self.work,
            f"{ours:.3f}" if ours is not None else f"n/a{self.note}",
            f"{peer:.3f}" if peer is not None else "n/a",
            ratio,
            goal,
            first,
        ]
        return "| " + " | ".join(cells) + " |"


class Bench:
    """Holds the commands, the environment and the temp folder of one benchmark run."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.cytrack = args.cytrack.split() if args.cytrack else _default_cytrack()
        self.task = None if args.no_peer else shutil.which("task")
        self.env = dict(os.environ)
        self.env.pop("NO_COLOR", None)
        self.env.pop("CYTRACK_LEDGER", None)
        # Run as installed code runs: with compiled bytecode (kept out of the source tree).
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        self.env["CYTRACK_CACHE_DIR"] = str(work / "cache")
        if args.no_cache:
            self.env["CYTRACK_NO_CACHE"] = "1"
        self.available: dict[str, bool] = {}

    def has(self, command: str, option: str | None = None) -> bool:
        """Whether ``cytrack COMMAND --help`` works (and mentions ``option``)."""
        key = f"{command} {option}"
        if key not in self.available:
            proc = subprocess.run(
                [*self.cytrack, command, "--help"], capture_output=True, env=self.env, stdin=subprocess.DEVNULL
            )
            self.available[key] = proc.returncode == 0 and (option is None or option.encode() in proc.stdout)
        return self.available[key]

    def prepare(self, n: int) -> tuple[Path, dict[str, str] | None, str]:
        """The ledger of size ``n``, the environment of its Taskwarrior twin (None without ``task``),
        and the id of the commitment that ``update`` changes."""
        folder = self.work / f"n{n}"
        folder.mkdir()
        items = make_items(n, date.today())
        ledger = folder / "commitments.toml"
        ledger.write_text(ledger_text(items), encoding="utf-8", newline="\n")
        target = items[n // 2].id
        if self.task is None:
            return ledger, None, target
        data = folder / "taskdata"
        data.mkdir()
        rc = folder / "taskrc"
        rc.write_text(TASKRC.format(data=data), encoding="utf-8")
        env = dict(self.env, TASKRC=str(rc), TASKDATA=str(data))
        imported = folder / "tasks.json"
        imported.write_text(taskwarrior_json(items), encoding="utf-8")
        done = subprocess.run([self.task, "import", str(imported)], env=env, capture_output=True)
        if done.returncode != 0:
            print(f"bench: `task import` failed ({done.stderr.decode(errors='replace').strip()}); "
                  "the Taskwarrior column is skipped", file=sys.stderr)
            self.task = None
            return ledger, None, target
        return ledger, env, target

    def pair(self, row: Row, ours: list[str] | None, peer: list[str] | None, peer_env: dict[str, str] | None) -> Row:
        """Run both commands alternately; the first cytrack run is timed apart (it fills the cache)."""
        if ours is not None:
            row.first = self.checked(ours, self.env)
        for _ in range(self.args.repeat):
            if ours is not None:
                row.ours.append(self.checked(ours, self.env))
            if peer is not None and peer_env is not None:
                row.peer.append(self.checked(peer, peer_env))
        return row

    def checked(self, argv: list[str], env: dict[str, str], *, tty: bool = False) -> Run:
        run = run_once(argv, env, tty=tty)
        if run.code != 0:
            raise SystemExit(f"bench: {' '.join(argv)} exited with {run.code}")
        return run

    def size(self, n: int) -> list[Row]:
        ledger, tw, target = self.prepare(n)
        cy = [*self.cytrack, "--ledger", str(ledger)]
        task = [self.task] if self.task else None
        note = "基准测试：补充一条进展说明。"
        missing = " (no command)"
        overdue = [*cy, "overdue", "--format", "json"] if self.has("overdue") else None
        update = [*cy, "update", target, "--note", note] if self.has("update", "--note") else None
        return [
            self.pair(Row(n, "list --format json / task list"), [*cy, "list", "--format", "json"],
                      task and [*task, "list"], tw),
            self.pair(Row(n, "overdue --format json / task overdue", note="" if overdue else missing),
                      overdue, task and [*task, "overdue"], tw),
            self.pair(Row(n, "update ID --note / task ID annotate", note="" if update else missing),
                      update, task and [*task, "1", "annotate", note], tw),
        ]

    def office(self, n: int, files: int) -> list[Row]:
        """An office ledger of ``n`` commitments in ``files`` reply files against the same ``n`` tasks.

        Rows: warm ``list --format json`` and ``overdue --format json``, ``update KEY/ID``, and the
        first ``list`` after five reply files changed (as after a ``git pull``): before each such
        run five files get a new comment line, so each run re-reads five files."""
        folder = self.work / f"office{n}-{files}"
        (folder / "replies").mkdir(parents=True)
        items = make_items(n, date.today())
        entry_text, replies = office_files(items, files, date.today())
        entry = folder / "commitments.toml"
        entry.write_text(entry_text, encoding="utf-8", newline="\n")
        for name, text in replies:
            (folder / name).write_text(text, encoding="utf-8", newline="\n")
        key = Path(replies[len(replies) // 2][0]).stem
        target = f"{key}/1-1"
        tw = None
        if self.task is not None:
            data = folder / "taskdata"
            data.mkdir()
            rc = folder / "taskrc"
            rc.write_text(TASKRC.format(data=data), encoding="utf-8")
            tw = dict(self.env, TASKRC=str(rc), TASKDATA=str(data))
            imported = folder / "tasks.json"
            imported.write_text(taskwarrior_json(items), encoding="utf-8")
            if subprocess.run([self.task, "import", str(imported)], env=tw, capture_output=True).returncode != 0:
                tw = None
        cy = [*self.cytrack, "--ledger", str(entry)]
        task = [self.task] if self.task and tw else None
        goals = OFFICE_GOALS.get(n, {})
        label = f"{n:,} in {files} files"
        rows = [
            self.pair(Row(n, f"office ({label}): list --format json / task list", goal=goals.get("list")),
                      [*cy, "list", "--format", "json"], task and [*task, "list"], tw),
            self.pair(Row(n, f"office ({label}): overdue --format json / task overdue", goal=goals.get("overdue")),
                      [*cy, "overdue", "--format", "json"], task and [*task, "overdue"], tw),
            self.pair(Row(n, f"office ({label}): update {target} --note / task ID annotate", goal=goals.get("update")),
                      [*cy, "update", target, "--note", "基准测试：补充一条进展说明。"],
                      task and [*task, "1", "annotate", "基准测试：补充一条进展说明。"], tw),
        ]
        changed = Row(n, f"office ({label}): list after 5 files changed / task list", goal=goals.get("changed"))
        names = [folder / name for name, _ in replies]
        for k in range(self.args.repeat):
            for j in range(5):
                path = names[(k * 5 + j) % len(names)]
                with path.open("a", encoding="utf-8") as f:
                    f.write(f"# 基准测试改动 {k}\n")
            changed.ours.append(self.checked([*cy, "list", "--format", "json"], self.env))
            if task is not None and tw is not None:
                changed.peer.append(self.checked([*task, "list"], tw))
        rows.append(changed)
        return rows

    def terminal_rows(self, table_n: int) -> list[Row]:
        """``cytrack list`` as a terminal sees it: the shipped ledger against a minimal Typer app,
        and a ``table_n``-row table."""
        env = dict(self.env, COLUMNS="120", LINES="40")
        saved, self.env = self.env, env
        try:
            rows = [Row(27, "(tty) list, shipped ledger / mini Typer app, 20-row Rich table")]
            mini = [sys.executable, str(HERE / "mini_app.py")]
            shipped = [*self.cytrack, "--ledger", str(SHIPPED), "list"]
            self.checked(shipped, env, tty=True)
            for _ in range(self.args.repeat):
                rows[0].ours.append(self.checked(shipped, env, tty=True))
                rows[0].peer.append(self.checked(mini, env, tty=True))
            folder = self.work / f"table{table_n}"
            folder.mkdir()
            ledger = folder / "commitments.toml"
            ledger.write_text(ledger_text(make_items(table_n, date.today())), encoding="utf-8", newline="\n")
            big = [*self.cytrack, "--ledger", str(ledger), "list"]
            row = Row(table_n, f"(tty) list, {table_n:,}-row table, 120 columns")
            row.first = self.checked(big, env, tty=True)
            row.ours = [self.checked(big, env, tty=True) for _ in range(self.args.repeat)]
            rows.append(row)
            return rows
        finally:
            self.env = saved


def _default_cytrack() -> list[str]:
    script = Path(sys.executable).with_name("cytrack.exe" if os.name == "nt" else "cytrack")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cytrack"]


def _version(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def machine_facts(bench: Bench) -> list[str]:
    from importlib import metadata

    def ver(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "absent"

    facts = [
        f"- machine: {platform.platform()}, {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}",
        f"- Python {platform.python_version()}; cytrack {ver('cytrack')}, typer {ver('typer')}, rich {ver('rich')},"
        f" pydantic {ver('pydantic')}",
        f"- Taskwarrior: {_version([bench.task, '--version']) if bench.task else 'absent (peer column skipped)'}",
        f"- command: python bench/{Path(sys.argv[0]).name} {' '.join(sys.argv[1:])}".rstrip(),
    ]
    return facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, help="numbers of commitments (default 200 2000 20000)")
    parser.add_argument("-k", "--repeat", type=int, default=7, help="runs of each command per size (default 7)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run each: checks the bench works")
    parser.add_argument("--table-rows", type=int, default=2000, help="rows of the terminal table test (default 2000)")
    parser.add_argument("--cytrack", help="how to run cytrack (default: the cytrack script beside this Python)")
    parser.add_argument("--no-peer", action="store_true", help="do not run Taskwarrior")
    parser.add_argument("--no-cache", action="store_true", help="run cytrack with CYTRACK_NO_CACHE=1")
    parser.add_argument("--keep", action="store_true", help="keep the generated data and print where it is")
    parser.add_argument("--office", nargs="*", metavar="N:FILES",
                        help="office ledgers instead: N commitments in FILES reply files (e.g. 20000:600 2000:60)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes = args.sizes or [30]
        args.repeat = 1
        args.table_rows = 40
    sizes = args.sizes or [200, 2000, 20000]

    work = Path(tempfile.mkdtemp(prefix="cytrack-bench-"))
    try:
        bench = Bench(args, work)
        print("\n".join(machine_facts(bench)), flush=True)
        print()
        print(HEADER)
        print("|---:|---|---:|---:|---:|---|---:|", flush=True)
        peaks: dict[int, tuple[int, int, int]] = {}
        every: list[Row] = []
        if args.office is not None:
            bench.env["NO_COLOR"] = "1"
            for spec in args.office or ["2000:60", "20000:600"]:
                n, files = (int(x) for x in spec.split(":"))
                for row in bench.office(n, files):
                    print(row.line(), flush=True)
                    every.append(row)
                    if "list --format json" in row.work and row.first is not None:
                        peaks[n] = (row.first.peak, max((r.peak for r in row.ours), default=0),
                                    max((r.peak for r in row.peer), default=0))
            sizes = []
        for n in sizes:
            for row in bench.size(n):
                print(row.line(), flush=True)
                every.append(row)
                if row.work.startswith("list"):
                    peaks[n] = (row.first.peak if row.first else 0, max((r.peak for r in row.ours), default=0),
                                max((r.peak for r in row.peer), default=0))
        for row in bench.terminal_rows(args.table_rows) if args.office is None else []:
            print(row.line(), flush=True)
        print()
        for n, (first, warm, peer) in peaks.items():
            theirs = f"{peer / MIB:.0f} MiB" if peer else "n/a"
            print(f"- peak memory (max RSS) at N = {n:,}: `cytrack list --format json` {first / MIB:.0f} MiB on the"
                  f" first run, {warm / MIB:.0f} MiB after; `task list` {theirs}")
        for row in every:
            ours = max((r.peak for r in [*row.ours, *([row.first] if row.first else [])]), default=0)
            theirs = max((r.peak for r in row.peer), default=0)
            if ours:
                peer = f"{theirs / MIB:.0f} MiB" if theirs else "n/a"
                print(f"- peak memory at N = {row.n:,}, {row.work}: cytrack {ours / MIB:.0f} MiB, Taskwarrior {peer}")
        if args.keep:
            print(f"- data kept in {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
