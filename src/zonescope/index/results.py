"""A build as stable JSON, as export rows, and stored in the store (`index_runs`, migration 4).

A stored build keeps what is needed to replay it — the framework text, the raw data
and the log — next to its results, so `explain` and `whatif` later work on exactly
the build that was published.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from zonescope.errors import ZoneScopeError
from zonescope.i18n import translate
from zonescope.index.data import RawData
from zonescope.index.framework import parse_framework
from zonescope.ingest.export import write_xlsx
from zonescope.regions import registry
from zonescope.store import writer

if TYPE_CHECKING:
    from zonescope.index.build import IndexBuild


def _names(region_id: str) -> tuple[str, str]:
    region = registry().get(region_id)
    return (region.name_zh, region.name_en) if region else (region_id, region_id)


def _unit_rows(build: IndexBuild, lang: str) -> list[dict[str, Any]]:
    from zonescope.index.build import clean

    st = build.stage
    assert st.scores is not None and st.dimension_scores is not None and st.tiers is not None
    assert st.normalised is not None and st.imputed_mask is not None and st.ranks is not None
    assert st.dimension_ranks is not None
    raw_row = {u: i for i, u in enumerate(build.raw.units)}
    raw_col = {c: j for j, c in enumerate(build.raw.codes)}
    rows = []
    for i, unit in enumerate(st.units):
        zh, en = _names(unit)
        tier = int(st.tiers[i])
        indicators = {}
        for j, code in enumerate(st.codes):
            r, c = raw_row[unit], raw_col[code]
            note = build.raw.notes.get(f"{unit}|{code}")
            indicators[code] = {
                "raw": build.raw.values[r, c], "normalised": st.normalised[i, j],
                "imputed": bool(st.imputed_mask[i, j]), "source": build.raw.sources[r][c],
                "note": translate(note, lang) if note else None}
        rows.append(clean({
            "rank": st.ranks[i], "region_id": unit, "name_zh": zh, "name_en": en,
            "score": st.scores[i], "tier": tier + 1 if tier >= 0 else None,
            "tier_name": build.tier_name(tier, lang),
            "dimensions": {d: {"score": st.dimension_scores[i, k],
                               "rank": st.dimension_ranks[i, k]}
                           for k, d in enumerate(st.dims)},
            "indicators": indicators}))
    return sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["region_id"]))


def build_dict(build: IndexBuild, lang: str = "zh") -> dict[str, Any]:
    """Everything about a build, with stable keys (docs/index.md)."""
    from zonescope.index.build import clean

    st, fw = build.stage, build.framework
    assert st.weights_indicator is not None and st.weights_dimension is not None
    w_ind = dict(zip(st.codes, st.weights_indicator.tolist(), strict=True))
    w_dim = dict(zip(st.dims, st.weights_dimension.tolist(), strict=True))
    screened_units = []
    for entry in st.screened_units:
        zh, en = _names(entry["region_id"])
        screened_units.append({**entry, "name_zh": zh, "name_en": en, "message": translate(
            entry["reason"], lang, coverage=f"{entry['coverage'] * 100:.0f}%")})
    screened_inds = [{**e, "message": translate(e["reason"], lang,
                                                coverage=f"{e['coverage'] * 100:.0f}%")}
                     for e in st.screened_indicators]
    return clean({
        "framework": {"id": fw.id, "name_zh": fw.name_zh, "name_en": fw.name_en,
                      "file": fw.file, "source": fw.source},
        "data": build.raw.origin,
        "log": [s.to_dict() for s in build.log],
        "counts": {"units": len(build.raw.units), "scored": len(st.units),
                   "screened_units": len(st.screened_units), "indicators": len(st.codes),
                   "screened_indicators": len(st.screened_indicators)},
        "dimensions": [{"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en,
                        "weight": w_dim.get(d.code)} for d in fw.dimensions],
        "indicators": [{"code": i.code, "name_zh": i.name_zh, "name_en": i.name_en,
                        "unit": i.unit, "direction": i.direction, "dimension": i.dimension,
                        "weight": w_ind.get(i.code), "source": i.source,
                        "treatment": st.treatment.get(i.code)} for i in fw.indicators],
        "results": _unit_rows(build, lang),
        "screened": {"units": screened_units, "indicators": screened_inds},
        "notices": [{"key": n.key, "params": n.params,
                     "message": translate(n.key, lang, **n.params)} for n in st.notices],
    })


def export_rows(build: IndexBuild, lang: str = "zh") -> tuple[list[str], list[list[Any]]]:
    """One flat row per scored unit: rank, names, score, tier, dimension scores, indicators."""
    data = build_dict(build, lang)
    dims = [d["code"] for d in data["dimensions"] if d["weight"] is not None]
    codes = [i["code"] for i in data["indicators"] if i["weight"] is not None]
    headers = ["rank", "region_id", "name_zh", "name_en", "score", "tier", "tier_name",
               *[f"{d}_score" for d in dims], *[f"{d}_rank" for d in dims],
               *[f"{c}_raw" for c in codes], *[f"{c}_normalised" for c in codes]]
    rows = []
    for r in data["results"]:
        rows.append([r["rank"], r["region_id"], r["name_zh"], r["name_en"], r["score"],
                     r["tier"], r["tier_name"],
                     *[r["dimensions"][d]["score"] for d in dims],
                     *[r["dimensions"][d]["rank"] for d in dims],
                     *[r["indicators"][c]["raw"] for c in codes],
                     *[r["indicators"][c]["normalised"] for c in codes]])
    return headers, rows


def export_build(build: IndexBuild, target: Path, lang: str = "zh") -> int:
    """Write the results (.csv, or .xlsx with the log, weights and screened units too)."""
    import csv

    headers, rows = export_rows(build, lang)
    suffix = target.suffix.lower()
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(headers)
            out.writerows(rows)
        return len(rows)
    if suffix != ".xlsx":
        raise ZoneScopeError("index.export_format", suffix=suffix or "?")
    data = build_dict(build, lang)
    sheets = {
        "results": [headers, *rows],
        "indicators": [["code", "name_zh", "name_en", "unit", "direction", "dimension",
                        "weight", "source"]] + [[i[k] for k in ("code", "name_zh", "name_en",
                                                                "unit", "direction", "dimension",
                                                                "weight", "source")]
                                                for i in data["indicators"]],
        "screened": [["region_id", "name_zh", "reason"]] + [
            [u["region_id"], u["name_zh"], u["message"]] for u in data["screened"]["units"]],
        "log": [["step", "params"]] + [[s["step"], json.dumps(s["params"], ensure_ascii=False)]
                                       for s in data["log"]],
    }
    write_xlsx(target, sheets)
    return len(rows)


def save_run(con: duckdb.DuckDBPyConnection, build: IndexBuild, kind: str = "build",
             results: dict[str, Any] | None = None, build_id: int | None = None) -> int:
    """Store a build (or an analysis of one) through the store's single write path."""
    record = {
        "kind": kind, "framework_id": build.framework.id,
        "year": build.raw.origin.get("year"), "created_at": datetime.now(),
        "build_id": build_id, "framework": build.framework.text,
        "framework_file": build.framework.file,
        "raw": json.dumps(build.raw.to_dict(), ensure_ascii=False),
        "log": json.dumps([s.to_dict() for s in build.log], ensure_ascii=False),
        "results": json.dumps(results if results is not None else build_dict(build),
                              ensure_ascii=False, default=str)}
    return writer.write_index_run(con, record)


