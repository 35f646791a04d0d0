"""`zonescope serve [--host 127.0.0.1] [--port 8000]`: the web application."""

from __future__ import annotations

from typing import Annotated

import typer

from zonescope.cli.app import app
from zonescope.cli.common import DbOpt, LangOpt, context, h, handles_errors
from zonescope.cli.output import console
from zonescope.config import default_db_path


@app.command("serve", help=h("web.serve.help"))
@handles_errors
def serve(ctx: typer.Context,
          host: Annotated[str, typer.Option("--host", help=h("web.serve.opt.host"))
                          ] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", help=h("web.serve.opt.port"),
                                            min=1, max=65535)] = 8000,
          lang: LangOpt = None, db: DbOpt = None) -> None:
    import uvicorn

    from zonescope.web import create_app

    state = context(ctx, lang=lang, db=db)
    path = default_db_path() if state.db is None else state.db
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}"
    web = create_app(path, host=host, url=url)
    out = console()
    out.print(state.t("web.serve.started", url=url, path=str(web.state.store.path)),
              highlight=False)
    if web.state.generated_token:
        out.print(state.t("web.serve.token", token=web.state.generated_token), highlight=False)
    elif web.state.writes.token:
        out.print(state.t("web.serve.token_env"), highlight=False)
    else:
        out.print(state.t("web.serve.no_writes", host=host), highlight=False)
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)
