"""一（一）外贸进出口: the province ranking (Table 1), cumulative series like the article's
Figure 3 (bars, growth and share lines), derived single months and the key indicators.

Every value comes from `zonescope.trade` (series, growth, shares, ranking); this
module only chooses what to show and words it.
"""

from __future__ import annotations

from typing import Any

from zonescope.regions import Region, registry
from zonescope.regions.registry import NATION_ID
from zonescope.report.context import Builder, month_label, num
from zonescope.report.model import Chart, Figure, Note, Section, Series, SourceUse, Table
from zonescope.trade import SeriesQuery, get_ranking, get_series, warm_series
from zonescope.trade.engine import Tables, duckdb_tables

TOP = 3


def build_trade(b: Builder) -> Section:
    section = Section("trade", b.t("report.sec.trade"))
    tables = duckdb_tables(b.con)
    # every region this section (and the claim check of its sentences) reads, in one go
    nation = [n for n in (registry().get(NATION_ID),) if n is not None]
    warm_series(b.con, [*b.regions, *_provinces(b.regions), *nation], tables=tables)
    _province_ranking(b, section, tables)
    series = {r.id: _series(b, r, tables, ("total", "export", "import")) for r in b.regions}
    provinces = _provinces(b.regions)
    for province in provinces:
        _province_figure(b, section, province, _series(b, province, tables, ("export",)))
    for region in b.regions:
        _region_figure(b, section, region, series[region.id])
    _single_months(b, section, series)
    _key_table(b, section, series)
    return section


def _series(b: Builder, region: Region, tables: Tables, flows: tuple[str, ...]
            ) -> list[dict[str, Any]]:
    return get_series(b.con, SeriesQuery(region, flows=flows, spans=("month", "ytd"),
                                         start=f"{b.period.year}-01", end=b.period.code),
                      tables=tables)


def _provinces(regions: list[Region]) -> list[Region]:
    """The provinces of the compared regions, once each (a province compared itself counts)."""
    reg, out = registry(), []
    for region in regions:
        province = region if region.level == "province" else reg.province_of(region)
        if province is not None and province not in out:
            out.append(province)
    return out


def _pick(rows: list[dict[str, Any]], period: str, span: str, flow: str) -> dict[str, Any] | None:
    return next((r for r in rows if r["period"] == period and r["span"] == span
                 and r["flow"] == flow), None)


def _uses(rows: list[dict[str, Any]]) -> list[SourceUse]:
    return list(dict.fromkeys(SourceUse(r["source"], r.get("source_ref"))
                              for r in rows if r.get("source")))


def _province_ranking(b: Builder, section: Section, tables: Tables) -> None:
    ranking = get_ranking(b.con, level="province", period=b.period.code, span="ytd",
                          flow="total", tables=tables)
    label = b.period.label(b.lang)
    if not ranking:
        section.blocks.append(Note(b.missing("report.trade.no_ranking", period=label)))
        return
    top = ranking[:TOP]
    mine = {p.id for p in _provinces(b.regions)}
    section.blocks.append(b.say(
        "report.trade.ranking", period=label, count=len(ranking),
        top=b.names([registry().get(r["region_id"]) for r in top]),  # type: ignore[list-item]
        values="、".join(num(r["value"]) for r in top)))
    for row in ranking:
        if row["region_id"] in mine:
            section.blocks.append(b.say(
                "report.trade.province_rank", province=registry().get(row["region_id"]),
                period=label, rank=row["rank"], value=num(row["value"]),
                yoy=num(row["yoy_pct"], 1), share=num(row["share_pct"], 1)))
    rows = [[r["rank"], r["name_zh"] if b.lang == "zh" else r["name_en"], r["value"],
             r["yoy_pct"], _round(r["share_pct"])] for r in ranking]
    section.blocks.append(b.table(Table(
        b.t("report.trade.ranking_caption", period=label, count=len(ranking)),
        [b.t("report.col.rank"), b.t("report.col.province"), b.t("report.col.trade_value"),
         b.t("report.col.yoy"), b.t("report.col.share_nation")], rows,
        list(dict.fromkeys(SourceUse(r["source"]) for r in ranking if r.get("source"))),
        highlight=[i for i, r in enumerate(ranking) if r["region_id"] in mine],
        note=b.t("report.note.share_computed"))))


