"""The recommendation knowledge base (`data/advice/rules.yaml`): loading and validation.

Each rule names its audience, a condition in the small language of
`conditions.py`, the advice in Chinese and English, its rationale, the article
section it comes from with a quote, and the evidence to show. The file is
checked in full on load — unknown fields, an unknown audience, a condition that
names a signal missing from signals.yaml, an unknown indicator — each refused
with the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from zonescope.advice.conditions import Clause, Group, parse
from zonescope.advice.facts import FIELDS
from zonescope.ingest.kinds import vocabulary
from zonescope.mindset import get_spec
from zonescope.mindset.knowledge import Node, Source, check_fields, choice, load, number, text
from zonescope.regions import registry

AUDIENCES = ("government", "association", "factory", "trade", "platform", "service")
_REQUIRED = {"id", "audience", "priority", "when", "text_zh", "text_en", "rationale_zh",
             "rationale_en", "article", "quote", "evidence"}
_OPTIONAL = {"see_zh", "see_en"}


@dataclass(frozen=True)
class Rule:
    id: str
    audience: str
    priority: float
    when: Clause | Group
    text_zh: str
    text_en: str
    rationale_zh: str
    rationale_en: str
    article: str
    quote: str
    evidence: tuple[str, ...]
    see_zh: str | None = None
    see_en: str | None = None


@dataclass(frozen=True)
class RuleBook:
    source: str
    rules: tuple[Rule, ...]
    path: str


def default_path() -> Path:
    return Path(str(resources.files("zonescope") / "data" / "advice" / "rules.yaml"))


@cache
def get_rules(path: str | None = None, signals_path: str | None = None) -> RuleBook:
    """The validated rule book at `path` (the bundled one by default).

    Conditions are checked against the signals of `signals_path` (bundled by default).
    """
    spec = get_spec(signals_path)
    target = Path(path) if path else default_path()
    root, source = load(target, None if path else "rules.yaml")
    check_fields(source, root, {"source", "rules"}, set(), "")
    raw = root["rules"]
    if not isinstance(raw, list) or not raw:
        raise source.fail("knowledge.bad_type", root, "rules", expected="list", value=raw)
    signal_ids = {s.id for s in spec.signals}
    rules, seen = [], set()
    for node in raw:
        rule = _rule(source, node, root, signal_ids)
        if rule.id in seen:
            raise source.fail("knowledge.duplicate", node, "id", value=rule.id)
        seen.add(rule.id)
        rules.append(rule)
    return RuleBook(text(source, root, "source"), tuple(rules), str(target))


def _rule(source: Source, node: Any, root: Node, signal_ids: set[str]) -> Rule:
    node = check_fields(source, node, _REQUIRED, _OPTIONAL, "rules", root)
    audience = choice(source, node, "audience", AUDIENCES, key="advice.unknown_audience")
    if ("see_zh" in node) != ("see_en" in node):
        raise source.fail("knowledge.missing_field", node, None,
                          missing="see_en" if "see_zh" in node else "see_zh")
    evidence = node["evidence"]
    if not isinstance(evidence, list):
        raise source.fail("knowledge.bad_type", node, "evidence", expected="list",
                          value=evidence)
    for ref in evidence:
        _check_evidence(source, node, ref, signal_ids)
    return Rule(
        id=text(source, node, "id"), audience=audience,
        priority=number(source, node, "priority", low=0, high=100),
        when=parse(source, node["when"], node, signal_ids, FIELDS),
        evidence=tuple(evidence),
        see_zh=text(source, node, "see_zh") if "see_zh" in node else None,
        see_en=text(source, node, "see_en") if "see_en" in node else None,
        **{k: text(source, node, k) for k in ("text_zh", "text_en", "rationale_zh",
                                               "rationale_en", "article", "quote")})


def _check_evidence(source: Source, node: Node, ref: Any, signal_ids: set[str]) -> None:
    """Evidence is `indicator:CODE[@YEAR][#REGION]`, `signal:ID` or `field:NAME`, each known."""
    kind, _, name = str(ref).partition(":")
    if kind == "indicator":
        code, year, place = split_indicator(name)
        if code in vocabulary("indicators") and (not year or year.isdigit()) and (
                not place or registry().get(place)):
            return
    elif kind == "signal" and name in signal_ids or kind == "field" and name in FIELDS:
        return
    raise source.fail("advice.bad_evidence", node, "evidence", value=ref)


def split_indicator(name: str) -> tuple[str, str, str]:
    """`code@2021#510000` → ('code', '2021', '510000'); absent parts are ''.

    >>> split_indicator("cbec_b2b_share_pct"), split_indicator("x@2021#510000")
    (('cbec_b2b_share_pct', '', ''), ('x', '2021', '510000'))
    """
    rest, _, place = name.partition("#")
    code, _, year = rest.partition("@")
    return code, year, place
