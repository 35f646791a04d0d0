"""The uncertainty plan: which methodological choices a Monte Carlo run varies, and how.

Declared in a framework's `uncertainty:` block (or given in code). Every alternative
is a full step patch, checked like the step itself:

    uncertainty:
      runs: 1000
      seed: 1
      weights: {method: dirichlet, concentration: 20}   # or perturb {spread: 0.25}, fixed
      normalise: [{method: minmax}, {method: rank}]      # alternatives (the build's if empty)
      aggregate: [{method: arithmetic}, {method: topsis}]   # both levels, or
                                                            # {dimension: …, index: …}
      impute: [{method: none}, {method: median}]
      exclude: true                                      # leave one indicator out

>>> from zonescope.index.steps import Shape
>>> plan, problems = check_plan({"runs": 10, "normalise": [{"method": "rank"}]},
...                             Shape(("a", "b"), {"d": ("a", "b")}))
>>> plan["runs"], plan["normalise"][0]["method"], problems
(10, 'rank', [])
"""

from __future__ import annotations

from typing import Any

from zonescope.index.steps import Problem, Shape, check_step

WEIGHT_NOISE: dict[str, dict[str, float]] = {
    "fixed": {}, "dirichlet": {"concentration": 20.0}, "perturb": {"spread": 0.25}}
PLAN_KEYS = ("runs", "seed", "weights", "normalise", "aggregate", "impute", "exclude")
DEFAULT_PLAN: dict[str, Any] = {"runs": 1000, "seed": 1, "weights": {"method": "dirichlet",
                                                                      "concentration": 20.0},
                                "normalise": [], "aggregate": [], "impute": [], "exclude": True}
MAX_RUNS = 1_000_000


def check_plan(raw: Any, shape: Shape, path: tuple[Any, ...] = ("uncertainty",)
               ) -> tuple[dict[str, Any], list[Problem]]:
    """The plan with defaults filled in, and the problems found in it."""
    given = raw if isinstance(raw, dict) else {}
    plan = {**DEFAULT_PLAN, **{k: v for k, v in given.items() if k in PLAN_KEYS}}
    problems = [Problem((*path, k), "index.param_unknown", {
        "step": "uncertainty", "param": k, "choices": PLAN_KEYS}) for k in given
        if k not in PLAN_KEYS]
    for key, limit in (("runs", MAX_RUNS), ("seed", 2**32 - 1)):
        value = plan[key]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
            problems.append(Problem((*path, key), "index.plan_integer", {
                "param": key, "limit": limit}))
    if not isinstance(plan["exclude"], bool):
        problems.append(Problem((*path, "exclude"), "index.param_type", {
            "step": "uncertainty", "param": "exclude", "expected": "bool"}))
    plan["weights"], found = _check_noise(plan["weights"], (*path, "weights"))
    problems += found
    for step in ("normalise", "impute", "aggregate"):
        plan[step], found = _alternatives(step, plan[step], shape, (*path, step))
        problems += found
    return plan, problems


def _check_noise(raw: Any, path: tuple[Any, ...]) -> tuple[dict[str, Any], list[Problem]]:
    if not isinstance(raw, dict) or raw.get("method") not in WEIGHT_NOISE:
        return dict(DEFAULT_PLAN["weights"]), [Problem(path, "index.method_unknown", {
            "step": "uncertainty.weights", "method": (raw or {}).get("method")
            if isinstance(raw, dict) else raw, "choices": tuple(WEIGHT_NOISE)})]
    defaults = WEIGHT_NOISE[raw["method"]]
    full = {"method": raw["method"], **defaults, **raw}
    problems = []
    for key, value in raw.items():
        if key == "method":
            continue
        if key not in defaults:
            problems.append(Problem((*path, key), "index.param_unknown", {
                "step": "uncertainty.weights", "param": key, "choices": list(defaults) or ["—"]}))
        elif not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            problems.append(Problem((*path, key), "index.plan_positive", {"param": key}))
    if full["method"] == "perturb" and not full["spread"] < 1:
        problems.append(Problem((*path, "spread"), "index.plan_spread"))
    return full, problems


def _alternatives(step: str, raw: Any, shape: Shape, path: tuple[Any, ...]
                  ) -> tuple[list[dict[str, Any]], list[Problem]]:
    if not isinstance(raw, list):
        return [], [Problem(path, "index.param_type", {"step": "uncertainty", "param": step,
                                                       "expected": "list"})]
    out, problems = [], []
    for i, item in enumerate(raw):
        if step == "aggregate" and isinstance(item, dict) and "method" in item:
            item = {"dimension": item, "index": item}
        full, found = check_step(step, item, shape, (*path, i))
        problems += found
        out.append(full)
    return out, problems
