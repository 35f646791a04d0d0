"""`build_report`: the comparison report as data, structured like the source article.

    摘要
    一、差异：（一）外贸进出口 （二）市场主体 （三）创新成果 （四）政策举措 （五）协会活动
            （六）发展思维诊断 （七）综合评价指数
    二、相同点
    三、建议：（一）政府层面 （二）市场层面（工厂型、贸易型、平台型、服务型）
    附录：政策清单、产业集群名录、本报告数字论断核对、数据来源

Analytics only: it reads the store through the engines and returns a `Report`;
renderers (`zonescope.report.render`) format it.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import combinations
from typing import Any

import duckdb

from zonescope import __version__
from zonescope.compare import get_comparison
from zonescope.errors import ZoneScopeError
from zonescope.mindset import Common, Diagnosis, get_common, label_text
from zonescope.regions import Region
from zonescope.regions.resolve import resolve
from zonescope.report.context import Builder, Period, num
from zonescope.report.model import Report, Section
from zonescope.report.parts import advice, appendix, dimensions, mindset, trade

PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")


def build_report(source: Any, regions: list[str] | list[Region], *, lang: str = "zh",
                 period: str | None = None) -> Report:
    """The report comparing 2–4 `regions` (names or `Region`s) in `lang` (zh | en).

    `source` is a `ZoneScope` (from `zonescope.open`) or an open DuckDB connection to a
    store. `period` (`YYYY` or `YYYY-MM`) picks the trade reference period: the latest
    cumulative month of that year, or that month; by default the latest the store holds
    for these regions. Raises `ZoneScopeError` for unknown or repeated regions, a bad
    language, or a period the store lacks.
    """
    con: duckdb.DuckDBPyConnection = getattr(getattr(source, "store", None), "con", source)
    if lang not in ("zh", "en"):
        raise ZoneScopeError("cli.bad_lang", value=lang)
    found = resolve_regions(regions)
    b = Builder(con, found, lang, get_period(con, found, period))
    comparison = get_comparison(con, found, latest_only=True)
    diagnoses = mindset.get_diagnoses(b)
    commons = get_commons(b, diagnoses)
    one = Section("differences", b.t("report.part.differences", regions=_short(b)))
    one.children = [trade.build_trade(b),
                    dimensions.build_entities(b, comparison, commons),
                    dimensions.build_innovation(b, comparison, commons)]
    policy, policy_summary = dimensions.build_policy(b, commons)
    one.children += [policy, dimensions.build_association(b, comparison, commons),
                     mindset.build_mindset(b, diagnoses), mindset.build_index(b)]
    two = advice.build_common(b, commons)
    three = advice.build_advice(b, diagnoses)
    summary = _summary(b, diagnoses, commons)
    annex = Section("appendix", b.t("report.part.appendix"))
    claims_section, claims = appendix.build_claims(b)
    annex.children = [appendix.build_policy_tables(b, policy_summary),
                      appendix.build_cluster_tables(b), claims_section]
    sources_section, sources = appendix.build_sources(b)
    annex.children.append(sources_section)
    b.renumber([one, two, three, annex])
    summary.append(b.t("report.summary_claims", **claims["summary"]))
    return Report(
        title=b.t("report.title", regions=b.names()),
        subtitle=b.t("report.subtitle", period=b.period.label(lang), date=date.today()
                     .isoformat(), version=__version__),
        lang=lang,
        regions=[{"id": r.id, "name_zh": r.name_zh, "name_en": r.name_en, "level": r.level}
                 for r in found],
        period={"code": b.period.code, "span": "ytd", "label": b.period.label(lang),
                "asked": period},
        generated=date.today().isoformat(), summary=summary,
        sections=[one, two, three, annex], sources=sources, claims=claims,
        unavailable=list(dict.fromkeys(b.unavailable)), version=__version__)


def resolve_regions(regions: list[str] | list[Region]) -> list[Region]:
    """2–4 distinct regions; the same place named twice (深圳 and 鹏城) is an error."""
    if not 2 <= len(regions) <= 4:
        raise ZoneScopeError("compare.count", count=len(regions))
    found = [r if isinstance(r, Region) else resolve(r).region for r in regions]
    seen: dict[str, str] = {}
    for given, region in zip(regions, found, strict=True):
        if region.id in seen:
            raise ZoneScopeError("report.same_region", first=seen[region.id],
                                 second=str(getattr(given, "name_zh", given)),
                                 region=region.name_zh)
        seen[region.id] = str(getattr(given, "name_zh", given))
    return found


def get_period(con: duckdb.DuckDBPyConnection, regions: list[Region],
               asked: str | None) -> Period:
    """The reference period: the latest cumulative month the store holds for the regions."""
    ids = [r.id for r in regions]
    if asked is not None:
        match = PERIOD.match(asked.strip())
        if not match:
            raise ZoneScopeError("report.bad_period", period=asked)
        prefix = asked.strip()
    else:
        prefix = ""
    row = con.execute(
        "SELECT max(period) FROM trade WHERE list_contains(?, region_id) AND span = 'ytd' "
        "AND period LIKE ?", [ids, f"{prefix}%"]).fetchone()
    latest = row[0] if row else None
    if latest is None and asked is None:
        row = con.execute("SELECT max(period) FROM trade WHERE span = 'ytd'").fetchone()
        latest = row[0] if row else None
    if latest is None:
        if asked is None:
            return Period(date.today().year, 12, None)
        years = [y for (y,) in con.execute(
            "SELECT DISTINCT left(period, 4) FROM trade WHERE list_contains(?, region_id) "
            "ORDER BY 1", [ids]).fetchall()]
        raise ZoneScopeError("report.no_period", period=asked,
                             regions="、".join(r.name_zh for r in regions),
                             available=years or ["—"])
    return Period(int(latest[:4]), int(latest[5:7]), asked)


def get_commons(b: Builder, diagnoses: dict[str, Diagnosis]) -> list[Common]:
    """Commonalities of each pair of diagnosed regions (one pair for two cities)."""
    cities = [r for r in b.regions if r.id in diagnoses]
    return [get_common(b.con, x, y, diagnoses=diagnoses) for x, y in combinations(cities, 2)]


def _short(b: Builder) -> str:
    return b.names()


def _summary(b: Builder, diagnoses: dict[str, Diagnosis], commons: list[Common]) -> list[str]:
    """摘要: what is compared, each city's scale and mindset, what they share."""
    out = [b.t("report.summary_scope", regions=b.names(), period=b.period.label(b.lang))]
    for region in b.regions:
        total = b.facts.get(f"total:{region.id}")
        if total and total.get("value") is not None:
            out.append(b.say("report.summary_trade", region=region,
                             period=b.period.label(b.lang), value=num(total["value"]),
                             yoy=num(total.get("yoy_pct"), 1)).text)
        d = diagnoses.get(region.id)
        if d is not None:
            score = d.score if d.score is not None else d.partial_score
            out.append(b.say("report.summary_mindset", region=region,
                             label=label_text(d.label, b.lang), score=num(score, 2),
                             stage=b.t(f"mindset.stage.{d.stage.code}")).text)
    for common in commons:
        held = [p for p in common.commonalities if p.status == "shared"]
        names = [b.t(f"report.commonality.{p.key}") for p in held]
        a, c = common.regions
        out.append(b.t("report.summary_common", a=a, b=c, count=len(held),
                       items="、".join(names) if b.lang == "zh" else ", ".join(names)))
    return out