def _province_figure(b: Builder, section: Section, province: Region,
                     rows: list[dict[str, Any]]) -> None:
    ytd = [r for r in rows if r["span"] == "ytd" and r["flow"] == "export"]
    if not ytd:
        section.blocks.append(Note(b.missing("report.trade.no_series", region=province,
                                             year=b.period.year)))
        return
    last = ytd[-1]
    section.blocks.append(b.say(
        "report.trade.province_export", province=province, period=_label(b, last["period"]),
        value=num(last["value"]), yoy=num(last["yoy_pct"], 1),
        share=num(last["share_pct"], 1)))
    chart = Chart("combo", [_axis(b, r["period"]) for r in ytd], [
        Series(b.t("report.series.export_ytd"), [r["value"] for r in ytd], "bar", "y", "亿元"),
        Series(b.t("report.series.yoy"), [r["yoy_pct"] for r in ytd], "line", "y2", "%"),
        Series(b.t("report.series.share_nation"), [_round(r["share_pct"]) for r in ytd],
               "line", "y2", "%")],
        y_title=b.t("report.axis.value"), y2_title=b.t("report.axis.percent"))
    section.blocks.append(b.figure(Figure(
        b.t("report.trade.province_caption", year=b.period.year, region=province), chart,
        _uses(ytd), note=b.t("report.note.share_computed"))))


def _region_figure(b: Builder, section: Section, region: Region,
                   rows: list[dict[str, Any]]) -> None:
    ytd = [r for r in rows if r["span"] == "ytd"]
    periods = sorted({r["period"] for r in ytd})
    if not periods:
        section.blocks.append(Note(b.missing("report.trade.no_series", region=region,
                                             year=b.period.year)))
        return
    total = [_pick(ytd, p, "ytd", "total") for p in periods]
    export = [_pick(ytd, p, "ytd", "export") for p in periods]
    _region_sentence(b, section, region, ytd, periods[-1])
    chart = Chart("combo", [_axis(b, p) for p in periods], [
        Series(b.t("report.series.total_ytd"), _values(total, "value"), "bar", "y", "亿元"),
        Series(b.t("report.series.export_ytd"), _values(export, "value"), "bar", "y", "亿元"),
        Series(b.t("report.series.total_yoy"), _values(total, "yoy_pct"), "line", "y2", "%"),
        Series(b.t("report.series.export_yoy"), _values(export, "yoy_pct"), "line", "y2", "%"),
        Series(b.t("report.series.export_share_parent", parent=_parent(region)),
               [_round(v) for v in _values(export, "share_pct")], "line", "y2", "%")],
        y_title=b.t("report.axis.value"), y2_title=b.t("report.axis.percent"))
    section.blocks.append(b.figure(Figure(
        b.t("report.trade.region_caption", year=b.period.year, region=region), chart,
        _uses(ytd), note=b.t("report.note.share_computed"))))


def _region_sentence(b: Builder, section: Section, region: Region, ytd: list[dict[str, Any]],
                     period: str) -> None:
    total, export = _pick(ytd, period, "ytd", "total"), _pick(ytd, period, "ytd", "export")
    label = _label(b, period)
    if total:
        section.blocks.append(b.say("report.trade.region_total", region=region, period=label,
                                    value=num(total["value"]), yoy=_yoy(b, total)))
    if export:
        section.blocks.append(b.say(
            "report.trade.region_export", region=region, period=label,
            value=num(export["value"]), yoy=_yoy(b, export), parent=_parent(region),
            share=num(export["share_pct"], 1)))


