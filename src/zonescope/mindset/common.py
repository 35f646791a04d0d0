"""What two cities share and where they differ, computed from data.

In the spirit of the article's four commonalities (igdt-2022-04, 二): fit to local
reality (因地制宜), a complete policy system, innovation, and a market-run
association — each judged per city from stored facts with the thresholds in
signals.yaml (`common`) — followed by shared and differing points along the five
dimensions of comparison (一（一）–（五）), each with its values and sources.
A point is `shared`, `differs`, or `unknown` when either city lacks the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from zonescope.i18n import translate
from zonescope.mindset import facts
from zonescope.mindset.diagnose import Diagnosis, diagnose, label_text, named
from zonescope.mindset.signals import num
from zonescope.mindset.spec import Spec, get_spec
from zonescope.regions import Region

COMMONALITIES = ("fit", "policy_system", "innovation", "association")


@dataclass
class Point:
    """One comparison: a message key, its status and each city's value with sources."""

    dimension: str
    key: str
    status: str
    params: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, lang: str) -> dict[str, Any]:
        params = {k: label_text(v, lang) if k in ("la", "lb") else named(v, lang)
                  for k, v in self.params.items()}
        return {"dimension": self.dimension, "key": self.key, "status": self.status,
                "status_text": translate(f"common.status.{self.status}", lang),
                "text": translate(f"common.point.{self.key}", lang, **params),
                "values": self.values}


@dataclass
class Common:
    regions: tuple[Region, Region]
    diagnoses: tuple[Diagnosis, Diagnosis]
    commonalities: list[Point]
    points: list[Point]
    spec: Spec

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "regions": [{"id": r.id, "name_zh": r.name_zh, "name_en": r.name_en}
                        for r in self.regions],
            "mindsets": {d.region.id: {"label": d.label, "label_text": label_text(d.label, lang),
                                       "score": d.score, "confidence": d.confidence}
                         for d in self.diagnoses},
            "commonalities": [p.to_dict(lang) for p in self.commonalities],
            "dimensions": [{"code": code, "name": translate(f"common.dimension.{code}", lang),
                            "points": [p.to_dict(lang) for p in self.points
                                       if p.dimension == code]}
                           for code in ("trade", "entities", "innovation", "policy",
                                        "association")],
            "rule": {"article": self.spec.common["article"],
                     "text": self.spec.common["rationale_zh" if lang == "zh"
                                                else "rationale_en"]},
        }


@dataclass
class _City:
    """Everything compared about one city, read once."""

    region: Region
    diagnosis: Diagnosis
    policies: dict[str, Any]
    innovations: list[dict[str, Any]]
    associations: list[dict[str, Any]]
    trade: dict[str, Any] | None
    indicators: dict[str, dict[str, Any] | None]

    def signal_by_method(self, method: str) -> Any:
        return next((s for s in self.diagnosis.signals if s.spec.method == method), None)

    def position(self, method: str) -> float | None:
        found = self.signal_by_method(method)
        return found.position if found else None

    def value(self, method: str) -> float | None:
        found = self.signal_by_method(method)
        return found.reading.value if found else None


_INDICATORS = ("cbec_enterprises", "enterprises_with_trade_record", "moc_evaluation_tier",
               "gov_inspection_commendation")


def get_common(con: duckdb.DuckDBPyConnection, a: Region, b: Region,
               spec: Spec | None = None, diagnoses: dict[str, Diagnosis] | None = None
               ) -> Common:
    """The four commonalities and the five dimensions' shared and differing points.

    `diagnoses` (region id → Diagnosis made with the same spec) saves diagnosing again.
    """
    spec = spec or get_spec()
    known = diagnoses or {}
    cities = (_read(con, a, spec, known.get(a.id)), _read(con, b, spec, known.get(b.id)))
    rules = spec.common
    commonalities = [_fit(cities, rules), _policy_system(cities, rules),
                     _innovation(cities, rules), _association(cities, rules)]
    points = [*_trade_points(cities, rules), *_entity_points(cities, rules),
              *_innovation_points(cities), *_policy_points(cities, rules),
              *_association_points(cities, rules)]
    return Common((a, b), (cities[0].diagnosis, cities[1].diagnosis), commonalities, points,
                  spec)


