"""Benchmark: BM25 policy search over synthetic documents, side by side with a LIKE scan.

    python benchmarks/policy_search.py --docs 100000 --queries 300

Documents are synthetic: phrases cut from the bundled policies and the category
keywords, recombined at random into titles, document numbers, summaries and full
texts (nothing here is real policy). The index is built with the product's own
`build_index` (jieba segmentation included); the baseline is DuckDB scanning the
same four columns with `LIKE '%term%'` for each query term (OR), the way a
search box without an index would. Prints build time, p50/p95 latency of both,
and their ratio; target p95 ≤ 20 ms per query (docs/benchmarks-policies.md).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import time
from importlib import resources

import duckdb
import pandas as pd

from zonescope.ingest.kinds import vocabulary
from zonescope.policies import SearchFilters, build_index, get_search
from zonescope.policies.text import query_terms, tokenizer

REGIONS = ("440300", "440100", "442000", "440600", "350200", "330600", "320500", "411300",
           "330200", "330100", "510100", "500000")
PREFIXES = ("深商务规", "甬政办发", "穗商务规", "杭政办函", "厦商务规", "苏商贸", "中府函",
            "佛商务")
ISSUERS = ("市商务局", "市人民政府办公厅", "海关", "市财政局", "综试办")


def phrases() -> list[str]:
    """Phrases of the bundled policies (cut at punctuation) and every category keyword."""
    text = (resources.files("zonescope") / "data" / "article" / "policies.csv").read_text(
        encoding="utf-8")
    found: set[str] = set()
    for row in csv.DictReader(text.splitlines()):
        for cell in (row["title"], row["summary"], row["full_text"]):
            parts = re.split(r"[，。；、：“”《》（）\s,;:]+", cell)
            found |= {p for p in parts if 2 <= len(p) <= 30}
    for entry in vocabulary("policy_categories").values():
        found |= {str(k) for k in entry["keywords"]}
    return sorted(found)


def make_docs(n: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    pool = phrases()
    cats = list(vocabulary("policy_categories"))
    docs = []
    for i in range(n):
        year = rng.choice((2019, 2020, 2021, 2022, 2023))
        docs.append({
            "region_id": rng.choice(REGIONS),
            "published": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "title": f"关于{rng.choice(pool)}{rng.choice(pool)}的通知",
            "doc_no": (f"{rng.choice(PREFIXES)}〔{year}〕{i % 997 + 1}号"
                       if rng.random() < .6 else None),
            "issuer": rng.choice(ISSUERS),
            "summary": "，".join(rng.sample(pool, 3)) + "。",
            "full_text": "，".join(rng.sample(pool, 7)) + "。",
            "categories": rng.sample(cats, rng.randint(1, 3)),
            "targets": rng.sample(["跨境电商企业", "传统外贸企业"], rng.randint(1, 2)),
            "source": "synthetic", "source_ref": None, "url": None, "note": None,
        })
    return docs


def make_queries(docs: list[dict[str, object]], n: int,
                 seed: int) -> list[tuple[str, SearchFilters]]:
    rng = random.Random(seed + 1)
    words = ["独立站", "海外仓", "综试区", "9710", "跨境电商", "外贸", "通关", "展会", "汇率风险",
             "品牌", "物流", "人才", "产业集群", "结售汇", "平台", "补助", "SaaS", "推广费用"]
    numbered = [d["doc_no"] for d in docs if d["doc_no"]]
    out: list[tuple[str, SearchFilters]] = []
    for i in range(n):
        kind = i % 5
        if kind == 0:
            query = rng.choice(words)
        elif kind == 1:
            query = " ".join(rng.sample(words, 2))
        elif kind == 2:
            number = str(rng.choice(numbered))
            query = number.replace("〔", rng.choice("[(（")).replace("〕", rng.choice("])）"))
        elif kind == 3:
            query = rng.choice(words) + " " + rng.choice(words)
        else:
            query = rng.choice(words)
        filters = SearchFilters(start="2021", end="2022-06", targets=("cbec",)) if kind == 4 \
            else SearchFilters()
        out.append((query, filters))
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def like_baseline(docs: list[dict[str, object]],
                  queries: list[tuple[str, SearchFilters]]) -> tuple[float, list[float], list[int]]:
    con = duckdb.connect()
    frame = pd.DataFrame([{k: d[k] for k in ("title", "doc_no", "summary", "full_text",
                                              "published")} for d in docs])
    start = time.perf_counter()
    con.register("frame", frame)
    con.execute("CREATE TABLE docs AS SELECT * FROM frame")
    load = time.perf_counter() - start
    times, hits = [], []
    for query, _filters in queries:
        terms = query.split()
        where = " OR ".join("(title LIKE ? OR doc_no LIKE ? OR summary LIKE ? OR full_text LIKE ?)"
                            for _ in terms)
        params = [f"%{t}%" for t in terms for _ in range(4)]
        start = time.perf_counter()
        count = con.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()[0]
        con.execute(f"SELECT title FROM docs WHERE {where} LIMIT 10", params).fetchall()
        times.append(time.perf_counter() - start)
        hits.append(int(count))
    return load, times, hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    start = time.perf_counter()
    tokenizer()
    jieba_load = time.perf_counter() - start
    docs = make_docs(args.docs, args.seed)
    chars = sum(len(str(d["title"])) + len(str(d["summary"])) + len(str(d["full_text"]))
                for d in docs)
    start = time.perf_counter()
    index = build_index(docs)
    build = time.perf_counter() - start
    queries = make_queries(docs, args.queries, args.seed)
    for query, filters in queries[:20]:  # warm the filter caches as a running app would
        get_search(index, query, filters)
    times, hits = [], []
    for query, filters in queries:
        start = time.perf_counter()
        found = get_search(index, query, filters)
        times.append(time.perf_counter() - start)
        hits.append(found["total"])
    load, like_times, like_hits = like_baseline(docs, queries)
    numbered = [i for i, (q, _f) in enumerate(queries) if query_terms(q).doc_nos]
    p50, p95 = percentile(times, .5) * 1e3, percentile(times, .95) * 1e3
    l50, l95 = percentile(like_times, .5) * 1e3, percentile(like_times, .95) * 1e3
    print(f"documents: {len(docs):,} ({chars / 1e6:.1f} M characters); queries: {len(queries)}")
    print(f"jieba dictionary load: {jieba_load:.2f} s")
    print(f"index build (segmentation + postings): {build:.1f} s "
          f"({len(docs) / build:,.0f} docs/s), {len(index.postings):,} terms")
    print(f"LIKE table load: {load:.2f} s")
    print(f"{'':18}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}")
    print(f"{'BM25 (ours)':18}{p50:>10.2f}{p95:>10.2f}{statistics.mean(times) * 1e3:>10.2f}")
    print(f"{'LIKE scan':18}{l50:>10.2f}{l95:>10.2f}{statistics.mean(like_times) * 1e3:>10.2f}")
    print(f"ratio LIKE/BM25: p50 {l50 / p50:.1f}x, p95 {l95 / p95:.1f}x")
    ours = sum(hits[i] > 0 for i in numbered)
    theirs = sum(like_hits[i] > 0 for i in numbered)
    print(f"document-number queries in other brackets: BM25 found {ours}/{len(numbered)}, "
          f"LIKE found {theirs}/{len(numbered)}")
    print(f"target p95 <= 20 ms: {'met' if p95 <= 20 else 'NOT met'}")


if __name__ == "__main__":
    main()
