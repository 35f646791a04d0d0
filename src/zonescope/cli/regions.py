"""`zonescope regions show | list`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from zonescope.cli.app import regions_app
from zonescope.cli.common import DbOpt, JsonOpt, LangOpt, context, h, handles_errors, open_store
from zonescope.cli.output import Context, console, print_json, table
from zonescope.regions import Region, registry
from zonescope.regions.resolve import resolve


def region_dict(region: Region) -> dict[str, Any]:
    """The stable JSON form of a region (documented in docs/cli.md)."""
    reg = registry()
    parent = reg.parent(region)
    return {
        "id": region.id, "level": region.level, "name_zh": region.name_zh,
        "short_zh": region.short_zh, "name_en": region.name_en, "kind": region.kind,
        "parent_id": region.parent_id, "parent_name_zh": parent.name_zh if parent else None,
        "path": reg.path(region), "aliases": list(region.aliases),
        "pilot_zones": [{"batch": z.batch, "approval_doc": z.approval_doc,
                         "approval_date": z.approval_date, "name": z.name, "status": z.status,
                         "revoked_by": z.revoked_by, "active": z.active, "source": z.source}
                        for z in reg.pilot(region.id)],
    }


@regions_app.command("show", help=h("regions.show.help"))
@handles_errors
def show(ctx: typer.Context, name: Annotated[str, typer.Argument(help=h("arg.region"))],
         level: Annotated[str | None, typer.Option("--level", help=h("opt.level"))] = None,
         json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    found = resolve(name, level=level)
    data = region_dict(found.region)
    data["matched_by"] = found.matched_by
    data["also"] = [r.label() for r in found.alternatives]
    if state.json:
        print_json(data)
        return
    _print_region(state, data)


def _print_region(state: Context, data: dict[str, Any]) -> None:
    name = data["name_zh"] if state.lang == "zh" else data["name_en"]
    rows = [[state.t("cli.code"), data["id"]],
            [state.t("cli.level"), state.t(f"region.level.{data['level']}")],
            [state.t("cli.path"), data["path"]],
            [state.t("cli.name_en") if state.lang == "zh" else "name_zh",
             data["name_en"] if state.lang == "zh" else data["name_zh"]],
            [state.t("cli.aliases"), "、".join([data["short_zh"], *data["aliases"]])]]
    for zone in data["pilot_zones"]:
        status = state.t("regions.pilot.active" if zone["active"] else "regions.pilot.revoked",
                         by=zone["revoked_by"])
        rows.append([state.t("cli.pilot"), state.t(
            "regions.pilot.line", batch=zone["batch"], doc=zone["approval_doc"],
            date=zone["approval_date"], status=status, confidence=zone["status"])])
    out = console()
    out.print(table(name, [state.t("cli.field"), state.t("cli.value")], rows))
    if data["also"]:
        out.print(state.t("regions.also", names="、".join(data["also"])))


@regions_app.command("list", help=h("regions.list.help"))
@handles_errors
def list_regions(
    ctx: typer.Context,
    level: Annotated[str | None, typer.Option("--level", help=h("opt.level"))] = None,
    parent: Annotated[str | None, typer.Option("--parent", help=h("opt.parent"))] = None,
    pilot_batch: Annotated[int | None, typer.Option("--pilot-batch", help=h("opt.pilot_batch"))
                           ] = None,
    active_pilot: Annotated[bool, typer.Option("--active-pilot", help=h("opt.active_pilot"))
                            ] = False,
    json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None,
) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    zs = open_store(state)
    found = zs.regions(level=level, parent=parent, pilot_batch=pilot_batch,
                       active_pilot=active_pilot)
    if state.json:
        print_json([region_dict(r) for r in found])
        return
    reg = registry()
    rows = []
    for region in found:
        zones = reg.pilot(region.id)
        batches = "、".join(str(z.batch) for z in zones)
        rows.append([region.id, region.name_zh if state.lang == "zh" else region.name_en,
                     state.t(f"region.level.{region.level}"), reg.path(region, state.lang),
                     batches])
    console().print(table(state.t("regions.list.title", count=len(rows)), [
        state.t("cli.code"), state.t("cli.name"), state.t("cli.level"), state.t("cli.path"),
        state.t("cli.pilot_batch")], rows))
