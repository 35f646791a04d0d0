"""Loading the bundled datasets (`data/bundled.yaml`) into a store, once."""

from __future__ import annotations

import csv
import hashlib
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import duckdb

from zonescope import yamlio
from zonescope.ingest.importer import import_file
from zonescope.store import writer


def _data(path: str) -> Traversable:
    return resources.files("zonescope") / "data" / path


@cache
def manifest() -> dict[str, list[dict[str, Any]]]:
    return yamlio.load(_data("bundled.yaml").read_text(encoding="utf-8"))


def _digest(paths: list[str]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(_data(path).read_bytes())
    return digest.hexdigest()


def _loaded(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    rows = con.execute("SELECT file_name, sha256 FROM imports WHERE origin = 'bundled'").fetchall()
    return {(r[0], r[1]) for r in rows}


def pending(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether some bundled file is not yet in the store in its current version."""
    loaded = _loaded(con)
    spec = manifest()
    for ref in spec["reference"]:
        if (ref["table"], _digest(ref["paths"])) not in loaded:
            return True
    return any(("bundled:" + d["path"], _digest([d["path"]])) not in loaded
               for d in spec["datasets"])


def load_bundled(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Load what is missing or changed; return the names loaded (empty when up to date)."""
    loaded = _loaded(con)
    done: list[str] = []
    spec = manifest()
    for ref in spec["reference"]:
        digest = _digest(ref["paths"])
        if (ref["table"], digest) in loaded:
            continue
        rows = [row for path in ref["paths"] for row in _csv_rows(path)]
        meta = writer.ImportMeta(ref["table"], ref["table"], digest, "bundled")
        writer.replace_table(con, ref["table"], rows, meta)
        done.append(ref["table"])
    for dataset in spec["datasets"]:
        name = "bundled:" + dataset["path"]
        if (name, _digest([dataset["path"]])) in loaded:
            continue
        with resources.as_file(_data(dataset["path"])) as path:
            import_file(con, Path(path), dataset["kind"], origin="bundled", display_name=name,
                        fx=dataset.get("fx"))
        done.append(name)
    return done


def _csv_rows(path: str) -> list[dict[str, Any]]:
    """Rows of a bundled CSV or YAML list, with empty cells as None."""
    text = _data(path).read_text(encoding="utf-8")
    rows = (yamlio.load(text) if path.endswith(".yaml")
            else list(csv.DictReader(text.splitlines())))
    return [{k: (None if v in ("", None) else str(v)) for k, v in row.items()} for row in rows]
