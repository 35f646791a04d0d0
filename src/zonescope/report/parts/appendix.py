"""附录: policy tables, cluster lists, the claim check of the report's own sentences and the
data sources used (from the store's sources registry).
"""

from __future__ import annotations

from typing import Any

from zonescope.claims import check_report
from zonescope.clusters import get_clusters
from zonescope.ingest.kinds import vocabulary
from zonescope.report.context import Builder
from zonescope.report.model import Note, Section, SourceUse, Table
from zonescope.report.parts.dimensions import _cluster_filter

CLUSTER_ROWS = 200


def build_policy_tables(b: Builder, summary: dict[str, Any]) -> Section:
    section = Section("appendix-policies", b.t("report.appendix.policies"))
    vocab = vocabulary("policy_categories")
    for region, data in zip(b.regions, summary["regions"], strict=True):
        if not data["timeline"]:
            section.blocks.append(Note(b.t("report.policy.none", region=region)))
            continue
        rows = [[p["published"], p["title"], p["doc_no"],
                 "、".join(c if b.lang == "zh" else vocab.get(c, {}).get("name_en", c)
                          for c in p["categories"]),
                 "、".join(p["targets"])] for p in data["timeline"]]
        uses = [SourceUse(*_split(s)) for s in data["sources"]]
        section.blocks.append(b.table(Table(
            b.t("report.appendix.policies_caption", region=region, count=len(rows)),
            [b.t("report.col.published"), b.t("report.col.title"), b.t("report.col.doc_no"),
             b.t("report.col.category"), b.t("report.col.target")], rows, uses)))
    return section


def _split(text: str) -> tuple[str, str | None]:
    head, _, tail = text.partition(" ")
    return head, tail or None


def build_cluster_tables(b: Builder) -> Section:
    section = Section("appendix-clusters", b.t("report.appendix.clusters"))
    sectors = vocabulary("sectors")
    for region in b.regions:
        rows = get_clusters(b.con, _cluster_filter(region))
        if not rows:
            section.blocks.append(Note(b.t("report.clusters.none", region=region)))
            continue
        shown = rows[:CLUSTER_ROWS]
        section.blocks.append(b.table(Table(
            b.t("report.appendix.clusters_caption", region=region, count=len(rows)),
            [b.t("report.col.number"), b.t("report.col.cluster"), b.t("report.col.place"),
             b.t("report.col.industry"), b.t("report.col.sector")],
            [[r["number"], r["name"], r["county"] or r["city"] or r["place"], r["industry"],
              sectors.get(r["sector"] or "", {}).get("name_zh" if b.lang == "zh" else "name_en")]
             for r in shown],
            list(dict.fromkeys(SourceUse(r["source"], r["source_ref"]) for r in rows)),
            note=b.t("report.note.clusters_unique"))))
    return section


def build_claims(b: Builder) -> tuple[Section, dict[str, Any]]:
    """Check every generated sentence (in Chinese, the checker's language) against the store."""
    section = Section("appendix-claims", b.t("report.appendix.claims"))
    result = check_report(b.con, "\n".join(b.sentences_zh), b.lang, year=b.period.year)
    data = result.to_dict()
    counts = data["summary"]
    section.blocks.append(b.say_meta("report.claims.summary", sentences=len(b.sentences_zh),
                                     total=counts["total"], supported=counts["supported"],
                                     contradicted=counts["contradicted"],
                                     unverifiable=counts["unverifiable"]))
    if data["claims"]:
        rows = [[c["text"], b.t(f"report.verdict.{c['verdict']}"), c["explanation"]]
                for c in data["claims"]]
        section.blocks.append(b.table(Table(
            b.t("report.claims.caption"),
            [b.t("report.col.claim"), b.t("report.col.verdict"), b.t("report.col.explanation")],
            rows, [SourceUse("zonescope-claims")], note=b.t("report.note.claims"))))
    return section, {"summary": counts, "claims": data["claims"],
                     "sentences": len(b.sentences_zh)}


def build_sources(b: Builder) -> tuple[Section, list[dict[str, Any]]]:
    """Every source cited anywhere in the report, with where it was used."""
    section = Section("appendix-sources", b.t("report.appendix.sources"))
    registry = b.registry()
    out, rows = [], []
    for source_id in sorted(b.used_sources):
        entry = registry.get(source_id)
        if entry is None:
            continue
        refs = sorted(b.used_sources[source_id])
        title = entry["title_zh"] if b.lang == "zh" else entry["title_en"] or entry["title_zh"]
        out.append({"id": source_id, "title": title, "publisher": entry["publisher"],
                    "date": entry["date"], "url": entry["url"], "footnote": entry["footnote"],
                    "refs": refs})
        rows.append([source_id, title, entry["publisher"], entry["date"],
                     entry["url"] or entry["footnote"]])
    if rows:
        section.blocks.append(b.table(Table(
            b.t("report.appendix.sources_caption", count=len(rows)),
            [b.t("report.col.id"), b.t("report.col.title"), b.t("report.col.publisher"),
             b.t("report.col.date"), b.t("report.col.where")], rows,
            [SourceUse(r[0]) for r in rows])))
    return section, out