def _single_months(b: Builder, section: Section, series: dict[str, list[dict[str, Any]]]
                   ) -> None:
    months = {rid: {r["period"]: r for r in rows if r["span"] == "month" and r["flow"] == "export"}
              for rid, rows in series.items()}
    periods = sorted({p for found in months.values() for p in found})
    if not periods:
        section.blocks.append(Note(b.missing("report.trade.no_months", year=b.period.year)))
        return
    width = {p: max(int(m[p].get("months") or 1) for m in months.values() if p in m)
             for p in periods}
    chart = Chart("bar", [month_label(p, width[p], b.lang) for p in periods], [
        Series(b.name(r), [_get(months[r.id].get(p), "value") for p in periods], "bar", "y",
               "亿元") for r in b.regions], y_title=b.t("report.axis.value"))
    uses = [u for rows in series.values() for u in _uses(rows)]
    derived = any(r.get("derived") for found in months.values() for r in found.values())
    section.blocks.append(b.figure(Figure(
        b.t("report.trade.months_caption", year=b.period.year, regions=b.names()), chart,
        list(dict.fromkeys(uses)),
        note=b.t("report.note.months_derived") if derived else None)))


def _key_table(b: Builder, section: Section, series: dict[str, list[dict[str, Any]]]) -> None:
    period = b.period.code
    rows = []
    for flow in ("total", "export", "import"):
        picked = [_pick(series[r.id], period, "ytd", flow) for r in b.regions]
        b.facts.update({f"{flow}:{r.id}": row for r, row in zip(b.regions, picked, strict=True)})
        rows.append([b.t(f"report.row.{flow}_value"), "亿元", *_values(picked, "value")])
        rows.append([b.t(f"report.row.{flow}_yoy"), "%", *_values(picked, "yoy_pct")])
        rows.append([b.t(f"report.row.{flow}_share"), "%",
                     *[_round(v) for v in _values(picked, "share_pct")]])
        rows.append([b.t(f"report.row.{flow}_contribution"), b.t("report.unit.pp"),
                     *[_round(v) for v in _values(picked, "contribution_pp")]])
    section.blocks.append(b.table(Table(
        b.t("report.trade.key_caption", period=b.period.label(b.lang)),
        [b.t("report.col.item"), b.t("report.col.unit"), *[b.name(r) for r in b.regions]],
        rows, list(dict.fromkeys(u for s in series.values() for u in _uses(
            [r for r in s if r["period"] == period]))),
        note=b.t("report.note.share_computed"))))
    _ratio_sentence(b, section, [_pick(series[r.id], period, "ytd", "total") for r in b.regions])


def _ratio_sentence(b: Builder, section: Section, picked: list[dict[str, Any] | None]) -> None:
    first, rest = picked[0], list(zip(b.regions[1:], picked[1:], strict=True))
    for region, row in rest:
        if first and row and first["value"] and row["value"]:
            section.blocks.append(b.say(
                "report.trade.ratio", a=b.regions[0], b=region, period=b.period.label(b.lang),
                ratio=num(first["value"] / row["value"], 2)))


def _parent(region: Region) -> Region | None:
    return registry().parent(region)


def _label(b: Builder, period: str) -> str:
    from zonescope.report.context import period_label

    return period_label(period, "ytd", b.lang)


def _axis(b: Builder, period: str) -> str:
    month = int(period[5:7])
    if b.lang == "zh":
        return f"1-{month}月" if month > 1 else "1月"
    return _label(b, period).rsplit(" ", 1)[0]


def _yoy(b: Builder, row: dict[str, Any]) -> str:
    if row.get("yoy_pct") is None:
        return b.t("report.trade.no_yoy")
    return b.t("report.trade.yoy", yoy=num(row["yoy_pct"], 1))


def _values(rows: list[dict[str, Any] | None], key: str) -> list[Any]:
    return [_get(r, key) for r in rows]


def _get(row: dict[str, Any] | None, key: str) -> Any:
    return None if row is None else row.get(key)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
