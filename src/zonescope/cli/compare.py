"""`zonescope compare A B [C D]` and `zonescope show REGION` in the terminal."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from zonescope.cli.app import app
from zonescope.cli.common import DbOpt, JsonOpt, LangOpt, context, h, handles_errors, open_store
from zonescope.cli.output import Context, console, fmt, print_json, table
from zonescope.compare import Comparison
from zonescope.errors import ZoneScopeError

SpanOpt = Annotated[list[str] | None, typer.Option("--span", help=h("opt.span"))]
PeriodOpt = Annotated[str | None, typer.Option("--period", help=h("opt.period"))]


OutputOpt = Annotated[str | None, typer.Option("--output", "-o", help=h("opt.report_output"),
                                              metavar="FILE")]


@app.command("compare", help=h("compare.help"))
@handles_errors
def compare(ctx: typer.Context,
            regions: Annotated[list[str], typer.Argument(help=h("arg.regions"))],
            period: PeriodOpt = None, span: SpanOpt = None, output: OutputOpt = None,
            json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    if not 2 <= len(regions) <= 4:
        raise ZoneScopeError("compare.count", count=len(regions))
    if output:
        _write_report(state, regions, period, output)
        return
    with open_store(state) as zs:
        result = zs.compare(*regions, period=period, spans=_spans(span),
                            latest_only=period is None and not span)
    _render(state, result)
    if not state.json:
        _next_steps(state, [r.name_zh for r in result.regions])


def _next_steps(state: Context, names: list[str]) -> None:
    """The rest of the article's comparison lives in other commands and the report: say which.

    After `show` (one region) the comparison itself is suggested, the other city left
    for the reader to name.
    """
    first, both = names[0], " ".join(names)
    steps = [(f"zonescope diagnose {first}", "compare.next_diagnose"),
             (f"zonescope advise {first}", "compare.next_advise")]
    if len(names) > 1:
        steps.insert(1, (f"zonescope common {' '.join(names[:2])}", "compare.next_common"))
        steps.append((f"zonescope compare {both} -o {state.t('compare.next_file')}",
                      "compare.next_report"))
    else:
        steps.append((f"zonescope compare {first} {state.t('compare.next_peer')}",
                      "compare.next_compare"))
    out = console()
    out.print(f"[bold]{state.t('compare.next')}[/]")
    for command, key in steps:
        out.print(f"  [cyan]{command}[/]  {state.t(key)}", soft_wrap=True)


@app.command("show", help=h("show.help"))
@handles_errors
def show(ctx: typer.Context, region: Annotated[str, typer.Argument(help=h("arg.region"))],
         period: PeriodOpt = None, span: SpanOpt = None, json_: JsonOpt = False,
         lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        result = zs.compare(region, period=period, spans=_spans(span),
                            latest_only=period is None and not span)
    _render(state, result)
    if not state.json:
        _next_steps(state, [r.name_zh for r in result.regions])


def _write_report(state: Context, regions: list[str], period: str | None, output: str) -> None:
    """`-o FILE`: the full report (format from the suffix), written atomically."""
    from zonescope.report import build_report, render
    from zonescope.report.browser import prestarted
    from zonescope.report.build import resolve_regions
    from zonescope.report.output import check_target

    fmt = check_target(output)
    found = resolve_regions(regions)  # a mistyped name fails before any browser starts
    with prestarted(fmt):
        with open_store(state) as zs:
            report = build_report(zs, found, lang=state.lang, period=period)
        path = render(report, fmt, output)
    if state.json:
        print_json({"path": str(path), "format": fmt, "bytes": path.stat().st_size,
                    "figures": len(report.figures()), "tables": len(report.tables()),
                    "claims": report.claims["summary"]})
        return
    size = path.stat().st_size
    shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"
    console().print(state.t("report.written", path=str(path), size=shown), highlight=False)


def _spans(span: list[str] | None) -> tuple[str, ...]:
    chosen = tuple(span or ("year", "ytd", "month"))
    bad = [s for s in chosen if s not in ("year", "ytd", "month")]
    if bad:
        raise ZoneScopeError("value.bad_choice", choices="month | ytd | year")
    return chosen


def _render(state: Context, result: Comparison) -> None:
    if state.json:
        print_json(result.to_dict())
        return
    out = console()
    names = [r.name_zh if state.lang == "zh" else r.name_en for r in result.regions]
    out.print(f"[bold]{state.t('compare.title', regions=' · '.join(names))}[/]")
    for number, dimension in enumerate(result.dimensions, start=1):
        title = f"{number}. {dimension.name_zh if state.lang == 'zh' else dimension.name_en}"
        if not dimension.items:
            out.print(table(title, [state.t("cli.item"), *names],
                            [[state.t("compare.nothing"), *["—" for _ in names]]]))
            continue
        rows = []
        for item in dimension.items:
            row = [item.label(state.lang), item.period, item.unit]
            for region in result.regions:
                cell = item.cells.get(region.id)
                if cell is None:
                    row.append(None)
                    continue
                text = fmt(cell.value)
                if cell.yoy_pct is not None:
                    text += f"（{state.t('compare.yoy')} {cell.yoy_pct:+.1f}%）"
                source = " ".join(x for x in (cell.source, cell.source_ref) if x)
                row.append(Text.assemble(text, ("\n" + source, "dim")) if source else text)
            rows.append(row)
        out.print(table(title, [state.t("cli.item"), state.t("cli.period"), state.t("cli.unit"),
                                *names], rows))
