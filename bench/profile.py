"""Where the time of ``cytrack list --format json`` goes, stage by stage, for a ledger of N commitments.

    python bench/profile.py 20000

Start-up is timed as separate processes (median of 7); the stages of a read from the cache
and of a first read (parse, check, build, store) are timed in this process, in the order
the command runs them.  For a call tree use a sampling profiler on the real command, e.g.
``python -m pyinstrument -m cytrack --ledger L list --format json > /dev/null``.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen import ledger_text, make_items  # noqa: E402


def processes(argv: list[str], env: dict[str, str], k: int = 7) -> float:
    times = []
    for _ in range(k):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class Clock:
    """Prints how long each stage took since the previous one."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        print(f"| {name} | {(now - self.last) * 1000:.0f} |")
        self.last = now


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=20000, help="commitments (default 20000)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cytrack-profile-"))
    os.environ["CYTRACK_CACHE_DIR"] = str(work / "cache")
    path = work / "commitments.toml"
    path.write_text(ledger_text(make_items(args.n, date.today())), encoding="utf-8", newline="\n")
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(work / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    script = Path(sys.executable).with_name("cytrack")
    cytrack = [str(script)] if script.exists() else [sys.executable, "-m", "cytrack"]
    subprocess.run([*cytrack, "--ledger", str(path), "list", "--format", "json"], env=env, stdout=subprocess.DEVNULL)

    print(f"N = {args.n:,}, {path.stat().st_size / 1048576:.1f} MiB\n")
    print("| separate processes (median of 7) | ms |\n|---|---:|")
    print(f"| python -c pass | {processes([sys.executable, '-c', 'pass'], env) * 1000:.0f} |")
    print(f"| python -c 'import typer' | {processes([sys.executable, '-c', 'import typer'], env) * 1000:.0f} |")
    version = processes([*cytrack, "--version"], env)
    print(f"| cytrack --version (through Typer: all imports, every command built) | {version * 1000:.0f} |")
    tiny = work / "one.toml"
    tiny.write_text(ledger_text(make_items(1, date.today())), encoding="utf-8", newline="\n")
    subprocess.run([*cytrack, "--ledger", str(tiny), "list", "--format", "json"], env=env, stdout=subprocess.DEVNULL)
    quick = processes([*cytrack, "--ledger", str(tiny), "list", "--format", "json"], env)
    print(f"| cytrack list --format json, 1 commitment (start-up of the quick path) | {quick * 1000:.0f} |")
    whole = processes([*cytrack, "--ledger", str(path), "list", "--format", "json"], env)
    print(f"| cytrack list --format json (cache hit) | {whole * 1000:.0f} |\n")

    from cytrack.cache import folder as cache
    from cytrack.i18n import core as i18n

    i18n.use(i18n.choose(None))  # as the command line does: the cache key holds the language
    from cytrack.core.query import row, select, sort_states
    from cytrack.ledger.load import decode_ledger, load_text, read_ledger_bytes
    from cytrack.render.jsonout import to_json

    gc.set_threshold(100_000, 50, 100)  # as cytrack.__main__ does
    print("| read from the cache, in process | ms |\n|---|---:|")
    clock = Clock()
    raw = read_ledger_bytes(path)
    clock.lap("read the ledger's bytes")
    entry = cache.entry_for(raw)
    clock.lap("BLAKE2b of the bytes (the key)")
    blob = entry.read_bytes()
    clock.lap("read the entry")
    body = cache._signed(entry)
    assert body is not None
    clock.lap("read it again and check its MAC (keyed BLAKE2b)")
    blob = bytes(body)
    with cache.paused_gc():
        frames = list(cache._frames(blob))
        clock.lap("marshal.loads of its frames")
        del frames
        ledger = cache._decode(blob, str(path)).ledger
        clock.lap("marshal.loads again + rebuild the model (named tuples)")
    states = select(ledger, date.today())
    clock.lap("states as of today (select)")
    states = sort_states(states)
    clock.lap("sort by id")
    rows = [row(s) for s in states]
    clock.lap("list-shaped rows")
    text = to_json(rows)
    clock.lap("JSON text")
    del text, rows, states, ledger, blob

    print("\n| first read (cache miss), in process | ms |\n|---|---:|")
    from cytrack.ledger.diagnose import nesting_depth as _depth
    from cytrack.ledger.load import build_ledger, parse_toml
    from cytrack.ledger.scan import conflict_marker_lines, index_lines, read_plain
    from cytrack.ledger.validate import validate_data

    clock = Clock()
    lt = decode_ledger(str(path), raw)
    clock.lap("UTF-8 decode, NUL check")
    with cache.paused_gc():
        conflict_marker_lines(lt.text)
        clock.lap("conflict markers")
        plain = read_plain(lt.text)
        clock.lap("data and line index in one pass (scan.read_plain: what a load runs)")
        assert plain is not None
        del plain
        clock.lap("(let them go)")
        data, _ = parse_toml(lt)
        clock.lap("for comparison: tomllib, depth check, shared keys (parse_toml: any other text)")
        _depth(data)
        clock.lap("(depth check alone, again)")
        index = index_lines(lt.text)
        clock.lap("for comparison: line index (index_lines)")
        problems = validate_data(data, index, lt.path)
        clock.lap("schema checks (validate_data)")
        ledger = build_ledger(lt.path, data, index)
        clock.lap("build the model")
        layout = cache.layout_of(lt.text, index, lt.bom)
        clock.lap("block layout for the write path")
        cache.store_entry(entry, ledger, problems, layout)
        clock.lap("write the cache entry")
    start = time.perf_counter()
    load_text(lt)
    print(f"| (load_text as a whole) | {(time.perf_counter() - start) * 1000:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
