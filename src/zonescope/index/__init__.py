"""Composite indices of pilot-zone cities: framework, build, uncertainty, explanation.

The Python API (the CLI `zonescope index …` calls the same functions):

>>> import zonescope, tempfile, pathlib
>>> from zonescope import index
>>> zs = zonescope.open(pathlib.Path(tempfile.mkdtemp()) / "demo.duckdb")
>>> build = index.run_build(zs.store.con, "trade-performance", year=2024)
>>> top = build.to_dict()["results"][0]
>>> top["rank"], top["tier_name"]
(1.0, '成效明显')
>>> rank_variant = build.patch("normalise", {"method": "rank"})
>>> index.explain(build, top["region_id"])["above"] is None
True
>>> zs.close()
"""

from zonescope.index.build import IndexBuild, Step
from zonescope.index.explain import explain, whatif
from zonescope.index.framework import Framework, FrameworkInvalid, load_framework, parse_framework
from zonescope.index.results import export_build, get_runs, load_build, save_run
from zonescope.index.runs import run_build, run_uncertainty, write_template

__all__ = ["Framework", "FrameworkInvalid", "IndexBuild", "Step", "explain", "export_build",
           "get_runs", "load_build", "load_framework", "parse_framework", "run_build",
           "run_uncertainty", "save_run", "whatif", "write_template"]
