"""对比 downloads: the comparison report (zonescope.report, issue #8) in every format."""

from __future__ import annotations

import threading
from contextlib import nullcontext
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zonescope.errors import ZoneScopeError
from zonescope.report import build_report, render_bytes
from zonescope.web.views import lang_of, store_of

router = APIRouter()
BROWSER_FORMATS = {"pdf", "docx"}  # printed or illustrated by Chromium
# one Chromium render at a time: each takes a core and ≈ 200 MB, and a burst of
# downloads must not start a browser per request on a small server
_BROWSER = threading.Semaphore(1)
FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "md": "text/markdown; charset=utf-8", "json": "application/json"}


def _report(request: Request, regions: list[str] | None, period: str | None, fmt: str) -> Response:
    if fmt not in FORMATS:
        raise ZoneScopeError("report.bad_format", suffix=fmt, formats=sorted(FORMATS))
    names = [r.strip() for r in regions or [] if r.strip()]
    lang = lang_of(request)
    store = store_of(request)
    with store.read() as con:
        report = store.cached(("report", tuple(names), period, lang),
                              lambda: build_report(con, names, lang=lang, period=period))
    key = ("report_bytes", tuple(names), period, lang, fmt)
    # identical requests queued here find the first one's bytes in the cache
    with _BROWSER if fmt in BROWSER_FORMATS else nullcontext():
        body: Any = store.cached(key, lambda: render_bytes(report, fmt))
    name = "zonescope-report-" + "-".join(r["id"] for r in report.regions) + f".{fmt}"
    return Response(body, media_type=FORMATS[fmt], headers={
        "content-disposition": f'attachment; filename="{name}"'})


@router.get("/compare/report.{fmt}", include_in_schema=False)
def page_report(request: Request, fmt: str,
                regions: Annotated[list[str] | None, Query(max_length=4)] = None,
                period: str | None = Query(None, max_length=7)) -> Response:
    return _report(request, regions, period, fmt)


@router.get("/api/v1/report", tags=["compare"], summary="The comparison report as a file "
            "(html, pdf, docx, md, json)")
def api_report(request: Request, regions: Annotated[list[str], Query(max_length=4)],
               format: str = Query("json", max_length=5),  # noqa: A002
               period: str | None = Query(None, max_length=7)) -> Response:
    return _report(request, regions, period, format)
