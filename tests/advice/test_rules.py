"""rules.yaml is validated in full: unknown fields, audiences, signals and evidence are refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zonescope.advice import AUDIENCES, get_rules
from zonescope.advice.rules import default_path
from zonescope.errors import ZoneScopeError

BUNDLED = default_path().read_text(encoding="utf-8")

# Every recommendation of the article (三（一）1–3, 三（二）1–4) and where the rule is
ARTICLE = {
    "gov.position.early": "三（一）1 其一", "gov.position.quality": "三（一）1 其二",
    "gov.association.found": "三（一）2", "gov.association.bridge": "三（一）2",
    "gov.trade.balance_imports": "三（一）3", "factory.b2b_channels": "三（二）1",
    "factory.digital_transformation": "三（二）1", "factory.own_brand": "三（二）1",
    "trade.independent_site": "三（二）2 其一", "trade.offline_channels": "三（二）2 其二",
    "trade.emerging_markets": "三（二）2 其三", "trade.domestic_market": "三（二）2 其三",
    "trade.brand_compliance": "三（二）2", "trade.amazon_core": "三（二）2 综上",
    "platform.localise_team": "三（二）3", "platform.cash_on_delivery": "三（二）3",
    "platform.sea_prohibited_goods": "三（二）3", "platform.latam_social_media": "三（二）3",
    "platform.brazil_duty_threshold": "三（二）3", "service.core_plus_diversified": "三（二）4 一",
    "service.industry_facing": "三（二）4 二", "service.full_chain": "三（二）4 三",
}


@pytest.fixture
def broken(broken_copy: Callable[..., Any]) -> Callable[[str, str], ZoneScopeError]:
    return broken_copy(BUNDLED, "rules.yaml", get_rules)


def test_bundled_rules_cover_every_recommendation_of_the_article() -> None:
    book = get_rules()
    rules = {r.id: r for r in book.rules}
    for rule_id, section in ARTICLE.items():
        assert rules[rule_id].article.startswith(section), rule_id
    assert {r.audience for r in book.rules} == set(AUDIENCES)
    for rule in book.rules:
        assert rule.quote and rule.text_en and rule.rationale_en and rule.evidence, rule.id
        assert rule.article.startswith(("一", "二", "三")), rule.id
    independent = rules["trade.independent_site"]
    assert independent.see_zh and "zonescope subsidy calc" in independent.see_zh


def test_unknown_field(broken: Callable[[str, str], ZoneScopeError],
        line_of: Callable[[str, str], int]) -> None:
    error = broken("    priority: 95\n", "    priority: 95\n    urgency: high\n")
    assert error.key == "knowledge.unknown_field" and error.params["field"] == "urgency"
    assert error.params["line"] == line_of(BUNDLED, "    priority: 95") + 1
    assert "urgency" in error.render("zh") and "rules.yaml" in error.render("zh")


def test_unknown_audience(broken: Callable[[str, str], ZoneScopeError],
        line_of: Callable[[str, str], int]) -> None:
    error = broken("audience: platform", "audience: platfrom")
    assert error.key == "advice.unknown_audience" and error.params["value"] == "platfrom"
    assert error.params["line"] == line_of(BUNDLED, "audience: platform")
    assert "government" in error.render("en")


def test_condition_referring_to_a_missing_signal(
        broken: Callable[[str, str], ZoneScopeError],
        line_of: Callable[[str, str], int]) -> None:
    old = "{signal: industrial_clusters_city, op: '>=', value: 5}"
    error = broken(old, "{signal: industrial_parks, op: '>=', value: 5}")
    assert error.key == "advice.unknown_signal" and error.params["value"] == "industrial_parks"
    assert error.params["line"] == line_of(BUNDLED, old)
    assert "signals.yaml" in error.render("en")


def test_unknown_field_in_a_condition(broken: Callable[[str, str], ZoneScopeError]) -> None:
    error = broken("{field: import_share_pct, op: <, value: 40}",
                   "{field: import_ratio, op: <, value: 40}")
    assert error.key == "advice.unknown_field_ref"


def test_bad_evidence_reference(broken: Callable[[str, str], ZoneScopeError]) -> None:
    assert broken("indicator:amazon_suspended_stores]",
                  "indicator:amazon_bans]").key == "advice.bad_evidence"
    assert broken("signal:association_focus, signal:cbec_enterprises]",
                  "signal:association_focus, signal:sellers]").key == "advice.bad_evidence"
    assert broken("#510000", "#999999").key == "advice.bad_evidence"


def test_duplicate_id_priority_and_half_a_pointer(
        broken: Callable[[str, str], ZoneScopeError]) -> None:
    assert broken("id: gov.position.quality",
                  "id: gov.position.early").key == "knowledge.duplicate"
    assert broken("priority: 95", "priority: 120").key == "knowledge.out_of_range"
    error = broken("    see_en: 'the independent-site subsidy calculator: zonescope subsidy "
                   "calc --profile firm.yaml (Table 6, eight cities'' rules; docs/subsidy.md)'\n",
                   "")
    assert error.key == "knowledge.missing_field" and error.params["missing"] == "see_en"


def test_doc_tables_match_the_knowledge_files() -> None:
    from zonescope.advice.reference import render_markdown

    doc = (Path(__file__).resolve().parents[2] / "docs" / "mindset.md").read_text(
        encoding="utf-8")
    assert doc.rstrip().endswith(render_markdown().rstrip()), \
        "run: python scripts/render_docs.py"
