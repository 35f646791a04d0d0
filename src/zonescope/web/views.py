"""How a page is served: one context function, an HTML template over it and its JSON twin.

A page module writes `def get_x(request, …params) -> dict` and registers it with
`twin(router, "/x", "x.html")`: `/x` renders the template with the context as
`data`, `/api/v1/x` returns the same context as JSON (and appears in OpenAPI).
Templates only format; context functions only call the engines.
"""

from __future__ import annotations

import inspect
import json
import math
from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from zonescope.errors import RegionAmbiguous, RegionNotFound, ZoneScopeError
from zonescope.i18n import LANGS, translate
from zonescope.web.security import CSRF_COOKIE, WebError, new_csrf

Charts = Callable[[dict[str, Any], str], dict[str, Any]]
NAV = [("/", "web.nav.overview"), ("/cities", "web.nav.cities"), ("/compare", "web.nav.compare"),
       ("/index", "web.nav.index"), ("/mindset", "web.nav.mindset"),
       ("/policies", "web.nav.policies"), ("/subsidy", "web.nav.subsidy"),
       ("/clusters", "web.nav.clusters"), ("/data", "web.nav.data"), ("/claims", "web.nav.claims")]


def _plain(value: Any) -> Any:
    """NaN and infinities become null: JSON has no spelling for them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class Json(JSONResponse):
    """UTF-8 JSON that keeps Chinese readable and turns dates and decimals into strings."""

    def render(self, content: Any) -> bytes:
        try:
            text = json.dumps(content, ensure_ascii=False, default=str, allow_nan=False)
        except ValueError:
            text = json.dumps(_plain(content), ensure_ascii=False, default=str)
        return text.encode("utf-8")


def fmt(value: Any) -> str:
    """A cell for people (as the CLI shows it): missing as —, floats without noise."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return f"{value:,.0f}"
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    if isinstance(value, list):
        return "；".join(map(str, value)) or "—"
    return str(value)


def lang_of(request: Request) -> str:
    """`?lang=` first, then the `zs_lang` cookie, then Chinese."""
    asked = request.query_params.get("lang") or request.cookies.get("zs_lang")
    return asked if asked in LANGS else "zh"


def status_of(exc: ZoneScopeError) -> int:
    if isinstance(exc, WebError):
        return exc.status
    if isinstance(exc, RegionNotFound):
        return 404
    if isinstance(exc, RegionAmbiguous):
        return 409
    return 400


def error_response(request: Request, exc: ZoneScopeError) -> Json:
    return Json(exc.to_dict(lang_of(request)), status_code=status_of(exc))


def templates_of(request: Request) -> Jinja2Templates:
    return request.app.state.templates  # type: ignore[no-any-return]


def render(request: Request, template: str, data: Any, *, error: ZoneScopeError | None = None,
           charts: dict[str, Any] | None = None, status: int | None = None,
           extra: dict[str, Any] | None = None) -> HTMLResponse:
    """The template over `data` with what every page needs: t(), lang, CSRF token, nav."""
    lang = lang_of(request)
    csrf = request.cookies.get(CSRF_COOKIE) or new_csrf()
    state = request.app.state
    context = {"data": data, "error": error.to_dict(lang) if error else None,
               "t": partial(translate, lang=lang), "lang": lang, "csrf": csrf, "nav": NAV,
               "charts": charts or {}, "q": request.query_params,
               "writes_enabled": state.writes.token is not None, **(extra or {})}
    code = status or (status_of(error) if error else 200)
    response = templates_of(request).TemplateResponse(request, template, context,
                                                      status_code=code)
    if CSRF_COOKIE not in request.cookies:
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
    if request.query_params.get("lang") in LANGS:
        response.set_cookie("zs_lang", lang, samesite="lax", max_age=365 * 86400)
    return response


Register = Callable[[Callable[..., Any]], Callable[..., Any]]


def twin(router: APIRouter, path: str, template: str, *, summary: str,
         charts: Charts | None = None, api: str | None = None) -> Register:
    """Register `fn` as `/api/v1{path}` (JSON) and `{path}` (HTML over the same context)."""

    def register(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        signature = inspect.signature(fn, eval_str=True)  # annotations in fn's own module

        def as_json(request: Request, **kwargs: Any) -> Response:
            # the bytes of a GET are immutable per store version: serialise once
            key = ("json", request.url.path, str(request.url.query), lang_of(request))
            body = store_of(request).cached(key, lambda: Json(fn(request=request,
                                                                 **kwargs)).body)
            return Response(body, media_type="application/json")

        def as_html(request: Request, **kwargs: Any) -> HTMLResponse:
            try:
                data = fn(request=request, **kwargs)
            except ZoneScopeError as exc:
                return render(request, template, None, error=exc)
            shown = charts(data, lang_of(request)) if charts else None
            return render(request, template, data, charts=shown)

        for view in (as_json, as_html):
            view.__signature__ = signature  # type: ignore[attr-defined]
            view.__doc__ = fn.__doc__
        name = fn.__name__.removeprefix("get_")
        router.add_api_route("/api/v1" + (api or path), as_json, methods=["GET"], summary=summary,
                             name=f"api_{name}", response_class=Json, tags=[name])
        router.add_api_route(path, as_html, methods=["GET"], include_in_schema=False,
                             name=f"page_{name}", response_class=HTMLResponse)
        return fn

    return register


def store_of(request: Request) -> Any:
    return request.app.state.store


def multi(request: Request, name: str) -> list[str]:
    """All non-empty values of a repeated query parameter (`?regions=a&regions=b`)."""
    return [v.strip() for v in request.query_params.getlist(name) if v.strip()]