def _read(con: duckdb.DuckDBPyConnection, region: Region, spec: Spec,
          diagnosis: Diagnosis | None = None) -> _City:
    return _City(region, diagnosis or diagnose(con, region, spec),
                 facts.get_policy_summary(con, region),
                 facts.get_innovations(con, region.id), facts.get_associations(con, region.id),
                 facts.get_full_year_trade(con, region.id),
                 {code: facts.get_indicator(con, region.id, code) for code in _INDICATORS})


def _names(cities: tuple[_City, _City]) -> dict[str, Region]:
    return {"a": cities[0].region, "b": cities[1].region}


def _both(held: list[bool | None]) -> str:
    """How two cities' verdicts on one commonality combine.

    >>> _both([True, True]), _both([True, False]), _both([False, False]), _both([True, None])
    ('shared', 'differs', 'shared_absent', 'unknown')
    """
    if all(h is True for h in held):
        return "shared"
    if any(h is True for h in held) and any(h is False for h in held):
        return "differs"
    if all(h is False for h in held):
        return "shared_absent"
    return "unknown"


def _commonality(key: str, cities: tuple[_City, _City], held: list[bool | None],
                 params: dict[str, Any]) -> Point:
    marks = {c.region.id: h for c, h in zip(cities, held, strict=True)}
    return Point("commonality", key, _both(held), {**_names(cities), **params},
                 {"held": marks})


def _mean(city: _City, role: str) -> float | None:
    found = [s for s in city.diagnosis.signals if s.spec.role == role and s.has_data]
    weight = sum(s.spec.weight for s in found)
    if not weight:
        return None
    return round(sum(s.spec.weight * (s.position or 0.0) for s in found) / weight, 3)


def _fit(cities: tuple[_City, _City], rules: dict[str, Any]) -> Point:
    """因地制宜: what government and association do leans the same way as the city's base."""
    held, params = [], {}
    for tag, city in zip("ab", cities, strict=True):
        base, action = _mean(city, "base"), _mean(city, "action")
        params[f"base_{tag}"], params[f"action_{tag}"] = num(base), num(action)
        if base is None or action is None:
            held.append(None)
            continue
        band = rules["fit_band"]
        held.append(base * action > 0 or (abs(base) < band and abs(action) < band))
    return _commonality("fit", cities, held, params)


def _policy_system(cities: tuple[_City, _City], rules: dict[str, Any]) -> Point:
    held, params = [], {"min": int(rules["policy_min_count"]),
                        "min_cat": int(rules["policy_min_categories"])}
    for tag, city in zip("ab", cities, strict=True):
        count, categories = city.policies["total"], len(city.policies["by_category"])
        params[f"n_{tag}"], params[f"cat_{tag}"] = count, categories
        held.append(None if count == 0 else (
            count >= rules["policy_min_count"] and categories >= rules["policy_min_categories"]))
    return _commonality("policy_system", cities, held, params)


def _innovation(cities: tuple[_City, _City], rules: dict[str, Any]) -> Point:
    held, params = [], {}
    for tag, city in zip("ab", cities, strict=True):
        tier = city.indicators["moc_evaluation_tier"]
        count = len(city.innovations)
        params[f"n_{tag}"] = count
        params[f"tier_{tag}"] = num(tier["value"]) if tier else "—"
        if count == 0 and tier is None:
            held.append(None)
        else:
            held.append(count >= rules["innovation_min_results"]
                        or (tier is not None and tier["value"] == 1))
    return _commonality("innovation", cities, held, params)


def _association(cities: tuple[_City, _City], rules: dict[str, Any]) -> Point:
    held, params = [], {}
    for tag, city in zip("ab", cities, strict=True):
        params[f"names_{tag}"] = "、".join(a["name"] for a in city.associations) or "—"
        found = len(city.associations)
        held.append(None if found == 0 else found >= rules["association_min_count"])
    return _commonality("association", cities, held, params)


def _side(x: float | None, y: float | None, cut: float) -> str:
    if x is None or y is None:
        return "unknown"
    return "shared" if (x >= cut) == (y >= cut) else "differs"


def _size(x: float | None, y: float | None, ratio: float) -> str:
    if x is None or y is None or min(x, y) <= 0:
        return "unknown"
    return "differs" if max(x, y) / min(x, y) >= ratio else "shared"


