"""The web application (`zonescope serve`): every capability in the browser, offline.

`create_app(db_path, token=…)` builds it; pages live in `pages/`, one module per
page family, each a thin client of the engines the CLI uses (docs/web.md).
"""

from zonescope.web.app import create_app

__all__ = ["create_app"]
