"""Index benchmark: Qdrant Edge (embedded default) vs qdrant-client local mode, side by side.

For each size it builds the same synthetic collection in both engines and reports build
throughput (chunks/s, upsert only) and subject-scoped, role-filtered hybrid query latency
(dense + BM25 prefetch fused with RRF) p50/p95. Vectors are RANDOM unit vectors and the
sparse vectors come from a small set of repeated template sentences: realistic shapes,
not realistic text. Question embedding (the real all-MiniLM-L6-v2) is timed separately,
as is real chunk embedding throughput.

    .venv/bin/python benchmarks/index_bench.py --sizes 10000 100000
    .venv/bin/python benchmarks/index_bench.py --sizes 1000000 --local-max 0   # Edge only
    .venv/bin/python benchmarks/index_bench.py --storage memory   # Qdrant Edge layout
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.index import Bm25Encoder, DenseEmbedder, IndexPoint, permitted_filter
from retrieval.index.edge import EdgeVectorStore
from retrieval.index.server import QdrantServerStore
from retrieval.index.subject import Subject
from retrieval.policy.model import RolePolicy
from retrieval.principal import Principal

DIM = 384
SYSTEMS = ["LCS", "EHM", "SCHOOL", "POLICE", "HEALTH", "HOUSING", "YOUTH_JUSTICE", "SEND"]
TYPES = ["case_note", "assessment", "referral", "incident", "attendance", "advice_report"]
SENTENCES = [
    "Mum disclosed drinking most evenings and missed the appointment.",
    "The child was excluded for three days after a fight at school.",
    "Police attended following a report of a verbal argument at the address.",
    "Attendance has improved this term; reading is a strength.",
    "Referred to CAMHS for anxiety; first appointment offered.",
    "The family moved to a new flat; housing officer visited.",
    "Speech and language therapy advised small group work.",
    "The child went missing overnight and was found the next morning.",
]
QUERIES = ["drug and alcohol misuse", "school exclusion", "mental health support", "house move"]
ROLE = RolePolicy(
    name="family_worker",
    systems=frozenset({"EHM", "LCS", "SCHOOL", "HEALTH", "HOUSING"}),
    sensitivities=frozenset({"standard"}),
    excluded_record_types=frozenset({"strategy_discussion"}),
    excluded_policy_tags=frozenset({"no_ai_processing"}),
    caseload_scoped=True,
)
CHUNKS_PER_FAMILY = 50


def _point_batches(
    n: int, seed: int, sparse: Bm25Encoder, batch: int = 1000
) -> Iterator[list[IndexPoint]]:
    """The synthetic chunks in batches, made as they are needed: holding a million of them
    at once would measure this harness's memory, not the index's."""
    rng = np.random.default_rng(seed)
    sparse_cache = [sparse.document(s) for s in SENTENCES]
    pick = random.Random(seed)
    for start in range(0, n, batch):
        count = min(batch, n - start)
        vectors = rng.standard_normal((count, DIM), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        points = []
        for offset in range(count):
            i = start + offset
            family = i // CHUNKS_PER_FAMILY
            points.append(
                IndexPoint(
                    id=f"00000000-0000-0000-0000-{i:012d}",
                    dense=vectors[offset],
                    sparse=sparse_cache[i % len(SENTENCES)],
                    payload={
                        "record_key": f"{SYSTEMS[i % 8]}:R{i}",
                        "record_id": f"R{i}",
                        "source_system": SYSTEMS[pick.randrange(8)],
                        "record_type": TYPES[pick.randrange(len(TYPES))],
                        "sensitivity": "restricted" if pick.random() < 0.1 else "standard",
                        "policy_tags": [],
                        "linked_person_ids": [f"LP-{family:06d}-{pick.randrange(4)}"],
                        "family_ids": [f"FAM-{family:06d}"],
                        "chunk_index": 0,
                        "occurred_ts": 1_700_000_000 + i,
                        "recorded_ts": 1_700_000_000 + i,
                        "source_hash": "h",
                        "chunk_count": 1,
                        "text": SENTENCES[i % len(SENTENCES)],
                    },
                )
            )
        yield points


def _points(n: int, seed: int, sparse: Bm25Encoder) -> list[IndexPoint]:
    return [p for batch in _point_batches(n, seed, sparse) for p in batch]


def _build(store: Any, points: list[IndexPoint], batch: int = 1000) -> float:
    started = time.perf_counter()
    for start in range(0, len(points), batch):
        store.upsert(points[start : start + batch])
    store.flush()
    return len(points) / (time.perf_counter() - started)


def _queries(store: Any, n_points: int, count: int, sparse: Bm25Encoder, seed: int) -> list[float]:
    rng = np.random.default_rng(seed + 1)
    families = max(1, n_points // CHUNKS_PER_FAMILY)
    timings = []
    for q in range(count):
        family = f"FAM-{int(rng.integers(families)):06d}"
        principal = Principal("bench", ROLE.name, caseload_families=frozenset({family}))
        flt = permitted_filter(principal, ROLE, Subject("family", family))
        assert flt is not None
        dense = rng.standard_normal(DIM).astype(np.float32)
        dense /= np.linalg.norm(dense)
        sp = sparse.query(QUERIES[q % len(QUERIES)])
        started = time.perf_counter()
        store.hybrid_search(dense, sp, flt, limit=10, prefetch_limit=50)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--local-queries", type=int, default=20)
    parser.add_argument(
        "--local-max",
        type=int,
        default=100_000,
        help="largest size to run in qdrant-client local mode (0: never)",
    )
    parser.add_argument(
        "--storage",
        choices=["memory", "disk"],
        default=None,
        help="Qdrant Edge layout (default: Settings.index_storage / CASELENS_INDEX_STORAGE)",
    )
    args = parser.parse_args()
    if args.storage is None:
        from api.settings import load_settings

        args.storage = load_settings().index_storage
    sparse = Bm25Encoder()
    rows = []
    for size in args.sizes:
        points = _points(size, 42, sparse)
        tmp = Path(tempfile.mkdtemp(prefix="caselens-bench-"))
        try:
            edge = EdgeVectorStore(tmp / "edge", DIM, storage=args.storage)
            build = _build(edge, points)
            _queries(edge, size, 10, sparse, 7)  # warm-up
            lat = _queries(edge, size, args.queries, sparse, 7)
            edge.close()
            rows.append(
                (f"edge-{args.storage}", size, build, _pct(lat, 50), _pct(lat, 95), len(lat))
            )
            if size <= args.local_max:
                from qdrant_client import QdrantClient

                local = QdrantServerStore(QdrantClient(location=":memory:"), DIM)
                build = _build(local, points)
                lat = _queries(local, size, args.local_queries, sparse, 7)
                local.close()
                rows.append(("client-local", size, build, _pct(lat, 50), _pct(lat, 95), len(lat)))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"... {size} done", flush=True)

    embedder = DenseEmbedder()
    embedder.embed_query("warm up")
    questions = [f"What is the history of {q} in this family?" for q in QUERIES] * 10
    q_times = []
    for question in questions:
        started = time.perf_counter()
        embedder.embed_query(question)
        q_times.append((time.perf_counter() - started) * 1000)
    texts = [" ".join(SENTENCES[i % 8] for i in range(j, j + 6)) for j in range(256)]
    started = time.perf_counter()
    embedder.embed(texts)
    embed_rate = len(texts) / (time.perf_counter() - started)

    print("\nSubject-scoped, role-filtered hybrid (dense + BM25, RRF) top-10; random vectors")
    print(f"{'engine':<14}{'chunks':>10}{'build chunks/s':>16}{'p50 ms':>10}{'p95 ms':>10}{'n':>6}")
    for engine, size, build, p50, p95, n in rows:
        print(f"{engine:<14}{size:>10}{build:>16.0f}{p50:>10.2f}{p95:>10.2f}{n:>6}")
    print(
        f"\nquestion embedding (all-MiniLM-L6-v2, one at a time): p50 {_pct(q_times, 50):.1f} ms, "
        f"p95 {_pct(q_times, 95):.1f} ms"
    )
    print(f"chunk embedding (batched, ~60-word chunks): {embed_rate:.0f} chunks/s")


if __name__ == "__main__":
    main()
