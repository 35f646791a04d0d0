"""Pieces every command shares: help text language, options, the store, error handling."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from zonescope.api import ZoneScope
from zonescope.cli.output import Context, report_error
from zonescope.errors import ZoneScopeError
from zonescope.i18n import translate
from zonescope.ingest.readers import decode


def _help_lang() -> str:
    """`--help` is rendered before options are parsed: take the language from argv or env."""
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.endswith("=en") else "zh"
    return "en" if os.environ.get("ZONESCOPE_LANG", "zh").lower() == "en" else "zh"


HELP_LANG = _help_lang()


def h(key: str) -> str:
    """Help text for `key` in the language `--help` is shown in."""
    return translate(key, HELP_LANG)


JsonOpt = Annotated[bool, typer.Option("--json", help=h("opt.json"))]
LangOpt = Annotated[str | None, typer.Option("--lang", help=h("opt.lang"), metavar="zh|en")]
DbOpt = Annotated[str | None, typer.Option("--db", help=h("opt.db"), metavar="PATH")]

F = TypeVar("F", bound=Callable[..., Any])


def context(ctx: typer.Context, *, json: bool = False, lang: str | None = None,
            db: str | None = None) -> Context:
    """Merge the command's own options over the global ones."""
    root: Context = ctx.find_root().obj or Context()
    state = Context(db=db or root.db, lang=lang or root.lang, json=json or root.json)
    if state.lang not in ("zh", "en"):
        raise ZoneScopeError("cli.bad_lang", value=state.lang)
    ctx.obj = state
    return state


def read_text_arg(file: str, missing_key: str, unreadable_key: str) -> str:
    """The text of FILE, or of stdin for `-`, decoded as UTF-8 or GBK; clear errors otherwise."""
    if file == "-":
        data = typer.get_binary_stream("stdin").read()
    else:
        path = Path(file).expanduser()
        if not path.is_file():
            raise ZoneScopeError(missing_key, file=file)
        data = path.read_bytes()
    try:
        return decode(data)[0]
    except UnicodeError:
        raise ZoneScopeError(unreadable_key, file=file) from None


def open_store(state: Context) -> ZoneScope:
    return ZoneScope(state.db)


def handles_errors(func: F) -> F:
    """Turn a ZoneScopeError into one clear message and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ZoneScopeError as exc:
            ctx = kwargs.get("ctx") or (args[0] if args else None)
            obj = getattr(ctx, "obj", None)
            state = obj if isinstance(obj, Context) else Context(
                lang=kwargs.get("lang") or "zh", json=bool(kwargs.get("json_")))
            report_error(state, exc)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]
