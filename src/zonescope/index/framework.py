"""An index framework as data: dimensions → indicators, the data they come from, the steps.

Frameworks are YAML files (bundled ones in `data/index/`, or the user's own). Loading
checks everything a build would trip over later and reports every problem at once,
each with its line: unknown keys, methods and indicators, duplicate codes, an empty
dimension, weights that do not sum as declared, an AHP matrix that is not reciprocal
or too inconsistent. See docs/index.md for the format.

>>> fw = load_framework("trade-performance")
>>> fw.id, len(fw.dimensions) >= 3, fw.data.source
('trade-performance', True, 'trade')
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from zonescope.errors import ZoneScopeError
from zonescope.i18n import translate
from zonescope.index.steps import Problem, Shape, complete_steps, suggest
from zonescope.index.yamlines import line_of, load_with_lines
from zonescope.ingest.kinds import vocabulary

DEFAULT_FRAMEWORK = "trade-performance"
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
TOP_KEYS = ("id", "name_zh", "name_en", "description_zh", "description_en", "source", "article",
            "data", "weight_sum", "dimensions", "steps", "uncertainty")
DIMENSION_KEYS = ("code", "name_zh", "name_en", "weight", "indicators", "note")
INDICATOR_KEYS = ("code", "name_zh", "name_en", "unit", "direction", "weight", "source",
                  "metric", "flow", "goalposts", "note")
REQUIRED_INDICATOR = ("code", "name_zh", "name_en", "unit", "direction", "source")
DATA_SOURCES = ("trade", "indicators", "file")
UNIT_SETS = ("active_pilot_zones", "data")
TRADE_METRICS = {  # metric -> whether it takes a flow
    "value": True, "growth": True, "share_of_province": True, "share_of_nation": True,
    "contribution_to_province": True, "balance": False, "export_import_ratio": False}
FLOWS = ("total", "export", "import")
DIRECTIONS = {"positive": 1, "negative": -1, 1: 1, -1: -1, "+": 1, "-": -1}
WEIGHT_TOLERANCE = 1e-6


class FrameworkInvalid(ZoneScopeError):
    """A framework file with problems; each is shown with its line."""

    def __init__(self, file: str, problems: list[tuple[int | None, Problem]]) -> None:
        self.file = file
        self.problems = problems
        super().__init__("index.framework_invalid", file=file, count=len(problems))

    def render(self, lang: str = "zh") -> str:
        head = translate(self.key, lang, **self.params)
        lines = [f"  {self.file}{'' if line is None else f':{line}'}: "
                 f"{translate(p.key, lang, **p.params)}"
                 for line, p in getattr(self, "problems", [])]
        return "\n".join([head, *lines])

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        data = super().to_dict(lang)
        data["problems"] = [{"line": line, "code": p.key,
                             "message": translate(p.key, lang, **p.params)}
                            for line, p in self.problems]
        return data


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    unit: str
    direction: int
    weight: float | None
    source: str
    dimension: str
    metric: str | None = None
    flow: str | None = None
    goalposts: tuple[float, float] | None = None
    note: str | None = None

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Dimension:
    code: str
    name_zh: str
    name_en: str
    weight: float | None
    indicators: tuple[Indicator, ...]

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class DataSpec:
    """Where raw values come from: the store's trade or indicators tables, or a file."""

    source: str = "file"
    units: str = "data"
    period: str = "{year}-12"
    span: str = "ytd"
    year: int | None = None


@dataclass(frozen=True)
class Framework:
    id: str
    name_zh: str
    name_en: str
    source: str
    data: DataSpec
    weight_sum: float
    dimensions: tuple[Dimension, ...]
    steps: dict[str, dict[str, Any]]
    uncertainty: dict[str, Any]
    file: str
    text: str

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for d in self.dimensions for i in d.indicators)

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    def dimension(self, code: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.code == code), None)

    @property
    def shape(self) -> Shape:
        return Shape(tuple(i.code for i in self.indicators),
                     {d.code: tuple(i.code for i in d.indicators) for d in self.dimensions},
                     frozenset(i.code for i in self.indicators if i.goalposts))

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("text")
        return data


def bundled_frameworks() -> list[str]:
    """Names of the frameworks shipped in `data/index/`."""
    folder = resources.files("zonescope") / "data" / "index"
    return sorted(e.name[:-5] for e in folder.iterdir()
                  if e.name.endswith(".yaml") and e.name != "reference.yaml")


def load_framework(ref: str | Path | None = None) -> Framework:
    """A bundled framework by name, or a framework file by path; validated."""
    ref = ref or DEFAULT_FRAMEWORK
    path = Path(ref)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise ZoneScopeError("file.missing", path=str(path))
        return parse_framework(path.read_text(encoding="utf-8"), path.name)
    if str(ref) not in bundled_frameworks():
        raise ZoneScopeError("index.framework_unknown", name=str(ref),
                             choices=bundled_frameworks())
    entry = resources.files("zonescope") / "data" / "index" / f"{ref}.yaml"
    return parse_framework(entry.read_text(encoding="utf-8"), f"{ref}.yaml")


