"""Benchmark: the customs-detail metric set on DuckDB and on Spark local[2], side by side.

    python benchmarks/scale.py --rows 10000000 --data /tmp/zs-scale
    python benchmarks/scale.py --rows 50000000 --data /tmp/zs-scale

Data: synthetic query-platform exports (benchmarks/make_customs_detail.py, the
`simple` columns: month × HS-8 × partner × mode × province, GBK), 10 million rows
per year from 2024 backwards (50 M rows = 2020–2024), generated into `--data` and
imported with the product's own path (`import_to_parquet`, i.e. `zonescope import
FILE --kind customs-detail --to-parquet DIR`) into a Parquet dataset per size; both
are reused when present. The ingest rate of each import is printed.

Each engine then runs in its own fresh process (so its memory is its own), over the
same Parquet dataset, the same Ibis expressions, fully materialised:

- detail measures for every region × month: the region × month × mode totals that
  `trade aggregate` stores (`rollup.totals`), mode shares, partner shares, HS-chapter
  shares and HHI concentration (`trade.detail`);
- the trade metrics over the bundled store (growth, shares, ranks, single months) —
  small tables, which show each engine's fixed cost per query.

Reported per engine: start-up (Spark: the JVM and session), the time of each step,
the total, and peak memory — the Python process's peak RSS plus, for Spark, the
JVM's (VmHWM of the java child process). Rows per core-second = detail rows ÷
(detail-measure seconds × 2 cores). The results of both engines are compared
(row counts, summed values) before anything is printed as a success.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PER_FILE = 10_000_000
CORES = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=PER_FILE)
    parser.add_argument("--data", type=Path, default=Path("/tmp/zs-scale"))
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--dataset", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure(args.worker, args.dataset, args.data / "store.duckdb")))
        return
    dataset = prepare(args.rows, args.data)
    results = {}
    for engine in args.engines.split(","):
        done = subprocess.run([sys.executable, __file__, "--worker", engine, "--dataset",
                               str(dataset), "--data", str(args.data)],
                              capture_output=True, text=True, check=False)
        if done.returncode:
            sys.exit(f"{engine} failed:\n{done.stderr[-3000:]}")
        results[engine] = json.loads(done.stdout.strip().splitlines()[-1])
    report(args.rows, results)


def prepare(rows: int, data: Path) -> Path:
    """The Parquet dataset of `rows` rows (generated and imported when missing)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import make_customs_detail as make

    import zonescope
    from zonescope.ingest.customs_detail import DetailOptions
    from zonescope.ingest.parquet import import_to_parquet, manifests

    data.mkdir(parents=True, exist_ok=True)
    store = data / "store.duckdb"
    if not store.exists():
        with zonescope.open(store) as zs:
            _ = zs.store.con  # the bundled data: what the trade metrics read
    sizes = [min(PER_FILE, rows - done) for done in range(0, rows, PER_FILE)]
    dataset = data / f"parquet-{rows}"
    if len(manifests(dataset)) == len(sizes) if dataset.exists() else False:
        return dataset
    for index, size in enumerate(sizes):
        year = 2024 - index
        csv = data / "csv" / f"detail-{year}-{size}.csv"
        if not csv.exists():
            csv.parent.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            make.write(csv, size, monthly=True, columns=make.SIMPLE_COLUMNS, year=year,
                       seed=year)
            print(f"generated {csv} in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        report_ = import_to_parquet(csv, csv.name, dataset,
                                    options=DetailOptions(flow="export"))
        seconds = time.perf_counter() - started
        print(f"ingest {csv.name}: {report_.rows:,} rows in {seconds:.1f} s = "
              f"{report_.rows / seconds:,.0f} rows/s, peak RSS {_rss_self():,.0f} MB",
              flush=True)
    return dataset


