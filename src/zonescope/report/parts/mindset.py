"""一（六）发展思维诊断 and 一（七）综合评价指数: each city's diagnosis with every signal's
contribution and its stage (`zonescope.mindset`), and index scores with rank intervals
when an index build is stored (`zonescope.index`) — otherwise a plain statement of how
to build one.
"""

from __future__ import annotations

from typing import Any

from zonescope.errors import ZoneScopeError
from zonescope.mindset import Diagnosis, diagnose, label_text
from zonescope.mindset.diagnose import is_city
from zonescope.report.context import Builder, num
from zonescope.report.model import Chart, Figure, Note, Paragraph, Section, Series, SourceUse, Table


def get_diagnoses(b: Builder) -> dict[str, Diagnosis]:
    """Diagnoses of the regions that can be diagnosed (cities; provinces cannot)."""
    return {r.id: diagnose(b.con, r) for r in b.regions if is_city(r)}


def build_mindset(b: Builder, diagnoses: dict[str, Diagnosis]) -> Section:
    section = Section("mindset", b.t("report.sec.mindset"))
    section.blocks.append(_rule(b, diagnoses))
    for region in b.regions:
        d = diagnoses.get(region.id)
        if d is None:
            section.blocks.append(Note(b.missing("report.mindset.not_city", region=region)))
            continue
        low, high = d.score_range
        score = d.score if d.score is not None else d.partial_score
        section.blocks.append(b.say(
            "report.mindset.line", region=region, label=label_text(d.label, b.lang),
            score=num(score, 2), have=sum(s.has_data for s in d.signals), total=len(d.signals),
            confidence=num(d.confidence * 100, 0), low=num(low, 2), high=num(high, 2),
            stage=b.t(f"mindset.stage.{d.stage.code}")))
        if d.stage.advice:
            section.blocks.append(b.say("report.mindset.stage_advice", region=region,
                                        text=d.stage.advice["text_zh" if b.lang == "zh"
                                                            else "text_en"]))
    if diagnoses:
        section.blocks.append(_contribution_figure(b, diagnoses))
        for region in b.regions:
            if region.id in diagnoses:
                section.blocks.append(_signal_table(b, diagnoses[region.id]))
    return section


def _rule(b: Builder, diagnoses: dict[str, Diagnosis]) -> Paragraph:
    """The rule in one sentence (threshold and what ±1 mean), from the signals file."""
    first = next(iter(diagnoses.values()), None)
    threshold = first.spec.labels.threshold if first else 0.2
    return b.say("report.mindset.rule", threshold=num(threshold, 2))


def _contribution_figure(b: Builder, diagnoses: dict[str, Diagnosis]) -> Figure:
    first = next(iter(diagnoses.values()))
    signals = [s.spec for s in first.signals]
    series = []
    uses: list[SourceUse] = []
    for region in b.regions:
        d = diagnoses.get(region.id)
        if d is None:
            continue
        by_id = {s.spec.id: s for s in d.signals}
        series.append(Series(b.name(region), [by_id[s.id].contribution if s.id in by_id
                                              else None for s in signals], "bar", "y"))
        uses.extend(SourceUse(src["source"], src.get("source_ref"))
                    for s in d.signals for src in s.reading.sources)
    return b.figure(Figure(
        b.t("report.mindset.caption", regions=b.names([r for r in b.regions
                                                       if r.id in diagnoses])),
        Chart("hbar", [s.name(b.lang) for s in signals], series,
              y_title=b.t("report.axis.contribution")),
        list(dict.fromkeys(uses)), note=b.t("report.note.mindset_method")))


def _signal_table(b: Builder, d: Diagnosis) -> Table:
    rows, uses = [], []
    for s in d.signals:
        data = s.to_dict(d.region, b.lang)
        rows.append([data["name"], data["value"], data["unit"], _round(data["position"]),
                     data["weight"], _round(data["contribution"]), data["evidence"]])
        uses.extend(SourceUse(x["source"], x.get("source_ref")) for x in data["sources"])
    return b.table(Table(
        b.t("report.mindset.table_caption", region=d.region,
            label=label_text(d.label, b.lang)),
        [b.t("report.col.signal"), b.t("report.col.value"), b.t("report.col.unit"),
         b.t("report.col.position"), b.t("report.col.weight"), b.t("report.col.contribution"),
         b.t("report.col.evidence")], rows, list(dict.fromkeys(uses)),
        note=b.t("report.note.mindset_method")))


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def build_index(b: Builder) -> Section:
    section = Section("index", b.t("report.sec.index"))
    found = _stored_index(b)
    if found is None:
        section.blocks.append(Note(b.missing("report.index.none")))
        return section
    build_id, results, intervals = found
    rows = []
    for region in b.regions:
        row = next((r for r in results["results"] if r["region_id"] == region.id), None)
        interval = intervals.get(region.id, {})
        rows.append([b.name(region), row and row["score"], row and row["rank"],
                     row and row["tier_name"], interval.get("rank_p05"),
                     interval.get("rank_p95")])
        if row is None:
            section.blocks.append(Note(b.missing("report.index.not_scored", region=region)))
            continue
        section.blocks.append(b.say(
            "report.index.line", region=region, framework=results["framework"][
                "name_zh" if b.lang == "zh" else "name_en"], rank=num(row["rank"], 0),
            count=results["counts"]["scored"], score=num(row["score"], 3),
            tier=row["tier_name"]))
    source = SourceUse(results["data"].get("source") or "zonescope-index",
                       f"index_runs #{build_id}")
    section.blocks.append(b.table(Table(
        b.t("report.index.caption", framework=results["framework"][
            "name_zh" if b.lang == "zh" else "name_en"]),
        [b.t("report.col.region"), b.t("report.col.score"), b.t("report.col.rank"),
         b.t("report.col.tier"), b.t("report.col.rank_p05"), b.t("report.col.rank_p95")],
        rows, [source])))
    if intervals:
        ranked = [r for r in b.regions if intervals.get(r.id)]
        nominal = [intervals[r.id]["nominal_rank"] for r in ranked]
        chart = Chart("interval", [b.name(r) for r in ranked], [Series(
            b.t("report.series.rank"), nominal, "line", "y",
            error_low=[intervals[r.id]["rank_p05"] for r in ranked],
            error_high=[intervals[r.id]["rank_p95"] for r in ranked])],
            y_title=b.t("report.axis.rank"))
        section.blocks.append(b.figure(Figure(
            b.t("report.index.interval_caption"), chart, [source],
            note=b.t("report.note.rank_interval"))))
    else:
        section.blocks.append(Note(b.missing("report.index.no_uncertainty")))
    return section


def _stored_index(b: Builder) -> tuple[int, dict[str, Any], dict[str, Any]] | None:
    """The latest stored build's results and, if analysed, its rank intervals by region.

    The index package (NumPy/SciPy) is imported only when a build is stored.
    """
    row = b.con.execute("SELECT count(*) FROM index_runs WHERE kind = 'build'").fetchone()
    if not row or not row[0]:
        return None
    from zonescope.index.results import get_runs, stored_results

    builds = get_runs(b.con, "build")
    if not builds:
        return None
    build_id = int(builds[0]["id"])
    try:
        results = stored_results(b.con, build_id)
    except ZoneScopeError:
        return None
    intervals: dict[str, Any] = {}
    for run in get_runs(b.con, "uncertainty"):
        if run["build_id"] == build_id:
            analysis = stored_results(b.con, int(run["id"]))
            intervals = {u["region_id"]: u for u in analysis.get("units", [])}
            break
    return build_id, results, intervals
