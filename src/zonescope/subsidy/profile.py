"""The enterprise profile: what a firm declares, checked field by field before any rule sees it.

Fields are data (`data/subsidy/profile.yaml`). Money is written with its unit
(`80万美元`, `35万元`, a bare number is 元) and kept in its currency; USD is turned
into 元 only with an explicit rate (PRODUCT.md, *Units*), and a profile with a USD
amount but no rate is refused, naming the fields.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from zonescope import yamlio
from zonescope.errors import ZoneScopeError
from zonescope.ingest.kinds import customs_modes
from zonescope.subsidy.lines import LineDict, load

UNITS = {"元": ("CNY", 1.0), "万元": ("CNY", 1e4), "亿元": ("CNY", 1e8),
         "人民币": ("CNY", 1.0), "人民币元": ("CNY", 1.0), "万人民币": ("CNY", 1e4),
         "cny": ("CNY", 1.0), "rmb": ("CNY", 1.0),
         "美元": ("USD", 1.0), "万美元": ("USD", 1e4), "亿美元": ("USD", 1e8), "usd": ("USD", 1.0)}
_AMOUNT = re.compile(r"^([+-]?[\d,]*\.?\d+)\s*([^\d\s].*)?$")
_FLAGS = {"true": True, "yes": True, "是": True, "1": True, "y": True,
          "false": False, "no": False, "否": False, "0": False, "n": False}


class BadAmount(ValueError):
    """An amount that is not a non-negative number with a known unit (`key` says which)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Amount:
    """Money as written: a value in 元 or 美元 (`currency` CNY or USD)."""

    value: float
    currency: str
    written: str

    def yuan(self, fx: float | None) -> float | None:
        """In 元; None for USD without a rate."""
        if self.currency == "CNY":
            return self.value
        return None if fx is None else self.value * fx


def parse_amount(raw: Any) -> Amount:
    """`80万美元` -> Amount(800000.0, 'USD'); a bare number is 元.

    >>> parse_amount("75万美元").value, parse_amount(5000).currency
    (750000.0, 'CNY')
    """
    if isinstance(raw, dict):
        raw = f"{raw.get('value', '')}{raw.get('unit', '')}"
    if isinstance(raw, bool) or raw is None:
        raise BadAmount("subsidy.amount_not_number")
    text = unicodedata.normalize("NFKC", str(raw)).strip().replace("，", ",").replace("−", "-")
    match = _AMOUNT.match(text)
    if not match:
        raise BadAmount("subsidy.amount_not_number")
    try:
        number = float(match[1].replace(",", ""))
    except ValueError:
        raise BadAmount("subsidy.amount_not_number") from None
    if not math.isfinite(number):
        raise BadAmount("subsidy.amount_not_number")
    if number < 0:
        raise BadAmount("subsidy.amount_negative")
    unit = (match[2] or "元").strip()
    found = UNITS.get(unit) or UNITS.get(unit.lower())
    if found is None:
        raise BadAmount("subsidy.amount_bad_unit")
    return Amount(number * found[1], found[0], str(raw))


@cache
def fields() -> dict[str, dict[str, str]]:
    """The documented profile fields: name -> {type, zh, en}."""
    path = resources.files("zonescope") / "data" / "subsidy" / "profile.yaml"
    return yamlio.load(path.read_text(encoding="utf-8"))


@dataclass
class Profile:
    """A checked profile; `fx` is the USD_CNY rate used (None: none given)."""

    values: dict[str, Any] = field(default_factory=dict)
    fx: float | None = None
    name: str = ""

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def yuan(self, name: str) -> float | None:
        amount = self.values.get(name)
        return amount.yuan(self.fx) if isinstance(amount, Amount) else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in self.values.items():
            if isinstance(value, Amount):
                out[key] = {"written": value.written, "currency": value.currency,
                            "value": value.value, "yuan": value.yuan(self.fx)}
            else:
                out[key] = list(value) if isinstance(value, tuple) else value
        return {"name": self.name, "fx_usd_cny": self.fx, "fields": out}


