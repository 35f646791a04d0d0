"""`zonescope policies search | classify | evaluate | compare`: the policy library."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.text import Text

from zonescope.cli.app import app
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
from zonescope.cli.output import Context, console, print_json, table
from zonescope.policies import SearchFilters, get_index, get_search
from zonescope.policies.classify import classify, evaluate_loo, example, train
from zonescope.policies.compare import get_policy_comparison
from zonescope.policies.index import load_docs

policies_app = typer.Typer(help=h("policies.help"), no_args_is_help=True)
app.add_typer(policies_app, name="policies")

FromOpt = Annotated[str | None, typer.Option("--from", help=h("policies.opt.from"))]
ToOpt = Annotated[str | None, typer.Option("--to", help=h("policies.opt.to"))]
LearnedOpt = Annotated[bool, typer.Option("--learned", help=h("policies.opt.learned"))]


@policies_app.command("search", help=h("policies.search.help"))
@handles_errors
def search(ctx: typer.Context, query: Annotated[str, typer.Argument(help=h("policies.arg.query"))],
           region: Annotated[str | None, typer.Option("--region", help=h("policies.opt.region"))]
           = None, start: FromOpt = None, end: ToOpt = None,
           category: Annotated[list[str] | None, typer.Option(
               "--category", help=h("policies.opt.category"))] = None,
           target: Annotated[list[str] | None, typer.Option(
               "--target", help=h("policies.opt.target"))] = None,
           issuer: Annotated[str | None, typer.Option("--issuer", help=h("policies.opt.issuer"))]
           = None,
           limit: Annotated[int | None, typer.Option("--limit", help=h("opt.limit"))] = None,
           json_: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    filters = SearchFilters(region, start, end, tuple(category or ()), tuple(target or ()), issuer)
    with open_store(state) as zs:
        found = get_search(get_index(zs.store.con, str(zs.path)), query, filters, limit)
    if state.json:
        print_json(found)
        return
    out = console()
    title = state.t("policies.search.title", query=found["query"], total=found["total"],
                    terms=" ".join(found["terms"] + found["doc_numbers"]))
    out.print(table(title, [state.t("policies.col.rank"), state.t("policies.col.score"),
                            state.t("policies.col.region"), state.t("policies.col.published"),
                            state.t("policies.col.title"), state.t("policies.col.doc_no"),
                            state.t("policies.col.snippet")],
                    [[r["rank"], f"{r['score']:.2f}", r["region"], r["published"], r["title"],
                      r["doc_no"], _marked(r["snippet"])] for r in found["results"]]))
    if found["dropped"]:
        out.print(state.t("policies.search.dropped", words=found["dropped"]))


def _marked(snippet: dict[str, Any]) -> Text:
    text = Text(snippet["text"])
    for start, end in snippet["highlights"]:
        text.stylize("bold yellow", start, end)
    return text


def _read(file: str) -> str:
    return read_text_arg(file, "policies.file_missing", "policies.file_unreadable")


@policies_app.command("classify", help=h("policies.classify.help"))
@handles_errors
def classify_cmd(ctx: typer.Context,
                 file: Annotated[str, typer.Argument(help=h("policies.arg.file"),
                                                     metavar="FILE|-")],
                 learned: LearnedOpt = False, json_: JsonOpt = False, lang: LangOpt = None,
                 db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    text = _read(file)
    with open_store(state) as zs:
        model = train([example(d) for d in load_docs(zs.store.con)])
    result = classify(text, model, True if learned else None)
    if state.json:
        print_json(result)
        return
    _print_labels(state, result)


def _print_labels(state: Context, result: dict[str, Any]) -> None:
    out = console()
    rows = []
    for kind in ("categories", "targets"):
        for label in result[kind]:
            evidence = "、".join(label["keywords"])
            if label["learned"]:
                evidence += (" " if evidence else "") + state.t(
                    "policies.classify.learned", words=[f"{w}({v:.1f})" for w, v in
                                                        label["learned"].items()])
            if label["by"] == "categories":
                evidence = state.t("policies.classify.from_categories", votes=label["votes"],
                                   total=label["of"], categories=label["from"])
            rows.append([state.t(f"policies.kind.{kind}"), label["code"],
                         state.t(f"policies.by.{label['by']}"), evidence])
    out.print(table(state.t("policies.classify.title", group=state.t(
        f"policies.group.{result['target_group']}"), n=result["trained_on"]),
        [state.t("policies.col.kind"), state.t("policies.col.label"), state.t("policies.col.by"),
         state.t("policies.col.evidence")], rows))
    for item in result["overruled"]:
        out.print(state.t("policies.classify.overruled", **item))
    if not result["categories"]:
        out.print(state.t("policies.classify.no_category"))


@policies_app.command("evaluate", help=h("policies.evaluate.help"))
@handles_errors
def evaluate(ctx: typer.Context, learned: LearnedOpt = False, json_: JsonOpt = False,
             lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        examples = [example(d) for d in load_docs(zs.store.con)]
    result = evaluate_loo(examples, True if learned else None)
    if state.json:
        print_json(result)
        return
    out = console()
    out.print(table(state.t("policies.evaluate.title", n=result["n"]),
                    [state.t("policies.col.kind"), state.t("policies.col.exact"), "P", "R", "F1"],
                    [[state.t(f"policies.kind.{k}"),
                      f"{result[k]['exact']}/{result['n']} ({result[k]['exact_share']:.1%})",
                      result[k]["precision"], result[k]["recall"], result[k]["f1"]]
                     for k in ("categories", "targets")]))
    wrong = [r for r in result["rows"] if r["categories"] != r["predicted_categories"]
             or r["targets"] != r["predicted_targets"]]
    if wrong:
        out.print(table(state.t("policies.evaluate.errors"), [
            state.t("policies.col.title"), state.t("policies.col.truth"),
            state.t("policies.col.predicted")],
            [[r["title"], r["categories"] + r["targets"],
              r["predicted_categories"] + r["predicted_targets"]] for r in wrong]))


@policies_app.command("compare", help=h("policies.compare.help"))
@handles_errors
def compare(ctx: typer.Context,
            regions: Annotated[list[str], typer.Argument(help=h("arg.regions"))],
            start: FromOpt = None, end: ToOpt = None, json_: JsonOpt = False,
            lang: LangOpt = None, db: DbOpt = None) -> None:
    state = context(ctx, json=json_, lang=lang, db=db)
    with open_store(state) as zs:
        found = get_policy_comparison(zs.store.con, [zs.region(r) for r in regions], start, end)
    if state.json:
        print_json(found)
        return
    _print_comparison(state, found)


def _print_comparison(state: Context, found: dict[str, Any]) -> None:
    out = console()
    regions = found["regions"]
    names = [r["name_zh"] if state.lang == "zh" else r["name_en"] for r in regions]
    used = [c for c in found["categories"] if any(r["by_category"].get(c) for r in regions)]
    rows: list[list[Any]] = [[c, *[r["by_category"].get(c, 0) for r in regions]] for c in used]
    rows += [[state.t("policies.compare.target", target=t), *[r["by_target"][t] for r in regions]]
             for t in found["targets"]]
    rows.append([state.t("policies.compare.total"), *[r["total"] for r in regions]])
    rows.append([state.t("policies.compare.cbec_share"),
                 *[None if r["cbec_share"] is None else f"{r['cbec_share']:.0%}" for r in regions]])
    period = f"{found['from'] or '…'} – {found['to'] or '…'}"
    out.print(table(state.t("policies.compare.title", period=period),
                    [state.t("policies.col.category"), *names], rows))
    for name, r in zip(names, regions, strict=True):
        out.print(state.t("policies.compare.overlap", region=name, mentions=r["category_mentions"],
                          total=r["total"], multi=len(r["multi_category"]),
                          targets=r["target_mentions"], both=r["both_targets"]))
        if r["undated_excluded"]:
            out.print(state.t("policies.compare.undated", region=name, n=r["undated_excluded"]))
    out.print(table(state.t("policies.compare.timeline"), [
        state.t("policies.col.published"), state.t("policies.col.region"),
        state.t("policies.col.title"), state.t("policies.col.category")],
        [[t["published"], name, t["title"], t["categories"]]
         for name, r in zip(names, regions, strict=True) for t in r["timeline"]]))
    sources = sorted({s for r in regions for s in r["sources"]})
    out.print(state.t("policies.compare.sources", sources=sources))
