#!/usr/bin/env python
"""Generate ``src/zonescope/data/geo/china-provinces.geojson`` from npm ``echarts@4.9.0``.

Run from the repository root with the package tarball fetched by npm::

    npm pack echarts@4.9.0             # echarts-4.9.0.tgz, Apache-2.0
    python scripts/build_geo.py echarts-4.9.0.tgz

ECharts 4 ships ``map/json/china.json``: the 34 provincial-level regions, already
simplified (61 KB), with coordinates packed in its "UTF8Encoding" (zig-zag delta
codes, scale 1024). This script decodes them (the algorithm of ECharts'
``parseGeoJson.js``), rounds to 0.01° (about 1 km, ample for a country map),
keys each feature by its GB/T 2260 code and writes plain GeoJSON that Plotly
draws offline. The output is deterministic.
"""

from __future__ import annotations

import json
import sys
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "zonescope" / "data" / "geo"
MEMBER = "package/map/json/china.json"


def decode_ring(text: str, offsets: list[int], scale: float) -> list[list[float]]:
    """One ring of ECharts' UTF-8 encoding back to [lon, lat] pairs."""
    prev_x, prev_y = offsets
    ring = []
    for i in range(0, len(text), 2):
        x, y = ord(text[i]) - 64, ord(text[i + 1]) - 64
        x, y = (x >> 1) ^ -(x & 1), (y >> 1) ^ -(y & 1)
        x, y = x + prev_x, y + prev_y
        prev_x, prev_y = x, y
        ring.append([round(x / scale, 2), round(y / scale, 2)])
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring


def decode(data: dict) -> dict:
    scale = data.get("UTF8Scale", 1024)
    features = []
    for feature in sorted(data["features"], key=lambda f: f["id"]):
        geometry = feature["geometry"]
        offsets = geometry["encodeOffsets"]
        if geometry["type"] == "Polygon":
            coords = [[decode_ring(r, o, scale) for r, o in zip(geometry["coordinates"], offsets,
                                                                  strict=True)]]
        else:
            coords = [[decode_ring(r, o, scale) for r, o in zip(poly, poly_off, strict=True)]
                      for poly, poly_off in zip(geometry["coordinates"], offsets, strict=True)]
        code = feature["id"]
        features.append({"type": "Feature", "id": code,
                         "properties": {"id": code, "name": feature["properties"]["name"]},
                         "geometry": {"type": "MultiPolygon", "coordinates": coords}})
    return {"type": "FeatureCollection", "features": features}


def main(tarball: str) -> None:
    with tarfile.open(tarball) as tar:
        handle = tar.extractfile(MEMBER)
        assert handle is not None
        data = json.load(handle)
    out = decode(data)
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(out, ensure_ascii=False, separators=(",", ":"))
    (OUT / "china-provinces.geojson").write_text(text + "\n", encoding="utf-8")
    print(f"{len(out['features'])} features, {len(text):,} characters")


if __name__ == "__main__":
    main(sys.argv[1])
