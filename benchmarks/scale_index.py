"""Benchmark worker: one index size, caselens (Qdrant Edge) or naive (qdrant-client local).

Builds ``--size`` synthetic chunks (random unit 384-d vectors, template sentences for BM25,
50 chunks per family: ``index_bench._points``) and times subject-scoped questions.
caselens goes through ``HybridSearcher`` (policy filter, the withheld-records counts,
dense + BM25 prefetch fused with RRF); naive is llama-index's query underneath: a
dense top-10 ``query_points`` with a family filter on qdrant-client local mode (in memory).
The question embedding is NOT included here (it is the same model on both sides and is
measured with real text by the pipeline workers). One process per size and side, so the
peak RSS is that size's.

    .venv/bin/python benchmarks/scale_index.py caselens 100000 WORKDIR OUT.json
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from bench_common import dir_size_mb, latency_summary, rate, write_result
from index_bench import CHUNKS_PER_FAMILY, DIM, QUERIES, _point_batches, _points

from retrieval.offline import apply_offline_environment

apply_offline_environment()


class RandomQueryEmbedder:
    """Stands in for the model at query time: the index cost alone is what is measured."""

    dimension = DIM

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def embed_query(self, text: str) -> list[float]:
        vector = self.rng.standard_normal(DIM).astype(np.float32)
        return (vector / np.linalg.norm(vector)).tolist()


def _families(size: int, count: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    families = max(1, size // CHUNKS_PER_FAMILY)
    return [f"FAM-{int(rng.integers(families)):06d}" for _ in range(count)]


def run_caselens(size: int, work: Path, queries: int, batch: int) -> dict[str, Any]:
    from api.settings import default_policy_path
    from retrieval.index import Bm25Encoder, HybridSearcher
    from retrieval.index.edge import EdgeVectorStore
    from retrieval.policy import InformationSharingPolicy
    from retrieval.principal import Principal

    sparse = Bm25Encoder()
    store = EdgeVectorStore(work / "edge", DIM)
    started = time.perf_counter()
    for points in _point_batches(size, 42, sparse, batch):
        store.upsert(points)
    store.flush()
    build_s = time.perf_counter() - started
    policy = InformationSharingPolicy.load(default_policy_path())
    searcher = HybridSearcher(store, RandomQueryEmbedder(7), sparse, policy)  # type: ignore[arg-type]
    timings: list[float] = []
    hits = 0
    for n, family in enumerate(_families(size, queries + 10, 3)):
        principal = Principal("bench", "family_worker", caseload_families=frozenset({family}))
        started = time.perf_counter()
        result = searcher.search(principal, family, QUERIES[n % len(QUERIES)], limit=10)
        elapsed = (time.perf_counter() - started) * 1000
        hits += len(result.hits)
        if n >= 10:
            timings.append(elapsed)
    store.close()
    return {
        "side": "caselens",
        "engine": "qdrant-edge (HybridSearcher: policy filter + dense/BM25 RRF)",
        "size": size,
        "build_chunks_per_s": rate(size, build_s),
        "search": latency_summary(timings),
        "mean_hits": round(hits / (queries + 10), 2),
        "index_disk_mb": dir_size_mb(work / "edge"),
    }


def run_naive(size: int, work: Path, queries: int, batch: int) -> dict[str, Any]:
    from qdrant_client import QdrantClient, models

    from retrieval.index import Bm25Encoder

    points = _points(size, 42, Bm25Encoder())
    # In memory: local mode on disk writes each point through SQLite (about 50 points/s
    # here), which would only make the baseline look worse; its disk size at small scale
    # comes from the pipeline worker.
    client = QdrantClient(location=":memory:")
    client.create_collection(
        "naive", vectors_config=models.VectorParams(size=DIM, distance=models.Distance.COSINE)
    )
    started = time.perf_counter()
    for start in range(0, len(points), batch):
        client.upsert(
            "naive",
            [
                models.PointStruct(id=p.id, vector=np.asarray(p.dense).tolist(), payload=p.payload)
                for p in points[start : start + batch]
            ],
        )
    build_s = time.perf_counter() - started
    del points
    embed = RandomQueryEmbedder(7)
    timings: list[float] = []
    hits = 0
    count = max(3, queries // 10) + 2  # brute force in Python: fewer questions
    for n, family in enumerate(_families(size, count, 3)):
        flt = models.Filter(
            must=[models.FieldCondition(key="family_ids", match=models.MatchValue(value=family))]
        )
        started = time.perf_counter()
        found = client.query_points(
            "naive", query=embed.embed_query(""), query_filter=flt, limit=10
        )
        elapsed = (time.perf_counter() - started) * 1000
        hits += len(found.points)
        if n >= 2:
            timings.append(elapsed)
    client.close()
    return {
        "side": "naive",
        "engine": "qdrant-client local mode (dense, family filter)",
        "size": size,
        "build_chunks_per_s": rate(size, build_s),
        "search": latency_summary(timings),
        "mean_hits": round(hits / count, 2),
        "index_disk_mb": None,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("side", choices=["caselens", "naive"])
    parser.add_argument("size", type=int)
    parser.add_argument("work", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args(argv)
    if args.size < 1:
        parser.error("size must be at least 1")
    args.work.mkdir(parents=True, exist_ok=True)
    runner = run_caselens if args.side == "caselens" else run_naive
    write_result(args.out, runner(args.size, args.work, args.queries, args.batch))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
