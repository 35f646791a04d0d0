"""政策: search with filters, open one policy, classify a pasted text."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, Query, Request
from pydantic import BaseModel, Field

from zonescope.errors import ZoneScopeError
from zonescope.ingest.kinds import vocabulary
from zonescope.policies import SearchFilters, get_index, get_search
from zonescope.policies.classify import classify, example, train
from zonescope.policies.index import PolicyIndex
from zonescope.regions import registry
from zonescope.web.security import check_csrf
from zonescope.web.views import Json, lang_of, render, store_of, twin

router = APIRouter()
MAX_TEXT = 50_000


def _index(request: Request) -> PolicyIndex:
    store = store_of(request)
    with store.read() as con:
        return store.cached(("policy_index",), lambda: get_index(con, str(store.path)))


def _vocab() -> dict[str, list[dict[str, Any]]]:
    return {"categories": list(vocabulary("policy_categories").values()),
            "targets": list(vocabulary("policy_targets").values())}


@twin(router, "/policies", "policies.html", summary="Search the policy library (BM25)")
def get_policies(request: Request, q: str = Query("", max_length=200),
                 region: str | None = Query(None, max_length=60),
                 start: str | None = Query(None, alias="from", max_length=10),
                 end: str | None = Query(None, alias="to", max_length=10),
                 category: Annotated[list[str] | None, Query(max_length=20)] = None,
                 target: Annotated[list[str] | None, Query(max_length=10)] = None,
                 limit: int = Query(20, ge=1, le=200)) -> dict[str, Any]:
    """Ranked policies with highlighted snippets (as `zonescope policies search`)."""
    found = None
    if q.strip():
        filters = SearchFilters(region or None, start or None, end or None,
                                tuple(c for c in category or [] if c),
                                tuple(x for x in target or [] if x))
        found = store_of(request).cached(
            ("policy_search", q, filters, limit),
            lambda: get_search(_index(request), q, filters, limit))
    return {"search": found, "vocab": _vocab()}


@twin(router, "/policies/doc", "policy.html", summary="One policy by region and title")
def get_policy(request: Request, region: str = Query(..., max_length=20),
               title: str = Query(..., max_length=500)) -> dict[str, Any]:
    """The whole stored record of one policy (key: region id and title)."""
    for doc in _index(request).docs:
        if doc["region_id"] == region and doc["title"] == title:
            found = registry().get(region)
            return {"policy": {**doc, "categories": list(doc["categories"] or []),
                               "targets": list(doc["targets"] or []),
                               "region": found.name_zh if found else region}}
    raise ZoneScopeError("web.policy_unknown", region=region, title=title)


def _classify(request: Request, text: str) -> dict[str, Any]:
    if not text.strip():
        raise ZoneScopeError("web.text_empty")
    if len(text) > MAX_TEXT:
        raise ZoneScopeError("web.text_too_long", limit=MAX_TEXT)
    store = store_of(request)
    model = store.cached(("policy_model",), lambda: train(
        [example(d) for d in _index(request).docs]))
    return classify(text, model)


class TextIn(BaseModel):
    text: str = Field(..., max_length=MAX_TEXT)


@router.post("/api/v1/policies/classify", tags=["policies"], response_class=Json,
             summary="Categories and targets of a policy text, with evidence")
def api_classify(request: Request, body: Annotated[TextIn, Body()]) -> Json:
    return Json(_classify(request, body.text))


@router.post("/policies/classify", include_in_schema=False)
def post_classify(request: Request, text: str = Form(""), csrf: str = Form("")) -> Any:
    data = {"search": None, "vocab": _vocab(), "text": text}
    try:
        check_csrf(request.cookies.get("zs_csrf"), csrf)
        data["classified"] = _classify(request, text)
    except ZoneScopeError as exc:
        return render(request, "policies.html", data, error=exc)
    _ = lang_of(request)
    return render(request, "policies.html", data)
