"""The app factory: `create_app(db_path, token=…)` wires store, security, pages and API."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import plotly
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from zonescope import __version__
from zonescope.errors import ZoneScopeError
from zonescope.web.jobs import Jobs
from zonescope.web.security import SecurityHeaders, WritePolicy
from zonescope.web.store import WebStore
from zonescope.web.uploads import Limits
from zonescope.web.views import Json, error_response, fmt, lang_of, render

HERE = Path(__file__).parent
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
GEOJSON = Path(str(resources.files("zonescope") / "data" / "geo" / "china-provinces.geojson"))
CACHE_STATIC = {"cache-control": "public, max-age=86400"}


def create_app(db_path: Path | str, token: str | None = None, *, host: str = "127.0.0.1",
               url: str = "", limits: Limits | None = None) -> FastAPI:
    """The web application over the store at `db_path`.

    `token` (else `$ZONESCOPE_TOKEN`) guards writes; without one a token is generated
    on a loopback address (`app.state.generated_token`, for the caller to print once)
    and writes are refused on any other address.
    """
    writes, generated = WritePolicy.decide(host, os.environ.get("ZONESCOPE_TOKEN"), token)
    store = WebStore(Path(db_path), url or f"http://{host}")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.jobs.close()
        store.close()
        shutil.rmtree(app.state.uploads, ignore_errors=True)

    app = FastAPI(title="ZoneScope", version=__version__, lifespan=lifespan,
                  description="跨境电商综试区观察 · JSON API mirroring the CLI. "
                              "Writes need `Authorization: Bearer <token>`.",
                  docs_url="/api/docs", redoc_url=None, openapi_url="/api/v1/openapi.json",
                  swagger_ui_parameters=None)
    app.state.store = store
    app.state.writes = writes
    app.state.generated_token = writes.token if generated else None
    app.state.jobs = Jobs()
    app.state.limits = limits or Limits()
    app.state.uploads = Path(tempfile.mkdtemp(prefix="zonescope-uploads-"))
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True)
    env.filters["fmt"] = fmt
    templates = Jinja2Templates(env=env)
    app.state.templates = templates
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(ZoneScopeError)
    async def zonescope_error(request: Request, exc: ZoneScopeError) -> Response:
        if request.url.path.startswith("/api/"):
            return error_response(request, exc)
        return render(request, "error.html", None, error=exc)  # a form post or a download

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        error = ZoneScopeError("web.bad_request", detail=_first_error(exc))
        return Json(error.to_dict(lang_of(request)), status_code=422)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="text/javascript", headers=CACHE_STATIC)

    @app.get("/static/geo/china-provinces.geojson", include_in_schema=False)
    def geojson() -> FileResponse:
        return FileResponse(GEOJSON, media_type="application/geo+json", headers=CACHE_STATIC)

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    from zonescope.web.pages import (
        claims,
        clusters,
        compare,
        data,
        index,
        mindset,
        overview,
        policies,
        report,
        subsidy,
    )

    for module in (overview, compare, report, index, mindset, policies, subsidy, clusters,
                   data, claims):
        app.include_router(module.router)
    return app


def _first_error(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return ""
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg', '')}"
