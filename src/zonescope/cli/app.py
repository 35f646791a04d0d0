"""The Typer application object and its sub-command groups."""

from __future__ import annotations

import typer

from zonescope.cli.claims import claims_app
from zonescope.cli.common import h

app = typer.Typer(name="zonescope", help=h("app.help"), no_args_is_help=True,
                  rich_markup_mode="rich", add_completion=False,
                  context_settings={"help_option_names": ["-h", "--help"]})
db_app = typer.Typer(help=h("db.help"), no_args_is_help=True)
regions_app = typer.Typer(help=h("regions.help"), no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(regions_app, name="regions")
clusters_app = typer.Typer(help=h("clusters.help"))
trade_app = typer.Typer(help=h("trade.help"), no_args_is_help=True)
app.add_typer(trade_app, name="trade")
app.add_typer(clusters_app, name="clusters")
app.add_typer(claims_app, name="claims")
