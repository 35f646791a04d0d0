"""`zonescope import | export | template | sql`."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer

from zonescope.cli.app import app
from zonescope.cli.common import DbOpt, JsonOpt, LangOpt, context, h, handles_errors, open_store
from zonescope.cli.output import Context, console, print_json, table
from zonescope.errors import ZoneScopeError
from zonescope.ingest.customs import KIND as CUSTOMS_CITY
from zonescope.ingest.customs_detail import DetailOptions
from zonescope.ingest.kinds import kinds

KindOpt = Annotated[str, typer.Option("--kind", "-k", help=h("opt.kind"),
                                      metavar="|".join(kinds()))]
# Import formats that are not stored kinds, and the kind their rows are stored as.
# (customs-detail: its aggregates; its detail rows are the table customs_detail, see `sql`)
IMPORT_FORMATS = {CUSTOMS_CITY: "trade", "customs-detail": "trade"}
ImportKindOpt = Annotated[str, typer.Option("--kind", "-k", help=h("opt.kind"),
                                            metavar="|".join([*kinds(), *IMPORT_FORMATS]))]
OutOpt = Annotated[Path, typer.Option("--output", "-o", help=h("opt.output"))]


@app.command("import", help=h("import.help"))
@handles_errors
def import_(ctx: typer.Context, file: Annotated[Path, typer.Argument(help=h("arg.file"))],
            kind: ImportKindOpt,
            fx: Annotated[list[str] | None, typer.Option("--fx", help=h("opt.fx"))] = None,
            flow: Annotated[str | None, typer.Option("--flow", help=h("customs_detail.opt.flow"),
                                                     metavar="export|import")] = None,
            period: Annotated[str | None, typer.Option(
                "--period", help=h("customs_detail.opt.period"), metavar="YYYY-MM[:YYYY-MM]")
                              ] = None,
            source: Annotated[str | None, typer.Option("--source",
                                                       help=h("customs_detail.opt.source"))
                              ] = None,
            json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None,
            to_parquet: Annotated[Path | None, typer.Option(
                "--to-parquet", help=h("opt.to_parquet"), metavar="DIR")] = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    if to_parquet is not None:  # detail at scale: a Parquet dataset, the store untouched
        _import_parquet(state, file, kind, to_parquet, fx,
                        DetailOptions(flow, period, source, progress=not state.json))
        return
    with open_store(state) as zs:
        report = zs.import_file(file, kind, fx, flow=flow, period=period, source=source,
                                progress=not state.json)
    if state.json:
        print_json(report.to_dict())
        return
    console().print(state.t("import.done", file=report.file_name, kind=report.kind,
                            rows=report.rows, added=report.added, updated=report.updated,
                            unchanged=report.unchanged))
    if kind == "customs-detail":
        console().print(state.t("customs_detail.done", **report.to_dict()))


def _import_parquet(state: Context, file: Path, kind: str, directory: Path,
                    fx: list[str] | None, options: DetailOptions) -> None:
    from zonescope.ingest.parquet import import_file_to_parquet

    done = {**import_file_to_parquet(file, kind, directory, fx=fx, options=options).to_dict(),
            "path": str(directory)}
    if state.json:
        print_json(done)
    else:
        console().print(state.t("parquet.done", **done))


@app.command("export", help=h("export.help"))
@handles_errors
def export(ctx: typer.Context, kind: KindOpt, output: OutOpt, json_: JsonOpt = False,
           lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    _refuse_import_format(kind)
    with open_store(state) as zs:
        count = zs.export(kind, output)
    if state.json:
        print_json({"kind": kind, "path": str(output), "rows": count})
        return
    console().print(state.t("export.done", kind=kind, rows=count, path=str(output)))


@app.command("template", help=h("template.help"))
@handles_errors
def template(ctx: typer.Context, kind: KindOpt, output: OutOpt, lang: LangOpt = None,
             db: DbOpt = None) -> None:
    state = context(ctx, lang=lang, db=db)
    _refuse_import_format(kind)
    open_store(state).template(kind, output, state.lang)
    console().print(state.t("template.done", kind=kind, path=str(output)))


def _refuse_import_format(kind: str) -> None:
    """`customs-city` only reads files: say which kind holds its rows instead of 'unknown kind'."""
    if kind in IMPORT_FORMATS:
        raise ZoneScopeError("customs.export_use_trade", kind=kind, stored=IMPORT_FORMATS[kind])


@app.command("sql", help=h("sql.help"))
@handles_errors
def sql(ctx: typer.Context, query: Annotated[str, typer.Argument(help=h("arg.sql"))],
        as_csv: Annotated[bool, typer.Option("--csv", help=h("opt.csv"))] = False,
        limit: Annotated[int | None, typer.Option("--limit", help=h("opt.limit"))] = None,
        json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        result = zs.sql(query, limit)
    if state.json:
        print_json({"columns": result.columns, "rows": result.records()})
    elif as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(result.columns)
        writer.writerows(result.rows)
    else:
        console().print(table(None, result.columns, [list(r) for r in result.rows]))
