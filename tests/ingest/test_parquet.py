"""Customs detail as Parquet (`--to-parquet DIR`), and its totals stored (`trade aggregate`).

Bad input first: a rejected file leaves no file behind, a directory whose schema
differs is named with the column, and nothing is half-written in the store. Then
the round trip: the rows in Parquet are the rows the store would hold, and the
totals written back equal the importer's own aggregates of the same file.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.ingest.test_customs_detail import FULL, generator, platform_csv
from typer.testing import Result

import zonescope
from zonescope.ingest.parquet import SCHEMA, dataset_files

Cli = Callable[..., Result]
Writer = Callable[..., Path]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()} if folder.exists() else {}


def _error(result: Result) -> dict[str, Any]:
    assert result.exit_code == 2, result.output
    return json.loads(result.stdout)


@pytest.fixture
def dataset(tmp_path: Path, cli_json: Callable[..., Any]) -> Path:
    """A dataset of one generated monthly file (800 rows, every dimension)."""
    path = generator().write(tmp_path / "detail.csv", 800, monthly=True, seed=5)
    folder = tmp_path / "pq"
    report = cli_json("import", str(path), "--kind", "customs-detail", "--flow", "export",
                      "--to-parquet", str(folder))
    assert report["rows"] == 800 and report["import_id"] == 1
    return folder


def _bad_copy(tmp_path: Path, table: pa.Table) -> Path:
    folder = tmp_path / "bad"
    target = folder / "year=2024" / "month=01" / "part-0.parquet"
    target.parent.mkdir(parents=True)
    pq.write_table(table, target)
    return folder


def test_a_rejected_file_leaves_no_parquet_behind(cli: Cli, write_file: Writer,
                                                  state: Callable[[], Any],
                                                  tmp_path: Path) -> None:
    before = state()
    bad = write_file("出口.csv", platform_csv(
        FULL, "202403,61091000,衫,502,美国,9610,电商,33,浙江省,1,件,,,100",
        "202403,61091000,衫,502,美国,9610,电商,99,火星,1,件,,,abc"))
    folder = tmp_path / "new"
    error = _error(cli("import", str(bad), "--kind", "customs-detail", "--to-parquet",
                       str(folder), "--json"))
    assert error["error"] == "import.rejected"
    assert {(p["row"], p["code"]) for p in error["problems"]} == {
        (3, "customs_detail.unknown_region"), (3, "value.not_a_number")}
    assert not folder.exists() and state() == before


def test_a_rejected_file_leaves_an_existing_dataset_as_it_was(
        cli: Cli, dataset: Path, write_file: Writer) -> None:
    before = _tree(dataset)
    bad = write_file("出口.csv", platform_csv("数据年月,人民币", "202401,1", "202413,2"))
    error = _error(cli("import", str(bad), "--kind", "customs-detail", "--to-parquet",
                       str(dataset), "--json"))
    assert error["problems"][0]["row"] == 3
    assert _tree(dataset) == before  # no staging folder, no manifest, no file


def test_to_parquet_is_for_customs_detail_only(cli: Cli, write_file: Writer,
                                               tmp_path: Path) -> None:
    path = write_file("t.csv", "地区,期间,口径,流向,值（亿元）,来源\n深圳,2024-01,ytd,export,1,x\n")
    error = _error(cli("import", str(path), "--kind", "trade", "--to-parquet",
                       str(tmp_path / "pq"), "--json"))
    assert error["error"] == "parquet.kind_only"
    target = write_file("file", "x")
    error = _error(cli("import", str(write_file("出口.csv", platform_csv("数据年月,人民币",
                                                                       "202401,1"))),
                       "--kind", "customs-detail", "--to-parquet", str(target), "--json"))
    assert error["error"] == "parquet.not_a_directory"


@pytest.mark.parametrize(("change", "key", "column"), [
    (lambda t: t.drop_columns(["region_id"]), "parquet.missing_column", "region_id"),
    (lambda t: t.set_column(t.schema.get_field_index("hs_code"), "hs_code",
                            pa.array([3019110] * t.num_rows, pa.int64())),
     "parquet.wrong_type", "hs_code"),
    (lambda t: t.set_column(t.schema.get_field_index("value"), "value",
                            pa.array(["1,234"] * t.num_rows)), "parquet.wrong_type", "value"),
])
@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_a_directory_of_another_schema_is_refused_before_any_engine_starts(
        cli: Cli, state: Callable[[], Any], dataset: Path, tmp_path: Path, engine: str,
        change: Callable[[pa.Table], pa.Table], key: str, column: str) -> None:
    before = state()
    table = pq.read_table(dataset_files(dataset)[0]).select(SCHEMA.names)
    folder = _bad_copy(tmp_path, change(table))
    for args in (("trade", "aggregate"), ("trade", "modes", "广东")):
        # --spark at a closed port: had the engine been started first, the error would differ
        error = _error(cli(*args, "--detail", str(folder), "--engine", engine, "--spark",
                           "sc://127.0.0.1:9", "--json"))
        assert error["error"] == key and column in error["message"]
        assert "part-0.parquet" in error["message"]
    assert state() == before


def test_missing_empty_or_damaged_directories(cli: Cli, dataset: Path, tmp_path: Path,
                                              state: Callable[[], Any]) -> None:
    before = state()
    for folder, key in ((tmp_path / "nowhere", "parquet.missing"),
                        (tmp_path, "parquet.empty")):
        if folder == tmp_path:
            folder = tmp_path / "empty"
            folder.mkdir()
        assert _error(cli("trade", "aggregate", "--detail", str(folder), "--json")
                      )["error"] == key
    assert _error(cli("trade", "aggregate", "--json"))["error"] == "trade.aggregate.needs_detail"
    lost = dataset_files(dataset)[0]
    lost.unlink()
    error = _error(cli("trade", "partners", "广东", "--detail", str(dataset), "--json"))
    assert error["error"] == "parquet.file_lost" and lost.name in error["message"]
    (dataset / "_imports" / "1.json").write_text("{", encoding="utf-8")
    assert _error(cli("trade", "aggregate", "--detail", str(dataset), "--json")
                  )["error"] == "parquet.bad_manifest"
    assert state() == before


def test_files_without_a_manifest_are_not_read(dataset: Path) -> None:
    """What an import killed between moving its files and writing its manifest leaves."""
    files = dataset_files(dataset)
    orphan = dataset / "year=2031" / "month=01" / "import-2-0.parquet"
    orphan.parent.mkdir(parents=True)
    shutil.copy(files[0], orphan)
    assert dataset_files(dataset) == files
    # a directory written by another tool (no manifests) is read whole, hidden parts aside
    foreign = dataset.parent / "foreign"
    shutil.copytree(dataset, foreign, ignore=shutil.ignore_patterns("_imports"))
    (foreign / ".staging-9").mkdir()
    shutil.copy(files[0], foreign / ".staging-9" / "x.parquet")
    assert len(dataset_files(foreign)) == len(files) + 1


def test_parquet_rows_are_the_rows_the_store_holds(dataset: Path, zs: zonescope.ZoneScope,
                                                   tmp_path: Path) -> None:
    files = dataset_files(dataset)
    assert {f.parent.parent.name + "/" + f.parent.name for f in files} == {
        f"year=2024/month={m:02d}" for m in range(1, 13)}
    stored = pa.concat_tables([pq.read_table(f) for f in files])
    assert stored.schema == SCHEMA
    zs.import_file(tmp_path / "detail.csv", "customs-detail", flow="export")
    columns = [c for c in SCHEMA.names if c != "import_id"]
    expected = zs.sql(f"SELECT {', '.join(columns)} FROM customs_detail").rows
    got = stored.select(columns).to_pylist()
    assert sorted(map(repr, expected)) == sorted(repr(tuple(r.values())) for r in got)
    manifest = json.loads((dataset / "_imports" / "1.json").read_text(encoding="utf-8"))
    assert manifest["rows"] == 800 and manifest["file_name"] == "detail.csv"
    assert sorted(manifest["files"]) == sorted(f.relative_to(dataset).as_posix() for f in files)


def test_stored_totals_equal_the_importers_aggregates(
        cli_json: Callable[..., Any], dataset: Path, tmp_path: Path, seeded_store: Path,
        write_file: Writer) -> None:
    # a second import to the same dataset: a total over Jan–Jun without 数据年月, in USD
    usd = generator().write(tmp_path / "usd.csv", 300, seed=6, currency="USD",
                            columns=("商品编码", "注册地编码"))
    cli_json("import", str(usd), "--kind", "customs-detail", "--flow", "import", "--period",
             "2024-01:2024-06", "--fx", "USD_CNY=7.1", "--to-parquet", str(dataset))
    stored = cli_json("trade", "aggregate", "--detail", str(dataset), "--fx", "USD_CNY=7.1")
    assert stored["added"] > 0 and stored["engine"] == "duckdb"
    other = tmp_path / "other.duckdb"
    shutil.copy(seeded_store, other)
    with zonescope.open(other) as zs:
        ids = [zs.import_file(tmp_path / "detail.csv", "customs-detail", flow="export"
                              ).import_id,
               zs.import_file(usd, "customs-detail", ["USD_CNY=7.1"], flow="import",
                              period="2024-01:2024-06").import_id]
        imported = zs.sql("SELECT region_id, period, span, flow, mode, value, unit, value_raw, "
                          "unit_raw, fx_rate FROM trade WHERE import_id IN "
                          f"({ids[0]}, {ids[1]}) ORDER BY ALL").rows
    from_parquet = cli_json("sql", "SELECT region_id, period, span, flow, mode, value, unit, "
                            "value_raw, unit_raw, fx_rate FROM trade WHERE import_id = "
                            f"{stored['import_id']} ORDER BY ALL")["rows"]
    assert [tuple(r.values()) for r in from_parquet] == [tuple(r) for r in imported]
    assert {r[2] for r in imported} == {"month", "ytd"}
    again = cli_json("trade", "aggregate", "--detail", str(dataset), "--fx", "USD_CNY=7.1")
    assert (again["added"], again["updated"]) == (0, 0)


def test_usd_totals_need_a_rate_and_nothing_is_written(
        cli: Cli, cli_json: Callable[..., Any], state: Callable[[], Any], tmp_path: Path) -> None:
    usd = generator().write(tmp_path / "usd.csv", 50, monthly=True, seed=8, currency="USD")
    folder = tmp_path / "usd"
    cli_json("import", str(usd), "--kind", "customs-detail", "--flow", "export", "--fx",
             "USD_CNY=7.1", "--to-parquet", str(folder))
    before = state()
    error = _error(cli("trade", "aggregate", "--detail", str(folder), "--json"))
    assert error["error"] == "rollup.usd_needs_fx" and str(folder) in error["message"]
    assert state() == before


def test_kill_9_while_storing_totals_leaves_the_store_unchanged(
        dataset: Path, store_path: Path, state: Callable[[], Any],
        kill_at_commit: Callable[..., None]) -> None:
    before = state()
    kill_at_commit(store_path, "trade", "aggregate", "--detail", str(dataset))
    assert state() == before
