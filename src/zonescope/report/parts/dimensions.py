"""一（二）–（五）: market entities, innovation, policy and associations, side by side.

Facts come from `zonescope.compare` (the five dimensions), `zonescope.mindset`
(shared and differing points), `zonescope.policies`, `zonescope.clusters` and the
indicators table via `zonescope.mindset.facts`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from zonescope.clusters import ClusterFilter, get_clusters
from zonescope.compare import Comparison, Dimension
from zonescope.ingest.kinds import vocabulary
from zonescope.mindset import Common
from zonescope.mindset.facts import get_associations, get_indicator, get_innovations
from zonescope.policies.compare import get_policy_comparison
from zonescope.regions import Region, registry
from zonescope.report.context import Builder, num
from zonescope.report.model import Bullets, Chart, Figure, Note, Section, Series, SourceUse, Table
from zonescope.report.parts.trade import _provinces

ENTITY_COUNTS = ("foreign_trade_related_enterprises", "enterprises_with_trade_record",
                 "cbec_enterprises")


def comparison_table(b: Builder, dimension: Dimension, caption_key: str,
                     only_indicators: bool = False) -> Table | None:
    """The comparison engine's items of one dimension as a table (None when it has none)."""
    items = [i for i in dimension.items if not only_indicators or i.key.startswith("indicator:")]
    if not items:
        return None
    rows, uses = [], []
    for item in items:
        cells = [item.cells.get(r.id) for r in b.regions]
        rows.append([item.label(b.lang), item.period, item.unit,
                     *[c.value if c else None for c in cells]])
        for cell in cells:
            if cell and cell.source:
                uses.extend(SourceUse(s.strip(), cell.source_ref) for s in cell.source.split(","))
    return b.table(Table(b.t(caption_key, regions=b.names()),
                         [b.t("report.col.item"), b.t("report.col.period"),
                          b.t("report.col.unit"), *[b.name(r) for r in b.regions]],
                         rows, list(dict.fromkeys(uses))))


def points(b: Builder, commons: list[Common], dimension: str) -> Bullets | None:
    """The shared and differing points of one dimension, as sentences with their status."""
    items = []
    for common in commons:
        shown = [p for p in common.points if p.dimension == dimension]
        for point in shown:
            here, zh = point.to_dict(b.lang), point.to_dict("zh")
            b.sentences_zh.append(zh["text"])
            items.append(f"【{here['status_text']}】{here['text']}")
    return Bullets(items) if items else None


def _dimension(comparison: Comparison, code: str) -> Dimension | None:
    return next((d for d in comparison.dimensions if d.code == code), None)


def build_entities(b: Builder, comparison: Comparison, commons: list[Common]) -> Section:
    section = Section("entities", b.t("report.sec.entities"))
    found = points(b, commons, "entities")
    if found:
        section.blocks.append(found)
    dimension = _dimension(comparison, "entities")
    table = comparison_table(b, dimension, "report.entities.caption") if dimension else None
    section.blocks.append(table or Note(b.missing("report.entities.none", regions=b.names())))
    _enterprise_figure(b, section)
    _cluster_figure(b, section)
    return section


def _enterprise_figure(b: Builder, section: Section) -> None:
    """Figures 9–10 of the article: enterprise counts of the regions and their provinces."""
    places = list(dict.fromkeys([*b.regions, *_provinces(b.regions)]))
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for place in places:
        rows = {code: get_indicator(b.con, place.id, code) for code in ENTITY_COUNTS}
        if any(rows.values()):
            found[place.id] = {k: v for k, v in rows.items() if v}
    if not found:
        section.blocks.append(Note(b.missing("report.entities.no_counts")))
        return
    names = vocabulary("indicators")
    categories = [names[c]["name_zh" if b.lang == "zh" else "name_en"] for c in ENTITY_COUNTS]
    reg = registry()
    series = [Series(b.name(reg.get(pid)), [rows.get(c, {}).get("value") for c in ENTITY_COUNTS],
                     "bar", "y", "家") for pid, rows in found.items()]
    uses = [SourceUse(r["source"], r["source_ref"]) for rows in found.values()
            for r in rows.values()]
    for pid, rows in found.items():
        for code, row in rows.items():
            section.blocks.append(b.say("report.entities.count", region=reg.get(pid),
                                        name=b.t(f"report.indicator.{code}"),
                                        value=num(row["value"], 0), year=row["year"]))
    section.blocks.append(b.figure(Figure(
        b.t("report.entities.counts_caption", regions=b.names()),
        Chart("bar", categories, series, y_title=b.t("report.axis.enterprises"), log_y=True),
        list(dict.fromkeys(uses)), note=b.t("report.note.log_axis"))))


def _cluster_figure(b: Builder, section: Section) -> None:
    sectors = vocabulary("sectors")
    counts: dict[str, Counter[str]] = {}
    uses: list[SourceUse] = []
    for region in b.regions:
        rows = get_clusters(b.con, _cluster_filter(region))
        counts[region.id] = Counter(r["sector"] or "other" for r in rows)
        uses.extend(SourceUse(r["source"], r["source_ref"]) for r in rows)
        if rows:
            top = counts[region.id].most_common(1)[0]
            section.blocks.append(b.say(
                "report.clusters.count", region=region, count=len(rows),
                sector=_sector_name(sectors, top[0], b.lang), top=top[1]))
        else:
            section.blocks.append(Note(b.missing("report.clusters.none", region=region)))
    order = sorted({s for c in counts.values() for s in c},
                   key=lambda s: -sum(c[s] for c in counts.values()))
    if not order:
        return
    chart = Chart("hbar", [_sector_name(sectors, s, b.lang) for s in order],
                  [Series(b.name(r), [counts[r.id].get(s, 0) for s in order], "bar", "y", "个")
                   for r in b.regions], y_title=b.t("report.axis.clusters"))
    section.blocks.append(b.figure(Figure(
        b.t("report.clusters.caption", regions=b.names()), chart, list(dict.fromkeys(uses)),
        note=b.t("report.note.clusters_unique"))))


