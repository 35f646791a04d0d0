"""`zonescope trade show | rank | share`: derived figures, each next to what it came from."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from zonescope.cli.app import trade_app
from zonescope.cli.common import DbOpt, JsonOpt, LangOpt, context, h, handles_errors, open_store
from zonescope.cli.output import Context, console, print_json, table
from zonescope.trade import FLOWS, SPANS, SeriesQuery, get_ranking, get_series, get_share
from zonescope.trade.engine import ENGINES, choose_engine, open_tables

EngineOpt = Annotated[str | None, typer.Option("--engine", help=h("opt.engine"),
                                               metavar="|".join(ENGINES))]
SparkOpt = Annotated[str | None, typer.Option("--spark", help=h("opt.spark"), metavar="URL")]
FlowOpt = Annotated[list[str] | None, typer.Option("--flow", help=h("opt.flow"))]
ModeOpt = Annotated[str, typer.Option("--mode", help=h("opt.mode"))]
PeriodReq = Annotated[str, typer.Option("--period", help=h("opt.period_exact"))]
SpanOne = Annotated[str, typer.Option("--span", help=h("opt.span_one"))]


@trade_app.command("show", help=h("trade.show.help"))
@handles_errors
def show(ctx: typer.Context, region: Annotated[str, typer.Argument(help=h("arg.region"))],
         flow: FlowOpt = None,
         span: Annotated[list[str] | None, typer.Option("--span", help=h("opt.span"))] = None,
         mode: ModeOpt = "all",
         start: Annotated[str | None, typer.Option("--from", help=h("opt.from"))] = None,
         end: Annotated[str | None, typer.Option("--to", help=h("opt.to"))] = None,
         json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None,
         engine: EngineOpt = None, spark: SparkOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    chosen = choose_engine(engine, spark)
    with open_store(state) as zs:
        found = zs.region(region)
        rows = get_series(zs.store.con, SeriesQuery(found, tuple(flow or FLOWS),
                                                    tuple(span or SPANS), mode, start, end),
                          tables=open_tables(zs.store.con, chosen))
    if state.json:
        print_json({"region": {"id": found.id, "name_zh": found.name_zh}, "rows": rows})
        return
    console().print(table(state.t("trade.show.title", region=found.name_zh, count=len(rows)), [
        state.t("cli.period"), state.t("trade.span"), state.t("trade.flow"),
        state.t("trade.value"), state.t("trade.yoy"), state.t("trade.yoy_derived"),
        state.t("trade.share"), state.t("trade.note")],
        [[r["period"], state.t(f"span.{r['span']}"), state.t(f"flow.{r['flow']}"),
          _num(r["value"]), _pct(r.get("yoy_pct")), _pct(r.get("yoy_derived")),
          _pct(r.get("share_pct")), _note(state, r)] for r in rows]))


@trade_app.command("rank", help=h("trade.rank.help"))
@handles_errors
def rank(ctx: typer.Context,
         level: Annotated[str, typer.Option("--level", help=h("opt.rank_level"))],
         period: PeriodReq, span: SpanOne = "ytd",
         flow: Annotated[str, typer.Option("--flow", help=h("opt.flow"))] = "total",
         by: Annotated[str, typer.Option("--by", help=h("opt.by"))] = "value",
         parent: Annotated[str | None, typer.Option("--parent", help=h("opt.parent"))] = None,
         mode: ModeOpt = "all", json_: JsonOpt = False, lang: LangOpt = None,
         db: DbOpt = None, engine: EngineOpt = None, spark: SparkOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    chosen = choose_engine(engine, spark)
    with open_store(state) as zs:
        within = zs.region(parent) if parent else None
        rows = get_ranking(zs.store.con, level=level, period=period, span=span, flow=flow,
                           by=by, parent=within, mode=mode,
                           tables=open_tables(zs.store.con, chosen))
    if state.json:
        print_json(rows)
        return
    name = "name_zh" if state.lang == "zh" else "name_en"
    console().print(table(state.t("trade.rank.title", period=period, span=state.t(
        f"span.{span}"), flow=state.t(f"flow.{flow}"), by=state.t(f"trade.by.{by}")), [
        state.t("trade.rank"), state.t("cli.name"), state.t("trade.value"), state.t("trade.yoy"),
        state.t("trade.share"), state.t("trade.gap"), state.t("cli.sources")],
        [[r["rank"], r[name], _num(r["value"]), _pct(r["yoy_pct"]), _pct(r["share_pct"]),
          _num(r["gap_to_above"]), r["source"]] for r in rows]))


@trade_app.command("share", help=h("trade.share.help"))
@handles_errors
def share(ctx: typer.Context, region: Annotated[str, typer.Argument(help=h("arg.region"))],
          period: PeriodReq, span: SpanOne = "ytd",
          of: Annotated[str | None, typer.Option("--of", help=h("opt.of"))] = None,
          mode: ModeOpt = "all", json_: JsonOpt = False, lang: LangOpt = None,
          db: DbOpt = None, engine: EngineOpt = None, spark: SparkOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    chosen = choose_engine(engine, spark)
    with open_store(state) as zs:
        found = zs.region(region)
        ancestor = zs.region(of) if of else None
        rows = get_share(zs.store.con, found, period=period, span=span, of=ancestor, mode=mode,
                         tables=open_tables(zs.store.con, chosen))
    if state.json:
        print_json(rows)
        return
    parent = zs.region(rows[0]["parent_id"]).name_zh
    console().print(table(state.t("trade.share.title", region=found.name_zh, parent=parent,
                                  period=period, span=state.t(f"span.{span}")), [
        state.t("trade.flow"), state.t("trade.value"), state.t("trade.parent_value"),
        state.t("trade.share"), state.t("trade.contribution"), state.t("trade.formula")],
        [[state.t(f"flow.{r['flow']}"), _num(r["value"]), _num(r["parent_value"]),
          _pct(r["share_pct"]), _pp(r["contribution_pp"]), _formula(r)] for r in rows]))


def _num(value: float | None) -> str | None:
    return None if value is None else f"{value:,.2f}"


def _pct(value: float | None) -> str | None:
    return None if value is None else f"{value:.1f}%"


def _pp(value: float | None) -> str | None:
    return None if value is None else f"{value:+.2f}"


def _formula(row: dict[str, Any]) -> str | None:
    if row["share_pct"] is None:
        return None
    return f"{row['value']:,.2f} ÷ {row['parent_value']:,.2f}"


def _note(state: Context, row: dict[str, Any]) -> str:
    notes = []
    if row.get("derived"):
        notes.append(state.t("trade.derived_two" if row.get("months") == 2 else "trade.derived"))
    if row.get("yoy_flag"):
        notes.append(state.t("trade.flag", gap=f"{row['yoy_gap_pp']:+.1f}"))
    return "；".join(notes)
