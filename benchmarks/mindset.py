"""Benchmark: the mindset diagnosis and advice over many pilot zones, side by side with baselines.

    python benchmarks/mindset.py [--limit 40] [--db PATH]

Runs on a fresh store with the bundled data (built in a temporary folder unless
--db is given) and times, for 深圳, 宁波 and then the active pilot zones at city or county level
(by code) up to `--limit` regions:

- diagnose: `zonescope.mindset.diagnose`, as shipped (customs detail is pre-checked
  with one indexed SELECT before the Ibis detail expressions are built);
- diagnose, no pre-check: the same with the pre-check disabled, so every region
  builds and runs the Ibis mode-share and HHI expressions (the baseline the
  pre-check was written against);
- compare (baseline): `ZoneScope.compare(region)` — the existing side-by-side view
  of the same region, as a yardstick for what one interactive command costs;
- advise: `zonescope.advice.advise` for all six audiences (a diagnosis plus the
  rule evaluation and evidence look-ups).

Prints seconds, milliseconds per region and each ratio to the shipped diagnosis,
and checks that both diagnosis variants give identical labels.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import zonescope
from zonescope.advice import advise
from zonescope.mindset import diagnose, facts
from zonescope.regions import Region


def _regions(zs: zonescope.ZoneScope, limit: int) -> list[Region]:
    rows = zs.store.con.execute(
        "SELECT DISTINCT p.region_id FROM pilot_zones p JOIN regions r ON r.id = p.region_id "
        "WHERE p.revoked_by IS NULL AND r.level IN ('prefecture', 'county') "
        "ORDER BY p.region_id").fetchall()
    article = [zs.region("深圳"), zs.region("宁波")]  # the two cities with the most data
    rest = [zs.region(r[0]) for r in rows if r[0] not in {a.id for a in article}]
    return (article + rest)[:limit]


def _time(label: str, work: Callable[[], list[str]]) -> tuple[str, float, list[str]]:
    start = time.perf_counter()
    result = work()
    return label, time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench.duckdb"
    with zonescope.open(path) as zs:
        con = zs.store.con
        regions = _regions(zs, args.limit)
        diagnose(con, regions[0])  # warm-up: Ibis backend, knowledge files, registry

        def shipped() -> list[str]:
            return [diagnose(con, r).label for r in regions]

        def no_precheck() -> list[str]:
            original = facts.has_detail
            facts.has_detail = lambda *_: True  # type: ignore[assignment]
            try:
                return [diagnose(con, r).label for r in regions]
            finally:
                facts.has_detail = original

        def compare() -> list[str]:
            return [str(len(zs.compare(r.id).dimensions)) for r in regions]

        def advice() -> list[str]:
            return [str(len(advise(con, r).items)) for r in regions]

        runs = [_time("diagnose (shipped)", shipped), _time("diagnose, no pre-check", no_precheck),
                _time("compare (baseline)", compare), _time("advise, all audiences", advice)]
    assert runs[0][2] == runs[1][2], "the pre-check changed a label"
    base = runs[0][1]
    print(f"{len(regions)} pilot zones (city or county level), store {path}")
    print(f"{'run':<26}{'seconds':>10}{'ms/region':>12}{'× shipped':>12}")
    for label, seconds, _ in runs:
        print(f"{label:<26}{seconds:>10.2f}{seconds / len(regions) * 1000:>12.1f}"
              f"{seconds / base:>12.2f}")
    labels = runs[0][2]
    print("labels:", {code: labels.count(code) for code in sorted(set(labels))})


if __name__ == "__main__":
    main()
