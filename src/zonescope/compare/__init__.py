"""Side-by-side facts about regions, grouped by the article's five dimensions.

Pure analytics: returns data (`Comparison`), never prints. The terminal view,
reports and web pages render it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from zonescope.ingest.kinds import customs_modes, vocabulary
from zonescope.regions import Region

SPAN_ORDER = {"year": 0, "ytd": 1, "month": 2}
FLOW_ORDER = {"total": 0, "export": 1, "import": 2}


@dataclass
class Cell:
    """One region's value for one item, with where it came from."""

    value: Any
    source: str | None = None
    source_ref: str | None = None
    yoy_pct: float | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Item:
    """One comparable line: a label, its unit and period, and a cell per region (or none)."""

    key: str
    label_zh: str
    label_en: str
    unit: str | None
    period: str | None
    cells: dict[str, Cell] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def to_dict(self, region_ids: list[str]) -> dict[str, Any]:
        return {"key": self.key, "label_zh": self.label_zh, "label_en": self.label_en,
                "unit": self.unit, "period": self.period,
                "values": {r: (self.cells[r].to_dict() if r in self.cells else None)
                           for r in region_ids}}


@dataclass
class Dimension:
    code: str
    name_zh: str
    name_en: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Comparison:
    regions: list[Region]
    dimensions: list[Dimension]

    def to_dict(self) -> dict[str, Any]:
        ids = [r.id for r in self.regions]
        return {
            "regions": [{"id": r.id, "name_zh": r.name_zh, "name_en": r.name_en,
                         "level": r.level} for r in self.regions],
            "dimensions": [{"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en,
                            "items": [i.to_dict(ids) for i in d.items]}
                           for d in self.dimensions],
        }


def get_comparison(con: duckdb.DuckDBPyConnection, regions: list[Region], *,
                   period: str | None = None, spans: tuple[str, ...] = ("year", "ytd", "month"),
                   include_other: bool = False, latest_only: bool = False) -> Comparison:
    """Everything the store holds for `regions`, dimension by dimension.

    `period` keeps trade periods and years starting with it (`2022`, `2022-06`).
    `latest_only` keeps, per year, only the full year and the latest cumulative
    figure (no single months) — the overview a terminal can show.
    The five article dimensions always appear (empty when nothing is known);
    evaluation/market/other indicators only when `include_other` or present.
    """
    ids = [r.id for r in regions]
    dims = {d["code"]: Dimension(d["code"], d["name_zh"], d["name_en"])
            for d in sorted(vocabulary("dimensions").values(), key=lambda d: d["order"])}
    items = _trade_items(con, ids, period, spans)
    dims["trade"].items = _latest_per_year(items) if latest_only else items
    for item, dimension in _indicator_items(con, ids, period):
        dims.get(dimension, dims["other"]).items.append(item)
    dims["policy"].items.extend(_policy_items(con, ids, period))
    dims["innovation"].items.extend(_innovation_items(con, ids, period))
    dims["association"].items.extend(_association_items(con, ids))
    core = ("trade", "entities", "innovation", "policy", "association")
    shown = [d for c, d in dims.items() if c in core or include_other or d.items]
    return Comparison(regions, shown)


def _where_period(column: str, period: str | None) -> tuple[str, list[Any]]:
    """Rows whose period starts with `period`; year columns match on the year part."""
    if not period:
        return "", []
    prefix = period[:4] if column == "year" else period
    return f" AND CAST({column} AS TEXT) LIKE ?", [f"{prefix}%"]


def _trade_items(con: duckdb.DuckDBPyConnection, ids: list[str], period: str | None,
                 spans: tuple[str, ...]) -> list[Item]:
    clause, params = _where_period("period", period)
    rows = con.execute(
        "SELECT region_id, period, span, flow, mode, value, unit, yoy_pct, source, source_ref, "
        f"note FROM trade WHERE region_id IN ({_marks(ids)}) AND span IN ({_marks(spans)})"
        f"{clause}", [*ids, *spans, *params]).fetchall()
    items: dict[tuple[str, ...], Item] = {}
    modes = customs_modes()
    for region_id, per, span, flow, mode, value, unit, yoy, source, ref, note in rows:
        key = (per, span, flow, mode)
        if key not in items:
            mode_zh = "" if mode == "all" else f" · {modes.get(mode, {}).get('short_zh', mode)}"
            mode_en = "" if mode == "all" else f" · {modes.get(mode, {}).get('name_en', mode)}"
            items[key] = Item(f"trade:{flow}:{span}:{mode}:{per}",
                              f"{_FLOW_ZH[flow]}（{_SPAN_ZH[span]}）{mode_zh}",
                              f"{flow.capitalize()} ({span}){mode_en}", unit, per)
        items[key].cells[region_id] = Cell(value, source, ref, yoy, note)
    ordered = sorted(items.items(), key=lambda kv: (kv[0][3] != "all", kv[0][3],
                                                    SPAN_ORDER[kv[0][1]], kv[0][0],
                                                    FLOW_ORDER[kv[0][2]]))
    return [item for _, item in ordered]


