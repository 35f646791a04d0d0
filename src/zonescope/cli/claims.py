"""`zonescope claims check FILE|-`: every numeric claim of a text, judged and explained."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from zonescope.claims import Report, Verdict, check_report
from zonescope.cli.common import (
    DbOpt,
    JsonOpt,
    LangOpt,
    context,
    h,
    handles_errors,
    open_store,
    read_text_arg,
)
from zonescope.cli.output import MISSING, Context, console, print_json, table

claims_app = typer.Typer(help=h("claims.help"), no_args_is_help=True)

# (ratio, min_width) per column: the explanation gets the room; None keeps a column on one line
_LAYOUT = ((None, None), (None, None), (2, 8), (1, 6), (None, None), (4, 24))
_COLOURS = {"supported": "green", "contradicted": "bold red", "unverifiable": "yellow"}


@claims_app.command("check", help=h("claims.check.help"))
@handles_errors
def check(ctx: typer.Context,
          file: Annotated[str, typer.Argument(help=h("claims.arg.file"), metavar="FILE|-")],
          year: Annotated[int | None, typer.Option("--year", help=h("claims.opt.year"))] = None,
          json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    text = _read(file)
    with open_store(state) as zs:
        report = check_report(zs.store.con, text, state.lang, year=year)
    source = state.t("claims.stdin") if file == "-" else file
    if state.json:
        print_json({"file": source, **report.to_dict()})
        return
    _print(state, source, report)


def _read(file: str) -> str:
    return read_text_arg(file, "claims.not_found", "claims.unreadable")


def _print(state: Context, source: str, report: Report) -> None:
    out = console()
    if not report.verdicts:
        out.print(state.t("claims.none"))
    else:
        headers = [f"{state.t('claims.col.verdict')}\n{state.t('claims.col.span')}"] + [
            state.t(f"claims.col.{c}") for c in
            ("kind", "text", "stated", "computed", "explanation")]
        rows = [[_verdict(state, v), _kind(state, v), v.text, v.stated, _computed(state, v),
                 v.explanation] for v in report.verdicts]
        grid = table(state.t("claims.title", source=source), headers, rows)
        for column, (ratio, width) in zip(grid.columns, _LAYOUT, strict=True):
            column.ratio, column.min_width, column.no_wrap = ratio, width, ratio is None
        grid.expand = True
        out.print(grid)
    counts = report.counts()
    out.print(state.t("claims.summary", total=len(report.verdicts), skipped=len(report.skipped),
                      **counts), highlight=False)


def _verdict(state: Context, verdict: Verdict) -> Text:
    """The verdict in its colour, with the claim's span in the input below it."""
    text = Text(state.t(f"claims.verdict.{verdict.verdict}"), style=_COLOURS[verdict.verdict])
    text.append(f"\n{verdict.span[0]}–{verdict.span[1]}", style="dim")
    return text


def _kind(state: Context, verdict: Verdict) -> str:
    kind = state.t(f"claims.kind.{verdict.kind}")
    return f"{kind}·{state.t(f'flow.{verdict.flow}')}" if verdict.flow else kind


def _computed(state: Context, verdict: Verdict) -> str:
    value = verdict.computed
    if value is None:
        return MISSING
    if verdict.unit == "rank":
        return state.t("claims.rank.nth", rank=int(value))
    if verdict.unit == "%":
        return f"{value:.2f}%"
    if verdict.unit == "":
        return f"{value:g}"
    return f"{value:.2f}"
