"""The identity of every place: codes, levels, parents, names, aliases, pilot zones."""

from zonescope.regions.registry import PilotZone, Region, Registry, registry

__all__ = ["PilotZone", "Region", "Registry", "registry"]
