"""`zonescope index build | uncertainty | explain | whatif | template | list`.

Thin commands: parse, call `zonescope.index.runs` / `explain`, store, print (people:
Rich tables from `cli.index_view`; scripts: --json with stable keys).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zonescope.cli.app import app
from zonescope.cli.common import DbOpt, JsonOpt, LangOpt, context, h, handles_errors, open_store
from zonescope.cli.index_view import (
    show_build,
    show_explain,
    show_runs,
    show_uncertainty,
    show_whatif,
)
from zonescope.cli.output import console, print_json
from zonescope.errors import ZoneScopeError
from zonescope.index.explain import explain as explain_unit
from zonescope.index.explain import whatif as whatif_unit
from zonescope.index.results import export_build, get_runs, load_build, save_run
from zonescope.index.runs import run_build, run_uncertainty, write_template
from zonescope.ingest.values import BadValue, parse_number

index_app = typer.Typer(help=h("index.help"), no_args_is_help=True)
app.add_typer(index_app, name="index")

BuildOpt = Annotated[int | None, typer.Option("--build", help=h("index.opt.build"),
                                              metavar="ID")]
CityArg = Annotated[str, typer.Argument(help=h("index.arg.city"))]


@index_app.command("build", help=h("index.build.help"))
@handles_errors
def build(ctx: typer.Context,
          framework: Annotated[str | None, typer.Option(
              "--framework", "-f", help=h("index.opt.framework"), metavar="NAME|FILE")] = None,
          data: Annotated[Path | None, typer.Option("--data", help=h("index.opt.data"))] = None,
          year: Annotated[int | None, typer.Option("--year", help=h("index.opt.year"))] = None,
          output: Annotated[Path | None, typer.Option("--output", "-o",
                                                      help=h("index.opt.output"))] = None,
          json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        result = run_build(zs.store.con, framework, data=data, year=year)
        run_id = save_run(zs.store.con, result)
    written = export_build(result, output, state.lang) if output else None
    data_out = {"id": run_id, **result.to_dict(state.lang)}
    if state.json:
        print_json(data_out)
        return
    show_build(state, data_out)
    if output:
        console().print(state.t("index.exported", path=str(output), rows=written))


@index_app.command("uncertainty", help=h("index.uncertainty.help"))
@handles_errors
def uncertainty(ctx: typer.Context, build_id: BuildOpt = None,
                runs: Annotated[int | None, typer.Option("--runs", help=h("index.opt.runs"))
                                ] = None,
                seed: Annotated[int | None, typer.Option("--seed", help=h("index.opt.seed"))
                                ] = None,
                sobol: Annotated[int, typer.Option("--sobol", help=h("index.opt.sobol"))
                                 ] = 256,
                json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        found, result = load_build(zs.store.con, build_id)
        analysis = run_uncertainty(result, runs=runs, seed=seed, sobol=sobol, lang=state.lang)
        run_id = save_run(zs.store.con, result, "uncertainty", analysis, build_id=found)
    data_out = {"id": run_id, "build_id": found, **analysis}
    if state.json:
        print_json(data_out)
        return
    show_uncertainty(state, data_out)


@index_app.command("explain", help=h("index.explain.help"))
@handles_errors
def explain(ctx: typer.Context, city: CityArg, build_id: BuildOpt = None,
            json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        region = zs.region(city)
        found, result = load_build(zs.store.con, build_id)
    data_out = {"build_id": found, **explain_unit(result, region.id, state.lang)}
    if state.json:
        print_json(data_out)
        return
    show_explain(state, data_out, result)


@index_app.command("whatif", help=h("index.whatif.help"))
@handles_errors
def whatif(ctx: typer.Context, city: CityArg,
           set_: Annotated[list[str] | None, typer.Option("--set", help=h("index.opt.set"),
                                                          metavar="CODE=VALUE")] = None,
           weight: Annotated[list[str] | None, typer.Option("--weight",
                                                            help=h("index.opt.weight"),
                                                            metavar="CODE=WEIGHT")] = None,
           build_id: BuildOpt = None, json_: JsonOpt = False, lang: LangOpt = None,
           db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    values, weights = _pairs(set_ or [], "--set"), _pairs(weight or [], "--weight")
    if not values and not weights:
        raise ZoneScopeError("index.whatif_nothing")
    with open_store(state) as zs:
        region = zs.region(city)
        found, result = load_build(zs.store.con, build_id)
    data_out = {"build_id": found, **whatif_unit(result, region.id, values, weights, state.lang)}
    if state.json:
        print_json(data_out)
        return
    show_whatif(state, data_out, result)


@index_app.command("template", help=h("index.template.help"))
@handles_errors
def template(ctx: typer.Context,
             output: Annotated[Path, typer.Option("--output", "-o",
                                                  help=h("index.opt.template_output"))],
             framework: Annotated[str | None, typer.Option(
                 "--framework", "-f", help=h("index.opt.framework"), metavar="NAME|FILE")
             ] = None,
             lang: LangOpt = None) -> None:
    state = context(ctx, lang=lang)
    count = write_template(output, framework, state.lang)
    console().print(state.t("index.template.done", path=str(output), count=count))


@index_app.command("list", help=h("index.list.help"))
@handles_errors
def list_(ctx: typer.Context, json_: JsonOpt = False, lang: LangOpt = None,
          db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        runs = get_runs(zs.store.con)
    if state.json:
        print_json(runs)
        return
    show_runs(state, runs)


def _pairs(items: list[str], option: str) -> dict[str, float]:
    """`code=value` options as numbers ('1,234.5', '17.3%', full-width digits accepted)."""
    out: dict[str, float] = {}
    for item in items:
        code, sep, text = item.partition("=")
        try:
            value, _ = parse_number(text) if sep else (None, False)
        except BadValue:
            value = None
        if not code.strip() or value is None:
            raise ZoneScopeError("index.pair_bad", option=option, value=item)
        out[code.strip()] = value
    return out
