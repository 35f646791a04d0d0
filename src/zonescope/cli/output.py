"""How the CLI shows things: Rich tables for people, stable JSON for scripts."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from zonescope.errors import ImportRejected, ZoneScopeError
from zonescope.i18n import translate

MISSING = "—"


@dataclass
class Context:
    """Per-invocation state: where the store is, the language, whether to print JSON."""

    db: str | None = None
    lang: str = "zh"
    json: bool = False

    def t(self, key: str, **params: Any) -> str:
        return translate(key, self.lang, **params)


def console() -> Console:
    return Console(soft_wrap=False, width=max(Console().width, 100))


def err_console() -> Console:
    return Console(stderr=True, width=max(Console(stderr=True).width, 100))


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def fmt(value: Any) -> str:
    """A cell for people: missing as —, floats without noise."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, float):
        if value.is_integer():
            return f"{value:,.0f}"
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    if isinstance(value, list):
        return "；".join(map(str, value)) or MISSING
    return str(value)


def table(title: str | None, headers: list[str], rows: list[list[Any]]) -> Table:
    grid = Table(title=title, title_justify="left", header_style="bold", show_lines=False)
    for header in headers:
        grid.add_column(header, overflow="fold")
    for row in rows:
        grid.add_row(*[c if isinstance(c, Text) else escape(fmt(c)) for c in row])
    return grid


def report_error(ctx: Context, exc: ZoneScopeError) -> None:
    """Print an error (with every bad cell of a rejected import) to stderr, or as JSON."""
    if ctx.json:
        print_json(exc.to_dict(ctx.lang))
        return
    out = err_console()
    out.print(f"[bold red]{ctx.t('cli.error')}[/] {exc.render(ctx.lang)}", highlight=False)
    if isinstance(exc, ImportRejected):
        rows = [[p.row, p.column, p.value, p.reason(ctx.lang)] for p in exc.problems]
        out.print(table(None, [ctx.t("cli.row"), ctx.t("cli.column"), ctx.t("cli.value"),
                               ctx.t("cli.reason")], rows))
        out.print(ctx.t("import.nothing_written"))
