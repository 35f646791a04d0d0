"""The subsidy rule language: loading and validating `data/subsidy/*.yaml`.

A rule file encodes one city's policy as schemes. Every clause carries `quote`, the
policy text it encodes, and may carry `interpretation` ({reading, alternatives})
where the text is ambiguous. Validation is strict and every message names the file
and line: unknown keys, operators and fields, an operator that does not fit the
field's type, a cap below its floor, a rate outside (0, 100%]. docs/subsidy.md
describes the language.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from zonescope.errors import ZoneScopeError
from zonescope.subsidy.lines import LineDict, LineList, load
from zonescope.subsidy.profile import Amount, BadAmount, fields, parse_amount

OPS = {"money": (">=", ">", "<=", "<", "==", "!="), "count": (">=", ">", "<=", "<", "==", "!="),
       "flag": ("is_true", "is_false"), "modes": ("includes_any", "includes_all", "excludes"),
       "ids": ("includes_any", "includes_all", "excludes")}
ALL_OPS = sorted({op for ops in OPS.values() for op in ops})
_INTERP = ("interpretation",)


@dataclass(frozen=True)
class Clause:
    """Where a rule came from: the quoted policy text, its line, and any interpretation."""

    quote: str
    line: int
    reading: str | None = None
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any           # Amount, int, or tuple of codes; None for is_true/is_false
    clause: Clause


@dataclass(frozen=True)
class Money:
    """A floor, cap or fixed amount in 元, per firm or per project."""

    amount: float
    per: str
    clause: Clause
    mode: str = "threshold"


@dataclass(frozen=True)
class Tier:
    conditions: tuple[Condition, ...]
    rate: float | None
    rate_clause: Clause | None
    cap: Money | None
    fixed: Money | None
    clause: Clause


@dataclass(frozen=True)
class Bonus:
    id: str
    amount: float
    conditions: tuple[Condition, ...]
    one_off: bool
    clause: Clause


@dataclass(frozen=True)
class Scheme:
    id: str
    name_zh: str
    name_en: str
    clause: Clause
    conditions: tuple[Condition, ...]
    base: tuple[str, ...]
    base_clause: Clause | None
    rate: float | None
    rate_clause: Clause | None
    fixed: Money | None
    floor: Money | None
    cap: Money | None
    max_projects: int | None
    projects_clause: Clause | None
    tiers: tuple[Tier, ...]
    bonuses: tuple[Bonus, ...]
    competitive: Clause | None
    upper_bound: Clause | None


@dataclass(frozen=True)
class RuleSet:
    file: str
    city: str
    policy: dict[str, str]
    schemes: tuple[Scheme, ...]


class _Check:
    """Validation helpers that raise with the file and line."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, key: str, line: int, **params: Any) -> ZoneScopeError:
        return ZoneScopeError(key, file=self.file, line=line, **params)

    def mapping(self, node: Any, allowed: tuple[str, ...], required: tuple[str, ...],
                line: int) -> LineDict:
        if not isinstance(node, LineDict):
            raise self.fail("subsidy.rule_not_mapping", line)
        for key in node:
            if key not in allowed:
                raise self.fail("subsidy.rule_unknown_key", node.at(key), name=key,
                                allowed=list(allowed))
        for key in required:
            if key not in node or node[key] in (None, ""):
                raise self.fail("subsidy.rule_missing_key", node.line, name=key)
        return node

    def items(self, node: Any, line: int) -> LineList:
        if node is None:
            empty = LineList()
            empty.line, empty.lines = line, []
            return empty
        if not isinstance(node, LineList):
            raise self.fail("subsidy.rule_not_list", line)
        return node

    def clause(self, node: LineDict, line: int | None = None) -> Clause:
        """The quote and interpretation of `node`; `line` is the key that introduced it."""
        quote = node.get("quote")
        if not isinstance(quote, str) or not quote.strip():
            raise self.fail("subsidy.rule_missing_key", node.line, name="quote")
        interp = node.get("interpretation")
        if interp is None:
            return Clause(quote.strip(), line or node.line)
        interp = self.mapping(interp, ("reading", "alternatives"), ("reading",),
                              node.at("interpretation"))
        alts = tuple(str(a) for a in self.items(interp.get("alternatives"), interp.line))
        return Clause(quote.strip(), line or node.line, str(interp["reading"]).strip(), alts)

    def amount(self, raw: Any, line: int) -> Amount:
        try:
            return parse_amount(raw)
        except BadAmount:
            raise self.fail("subsidy.rule_bad_amount", line, value=str(raw)) from None

    def yuan(self, raw: Any, line: int) -> float:
        found = self.amount(raw, line)
        if found.currency != "CNY":
            raise self.fail("subsidy.rule_amount_not_cny", line, value=str(raw))
        return found.value

    def rate(self, node: Any, line: int) -> tuple[float, Clause]:
        node = self.mapping(node, ("value", "quote", *_INTERP), ("value", "quote"), line)
        raw = str(node["value"]).strip()
        try:
            value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
        except ValueError:
            raise self.fail("subsidy.rule_bad_rate", node.at("value"), value=raw) from None
        if not 0 < value <= 1:
            raise self.fail("subsidy.rule_bad_rate", node.at("value"), value=raw)
        return value, self.clause(node, line)

    def money(self, node: Any, line: int, floor: bool = False) -> Money:
        keys = ("amount", "per", "quote", *_INTERP) + (("mode",) if floor else ())
        node = self.mapping(node, keys, ("amount", "quote"), line)
        per = str(node.get("per", "firm"))
        mode = str(node.get("mode", "threshold"))
        for key, value, allowed in (("per", per, ("firm", "project")),
                                    ("mode", mode, ("threshold", "deductible"))):
            if value not in allowed:
                raise self.fail("subsidy.rule_bad_choice", node.at(key), name=key, value=value,
                                allowed=list(allowed))
        return Money(self.yuan(node["amount"], node.at("amount")), per, self.clause(node, line),
                     mode)

    def condition(self, node: Any, line: int) -> Condition:
        node = self.mapping(node, ("field", "op", "value", "quote", *_INTERP),
                            ("field", "op", "quote"), line)
        name, op = str(node["field"]), str(node["op"])
        if op not in ALL_OPS:
            raise self.fail("subsidy.rule_unknown_op", node.at("op"), op=op, allowed=ALL_OPS)
        spec = fields().get(name)
        if spec is None:
            raise self.fail("subsidy.rule_unknown_field", node.at("field"), field=name,
                            known=list(fields()))
        if op not in OPS.get(spec["type"], ()):
            raise self.fail("subsidy.rule_op_type", node.at("op"), op=op, field=name,
                            type=spec["type"], allowed=list(OPS.get(spec["type"], ())))
        value: Any = None
        if spec["type"] in ("money", "count", "modes", "ids") and "value" not in node:
            raise self.fail("subsidy.rule_missing_key", node.line, name="value")
        if spec["type"] == "money":
            value = self.amount(node["value"], node.at("value"))
        elif spec["type"] == "count":
            value = node["value"]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise self.fail("subsidy.rule_bad_amount", node.at("value"), value=str(value))
        elif spec["type"] in ("modes", "ids"):
            value = tuple(str(v) for v in self.items(node["value"], node.at("value")))
        return Condition(name, op, value, self.clause(node))

    def conditions(self, node: Any, line: int) -> tuple[Condition, ...]:
        items = self.items(node, line)
        return tuple(self.condition(c, items.at(i)) for i, c in enumerate(items))

    def tier(self, node: Any, line: int) -> Tier:
        node = self.mapping(node, ("conditions", "rate", "cap", "fixed", "quote", *_INTERP),
                            ("conditions", "quote"), line)
        rate, rate_clause = self.rate(node["rate"], node.at("rate")) if "rate" in node \
            else (None, None)
        cap = self.money(node["cap"], node.at("cap")) if "cap" in node else None
        fixed = self.money(node["fixed"], node.at("fixed")) if "fixed" in node else None
        if rate is None and cap is None and fixed is None:
            raise self.fail("subsidy.rule_tier_empty", node.line)
        return Tier(self.conditions(node["conditions"], node.at("conditions")), rate, rate_clause,
                    cap, fixed, self.clause(node))

    def bonus(self, node: Any, line: int) -> Bonus:
        node = self.mapping(node, ("id", "amount", "conditions", "one_off", "quote", *_INTERP),
                            ("id", "amount", "conditions", "quote"), line)
        return Bonus(str(node["id"]), self.yuan(node["amount"], node.at("amount")),
                     self.conditions(node["conditions"], node.at("conditions")),
                     bool(node.get("one_off", False)), self.clause(node))

    def base(self, node: Any, line: int) -> tuple[tuple[str, ...], Clause]:
        node = self.mapping(node, ("items", "quote", *_INTERP), ("items", "quote"), line)
        items = self.items(node["items"], node.at("items"))
        for i, item in enumerate(items):
            if fields().get(str(item), {}).get("type") != "money":
                raise self.fail("subsidy.rule_base_item", items.at(i), item=str(item),
                                known=[k for k, v in fields().items() if v["type"] == "money"])
        return tuple(str(i) for i in items), self.clause(node)

    def flag_clause(self, node: Any, line: int) -> Clause | None:
        if node is None:
            return None
        return self.clause(self.mapping(node, ("quote", *_INTERP), ("quote",), line))

    def scheme(self, node: Any, line: int) -> Scheme:
        keys = ("id", "name_zh", "name_en", "quote", "conditions", "base", "rate", "fixed",
                "floor", "cap", "projects", "tiers", "bonuses", "competitive", "upper_bound",
                *_INTERP)
        node = self.mapping(node, keys, ("id", "name_zh", "name_en", "quote"), line)
        has_rate = "base" in node and "rate" in node
        if has_rate == ("fixed" in node) or ("base" in node) != ("rate" in node):
            raise self.fail("subsidy.rule_amount_form", node.line, scheme=str(node["id"]))
        base, base_clause = self.base(node["base"], node.at("base")) if has_rate else ((), None)
        rate, rate_clause = self.rate(node["rate"], node.at("rate")) if has_rate else (None, None)
        floor = self.money(node["floor"], node.at("floor"), floor=True) if "floor" in node else None
        cap = self.money(node["cap"], node.at("cap")) if "cap" in node else None
        tiers_node = self.items(node.get("tiers"), node.at("tiers"))
        tiers = tuple(self.tier(t, tiers_node.at(i)) for i, t in enumerate(tiers_node))
        for limit in [cap] + [t.cap for t in tiers]:
            if floor and limit and limit.amount < floor.amount:
                raise self.fail("subsidy.rule_cap_below_floor", limit.clause.line,
                                cap=limit.amount, floor=floor.amount)
        max_projects, projects_clause = None, None
        if "projects" in node:
            proj = self.mapping(node["projects"], ("max", "quote", *_INTERP), ("max", "quote"),
                                node.at("projects"))
            if isinstance(proj["max"], bool) or not isinstance(proj["max"], int) \
                    or proj["max"] < 1:
                raise self.fail("subsidy.rule_bad_amount", proj.at("max"), value=str(proj["max"]))
            max_projects, projects_clause = proj["max"], self.clause(proj)
        bonuses_node = self.items(node.get("bonuses"), node.at("bonuses"))
        return Scheme(
            str(node["id"]), str(node["name_zh"]), str(node["name_en"]), self.clause(node),
            self.conditions(node.get("conditions"), node.at("conditions")), base, base_clause,
            rate, rate_clause,
            self.money(node["fixed"], node.at("fixed")) if "fixed" in node else None,
            floor, cap, max_projects, projects_clause, tiers,
            tuple(self.bonus(b, bonuses_node.at(i)) for i, b in enumerate(bonuses_node)),
            self.flag_clause(node.get("competitive"), node.at("competitive")),
            self.flag_clause(node.get("upper_bound"), node.at("upper_bound")))