def _point(dimension: str, key: str, status: str, cities: tuple[_City, _City],
           values: tuple[Any, Any], **params: Any) -> Point:
    shown = {"va": _show(values[0]), "vb": _show(values[1])}
    return Point(dimension, key, status, {**_names(cities), **shown, **params},
                 {c.region.id: v for c, v in zip(cities, values, strict=True)})


def _show(value: Any) -> str:
    return num(value) if isinstance(value, int | float) or value is None else str(value)


def _trade_points(cities: tuple[_City, _City], rules: dict[str, Any]) -> list[Point]:
    totals = tuple(c.trade["values"].get("total") if c.trade else None for c in cities)
    years = [c.trade["period"] if c.trade else "—" for c in cities]
    shares = tuple(c.value("export_share_of_province") for c in cities)
    return [
        _point("trade", "trade_scale", _side(*totals, rules["major_trade_total"]), cities,
               totals, pa=years[0], pb=years[1], min=num(rules["major_trade_total"])),
        _point("trade", "export_hub", _side(*shares, rules["export_hub_share_pct"]), cities,
               tuple(None if s is None else round(s, 1) for s in shares),
               min=num(rules["export_hub_share_pct"])),
    ]


def _entity_points(cities: tuple[_City, _City], rules: dict[str, Any]) -> list[Point]:
    def value(city: _City, code: str) -> float | None:
        row = city.indicators[code]
        return row["value"] if row else None

    cbec = tuple(value(c, "cbec_enterprises") for c in cities)
    traders = tuple(value(c, "enterprises_with_trade_record") for c in cities)
    labels = [c.diagnosis.label for c in cities]
    decided = "insufficient" not in labels
    return [
        _point("entities", "cbec_enterprises", _size(*cbec, rules["size_ratio"]), cities, cbec,
               ratio=num(rules["size_ratio"])),
        _point("entities", "traders", _size(*traders, rules["size_ratio"]), cities, traders,
               ratio=num(rules["size_ratio"])),
        _point("entities", "mindset", ("shared" if labels[0] == labels[1] else "differs")
               if decided else "unknown", cities, (labels[0], labels[1]),
               la=labels[0], lb=labels[1]),
    ]


def _innovation_points(cities: tuple[_City, _City]) -> list[Point]:
    counts = tuple(float(len(c.innovations)) or None for c in cities)
    tiers = tuple(c.indicators["moc_evaluation_tier"]["value"]
                  if c.indicators["moc_evaluation_tier"] else None for c in cities)
    marks = tuple(c.indicators["gov_inspection_commendation"]["value"]
                  if c.indicators["gov_inspection_commendation"] else None for c in cities)
    return [
        _point("innovation", "innovation_results", _side(*counts, 1), cities, counts),
        _point("innovation", "moc_tier", "unknown" if None in tiers else (
            "shared" if tiers[0] == tiers[1] else "differs"), cities, tiers),
        _point("innovation", "commendation", "unknown" if None in marks else (
            "shared" if marks[0] == marks[1] else "differs"), cities, marks),
    ]


def _policy_points(cities: tuple[_City, _City], rules: dict[str, Any]) -> list[Point]:
    counts = tuple(float(c.policies["total"]) or None for c in cities)
    shares = tuple(c.value("policy_targets") for c in cities)
    return [
        _point("policy", "policy_count", _side(*counts, rules["policy_min_count"]), cities,
               counts, min=int(rules["policy_min_count"])),
        _point("policy", "policy_targeting", _side(*shares, 0.5), cities,
               tuple(None if s is None else round(s * 100, 1) for s in shares)),
    ]


def _association_points(cities: tuple[_City, _City], rules: dict[str, Any]) -> list[Point]:
    members = tuple(max((a["members"] for a in c.associations if a["members"] is not None),
                        default=None) for c in cities)
    founded = tuple("、".join(str(a["founded"] or "—") for a in c.associations) or None
                    for c in cities)
    leans = tuple(c.value("association_focus") for c in cities)
    present = [bool(c.associations) for c in cities]
    return [
        _point("association", "association_founded",
               "shared" if all(present) else "unknown", cities, founded),
        _point("association", "association_size", _size(*members, rules["size_ratio"]), cities,
               members, ratio=num(rules["size_ratio"])),
        _point("association", "association_focus", _side(*leans, 0.0) if None not in leans
               and 0.0 not in leans else "unknown", cities,
               tuple(None if v is None else round(v, 2) for v in leans)),
    ]
