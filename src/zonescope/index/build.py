"""One object records the whole build (COINr's "purse"): framework, raw data, log, datasets.

`IndexBuild(framework, raw)` runs the framework's steps; `build.log` lists them with
every parameter written out. `replay()` rebuilds from the raw data and the log alone
and gives the same result to the last bit; `patch(step, params)` is a methodological
variation — one log entry changed, then a replay. What-if values are a patch to the
raw data. Uncertainty analysis samples such patches.

>>> import numpy as np
>>> from zonescope.index.data import RawData
>>> from zonescope.index.framework import parse_framework
>>> fw = parse_framework('''
... id: demo
... name_zh: 示例
... name_en: Demo
... dimensions:
...   - {code: d, name_zh: 维度, name_en: Dim, indicators: [
...       {code: a, name_zh: 甲, name_en: A, unit: 个, direction: positive, source: me},
...       {code: b, name_zh: 乙, name_en: B, unit: 个, direction: negative, source: me}]}
... ''')
>>> raw = RawData(["440300", "330200", "330100"], ["a", "b"],
...               np.array([[9.0, 1.0], [5.0, 5.0], [1.0, 9.0]]), [[None] * 2] * 3)
>>> build = IndexBuild(fw, raw)
>>> build.scores().tolist(), build.ranks().tolist()
([100.0, 50.0, 0.0], [1.0, 2.0, 3.0])
>>> build.patch("aggregate", {"index": {"method": "topsis"}}).scores().tolist()
[100.0, 50.0, 0.0]
>>> build.replay().to_dict() == build.to_dict()
True
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from zonescope.errors import ZoneScopeError
from zonescope.i18n import translate
from zonescope.index import pipeline
from zonescope.index.data import RawData
from zonescope.index.framework import Framework, FrameworkInvalid
from zonescope.index.steps import AGGREGATE_LEVELS, STEP_ORDER, WEIGHT_LEVELS, check_step, suggest
from zonescope.regions import registry


@dataclass(frozen=True)
class Step:
    """One log entry: a step and all its parameters."""

    name: str
    params: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.name, "params": self.params}


def _merge(current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """A patch that changes the method starts afresh; otherwise it edits the parameters."""
    if "method" in patch and patch["method"] != current.get("method"):
        return dict(patch)
    return {**current, **patch}


def patched(log: list[Step], name: str, params: dict[str, Any], framework: Framework
            ) -> list[Step]:
    """The log with entry `name` patched by `params` and checked like a framework's step."""
    if name not in STEP_ORDER:
        raise FrameworkInvalid("log", [(None, p) for p in check_step(name, {}, framework.shape)[1]])
    current = next(s.params for s in log if s.name == name)
    if name in ("weight", "aggregate"):
        levels = WEIGHT_LEVELS if name == "weight" else AGGREGATE_LEVELS
        merged = {lv: _merge(current[lv], params.get(lv, {})) for lv in levels}
        merged.update({k: v for k, v in params.items() if k not in levels})
    else:
        merged = _merge(current, params)
    full, problems = check_step(name, merged, framework.shape)
    if problems:
        raise FrameworkInvalid("log", [(None, p) for p in problems])
    return [Step(s.name, full) if s.name == name else s for s in log]


class IndexBuild:
    """A complete, replayable index build."""

    def __init__(self, framework: Framework, raw: RawData, log: list[Step] | None = None) -> None:
        self.framework = framework
        self.raw = raw
        self.log = log if log is not None else [
            Step(name, copy.deepcopy(framework.steps[name])) for name in STEP_ORDER]
        self.stage = pipeline.run(framework, raw, self.steps)

    @property
    def steps(self) -> dict[str, dict[str, Any]]:
        return {s.name: s.params for s in self.log}

    def replay(self) -> IndexBuild:
        """Rebuild from the raw data and the log alone."""
        return IndexBuild(self.framework, self.raw.copy(), copy.deepcopy(self.log))

    def patch(self, name: str, params: dict[str, Any]) -> IndexBuild:
        """A variation: log entry `name` patched by `params`, then replayed."""
        return IndexBuild(self.framework, self.raw.copy(),
                          patched(self.log, name, params, self.framework))

    def with_values(self, region_id: str, values: dict[str, float]) -> IndexBuild:
        """A what-if: the unit's raw values replaced, everything else as logged."""
        raw = self.raw.copy()
        if region_id not in raw.units:
            raise ZoneScopeError("index.unit_not_in_build", region=_label(region_id))
        i = raw.units.index(region_id)
        for code, value in values.items():
            if code not in raw.codes:
                raise ZoneScopeError("index.indicator_unknown", code=code,
                                     suggestions=suggest(code, raw.codes))
            raw.values[i, raw.codes.index(code)] = value
            raw.sources[i][raw.codes.index(code)] = "whatif"
        return IndexBuild(self.framework, raw, copy.deepcopy(self.log))

    # results
    def scores(self) -> np.ndarray:
        assert self.stage.scores is not None
        return self.stage.scores

    def ranks(self) -> np.ndarray:
        assert self.stage.ranks is not None
        return self.stage.ranks

    def position(self, region_id: str) -> int:
        """Row of a scored unit; a clear error for a unit screened out or not in the data."""
        if region_id in self.stage.units:
            return self.stage.units.index(region_id)
        for entry in self.stage.screened_units:
            if entry["region_id"] == region_id:
                raise UnitScreened(region_id, entry["reason"], _pct(entry["coverage"]))
        raise ZoneScopeError("index.unit_not_in_build", region=_label(region_id))

    def tier_name(self, tier: int, lang: str = "zh") -> str | None:
        names = self.steps["tier"]["names"]
        return names[tier][lang] if 0 <= tier < len(names) else None

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        from zonescope.index.results import build_dict

        return build_dict(self, lang)


class UnitScreened(ZoneScopeError):
    """A unit that screening left out; the reason is rendered in the message's language."""

    def __init__(self, region_id: str, reason: str, coverage: str) -> None:
        self.region_id, self.reason_key, self.coverage = region_id, reason, coverage
        super().__init__("index.unit_screened", region=_label(region_id), reason=reason)

    def render(self, lang: str = "zh") -> str:
        reason = translate(self.reason_key, lang, coverage=self.coverage)
        region = _label(self.region_id, lang)
        return translate(self.key, lang, **{**self.params, "region": region, "reason": reason})


def _label(region_id: str, lang: str = "zh") -> str:
    region = registry().get(region_id)
    return region.label(lang) if region else region_id


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def clean(value: Any) -> Any:
    """NaN → None and NumPy scalars → Python, recursively (stable JSON)."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return clean(value.tolist())
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
