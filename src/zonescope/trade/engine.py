"""Where trade metrics run: an Ibis backend over the store — DuckDB, or Spark for scale.

The metrics (`metrics`, `detail`) are Ibis expressions over tables shaped like
the store's `trade`, `regions` and `customs_detail`; this module only decides
which backend those tables live in. On DuckDB they are the store's own tables
(no copy). On Spark (`zonescope.trade.spark`, imported only then) the small
`trade` and `regions` tables are copied in through Arrow, and the detail rows
come from the store or, at scale, from a Parquet directory written by
`zonescope import --kind customs-detail --to-parquet DIR` (read by either engine).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir

from zonescope.errors import ZoneScopeError

ENGINES = ("duckdb", "spark")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
PARTITION_COLUMNS = ("year", "month")


@dataclass
class Tables:
    """The Ibis tables the metrics read."""

    trade: ir.Table
    regions: ir.Table


@dataclass(frozen=True)
class Engine:
    """Which engine runs the metrics, its Spark URL, and an optional Parquet detail dataset.

    `detail` is a local directory (either engine), or a URI only Spark reads on a
    cluster's storage (`hdfs://…`, `s3a://…`, `file://…`).
    """

    name: str = "duckdb"
    spark: str = "local[2]"
    detail: str | None = None

    def __post_init__(self) -> None:
        if self.detail is not None and not isinstance(self.detail, str):  # a Path
            object.__setattr__(self, "detail", str(self.detail))


def choose_engine(name: str | None = None, spark: str | None = None,
                  detail: str | Path | None = None) -> Engine:
    """Options over settings: `--engine` or $ZONESCOPE_ENGINE; `--spark` alone means Spark.

    >>> choose_engine(spark="local[1]").name
    'spark'
    """
    from zonescope.trade.spark import DEFAULT_MASTER

    chosen = (name or ("spark" if spark else os.environ.get("ZONESCOPE_ENGINE"))
              or "duckdb").lower()
    if chosen not in ENGINES:
        raise ZoneScopeError("trade.bad_option", option="engine", value=chosen,
                             allowed=" | ".join(ENGINES))
    url = spark or os.environ.get("ZONESCOPE_SPARK") or DEFAULT_MASTER
    location = None
    if detail:
        location = str(detail) if is_remote(str(detail)) else str(Path(detail).expanduser())
    return Engine(chosen, url, location)


def is_remote(location: str) -> bool:
    """Whether a detail location is a URI (`hdfs://`, `s3a://`, `file://`) rather than a path.

    >>> is_remote("s3a://bucket/customs"), is_remote("/data/customs")
    (True, False)
    """
    return bool(_URI.match(location))


def duckdb_tables(con: duckdb.DuckDBPyConnection) -> Tables:
    """Ibis tables over an open store connection (no copy: Ibis compiles to DuckDB SQL)."""
    backend = ibis.duckdb.from_connection(con)
    return Tables(trade=backend.table("trade"), regions=backend.table("regions"))


def open_tables(con: duckdb.DuckDBPyConnection, engine: Engine | None = None) -> Tables:
    """`trade` and `regions` on the chosen engine."""
    if engine is None or engine.name == "duckdb":
        return duckdb_tables(con)
    spark = _spark(engine)
    return Tables(trade=_copy(spark, con, "trade"), regions=_copy(spark, con, "regions"))


def open_detail(con: duckdb.DuckDBPyConnection, engine: Engine | None = None) -> ir.Table:
    """Detail rows shaped like `customs_detail`: the store's, or `engine.detail`'s Parquet."""
    engine = engine or Engine()
    if engine.detail is not None:
        table = _parquet(engine, engine.detail)
        return table.drop(*[c for c in PARTITION_COLUMNS if c in table.columns])
    if engine.name == "duckdb":
        return ibis.duckdb.from_connection(con).table("customs_detail")
    return _copy(_spark(engine), con, "customs_detail")


def _parquet(engine: Engine, location: str) -> ir.Table:
    """A Parquet detail dataset, its schema checked (a local one before any JVM starts)."""
    from zonescope.ingest.parquet import check_columns, dataset_files

    if is_remote(location):
        if engine.name != "spark":
            raise ZoneScopeError("parquet.remote_needs_spark", path=location)
        session, backend = _spark(engine)
        frame = _remote_frame(session, location)
        check_columns({f.name: f.dataType.simpleString() for f in frame.schema.fields},
                      location)
    else:
        # absolute: a Spark Connect server or a cluster resolves paths on its own side
        files = [str(f.resolve()) for f in dataset_files(Path(location))]
        if engine.name == "duckdb":
            return ibis.duckdb.connect().read_parquet(files, hive_partitioning=True)
        session, backend = _spark(engine)
        frame = session.read.option("basePath", str(Path(location).resolve())).parquet(*files)
    name = _view("detail", location)
    frame.createOrReplaceTempView(name)
    return backend.table(name)


def _remote_frame(session: Any, location: str) -> Any:
    """The dataset at a URI, read by Spark: the files its manifests list, else every file."""
    from pyspark.errors import AnalysisException

    root = location.rstrip("/")
    try:
        listed = session.read.json(f"{root}/_imports/*.json", multiLine=True)
        files = [f"{root}/{name}" for row in listed.select("files").collect()
                 for name in row.files or []]
    except AnalysisException:  # no manifests: a dataset written by another tool
        files = []
    reader = session.read.option("basePath", root)
    try:
        return reader.parquet(*files) if files else reader.parquet(root)
    except AnalysisException as exc:
        raise ZoneScopeError("parquet.unreadable", path=location,
                             reason=str(exc).strip().splitlines()[0][:200]) from None


def _spark(engine: Engine) -> tuple[Any, Any]:
    """(SparkSession, Ibis backend) for the engine's URL, started on first use."""
    from zonescope.trade.spark import spark_backend, spark_session

    return spark_session(engine.spark), spark_backend(engine.spark)


def _copy(spark: tuple[Any, Any], con: duckdb.DuckDBPyConnection, table: str) -> ir.Table:
    """A store table as a Spark temporary view (through Arrow; for the small tables)."""
    session, backend = spark
    arrow = con.sql(f"SELECT * FROM {table}").to_arrow_table()
    store = con.sql("SELECT path FROM duckdb_databases() WHERE database_name = "
                    "current_database()").fetchall()
    name = _view(table, str(store[0][0]) if store else "")
    session.createDataFrame(arrow).createOrReplaceTempView(name)
    return backend.table(name)


def _view(table: str, source: str) -> str:
    """A temporary view's name per table and source (store file or dataset), so that two
    stores or datasets used in one process never replace each other's view."""
    return f"zonescope_{table}_{hashlib.sha1(source.encode()).hexdigest()[:12]}"
