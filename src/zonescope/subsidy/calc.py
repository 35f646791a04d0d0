"""The subsidy calculator: an enterprise profile against each city's rules, with the trace.

Per scheme: the conditions (each met, not met, or undetermined — a USD threshold
without a rate, a field not given), then base × rate (or a fixed amount) × projects,
the cap, the floor, and bonuses outside the cap. A competitive (择优) or
upper-bound (最高/不超过) scheme gives a maximum, not a promise, and says so.
"""

from __future__ import annotations

from typing import Any

from zonescope.errors import ZoneScopeError
from zonescope.regions.resolve import resolve
from zonescope.subsidy.profile import Amount, Profile
from zonescope.subsidy.rules import Bonus, Clause, Condition, RuleSet, Scheme, bundled_rules


def _clause(clause: Clause | None) -> dict[str, Any] | None:
    if clause is None:
        return None
    return {"quote": clause.quote, "line": clause.line, "reading": clause.reading,
            "alternatives": list(clause.alternatives)}


def _q(clause: Clause | None) -> dict[str, Any]:
    """The clause's fields, to spread into a step (nothing for no clause)."""
    return _clause(clause) or {}


def _show(value: Any) -> Any:
    if isinstance(value, Amount):
        return value.written
    return list(value) if isinstance(value, tuple) else value


def _compare(op: str, actual: float, required: float) -> bool:
    return {">=": actual >= required, ">": actual > required, "<=": actual <= required,
            "<": actual < required, "==": actual == required, "!=": actual != required}[op]


def check_condition(cond: Condition, profile: Profile) -> dict[str, Any]:
    """Whether the profile meets `cond`: True, False, or None (undetermined, with `why`)."""
    actual = profile.get(cond.field)
    out = {"field": cond.field, "op": cond.op, "required": _show(cond.value),
           "actual": _show(actual), "met": None, "why": None, **_q(cond.clause)}
    if actual is None and cond.op in ("includes_any", "includes_all", "excludes") \
            and cond.field == "bonuses_received":
        actual = ()
    if actual is None:
        out["why"] = "missing"
    elif isinstance(cond.value, Amount):
        if actual.currency == cond.value.currency:
            out["met"] = _compare(cond.op, actual.value, cond.value.value)
        elif profile.fx is None:
            out["why"] = "fx"
        else:
            out["met"] = _compare(cond.op, actual.yuan(profile.fx), cond.value.yuan(profile.fx))
    elif cond.op == "is_true":
        out["met"] = actual is True
    elif cond.op == "is_false":
        out["met"] = actual is False
    elif cond.op in ("includes_any", "includes_all", "excludes"):
        have, want = set(actual), set(cond.value)
        out["met"] = {"includes_any": bool(have & want), "includes_all": want <= have,
                      "excludes": not have & want}[cond.op]
    else:
        out["met"] = _compare(cond.op, float(actual), float(cond.value))
    return out


def _all(results: list[dict[str, Any]]) -> bool | None:
    if any(r["met"] is False for r in results):
        return False
    return None if any(r["met"] is None for r in results) else True


def _amount(scheme: Scheme, profile: Profile, trace: list[dict[str, Any]]) -> float:
    """Base × rate (or the fixed amount) × projects, capped, floored; steps into `trace`."""
    rate, cap, fixed, rate_clause = scheme.rate, scheme.cap, scheme.fixed, scheme.rate_clause
    for i, tier in enumerate(scheme.tiers):
        met = [check_condition(c, profile) for c in tier.conditions]
        state = _all(met)
        trace.append({"step": "tier", "tier": i + 1, "met": state, "conditions": met,
                      **_q(tier.clause)})
        if state:
            rate, cap, fixed = tier.rate or rate, tier.cap or cap, tier.fixed or fixed
            rate_clause = tier.rate_clause or rate_clause
    given = profile.get("site_projects")
    projects = given if isinstance(given, int) and given > 0 else 1
    if scheme.max_projects is not None:
        projects = min(projects, scheme.max_projects)
    if fixed is not None:
        count = projects if fixed.per == "project" else 1
        value = fixed.amount * count
        trace.append({"step": "fixed", "amount": fixed.amount, "per": fixed.per,
                      "projects": count, "value": value,
                      "formula": f"{fixed.amount:,.0f} × {count} = {value:,.0f}",
                      **_q(fixed.clause)})
    else:
        value = _base(scheme, profile, rate or 0.0, rate_clause, trace)
    if scheme.floor and scheme.floor.mode == "deductible":
        before, value = value, max(value - scheme.floor.amount, 0.0)
        trace.append({"step": "floor", "mode": "deductible", "floor": scheme.floor.amount,
                      "value": value, "formula": f"{before:,.2f} − {scheme.floor.amount:,.0f}",
                      **_q(scheme.floor.clause)})
    if cap is not None:
        limit = cap.amount * (projects if cap.per == "project" else 1)
        trace.append({"step": "cap", "cap": limit, "per": cap.per, "applied": value > limit,
                      "value": min(value, limit),
                      "formula": f"min({value:,.2f}, {limit:,.0f})",
                      **_q(cap.clause)})
        value = min(value, limit)
    if scheme.floor and scheme.floor.mode == "threshold":
        below = value < scheme.floor.amount
        trace.append({"step": "floor", "mode": "threshold", "floor": scheme.floor.amount,
                      "applied": below, "value": 0.0 if below else value,
                      "formula": f"{value:,.2f} {'<' if below else '≥'} "
                                 f"{scheme.floor.amount:,.0f}",
                      **_q(scheme.floor.clause)})
        value = 0.0 if below else value
    return round(value, 2)