def parse_rules(text: str, file: str) -> RuleSet:
    """Validate one rule file's text; every problem raises with the file and line."""
    check = _Check(file)
    root = check.mapping(load(text, file), ("city", "policy", "schemes"),
                         ("city", "policy", "schemes"), 1)
    policy = check.mapping(root["policy"], ("title", "source", "source_ref"),
                           ("title", "source"), root.at("policy"))
    items = check.items(root["schemes"], root.at("schemes"))
    schemes = tuple(check.scheme(s, items.at(i)) for i, s in enumerate(items))
    seen: set[str] = set()
    for scheme in schemes:
        if scheme.id in seen:
            raise check.fail("subsidy.rule_duplicate_id", scheme.clause.line, id=scheme.id)
        seen.add(scheme.id)
    return RuleSet(file, str(root["city"]), {k: str(v) for k, v in policy.items()}, schemes)


def read_rules(path: Path | str) -> RuleSet:
    target = Path(path)
    if not target.is_file():
        raise ZoneScopeError("subsidy.rules_missing", file=str(path))
    return parse_rules(target.read_text(encoding="utf-8"), target.name)


@cache
def bundled_rules() -> tuple[RuleSet, ...]:
    """The bundled rule files, in Table 6's order (the `order` of each file name)."""
    folder = resources.files("zonescope") / "data" / "subsidy"
    found = sorted(e.name for e in folder.iterdir() if e.name.startswith("city_"))
    return tuple(parse_rules((folder / name).read_text(encoding="utf-8"), name)
                 for name in found)
