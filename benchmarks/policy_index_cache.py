"""Benchmark: a CLI policy search in a new process — index segmented anew vs read from disk.

    python benchmarks/policy_index_cache.py --docs 100000 --repeat 3

A store at `--db` gets `--docs` synthetic policies (benchmarks/policy_search.py's
generator, written through the product's writer; reused when present). Each run
is a cold `zonescope policies search 海外仓 --json` process: first with an empty
cache directory (the index is segmented with jieba and saved), then with the file
that run left (the postings are read back). Both runs must print the same results.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import policy_search  # noqa: E402

import zonescope  # noqa: E402
from zonescope.store import writer  # noqa: E402


def prepare(db: Path, docs: int) -> None:
    with zonescope.open(db) as zs:
        con = zs.store.con
        have = con.execute("SELECT count(*) FROM policies WHERE source = 'synthetic'").fetchone()
        if have and have[0]:
            return
        rows = policy_search.make_docs(docs, seed=7)
        meta = writer.ImportMeta("policies", "synthetic.csv", "-", "user", None)
        writer.write_rows(con, "policies", ["region_id", "title"], rows, meta)


def search(db: Path, cache: Path) -> tuple[float, str]:
    env = {**os.environ, "ZONESCOPE_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "zonescope", "--db", str(db), "policies",
                           "search", "海外仓", "--json"], capture_output=True, text=True,
                          env=env, check=True)
    return time.perf_counter() - start, json.dumps(json.loads(done.stdout)["results"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/zonescope-bench-policies.duckdb"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    prepare(args.db, args.docs)
    cold, warm = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as cache:
            seconds, built = search(args.db, Path(cache))
            cold.append(seconds)
            seconds, read = search(args.db, Path(cache))
            warm.append(seconds)
            if read != built:
                raise AssertionError("the index read from disk answers differently")
            size = sum(f.stat().st_size for f in Path(cache).iterdir())
    print(f"{args.docs:,} policies; cache file {size / 1e6:.1f} MB; results identical")
    print(f"new process, index segmented:  {statistics.median(cold):7.2f} s")
    print(f"new process, index from disk:  {statistics.median(warm):7.2f} s")
    print(f"ratio: {statistics.median(cold) / statistics.median(warm):.1f}×")


if __name__ == "__main__":
    main()
