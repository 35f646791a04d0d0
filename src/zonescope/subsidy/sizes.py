"""Comparing the cities' support across enterprise sizes (`zonescope subsidy compare`).

Sizes are named profiles in `data/subsidy/sizes.yaml` (illustrative assumptions,
not article data) or profile files given by path.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from zonescope.errors import ZoneScopeError
from zonescope.subsidy.calc import calculate
from zonescope.subsidy.lines import load
from zonescope.subsidy.profile import Profile, build_profile, read_profile

SIZES_FILE = "sizes.yaml"


def named_sizes() -> dict[str, Any]:
    path = resources.files("zonescope") / "data" / "subsidy" / SIZES_FILE
    return load(path.read_text(encoding="utf-8"), SIZES_FILE)


def size_profiles(names: list[str], fx: float | None) -> dict[str, Profile]:
    """Each name is a bundled size (small, medium, large) or a profile file."""
    bundled = named_sizes()
    out: dict[str, Profile] = {}
    for name in names or list(bundled):
        if name in bundled:
            out[name] = build_profile(bundled[name], f"{SIZES_FILE}:{name}", fx)
        elif Path(name).expanduser().is_file():
            out[Path(name).stem] = read_profile(name, fx)
        else:
            raise ZoneScopeError("subsidy.unknown_size", size=name, known=list(bundled))
    return out


def compare_sizes(profiles: dict[str, Profile], city: str | None = None) -> dict[str, Any]:
    """A city × size table of amounts (元), statuses and whether each is a maximum."""
    results = {name: calculate(p, city)["cities"] for name, p in profiles.items()}
    first = next(iter(results.values()))
    rows = []
    for i, entry in enumerate(first):
        cells = {name: {"status": cities[i]["status"], "amount": cities[i]["amount"],
                        "maximum": cities[i]["maximum"]} for name, cities in results.items()}
        rows.append({"city": entry["city"], "region_id": entry["region_id"],
                     "name_en": entry["name_en"], "sizes": cells, "policy": entry["policy"]})
    return {"sizes": {n: p.to_dict() for n, p in profiles.items()}, "rows": rows}