def get_runs(con: duckdb.DuckDBPyConnection, kind: str | None = None) -> list[dict[str, Any]]:
    """Stored builds and analyses, newest first (without their bulky JSON)."""
    sql = ("SELECT id, kind, framework_id, year, created_at, build_id FROM index_runs"
           + (" WHERE kind = ?" if kind else "") + " ORDER BY id DESC")
    cursor = con.execute(sql, [kind] if kind else [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def load_build(con: duckdb.DuckDBPyConnection, run_id: int | None = None) -> tuple[int, Any]:
    """(id, IndexBuild) of a stored build — the latest if `run_id` is None — replayed."""
    from zonescope.index.build import IndexBuild, Step

    sql = "SELECT id, framework, framework_file, raw, log FROM index_runs WHERE kind = 'build'"
    row = con.execute(sql + (" AND id = ?" if run_id else " ORDER BY id DESC LIMIT 1"),
                      [run_id] if run_id else []).fetchone()
    if row is None:
        raise ZoneScopeError("index.no_build" if run_id is None else "index.build_missing",
                             id=run_id or "—")
    framework = parse_framework(row[1], row[2])
    raw = RawData.from_dict(json.loads(row[3]))
    log = [Step(s["step"], s["params"]) for s in json.loads(row[4])]
    return int(row[0]), IndexBuild(framework, raw, log)


def stored_results(con: duckdb.DuckDBPyConnection, run_id: int) -> dict[str, Any]:
    row = con.execute("SELECT results FROM index_runs WHERE id = ?", [run_id]).fetchone()
    if row is None:
        raise ZoneScopeError("index.build_missing", id=run_id)
    return json.loads(row[0])

