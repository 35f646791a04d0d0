"""Benchmark: Monte Carlo uncertainty of a composite index, vectorised versus naive.

    python benchmarks/index_uncertainty.py [--runs 10000] [--naive-runs 10000] [--repeat 3]

A synthetic index of 180 units × 44 indicators in 5 dimensions (random but complete
data, mixed directions). Each replication draws Dirichlet weights around the declared
ones, a normalisation (min-max or vector), an aggregation of indicators into
dimensions (weighted arithmetic mean or TOPSIS), and possibly one indicator left
out; dimensions are then averaged arithmetically and the units ranked.

- vectorised: `zonescope.index.uncertainty` — each combination of discrete choices is
  built once, then all its replications go through one matrix product per level;
- naive: the same replications (the same draws) one at a time in a Python loop that
  calls pymcdm (normalize_matrix, WSM, TOPSIS) per replication.

Prints the timings, the speed-up and the largest difference between the two
results (scores must agree to 1e-9 and every rank must be identical).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from pymcdm import normalizations as pn
from pymcdm.helpers import normalize_matrix
from pymcdm.methods import TOPSIS, WSM

from zonescope.index import core
from zonescope.index.build import IndexBuild
from zonescope.index.data import RawData
from zonescope.index.framework import parse_framework
from zonescope.index.uncertainty import evaluate, prepare, random_draws, shares, summarise

UNITS, SIZES = 180, (9, 9, 9, 9, 8)
NORMALISE = {"minmax": pn.minmax_normalization, "vector": pn.vector_normalization}


def framework_text(rng: np.random.Generator, runs: int) -> str:
    lines = ["id: bench", "name_zh: 基准", "name_en: Benchmark", "dimensions:"]
    j = 0
    dim_w = rng.dirichlet(np.ones(len(SIZES)))
    dim_w[-1] = 1 - dim_w[:-1].sum()
    for d, size in enumerate(SIZES):
        w = rng.dirichlet(np.ones(size))
        w[-1] = 1 - w[:-1].sum()
        lines += [f"  - code: d{d}", f"    name_zh: 维度{d}", f"    name_en: Dim {d}",
                  f"    weight: {float(dim_w[d])!r}", "    indicators:"]
        for k in range(size):
            direction = "negative" if rng.random() < 0.25 else "positive"
            lines.append(f"      - {{code: i{j:02d}, name_zh: 指标{j}, name_en: I{j}, unit: x, "
                         f"direction: {direction}, weight: {float(w[k])!r}, source: synthetic}}")
            j += 1
    lines += ["steps:", "  treat: {method: none}", "  normalise: {method: minmax, low: 0, high: 1}",
              "uncertainty:", f"  runs: {runs}", "  seed: 42",
              "  weights: {method: dirichlet, concentration: 20}",
              "  normalise: [{method: minmax, low: 0, high: 1}, {method: vector, scale: 1}]",
              "  aggregate: [{method: arithmetic}, {dimension: {method: topsis, scale: 1},"
              " index: {method: arithmetic}}]",
              "  exclude: true"]
    return "\n".join(lines) + "\n"


def synthetic_build(runs: int) -> IndexBuild:
    rng = np.random.default_rng(2024)
    fw = parse_framework(framework_text(rng, runs), "bench.yaml")
    m = sum(SIZES)
    values = rng.lognormal(mean=3.0, sigma=1.0, size=(UNITS, m)) * rng.uniform(0.1, 10, m)
    units = [f"U{i:03d}" for i in range(UNITS)]
    raw = RawData(units, [i.code for i in fw.indicators], values,
                  [["synthetic"] * m for _ in units], {}, {"from": "synthetic"})
    return IndexBuild(fw, raw)


def vectorised(build: IndexBuild, runs: int) -> tuple[float, float, np.ndarray, object]:
    start = time.perf_counter()
    ctx = prepare(build)
    prepared = time.perf_counter()
    draws = random_draws(ctx, runs, 42)
    scores, ranks, tiers = evaluate(ctx, draws)
    summarise(ctx, ranks, tiers)
    done = time.perf_counter()
    return prepared - start, done - prepared, scores, (ctx, draws)


def naive(build: IndexBuild, ctx: object, draws: object, runs: int) -> tuple[float, np.ndarray]:
    """The same replications one by one, through pymcdm."""
    identity = lambda x, cost=False: x  # noqa: E731 - pymcdm takes a normalisation callable
    X = build.stage.treated
    types = np.array([build.framework.indicator(c).direction for c in build.stage.codes])
    w_ind, w_dim = shares(ctx, *_weights(ctx, draws))
    scores = np.empty((runs, X.shape[0]))
    start = time.perf_counter()
    for r in range(runs):
        variant = ctx.variants[draws.variant[r]]
        method = ctx.alternatives["normalise"][variant.normalise]["method"]
        N = normalize_matrix(X, NORMALISE[method], types)
        inner = ctx.alternatives["aggregate"][variant.aggregate]["dimension"]["method"]
        model = WSM(identity) if inner == "arithmetic" else TOPSIS(identity)
        S = np.empty((X.shape[0], len(ctx.members)))
        for d, cols in enumerate(ctx.members):
            keep = cols[cols != draws.exclude[r]]
            S[:, d] = model(N[:, keep], w_ind[r, keep], np.ones(keep.size, dtype=int))
        scores[r] = WSM(identity)(S, w_dim[r], np.ones(S.shape[1], dtype=int))
        core.rank_scores(scores[r])
    return time.perf_counter() - start, scores


def _weights(ctx: object, draws: object) -> tuple[np.ndarray, np.ndarray]:
    from zonescope.index.uncertainty import weights

    return weights(ctx, draws)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--naive-runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    build = synthetic_build(args.runs)
    print(f"index: {UNITS} units × {sum(SIZES)} indicators in {len(SIZES)} dimensions; "
          f"{args.runs:,} replications; load average {os.getloadavg()[0]:.2f}")
    timings = [vectorised(build, args.runs) for _ in range(args.repeat)]
    prep = min(t[0] for t in timings)
    best = min(t[1] for t in timings)
    _, _, scores, (ctx, draws) = timings[0]
    print(f"vectorised: prepare {prep:.3f} s (built {len(ctx.variants)} variants), "
          f"replications best of {args.repeat}: {best:.3f} s "
          f"(all: {', '.join(f'{t[1]:.3f}' for t in timings)})")
    n = min(args.naive_runs, args.runs)
    elapsed, slow = naive(build, ctx, draws, n)
    per_run = elapsed / n
    projected = per_run * args.runs
    print(f"naive (pymcdm loop): {elapsed:.2f} s for {n:,} replications "
          f"({per_run * 1e3:.3f} ms each; {projected:.1f} s for {args.runs:,})")
    diff = float(np.max(np.abs(slow - scores[:n])))
    same = bool(np.array_equal(core.rank_scores(slow), core.rank_scores(scores[:n])))
    print(f"largest score difference: {diff:.2e}; identical ranks: {same}")
    print(f"speed-up (replications): {projected / best:.0f}×; "
          f"including preparation: {projected / (best + prep):.0f}×")
    if diff > 1e-9 or not same:
        raise SystemExit("results differ")


if __name__ == "__main__":
    main()
