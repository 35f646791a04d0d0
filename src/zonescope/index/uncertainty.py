"""Uncertainty and sensitivity: how much does a rank depend on methodological choices?

Each replication draws a combination of choices — imputation, normalisation and
aggregation alternatives, noisy weights (Dirichlet around the build's weights, or a
uniform perturbation), and possibly one indicator left out — and recomputes every
unit's score, rank and tier. Replications are vectorised: the discrete choices are
few, so each combination is built once (a patched replay of the build); the weights
of all its replications then go through one matrix product per level (`core`).

Per unit: the nominal rank, the median rank, the 5–95 % rank interval and the
probability of each tier. Sobol' first-order and total indices of each choice on the
ranks use a Saltelli design (SALib) and the Saltelli (2010) / Jansen (1999)
estimators, vectorised across units; on a scalar output they equal SALib's
`sobol.analyze` (tests/index/test_uncertainty.py). Sources: Saisana, Saltelli &
Tarantola (2005) JRSS A 168(2); OECD/JRC Handbook (2008) §7; COINr `get_sensitivity`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import gammaincinv

from zonescope.errors import ZoneScopeError
from zonescope.index import core
from zonescope.index.build import IndexBuild, clean, patched
from zonescope.index.plan import check_plan
from zonescope.index.results import _names

Array = NDArray[np.float64]
CHOICES = ("weights", "impute", "normalise", "aggregate", "exclude")


@dataclass
class Variant:
    """One combination of discrete choices, built once."""

    impute: int
    normalise: int
    aggregate: int
    normalised: Array
    weights_indicator: Array
    weights_dimension: Array
    blocks: dict[str, Any]


@dataclass
class Context:
    """What every replication shares: the build, its variants, the plan."""

    build: IndexBuild
    plan: dict[str, Any]
    variants: list[Variant]
    alternatives: dict[str, list[dict[str, Any]]]
    members: list[NDArray[np.int_]]
    membership: Array          # (m, d): indicator j belongs to dimension d
    nominal_ranks: Array

    @property
    def sizes(self) -> tuple[int, int]:
        return self.membership.shape  # type: ignore[return-value]

    def varied(self) -> list[str]:
        """The choices this plan really varies (the factors of the sensitivity analysis)."""
        out = [] if self.plan["weights"]["method"] == "fixed" else ["weights"]
        out += [c for c in ("impute", "normalise", "aggregate") if len(self.alternatives[c]) > 1]
        return out + (["exclude"] if self.plan["exclude"] else [])


def prepare(build: IndexBuild, overrides: dict[str, Any] | None = None) -> Context:
    """Check the plan (the framework's, with `overrides`) and build each combination once."""
    raw_plan = {**build.framework.uncertainty, **(overrides or {})}
    plan, problems = check_plan(raw_plan, build.framework.shape)
    if problems:
        from zonescope.index.framework import FrameworkInvalid

        raise FrameworkInvalid("uncertainty", [(None, p) for p in problems])
    alternatives = {step: plan[step] or [build.steps[step]]
                    for step in ("impute", "normalise", "aggregate")}
    variants = []
    for k, n, a in itertools.product(*(range(len(alternatives[s]))
                                       for s in ("impute", "normalise", "aggregate"))):
        log = build.log
        for step, i in (("impute", k), ("normalise", n), ("aggregate", a)):
            log = patched(log, step, alternatives[step][i], build.framework)
        try:
            variant = IndexBuild(build.framework, build.raw, log)
        except ZoneScopeError as exc:
            raise ZoneScopeError("index.variant_failed", impute=alternatives["impute"][k][
                "method"], normalise=alternatives["normalise"][n]["method"],
                aggregate=_agg_label(alternatives["aggregate"][a]), detail=exc.render("zh"),
            ) from None
        st = variant.stage
        assert st.normalised is not None and st.weights_indicator is not None
        assert st.weights_dimension is not None
        variants.append(Variant(k, n, a, st.normalised, st.weights_indicator,
                                st.weights_dimension, variant.steps["aggregate"]))
    st = build.stage
    membership = np.zeros((len(st.codes), len(st.dims)))
    for d, cols in enumerate(st.members):
        membership[cols, d] = 1.0
    return Context(build, plan, variants, alternatives, st.members, membership, build.ranks())


def _agg_label(block: dict[str, Any]) -> str:
    return f"{block['dimension']['method']}/{block['index']['method']}"


@dataclass
class Draws:
    """The choices of R replications: variant index, weight draws, left-out indicator."""

    variant: NDArray[np.int_]
    indicator: Array           # (R, m) gamma variates or multipliers
    dimension: Array           # (R, d)
    exclude: NDArray[np.int_]  # (R,), −1 = none


def _variant_index(ctx: Context, k: Array, n: Array, a: Array) -> NDArray[np.int_]:
    sizes = [len(ctx.alternatives[s]) for s in ("impute", "normalise", "aggregate")]
    return ((k * sizes[1] + n) * sizes[2] + a).astype(int)


def _shapes(ctx: Context, variant: NDArray[np.int_]) -> tuple[Array, Array]:
    """Dirichlet shape parameters per replication: concentration × group size × base weight."""
    c = ctx.plan["weights"].get("concentration", 1.0)
    group = ctx.membership.sum(axis=0)
    w_ind = np.stack([v.weights_indicator for v in ctx.variants])[variant]
    w_dim = np.stack([v.weights_dimension for v in ctx.variants])[variant]
    return c * w_ind * (ctx.membership @ group), c * w_dim * len(group)


def random_draws(ctx: Context, runs: int, seed: int) -> Draws:
    """Independent random replications (the uncertainty analysis)."""
    rng = np.random.default_rng(seed)
    m, d = ctx.sizes
    picks = [rng.integers(0, len(ctx.alternatives[s]), runs)
             for s in ("impute", "normalise", "aggregate")]
    variant = _variant_index(ctx, *picks)
    method = ctx.plan["weights"]["method"]
    if method == "dirichlet":
        a_ind, a_dim = _shapes(ctx, variant)
        ind, dim = rng.gamma(np.maximum(a_ind, 1e-300)), rng.gamma(np.maximum(a_dim, 1e-300))
        ind, dim = np.where(a_ind > 0, ind, 0.0), np.where(a_dim > 0, dim, 0.0)
    else:
        ind, dim = _multipliers(ctx, rng.random((runs, m)), rng.random((runs, d)))
    exclude = (rng.integers(0, m + 1, runs) - 1 if ctx.plan["exclude"]
               else np.full(runs, -1))
    return Draws(variant, ind, dim, exclude)


def _multipliers(ctx: Context, u_ind: Array, u_dim: Array) -> tuple[Array, Array]:
    if ctx.plan["weights"]["method"] == "fixed":
        return np.ones_like(u_ind), np.ones_like(u_dim)
    spread = ctx.plan["weights"]["spread"]
    return 1 + spread * (2 * u_ind - 1), 1 + spread * (2 * u_dim - 1)


def uniform_draws(ctx: Context, U: Array, columns: dict[str, slice]) -> Draws:
    """Replications from a design of uniforms (one column block per factor), by inverse CDFs."""
    runs = U.shape[0]
    m, d = ctx.sizes

    def pick(name: str, count: int) -> NDArray[np.int_]:
        if name not in columns:
            return np.zeros(runs, dtype=int)
        return np.minimum((U[:, columns[name]][:, 0] * count).astype(int), count - 1)

    variant = _variant_index(ctx, *(pick(s, len(ctx.alternatives[s]))
                                    for s in ("impute", "normalise", "aggregate")))
    u_w = U[:, columns["weights"]] if "weights" in columns else np.full((runs, m + d), 0.5)
    if ctx.plan["weights"]["method"] == "dirichlet":
        a_ind, a_dim = _shapes(ctx, variant)
        ind = np.where(a_ind > 0, gammaincinv(np.maximum(a_ind, 1e-300), u_w[:, :m]), 0.0)
        dim = np.where(a_dim > 0, gammaincinv(np.maximum(a_dim, 1e-300), u_w[:, m:]), 0.0)
    else:
        ind, dim = _multipliers(ctx, u_w[:, :m], u_w[:, m:])
    exclude = pick("exclude", m + 1) - 1 if ctx.plan["exclude"] else np.full(runs, -1)
    return Draws(variant, ind, dim, exclude)


def weights(ctx: Context, draws: Draws) -> tuple[Array, Array]:
    """Indicator weights (R, m) and dimension weights (R, d), each up to a factor per group.

    Every aggregation method is invariant to scaling a group's weights, so they are
    not re-normalised here (which also keeps a replication without noise bit-identical
    to the build); a left-out indicator gets weight 0.
    """
    dirichlet = ctx.plan["weights"]["method"] == "dirichlet"
    base_ind = np.stack([v.weights_indicator for v in ctx.variants])[draws.variant]
    base_dim = np.stack([v.weights_dimension for v in ctx.variants])[draws.variant]
    w_ind = draws.indicator if dirichlet else base_ind * draws.indicator
    w_dim = draws.dimension if dirichlet else base_dim * draws.dimension
    left_out = draws.exclude >= 0
    w_ind[np.flatnonzero(left_out), draws.exclude[left_out]] = 0.0
    return w_ind, w_dim


def shares(ctx: Context, w_ind: Array, w_dim: Array) -> tuple[Array, Array]:
    """The weights as shares: summing to 1 within each dimension, and across dimensions."""
    group = (w_ind @ ctx.membership) @ ctx.membership.T
    total = w_dim.sum(axis=1, keepdims=True)
    return (np.divide(w_ind, group, out=np.zeros_like(w_ind), where=group > 0),
            np.divide(w_dim, total, out=np.zeros_like(w_dim), where=total > 0))


def evaluate(ctx: Context, draws: Draws) -> tuple[Array, Array, NDArray[np.int_]]:
    """Scores, ranks and tiers (each R × n) of the replications `draws` describes."""
    w_ind, w_dim = weights(ctx, draws)
    scores = np.empty((len(draws.variant), ctx.nominal_ranks.size))
    for i, variant in enumerate(ctx.variants):
        rows = np.flatnonzero(draws.variant == i)
        if not rows.size:
            continue
        S = core.dimension_scores(variant.normalised, w_ind[rows], ctx.members,
                                  variant.blocks["dimension"])
        scores[rows] = core.aggregate_level(S, w_dim[rows], variant.blocks["index"])
    ranks = core.rank_scores(scores)
    return scores, ranks, core.tier_of(ranks, scores, ctx.build.steps["tier"])


def summarise(ctx: Context, ranks: Array, tiers: NDArray[np.int_], lang: str = "zh"
              ) -> list[dict[str, Any]]:
    """Per unit: nominal and median rank, 5–95 % interval, probability of each tier."""
    st = ctx.build.stage
    assert st.tiers is not None
    names = ctx.build.steps["tier"]["names"]
    filled = np.where(np.isnan(ranks), np.inf, ranks)
    p05, median, p95 = np.percentile(filled, [5, 50, 95], axis=0)
    shares = np.stack([(tiers == t).mean(axis=0) for t in range(len(names))], axis=1)
    unranked = np.isnan(ranks).mean(axis=0)
    rows = []
    for i, unit in enumerate(st.units):
        zh, en = _names(unit)
        probabilities = shares[i].tolist()
        rows.append(clean({
            "region_id": unit, "name_zh": zh, "name_en": en,
            "nominal_rank": ctx.nominal_ranks[i], "median_rank": median[i],
            "rank_p05": p05[i], "rank_p95": p95[i],
            "nominal_tier": int(st.tiers[i]) + 1,
            "tier_probabilities": dict(zip([n[lang] for n in names], probabilities,
                                           strict=True)),
            "unranked": float(unranked[i])}))
    return sorted(rows, key=lambda r: (r["nominal_rank"], r["region_id"]))


def mean_rank_shift(ctx: Context, ranks: Array) -> Array:
    """Per replication: the mean absolute change of rank against the build (ranked units)."""
    return np.nanmean(np.abs(ranks - ctx.nominal_ranks), axis=1)
