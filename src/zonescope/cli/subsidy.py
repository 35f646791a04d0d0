"""`zonescope subsidy calc | compare | rules`: the independent-site subsidy calculator."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from zonescope.cli.app import app
from zonescope.cli.common import JsonOpt, LangOpt, context, h, handles_errors
from zonescope.cli.output import Context, console, print_json, table
from zonescope.errors import ZoneScopeError
from zonescope.ingest.values import BadValue, parse_fx
from zonescope.subsidy import (
    build_profile,
    bundled_rules,
    calculate,
    compare_sizes,
    read_profile,
    read_rules,
    size_profiles,
)
from zonescope.subsidy.calc import slug
from zonescope.subsidy.profile import parse_sets

subsidy_app = typer.Typer(help=h("subsidy.help"), no_args_is_help=True)
app.add_typer(subsidy_app, name="subsidy")

FxOpt = Annotated[list[str] | None, typer.Option("--fx", help=h("opt.fx"))]
CityOpt = Annotated[str | None, typer.Option("--city", help=h("subsidy.opt.city"))]


def _fx(specs: list[str] | None) -> float | None:
    try:
        rates = parse_fx(specs or [])
    except BadValue as bad:
        raise ZoneScopeError(bad.key, **bad.params) from None
    return rates.get("USD_CNY")


@subsidy_app.command("calc", help=h("subsidy.calc.help"))
@handles_errors
def calc(ctx: typer.Context,
         profile: Annotated[str | None, typer.Option("--profile", help=h("subsidy.opt.profile"),
                                                     metavar="FILE")] = None,
         sets: Annotated[list[str] | None, typer.Option("--set", help=h("subsidy.opt.set"),
                                                        metavar="FIELD=VALUE")] = None,
         city: CityOpt = None, fx: FxOpt = None,
         rules: Annotated[list[str] | None, typer.Option("--rules", help=h("subsidy.opt.rules"),
                                                         metavar="FILE")] = None,
         json_: JsonOpt = False, lang: LangOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang)
    rate = _fx(fx)
    overrides = parse_sets(sets or [])
    if profile:
        checked = read_profile(profile, rate, overrides)
    elif overrides:
        checked = build_profile(overrides, "--set", rate)
    else:
        raise ZoneScopeError("subsidy.no_profile")
    rulesets = tuple(read_rules(r) for r in rules) if rules else None
    result = calculate(checked, city, rulesets)
    if state.json:
        print_json(result)
        return
    _print_calc(state, result)


def _status(state: Context, entry: dict[str, Any]) -> str:
    return state.t(f"subsidy.status.{entry['status']}")


def _money(state: Context, entry: dict[str, Any]) -> str | None:
    if entry["amount"] is None:
        return None
    shown = f"{entry['amount']:,.0f}"
    return state.t("subsidy.up_to", amount=shown) if entry["maximum"] and entry["amount"] else shown


def _print_calc(state: Context, result: dict[str, Any]) -> None:
    out = console()
    name = result["profile"]["name"] or state.t("subsidy.profile")
    out.print(table(state.t("subsidy.calc.title", name=name), [
        state.t("subsidy.col.city"), state.t("subsidy.col.status"), state.t("subsidy.col.amount"),
        state.t("subsidy.col.policy")],
        [[c["city"] if state.lang == "zh" else c["name_en"], _status(state, c),
          _money(state, c), f"{c['policy']['title']}（{c['policy'].get('source_ref', '')}）"]
         for c in result["cities"]]))
    for city in result["cities"]:
        for scheme in city["schemes"]:
            _print_scheme(state, city, scheme)


def _print_scheme(state: Context, city: dict[str, Any], scheme: dict[str, Any]) -> None:
    out = console()
    label = scheme["name_zh"] if state.lang == "zh" else scheme["name_en"]
    out.print(f"\n[bold]{city['city']} · {label}[/bold]: {_status(state, scheme)} "
              f"{_money(state, scheme) or ''}", highlight=False)
    for cond in scheme["conditions"]:
        if cond["met"] is not True:
            key = "subsidy.cond.failed" if cond["met"] is False else f"subsidy.cond.{cond['why']}"
            out.print("  " + state.t(key, field=cond["field"], op=cond["op"],
                                     required=cond["required"], actual=cond["actual"],
                                     quote=cond["quote"]), highlight=False)
    for step in scheme["trace"]:
        line = state.t(f"subsidy.step.{step['step']}", formula=step.get("formula", ""),
                       amount=f"{step.get('value', 0):,.0f}", id=step.get("id", ""),
                       quote=step.get("quote", ""))
        if step["step"] in ("tier", "bonus"):
            line += " " + state.t(f"subsidy.met.{str(step['met']).lower()}")
        out.print("  " + line, highlight=False)
        if step.get("reading"):
            out.print("    " + state.t("subsidy.reading", reading=step["reading"]),
                      highlight=False)
    for clause in (scheme["competitive"], scheme["upper_bound"]):
        if clause:
            out.print("  " + state.t("subsidy.maximum_note", quote=clause["quote"]),
                      highlight=False)


@subsidy_app.command("compare", help=h("subsidy.compare.help"))
@handles_errors
def compare(ctx: typer.Context,
            sizes: Annotated[str | None, typer.Option("--sizes", help=h("subsidy.opt.sizes"))]
            = None, city: CityOpt = None, fx: FxOpt = None, json_: JsonOpt = False,
            lang: LangOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang)
    names = [s.strip() for s in (sizes or "").split(",") if s.strip()]
    result = compare_sizes(size_profiles(names, _fx(fx)), city)
    if state.json:
        print_json(result)
        return
    columns = list(result["sizes"])
    out = console()
    out.print(table(state.t("subsidy.compare.title"), [
        state.t("subsidy.col.city"),
        *[result["sizes"][c]["name"] or c for c in columns]],
        [[row["city"] if state.lang == "zh" else row["name_en"],
          *[_money(state, row["sizes"][c]) if row["sizes"][c]["status"] == "eligible"
            else _status(state, row["sizes"][c]) for c in columns]]
         for row in result["rows"]]))
    out.print(state.t("subsidy.compare.note"))


@subsidy_app.command("rules", help=h("subsidy.rules.help"))
@handles_errors
def rules_cmd(ctx: typer.Context,
              files: Annotated[list[str] | None, typer.Argument(help=h("subsidy.arg.rules"))]
              = None, json_: JsonOpt = False, lang: LangOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang)
    found = [read_rules(f) for f in files] if files else list(bundled_rules())
    rows = [{"file": r.file, "city": r.city, "policy": r.policy, "slug": slug(r),
             "schemes": [{"id": s.id, "name_zh": s.name_zh, "name_en": s.name_en,
                          "competitive": s.competitive is not None,
                          "bonuses": [f"{slug(r)}.{b.id}" for b in s.bonuses]}
                         for s in r.schemes]} for r in found]
    if state.json:
        print_json({"valid": True, "rules": rows})
        return
    console().print(table(state.t("subsidy.rules.title", n=len(rows)), [
        state.t("subsidy.col.file"), state.t("subsidy.col.city"), state.t("subsidy.col.schemes"),
        state.t("subsidy.col.policy")],
        [[r["file"], r["city"], [s["id"] for s in r["schemes"]], r["policy"]["title"]]
         for r in rows]))
