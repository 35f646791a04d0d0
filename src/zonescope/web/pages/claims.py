"""核查: paste a text, get a verdict on each numeric claim with its arithmetic."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, Request
from pydantic import BaseModel, Field

from zonescope.claims import check_report
from zonescope.errors import ZoneScopeError
from zonescope.web.security import check_csrf
from zonescope.web.views import Json, lang_of, render, store_of

router = APIRouter()
MAX_TEXT = 50_000


def _check(request: Request, text: str, year: int | None) -> dict[str, Any]:
    if not text.strip():
        raise ZoneScopeError("web.text_empty")
    if len(text) > MAX_TEXT:
        raise ZoneScopeError("web.text_too_long", limit=MAX_TEXT)
    with store_of(request).read() as con:
        return check_report(con, text, lang_of(request), year=year).to_dict()


class ClaimsIn(BaseModel):
    text: str = Field(..., max_length=MAX_TEXT)
    year: int | None = Field(None, ge=1990, le=2100)


@router.post("/api/v1/claims/check", tags=["claims"], response_class=Json,
             summary="Verdicts on the numeric claims of a text")
def api_check(request: Request, body: Annotated[ClaimsIn, Body()]) -> Json:
    return Json(_check(request, body.text, body.year))


@router.get("/claims", include_in_schema=False)
def page_claims(request: Request) -> Any:
    return render(request, "claims.html", {"text": "", "report": None})


@router.post("/claims", include_in_schema=False)
def post_claims(request: Request, text: str = Form(""), csrf: str = Form(""),
                year: str = Form("")) -> Any:
    data: dict[str, Any] = {"text": text, "report": None}
    try:
        check_csrf(request.cookies.get("zs_csrf"), csrf)
        asked = int(year) if year.strip().isdigit() else None
        data["report"] = _check(request, text, asked)
    except ZoneScopeError as exc:
        return render(request, "claims.html", data, error=exc)
    return render(request, "claims.html", data)
