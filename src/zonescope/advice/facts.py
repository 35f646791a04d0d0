"""The facts recommendation rules may ask about, and how they are read for a region.

Fields are declared once here (name, type); rules.yaml is validated against this
table, the docs list it, and `get_facts` fills it from the diagnosis, the stage
and a few read-only store queries. A fact the store cannot answer is None, and
a condition over None never holds (see conditions.py).
"""

from __future__ import annotations

from typing import Any

import duckdb

from zonescope.advice.conditions import Facts, FieldType
from zonescope.mindset import LABELS, STAGE_CODES, Diagnosis
from zonescope.mindset import facts as store

FIELDS: dict[str, FieldType] = {
    "label": FieldType("choice", LABELS),
    "score": FieldType("number"),
    "confidence": FieldType("number"),
    "data_signals": FieldType("number"),
    "stage": FieldType("choice", STAGE_CODES),
    "is_pilot": FieldType("bool"),
    "pilot_batch": FieldType("number"),
    "pilot_years": FieldType("number"),
    "association_count": FieldType("number"),
    "association_members": FieldType("number"),
    "policy_count": FieldType("number"),
    "policy_categories": FieldType("list"),
    "independent_site_policies": FieldType("number"),
    "innovation_count": FieldType("number"),
    "moc_tier": FieldType("number"),
    "trade_total": FieldType("number"),
    "import_share_pct": FieldType("number"),
}
INDEPENDENT_SITE = "市场开拓-独立站"


def get_facts(con: duckdb.DuckDBPyConnection, diagnosis: Diagnosis) -> Facts:
    """Every field for the diagnosed region, plus each signal's value and position."""
    region = diagnosis.region
    policies = store.get_policy_summary(con, region)
    associations = store.get_associations(con, region.id)
    pilot = store.get_pilot(con, region.id)
    trade = store.get_full_year_trade(con, region.id)
    tier = store.get_indicator(con, region.id, "moc_evaluation_tier")
    pilot_years = next((c.value for c in diagnosis.stage.criteria
                        if c.criterion.method == "pilot_years"), None)
    categories = sorted(policies["by_category"])
    members = [a["members"] for a in associations if a["members"] is not None]
    fields: dict[str, Any] = {
        "label": diagnosis.label, "score": diagnosis.score,
        "confidence": diagnosis.confidence,
        "data_signals": float(sum(s.has_data for s in diagnosis.signals)),
        "stage": diagnosis.stage.code, "is_pilot": pilot is not None,
        "pilot_batch": pilot["batch"] if pilot else None, "pilot_years": pilot_years,
        "association_count": float(len(associations)),
        "association_members": max(members) if members else None,
        "policy_count": float(policies["total"]), "policy_categories": categories,
        "independent_site_policies": float(policies["by_category"].get(INDEPENDENT_SITE, 0)),
        "innovation_count": float(len(store.get_innovations(con, region.id))),
        "moc_tier": tier["value"] if tier else None,
        "trade_total": trade["values"].get("total") if trade else None,
        "import_share_pct": _import_share(trade),
    }
    signals = {s.spec.id: (s.reading.value, s.position) for s in diagnosis.signals}
    return Facts(fields, signals)


def _import_share(trade: dict[str, Any] | None) -> float | None:
    """Imports as a share of total trade in the latest full year (%), when both are stored."""
    if not trade:
        return None
    total, imports = trade["values"].get("total"), trade["values"].get("import")
    if not total or imports is None:
        return None
    return round(imports / total * 100, 2)