def _cluster_filter(region: Region) -> ClusterFilter:
    if region.level == "province":
        return ClusterFilter(province=region, unique=True)
    return ClusterFilter(city=region, unique=True)


def _sector_name(sectors: dict[str, Any], code: str, lang: str) -> str:
    entry = sectors.get(code, {})
    return entry.get("name_zh" if lang == "zh" else "name_en", code)


def build_innovation(b: Builder, comparison: Comparison, commons: list[Common]) -> Section:
    section = Section("innovation", b.t("report.sec.innovation"))
    found = points(b, commons, "innovation")
    if found:
        section.blocks.append(found)
    rows, uses = [], []
    for region in b.regions:
        for row in get_innovations(b.con, region.id):
            rows.append([b.name(region), row["year"], row["title"]])
            uses.append(SourceUse(row["source"], row["source_ref"]))
    if rows:
        section.blocks.append(b.table(Table(
            b.t("report.innovation.caption", regions=b.names()),
            [b.t("report.col.region"), b.t("report.col.year"), b.t("report.col.innovation")],
            rows, list(dict.fromkeys(uses)))))
    else:
        section.blocks.append(Note(b.missing("report.innovation.none", regions=b.names())))
    dimension = _dimension(comparison, "innovation")
    if dimension:
        table = comparison_table(b, dimension, "report.innovation.indicators_caption",
                                 only_indicators=True)
        if table:
            section.blocks.append(table)
    return section


def build_policy(b: Builder, commons: list[Common]) -> tuple[Section, dict[str, Any]]:
    section = Section("policy", b.t("report.sec.policy"))
    found = points(b, commons, "policy")
    if found:
        section.blocks.append(found)
    summary = get_policy_comparison(b.con, b.regions)
    vocab = vocabulary("policy_categories")
    for region, data in zip(b.regions, summary["regions"], strict=True):
        if not data["total"]:
            section.blocks.append(Note(b.missing("report.policy.none", region=region)))
            continue
        top = next(iter(data["by_category"].items()), ("—", 0))
        section.blocks.append(b.say(
            "report.policy.summary", region=region, total=data["total"],
            cbec=data["by_target"].get("跨境电商企业", 0),
            traditional=data["by_target"].get("传统外贸企业", 0),
            share=num((data["cbec_share"] or 0) * 100, 1),
            category=_category(vocab, top[0], b.lang), top=top[1]))
    categories = [c for c in summary["categories"]
                  if any(r["by_category"].get(c) for r in summary["regions"])]
    if categories:
        uses = [SourceUse(*_split_source(s)) for r in summary["regions"] for s in r["sources"]]
        names = [_category(vocab, c, b.lang) for c in categories]
        chart = Chart("hbar", names, [Series(b.name(reg), [r["by_category"].get(c, 0)
                                                           for c in categories], "bar", "y", "条")
                                      for reg, r in zip(b.regions, summary["regions"],
                                                        strict=True)],
                      y_title=b.t("report.axis.policies"))
        section.blocks.append(b.figure(Figure(
            b.t("report.policy.caption", regions=b.names()), chart, list(dict.fromkeys(uses)),
            note=b.t("report.note.policy_overlap"))))
        rows = [[name, *[r["by_category"].get(c, 0) for r in summary["regions"]]]
                for c, name in zip(categories, names, strict=True)]
        rows.append([b.t("report.row.category_mentions"),
                     *[r["category_mentions"] for r in summary["regions"]]])
        rows.append([b.t("report.row.policy_total"), *[r["total"] for r in summary["regions"]]])
        section.blocks.append(b.table(Table(
            b.t("report.policy.table_caption", regions=b.names()),
            [b.t("report.col.category"), *[b.name(r) for r in b.regions]], rows,
            list(dict.fromkeys(uses)), note=b.t("report.note.policy_overlap"))))
    return section, summary


def _category(vocab: dict[str, Any], code: str, lang: str) -> str:
    entry = vocab.get(code, {})
    return code if lang == "zh" else entry.get("name_en", code)


def _split_source(text: str) -> tuple[str, str | None]:
    head, _, tail = text.partition(" ")
    return head, tail or None


def build_association(b: Builder, comparison: Comparison, commons: list[Common]) -> Section:
    section = Section("association", b.t("report.sec.association"))
    found = points(b, commons, "association")
    if found:
        section.blocks.append(found)
    for region in b.regions:
        rows = get_associations(b.con, region.id)
        if not rows:
            section.blocks.append(Note(b.missing("report.association.none", region=region)))
        for row in rows:
            section.blocks.append(b.say(
                "report.association.line", region=region, name=row["name"],
                founded=row["founded"] or "—", members=num(row["members"], 0)))
    dimension = _dimension(comparison, "association")
    table = comparison_table(b, dimension, "report.association.caption") if dimension else None
    if table:
        section.blocks.append(table)
    return section
