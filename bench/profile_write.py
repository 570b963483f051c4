"""Where one ``cytrack update`` spends its time, stage by stage, on a cache hit.

    python bench/profile_write.py 20000      # a generated ledger of N commitments

Runs the steps of ``store.write_change`` one by one in this process (the same calls, in the
same order, on a ledger in a temp folder) after one warm-up write, and prints the median of
7 writes per stage in milliseconds, then the whole command in separate processes.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=20000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cytrack-write-"))
    os.environ["CYTRACK_CACHE_DIR"] = str(work / "cache")
    items = make_items(args.n, date.today())
    path = work / "commitments.toml"
    path.write_text(ledger_text(items), encoding="utf-8", newline="\n")
    target = items[args.n // 2].id

    from cytrack.cache import folder as cache
    from cytrack.ledger.load import LedgerLocation, load_ledger
    from cytrack.store import changes
    from cytrack.store import view as writeview
    from cytrack.store import write as store
    from cytrack.store.faults import FileSystem

    gc.set_threshold(100_000, 50, 100)  # as cytrack.__main__ does
    load_ledger(path)  # fills the cache, as any read does
    change = changes.new_progress(target, date.today(), "基准测试：补充一条进展说明。")
    store.write_change(LedgerLocation(path), change)
    laps: dict[str, list[float]] = {}
    for _ in range(7):
        fs = FileSystem()
        clock = time.perf_counter()

        def lap(name: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            laps.setdefault(name, []).append((now - clock) * 1000)
            clock = now

        with store.ledger_lock(path):
            lap("take the lock")
            store.remove_stale_temps(path, fs)
            before = store._snapshot(path, fs)
            lap("read the bytes, BLAKE2b (the snapshot's hash and the cache key)")
            view = writeview.open_view(str(path), before.raw, before.digest)
            lap("cache entry: read it, decode its header frame")
            edit = change.apply(view)
            lap("find the target, decode its frame, parse, check and edit its block")
            changed, _warnings = store.verify(view, edit)
            lap("verify the new block, id uniqueness")
            data = view.splice(edit)
            lap("splice the bytes")
            new_key = store._in_background(cache.key, data)
            store._unchanged(path, before, fs)
            lap("re-check size/mtime/inode/BLAKE2b (new key hashed meanwhile)")
            store.replace_ledger(path, data, fs)
            lap("replace (temp file, fsync, rename, fsync folder)")
        digest = new_key()
        lap("wait for the new key")
        entry = writeview.next_entry(view, edit, changed, data)
        lap("new entry: shift the layout and lines, encode the target's frame")
        cache.save(digest, entry)
        lap("store the new entry (header + frames copied)")
    print(f"N = {args.n:,}, {path.stat().st_size / 1048576:.1f} MiB; in process, median of 7 (ms)\n")
    print("| stage | ms |\n|---|---:|")
    for name, values in laps.items():
        print(f"| {name} | {statistics.median(values):.0f} |")
    print(f"| (sum) | {sum(statistics.median(v) for v in laps.values()):.0f} |")

    script = Path(sys.executable).with_name("cytrack")
    cytrack = [str(script)] if script.exists() else [sys.executable, "-m", "cytrack"]
    # As installed code runs: with compiled bytecode, kept out of the source tree.
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(work / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([*cytrack, "--version"], check=True, stdout=subprocess.DEVNULL, env=env)
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        subprocess.run([*cytrack, "--ledger", str(path), "update", target, "--note", "再补一条"], check=True,
                       stdout=subprocess.DEVNULL, env=env)
        runs.append(time.perf_counter() - start)
    version = []
    for _ in range(7):
        start = time.perf_counter()
        subprocess.run([*cytrack, "--version"], check=True, stdout=subprocess.DEVNULL, env=env)
        version.append(time.perf_counter() - start)
    print(f"\nseparate processes, median of 7: `cytrack update` {statistics.median(runs) * 1000:.0f} ms,"
          f" `cytrack --version` (through Typer) {statistics.median(version) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