def parse_framework(text: str, file: str = "framework.yaml") -> Framework:
    """Parse and check a framework document; raise `FrameworkInvalid` listing every problem."""
    try:
        raw, lines, duplicates = load_with_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise FrameworkInvalid(file, [(line, Problem((), "index.yaml_syntax", {
            "detail": getattr(exc, "problem", None) or str(exc)}))]) from None
    problems = [Problem(path, "index.duplicate_key", {"name": path[-1]})
                for path, _ in duplicates]
    if not isinstance(raw, dict):
        problems.append(Problem((), "index.not_a_mapping"))
        raise _invalid(file, lines, problems)
    framework, found = _build(raw, text, file)
    problems += found
    if problems:
        raise _invalid(file, lines, problems)
    assert framework is not None
    return framework


def _invalid(file: str, lines: dict[tuple[Any, ...], int], problems: list[Problem]
             ) -> FrameworkInvalid:
    located = sorted(((line_of(lines, p.path), p) for p in problems), key=lambda x: x[0])
    return FrameworkInvalid(file, located)


def _build(raw: dict[str, Any], text: str, file: str) -> tuple[Framework | None, list[Problem]]:
    problems = _unknown_keys(raw, TOP_KEYS, ())
    for key in ("id", "name_zh", "name_en", "dimensions"):
        if not raw.get(key):
            problems.append(Problem((key,), "index.key_missing", {"name": key}))
    data, found = _data_spec(raw.get("data") or {})
    problems += found
    weight_sum = raw.get("weight_sum", 1)
    if not isinstance(weight_sum, int | float) or isinstance(weight_sum, bool) or weight_sum <= 0:
        problems.append(Problem(("weight_sum",), "index.weight_sum_bad", {"value": weight_sum}))
        weight_sum = 1
    dimensions, found = _dimensions(raw.get("dimensions"), data, float(weight_sum))
    problems += found
    if problems and not dimensions:
        return None, problems
    shape = Shape(tuple(i.code for d in dimensions for i in d.indicators),
                  {d.code: tuple(i.code for i in d.indicators) for d in dimensions},
                  frozenset(i.code for d in dimensions for i in d.indicators if i.goalposts))
    steps, found = complete_steps(raw.get("steps") or {}, shape)
    problems += found
    from zonescope.index.plan import check_plan

    plan, found = check_plan(raw.get("uncertainty") or {}, shape)
    problems += found
    framework = Framework(
        id=str(raw.get("id")), name_zh=str(raw.get("name_zh")), name_en=str(raw.get("name_en")),
        source=str(raw.get("source") or ""), data=data, weight_sum=float(weight_sum),
        dimensions=tuple(dimensions), steps=steps, uncertainty=plan, file=file, text=text)
    return framework, problems


def _unknown_keys(block: dict[str, Any], allowed: tuple[str, ...], path: tuple[Any, ...]
                  ) -> list[Problem]:
    return [Problem((*path, key), "index.key_unknown", {
        "name": key, "suggestions": suggest(key, allowed)}) for key in block if key not in allowed]


def _data_spec(raw: Any) -> tuple[DataSpec, list[Problem]]:
    if not isinstance(raw, dict):
        return DataSpec(), [Problem(("data",), "index.not_a_mapping")]
    problems = _unknown_keys(raw, ("from", "units", "period", "span", "year"), ("data",))
    source = raw.get("from", "file")
    if source not in DATA_SOURCES:
        problems.append(Problem(("data", "from"), "index.param_choice", {
            "param": "from", "value": source, "choices": DATA_SOURCES}))
    units = raw.get("units", "active_pilot_zones" if source == "trade" else "data")
    if units not in UNIT_SETS:
        problems.append(Problem(("data", "units"), "index.param_choice", {
            "param": "units", "value": units, "choices": UNIT_SETS}))
    year = raw.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        problems.append(Problem(("data", "year"), "index.param_type", {
            "step": "data", "param": "year", "expected": "int"}))
        year = None
    span = raw.get("span", "ytd")
    if span not in ("ytd", "year", "month"):
        problems.append(Problem(("data", "span"), "index.param_choice", {
            "param": "span", "value": span, "choices": ("ytd", "year", "month")}))
    return DataSpec(str(source), str(units), str(raw.get("period", "{year}-12")), str(span),
                    year), problems


