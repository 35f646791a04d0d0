"""`zonescope trade modes | partners | concentration | aggregate`: measures from customs detail."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from zonescope.cli.app import trade_app
from zonescope.cli.common import DbOpt, JsonOpt, LangOpt, context, h, handles_errors, open_store
from zonescope.cli.output import Context, console, print_json, table
from zonescope.cli.trade import EngineOpt, SparkOpt
from zonescope.errors import ZoneScopeError
from zonescope.ingest.values import BadValue, parse_fx
from zonescope.trade.detail import get_concentration, get_mode_shares, get_partner_shares
from zonescope.trade.engine import Engine, choose_engine, open_detail
from zonescope.trade.rollup import store_totals

RegionArg = Annotated[str, typer.Argument(help=h("arg.region"))]
PeriodOpt = Annotated[str | None, typer.Option("--period", help=h("trade.detail.opt_period"))]
FlowOpt = Annotated[str, typer.Option("--flow", help=h("trade.detail.opt_flow"))]
DetailOpt = Annotated[str | None, typer.Option("--detail", help=h("opt.detail"), metavar="DIR")]


@trade_app.command("modes", help=h("trade.modes.help"))
@handles_errors
def modes(ctx: typer.Context, region: RegionArg, period: PeriodOpt = None,
          flow: FlowOpt = "export", json_: JsonOpt = False, lang: LangOpt = None,
          db: DbOpt = None, engine: EngineOpt = None, spark: SparkOpt = None,
          detail: DetailOpt = None) -> None:
    state, found, rows = _run(ctx, region, json_, lang, db, flow,
                              choose_engine(engine, spark, detail),
                              lambda con, rid, rows: get_mode_shares(
                                  con, rid, period=period, flow=flow, detail=rows))
    name = "name_zh" if state.lang == "zh" else "name_en"
    _show(state, found, rows, "trade.modes.title", flow, [
        state.t("cli.period"), state.t("trade.detail.mode"), state.t("cli.name"),
        state.t("trade.detail.value"), state.t("trade.share")],
        lambda r: [r["period_label"], r["mode"], r[name], _money(r), _pct(r["share_pct"])])


@trade_app.command("partners", help=h("trade.partners.help"))
@handles_errors
def partners(ctx: typer.Context, region: RegionArg, period: PeriodOpt = None,
             flow: FlowOpt = "export",
             top: Annotated[int, typer.Option("--top", help=h("trade.detail.opt_top"))] = 20,
             json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None,
             engine: EngineOpt = None, spark: SparkOpt = None, detail: DetailOpt = None
             ) -> None:
    state, found, rows = _run(ctx, region, json_, lang, db, flow,
                              choose_engine(engine, spark, detail),
                              lambda con, rid, rows: get_partner_shares(
                                  con, rid, period=period, flow=flow, top=top, detail=rows))
    _show(state, found, rows, "trade.partners.title", flow, [
        state.t("cli.period"), state.t("trade.detail.partner"), state.t("cli.name"),
        state.t("trade.detail.value"), state.t("trade.share")],
        lambda r: [r["period_label"], r["partner_code"], r["partner_name"], _money(r),
                   _pct(r["share_pct"])])


@trade_app.command("concentration", help=h("trade.concentration.help"))
@handles_errors
def concentration(ctx: typer.Context, region: RegionArg, period: PeriodOpt = None,
                  flow: FlowOpt = "export", json_: JsonOpt = False, lang: LangOpt = None,
                  db: DbOpt = None, engine: EngineOpt = None, spark: SparkOpt = None,
                  detail: DetailOpt = None) -> None:
    state, found, rows = _run(ctx, region, json_, lang, db, flow,
                              choose_engine(engine, spark, detail),
                              lambda con, rid, rows: get_concentration(
                                  con, rid, period=period, flow=flow, detail=rows))
    _show(state, found, rows, "trade.concentration.title", flow, [
        state.t("cli.period"), "HHI", state.t("trade.detail.chapters"),
        state.t("trade.detail.top_chapter"), state.t("trade.detail.value")],
        lambda r: [r["period_label"], f"{r['hhi']:,.0f}", r["chapters"],
                   f"{r['top_chapter']}（{_pct(r['top_share_pct'])}）", _money(r)])


@trade_app.command("aggregate", help=h("trade.aggregate.help"))
@handles_errors
def aggregate(ctx: typer.Context, detail: DetailOpt = None,
              fx: Annotated[list[str] | None, typer.Option("--fx", help=h("opt.fx"))] = None,
              source: Annotated[str | None, typer.Option(
                  "--source", help=h("opt.rollup_source"))] = None,
              engine: EngineOpt = None, spark: SparkOpt = None, json_: JsonOpt = False,
              lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    if not detail:
        raise ZoneScopeError("trade.aggregate.needs_detail")
    chosen = choose_engine(engine, spark, detail)
    try:
        rates = parse_fx(fx or [])
    except BadValue as bad:
        raise ZoneScopeError(bad.key, **bad.params) from None
    location = chosen.detail or detail
    with open_store(state) as zs:
        result = store_totals(zs.store.con, open_detail(zs.store.con, chosen), location,
                              fx=rates, source=source)
    done = {"path": location, "engine": chosen.name, "import_id": result.import_id,
            "added": result.added, "updated": result.updated, "unchanged": result.unchanged}
    if state.json:
        print_json(done)
        return
    console().print(state.t("trade.aggregate.done", **done))


def _run(ctx: typer.Context, region: str, json_: bool, lang: str | None, db: str | None,
         flow: str, engine: Engine, query: Any) -> tuple[Context, Any, list[dict[str, Any]]]:
    state = context(ctx, json=json_, lang=lang, db=db)
    if flow not in ("export", "import", "total"):
        raise ZoneScopeError("trade.bad_option", option="flow", value=flow,
                             allowed="export | import | total")
    with open_store(state) as zs:
        found = zs.region(region)
        rows = query(zs.store.con, found.id, open_detail(zs.store.con, engine))
    return state, found, rows


def _show(state: Context, found: Any, rows: list[dict[str, Any]], title: str, flow: str,
          headers: list[str], cells: Any) -> None:
    if state.json:
        print_json({"region": {"id": found.id, "name_zh": found.name_zh}, "flow": flow,
                    "rows": rows})
        return
    name = found.name_zh if state.lang == "zh" else found.name_en
    if not rows:
        console().print(state.t("trade.detail.none", region=name, flow=state.t(f"flow.{flow}")))
        return
    console().print(table(state.t(title, region=name, flow=state.t(f"flow.{flow}")), headers,
                          [cells(r) for r in rows]))


def _money(row: dict[str, Any]) -> str:
    return f"{row['value']:,.0f} {row['value_unit']}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"
