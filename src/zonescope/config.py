"""Settings declared once, as data: name, environment variable, default, help.

The CLI options, `zonescope --help` and docs derive from `SETTINGS`, so a
setting cannot exist without being documented (a test checks docs/cli.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    help_zh: str
    help_en: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "ZONESCOPE_DB", "数据库文件路径；默认为用户数据目录下的 zonescope.duckdb",
            "store file; defaults to zonescope.duckdb in the per-user data directory"),
    Setting("lang", "ZONESCOPE_LANG", "界面语言 zh 或 en（默认 zh）",
            "language of messages, zh or en (default zh)"),
    Setting("engine", "ZONESCOPE_ENGINE", "贸易分析的计算引擎 duckdb（默认）或 spark",
            "engine of the trade analytics: duckdb (default) or spark"),
    Setting("spark", "ZONESCOPE_SPARK",
            "Spark 地址：local[2]（默认）、spark://主机:端口 或 sc://主机:端口（Spark Connect）",
            "Spark URL: local[2] (default), spark://HOST:PORT or sc://HOST:PORT (Spark Connect)"),
)


def default_db_path() -> Path:
    """`$ZONESCOPE_DB` if set, else `<user data dir>/zonescope.duckdb`."""
    env = os.environ.get("ZONESCOPE_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("zonescope", appauthor=False)) / "zonescope.duckdb"


def cache_dir() -> Path:
    """`$ZONESCOPE_CACHE_DIR` if set, else `<user cache dir>`: derived files, safe to delete."""
    env = os.environ.get("ZONESCOPE_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir("zonescope", appauthor=False))


def default_lang() -> str:
    lang = os.environ.get("ZONESCOPE_LANG", "zh").lower()
    return lang if lang in ("zh", "en") else "zh"
