"""Benchmark: what keeping replaced rows for `db undo` costs a customs-detail import.

    python benchmarks/undo_cost.py --rows 1000000 --rounds 3

A synthetic query-platform export (benchmarks/make_customs_detail.py) is imported
twice into a copy of a seeded store: first into an empty partition (nothing replaced),
then again (its whole partition replaced, the trade aggregates compared). Each pair
runs with shadows kept (the product) and without (the baseline: the writer treating
the import as bundled, which keeps nothing), alternating, so both see the same machine
load. Then the replacing import is undone once and timed. Target: no measurable
difference when nothing is replaced; the replacing import pays one set-based copy.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import zonescope
from zonescope.store import writer

HERE = Path(__file__).resolve().parent


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_customs_detail",
                                                  HERE / "make_customs_detail.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@contextmanager
def _shadows(keep: bool) -> Iterator[None]:
    original = writer._undoable
    writer._undoable = (lambda meta: original(meta) and keep)  # type: ignore[assignment]
    try:
        yield
    finally:
        writer._undoable = original


def _timed_import(store: Path, data: Path) -> float:
    start = time.perf_counter()
    with zonescope.open(store) as zs:
        zs.import_file(data, "customs-detail", flow="export")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zonescope-undo-"))
    try:
        data = _generator().write(work / "detail.csv", args.rows, monthly=True)
        seed = work / "seed.duckdb"
        with zonescope.open(seed) as zs:
            _ = zs.store.con
        times: dict[str, list[float]] = {k: [] for k in ("fresh", "replacing")}
        base: dict[str, list[float]] = {k: [] for k in ("fresh", "replacing")}
        undo: list[float] = []
        for _ in range(args.rounds):
            for keep, into in ((False, base), (True, times)):
                store = work / "store.duckdb"
                shutil.copy(seed, store)
                with _shadows(keep):
                    into["fresh"].append(_timed_import(store, data))
                    into["replacing"].append(_timed_import(store, data))
                if keep:
                    start = time.perf_counter()
                    with zonescope.open(store) as zs:
                        zs.undo()
                    undo.append(time.perf_counter() - start)
                store.unlink()
        print(f"{args.rows:,} detail rows, median of {args.rounds} rounds")
        for case in ("fresh", "replacing"):
            kept, plain = statistics.median(times[case]), statistics.median(base[case])
            print(f"  {case:9s} import: {kept:6.2f} s with shadows, {plain:6.2f} s without "
                  f"(ratio {kept / plain:.2f})")
        print(f"  undo of the replacing import: {statistics.median(undo):6.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
