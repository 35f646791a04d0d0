"""指数: scores, tiers, a city's explanation, what-if weights, rank intervals (a background job)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse

from zonescope.errors import ZoneScopeError
from zonescope.index.build import IndexBuild
from zonescope.index.explain import explain
from zonescope.index.framework import bundled_frameworks
from zonescope.index.results import build_dict
from zonescope.index.runs import run_build, run_uncertainty
from zonescope.regions.resolve import resolve
from zonescope.web import charts
from zonescope.web.security import check_csrf
from zonescope.web.views import Json, store_of, twin

router = APIRouter()
MAX_RUNS = 2000


def get_build(request: Request, framework: str | None) -> IndexBuild:
    """The framework's build on the current store (built once per store version)."""
    if framework and framework not in bundled_frameworks():
        raise ZoneScopeError("index.framework_unknown", name=framework,
                             choices=bundled_frameworks())
    store = store_of(request)
    with store.read() as con:
        return store.cached(("index", framework), lambda: run_build(con, framework))


def reweigh(build: IndexBuild, weights: dict[str, float]) -> IndexBuild:
    """The build with dimension weights replaced by `weights`, normalised to shares."""
    known = {d.code for d in build.framework.dimensions}
    unknown = [c for c in weights if c not in known]
    if unknown:
        raise ZoneScopeError("index.indicator_unknown", code=unknown[0], suggestions=sorted(known))
    total = sum(weights.values())
    if total <= 0 or any(w < 0 for w in weights.values()):
        raise ZoneScopeError("web.index.weights_zero")
    return build.patch("weight", {"dimension": {"overrides": {
        c: w / total for c, w in weights.items()}}})


def _weights(request: Request) -> dict[str, float]:
    out = {}
    for key, value in request.query_params.items():
        if key.startswith("w_") and value.strip():
            try:
                out[key[2:]] = float(value)
            except ValueError:
                raise ZoneScopeError("index.pair_bad", option=key, value=value) from None
    return out


@twin(router, "/index", "index.html", summary="Index scores, tiers; what-if weights (w_<dim>)",
      charts=lambda d, lang: {"scores": charts.bars(
          "", [r["name_zh" if lang == "zh" else "name_en"] for r in d["results"][:20]],
          [r["score"] for r in d["results"][:20]], horizontal=True, height=480)})
def get_index(request: Request, framework: str | None = Query(None, max_length=60),
              region: str | None = Query(None, max_length=60),
              top: int = Query(50, ge=1, le=500)) -> dict[str, Any]:
    """The index build (as `zonescope index build`); `w_<dimension>=N` query parameters
    re-weigh the dimensions (what-if); `region` adds that city's explanation."""
    build = get_build(request, framework)
    weights = _weights(request)
    lang = request.query_params.get("lang") or request.cookies.get("zs_lang") or "zh"
    store = store_of(request)
    key = ("index_dict", framework, tuple(sorted(weights.items())), lang)

    def compute() -> dict[str, Any]:
        shown = reweigh(build, weights) if weights else build
        data = build_dict(shown, lang)
        if weights:
            before = {r["region_id"]: r["rank"] for r in build_dict(build, lang)["results"]}
            for row in data["results"]:
                row["rank_before"] = before.get(row["region_id"])
        return data

    data = store.cached(key, compute)
    found = None
    if region:
        found = explain(build, resolve(region).region.id, lang)
    return {**{k: v for k, v in data.items() if k != "results"},
            "results": data["results"][:top], "total": len(data["results"]),
            "weights": weights, "explain": found, "frameworks": bundled_frameworks(),
            "framework_asked": framework}


@router.post("/index/uncertainty", include_in_schema=False)
def post_uncertainty(request: Request, csrf: str = Form(""), runs: int = Form(200),
                     framework: str = Form("")) -> RedirectResponse:
    """Start a Monte Carlo run (rank intervals) in the background; the job page polls it."""
    check_csrf(request.cookies.get("zs_csrf"), csrf)
    job = _start(request, runs, framework or None)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/api/v1/index/uncertainty", summary="Start rank intervals (background job)",
             tags=["index"], response_class=Json, status_code=202)
def api_uncertainty(request: Request, runs: int = Query(200, ge=10, le=MAX_RUNS),
                    framework: str | None = Query(None, max_length=60)) -> Json:
    """Read-only analysis: no token needed. Poll `/api/v1/jobs/{id}` for the result."""
    job = _start(request, runs, framework)
    return Json(job.to_dict(), status_code=202)


def _start(request: Request, runs: int, framework: str | None) -> Any:
    if not 10 <= runs <= MAX_RUNS:
        raise ZoneScopeError("index.plan_integer", param="runs", limit=MAX_RUNS)
    build = get_build(request, framework)
    lang = request.cookies.get("zs_lang") or "zh"
    return request.app.state.jobs.submit(
        "uncertainty", f"{build.framework.id} · {runs}",
        lambda: run_uncertainty(build, runs=runs, sobol=0, lang=lang))