def _dimensions(raw: Any, data: DataSpec, weight_sum: float
                ) -> tuple[list[Dimension], list[Problem]]:
    if not isinstance(raw, list) or not raw:
        return [], [Problem(("dimensions",), "index.dimensions_empty")]
    problems: list[Problem] = []
    dimensions: list[Dimension] = []
    seen: dict[str, tuple[Any, ...]] = {}
    for d, block in enumerate(raw):
        path: tuple[Any, ...] = ("dimensions", d)
        if not isinstance(block, dict):
            problems.append(Problem(path, "index.not_a_mapping"))
            continue
        problems += _unknown_keys(block, DIMENSION_KEYS, path)
        code = str(block.get("code", ""))
        problems += _check_code(code, path, seen)
        indicators: list[Indicator] = []
        items = block.get("indicators")
        if not isinstance(items, list) or not items:
            problems.append(Problem((*path, "indicators") if "indicators" in block else path,
                                    "index.dimension_empty", {"code": code}))
            items = []
        for i, item in enumerate(items):
            indicator, found = _indicator(item, (*path, "indicators", i), code, data, seen)
            problems += found
            if indicator:
                indicators.append(indicator)
        for key in ("name_zh", "name_en"):
            if not block.get(key):
                problems.append(Problem(path, "index.key_missing", {"name": key}))
        weight, found = _weight(block, path)
        problems += found
        dimensions.append(Dimension(code, str(block.get("name_zh", "")),
                                    str(block.get("name_en", "")), weight, tuple(indicators)))
        problems += _check_sum([i.weight for i in indicators], weight_sum, (*path, "indicators"),
                               code)
    problems += _check_sum([d.weight for d in dimensions], weight_sum, ("dimensions",), "—")
    return dimensions, problems


def _check_code(code: str, path: tuple[Any, ...], seen: dict[str, tuple[Any, ...]]
                ) -> list[Problem]:
    if not CODE.match(code):
        return [Problem((*path, "code"), "index.code_bad", {"code": code})]
    if code in seen:
        return [Problem((*path, "code"), "index.code_duplicate", {"code": code})]
    seen[code] = path
    return []


def _weight(block: dict[str, Any], path: tuple[Any, ...]) -> tuple[float | None, list[Problem]]:
    value = block.get("weight")
    if value is None:
        return None, []
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None, [Problem((*path, "weight"), "index.weight_not_number", {"value": value})]
    if value < 0:
        return None, [Problem((*path, "weight"), "index.weights_negative")]
    return float(value), []


def _check_sum(weights: list[float | None], declared: float, path: tuple[Any, ...],
               group: str) -> list[Problem]:
    """All weights of a group given and summing to the declared total, or none given."""
    given = [w for w in weights if w is not None]
    if not given:
        return []
    if len(given) != len(weights):
        return [Problem(path, "index.weights_partial", {"group": group})]
    total = sum(given)
    if total == 0:
        return [Problem(path, "index.weights_zero_sum", {"group": group})]
    if abs(total - declared) > WEIGHT_TOLERANCE * max(1.0, declared):
        return [Problem(path, "index.weights_sum", {"group": group, "total": round(total, 9),
                                                    "declared": declared})]
    return []


def _indicator(item: Any, path: tuple[Any, ...], dimension: str, data: DataSpec,
               seen: dict[str, tuple[Any, ...]]) -> tuple[Indicator | None, list[Problem]]:
    if not isinstance(item, dict):
        return None, [Problem(path, "index.not_a_mapping")]
    problems = _unknown_keys(item, INDICATOR_KEYS, path)
    problems += [Problem(path, "index.key_missing", {"name": key})
                 for key in REQUIRED_INDICATOR if item.get(key) in (None, "")]
    code = str(item.get("code", ""))
    problems += _check_code(code, path, seen)
    direction = DIRECTIONS.get(item.get("direction"))
    if item.get("direction") is not None and direction is None:
        problems.append(Problem((*path, "direction"), "index.direction_bad", {
            "value": item.get("direction")}))
    weight, found = _weight(item, path)
    problems += found + _check_source(item, path, code, data)
    goalposts = item.get("goalposts")
    if goalposts is not None:
        if (not isinstance(goalposts, list) or len(goalposts) != 2
                or not all(isinstance(g, int | float) for g in goalposts)
                or goalposts[1] <= goalposts[0]):
            problems.append(Problem((*path, "goalposts"), "index.goalposts_bad"))
            goalposts = None
        else:
            goalposts = (float(goalposts[0]), float(goalposts[1]))
    return Indicator(code, str(item.get("name_zh", "")), str(item.get("name_en", "")),
                     str(item.get("unit", "")), direction or 1, weight,
                     str(item.get("source", "")), dimension, item.get("metric"),
                     item.get("flow"), goalposts, item.get("note")), problems


def _check_source(item: dict[str, Any], path: tuple[Any, ...], code: str, data: DataSpec
                  ) -> list[Problem]:
    """Trade indicators name a known metric (and flow); store indicators a known code."""
    if data.source == "trade":
        metric = item.get("metric")
        if metric not in TRADE_METRICS:
            return [Problem((*path, "metric"), "index.metric_unknown", {
                "metric": metric, "choices": list(TRADE_METRICS)})]
        if TRADE_METRICS[metric] and item.get("flow") not in FLOWS:
            return [Problem((*path, "flow"), "index.param_choice", {
                "param": "flow", "value": item.get("flow"), "choices": FLOWS})]
        return []
    if item.get("metric") is not None or item.get("flow") is not None:
        return [Problem((*path, "metric"), "index.metric_needs_trade")]
    if data.source == "indicators" and code not in vocabulary("indicators"):
        return [Problem((*path, "code"), "index.indicator_not_in_vocabulary", {
            "code": code, "suggestions": suggest(code, list(vocabulary("indicators")))})]
    return []
