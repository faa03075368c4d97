"""Benchmark worker: caselens's own pipeline on one synthetic estate (one process).

load (validate, permit, store) -> redact (record-aware pseudonymiser, batched Presidio)
-> chunk + embed (one all-MiniLM-L6-v2 load, shared with the answer path) + BM25 -> Qdrant
Edge; then subject-scoped, role-filtered questions: retrieval only (hybrid search, query
embedding included) and end to end (retrieval + extractive generator + citation verifier).
Writes a JSON result; ``run_bench.py`` starts it and prints the comparison.

    .venv/bin/python benchmarks/caselens_pipeline.py ESTATE WORKDIR OUT.json --questions 40
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from bench_common import dir_size_mb, latency_summary, rate, write_result

from retrieval.offline import apply_offline_environment

apply_offline_environment()


class TimedEmbedder:
    """Wraps the index embedder to add up the time spent embedding (vs. writing points)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.texts = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        started = time.perf_counter()
        out = self.inner.embed(texts)
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return out


def _answer_service(settings: Any, dense: Any, vectors: Any) -> Any:
    """The production answer service, sharing the already-loaded embedder and index."""
    from api import backends

    return backends.build_answer_service(
        settings, embedder=dense, vectors=vectors, reidentify=False
    )


def run(
    estate: Path,
    work: Path,
    questions: int,
    redact_batch: int,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    from api import backends
    from api.settings import load_settings
    from evals.questions import (
        generate_questions,
        recall_at_k,
        store_family_resolver,
        store_subject_resolver,
    )
    from redaction.vault import generate_vault_key
    from retrieval.index.background import BackgroundIndexer
    from retrieval.linkage.evaluate import gold_linkage
    from retrieval.principal import Principal

    settings = load_settings(
        data_dir=work, vault_key=generate_vault_key(), progress=False, **(overrides or {})
    )
    out: dict[str, Any] = {"side": "caselens"}
    # The model loads first, timed on its own (part of embedding set-up below).
    started = time.perf_counter()
    dense = TimedEmbedder(backends.build_embedder(settings))
    model_s = time.perf_counter() - started
    stack = backends.open_stack(settings, backends.Models(embedder=dense))
    store = stack.store
    try:
        started = time.perf_counter()
        stack.ingest(estate)
        # The true links stand in for Splink, so linkage cost stays out of the ingest
        # numbers (it is benchmarked on FEBRL separately).
        store.replace_linkage(gold_linkage(estate))
        out["load_s"] = round(time.perf_counter() - started, 3)

        started = time.perf_counter()
        stack.pseudonymiser()
        out["redaction_setup_s"] = round(time.perf_counter() - started, 3)

        started = time.perf_counter()
        writer = stack.index_writer()
        vectors = stack.vectors
        dense.seconds, dense.texts = 0.0, 0
        out["embedding_setup_s"] = round(model_s + time.perf_counter() - started, 3)
        out["embedding_backend"] = settings.embedding_backend

        # The product path (`caselens redact all --index`): each saved redaction batch is
        # indexed on a worker thread while the next batch is redacted; one closing sync.
        started = time.perf_counter()
        with BackgroundIndexer(writer, store) as indexer:
            redacted = stack.redact(
                batch_size=redact_batch or settings.redaction_batch_size,
                on_saved=indexer.submit,
            )
            indexed = indexer.finish()
        vectors.flush()
        ingest_s = time.perf_counter() - started
        notes = redacted.redacted_new + redacted.redacted_changed
        out["records"] = redacted.records
        out["notes"] = notes
        out["chunks"] = indexed.chunks_written
        out["redaction_s"] = redacted.seconds
        out["embedding_s"] = round(dense.seconds, 3)
        worker_s = indexed.worker_seconds + (
            indexed.final_sync.seconds if indexed.final_sync else 0.0
        )
        out["indexing_s"] = round(max(worker_s - dense.seconds, 0.0), 3)
        out["ingest_s"] = round(ingest_s, 3)
        out["overlapped"] = True
        out["notes_per_s"] = {
            "redaction": rate(notes, out["redaction_s"]),
            "embedding": rate(notes, out["embedding_s"]),
            "indexing": rate(notes, out["indexing_s"]),
            "total": rate(notes, ingest_s),
            "total_with_load": rate(notes, ingest_s + out["load_s"]),
        }

        family_of = store_family_resolver(store)
        asked = [
            q
            for q in generate_questions(estate, store_subject_resolver(store, estate), family_of)
            if q.expected_record_keys
        ][:questions]
        searcher = stack.searcher()
        retrieval_ms: list[float] = []
        answer_ms: list[float] = []
        recalls: list[float] = []
        for n, q in enumerate(asked):
            family = family_of(q.index_child)
            principal = Principal(
                "bench",
                "social_worker",
                caseload_people=frozenset({q.index_child}),
                caseload_families=frozenset({family} if family else set()),
            )
            started = time.perf_counter()
            result = searcher.search(principal, q.subject, q.question, limit=10)
            elapsed = (time.perf_counter() - started) * 1000
            # A fresh service per question: its sentence cache starts empty, so no vector
            # from an earlier question (the same wording is asked of several families) is
            # reused; this is the cold, conservative latency.
            service = _answer_service(settings, dense.inner, vectors)
            started = time.perf_counter()
            service.ask(principal, q.subject, q.question)
            answered = (time.perf_counter() - started) * 1000
            service.close()
            recalls.append(recall_at_k(result.record_keys(), q.expected_record_keys, k=10))
            if n >= 2:  # the first questions warm caches and lazy imports
                retrieval_ms.append(elapsed)
                answer_ms.append(answered)
        out["retrieval"] = latency_summary(retrieval_ms)
        out["answer_e2e"] = latency_summary(answer_ms)
        out["recall_at_10"] = round(sum(recalls) / len(recalls), 3) if recalls else None
        out["questions"] = len(asked)
    finally:
        stack.close()
    out["index_disk_mb"] = dir_size_mb(settings.index_dir)
    out["store_disk_mb"] = dir_size_mb(work) - out["index_disk_mb"]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("estate", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument(
        "--redact-batch", type=int, default=0, help="0: CASELENS_REDACTION_BATCH_SIZE"
    )
    parser.add_argument("--embedding-backend", choices=["onnx-int8", "torch"], default=None)
    parser.add_argument("--embedding-threads", type=int, default=None)
    parser.add_argument("--embedding-workers", type=int, default=None)
    parser.add_argument(
        "--model-cache", type=Path, default=None, help="derived model files (int8 ONNX)"
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    overrides = {
        key: value
        for key, value in {
            "embedding_backend": args.embedding_backend,
            "embedding_threads": args.embedding_threads,
            "embedding_workers": args.embedding_workers,
            "model_cache_dir": args.model_cache,
        }.items()
        if value is not None
    }
    result = run(args.estate, args.work, args.questions, args.redact_batch, overrides)
    write_result(args.out, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
