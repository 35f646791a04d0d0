"""How `zonescope index …` shows its results to people (the JSON twin carries the same data)."""

from __future__ import annotations

from typing import Any

from zonescope.cli.output import Context, console, fmt, table
from zonescope.index.build import IndexBuild

SCREENED_SHOWN = 30


def _num(value: float | None, digits: int = 2) -> str | None:
    return None if value is None else f"{value:,.{digits}f}"


def _join(state: Context, items: list[str]) -> str:
    return ("、" if state.lang == "zh" else ", ").join(items)


def _name(state: Context, row: dict[str, Any]) -> str:
    return row["name_zh"] if state.lang == "zh" else row["name_en"]


def _source_line(state: Context, data: dict[str, Any]) -> str:
    origin = data["data"]
    where = " ".join(str(origin[k]) for k in ("period", "span", "file", "year") if origin.get(k))
    return state.t("index.source_line", sources=data["framework"]["source"] or "—", data=where)


def show_build(state: Context, data: dict[str, Any]) -> None:
    out = console()
    fw = data["framework"]
    dims = [d for d in data["dimensions"] if d["weight"] is not None]
    counts = data["counts"]
    out.print(table(
        state.t("index.build.title", name=fw["name_zh"] if state.lang == "zh" else fw["name_en"],
                scored=counts["scored"], units=counts["units"]),
        [state.t("index.rank"), state.t("cli.name"), state.t("index.score"),
         state.t("index.tier"), *[d["name_zh"] if state.lang == "zh" else d["name_en"]
                                  for d in dims]],
        [[fmt(r["rank"]), _name(state, r), _num(r["score"]), r["tier_name"],
          *[_num(r["dimensions"][d["code"]]["score"]) for d in dims]]
         for r in data["results"]]))
    out.print(_source_line(state, data), highlight=False)
    _screened(state, data)
    for notice in data["notices"]:
        out.print(f"[yellow]{state.t('index.notice')}[/] {notice['message']}", highlight=False)
    out.print(state.t("index.saved", id=data["id"]), highlight=False)


def _screened(state: Context, data: dict[str, Any]) -> None:
    units = data["screened"]["units"]
    if units:
        names = [_name(state, u) for u in units]
        shown = _join(state, names[:SCREENED_SHOWN]) + ("…" if len(names) > SCREENED_SHOWN else "")
        console().print(state.t("index.screened_units", count=len(units), names=shown),
                        highlight=False)
    for entry in data["screened"]["indicators"]:
        console().print(state.t("index.screened_indicator", code=entry["code"],
                                reason=entry["message"]), highlight=False)


def show_uncertainty(state: Context, data: dict[str, Any]) -> None:
    out = console()
    tiers = data["tiers"]
    out.print(table(
        state.t("index.uncertainty.title", runs=data["runs"], varied=_join(
            state, [state.t(f"index.choice.{c}") for c in data["varied"]]) or "—"),
        [state.t("index.nominal_rank"), state.t("cli.name"), state.t("index.median_rank"),
         state.t("index.rank_interval"), *[f"P({t})" for t in tiers]],
        [[fmt(u["nominal_rank"]), _name(state, u), fmt(u["median_rank"]),
          f"{fmt(u['rank_p05'])}–{fmt(u['rank_p95'])}",
          *[f"{u['tier_probabilities'][t]:.0%}" for t in tiers]] for u in data["units"]]))
    shift = data["mean_rank_shift"]
    out.print(state.t("index.rank_shift", mean=f"{shift['mean']:.2f}", p95=f"{shift['p95']:.2f}"),
              highlight=False)
    sobol = data.get("sobol")
    if sobol and sobol["factors"]:
        indices = sobol["mean_rank_shift"]
        out.print(table(state.t("index.sobol.title", runs=sobol["runs"]),
                        [state.t("index.choice"), state.t("index.sobol.first"),
                         state.t("index.sobol.total")],
                        [[state.t(f"index.choice.{f}"), f"{indices['first'][f]:.3f}",
                          f"{indices['total'][f]:.3f}"] for f in sobol["factors"]]))
    out.print(_source_line(state, data), highlight=False)
    out.print(state.t("index.saved", id=data["id"]), highlight=False)


def show_explain(state: Context, data: dict[str, Any], build: IndexBuild) -> None:
    out = console()
    unit, above, gap = data["unit"], data["above"], data["gap"]
    fw = build.framework
    out.print(state.t("index.explain.head", name=_name(state, unit), score=_num(unit["score"]),
                      rank=fmt(unit["rank"]), of=len(build.stage.units),
                      tier=unit["tier_name"] or "—"), highlight=False)
    gaps = {g["code"]: g["difference"] for g in (gap or {}).get("indicators", [])}
    rows = []
    for dim in unit["dimensions"]:
        dimension = fw.dimension(dim["code"])
        for item in dim["indicators"]:
            indicator = fw.indicator(item["code"])
            assert indicator is not None and dimension is not None
            share = item.get("index_contribution", item.get("terms"))
            rows.append([dimension.name(state.lang), indicator.name(state.lang),
                         f"{_num(item['raw']) or '—'} {indicator.unit}",
                         _num(item["normalised"]), _num(item["weight"], 3), _num(share),
                         _num(gaps.get(item["code"])), item["source"]])
    heads = ["index.dimension", "index.indicator", "index.raw", "index.normalised",
             "index.weight", "index.contribution" if unit["additive"] else "index.term",
             "index.gap", "cli.sources"]
    out.print(table(None, [state.t(k) for k in heads], rows))
    if above:
        out.print(state.t("index.explain.above", name=_name(state, above),
                          gap=_num(gap["score"])), highlight=False)
        behind = [g for g in gap["indicators"] if (g["difference"] or 0) > 0][:3]
        if behind:
            out.print(state.t("index.explain.behind", items=_join(state, [
                f"{fw.indicator(g['code']).name(state.lang)} {_num(g['difference'])}"  # type: ignore
                for g in behind])), highlight=False)
    else:
        out.print(state.t("index.explain.top"), highlight=False)
    out.print(state.t("index.explain.method", dimension=data["aggregate"]["dimension"]["method"],
                      index=data["aggregate"]["index"]["method"]), highlight=False)


def show_whatif(state: Context, data: dict[str, Any], build: IndexBuild) -> None:
    before, after = data["before"], data["after"]
    rows = [[state.t(k), b, a] for k, b, a in (
        ("index.score", _num(before["score"]), _num(after["score"])),
        ("index.rank", f"{fmt(before['rank'])} / {before['of']}",
         f"{fmt(after['rank'])} / {after['of']}"),
        ("index.tier", before["tier_name"], after["tier_name"]))]
    changes = [f"{k}={v:g}" for k, v in {**data["values"], **data["weights"]}.items()]
    console().print(table(state.t("index.whatif.title", changes=_join(state, changes)),
                          [state.t("cli.item"), state.t("index.before"), state.t("index.after")],
                          rows))
    console().print(state.t("index.whatif.others", count=data["others_moved"]), highlight=False)


def show_runs(state: Context, runs: list[dict[str, Any]]) -> None:
    console().print(table(state.t("index.list.title", count=len(runs)),
                          ["id", state.t("cli.kind"), state.t("index.framework"),
                           state.t("index.year"), state.t("cli.time"), state.t("index.of_build")],
                          [[r["id"], r["kind"], r["framework_id"], r["year"],
                            str(r["created_at"])[:19], r["build_id"]] for r in runs]))
