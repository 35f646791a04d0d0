"""`zonescope advise REGION --audience A`: the recommendations that apply, and why."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from zonescope.advice import advise as run_advice
from zonescope.cli.app import app
from zonescope.cli.common import DbOpt, JsonOpt, LangOpt, context, h, handles_errors, open_store
from zonescope.cli.mindset import AsOfOpt, SignalsOpt
from zonescope.cli.output import Context, console, print_json
from zonescope.mindset.signals import num

AudienceOpt = Annotated[list[str] | None, typer.Option("--audience", "-a",
                                                       help=h("opt.audience"))]
RulesOpt = Annotated[str | None, typer.Option("--rules", help=h("opt.rules_file"),
                                              metavar="PATH")]


@app.command("advise", help=h("advice.help"))
@handles_errors
def advise(ctx: typer.Context, region: Annotated[str, typer.Argument(help=h("arg.region"))],
           audience: AudienceOpt = None, as_of: AsOfOpt = None, rules: RulesOpt = None,
           signals: SignalsOpt = None, json_: JsonOpt = False, lang: LangOpt = None,
           db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        found = zs.region(region)
        result = run_advice(zs.store.con, found, tuple(audience) if audience else None,
                            rules_path=rules, signals_path=signals, as_of=as_of)
    data = result.to_dict(state.lang)
    if state.json:
        print_json(data)
        return
    _render(state, data)


def _render(state: Context, data: dict[str, Any]) -> None:
    out = console()
    region = data["region"]["name_zh" if state.lang == "zh" else "name_en"]
    audiences = [state.t(f"audience.{a}") for a in data["audiences"]]
    recs = data["recommendations"]
    title = state.t("advice.title", region=region, audiences=audiences, count=len(recs),
                    considered=data["considered"])
    out.print(f"[bold]{title}[/]", highlight=False)
    d = data["diagnosis"]
    out.print(state.t("advice.context", label=d["label_text"],
                      score="—" if d["score"] is None else f"{d['score']:+.2f}",
                      confidence=f"{d['confidence']:.0%}", stage=d["stage_text"]),
              style="dim", highlight=False)
    if not recs:
        out.print(state.t("advice.none"))
    for number, rec in enumerate(recs, start=1):
        who = state.t(f"audience.{rec['audience']}")
        out.print(f"\n[bold]{number}. \\[{who}][/] {rec['text']}", highlight=False)
        out.print(f"   {state.t('advice.why')}：{'；'.join(rec['why'])}", highlight=False)
        out.print(f"   {state.t('advice.rationale')}：{rec['rationale']}", highlight=False)
        out.print(f"   {state.t('advice.article')}：{rec['article']}　“{rec['quote']}”",
                  style="dim", highlight=False)
        for item in rec["evidence"]:
            out.print(f"   · {_evidence(state, item)}", highlight=False)
        if rec["see"]:
            out.print(f"   {state.t('advice.see')}：{rec['see']}", highlight=False)


def _evidence(state: Context, item: dict[str, Any]) -> str:
    """One evidence line: name, value with unit, where and from what source."""
    name = item["name_zh"] if state.lang == "zh" else item["name_en"]
    if item["kind"] == "signal":
        text = item["evidence_zh"] if state.lang == "zh" else item["evidence_en"]
        return f"{name}：{text}"
    value = item["value"]
    if value is None:
        return f"{name}：{state.t('advice.no_data')}"
    if item["kind"] == "field":
        return f"{name}：{item['shown_zh' if state.lang == 'zh' else 'shown_en']}"
    if item.get("value_raw") is not None:
        value, unit = item["value_raw"], item.get("unit_raw")
    else:
        unit = item.get("unit")
    where = "，".join(str(p) for p in (item.get("year"), item.get("region")) if p)
    source = " ".join(str(p) for p in (item.get("source"), item.get("source_ref")) if p)
    return f"{name}：{num(value)} {unit or ''}（{where}；{source}）"
