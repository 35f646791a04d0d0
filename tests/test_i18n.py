"""Every user-facing message exists in Chinese and English, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import zonescope
from zonescope.i18n import catalogue, translate

SRC = Path(zonescope.__file__).parent
KEY_USE = re.compile(r"""(?:\bt|\bh|translate|Error|Refused|NotFound|Ambiguous|BadValue|"""
                     r"""CellProblem\([^"]*)\(\s*"([a-z_]+\.[a-z_.]+)\"""")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    for key, entry in catalogue().items():
        assert entry.get("zh") is not None and entry.get("en") is not None, key
        assert _fields(entry["zh"]) == _fields(entry["en"]), key


def test_every_key_used_in_code_exists() -> None:
    used: set[str] = set()
    for path in SRC.rglob("*.py"):
        used |= set(KEY_USE.findall(path.read_text(encoding="utf-8")))
    assert len(used) > 80  # the pattern really finds the calls
    missing = sorted(k for k in used if k not in catalogue())
    assert missing == []


def test_unknown_key_falls_back_to_the_key() -> None:
    assert translate("no.such.key", "en") == "no.such.key"


def test_lists_are_joined_per_language() -> None:
    assert "甲、乙" in translate("region.not_found", "zh", name="x", candidates=["甲", "乙"])
    assert "a, b" in translate("region.not_found", "en", name="x", candidates=["a", "b"])
