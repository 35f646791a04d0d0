"""Which recommendations apply to a region, for whom, why — and the evidence behind each.

The engine diagnoses the region (mindset, stage), reads the facts the rules may
ask about, evaluates every rule of the requested audiences and keeps those whose
condition holds, ranked by priority (then id). Each applied rule carries the
clauses that held, with the values found, and its evidence: figures from the
store (the region's own, else its province's, else the national figure the
article gives), signal readings and facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from zonescope.advice.conditions import Check, Facts, describe, evaluate
from zonescope.advice.facts import get_facts
from zonescope.advice.rules import AUDIENCES, Rule, RuleBook, get_rules, split_indicator
from zonescope.errors import ZoneScopeError
from zonescope.i18n import translate
from zonescope.ingest.kinds import vocabulary
from zonescope.mindset import Diagnosis, diagnose, get_spec
from zonescope.mindset import facts as store
from zonescope.mindset.signals import num
from zonescope.regions import Region, registry
from zonescope.regions.registry import NATION_ID


@dataclass
class Applied:
    """A rule whose condition held, with the checks that made it hold and its evidence."""

    rule: Rule
    checks: list[Check]
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, lang: str, diagnosis: Diagnosis) -> dict[str, Any]:
        r = self.rule
        zh = lang == "zh"
        held = [c for c in self.checks if c.held]
        return {
            "id": r.id, "audience": r.audience, "priority": r.priority,
            "text": r.text_zh if zh else r.text_en,
            "rationale": r.rationale_zh if zh else r.rationale_en,
            "article": r.article, "quote": r.quote,
            "see": (r.see_zh if zh else r.see_en) if r.see_zh else None,
            "condition": describe(r.when),
            "why": [explain(c, lang, diagnosis) for c in held]
            or [translate("advice.always", lang)],
            "checks": [c.to_dict() for c in self.checks],
            "evidence": self.evidence,
        }


@dataclass
class Advice:
    region: Region
    audiences: tuple[str, ...]
    diagnosis: Diagnosis
    items: list[Applied]
    considered: int
    rules_file: str

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        d = self.diagnosis
        return {
            "region": {"id": self.region.id, "name_zh": self.region.name_zh,
                       "name_en": self.region.name_en},
            "audiences": list(self.audiences),
            "diagnosis": {"label": d.label,
                          "label_text": translate(f"mindset.label.{d.label}", lang),
                          "score": d.score, "confidence": d.confidence,
                          "stage": d.stage.code,
                          "stage_text": translate(f"mindset.stage.{d.stage.code}", lang)},
            "considered": self.considered,
            "recommendations": [a.to_dict(lang, d) for a in self.items],
            "knowledge": {"rules": self.rules_file, "signals": d.spec.path},
        }


def advise(con: duckdb.DuckDBPyConnection, region: Region,
           audiences: tuple[str, ...] | None = None, *, rules_path: str | None = None,
           signals_path: str | None = None, as_of: int | None = None,
           diagnosis: Diagnosis | None = None) -> Advice:
    """The recommendations for `audiences` (all when None) that apply to `region`.

    `diagnosis` (of `region`, with the default signals) saves diagnosing again.
    """
    chosen = tuple(dict.fromkeys(audiences)) if audiences else AUDIENCES
    bad = [a for a in chosen if a not in AUDIENCES]
    if bad:
        raise ZoneScopeError("advice.bad_audience", value=bad[0], allowed=list(AUDIENCES))
    book: RuleBook = get_rules(rules_path, signals_path)
    if diagnosis is None or signals_path is not None or as_of is not None:
        diagnosis = diagnose(con, region, get_spec(signals_path), as_of=as_of)
    facts = get_facts(con, diagnosis)
    candidates = [r for r in book.rules if r.audience in chosen]
    applied = []
    for rule in candidates:
        held, checks = evaluate(rule.when, facts)
        if held:
            applied.append(Applied(rule, checks, [
                _evidence(con, ref, region, diagnosis, facts) for ref in rule.evidence]))
    applied.sort(key=lambda a: (-a.rule.priority, AUDIENCES.index(a.rule.audience), a.rule.id))
    return Advice(region, chosen, diagnosis, applied, len(candidates), book.path)


def explain(check: Check, lang: str, diagnosis: Diagnosis) -> str:
    """`跨境电商企业数量 3,300 ≥ 300` — one clause with the value that was found."""
    c = check.clause
    if c.ref_kind == "signal":
        spec = diagnosis.spec.signal(c.ref)
        name = spec.name(lang) if spec else c.ref
        if c.part == "position":
            name = translate("advice.position_of", lang, name=name)
    else:
        name = translate(f"advice.field.{c.ref}", lang)
    symbol = {"==": "=", "!=": "≠", "<=": "≤", ">=": "≥"}.get(c.op, c.op)
    if c.op in ("missing", "present"):
        return translate(f"advice.check.{c.op}", lang, name=name)
    if c.op == "contains":
        return f"{name} {translate('advice.op.contains', lang)} {c.value}"
    word = translate(f"advice.op.{c.op}", lang) if c.op in ("in", "not_in") else symbol
    return f"{name} {_show(check.actual, c.ref, lang)} {word} {_show(c.value, c.ref, lang)}"


def _show(value: Any, ref: str, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return "[" + ("、" if lang == "zh" else ", ").join(_show(v, ref, lang) for v in value) + "]"
    if isinstance(value, bool):
        return translate(f"advice.bool.{str(value).lower()}", lang)
    if isinstance(value, int | float):
        return num(value)
    if ref == "label":
        return translate(f"mindset.label.{value}", lang)
    if ref == "stage":
        return translate(f"mindset.stage.{value}", lang)
    return str(value)


def _evidence(con: duckdb.DuckDBPyConnection, ref: str, region: Region,
              diagnosis: Diagnosis, facts: Facts) -> dict[str, Any]:
    kind, _, name = ref.partition(":")
    if kind == "signal":
        found = diagnosis.signal(name)
        assert found is not None  # rules.yaml was validated against the signals
        return {"ref": ref, "kind": kind, "name_zh": found.spec.name_zh,
                "name_en": found.spec.name_en, "value": found.reading.value,
                "position": found.position,
                "evidence_zh": found.to_dict(region, "zh")["evidence"],
                "evidence_en": found.to_dict(region, "en")["evidence"],
                "sources": found.reading.sources}
    if kind == "field":
        value = facts.fields.get(name)
        return {"ref": ref, "kind": kind, "name_zh": translate(f"advice.field.{name}", "zh"),
                "name_en": translate(f"advice.field.{name}", "en"), "value": value,
                "shown_zh": _show(value, name, "zh"), "shown_en": _show(value, name, "en")}
    return _indicator(con, ref, name, region)


def _indicator(con: duckdb.DuckDBPyConnection, ref: str, name: str,
               region: Region) -> dict[str, Any]:
    """The region's own figure, else its province's, else the national one."""
    code, year, pinned = split_indicator(name)
    info = vocabulary("indicators").get(code, {})
    province = registry().province_of(region)
    places = [pinned] if pinned else [region.id, *([province.id] if province else []),
                                      NATION_ID]
    row = store.get_first_indicator(con, list(dict.fromkeys(places)), code,
                                    int(year) if year else None)
    where = registry().get(row["region_id"]) if row else None
    return {"ref": ref, "kind": "indicator", "name_zh": info.get("name_zh", code),
            "name_en": info.get("name_en", code),
            "value": row["value"] if row else None, "unit": row["unit"] if row else None,
            "value_raw": row["value_raw"] if row else None,
            "unit_raw": row["unit_raw"] if row else None,
            "year": row["year"] if row else None, "period": row["period"] if row else None,
            "region": where.name_zh if where else None,
            "source": row["source"] if row else None,
            "source_ref": row["source_ref"] if row else None,
            "note": row["note"] if row else None}
