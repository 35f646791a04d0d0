"""The store: migrations, schema versions, bundled data, the one write path."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

import zonescope
from zonescope.errors import StoreError
from zonescope.store import connection, writer
from zonescope.store.queries import snapshot

SRC = Path(zonescope.__file__).parent


def test_new_store_is_migrated_and_populated(tmp_path: Path) -> None:
    with zonescope.open(tmp_path / "new.duckdb") as zs:
        assert zs.store.schema_version() == connection.latest_version()
        assert "regions" in zs.store.loaded
        datasets = {d["dataset"]: d for d in zs.status()}
    assert datasets["regions"]["rows"] > 3000
    assert datasets["pilot_zones"]["rows"] == 181


def test_loading_bundled_data_twice_changes_nothing(store_path: Path) -> None:
    with zonescope.open(store_path) as zs:
        before = snapshot(zs.store.con)
        assert zs.store.loaded == []  # the seeded copy is already complete
        assert zs.store.migrated == []
    with zonescope.open(store_path) as zs:
        assert snapshot(zs.store.con) == before


def test_older_store_is_migrated(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = connection.Migration(connection.latest_version() + 1, "add_test_column",
                                 "ALTER TABLE trade ADD COLUMN test_column TEXT;")
    current = connection.migrations()
    monkeypatch.setattr(connection, "migrations", lambda: [*current, extra])
    monkeypatch.setattr(writer, "migrations", lambda: [*current, extra])
    monkeypatch.setattr(writer, "latest_version", lambda: extra.version)
    with zonescope.open(store_path) as zs:
        _ = zs.store.con
        assert zs.store.migrated == [extra.version]
        columns = [r[0] for r in zs.store.con.execute("DESCRIBE trade").fetchall()]
    assert "test_column" in columns


def test_newer_store_is_refused(store_path: Path) -> None:
    con = duckdb.connect(str(store_path))
    con.execute("INSERT INTO schema_migrations VALUES (99, 'future', now())")
    con.close()
    with zonescope.open(store_path) as zs, pytest.raises(StoreError) as info:
        _ = zs.store.con
    assert info.value.key == "store.too_new"
    assert "99" in info.value.render("zh") and "99" in info.value.render("en")


def test_foreign_database_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE mine (x INTEGER)")
    con.close()
    with zonescope.open(path) as zs, pytest.raises(StoreError) as info:
        _ = zs.store.con
    assert info.value.key == "store.foreign_schema"


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("not a database", encoding="utf-8")
    with zonescope.open(path) as zs, pytest.raises(StoreError) as info:
        _ = zs.store.con
    assert info.value.key == "store.not_a_store"


def test_migrations_are_numbered_without_gaps() -> None:
    versions = [m.version for m in connection.migrations()]
    assert versions == list(range(1, len(versions) + 1))


WRITE = re.compile(r"\b(INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|CREATE\s+(OR\s+REPLACE\s+)?"
                   r"(TEMP\s+)?TABLE|DROP\s+TABLE|ALTER\s+TABLE)\b", re.IGNORECASE)


def test_exactly_one_module_writes_to_the_store() -> None:
    writers = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                     if WRITE.search(p.read_text(encoding="utf-8")))
    assert writers == ["store/writer.py"]


def test_reset_rebuilds_from_bundled_data(zs: zonescope.ZoneScope, write_file) -> None:  # type: ignore[no-untyped-def]
    path = write_file("t.csv", "region,period,span,flow,mode,value,unit,source\n"
                               "深圳,2031-06,ytd,export,all,1,亿元,test\n")
    zs.import_file(path, "trade")
    zs.store.reset()
    assert zs.sql("SELECT count(*) FROM trade WHERE source = 'test'").rows == [(0,)]


def test_a_read_only_store_is_never_written(zs: zonescope.ZoneScope) -> None:
    """The writer checks before BEGIN: a read-only connection (as beside a server) refuses
    with a message, not a DuckDB error, and the file is unchanged."""
    path = zs.store.path
    before = snapshot(zs.store.con)
    zs.store.close()
    con = connection.connect(path, read_only=True)
    try:
        with pytest.raises(StoreError) as caught:
            writer.write_index_run(con, {"kind": "build", "framework_id": "x",
                                         "created_at": "2026-01-01", "framework": "{}",
                                         "framework_file": "x.yaml", "raw": "[]",
                                         "log": "[]", "results": "[]"})
        assert caught.value.key == "store.read_only"
        assert str(path) in caught.value.render("en")
    finally:
        con.close()
    assert snapshot(zs.store.con) == before
