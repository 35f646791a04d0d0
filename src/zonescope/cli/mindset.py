"""`zonescope diagnose REGION` and `zonescope common A B`: the mindset engine in the terminal."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from zonescope.cli.app import app
from zonescope.cli.common import DbOpt, JsonOpt, LangOpt, context, h, handles_errors, open_store
from zonescope.cli.output import Context, console, print_json, table
from zonescope.errors import ZoneScopeError
from zonescope.mindset import diagnose as run_diagnosis
from zonescope.mindset import get_common, get_spec, label_text
from zonescope.mindset.signals import num

AsOfOpt = Annotated[int | None, typer.Option("--as-of", help=h("opt.as_of"), metavar="YEAR")]
SignalsOpt = Annotated[str | None, typer.Option("--signals", help=h("opt.signals_file"),
                                                metavar="PATH")]


@app.command("diagnose", help=h("diagnose.help"))
@handles_errors
def diagnose(ctx: typer.Context, region: Annotated[str, typer.Argument(help=h("arg.region"))],
             as_of: AsOfOpt = None, signals: SignalsOpt = None, json_: JsonOpt = False,
             lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        found = zs.region(region)
        result = run_diagnosis(zs.store.con, found, get_spec(signals), as_of=as_of).to_dict(
            state.lang)
    if state.json:
        print_json(result)
        return
    render_diagnosis(state, result)


@app.command("common", help=h("common.help"))
@handles_errors
def common(ctx: typer.Context, first: Annotated[str, typer.Argument(help=h("arg.region"))],
           second: Annotated[str, typer.Argument(help=h("arg.region"))],
           signals: SignalsOpt = None, json_: JsonOpt = False, lang: LangOpt = None,
           db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        a, b = zs.region(first), zs.region(second)
        if a.id == b.id:
            raise ZoneScopeError("common.same_region", region=a.label(state.lang))
        result = get_common(zs.store.con, a, b, get_spec(signals)).to_dict(state.lang)
    if state.json:
        print_json(result)
        return
    _render_common(state, result)


def _name(state: Context, item: dict[str, Any]) -> str:
    return str(item["name_zh"] if state.lang == "zh" else item["name_en"])


def _sources(sources: list[dict[str, Any]]) -> str:
    return "；".join(" ".join(str(p) for p in (s.get("source"), s.get("source_ref")) if p)
                    for s in sources)


def render_diagnosis(state: Context, d: dict[str, Any]) -> None:
    """The diagnosis as a summary, a signal table, the missing data and the stage."""
    out = console()
    out.print(f"[bold]{state.t('diagnose.title', region=_name(state, d['region']))}[/]")
    score = d["score"] if d["score"] is not None else d["partial_score"]
    out.print(state.t("diagnose.summary", label=d["label_text"],
                      score="—" if d["score"] is None else f"{score:+.2f}",
                      confidence=f"{d['confidence']:.0%}", known=d["signals_with_data"],
                      total=d["signals_total"]), highlight=False)
    out.print(state.t("diagnose.rule", article=d["rule"]["article"], text=d["rule"]["text"]),
              style="dim", highlight=False)
    rows = [[s["name"], _value(s), _signed(s["position"]), num(s["weight"]),
             _signed(s["contribution"]), s["evidence"], _sources(s["sources"])]
            for s in d["signals"]]
    out.print(table(None, [state.t(f"diagnose.col.{c}") for c in (
        "signal", "value", "position", "weight", "contribution", "evidence", "source")], rows))
    if d["missing"]:
        low, high = d["score_range"]
        key = "diagnose.robust" if d["robust"] else "diagnose.range"
        out.print(state.t(key, low=f"{low:+.2f}", high=f"{high:+.2f}",
                          labels=[label_text(c, state.lang) for c in d["possible_labels"]]),
                  highlight=False)
        out.print(table(state.t("diagnose.missing_title"), [
            state.t("diagnose.col.signal"), state.t("diagnose.col.weight"),
            state.t("diagnose.col.needs")],
            [[m["name"], num(m["weight"]), m["needs"]] for m in d["missing"]]))
    _render_stage(state, d["stage"])


def _render_stage(state: Context, stage: dict[str, Any]) -> None:
    out = console()
    out.print(table(state.t("diagnose.stage_title", stage=stage["label"],
                            points=num(stage["mean_points"]), as_of=stage["as_of"] or "—"), [
        state.t("diagnose.col.criterion"), state.t("diagnose.col.value"),
        state.t("diagnose.col.points"), state.t("diagnose.col.evidence")],
        [[c["name"], None if c["value"] is None else f"{num(c['value'])} {c['unit']}",
          c["points"], c["evidence"]] for c in stage["criteria"]]))
    if stage["advice"]:
        out.print(state.t("diagnose.stage_advice", article=stage["advice"]["article"],
                          text=stage["advice"]["text"]), highlight=False)


def _value(signal: dict[str, Any]) -> str | None:
    value = signal["value"]
    if value is None:
        return None
    digits = 1 if signal["unit"] == "%" else 3
    return f"{num(value, digits)} {signal['unit']}" if signal["unit"] else num(value, digits)


def _signed(value: float | None) -> str | None:
    return None if value is None else f"{value:+.2f}"


def _render_common(state: Context, c: dict[str, Any]) -> None:
    out = console()
    a, b = (_name(state, r) for r in c["regions"])
    out.print(f"[bold]{state.t('common.title', a=a, b=b)}[/]")
    ids = [r["id"] for r in c["regions"]]
    out.print(state.t("common.mindsets", a=a, b=b, la=c["mindsets"][ids[0]]["label_text"],
                      lb=c["mindsets"][ids[1]]["label_text"]), highlight=False)
    headers = [state.t("common.col.status"), state.t("common.col.detail")]
    out.print(table(state.t("common.commonalities", article=c["rule"]["article"]), headers,
                    [[p["status_text"], p["text"]] for p in c["commonalities"]]))
    for dimension in c["dimensions"]:
        out.print(table(dimension["name"], headers,
                        [[p["status_text"], p["text"]] for p in dimension["points"]]))
    out.print(c["rule"]["text"], style="dim", highlight=False)
