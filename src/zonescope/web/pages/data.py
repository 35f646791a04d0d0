"""数据: status, import (preview, row-level errors, token), export, history, read-only SQL, jobs."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from starlette.background import BackgroundTask

from zonescope.errors import ZoneScopeError
from zonescope.ingest.customs import KIND as CUSTOMS_CITY
from zonescope.ingest.customs_detail import FLOWS, DetailOptions
from zonescope.ingest.customs_detail import KIND as CUSTOMS_DETAIL
from zonescope.ingest.export import FORMATS, export_kind
from zonescope.ingest.importer import import_file
from zonescope.ingest.kinds import get_kind, kinds
from zonescope.ingest.readers import read_table
from zonescope.ingest.validate import validate
from zonescope.ingest.values import BadValue, parse_fx
from zonescope.store.console import run_readonly
from zonescope.store.queries import get_history, get_status
from zonescope.web.detail_preview import detail_options, preview_detail
from zonescope.web.security import bearer, check_csrf
from zonescope.web.uploads import check_sheet_rows, save_upload
from zonescope.web.views import Json, lang_of, render, store_of, twin

router = APIRouter()
PREVIEW_ROWS = 20
SQL_LIMIT = 1000
# customs-detail only: the query's facts a platform export does not carry (as the CLI's)
FLOW = Query("", max_length=10, description="customs-detail: export, import or total")
PERIOD = Query("", max_length=20, description="customs-detail: YYYY-MM or YYYY-MM:YYYY-MM")
SOURCE = Query("", max_length=200, description="customs-detail: source of the trade rows")


def import_kinds() -> list[str]:
    return [*kinds(), CUSTOMS_CITY, CUSTOMS_DETAIL]


def _status(request: Request) -> dict[str, Any]:
    store = store_of(request)
    with store.read() as con:
        return store.cached(("status",), lambda: {
            "datasets": get_status(con), "history": get_history(con, 50)})


@twin(router, "/data", "data.html", summary="Store status and import history")
def get_data(request: Request) -> dict[str, Any]:
    """Datasets (rows, coverage, sources) and the latest imports (as `db status`/`history`)."""
    return {**_status(request), "kinds": import_kinds(), "export_kinds": list(kinds()),
            "flows": list(FLOWS),
            "formats": [f.lstrip(".") for f in FORMATS],
            "limits": request.app.state.limits.__dict__}


@twin(router, "/data/sql", "data.html", summary="Read-only SQL (SELECT only, no file access)",
      api="/sql")
def get_sql(request: Request, q: str = Query("", max_length=5000),
            limit: int = Query(SQL_LIMIT, ge=1, le=SQL_LIMIT)) -> dict[str, Any]:
    """Run one SELECT on the sandboxed read connection (as `zonescope sql`)."""
    result = None
    if q.strip():
        with store_of(request).read() as con:
            found = run_readonly(con, q, limit)
        result = {"columns": found.columns, "rows": [list(r) for r in found.rows]}
    return {**get_data(request), "sql": {"query": q, "result": result}}


def _preview(request: Request, path: Path, name: str, kind: str, fx: dict[str, float],
             detail: DetailOptions | None) -> dict[str, Any]:
    """What the file holds and every problem found, without writing anything."""
    limits, lang = request.app.state.limits, lang_of(request)
    if kind == CUSTOMS_DETAIL:  # streamed: a dry run of the importer itself
        with store_of(request).read() as con:
            return preview_detail(con, path, name, fx, detail, PREVIEW_ROWS, lang)
    sheet = read_table(path, sheet_name=kind)
    check_sheet_rows(len(sheet.rows), limits)
    problems = list(sheet.problems)
    if kind in kinds() and not problems:
        problems = validate(sheet, get_kind(kind), fx).problems
    return {"file": name, "kind": kind, "headers": sheet.headers, "rows": len(sheet.rows),
            "sample": [[None if c is None else str(c) for c in cells]
                       for _, cells in sheet.rows[:PREVIEW_ROWS]],
            "sample_rows": [n for n, _ in sheet.rows[:PREVIEW_ROWS]],
            "problems": [p.to_dict(lang) for p in problems], "ok": not problems}


def _rates(fx: str) -> dict[str, float]:
    try:
        return parse_fx([s for s in fx.split() if s])
    except BadValue as bad:
        raise ZoneScopeError(bad.key, **bad.params) from None


def _options(kind: str, name: str, fx: str, flow: str, period: str, source: str
             ) -> tuple[dict[str, float], DetailOptions | None]:
    """An upload's kind checked, and its options parsed, before anything is saved."""
    if kind not in import_kinds():
        raise ZoneScopeError("kind.unknown", kind=kind, known=", ".join(import_kinds()))
    rates = _rates(fx)
    return rates, detail_options(kind, name, flow, period, source)


def _save(request: Request, file: UploadFile) -> Path:
    return save_upload(file.file, file.filename or "", request.app.state.uploads,
                       request.app.state.limits)


def _import_job(request: Request, path: Path, name: str, kind: str, fx: dict[str, float],
                detail: DetailOptions | None) -> Any:
    store, limits = store_of(request), request.app.state.limits

    def work() -> dict[str, Any]:
        try:
            if path.suffix == ".xlsx" and kind != CUSTOMS_DETAIL:
                check_sheet_rows(len(read_table(path, sheet_name=kind).rows), limits)
            with store.write() as zs:
                report = import_file(zs.store.con, path, kind, fx=fx, display_name=name,
                                     detail=detail)
            return report.to_dict()
        finally:
            path.unlink(missing_ok=True)

    return request.app.state.jobs.submit("import", f"{name} → {kind}", work)


