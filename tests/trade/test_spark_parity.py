"""Every trade metric and detail measure gives the same answer on DuckDB and on Spark local[2].

One Spark session for the whole run (`spark` fixture); the same Ibis expressions
run on both engines over the same data — the bundled store (trade, regions) and a
synthetic customs detail imported both into the store and as a Parquet dataset
(monthly rows with every dimension, a newer partner-only export of the same
months, and a multi-month total without 数据年月). Results are compared row by
row after sorting; floats must match exactly except in the columns named per
check, which are sums whose order of addition differs between the engines.
"""

from __future__ import annotations

import inspect
import math
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ibis.expr.types as ir
import pandas as pd
import pytest
from tests.ingest.test_customs_detail import generator

import zonescope
from zonescope.ingest.customs_detail import DetailOptions
from zonescope.ingest.parquet import import_to_parquet
from zonescope.trade import SeriesQuery, detail, get_ranking, get_series, get_share, metrics, rollup
from zonescope.trade.engine import Engine, Tables, open_detail, open_tables
from zonescope.trade.rollup import get_totals

pytestmark = pytest.mark.slow
# sums (and what is computed from sums) may differ in the last bits between engines
SUMS = ("value", "slice_total", "share_pct", "hhi", "top_share_pct", "total")


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """The one SparkSession of the test run (local[2]); later `--engine spark` calls reuse it."""
    from zonescope.trade.spark import spark_session, stop_sessions

    yield spark_session("local[2]")
    stop_sessions()


@pytest.fixture(scope="module")
def data(seeded_store: Path, tmp_path_factory: pytest.TempPathFactory
         ) -> tuple[Path, Path]:
    """(store, Parquet dir) holding the same three synthetic detail imports."""
    folder = tmp_path_factory.mktemp("parity")
    store = folder / "store.duckdb"
    shutil.copy(seeded_store, store)
    make = generator()
    files = [
        (make.write(folder / "monthly.csv", 1500, monthly=True, seed=11), "export", None),
        (make.write(folder / "partners.csv", 400, monthly=True, seed=12,
                    columns=("数据年月", "贸易伙伴编码", "贸易伙伴名称", "注册地编码")),
         "export", None),
        (make.write(folder / "total.csv", 600, seed=13,
                    columns=("商品编码", "贸易方式编码", "注册地编码")), "import",
         "2024-01:2024-06")]
    with zonescope.open(store) as zs:
        for path, flow, period in files:
            zs.import_file(path, "customs-detail", flow=flow, period=period)
            import_to_parquet(path, path.name, folder / "detail",
                              options=DetailOptions(flow=flow, period=period))
    return store, folder / "detail"


@pytest.fixture(scope="module")
def engines(spark: Any, data: tuple[Path, Path]) -> Iterator[dict[str, Any]]:
    store, parquet = data
    with zonescope.open(store) as zs:
        con = zs.store.con
        yield {"con": con, "zs": zs,
               "duckdb": (open_tables(con), open_detail(con)),
               "spark": (open_tables(con, Engine("spark")), open_detail(con, Engine("spark"))),
               "parquet": {name: open_detail(con, Engine(name, detail=parquet))
                           for name in ("duckdb", "spark")}}


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def assert_same(left: list[dict[str, Any]], right: list[dict[str, Any]],
                tolerant: tuple[str, ...] = ()) -> None:
    """Same rows in any order; `tolerant` float columns equal to 1e-9 relative, others exactly."""
    assert len(left) == len(right) > 0
    assert list(left[0]) == list(right[0])

    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple((v is None, f"{v:.6g}" if isinstance(v, float) and k in tolerant
                      else repr(v)) for k, v in row.items())

    for a, b in zip(sorted(left, key=key), sorted(right, key=key), strict=True):
        for column, value in a.items():
            other = b[column]
            if column in tolerant and isinstance(value, float) and isinstance(other, float):
                assert math.isclose(value, other, rel_tol=1e-9, abs_tol=1e-9), (column, a, b)
            else:
                assert value == other, (column, a, b)


