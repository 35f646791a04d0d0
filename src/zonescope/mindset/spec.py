"""The diagnosis specification (`data/mindset/signals.yaml`): signals, labels, stage, commonalities.

Loaded once and validated in full: an unknown field, a wrong type, an unknown
method, a curve that is not increasing — each is refused with the line it is on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from zonescope.ingest.kinds import vocabulary
from zonescope.mindset.knowledge import Node, Source, check_fields, choice, load, number, text
from zonescope.mindset.signals import METHODS

ROLES = ("base", "action", "outcome")
STAGES = ("early", "growth", "mature")
STAGE_METHODS = ("pilot_years", "indicator", "trade_total")
_TEXT = {"article", "quote", "rationale_zh", "rationale_en"}


@dataclass(frozen=True)
class Curve:
    """Piecewise-linear map from a value to a position in [−1, 1] (on log10 when `log`)."""

    points: tuple[tuple[float, float], ...]
    log: bool = False

    def position(self, value: float) -> float:
        """The position of `value`: linear between points, flat beyond the ends.

        >>> Curve(((0.2, -1.0), (0.8, 1.0))).position(0.5)
        0.0
        >>> Curve(((100, -1.0), (3000, 1.0)), log=True).position(3300)
        1.0
        """
        ps = [p for _, p in self.points]
        if self.log and value <= 0:
            return ps[0]
        x = math.log10(value) if self.log else value
        xs = [math.log10(v) if self.log else v for v, _ in self.points]
        if x <= xs[0]:
            return ps[0]
        for i in range(1, len(xs)):
            if x <= xs[i]:
                return round(ps[i - 1] + (ps[i] - ps[i - 1]) * (x - xs[i - 1])
                             / (xs[i] - xs[i - 1]), 6) + 0.0  # never −0.0
        return ps[-1]


@dataclass(frozen=True)
class SignalSpec:
    id: str
    name_zh: str
    name_en: str
    dimension: str
    role: str
    method: str
    params: dict[str, Any]
    curve: Curve
    weight: float
    article: str
    quote: str
    rationale_zh: str
    rationale_en: str
    needs_zh: str
    needs_en: str
    min_count: int = 1

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Labels:
    threshold: float
    min_confidence: float
    min_signals: int
    article: str
    quote: str
    rationale_zh: str
    rationale_en: str


@dataclass(frozen=True)
class Criterion:
    id: str
    name_zh: str
    name_en: str
    method: str
    thresholds: tuple[float, float]
    unit: str
    rationale_zh: str
    rationale_en: str
    indicator: str | None = None


@dataclass(frozen=True)
class StageSpec:
    article: str
    growth_from: float
    mature_from: float
    criteria: tuple[Criterion, ...]
    advice: dict[str, dict[str, str]]


@dataclass(frozen=True)
class Spec:
    """Everything the diagnosis reads from its knowledge file."""

    source: str
    labels: Labels
    signals: tuple[SignalSpec, ...]
    stage: StageSpec
    common: dict[str, Any]
    path: str

    def signal(self, signal_id: str) -> SignalSpec | None:
        return next((s for s in self.signals if s.id == signal_id), None)

    @property
    def total_weight(self) -> float:
        return sum(s.weight for s in self.signals)


def default_path() -> Path:
    return Path(str(resources.files("zonescope") / "data" / "mindset" / "signals.yaml"))


@cache
def get_spec(path: str | None = None) -> Spec:
    """The validated specification at `path` (the bundled one by default)."""
    target = Path(path) if path else default_path()
    root, source = load(target, None if path else "signals.yaml")
    check_fields(source, root, {"source", "labels", "signals", "stage", "common"}, set(), "")
    signals = root["signals"]
    if not isinstance(signals, list) or not signals:
        raise source.fail("knowledge.bad_type", root, "signals", expected="list", value=signals)
    parsed = tuple(_signal(source, node, root) for node in signals)
    seen: set[str] = set()
    for node, sig in zip(signals, parsed, strict=True):
        if sig.id in seen:
            raise source.fail("knowledge.duplicate", node, "id", value=sig.id)
        seen.add(sig.id)
    return Spec(source=text(source, root, "source"), labels=_labels(source, root["labels"], root),
                signals=parsed, stage=_stage(source, root["stage"], root),
                common=_common(source, root["common"], root), path=str(target))


def _labels(source: Source, node: Any, root: Node) -> Labels:
    node = check_fields(source, node, {"threshold", "min_confidence", "min_signals", *_TEXT},
                        set(), "labels", root)
    return Labels(threshold=number(source, node, "threshold", low=0, high=1),
                  min_confidence=number(source, node, "min_confidence", low=0, high=1),
                  min_signals=int(number(source, node, "min_signals", low=0)),
                  **{k: text(source, node, k) for k in _TEXT})


def _signal(source: Source, node: Any, root: Node) -> SignalSpec:
    node = check_fields(source, node, {
        "id", "name_zh", "name_en", "dimension", "role", "method", "params", "curve", "weight",
        "needs_zh", "needs_en", *_TEXT}, {"scale", "min_count"}, "signals", root)
    method = choice(source, node, "method", sorted(METHODS))
    params = node["params"]
    check_fields(source, params, set(METHODS[method][0]), set(), "params", node)
    _check_params(source, method, params)
    scale = node.get("scale", "linear")
    if scale not in ("linear", "log"):
        raise source.fail("knowledge.bad_choice", node, "scale", value=scale,
                          allowed=["linear", "log"])
    return SignalSpec(
        id=text(source, node, "id"), name_zh=text(source, node, "name_zh"),
        name_en=text(source, node, "name_en"),
        dimension=choice(source, node, "dimension", sorted(vocabulary("dimensions"))),
        role=choice(source, node, "role", ROLES), method=method, params=dict(params),
        curve=_curve(source, node, scale == "log"),
        weight=number(source, node, "weight", low=0, high=1),
        needs_zh=text(source, node, "needs_zh"), needs_en=text(source, node, "needs_en"),
        min_count=int(number(source, node, "min_count", low=1)) if "min_count" in node else 1,
        **{k: text(source, node, k) for k in _TEXT})


def _check_params(source: Source, method: str, params: Node) -> None:
    """Indicator codes must be known, lists non-empty lists of text, flows real flows."""
    for name, value in params.items():
        if method in ("indicator", "indicator_ratio") and value not in vocabulary("indicators"):
            raise source.fail("knowledge.unknown_indicator", params, name, value=value)
        if name.endswith(("_keywords", "_modes")) and not (
                isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            raise source.fail("knowledge.bad_type", params, name, expected="list", value=value)
        if name == "flow" and value not in ("export", "import", "total"):
            raise source.fail("knowledge.bad_choice", params, name, value=value,
                              allowed=["export", "import", "total"])
        if name.endswith("_target") and value not in vocabulary("policy_targets"):
            raise source.fail("knowledge.bad_choice", params, name, value=value,
                              allowed=sorted(vocabulary("policy_targets")))


def _curve(source: Source, node: Node, log: bool) -> Curve:
    raw = node["curve"]
    ok = isinstance(raw, list) and len(raw) >= 2 and all(
        isinstance(p, list) and len(p) == 2 and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in p) for p in raw)
    if not ok:
        raise source.fail("knowledge.bad_curve", node, "curve", value=raw)
    points = tuple((float(x), float(p)) for x, p in raw)
    xs = [x for x, _ in points]
    if any(b <= a for a, b in zip(xs, xs[1:], strict=False)) or any(
            not -1 <= p <= 1 for _, p in points) or (log and xs[0] <= 0):
        raise source.fail("knowledge.bad_curve", node, "curve", value=raw)
    return Curve(points, log)


def _stage(source: Source, node: Any, root: Node) -> StageSpec:
    node = check_fields(source, node, {"article", "growth_from", "mature_from", "criteria",
                                       "advice"}, set(), "stage", root)
    criteria = []
    for item in node["criteria"] or []:
        item = check_fields(source, item, {"id", "name_zh", "name_en", "method", "thresholds",
                                           "unit", "rationale_zh", "rationale_en"},
                            {"indicator"}, "criteria", node)
        method = choice(source, item, "method", STAGE_METHODS)
        low_high = item["thresholds"]
        if not (isinstance(low_high, list) and len(low_high) == 2
                and all(isinstance(v, int | float) for v in low_high)
                and low_high[0] < low_high[1]):
            raise source.fail("knowledge.bad_thresholds", item, "thresholds", value=low_high)
        indicator = item.get("indicator")
        if (method == "indicator") != (indicator is not None) or (
                indicator is not None and indicator not in vocabulary("indicators")):
            raise source.fail("knowledge.unknown_indicator", item, "indicator", value=indicator)
        criteria.append(Criterion(
            id=text(source, item, "id"), name_zh=text(source, item, "name_zh"),
            name_en=text(source, item, "name_en"), method=method,
            thresholds=(float(low_high[0]), float(low_high[1])), unit=text(source, item, "unit"),
            rationale_zh=text(source, item, "rationale_zh"),
            rationale_en=text(source, item, "rationale_en"), indicator=indicator))
    advice = check_fields(source, node["advice"], set(STAGES), set(), "advice", node)
    texts = {}
    for stage in STAGES:
        entry = check_fields(source, advice[stage], {"article", "quote", "text_zh", "text_en"},
                             set(), stage, advice)
        texts[stage] = {k: text(source, entry, k) for k in entry}
    return StageSpec(article=text(source, node, "article"),
                     growth_from=number(source, node, "growth_from", low=0, high=2),
                     mature_from=number(source, node, "mature_from", low=0, high=2),
                     criteria=tuple(criteria), advice=texts)


COMMON_NUMBERS = ("policy_min_count", "policy_min_categories", "innovation_min_results",
                  "association_min_count", "major_trade_total", "export_hub_share_pct",
                  "fit_band", "size_ratio")


def _common(source: Source, node: Any, root: Node) -> dict[str, Any]:
    node = check_fields(source, node, {*COMMON_NUMBERS, "article", "rationale_zh",
                                       "rationale_en"}, set(), "common", root)
    values: dict[str, Any] = {k: number(source, node, k, low=0) for k in COMMON_NUMBERS}
    values.update({k: text(source, node, k) for k in ("article", "rationale_zh", "rationale_en")})
    return values
