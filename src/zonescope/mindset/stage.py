"""Development stage (起步 / 成长 / 成熟) from pilot age, CBEC scale and trade scale.

The article's government advice depends on the stage (三（一）1): in the early
phase lead with e-commerce thinking to build momentum from 0 to 1; in the medium
and long term drive quality with foreign-trade thinking and local industry. Each
criterion scores 0, 1 or 2 points against the two thresholds in signals.yaml;
the stage is read from the mean of the criteria that have data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from zonescope.i18n import translate
from zonescope.mindset import facts
from zonescope.mindset.signals import num
from zonescope.mindset.spec import Criterion, Spec
from zonescope.regions import Region

STAGE_CODES = ("early", "growth", "mature", "unknown")


@dataclass
class CriterionResult:
    criterion: Criterion
    value: float | None
    points: int | None
    facts: dict[str, Any] = field(default_factory=dict)
    source: dict[str, Any] | None = None

    def to_dict(self, lang: str) -> dict[str, Any]:
        c = self.criterion
        key = f"mindset.stage.{'ev' if self.value is not None else 'missing'}.{c.method}"
        return {"id": c.id, "name": c.name_zh if lang == "zh" else c.name_en,
                "value": self.value, "unit": c.unit, "points": self.points,
                "thresholds": list(c.thresholds),
                "evidence": translate(key, lang, **self.facts),
                "rule": c.rationale_zh if lang == "zh" else c.rationale_en,
                "source": self.source}


@dataclass
class Stage:
    code: str
    mean_points: float | None
    as_of: int | None
    criteria: list[CriterionResult]
    advice: dict[str, str] | None

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {"code": self.code, "label": translate(f"mindset.stage.{self.code}", lang),
                "mean_points": self.mean_points, "as_of": self.as_of,
                "criteria": [c.to_dict(lang) for c in self.criteria],
                "advice": None if self.advice is None else {
                    "text": self.advice["text_zh" if lang == "zh" else "text_en"],
                    "article": self.advice["article"], "quote": self.advice["quote"]}}


def points(value: float, thresholds: tuple[float, float]) -> int:
    """0 below the first threshold, 1 up to the second, 2 from it on.

    >>> points(2, (3, 6)), points(3, (3, 6)), points(8, (3, 6))
    (0, 1, 2)
    """
    return 0 if value < thresholds[0] else 1 if value < thresholds[1] else 2


def get_stage(con: duckdb.DuckDBPyConnection, region: Region, spec: Spec,
              as_of: int | None = None) -> Stage:
    """The region's stage as of `as_of` (default: the year of its newest stored fact)."""
    year = as_of or facts.get_data_year(con, region.id) or facts.get_store_year(con)
    results = [_criterion(con, region, c, year) for c in spec.stage.criteria]
    scored = [r.points for r in results if r.points is not None]
    if not scored:
        return Stage("unknown", None, year, results, None)
    mean = round(sum(scored) / len(scored), 3)
    code = ("early" if mean < spec.stage.growth_from
            else "growth" if mean < spec.stage.mature_from else "mature")
    return Stage(code, mean, year, results, spec.stage.advice[code])


def _criterion(con: duckdb.DuckDBPyConnection, region: Region, criterion: Criterion,
               year: int | None) -> CriterionResult:
    value, params, source = _measure(con, region, criterion, year)
    if value is None:
        return CriterionResult(criterion, None, None, params, None)
    return CriterionResult(criterion, value, points(value, criterion.thresholds), params, source)


def _measure(con: duckdb.DuckDBPyConnection, region: Region, criterion: Criterion,
             year: int | None) -> tuple[float | None, dict[str, Any], dict[str, Any] | None]:
    if criterion.method == "pilot_years":
        pilot = facts.get_pilot(con, region.id)
        if pilot is None or year is None:
            return None, {}, None
        approved = int(pilot["approval_date"][:4])
        years = max(0, year - approved)
        return float(years), {"batch": pilot["batch"], "date": pilot["approval_date"],
                              "doc": pilot["approval_doc"], "years": years, "as_of": year}, \
            {"source": pilot["source"], "source_ref": pilot["approval_doc"]}
    if criterion.method == "indicator":
        row = facts.get_indicator(con, region.id, criterion.indicator or "")
        if row is None:
            return None, {"indicator": criterion.indicator}, None
        return row["value"], {"value": num(row["value"]), "unit": row["unit"],
                              "year": row["year"]}, \
            {"source": row["source"], "source_ref": row["source_ref"]}
    found = facts.get_full_year_trade(con, region.id)
    if found is None:
        return None, {}, None
    total = found["values"]["total"]
    return total, {"value": num(total), "period": found["period"], "year": found["year"]}, \
        {"source": found["source"], "source_ref": found["source_ref"]}