@router.post("/data/import", include_in_schema=False)
def post_import(request: Request, file: Annotated[UploadFile, File()], kind: str = Form(...),
                action: str = Form("preview"), token: str = Form(""), csrf: str = Form(""),
                fx: str = Form(""), flow: str = Form(""), period: str = Form(""),
                source: str = Form("")) -> Any:
    """The import form: preview (anyone) or import (with the token) in the background."""
    name = Path(file.filename or "upload").name
    try:
        check_csrf(request.cookies.get("zs_csrf"), csrf)
        rates, detail = _options(kind, name, fx, flow, period, source)
        if action == "import":
            request.app.state.writes.check(token)
        path = _save(request, file)
    except ZoneScopeError as exc:
        return render(request, "data.html", get_data(request), error=exc)
    if action == "import":
        job = _import_job(request, path, name, kind, rates, detail)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)
    try:
        preview = _preview(request, path, name, kind, rates, detail)
    except ZoneScopeError as exc:
        return render(request, "data.html", get_data(request), error=exc)
    finally:
        path.unlink(missing_ok=True)
    form = {"flow": flow, "period": period, "source": source}
    return render(request, "data.html", {**get_data(request), "preview": preview, "form": form})


@router.post("/api/v1/import/preview", tags=["data"], response_class=Json,
             summary="Read and validate a file; nothing is written")
def api_preview(request: Request, file: Annotated[UploadFile, File()], kind: str = Query(...),
                fx: str = Query(""), flow: str = FLOW, period: str = PERIOD,
                source: str = SOURCE) -> Json:
    name = Path(file.filename or "").name
    rates, detail = _options(kind, name, fx, flow, period, source)
    path = _save(request, file)
    try:
        return Json(_preview(request, path, name, kind, rates, detail))
    finally:
        path.unlink(missing_ok=True)


@router.post("/api/v1/import", tags=["data"], response_class=Json, status_code=202,
             summary="Import a file atomically (token); returns a job to poll")
def api_import(request: Request, file: Annotated[UploadFile, File()], kind: str = Query(...),
               fx: str = Query(""), flow: str = FLOW, period: str = PERIOD,
               source: str = SOURCE) -> Json:
    request.app.state.writes.check(bearer(request.headers.get("authorization")))
    name = Path(file.filename or "upload").name
    rates, detail = _options(kind, name, fx, flow, period, source)
    path = _save(request, file)
    job = _import_job(request, path, name, kind, rates, detail)
    return Json(job.to_dict(lang_of(request)), status_code=202)


def _export(request: Request, kind: str, fmt: str) -> FileResponse:
    if kind not in kinds():
        raise ZoneScopeError("kind.unknown", kind=kind, known=", ".join(kinds()))
    if f".{fmt}" not in FORMATS:
        raise ZoneScopeError("export.bad_format", suffix=fmt, formats=", ".join(FORMATS))
    folder = Path(tempfile.mkdtemp(dir=request.app.state.uploads))
    target = folder / f"{kind}.{fmt}"
    with store_of(request).read() as con:
        export_kind(con, kind, target)

    def cleanup() -> None:
        target.unlink(missing_ok=True)
        folder.rmdir()

    return FileResponse(target, filename=target.name, background=BackgroundTask(cleanup))


@router.get("/data/export", include_in_schema=False)
def page_export(request: Request, kind: str = Query(...), format: str = Query("csv")) -> Any:  # noqa: A002
    return _export(request, kind, format)


@router.get("/api/v1/export", tags=["data"], summary="Export a kind (csv, xlsx, json); "
            "formulas neutralised")
def api_export(request: Request, kind: str = Query(..., max_length=40),
               format: str = Query("csv", max_length=5)) -> FileResponse:  # noqa: A002
    return _export(request, kind, format)


def _reset(request: Request) -> dict[str, Any]:
    with store_of(request).write() as zs:
        zs.store.reset()
        _ = zs.store.con  # rebuild: schema and bundled data
        return {"reset": True, "loaded": zs.store.loaded}


@router.post("/data/reset", include_in_schema=False)
def post_reset(request: Request, token: str = Form(""), csrf: str = Form(""),
               confirm: str = Form("")) -> Any:
    try:
        check_csrf(request.cookies.get("zs_csrf"), csrf)
        request.app.state.writes.check(token)
        if confirm != "RESET":
            raise ZoneScopeError("web.reset_confirm")
        _reset(request)
    except ZoneScopeError as exc:
        return render(request, "data.html", get_data(request), error=exc)
    return RedirectResponse("/data?reset=1", status_code=303)


@router.post("/api/v1/db/reset", tags=["data"], response_class=Json,
             summary="Delete every import and rebuild the store from bundled data (token)")
def api_reset(request: Request) -> Json:
    request.app.state.writes.check(bearer(request.headers.get("authorization")))
    return Json(_reset(request))


def _job(request: Request, job_id: str) -> dict[str, Any]:
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise ZoneScopeError("web.job_unknown", id=job_id)
    return job.to_dict(lang_of(request))  # type: ignore[no-any-return]


@router.get("/api/v1/jobs/{job_id}", tags=["jobs"], response_class=Json,
            summary="A background job's status and result")
def api_job(request: Request, job_id: str) -> Json:
    try:
        return Json(_job(request, job_id))
    except ZoneScopeError as exc:
        return Json(exc.to_dict(lang_of(request)), status_code=404)


@router.get("/jobs/{job_id}", include_in_schema=False, response_class=HTMLResponse)
def page_job(request: Request, job_id: str) -> HTMLResponse:
    try:
        job = _job(request, job_id)
    except ZoneScopeError as exc:
        return render(request, "job.html", None, error=exc, status=404)
    error = None
    if job["error"]:
        error = request.app.state.jobs.get(job_id).error
    return render(request, "job.html", job, error=error, status=200)
