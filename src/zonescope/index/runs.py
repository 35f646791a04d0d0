"""What the CLI (and a notebook) asks of the index package: build, analyse, template.

>>> import zonescope, tempfile, pathlib
>>> zs = zonescope.open(pathlib.Path(tempfile.mkdtemp()) / "demo.duckdb")
>>> build = run_build(zs.store.con)
>>> build.raw.origin["period"], len(build.stage.units) > 100
('2024-12', True)
>>> result = run_uncertainty(build, runs=200, sobol=0)
>>> first = result["units"][0]
>>> first["rank_p05"] <= first["median_rank"] <= first["rank_p95"]
True
>>> zs.close()
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from zonescope.errors import ZoneScopeError
from zonescope.i18n import translate
from zonescope.index.build import IndexBuild, clean
from zonescope.index.data import active_pilot_units, get_raw
from zonescope.index.framework import load_framework
from zonescope.index.results import _names
from zonescope.index.sensitivity import run_sobol
from zonescope.index.uncertainty import evaluate, mean_rank_shift, prepare, random_draws, summarise
from zonescope.ingest.export import write_xlsx

TEMPLATE_FRAMEWORK = "article-five-dimensions"
DEFAULT_SOBOL_BASE = 256


def run_build(con: duckdb.DuckDBPyConnection | None, framework: str | Path | None = None, *,
              data: Path | None = None, year: int | None = None) -> IndexBuild:
    """Load the framework, assemble its raw data, run every step (no store needed with `data`)."""
    fw = load_framework(framework)
    return IndexBuild(fw, get_raw(con, fw, year=year, data=data))


def run_uncertainty(build: IndexBuild, *, runs: int | None = None, seed: int | None = None,
                    sobol: int | None = DEFAULT_SOBOL_BASE, lang: str = "zh"
                    ) -> dict[str, Any]:
    """Monte Carlo over the plan's choices, and Sobol' indices (`sobol` = base sample, 0 = none)."""
    overrides = {k: v for k, v in (("runs", runs), ("seed", seed)) if v is not None}
    ctx = prepare(build, overrides)
    _, ranks, tiers = evaluate(ctx, random_draws(ctx, ctx.plan["runs"], ctx.plan["seed"]))
    shift = mean_rank_shift(ctx, ranks)
    if sobol is not None and sobol < 0:
        raise ZoneScopeError("index.plan_integer", param="sobol", limit=2**20)
    return clean({
        "framework": {"id": build.framework.id, "name_zh": build.framework.name_zh,
                      "name_en": build.framework.name_en, "source": build.framework.source},
        "data": build.raw.origin, "plan": ctx.plan, "runs": ctx.plan["runs"],
        "varied": ctx.varied(),
        "tiers": [n[lang] for n in build.steps["tier"]["names"]],
        "mean_rank_shift": {"mean": float(np.nanmean(shift)),
                            "p95": float(np.nanpercentile(shift, 95))},
        "units": summarise(ctx, ranks, tiers, lang),
        "sobol": run_sobol(ctx, sobol, ctx.plan["seed"]) if sobol else None})


def framework_text(framework: str | Path | None) -> str:
    """The YAML of a bundled framework (by name) or of a file, checked first."""
    fw = load_framework(framework or TEMPLATE_FRAMEWORK)
    return fw.text


def write_template(target: Path, framework: str | Path | None = None, lang: str = "zh") -> int:
    """Write a framework to edit (.yaml) or a data sheet to fill in (.xlsx); rows written."""
    suffix = target.suffix.lower()
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".yaml", ".yml"):
        target.write_text(framework_text(framework), encoding="utf-8")
        return len(load_framework(framework or TEMPLATE_FRAMEWORK).indicators)
    if suffix != ".xlsx":
        raise ZoneScopeError("index.template_format", suffix=suffix or "?")
    fw = load_framework(framework or TEMPLATE_FRAMEWORK)
    codes = [i.code for i in fw.indicators]
    data = [[translate("index.template.region", lang), *codes]]
    data += [[_names(unit)[0], *([None] * len(codes))] for unit in active_pilot_units()]
    heads = ["code", "name_zh", "name_en", "unit", "direction", "dimension", "weight", "source"]
    about = [heads] + [[i.code, i.name_zh, i.name_en, i.unit,
                        "positive" if i.direction > 0 else "negative", i.dimension, i.weight,
                        i.source] for i in fw.indicators]
    notes = [[translate("index.template.note", lang, framework=fw.id)]]
    write_xlsx(target, {translate("index.template.data", lang): data,
                        translate("index.template.indicators", lang): about,
                        translate("index.template.notes", lang): notes})
    return len(data) - 1

