"""Cold-process wall time of `zonescope compare 深圳 宁波 -o FILE` per format, and file sizes.

Targets (issue 8): HTML ≤ 3 s, PDF ≤ 15 s, Word ≤ 5 s. Baseline, side by side: the same
cold process without `-o` (the terminal view), i.e. start-up plus the comparison query.

    python benchmarks/report.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"html": 3.0, "pdf": 15.0, "docx": 5.0, "md": None, "json": None}


def run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "zonescope", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    folder = Path(tempfile.mkdtemp(prefix="zonescope-bench-report-"))
    env = {**os.environ, "ZONESCOPE_DB": str(folder / "bench.duckdb")}
    run(["db", "init"], env)
    base = [run(["compare", "深圳", "宁波"], env) for _ in range(repeat)]
    baseline = statistics.median(base)
    print(f"baseline (terminal view, no -o): {baseline:.2f} s median of {repeat}")
    print(f"{'format':6} {'median s':>9} {'min s':>7} {'target':>7} {'÷ baseline':>10} "
          f"{'size':>10}")
    for fmt, target in TARGETS.items():
        out = folder / f"report.{fmt}"
        times = [run(["compare", "深圳", "宁波", "-o", str(out)], env) for _ in range(repeat)]
        size = out.stat().st_size
        mark = f"{target:.0f} s" if target else "—"
        print(f"{fmt:6} {statistics.median(times):9.2f} {min(times):7.2f} {mark:>7} "
              f"{statistics.median(times) / baseline:10.2f} {size / 1e6:9.2f}M")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
