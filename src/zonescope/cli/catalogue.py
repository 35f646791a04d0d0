"""`zonescope sources` and `zonescope clusters [stats]`: the reference catalogues."""

from __future__ import annotations

from typing import Annotated

import typer

from zonescope.cli.app import app, clusters_app
from zonescope.cli.common import DbOpt, JsonOpt, LangOpt, context, h, handles_errors, open_store
from zonescope.cli.output import console, print_json, table
from zonescope.clusters import ClusterFilter, get_cluster_stats, get_clusters
from zonescope.errors import ZoneScopeError
from zonescope.ingest.kinds import vocabulary
from zonescope.store.queries import get_sources


@app.command("sources", help=h("sources.help"))
@handles_errors
def sources(ctx: typer.Context, json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None
            ) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        rows = get_sources(zs.store.con)
    if state.json:
        print_json(rows)
        return
    title_key = "title_zh" if state.lang == "zh" else "title_en"
    console().print(table(state.t("sources.title", count=len(rows)), [
        "id", state.t("sources.col_title"), state.t("sources.col_publisher"),
        state.t("sources.col_date"), state.t("sources.col_where"), state.t("cli.rows")],
        [[r["id"], r[title_key] or r["title_zh"], r["publisher"], r["date"],
          r["url"] or r["footnote"], r["rows"]] for r in rows]))


@clusters_app.callback(invoke_without_command=True, help=h("clusters.help"))
@handles_errors
def clusters(ctx: typer.Context,
             province: Annotated[str | None, typer.Option("--province", help=h("opt.province"))
                                 ] = None,
             city: Annotated[str | None, typer.Option("--city", help=h("opt.city"))] = None,
             sector: Annotated[str | None, typer.Option("--sector", help=h("opt.sector"))] = None,
             unique: Annotated[bool, typer.Option("--unique", help=h("opt.unique"))] = False,
             json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None) -> None:
    if ctx.invoked_subcommand:
        ctx.obj = context(ctx, json=json_, lang=lang, db=db)
        return
    state = context(ctx, json=json_, lang=lang, db=db)
    if sector and sector not in vocabulary("sectors"):
        raise ZoneScopeError("value.not_in_vocabulary", items=sector,
                             known=list(vocabulary("sectors")))
    with open_store(state) as zs:
        where = ClusterFilter(province=zs.region(province, "province") if province else None,
                              city=zs.region(city, "prefecture") if city else None,
                              sector=sector, unique=unique)
        rows = get_clusters(zs.store.con, where)
    if state.json:
        print_json(rows)
        return
    console().print(table(state.t("clusters.title", count=len(rows)), [
        state.t("clusters.number"), state.t("cli.name"), state.t("clusters.city"),
        state.t("clusters.county"), state.t("clusters.sector"), state.t("clusters.duplicate_of"),
        state.t("cli.sources")],
        [[r["number"], r["name"], r["city"], r["county"], r["sector_zh"], r["duplicate_of"],
          f"{r['source']} {r['source_ref'] or ''}"] for r in rows]))


@clusters_app.command("stats", help=h("clusters.stats.help"))
@handles_errors
def stats(ctx: typer.Context, json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None
          ) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        result = get_cluster_stats(zs.store.con)
    if state.json:
        print_json(result)
        return
    out = console()
    out.print(table(state.t("clusters.by_province"), [
        state.t("cli.name"), state.t("clusters.printed"), state.t("clusters.unique"),
        state.t("clusters.unplaced")],
        [[r["province"], r["printed"], r["unique"], r["unplaced"]] for r in result["provinces"]]))
    out.print(table(state.t("clusters.by_city"), [
        state.t("clusters.city"), state.t("cli.path"), state.t("clusters.unique")],
        [[r["city"], r["province"], r["unique"]] for r in result["cities"]]))
    name = "name_zh" if state.lang == "zh" else "name_en"
    out.print(table(state.t("clusters.by_sector"), [
        state.t("clusters.sector"), state.t("clusters.unique")],
        [[r[name] or r["sector"], r["unique"]] for r in result["sectors"]]))
