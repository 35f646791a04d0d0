"""Sobol' sensitivity of the ranks to each methodological choice (groups of inputs).

The design is SALib's Saltelli scheme without second-order terms: N base rows, each
expanded into A, AB_1 … AB_G, B (G = the choices the plan varies; all weight noise is
one group). First-order S_i = E[f(B)(f(AB_i) − f(A))] / V (Saltelli et al. 2010) and
total S_Ti = E[(f(A) − f(AB_i))²] / 2V (Jansen 1999), computed exactly as SALib's
`sobol.analyze` does (output standardised first), but vectorised over every unit's
rank at once. A unit whose rank never moves has zero variance: its indices are 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from zonescope.index.build import clean
from zonescope.index.uncertainty import Context, evaluate, mean_rank_shift, uniform_draws

Array = NDArray[np.float64]


def design(ctx: Context, base: int, seed: int) -> tuple[Array, dict[str, slice], list[str]]:
    """The Saltelli design (rows × uniforms), each factor's columns, and the factor names."""
    factors = ctx.varied()
    m, d = ctx.sizes
    columns: dict[str, slice] = {}
    groups: list[str] = []
    for factor in factors:
        width = m + d if factor == "weights" else 1
        columns[factor] = slice(len(groups), len(groups) + width)
        groups += [factor] * width
    # SALib reads a single group as "no groups" (one factor per column); a one-column
    # padding group keeps the weights together, and its rows are dropped after sampling.
    pad = len(factors) == 1 and len(groups) > 1
    names = [*groups, "_pad"] if pad else groups
    problem = {"num_vars": len(names), "names": [f"u{i}" for i in range(len(names))],
               "bounds": [[0.0, 1.0]] * len(names), "groups": names}
    from SALib.sample import sobol as sobol_sample  # loads scipy.stats: ≈0.5 s, only here

    U = np.asarray(sobol_sample.sample(problem, base, calc_second_order=False, scramble=True,
                                       seed=seed))
    if pad:
        blocks = U.reshape(base, 4, len(names))
        U = blocks[:, [0, 1, 3], :-1].reshape(-1, len(groups))
    return U, columns, factors


def indices(Y: Array, factors: int) -> tuple[Array, Array]:
    """(S1, ST), each (factors, …): first-order and total indices of every output column."""
    Y = np.asarray(Y, dtype=float)
    sd = Y.std(axis=0)
    Z = np.divide(Y - Y.mean(axis=0), sd, out=np.zeros_like(Y), where=sd > 0)
    Z = Z.reshape(-1, factors + 2, *Y.shape[1:])
    A, B = Z[:, 0], Z[:, -1]
    var = np.var(np.concatenate([A, B]), axis=0)
    first, total = [], []
    for i in range(factors):
        AB = Z[:, i + 1]
        first.append(np.divide(np.mean(B * (AB - A), axis=0), var,
                               out=np.zeros_like(var), where=var > 0))
        total.append(np.divide(0.5 * np.mean((A - AB) ** 2, axis=0), var,
                               out=np.zeros_like(var), where=var > 0))
    return np.array(first), np.array(total)


def run_sobol(ctx: Context, base: int, seed: int) -> dict[str, Any]:
    """Sobol' indices on the mean rank shift and on each unit's rank."""
    U, columns, factors = design(ctx, base, seed)
    if not factors:
        return {"base": base, "runs": 0, "factors": [], "mean_rank_shift": None, "units": {}}
    _, ranks, _ = evaluate(ctx, uniform_draws(ctx, U, columns))
    filled = np.where(np.isnan(ranks), ranks.shape[1] + 1.0, ranks)
    s1, st = indices(mean_rank_shift(ctx, ranks), len(factors))
    u1, ut = indices(filled, len(factors))
    units = {unit: {"first": dict(zip(factors, u1[:, i].tolist(), strict=True)),
                    "total": dict(zip(factors, ut[:, i].tolist(), strict=True))}
             for i, unit in enumerate(ctx.build.stage.units)}
    return clean({"base": base, "runs": int(U.shape[0]), "factors": factors,
                  "mean_rank_shift": {"first": dict(zip(factors, s1.tolist(), strict=True)),
                                      "total": dict(zip(factors, st.tolist(), strict=True))},
                  "units": units})
