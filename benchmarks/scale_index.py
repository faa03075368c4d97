"""Benchmark worker: one index size, caselens (Qdrant Edge) or naive (qdrant-client local).

Builds ``--size`` synthetic chunks (random unit 384-d vectors, template sentences for BM25,
50 chunks per family: ``index_bench._points``) and times subject-scoped questions.
caselens goes through ``HybridSearcher`` (policy filter, the withheld-records counts,
dense + BM25 prefetch fused with RRF); naive is llama-index's query underneath: a
dense top-10 ``query_points`` with a family filter on qdrant-client local mode (in memory).
caselens uses ``--storage`` (default: ``Settings.index_storage``, i.e. ``CASELENS_INDEX_STORAGE``);
peak RssAnon / RssFile are sampled during the build and the questions.
The question embedding is NOT included here (it is the same model on both sides and is
measured with real text by the pipeline workers). One process per size and side, so the
peak RSS is that size's.

    .venv/bin/python benchmarks/scale_index.py caselens 100000 WORKDIR OUT.json --storage disk
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


class RssSampler:
    """Peak anonymous and file-backed resident memory (``/proc/self/status``), sampled:
    mmapped index files count as RssFile once touched, heap structures as RssAnon."""

    def __init__(self) -> None:
        self.peak: dict[str, int] = {"RssAnon": 0, "RssFile": 0}

    def sample(self) -> None:
        try:
            lines = Path("/proc/self/status").read_text().splitlines()
        except OSError:  # not Linux: nothing to sample
            return
        for line in lines:
            key, _, value = line.partition(":")
            if key in self.peak:
                self.peak[key] = max(self.peak[key], int(value.split()[0]))

    def as_mb(self) -> dict[str, float]:
        return {
            "peak_rss_anon_mb": round(self.peak["RssAnon"] / 1024, 1),
            "peak_rss_file_mb": round(self.peak["RssFile"] / 1024, 1),
        }


def _families(size: int, count: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    families = max(1, size // CHUNKS_PER_FAMILY)
    return [f"FAM-{int(rng.integers(families)):06d}" for _ in range(count)]


def run_caselens(
    size: int, work: Path, queries: int, batch: int, storage: str = "memory"
) -> dict[str, Any]:
    from api.backends import build_searcher
    from api.settings import default_policy_path
    from retrieval.index import Bm25Encoder
    from retrieval.index.edge import EdgeVectorStore
    from retrieval.policy import InformationSharingPolicy
    from retrieval.principal import Principal

    sparse = Bm25Encoder()
    rss = RssSampler()
    store = EdgeVectorStore(work / "edge", DIM, storage=storage)  # type: ignore[arg-type]
    started = time.perf_counter()
    for n, points in enumerate(_point_batches(size, 42, sparse, batch)):
        store.upsert(points)  # disk: compacts every COMPACT_EVERY points (counted in build)
        if n % 10 == 0:
            rss.sample()
    store.flush()
    build_s = time.perf_counter() - started
    rss.sample()
    policy = InformationSharingPolicy.load(default_policy_path())
    searcher = build_searcher(store, RandomQueryEmbedder(7), policy)
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
        if n % 50 == 0:
            rss.sample()
    rss.sample()
    store.close()
    return {
        "side": "caselens",
        "engine": "qdrant-edge (HybridSearcher: policy filter + dense/BM25 RRF)",
        "index_storage": storage,
        **rss.as_mb(),
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
    parser.add_argument(
        "--storage",
        choices=["memory", "disk"],
        default=None,
        help="Qdrant Edge layout (default: Settings.index_storage / CASELENS_INDEX_STORAGE)",
    )
    args = parser.parse_args(argv)
    if args.size < 1:
        parser.error("size must be at least 1")
    args.work.mkdir(parents=True, exist_ok=True)
    if args.side == "caselens":
        from api.settings import load_settings

        storage = args.storage or load_settings().index_storage
        result = run_caselens(args.size, args.work, args.queries, args.batch, storage)
    else:
        result = run_naive(args.size, args.work, args.queries, args.batch)
    write_result(args.out, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
