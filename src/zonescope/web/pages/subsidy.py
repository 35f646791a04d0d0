"""补贴计算: the enterprise-profile form and each city's independent-site support."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from zonescope.subsidy import build_profile, bundled_rules, calculate
from zonescope.subsidy.profile import fields, parse_rate
from zonescope.web.views import twin

router = APIRouter()


def _form_fields() -> list[dict[str, Any]]:
    return [{"name": name, **spec} for name, spec in fields().items()]


@twin(router, "/subsidy", "subsidy.html",
      summary="Independent-site subsidies for a profile (fields as query parameters)")
def get_subsidy(request: Request, city: str | None = Query(None, max_length=60),
                fx: str | None = Query(None, max_length=20, description="USD_CNY rate")
                ) -> dict[str, Any]:
    """Profile fields are query parameters named as in data/subsidy/profile.yaml
    (`site_sales=80万美元&own_brand=是`); the result is `zonescope subsidy calc --json`."""
    known = fields()
    given = {k: v.strip() for k, v in request.query_params.items()
             if k in known and v.strip() and len(v) <= 200}
    cities = sorted({r.city for r in bundled_rules()})
    if not given:
        return {"result": None, "fields": _form_fields(), "cities": cities}
    rate = parse_rate(fx, "fx") if fx and fx.strip() else None
    profile = build_profile(given, "web", rate)
    return {"result": calculate(profile, city or None), "fields": _form_fields(),
            "cities": cities}