def _base(scheme: Scheme, profile: Profile, rate: float, rate_clause: Clause | None,
          trace: list[dict[str, Any]]) -> float:
    items = []
    for name in scheme.base:
        yuan = profile.yuan(name)
        items.append({"field": name, "yuan": yuan or 0.0, "given": yuan is not None,
                      "written": _show(profile.get(name))})
    base = sum(i["yuan"] for i in items)
    trace.append({"step": "base", "items": items, "value": base,
                  "formula": " + ".join(f"{i['yuan']:,.2f}" for i in items) + f" = {base:,.2f}",
                  **_q(scheme.base_clause)})
    value = base * rate
    trace.append({"step": "rate", "rate": rate, "value": value,
                  "formula": f"{base:,.2f} × {rate:.0%} = {value:,.2f}",
                  **_q(rate_clause)})
    return value


def _bonus(bonus: Bonus, slug: str, profile: Profile) -> dict[str, Any]:
    full_id = f"{slug}.{bonus.id}"
    met = [check_condition(c, profile) for c in bonus.conditions]
    state = _all(met)
    received = full_id in (profile.get("bonuses_received") or ())
    paid = bool(state) and not (bonus.one_off and received)
    return {"step": "bonus", "id": full_id, "amount": bonus.amount, "one_off": bonus.one_off,
            "met": state, "already_received": received, "paid": paid,
            "value": bonus.amount if paid else 0.0, "conditions": met,
            **_q(bonus.clause)}


def evaluate_scheme(scheme: Scheme, slug: str, profile: Profile) -> dict[str, Any]:
    """One scheme for one profile: status, amount in 元 and the trace."""
    conditions = [check_condition(c, profile) for c in scheme.conditions]
    state = _all(conditions)
    trace: list[dict[str, Any]] = []
    amount: float | None = None
    status = {True: "eligible", False: "ineligible", None: "undetermined"}[state]
    if state:
        amount = _amount(scheme, profile, trace)
        if amount == 0 and trace and trace[-1]["step"] == "floor" and trace[-1].get("applied"):
            status = "below_floor"
        for bonus in scheme.bonuses:
            step = _bonus(bonus, slug, profile)
            trace.append(step)
            amount += step["value"]
    elif state is False:
        amount = 0.0
    pending = [{"step": t["step"], "why": sorted({c["why"] for c in t["conditions"]
                                                  if c["met"] is None})}
               for t in trace if t["step"] in ("tier", "bonus") and t["met"] is None]
    return {"id": scheme.id, "name_zh": scheme.name_zh, "name_en": scheme.name_en,
            "status": status, "amount": amount, "pending": pending,
            "maximum": scheme.competitive is not None or scheme.upper_bound is not None,
            "competitive": _clause(scheme.competitive), "upper_bound": _clause(scheme.upper_bound),
            "conditions": conditions, "trace": trace, **_q(scheme.clause)}


def slug(rules: RuleSet) -> str:
    """`city_07_suzhou.yaml` -> `suzhou` (the prefix of bonus ids)."""
    stem = rules.file.rsplit(".", 1)[0]
    parts = stem.split("_")
    return "_".join(parts[2:]) if len(parts) > 2 and parts[0] == "city" else stem


def evaluate_city(rules: RuleSet, profile: Profile) -> dict[str, Any]:
    schemes = [evaluate_scheme(s, slug(rules), profile) for s in rules.schemes]
    paying = [s for s in schemes if s["status"] == "eligible"]
    status = "eligible" if paying else \
        "undetermined" if any(s["status"] == "undetermined" for s in schemes) else "ineligible"
    region = resolve(rules.city).region
    return {"city": rules.city, "region_id": region.id, "name_en": region.name_en,
            "status": status,
            "amount": None if status == "undetermined" else
            round(sum(s["amount"] or 0.0 for s in paying), 2),
            "maximum": any(s["maximum"] for s in paying), "schemes": schemes,
            "policy": rules.policy, "rules_file": rules.file}


def calculate(profile: Profile, city: str | None = None,
              rules: tuple[RuleSet, ...] | None = None) -> dict[str, Any]:
    """Every city's (or one city's) support for `profile`, in Table 6's order."""
    chosen = list(rules or bundled_rules())
    if city:
        wanted = resolve(city).region.id
        chosen = [r for r in chosen if resolve(r.city).region.id == wanted]
        if not chosen:
            raise ZoneScopeError("subsidy.no_rules", city=city,
                                 known=[r.city for r in (rules or bundled_rules())])
    return {"profile": profile.to_dict(),
            "cities": [evaluate_city(r, profile) for r in chosen]}