def both(engines: dict[str, Any], build: Callable[[Tables, ir.Table], ir.Table],
         tolerant: tuple[str, ...] = ()) -> None:
    duck, spark = engines["duckdb"], engines["spark"]
    assert_same(_records(build(*duck).execute()), _records(build(*spark).execute()), tolerant)


TRADE_METRICS: dict[str, Callable[[Tables, ir.Table], ir.Table]] = {
    "single_months": lambda t, d: metrics.single_months(t.trade),
    "cumulative_from_months": lambda t, d: metrics.cumulative_from_months(t.trade),
    "growth": lambda t, d: metrics.growth(t.trade),
    "single_month_growth": lambda t, d: metrics.single_month_growth(t.trade),
    "parent_links": lambda t, d: metrics.parent_links(t.regions),
    "with_parent": lambda t, d: metrics.with_parent(t.trade, metrics.parent_links(t.regions)),
    "shares": lambda t, d: metrics.shares(t.trade, metrics.parent_links(t.regions)),
    "ranks": lambda t, d: metrics.ranks(t.trade, t.regions),
    "ranks_by_growth": lambda t, d: metrics.ranks(t.trade, t.regions, by="growth"),
    "ranks_by_share": lambda t, d: metrics.ranks(t.trade, t.regions, by="share"),
    "balance": lambda t, d: metrics.balance(t.trade),
}
DETAIL_MEASURES: dict[str, Callable[[ir.Table], ir.Table]] = {
    "labelled": detail.labelled,
    "imports_of": detail.imports_of,
    "newest_sums": lambda d: detail.newest_sums(d, "partner", partner_code=d.partner_code),
    "mode_shares": lambda d: detail.mode_shares(d, detail.mode_names()),
    "partner_shares": detail.partner_shares,
    "chapter_shares": detail.chapter_shares,
    "concentration": detail.concentration,
    "totals": rollup.totals,
}


def test_every_expression_is_checked() -> None:
    """A metric added to metrics.py or detail.py without a parity check fails here."""
    for module, checked in ((metrics, TRADE_METRICS), (detail, DETAIL_MEASURES),
                            (rollup, DETAIL_MEASURES)):
        builders = {name for name, fn in inspect.getmembers(module, inspect.isfunction)
                    if fn.__module__ == module.__name__ and not name.startswith(("_", "get_"))
                    and "Table" in str(inspect.signature(fn).return_annotation)}
        builders -= {"detail_table", "mode_names"}  # the store's table, a constant memtable
        assert builders <= {name.split("_by_")[0] for name in checked}, builders - set(checked)


@pytest.mark.parametrize("name", list(TRADE_METRICS))
def test_trade_metric(engines: dict[str, Any], name: str) -> None:
    both(engines, TRADE_METRICS[name])


@pytest.mark.parametrize("name", list(DETAIL_MEASURES))
def test_detail_measure_over_the_store(engines: dict[str, Any], name: str) -> None:
    both(engines, lambda t, d: DETAIL_MEASURES[name](d), SUMS)


@pytest.mark.parametrize("name", list(DETAIL_MEASURES))
def test_detail_measure_over_parquet(engines: dict[str, Any], name: str) -> None:
    duck, spark = engines["parquet"]["duckdb"], engines["parquet"]["spark"]
    build = DETAIL_MEASURES[name]
    assert_same(_records(build(duck).execute()), _records(build(spark).execute()), SUMS)


def test_parquet_holds_what_the_store_holds(engines: dict[str, Any]) -> None:
    """The same files imported to the store and to Parquet give the same measures."""
    store, parquet = engines["duckdb"][1], engines["parquet"]["spark"]
    for build in (detail.concentration, detail.partner_shares):
        assert_same(_records(build(store).execute()),
                    _records(build(parquet).execute()), SUMS)


