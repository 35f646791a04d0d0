"""`zonescope db init | status | reset | history | undo`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from zonescope.cli.app import db_app
from zonescope.cli.common import DbOpt, JsonOpt, LangOpt, context, h, handles_errors, open_store
from zonescope.cli.output import Context, console, print_json, table
from zonescope.store import latest_version


@db_app.command("init", help=h("db.init.help"))
@handles_errors
def init(ctx: typer.Context, json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None
         ) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        version = zs.store.schema_version()
        result = {"path": str(zs.path), "schema_version": version,
                  "migrated": zs.store.migrated, "loaded": zs.store.loaded}
    if state.json:
        print_json(result)
        return
    console().print(state.t("db.init.done", path=result["path"], version=version,
                            loaded=", ".join(result["loaded"]) or state.t("db.nothing_new")))


@db_app.command("status", help=h("db.status.help"))
@handles_errors
def status(ctx: typer.Context, json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None
           ) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        datasets = zs.status()
        version = zs.store.schema_version()
    if state.json:
        print_json({"path": str(zs.path), "schema_version": version,
                    "supported_schema_version": latest_version(), "datasets": datasets})
        return
    out = console()
    out.print(state.t("db.status.head", path=str(zs.path), version=version))
    rows = [[state.t(f"dataset.{d['dataset']}"), d["rows"],
             f"{d['first']} — {d['last']}" if d["first"] else None, ", ".join(d["sources"])]
            for d in datasets]
    out.print(table(None, [state.t("cli.dataset"), state.t("cli.rows"), state.t("cli.periods"),
                           state.t("cli.sources")], rows))


@db_app.command("reset", help=h("db.reset.help"))
@handles_errors
def reset(ctx: typer.Context,
          yes: Annotated[bool, typer.Option("--yes", "-y", help=h("db.reset.yes"))] = False,
          json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    zs = open_store(state)
    if not yes and not typer.confirm(state.t("db.reset.confirm", path=str(zs.path))):
        raise typer.Exit(1)
    zs.store.reset()
    with open_store(state) as fresh:
        _ = fresh.store.con  # rebuilds the schema and reloads the bundled data
        loaded = fresh.store.loaded
    if state.json:
        print_json({"path": str(zs.path), "reset": True, "loaded": loaded})
        return
    console().print(state.t("db.reset.done", path=str(zs.path)))


@db_app.command("history", help=h("db.history.help"))
@handles_errors
def history(ctx: typer.Context,
            limit: Annotated[int | None, typer.Option("--limit", help=h("opt.limit"))] = None,
            json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        entries = zs.history(limit)
    if state.json:
        print_json(entries)
        return
    rows = [[e["id"], e["imported_at"], _kind(state, e), e["file_name"], e["origin"],
             e["rows_added"],
             e["rows_updated"], e["rows_unchanged"], e["sha256"][:12]] for e in entries]
    console().print(table(state.t("db.history.title"), [
        "#", state.t("cli.time"), state.t("cli.kind"), state.t("cli.file"), state.t("cli.origin"),
        state.t("cli.added"), state.t("cli.updated"), state.t("cli.unchanged"), "sha256"], rows))


@db_app.command("undo", help=h("db.undo.help"))
@handles_errors
def undo(ctx: typer.Context,
         yes: Annotated[bool, typer.Option("--yes", "-y", help=h("db.undo.yes"))] = False,
         json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        target = zs.next_undo()  # refuses (nothing to undo) before asking
        if not yes and not typer.confirm(state.t(
                "db.undo.confirm", id=target["import_id"], kind=target["kind"],
                file=target["file_name"], time=target["imported_at"])):
            raise typer.Exit(1)
        result = zs.undo(target["import_id"])
    if state.json:
        print_json(result)
        return
    console().print(state.t("db.undo.done", id=result["import_id"], kind=result["kind"],
                            file=result["file_name"], time=result["imported_at"],
                            removed=result["rows_removed"], restored=result["rows_restored"]))


def _kind(state: Context, entry: dict[str, Any]) -> str:
    """The import's kind, and that it was taken back (by which undo) if it was."""
    if entry["undone_by"] is None:
        return str(entry["kind"])
    return f"{entry['kind']}（{state.t('db.history.undone', id=entry['undone_by'])}）"
