"""Validating a whole sheet against a kind: every problem found, or clean records.

Nothing here touches the store. The result is either a list of records in the
store's column names, or the complete list of bad cells, each with its row
number as the user sees it, its column, value and reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zonescope.errors import CellProblem, RegionAmbiguous, RegionNotFound
from zonescope.ingest.kinds import INFORMATIONAL, PROVENANCE, Column, Kind, kinds, vocabulary
from zonescope.ingest.readers import Sheet
from zonescope.ingest.values import (
    COUNT_UNITS,
    BadValue,
    canon,
    clean_text,
    is_money,
    normalise_unit,
    parse_date,
    parse_number,
    parse_period,
    parse_year,
    split_header_unit,
    to_canonical,
)
from zonescope.regions.resolve import normalise, resolve

_LIST_SPLIT = re.compile(r"[;；、,，]")
_INDICATOR = re.compile(r"^[a-z][a-z0-9_]*$")
_MODE = re.compile(r"^\d{4}$")


@dataclass
class Validated:
    kind: Kind
    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)  # of each record, as the user sees it


@dataclass(frozen=True)
class HeaderMap:
    """Which file column feeds which kind column, and units read from headers."""

    positions: dict[str, int]
    header_units: dict[str, str]
    labels: dict[str, str]
    width: int


def validate(sheet: Sheet, kind: Kind, fx: dict[str, float] | None = None) -> Validated:
    """Check every cell of `sheet` as `kind`; collect all problems rather than stop at one."""
    result = Validated(kind, problems=list(sheet.problems))
    if sheet.problems:
        return result
    mapping = _map_headers(sheet.headers, kind, result.problems)
    if result.problems:
        return result
    if not sheet.rows:
        result.problems.append(CellProblem(2, "", "", "file.no_rows"))
        return result
    resolver = _RegionCache()
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in sheet.rows:
        record = _validate_row(number, cells, kind, mapping, fx or {}, resolver, result.problems)
        if record is None:
            continue
        key = tuple(_hashable(record[k]) for k in kind.storage_key)
        if key in seen:
            label = ", ".join(mapping.labels.get(kind.column(k).storage, k) for k in kind.key)
            result.problems.append(CellProblem(number, label, " / ".join(map(str, key)),
                                               "row.duplicate_key", {"first": seen[key]}))
            continue
        seen[key] = number
        result.records.append(record)
        result.row_numbers.append(number)
    return result


def _map_headers(headers: list[str], kind: Kind, problems: list[CellProblem]) -> HeaderMap:
    lookup: dict[str, Column] = {}
    for column in kind.columns:
        for name in (column.name, *column.aliases):
            lookup[normalise(name)] = column
    positions: dict[str, int] = {}
    units: dict[str, str] = {}
    labels: dict[str, str] = {}
    for index, header in enumerate(headers):
        name, unit = split_header_unit(header)
        key = normalise(name)
        column = lookup.get(key)
        if column is None:
            if key in INFORMATIONAL:
                continue
            if key in PROVENANCE and kind.money is not None:
                positions[key] = index
                continue
            problems.append(CellProblem(1, header or f"#{index + 1}", header, "header.unknown",
                                        {"expected": ", ".join(c.name for c in kind.columns)}))
            continue
        if column.name in positions:
            problems.append(CellProblem(1, header, header, "header.duplicate"))
            continue
        positions[column.name] = index
        labels[column.storage] = header
        if unit:
            units[column.name] = unit
    for column in kind.columns:
        missing = column.required and column.name not in positions
        if missing and not (column.type == "unit" and "value" in units):
            hint = _better_kind(headers, kind)
            problems.append(CellProblem(1, column.name, "", "header.missing_hint" if hint
                                        else "header.missing", {"hint": hint} if hint else {}))
    return HeaderMap(positions, units, labels, len(headers))


def _better_kind(headers: list[str], current: Kind) -> str | None:
    """Another kind whose required columns this header row has (for 'wrong kind')."""
    names = {normalise(split_header_unit(h)[0]) for h in headers}
    for other in kinds().values():
        if other.name == current.name:
            continue
        needed = [c for c in other.columns if c.required and c.type != "unit"]
        if all({normalise(n) for n in (c.name, *c.aliases)} & names for c in needed):
            return other.name
    return None


def _validate_row(number: int, cells: list[object], kind: Kind, mapping: HeaderMap,
                  fx: dict[str, float], regions: _RegionCache,
                  problems: list[CellProblem]) -> dict[str, Any] | None:
    before = len(problems)
    record: dict[str, Any] = {}
    # every raw cell first: some parsers read a sibling (period reads span)
    raw_of = {name: (cells[i] if i < len(cells) else None)
              for name, i in mapping.positions.items()}
    for column in kind.columns:
        if column.name not in raw_of:
            record[column.storage] = _EMPTY.get(column.type)
            continue
        raw = raw_of[column.name]
        label = mapping.labels.get(column.storage, column.name)
        try:
            record[column.storage] = _parse_cell(raw, column, raw_of, regions, record)
        except BadValue as bad:
            problems.append(CellProblem(number, label, clean_text(raw), bad.key, bad.params))
    for index in range(mapping.width, len(cells)):
        if clean_text(cells[index]):
            problems.append(CellProblem(number, f"#{index + 1}", clean_text(cells[index]),
                                        "row.extra_cell"))
            break
    if len(problems) == before:
        _apply_units(number, kind, mapping, record, raw_of, fx, problems)
    return record if len(problems) == before else None


def _parse_cell(raw: object, column: Column, row: dict[str, object], regions: _RegionCache,
                record: dict[str, Any]) -> Any:
    if canon(raw) == "":
        if column.type == "number":
            return None
        if column.required:
            raise BadValue("value.required")
        return _EMPTY.get(column.type)
    parser = _PARSERS[column.type]
    return parser(raw, column, row, regions, record)


def _parse_region(raw: object, column: Column, _row: dict[str, object], regions: _RegionCache,
                  _record: dict[str, Any]) -> str:
    return regions.get(clean_text(raw), column.level)


def _parse_period(raw: object, _c: Column, row: dict[str, object], _r: _RegionCache,
                  _record: dict[str, Any]) -> str:
    span = canon(row.get("span")).casefold()
    return parse_period(raw, allow_year=span in ("year", "全年", "年度"))


def _parse_choice(raw: object, column: Column, *_: Any) -> str:
    text = canon(raw)
    aliases = dict(column.choice_aliases)
    value = aliases.get(text, text.casefold())
    if value not in column.choices:
        raise BadValue("value.bad_choice", choices=" | ".join(column.choices))
    return value


def _parse_mode(raw: object, *_: Any) -> str:
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        return f"{int(raw):04d}"
    text = canon(raw)
    if text.casefold() in ("all", "全部", "合计", "总值"):
        return "all"
    if _MODE.match(text):
        return text
    raise BadValue("value.bad_mode")


def _parse_number(raw: object, column: Column, *_: Any) -> float | None:
    value, _ = parse_number(raw)
    if value is not None and column.minimum is not None and value < column.minimum:
        raise BadValue("value.negative")
    return value


def _parse_count(raw: object, column: Column, *_: Any) -> float | None:
    value, _ = parse_number(raw)
    if value is not None and value < 0:
        raise BadValue("value.negative_count")
    if value is not None and column.name in ("number", "duplicate_of") and not value.is_integer():
        raise BadValue("value.not_integer")
    return int(value) if value is not None and value.is_integer() else value


def _parse_year(raw: object, *_: Any) -> int:
    return parse_year(raw)


def _parse_date(raw: object, *_: Any) -> str:
    return parse_date(raw)


def _parse_list(raw: object, column: Column, *_: Any) -> list[str]:
    items = [i.strip() for i in _LIST_SPLIT.split(canon(raw)) if i.strip()]
    known = vocabulary(column.vocabulary) if column.vocabulary else {}
    unknown = [i for i in items if known and i not in known]
    if unknown:
        raise BadValue("value.not_in_vocabulary", items="、".join(unknown),
                       known="、".join(known))
    if column.required and not items:
        raise BadValue("value.required")
    return list(dict.fromkeys(items))


def _parse_text(raw: object, column: Column, *_: Any) -> str:
    text = clean_text(raw)
    known = vocabulary(column.vocabulary) if column.vocabulary else {}
    if known and text not in known:
        raise BadValue("value.not_in_vocabulary", items=text, known="、".join(known))
    return text


def _parse_unit(raw: object, column: Column, *_: Any) -> str:
    unit = normalise_unit(clean_text(raw))
    if column.money_only and not is_money(unit):
        raise BadValue("value.not_money_unit")
    return unit


def _parse_indicator(raw: object, *_: Any) -> str:
    text = canon(raw)
    if not _INDICATOR.match(text):
        raise BadValue("value.bad_indicator")
    return text


def _parse_flag(raw: object, *_: Any) -> bool:
    text = canon(raw).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise BadValue("value.bad_flag")


_TRUE = frozenset({"true", "yes", "y", "1", "是", "推算"})
_FALSE = frozenset({"false", "no", "n", "0", "否", "公布"})
# what a missing optional cell is stored as, by column type (None otherwise)
_EMPTY: dict[str, Any] = {"list": [], "period": "", "flag": False}

_PARSERS: dict[str, Callable[..., Any]] = {
    "region": _parse_region, "period": _parse_period, "choice": _parse_choice,
    "mode": _parse_mode, "number": _parse_number, "count": _parse_count, "year": _parse_year,
    "date": _parse_date, "list": _parse_list, "text": _parse_text, "unit": _parse_unit,
    "indicator": _parse_indicator, "flag": _parse_flag,
}


def _apply_units(number: int, kind: Kind, mapping: HeaderMap, record: dict[str, Any],
                 raw_of: dict[str, object], fx: dict[str, float],
                 problems: list[CellProblem]) -> None:
    """Reconcile header and cell units, reject negative counts, convert money to 亿元."""
    money = next((c for c in kind.columns if c.money), None)
    if money is None or "unit" not in record:
        return
    header_unit = mapping.header_units.get(money.name)
    unit = record.get("unit")
    label = mapping.labels.get("unit", "unit")
    if header_unit and unit and unit != header_unit:
        problems.append(CellProblem(number, label, unit, "value.unit_conflict",
                                    {"header": header_unit}))
        return
    unit = unit or header_unit
    value_label = mapping.labels.get(money.storage, money.name)
    if "unit" not in mapping.positions:
        label = value_label  # the unit came from the value column's header
    if kind.column("unit").money_only and not is_money(unit):
        problems.append(CellProblem(number, label, unit, "value.not_money_unit"))
        return
    value = record[money.storage]
    if is_money(unit) and canon(raw_of.get(money.name)).endswith("%"):
        problems.append(CellProblem(number, value_label, clean_text(raw_of.get(money.name)),
                                    "value.percent_not_allowed"))
        return
    if unit in COUNT_UNITS and value is not None and value < 0:
        problems.append(CellProblem(number, value_label, str(value), "value.negative_count"))
        return
    try:
        converted = to_canonical(value, unit, fx,
                                 keep_currency=not kind.column("unit").money_only)
    except BadValue as bad:
        problems.append(CellProblem(number, label if bad.key == "value.fx_missing" else value_label,
                                    unit if bad.key == "value.fx_missing" else str(value),
                                    bad.key, bad.params))
        return
    record.update(value=converted.value, unit=converted.unit, value_raw=converted.value_raw,
                  unit_raw=converted.unit_raw, fx_rate=converted.fx_rate)
    if not is_money(unit):
        record.update(value_raw=value, unit_raw=unit, fx_rate=None)
    _restore_provenance(number, record, raw_of, problems)


def _restore_provenance(number: int, record: dict[str, Any], raw_of: dict[str, object],
                        problems: list[CellProblem]) -> None:
    """Take value_raw / unit_raw / fx_rate from an exported file when they agree with value.

    An export writes the canonical value and, beside it, what was originally
    imported; re-importing must reproduce both, and must not accept a raw value
    that the canonical one contradicts.
    """
    raw_unit = normalise_unit(clean_text(raw_of.get("unit_raw")))
    if not raw_unit:
        return
    try:
        raw_value = parse_number(raw_of.get("value_raw"))[0]
        rate = parse_number(raw_of.get("fx_rate"))[0]
        again = to_canonical(raw_value, raw_unit, {"USD_CNY": rate} if rate else {},
                             keep_currency=True)
    except BadValue as bad:
        problems.append(CellProblem(number, "value_raw", clean_text(raw_of.get("value_raw")),
                                    bad.key, bad.params))
        return
    value = record.get("value")
    agrees = again.unit == record.get("unit") and (
        (again.value is None and value is None)
        or (again.value is not None and value is not None
            and abs(again.value - value) <= 1e-9 * max(abs(value), 1e-12)))
    if not agrees:
        problems.append(CellProblem(number, "value_raw", clean_text(raw_of.get("value_raw")),
                                    "value.raw_mismatch", {"unit": raw_unit}))
        return
    record.update(value_raw=raw_value, unit_raw=raw_unit, fx_rate=rate)


class _RegionCache:
    """Resolve each distinct region text once per file."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str | None], str | BadValue] = {}

    def get(self, text: str, level: str | None) -> str:
        key = (text, level)
        if key not in self._cache:
            try:
                self._cache[key] = resolve(text, level=level).region.id
            except RegionNotFound as exc:
                self._cache[key] = _wrong_level(text, level) or BadValue(
                    "region.not_found", name=text, candidates=exc.params.get("candidates", []))
            except RegionAmbiguous as exc:
                self._cache[key] = BadValue("region.ambiguous", name=text,
                                            candidates=exc.params.get("candidates", []))
        found = self._cache[key]
        if isinstance(found, BadValue):
            raise found
        return found


def _wrong_level(text: str, level: str | None) -> BadValue | None:
    """When a level-restricted column names a region of another level, say so plainly."""
    if level is None:
        return None
    try:
        found = resolve(text).region
    except (RegionNotFound, RegionAmbiguous):
        return None
    return BadValue("region.wrong_level", name=found.label(), level=level, found=found.level)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
