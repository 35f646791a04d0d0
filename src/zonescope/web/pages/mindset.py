"""诊断与建议: development mindset, stage, and recommendations by audience."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from zonescope.advice import advise
from zonescope.advice.rules import AUDIENCES
from zonescope.mindset import diagnose, get_spec
from zonescope.regions.resolve import resolve
from zonescope.web.pages.compare import pilot_cities
from zonescope.web.views import lang_of, store_of, twin

router = APIRouter()


@twin(router, "/mindset", "mindset.html", summary="Mindset diagnosis and recommendations")
def get_mindset(request: Request, region: str | None = Query(None, max_length=60),
                audience: Annotated[list[str] | None, Query(max_length=6)] = None
                ) -> dict[str, Any]:
    """`zonescope diagnose REGION` and `zonescope advise REGION --audience …` in one page."""
    base = {"audiences": list(AUDIENCES), "choices": pilot_cities()}
    if not region:
        return {**base, "diagnosis": None, "advice": None}
    found = resolve(region).region
    lang = lang_of(request)
    chosen = tuple(a for a in audience or [] if a) or None
    store = store_of(request)
    with store.read() as con:
        diagnosis = store.cached(("diagnose", found.id, lang), lambda: diagnose(
            con, found, get_spec(None)).to_dict(lang))
        advice = store.cached(("advise", found.id, chosen, lang), lambda: advise(
            con, found, chosen).to_dict(lang))
    return {**base, "diagnosis": diagnosis, "advice": advice}
