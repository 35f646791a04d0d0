"""Turning what users type (深圳, 鹏城, 甬, 宁波地区, Shenzhen, 440300) into a region.

Matching goes in tiers — id, official name, curated alias or English name, short
name — and stops at the first tier that matches. Ties are never broken silently:
several regions at one tier raise `RegionAmbiguous` with every candidate, except
that a short name shared by regions of different levels resolves to the single
highest one (抚顺 → 抚顺市, not 抚顺县), and the others are reported alongside.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from zonescope.errors import RegionAmbiguous, RegionNotFound, ZoneScopeError
from zonescope.regions.registry import LEVELS, Region, Registry, registry

_TIERS = ("name", "alias", "short")


@dataclass(frozen=True)
class Resolution:
    region: Region
    matched_by: str
    alternatives: tuple[Region, ...] = ()


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), no spaces, case-folded.

    >>> normalise(" Ｓｈｅｎ zhen ")
    'shenzhen'
    """
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@cache
def _index() -> dict[str, dict[str, list[Region]]]:
    reg = registry()
    index: dict[str, dict[str, list[Region]]] = {tier: {} for tier in _TIERS}

    def add(tier: str, key: str, region: Region) -> None:
        bucket = index[tier].setdefault(normalise(key), [])
        if region not in bucket:
            bucket.append(region)

    for region in reg:
        add("name", region.name_zh, region)
        add("alias", region.name_en, region)
        for alias in region.aliases:
            add("alias", alias, region)
        if region.short_zh != region.name_zh:
            add("short", region.short_zh, region)
    return index


def resolve(text: str, *, level: str | Iterable[str] | None = None,
            within: str | None = None, reg: Registry | None = None) -> Resolution:
    """Find the one region `text` names, optionally restricted by level or ancestor.

    >>> resolve("甬").region.name_zh
    '宁波市'
    >>> resolve("440300").region.short_zh
    '深圳'
    """
    reg = reg or registry()
    levels = check_levels(level)
    query = text.strip()
    if not query:
        raise RegionNotFound("region.empty")
    found = _lookup(query, levels, within, reg) or _resolve_composite(query, levels, within, reg)
    if found is not None:
        return found
    raise RegionNotFound("region.not_found", name=query,
                         candidates=[r.label() for r in suggest(query, reg=reg)])


def _lookup(query: str, levels: set[str], within: str | None, reg: Registry
            ) -> Resolution | None:
    """The tiers alone (id, name, alias, short name): no composites, no suggestions."""
    direct = reg.get(query)
    if direct is not None and direct.level in levels:
        return Resolution(direct, "id")
    key = normalise(query)
    for tier in _TIERS:
        found = [r for r in _index()[tier].get(key, []) if _fits(r, levels, within, reg)]
        if found:
            return _pick(query, tier, found, reg)
    return None


def check_levels(level: str | Iterable[str] | None) -> set[str]:
    """The set of levels asked for; an unknown level is an error, not an empty result."""
    levels = {level} if isinstance(level, str) else set(level) if level else set(LEVELS)
    unknown = sorted(levels - set(LEVELS))
    if unknown:
        raise ZoneScopeError("region.bad_level", level="、".join(unknown), levels=list(LEVELS))
    return levels


def suggest(text: str, limit: int = 3, reg: Registry | None = None) -> list[Region]:
    """Regions whose names look like `text`, nearest first (for 'did you mean')."""
    reg = reg or registry()
    key = normalise(text)
    pool: dict[str, list[Region]] = {}
    for tier in _TIERS:
        for name, regions in _index()[tier].items():
            pool.setdefault(name, []).extend(regions)
    close = difflib.get_close_matches(key, list(pool), n=limit * 3, cutoff=0.5)
    seen: dict[str, Region] = {}
    for name in close:
        for region in sorted(pool[name], key=lambda r: LEVELS.index(r.level)):
            seen.setdefault(region.id, region)
    return list(seen.values())[:limit]


def _fits(region: Region, levels: set[str], within: str | None, reg: Registry) -> bool:
    if region.level not in levels:
        return False
    return within is None or within in {a.id for a in reg.ancestors(region)} | {region.id}


def _pick(query: str, tier: str, found: list[Region], reg: Registry) -> Resolution:
    if len(found) == 1:
        return Resolution(found[0], tier)
    if tier == "short":
        top = min(LEVELS.index(r.level) for r in found)
        highest = [r for r in found if LEVELS.index(r.level) == top]
        if len(highest) == 1:
            others = tuple(r for r in found if r is not highest[0])
            return Resolution(highest[0], tier, others)
    raise RegionAmbiguous("region.ambiguous", name=query,
                          candidates=[f"{r.label()} — {reg.path(r)}" for r in found])


def _resolve_composite(query: str, levels: set[str], within: str | None,
                       reg: Registry, depth: int = 2) -> Resolution | None:
    """`浙江省宁波市`, `浙江省宁波市慈溪市`: known names, each inside the one before.

    Each part is looked up in the tiers only, and nesting stops at `depth`, so the
    cost stays quadratic in the length of the text however long an unknown name is.
    """
    if depth == 0:
        return None
    all_levels = set(LEVELS)
    for cut in range(len(query) - 1, 1, -1):
        head, tail = query[:cut], query[cut:]
        try:
            parent = _lookup(head, all_levels, within, reg)
        except RegionAmbiguous:
            continue
        if parent is None:
            continue
        try:
            found = _lookup(tail, levels, parent.region.id, reg) or _resolve_composite(
                tail, levels, parent.region.id, reg, depth - 1)
        except RegionAmbiguous:
            continue
        if found is not None:
            return found
    return None