def measure(engine: str, dataset: Path, store: Path) -> dict[str, Any]:
    """One engine, in this (fresh) process: timings, result fingerprints, peak memory."""
    import zonescope
    from zonescope.trade import detail, metrics, rollup
    from zonescope.trade.engine import choose_engine, open_detail, open_tables

    chosen = choose_engine(engine, None, dataset)  # Spark: $ZONESCOPE_SPARK or local[2]
    times: dict[str, float] = {}
    prints: dict[str, list[float]] = {}
    started = time.perf_counter()
    if engine == "spark":
        from zonescope.trade.spark import spark_session

        spark_session(chosen.spark)
    times["start-up"] = time.perf_counter() - started
    rows = open_detail(None, chosen)  # type: ignore[arg-type]  (the store is not read)
    steps = {
        "totals (region × month × mode)": lambda: rollup.totals(rows),
        "mode shares": lambda: detail.mode_shares(rows, detail.mode_names()),
        "partner shares": lambda: detail.partner_shares(rows),
        "HS-chapter shares": lambda: detail.chapter_shares(rows),
        "HHI concentration": lambda: detail.concentration(rows),
    }
    for name, build in steps.items():
        started = time.perf_counter()
        frame = build().execute()
        times[name] = time.perf_counter() - started
        value = "total" if "total" in frame.columns else "value"
        prints[name] = [len(frame), float(frame[value].sum())]
    with zonescope.open(store) as zs:
        tables = open_tables(zs.store.con, chosen)
        started = time.perf_counter()
        for expr in (metrics.growth(tables.trade), metrics.single_months(tables.trade),
                     metrics.shares(tables.trade, metrics.parent_links(tables.regions)),
                     metrics.ranks(tables.trade, tables.regions)):
            prints.setdefault("store metrics", []).append(len(expr.execute()))
        times["store metrics (4 queries, 25k rows)"] = time.perf_counter() - started
    return {"times": times, "prints": prints, "python_mb": _rss_self(),
            "jvm_mb": _jvm_peak_mb()}


def _rss_self() -> float:
    """This process's peak RSS in MB (VmHWM: unlike ru_maxrss, not inherited over fork)."""
    return _hwm_mb(Path("/proc/self/status").read_text())


def _hwm_mb(status: str) -> float:
    line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def _jvm_peak_mb() -> float:
    """Peak RSS (VmHWM) of the java processes descended from this one, in MB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    peak, todo = 0.0, list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if status.startswith("Name:\tjava"):
            peak += _hwm_mb(status)
    return peak


def report(rows: int, results: dict[str, dict[str, Any]]) -> None:
    engines = list(results)
    if len(engines) == 2:
        first, second = (results[e]["prints"] for e in engines)
        for name in first:
            a, b = first[name], second[name]
            same = a[0] == b[0] and all(abs(x - y) <= 1e-9 * max(abs(x), 1)
                                        for x, y in zip(a[1:], b[1:], strict=True))
            if not same:
                sys.exit(f"results differ for {name}: {a} vs {b}")
        print("results: identical on both engines (row counts and summed values)")
    steps = list(results[engines[0]]["times"])
    print(f"\n{rows:,} detail rows\n")
    print("| step | " + " | ".join(engines) + " |")
    print("|---|" + "---:|" * len(engines))
    for step in steps:
        print(f"| {step} | " + " | ".join(f"{results[e]['times'][step]:.1f} s"
                                          for e in engines) + " |")
    detail_s = {e: sum(v for k, v in results[e]["times"].items()
                       if k != "start-up" and not k.startswith("store")) for e in engines}
    print("| **detail measures, total** | " + " | ".join(
        f"**{detail_s[e]:.1f} s**" for e in engines) + " |")
    print("| rows per core-second | " + " | ".join(
        f"{rows / (detail_s[e] * CORES):,.0f}" for e in engines) + " |")
    print("| peak RSS, Python process | " + " | ".join(
        f"{results[e]['python_mb']:,.0f} MB" for e in engines) + " |")
    print("| peak RSS, JVM | " + " | ".join(
        f"{results[e]['jvm_mb']:,.0f} MB" if results[e]["jvm_mb"] else "—"
        for e in engines) + " |")
    print("| **peak memory, engine total** | " + " | ".join(
        f"**{results[e]['python_mb'] + results[e]['jvm_mb']:,.0f} MB**" for e in engines)
        + " |")
    if len(engines) == 2:
        a, b = engines
        print(f"\n{b} / {a}, detail measures: {detail_s[b] / detail_s[a]:.2f}×")


if __name__ == "__main__":
    main()
