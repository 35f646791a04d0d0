"""Reference values as data (`data/index/reference.yaml`): Saaty's RI, the Ministry's tiers."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from zonescope import yamlio


@cache
def reference() -> dict[str, Any]:
    """The parsed reference file (loaded once)."""
    text = (resources.files("zonescope") / "data" / "index" / "reference.yaml").read_text(
        encoding="utf-8")
    return yamlio.load(text)


def random_index(n: int) -> float | None:
    """Saaty's RI for order `n`, or None beyond the published table.

    >>> random_index(8)
    1.41
    """
    return reference()["random_index"]["values"].get(n)


def max_cr() -> float:
    return float(reference()["random_index"]["max_cr"])


def default_tiers() -> dict[str, Any]:
    """The Ministry's four tier names with the 2022 round's shares."""
    tiers = reference()["tiers"]
    return {"method": "quantile", "shares": list(tiers["shares"]),
            "names": [dict(n) for n in tiers["names"]]}
