"""Benchmark: the web app under 16 concurrent clients on loopback (`zonescope serve`).

    python benchmarks/load.py [--clients 16] [--seconds 5] [--db PATH]

Starts `zonescope serve` on a free loopback port over a fresh store (or `--db`), then
for each endpoint: one cold request (the first after start: nothing cached — the
baseline), then `--clients` concurrent keep-alive clients (httpx, asyncio) for
`--seconds`. Prints requests/s, p50 and p95 latency, and the cold latency ÷ p50
(how much the per-store-version cache buys). Targets (issue 9, this machine): JSON
lookups ≥ 300 req/s and p95 ≤ 50 ms; the overview page p95 ≤ 300 ms. Only loopback
traffic; every loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

JSON = ["/api/v1/overview", "/api/v1/cities?region=宁波",
        "/api/v1/compare?regions=深圳&regions=宁波", "/api/v1/policies?q=独立站",
        "/api/v1/clusters?city=宁波", "/api/v1/subsidy?site_sales=80万美元&fx=7.1",
        "/api/v1/index?top=20", "/api/v1/mindset?region=宁波"]
PAGES = ["/"]
MAX_REQUESTS = 20_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "ZONESCOPE_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "zonescope", "--db", str(db), "serve",
                             "--port", str(port)], stdout=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/app.js", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


async def hammer(base: str, path: str, clients: int, seconds: float) -> list[float]:
    latencies: list[float] = []
    stop = time.monotonic() + seconds

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            while time.monotonic() < stop and len(latencies) < MAX_REQUESTS:
                began = time.perf_counter()
                response = await http.get(path)
                latencies.append(time.perf_counter() - began)
                assert response.status_code == 200, (path, response.status_code)

    began = time.monotonic()
    await asyncio.gather(*(client() for _ in range(clients)))
    latencies.append(time.monotonic() - began)  # last item: the wall time
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="zonescope-load-"))
    db = args.db or folder / "load.duckdb"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start(db, port)
    print(f"clients={args.clients} seconds={args.seconds} cores={os.cpu_count()} "
          f"load={os.getloadavg()[0]:.1f}")
    print(f"{'endpoint':48} {'cold ms':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'cold÷p50':>8} target")
    try:
        for path in JSON + PAGES:
            began = time.perf_counter()
            assert httpx.get(base + path, timeout=120).status_code == 200
            cold = time.perf_counter() - began
            found = asyncio.run(hammer(base, path, args.clients, args.seconds))
            wall, lat = found[-1], sorted(found[:-1])
            p50, p95 = statistics.median(lat), lat[int(0.95 * (len(lat) - 1))]
            rate = len(lat) / wall
            if path in PAGES:
                ok, target = p95 <= 0.300, "p95≤300ms"
            else:
                ok, target = rate >= 300 and p95 <= 0.050, "≥300/s, p95≤50ms"
            print(f"{path:48} {cold * 1000:8.1f} {rate:7.0f} {p50 * 1000:7.1f} "
                  f"{p95 * 1000:7.1f} {cold / p50:8.1f} {target} {'met' if ok else 'NOT met'}")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
