"""The development-mindset diagnosis: e-commerce thinking (+1) versus foreign-trade thinking (−1).

Method (igdt-2022-04, 摘要, 引言, 一（二）–（五）; weights and anchors in signals.yaml):

    position_i = curve_i(value_i)                       each in [−1, 1]
    score      = Σ w_i · position_i / Σ w_i            over signals with data
    contribution_i = w_i · position_i / Σ w_i           (they add up to the score)
    confidence = Σ w_i (with data) / Σ w_i (all)

The label follows from the score and the threshold, unless too little data was
found: then it is 数据不足 with the list of data that would decide it and the
range the score could still take (every missing signal at −1 or at +1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from zonescope.errors import ZoneScopeError
from zonescope.i18n import translate
from zonescope.mindset import signals as methods
from zonescope.mindset.signals import Reading
from zonescope.mindset.spec import SignalSpec, Spec, get_spec
from zonescope.mindset.stage import Stage, get_stage
from zonescope.regions import Region, registry

LABELS = ("ecommerce", "foreign_trade", "balanced", "insufficient")


@dataclass
class SignalResult:
    spec: SignalSpec
    reading: Reading
    position: float | None
    contribution: float | None = None

    @property
    def has_data(self) -> bool:
        return self.position is not None

    def to_dict(self, region: Region, lang: str) -> dict[str, Any]:
        s, r = self.spec, self.reading
        params = {k: named(v, lang) for k, v in
                  {"region": region, "name": s.name(lang), **r.facts}.items()}
        evidence = (translate(f"mindset.ev.{s.method}", lang, **params) if self.has_data
                    else translate(f"mindset.missing.{r.missing}", lang, **params))
        return {
            "id": s.id, "name": s.name(lang), "dimension": s.dimension, "role": s.role,
            "has_data": self.has_data, "value": r.value, "unit": r.unit, "period": r.period,
            "position": self.position, "weight": s.weight, "contribution": self.contribution,
            "evidence": evidence, "sources": r.sources,
            "needs": None if self.has_data else (s.needs_zh if lang == "zh" else s.needs_en),
            "curve": [list(p) for p in s.curve.points], "scale": "log" if s.curve.log else "linear",
            "article": s.article, "quote": s.quote,
            "rationale": s.rationale_zh if lang == "zh" else s.rationale_en,
        }


@dataclass
class Diagnosis:
    region: Region
    label: str
    score: float | None
    partial_score: float | None
    confidence: float
    score_range: tuple[float, float]
    possible_labels: list[str]
    signals: list[SignalResult]
    stage: Stage
    spec: Spec

    def signal(self, signal_id: str) -> SignalResult | None:
        return next((s for s in self.signals if s.spec.id == signal_id), None)

    @property
    def missing(self) -> list[SignalResult]:
        """Signals without data, the heaviest (most decisive) first."""
        return sorted((s for s in self.signals if not s.has_data),
                      key=lambda s: (-s.spec.weight, s.spec.id))

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        labels = self.spec.labels
        return {
            "region": {"id": self.region.id, "name_zh": self.region.name_zh,
                       "name_en": self.region.name_en, "level": self.region.level},
            "label": self.label, "label_text": label_text(self.label, lang),
            "score": self.score, "partial_score": self.partial_score,
            "confidence": self.confidence,
            "signals_with_data": sum(s.has_data for s in self.signals),
            "signals_total": len(self.signals),
            "score_range": list(self.score_range),
            "possible_labels": self.possible_labels,
            "robust": len(self.possible_labels) == 1,
            "rule": {"threshold": labels.threshold, "min_confidence": labels.min_confidence,
                     "min_signals": labels.min_signals, "article": labels.article,
                     "text": labels.rationale_zh if lang == "zh" else labels.rationale_en},
            "signals": [s.to_dict(self.region, lang) for s in self.signals],
            "missing": [{"id": s.spec.id, "name": s.spec.name(lang), "weight": s.spec.weight,
                         "needs": s.spec.needs_zh if lang == "zh" else s.spec.needs_en}
                        for s in self.missing],
            "stage": self.stage.to_dict(lang),
            "knowledge": {"file": self.spec.path, "source": self.spec.source},
        }


def named(value: Any, lang: str) -> Any:
    """Regions in evidence parameters are named in the reader's language."""
    if isinstance(value, Region):
        return value.name_zh if lang == "zh" else value.name_en
    return value


def label_text(code: str, lang: str = "zh") -> str:
    return translate(f"mindset.label.{code}", lang)


def label_of(score: float, threshold: float) -> str:
    """The label of a score, with the threshold applied symmetrically.

    >>> label_of(0.38, 0.2), label_of(-0.9, 0.2), label_of(0.1, 0.2)
    ('ecommerce', 'foreign_trade', 'balanced')
    """
    if score >= threshold:
        return "ecommerce"
    if score <= -threshold:
        return "foreign_trade"
    return "balanced"


def is_city(region: Region) -> bool:
    """Cities, counties and zones — and the province-level cities that are pilot zones.

    The anchors are set for cities; a municipality (天津, 上海…) or 海南全岛 is a
    pilot zone in its own right and is diagnosed, other provinces are not.
    """
    if region.level == "nation":
        return False
    return region.level != "province" or bool(registry().pilot(region.id))


def diagnose(con: duckdb.DuckDBPyConnection, region: Region, spec: Spec | None = None,
             as_of: int | None = None) -> Diagnosis:
    """Read every signal for `region`, weigh them, label the result and place the stage."""
    if not is_city(region):
        raise ZoneScopeError("diagnose.not_city", region=region.label())
    spec = spec or get_spec()
    results = []
    for signal in spec.signals:
        reading = methods.read(con, region, signal)
        position = None if reading.value is None else signal.curve.position(reading.value)
        results.append(SignalResult(signal, reading, position))
    return _weigh(region, results, spec, get_stage(con, region, spec, as_of))


def _weigh(region: Region, results: list[SignalResult], spec: Spec, stage: Stage) -> Diagnosis:
    total = spec.total_weight
    known = [r for r in results if r.has_data]
    known_weight = sum(r.spec.weight for r in known)
    weighted = sum(r.spec.weight * (r.position or 0.0) for r in known)
    for r in known:
        r.contribution = (round(r.spec.weight * (r.position or 0.0) / known_weight, 4)
                          if known_weight else 0.0)
    confidence = round(known_weight / total, 4) if total else 0.0
    missing_weight = total - known_weight
    low = round((weighted - missing_weight) / total, 4) if total else 0.0
    high = round((weighted + missing_weight) / total, 4) if total else 0.0
    threshold = spec.labels.threshold
    possible = [code for code in ("foreign_trade", "balanced", "ecommerce")
                if _reachable(code, low, high, threshold)]
    partial = round(weighted / known_weight, 4) if known_weight else None
    enough = (len(known) >= spec.labels.min_signals
              and confidence >= spec.labels.min_confidence and partial is not None)
    if not enough:
        return Diagnosis(region, "insufficient", None, partial, confidence, (low, high),
                         possible, results, stage, spec)
    assert partial is not None
    return Diagnosis(region, label_of(partial, threshold), partial, partial, confidence,
                     (low, high), possible, results, stage, spec)


def _reachable(code: str, low: float, high: float, threshold: float) -> bool:
    """Whether some score in [low, high] carries label `code`."""
    if code == "ecommerce":
        return high >= threshold
    if code == "foreign_trade":
        return low <= -threshold
    return low < threshold and high > -threshold