def _where(file: str, line: int) -> str:
    return f"{file}:{line}" if line else file


def check_value(name: str, raw: Any, where: str, line: int) -> Any:
    """One field's value in its type, or a message naming the field and line."""
    spec = fields().get(name)
    if spec is None:
        close = difflib.get_close_matches(name, list(fields()), n=3)
        raise ZoneScopeError("subsidy.profile_unknown_field", where=_where(where, line),
                             field=name, suggestions=close or list(fields()))
    kind = spec["type"]
    params = {"where": _where(where, line), "field": name, "value": str(raw)}
    if kind == "money":
        try:
            return parse_amount(raw)
        except BadAmount as bad:
            raise ZoneScopeError(f"{bad.key}_in", **params) from None
    if kind == "count":
        number = raw if isinstance(raw, int) and not isinstance(raw, bool) else \
            (int(raw) if isinstance(raw, str) and raw.strip().isdigit() else None)
        if number is None or number < 0:
            raise ZoneScopeError("subsidy.profile_bad_count", **params)
        return number
    if kind == "flag":
        flag = raw if isinstance(raw, bool) else _FLAGS.get(str(raw).strip().lower())
        if flag is None:
            raise ZoneScopeError("subsidy.profile_bad_flag", **params)
        return flag
    items = raw if isinstance(raw, list) else [p for p in re.split(r"[,，、;\s]+", str(raw)) if p]
    items = [str(i).strip() for i in items]
    if kind == "modes":
        unknown = [i for i in items if i not in customs_modes()]
        if unknown:
            raise ZoneScopeError("subsidy.profile_bad_modes", **params, known=list(customs_modes()))
    return tuple(items) if kind in ("modes", "ids") else str(raw)


def parse_rate(raw: Any, where: str) -> float:
    try:
        rate = float(str(raw).strip())
    except ValueError:
        raise ZoneScopeError("subsidy.profile_bad_fx", file=where, value=str(raw)) from None
    if not math.isfinite(rate) or rate <= 0:
        raise ZoneScopeError("subsidy.profile_bad_fx", file=where, value=str(raw))
    return rate


def build_profile(data: dict[str, Any], where: str, fx: float | None = None) -> Profile:
    """Check every field of `data` (a parsed file or --set pairs); `fx` overrides the file's."""
    if not isinstance(data, dict):
        raise ZoneScopeError("subsidy.profile_not_mapping", file=where)
    lines = data.lines if isinstance(data, LineDict) else {}
    values: dict[str, Any] = {}
    rate = fx
    for name, raw in data.items():
        if name == "fx":
            given = raw.get("USD_CNY") if isinstance(raw, dict) else raw
            rate = fx if fx is not None else parse_rate(given, where)
            continue
        values[name] = check_value(name, raw, where, lines.get(name, 0))
    profile = Profile(values, rate, str(values.pop("name", "") or ""))
    usd = [k for k, v in profile.values.items() if isinstance(v, Amount) and v.currency == "USD"]
    if usd and rate is None:
        raise ZoneScopeError("subsidy.profile_fx_missing", file=where, fields=usd)
    return profile


def read_profile(path: Path | str, fx: float | None = None,
                 overrides: dict[str, str] | None = None) -> Profile:
    """A profile from a YAML or JSON file, with `--set` overrides applied on top."""
    target = Path(path).expanduser()
    if not target.is_file():
        raise ZoneScopeError("subsidy.profile_missing", file=str(path))
    data = load(target.read_text(encoding="utf-8-sig"), target.name)
    if data is None:
        data = LineDict()
        data.lines = {}
    if not isinstance(data, dict):
        raise ZoneScopeError("subsidy.profile_not_mapping", file=target.name)
    for key, value in (overrides or {}).items():
        data[key] = value
        data.lines[key] = 0
    return build_profile(data, target.name, fx)


def parse_sets(pairs: list[str]) -> dict[str, str]:
    """`["site_sales=80万美元", "own_brand=是"]` -> a dict; a pair without = is refused."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ZoneScopeError("subsidy.bad_set", value=pair)
        out[key.strip()] = value.strip()
    return out
