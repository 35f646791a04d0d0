"""User-facing text in 简体中文 and English, kept as data in `data/messages/*.yaml`.

Chinese is the default language; every key must exist in both (a test checks).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from zonescope import yamlio

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages: key -> {"zh": …, "en": …}, merged from every messages file."""
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files("zonescope") / "data" / "messages"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            merged.update(yamlio.load(entry.read_text(encoding="utf-8")) or {})
    return merged


def translate(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """Render message `key` in `lang`, falling back to Chinese, then to the key.

    >>> translate("region.level.prefecture", "en")
    'prefecture'
    """
    entry = catalogue().get(key)
    if entry is None:
        return key if not params else f"{key} {params}"
    text = entry.get(lang) or entry[DEFAULT_LANG]
    joiner = "、" if lang == "zh" else ", "
    shown = {k: joiner.join(map(str, v)) if isinstance(v, list | tuple) else v
             for k, v in params.items()}
    try:
        return text.format(**shown)
    except (KeyError, IndexError):
        return text