def test_query_functions(engines: dict[str, Any]) -> None:
    """The get_* functions the CLI, reports and web app call return identical rows."""
    con, zs = engines["con"], engines["zs"]
    duck, spark = engines["duckdb"][0], engines["spark"][0]
    for region in ("广东", "宁波"):
        query = SeriesQuery(zs.region(region))
        assert_same(get_series(con, query, duck), get_series(con, query, spark))
    for kw in ({"level": "province", "period": "2022-06"},
               {"level": "province", "period": "2022-06", "flow": "export", "by": "growth"},
               {"level": "prefecture", "period": "2024-12", "by": "share",
                "parent": zs.region("浙江")}):
        assert_same(get_ranking(con, tables=duck, **kw), get_ranking(con, tables=spark, **kw))
    for region, of in (("深圳", None), ("宁波", "全国")):
        found, parent = zs.region(region), zs.region(of) if of else None
        assert_same(get_share(con, found, period="2024-12", of=parent, tables=duck),
                    get_share(con, found, period="2024-12", of=parent, tables=spark))


def test_detail_query_functions_and_totals(engines: dict[str, Any]) -> None:
    con = engines["con"]
    duck, spark = engines["parquet"]["duckdb"], engines["parquet"]["spark"]
    for get in (detail.get_mode_shares, detail.get_partner_shares, detail.get_concentration):
        assert_same(get(con, "440000", detail=duck), get(con, "440000", detail=spark), SUMS)
    assert_same(detail.get_mode_shares(con, "330000", flow="import", detail=duck),
                detail.get_mode_shares(con, "330000", flow="import", detail=spark), SUMS)
    assert_same(_records(get_totals(duck)), _records(get_totals(spark)), SUMS)


def test_cli_on_spark_matches_duckdb(cli_json: Callable[..., Any], data: tuple[Path, Path],
                                     spark: Any) -> None:
    _, parquet = data
    for args in (("trade", "rank", "--level", "province", "--period", "2022-06"),
                 ("trade", "share", "深圳", "--period", "2022-06"),
                 ("trade", "concentration", "广东", "--detail", str(parquet))):
        assert_same(_rows(cli_json(*args)), _rows(cli_json(*args, "--engine", "spark")), SUMS)
    stored = [cli_json("trade", "aggregate", "--detail", str(parquet), *extra)
              for extra in ((), ("--spark", "local[2]"))]
    assert stored[0]["added"] > 0 and stored[0]["engine"] == "duckdb"
    assert (stored[1]["engine"], stored[1]["added"], stored[1]["updated"]) == ("spark", 0, 0)
    # Spark's totals equal DuckDB's: every row DuckDB wrote is found unchanged
    assert stored[1]["unchanged"] == stored[0]["added"] + stored[0]["updated"]


def _rows(payload: Any) -> list[dict[str, Any]]:
    rows = payload["rows"] if isinstance(payload, dict) else payload
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def test_a_dataset_on_cluster_storage_is_read_by_spark(
        cli: Callable[..., Any], cli_json: Callable[..., Any], data: tuple[Path, Path],
        tmp_path: Path, spark: Any) -> None:
    """A URI (here file://, as hdfs:// or s3a:// on a cluster) is read by Spark itself,
    honouring the manifests and checking the schema like a local directory."""
    _, parquet = data
    local = cli_json("trade", "partners", "广东", "--detail", str(parquet))
    remote = cli_json("trade", "partners", "广东", "--detail", parquet.as_uri(),
                      "--engine", "spark")
    assert_same(_rows(local), _rows(remote), SUMS)
    refused = cli("trade", "partners", "广东", "--detail", parquet.as_uri(), "--json")
    assert refused.exit_code == 2 and "parquet.remote_needs_spark" in refused.stdout
    bad = tmp_path / "bad" / "year=2024" / "month=01"
    bad.mkdir(parents=True)
    pd.DataFrame({"period": ["2024-01"], "value": ["1"]}).to_parquet(bad / "x.parquet")
    wrong = cli("trade", "aggregate", "--detail", (tmp_path / "bad").as_uri(), "--engine",
                "spark", "--json")
    assert wrong.exit_code == 2 and "parquet.missing_column" in wrong.stdout
