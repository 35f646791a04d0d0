"""Comparing regions' policy output: counts by category and target, overlap, timeline, CBEC share.

Categories and targets are multi-label, so counts by category add up to more than
the number of policies; the comparison states the overlap the way the article's
footnote 4 does (“部分文件有交叉，因此，各项涉及到的政策数量与政策总量不符。”).
The share of policies aimed at CBEC firms is the signal the mindset diagnosis uses
(一（四）: “深圳市……主要以跨境电商企业为适用对象，而宁波市……更倾向于服务传统外贸企业”).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import duckdb

from zonescope.errors import ZoneScopeError
from zonescope.ingest.kinds import vocabulary
from zonescope.policies.index import load_docs
from zonescope.policies.search import date_bound
from zonescope.regions import Region, registry

CBEC, TRADITIONAL = "跨境电商企业", "传统外贸企业"


def get_policy_comparison(con: duckdb.DuckDBPyConnection, regions: list[Region],
                          start: str | None = None, end: str | None = None) -> dict[str, Any]:
    """Per region: counts, overlap, timeline and CBEC share of its policies in the period."""
    if not 1 <= len(regions) <= 4:
        raise ZoneScopeError("policies.compare_count", count=len(regions))
    lo, hi = date_bound(start, False), date_bound(end, True)
    docs = load_docs(con)
    return {"from": start, "to": end,
            "categories": list(vocabulary("policy_categories")),
            "targets": list(vocabulary("policy_targets")),
            "regions": [_region_summary(r, docs, lo, hi) for r in regions]}


def _inside(region: Region, region_id: str) -> bool:
    reg = registry()
    found = reg.get(region_id)
    return region_id == region.id or bool(
        found and region.id in {a.id for a in reg.ancestors(found)})


def _region_summary(region: Region, docs: list[dict[str, Any]], lo: str | None,
                    hi: str | None) -> dict[str, Any]:
    mine = [d for d in docs if _inside(region, d["region_id"])]
    undated = [d for d in mine if not d["published"]]
    if lo or hi:
        mine = [d for d in mine
                if d["published"] and (lo or "") <= d["published"] <= (hi or "9999")]
    by_category = Counter(c for d in mine for c in d["categories"] or ())
    by_target = Counter(t for d in mine for t in d["targets"] or ())
    multi = [d["title"] for d in mine if len(d["categories"] or ()) > 1]
    both = sum(1 for d in mine if {CBEC, TRADITIONAL} <= set(d["targets"] or ()))
    cbec = sum(1 for d in mine if CBEC in (d["targets"] or ()))
    total = len(mine)
    return {
        "region_id": region.id, "name_zh": region.name_zh, "name_en": region.name_en,
        "total": total,
        "undated": len(undated), "undated_excluded": len(undated) if (lo or hi) else 0,
        "by_category": dict(by_category.most_common()),
        "category_mentions": sum(by_category.values()),
        "multi_category": multi,
        "by_target": {t: by_target.get(t, 0) for t in vocabulary("policy_targets")},
        "target_mentions": sum(by_target.values()),
        "both_targets": both,
        "cbec_only": cbec - both,
        "traditional_only": by_target.get(TRADITIONAL, 0) - both,
        "cbec_share": round(cbec / total, 4) if total else None,
        "cbec_only_share": round((cbec - both) / total, 4) if total else None,
        "timeline": _timeline(mine),
        "by_year": dict(sorted(Counter((d["published"] or "")[:4] or "—" for d in mine).items())),
        "sources": sorted({f"{d['source']} {d['source_ref'] or ''}".strip() for d in mine}),
    }


def _timeline(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dated policies in date order, then the undated ones (kept, never given a date)."""
    ordered = sorted(docs, key=lambda d: (not d["published"], d["published"] or "", d["title"]))
    return [{"published": d["published"], "title": d["title"], "doc_no": d["doc_no"],
             "categories": list(d["categories"] or ()), "targets": list(d["targets"] or ())}
            for d in ordered]