def _latest_per_year(items: list[Item]) -> list[Item]:
    """Full-year rows and, per year, flow and mode, the latest cumulative period."""
    latest: dict[tuple[str, str, str], str] = {}
    for item in items:
        _, flow, span, mode, period = item.key.split(":")
        if span == "ytd":
            group = (period[:4], flow, mode)
            latest[group] = max(latest.get(group, period), period)
    kept = []
    for item in items:
        _, flow, span, mode, period = item.key.split(":")
        if span == "year" or (span == "ytd" and latest[(period[:4], flow, mode)] == period):
            kept.append(item)
    return kept


_FLOW_ZH = {"total": "进出口", "export": "出口", "import": "进口"}
_SPAN_ZH = {"month": "当月", "ytd": "累计", "year": "全年"}


def _indicator_items(con: duckdb.DuckDBPyConnection, ids: list[str], period: str | None
                     ) -> list[tuple[Item, str]]:
    clause, params = _where_period("year", period)
    rows = con.execute(
        "SELECT region_id, year, indicator, period, value, unit, source, source_ref, note "
        f"FROM indicators WHERE region_id IN ({_marks(ids)}){clause} "
        "ORDER BY indicator, year, period", [*ids, *params]).fetchall()
    known = vocabulary("indicators")
    items: dict[tuple[Any, ...], tuple[Item, str]] = {}
    for region_id, year, code, per, value, unit, source, ref, note in rows:
        key = (code, year, per, unit)
        if key not in items:
            meta = known.get(code, {})
            when = per or str(year)
            items[key] = (Item(f"indicator:{code}:{when}", meta.get("name_zh", code),
                               meta.get("name_en", code), unit, when),
                          meta.get("dimension", "other"))
        items[key][0].cells[region_id] = Cell(value, source, ref, None, note)
    return list(items.values())


def _policy_items(con: duckdb.DuckDBPyConnection, ids: list[str], period: str | None
                  ) -> list[Item]:
    clause, params = _where_period("published", period)
    rows = con.execute(
        "SELECT region_id, count(*), min(published), max(published), "
        "list(DISTINCT source ORDER BY source) FROM policies "
        f"WHERE region_id IN ({_marks(ids)}){clause} GROUP BY region_id",
        [*ids, *params]).fetchall()
    if not rows:
        return []
    count = Item("policy:count", "政策文件数", "Policy documents", "件", None)
    for region_id, n, first, last, sources in rows:
        count.cells[region_id] = Cell(n, ", ".join(sources), None, None, f"{first} — {last}")
    items = [count]
    categories = con.execute(
        "SELECT region_id, category, count(*) FROM (SELECT region_id, unnest(categories) AS "
        f"category FROM policies WHERE region_id IN ({_marks(ids)}){clause}) "
        "GROUP BY ALL ORDER BY category", [*ids, *params]).fetchall()
    vocab = vocabulary("policy_categories")
    by_category: dict[str, Item] = {}
    for region_id, category, n in categories:
        meta = vocab.get(category, {})
        item = by_category.setdefault(category, Item(
            f"policy:category:{category}", f"其中：{meta.get('name_zh', category)}",
            f"of which: {meta.get('name_en', category)}", "件", None))
        item.cells[region_id] = Cell(n)
    return items + list(by_category.values())


def _innovation_items(con: duckdb.DuckDBPyConnection, ids: list[str], period: str | None
                      ) -> list[Item]:
    clause, params = _where_period("year", period)
    rows = con.execute(
        "SELECT region_id, list(title ORDER BY year NULLS LAST, title), "
        "list(DISTINCT source ORDER BY source) FROM innovations "
        f"WHERE region_id IN ({_marks(ids)}){clause} GROUP BY region_id",
        [*ids, *params]).fetchall()
    if not rows:
        return []
    count = Item("innovation:count", "创新成果数", "Innovation results", "项", None)
    titles = Item("innovation:titles", "创新成果", "Innovations", None, None)
    for region_id, names, sources in rows:
        count.cells[region_id] = Cell(len(names), ", ".join(sources))
        titles.cells[region_id] = Cell("；".join(names), ", ".join(sources))
    return [count, titles]


def _association_items(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[Item]:
    rows = con.execute(
        "SELECT region_id, name, founded, members, focus, source, source_ref FROM associations "
        f"WHERE region_id IN ({_marks(ids)}) ORDER BY name", ids).fetchall()
    items: list[Item] = []
    by_field: dict[str, Item] = {}
    labels = {"name": ("协会", "Association", None), "founded": ("成立时间", "Founded", None),
              "members": ("会员数", "Members", "家"), "focus": ("工作重点", "Focus", None)}
    for region_id, name, founded, members, focus, source, ref in rows:
        for field_name, value in (("name", name), ("founded", founded), ("members", members),
                                  ("focus", focus)):
            zh, en, unit = labels[field_name]
            item = by_field.get(field_name)
            if item is None:
                item = by_field[field_name] = Item(f"association:{field_name}", zh, en, unit, None)
                items.append(item)
            previous = item.cells.get(region_id)
            joined = value if previous is None else f"{previous.value}；{value}"
            item.cells[region_id] = Cell(joined, source, ref)
    return items


def _marks(values: list[str] | tuple[str, ...]) -> str:
    return ", ".join("?" for _ in values) or "NULL"
