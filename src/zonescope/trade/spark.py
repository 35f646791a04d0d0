"""A Spark session for the trade metrics: checked before it starts, started once per process.

`--engine spark` runs the Ibis expressions of `metrics` and `detail` unchanged on
Ibis's PySpark backend. PySpark is imported only here and only when asked for,
so DuckDB users never load it (nor a JVM). What is checked first, so that a
mistake costs seconds and says what is wrong instead of printing a Java stack:

- the URL: `local`, `local[N]`, `local[*]`, `spark://HOST:PORT` (a standalone
  master; the driver runs here) or `sc://HOST[:PORT]` (Spark Connect, port 15002);
- a remote master must accept a TCP connection within `CONNECT_TIMEOUT` seconds
  (Spark itself would retry for minutes);
- a local driver needs Java: `$JAVA_HOME/bin/java` when JAVA_HOME is set, else
  `java` on PATH — the same rule as Spark's own launcher.

Run by `spark-submit` (which starts the JVM and sets PYSPARK_GATEWAY_PORT), the
session spark-submit configured is used as it is: its `--master` wins over `--spark`.

The session is the one DuckDB-equivalent answers need: ANSI mode off (x / 0 is
NULL, as in DuckDB — the metrics guard their divisions the way DuckDB reads
them), session time zone UTC, no web UI, a small driver heap, errors-only logs,
bound to 127.0.0.1, and few shuffle partitions (the store's tables are small).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from zonescope.errors import ZoneScopeError

DEFAULT_MASTER = "local[2]"
CONNECT_PORT = 15002
CONNECT_TIMEOUT = 3.0
DRIVER_MEMORY = "1g"
_LOCAL = re.compile(r"^local(\[(\d+|\*)(,\d+)?\])?$")
_REMOTE = re.compile(r"^(spark|sc)://([^:/;\s]+)(?::(\d+))?(/.*|;.*)?$")
_SESSIONS: dict[str, Any] = {}
_BACKENDS: dict[str, Any] = {}


def parse_url(url: str) -> tuple[str, str | None, int | None]:
    """('local' | 'spark' | 'sc', host, port) of a Spark master or Spark Connect URL.

    >>> parse_url("local[2]")
    ('local', None, None)
    >>> parse_url("sc://spark.example.org")
    ('sc', 'spark.example.org', 15002)
    """
    text = url.strip()
    if _LOCAL.match(text):
        return "local", None, None
    match = _REMOTE.match(text)
    if not match or (match[1] == "spark" and not match[3]):
        raise ZoneScopeError("spark.bad_url", url=url)
    port = int(match[3]) if match[3] else CONNECT_PORT
    return match[1], match[2], port


def check_reachable(url: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Raise `spark.unreachable` unless a remote master or Connect server accepts TCP."""
    kind, host, port = parse_url(url)
    if kind == "local" or host is None or port is None:
        return
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        raise ZoneScopeError("spark.unreachable", url=url, seconds=timeout,
                             reason=exc.strerror or type(exc).__name__) from None


def find_java() -> Path | None:
    """The java Spark's launcher would run: $JAVA_HOME/bin/java if JAVA_HOME is set, else PATH's."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return candidate if candidate.is_file() and os.access(candidate, os.X_OK) else None
    found = shutil.which("java")
    return Path(found) if found else None


def spark_session(url: str = DEFAULT_MASTER) -> Any:
    """The process's SparkSession for `url`, started on first use after the checks above."""
    key = url.strip()
    if key in _SESSIONS:
        return _SESSIONS[key]
    kind, _, _ = parse_url(key)
    submitted = bool(os.environ.get("PYSPARK_GATEWAY_PORT"))  # run by spark-submit
    if not submitted:
        check_reachable(key)
        if kind != "sc" and find_java() is None:
            raise ZoneScopeError("spark.no_java", java_home=os.environ.get("JAVA_HOME") or "—")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ZoneScopeError("spark.not_installed") from None
    builder = SparkSession.builder.appName("zonescope")
    try:
        if submitted:  # spark-submit chose the master and started the JVM: use its session
            session = builder.getOrCreate()
        elif kind == "sc":
            session = builder.remote(key).getOrCreate()
        else:
            session = _local_builder(builder, key).getOrCreate()
            session.sparkContext.setLogLevel("ERROR")
        session.conf.set("spark.sql.ansi.enabled", "false")
        session.conf.set("spark.sql.session.timeZone", "UTC")
    except ImportError as exc:  # Spark Connect's client needs grpcio
        raise ZoneScopeError("spark.connect_client", reason=str(exc)) from None
    except Exception as exc:  # JVM that exits at start, refused connection, …
        raise ZoneScopeError("spark.start_failed", url=key,
                             reason=str(exc).strip().splitlines()[0][:300]) from None
    _SESSIONS[key] = session
    return session


def _local_builder(builder: Any, master: str) -> Any:
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    log4j = resources.files("zonescope") / "data" / "spark" / "log4j2.properties"
    scratch = Path(tempfile.gettempdir()) / "zonescope-spark"
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.memory": DRIVER_MEMORY,
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{log4j}",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.ansi.enabled": "false",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.warehouse.dir": str(scratch / "warehouse"),
        "spark.local.dir": str(scratch),
    }
    if master.startswith("local"):  # few, small shuffles; a cluster keeps its own default
        settings["spark.sql.shuffle.partitions"] = "4"
    builder = builder.master(master)
    for name, value in settings.items():
        builder = builder.config(name, value)
    return builder


def spark_backend(url: str = DEFAULT_MASTER) -> Any:
    """An Ibis PySpark backend over `spark_session(url)` (one per URL and process)."""
    key = url.strip()
    if key not in _BACKENDS:
        import ibis

        _BACKENDS[key] = ibis.pyspark.connect(spark_session(key))
    return _BACKENDS[key]


def stop_sessions() -> None:
    """Stop every session this process started (tests, benchmarks)."""
    _BACKENDS.clear()
    while _SESSIONS:
        _, session = _SESSIONS.popitem()
        session.stop()
