"""The `zonescope` command: thin commands over the same engine as the Python API."""

from __future__ import annotations

from typing import Annotated

import typer

from zonescope import __version__
from zonescope.cli import advice as _advice  # noqa: F401
from zonescope.cli import catalogue as _catalogue  # noqa: F401 - registers commands
from zonescope.cli import compare as _compare  # noqa: F401
from zonescope.cli import data as _data  # noqa: F401
from zonescope.cli import db as _db  # noqa: F401
from zonescope.cli import index as _index  # noqa: F401
from zonescope.cli import mindset as _mindset  # noqa: F401
from zonescope.cli import policies as _policies  # noqa: F401
from zonescope.cli import regions as _regions  # noqa: F401
from zonescope.cli import serve as _serve  # noqa: F401
from zonescope.cli import subsidy as _subsidy  # noqa: F401
from zonescope.cli import trade as _trade  # noqa: F401
from zonescope.cli import trade_detail as _trade_detail  # noqa: F401
from zonescope.cli.app import app
from zonescope.cli.common import DbOpt, LangOpt, h
from zonescope.cli.output import Context


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zonescope {__version__}")
        raise typer.Exit()


@app.callback()
def root(ctx: typer.Context, db: DbOpt = None, lang: LangOpt = None,
         json: Annotated[bool, typer.Option("--json", help=h("opt.json"))] = False,
         version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help=h("opt.version"))] = False) -> None:
    ctx.obj = Context(db=db, lang=(lang or _default_lang()), json=json)


def _default_lang() -> str:
    from zonescope.config import default_lang

    return default_lang()


def main() -> None:
    app()


__all__ = ["app", "main"]
