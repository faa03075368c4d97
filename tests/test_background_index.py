"""Indexing on a worker thread while redaction goes on gives exactly the synced index."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from api.settings import default_policy_path
from evals.estate import generate_estate
from evals.gold_pseudonymised import StaticSource, load_gold_source
from retrieval.index import Bm25Encoder, IndexWriter, sync_index
from retrieval.index.background import BackgroundIndexer, BackgroundIndexError
from retrieval.index.edge import EdgeVectorStore
from retrieval.policy import InformationSharingPolicy
from retrieval.pseudonymised import PseudonymisedRecord, RecordKey


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("background-estate")
    generate_estate(root, families=2, seed=21)
    return root


def _source(estate: Path) -> StaticSource:
    return load_gold_source(estate, InformationSharingPolicy.load(default_policy_path()))


def _edge(path: Path, embedder: Any) -> EdgeVectorStore:
    return EdgeVectorStore(path, embedder.dimension)


def _batches(keys: Sequence[RecordKey], size: int) -> list[list[RecordKey]]:
    return [list(keys[i : i + size]) for i in range(0, len(keys), size)]


def test_worker_and_closing_sync_give_the_index_sync_builds(
    estate: Path, tmp_path: Path, shared_embedder: Any
) -> None:
    source = _source(estate)
    keys = sorted(source.pseudonymised_keys())
    background = _edge(tmp_path / "background", shared_embedder)
    synced = _edge(tmp_path / "synced", shared_embedder)
    try:
        writer = IndexWriter(background, shared_embedder, Bm25Encoder())
        with BackgroundIndexer(writer, source, max_pending=2) as indexer:
            for batch in _batches(keys, 7):
                indexer.submit(batch)
            report = indexer.finish()
        sync_index(IndexWriter(synced, shared_embedder, Bm25Encoder()), source)

        assert report.records == len(keys) and report.batches == len(_batches(keys, 7))
        assert report.final_sync is not None and report.final_sync.unchanged == len(keys)
        assert report.final_sync.added == report.final_sync.updated == 0
        assert background.indexed_records() == synced.indexed_records()
        assert background.count() == synced.count() == report.chunks_written
    finally:
        background.close()
        synced.close()


def test_a_changed_record_is_replaced_not_duplicated_and_the_sync_catches_the_rest(
    estate: Path, tmp_path: Path, shared_embedder: Any
) -> None:
    source = _source(estate)
    keys = sorted(source.pseudonymised_keys())
    edited, never_submitted = keys[0], keys[1]
    store = _edge(tmp_path / "index", shared_embedder)
    try:
        writer = IndexWriter(store, shared_embedder, Bm25Encoder())
        with BackgroundIndexer(writer, source) as indexer:
            indexer.submit(keys[:1] + keys[2:])
            source.edit_text(edited, "A new version of this record: [Child 1] moved school.")
            indexer.submit([edited, ("LCS", "no-such-record")])
            report = indexer.finish()
        assert report.final_sync is not None and report.final_sync.added == 1  # never_submitted
        indexed = store.indexed_records()
        assert set(indexed) == {f"{s}:{r}" for s, r in keys}
        assert indexed[f"{edited[0]}:{edited[1]}"].source_hash == source.records[edited].source_hash
        assert f"{never_submitted[0]}:{never_submitted[1]}" in indexed
        total_chunks = sum(r.chunk_count for r in indexed.values())
        assert store.count() == total_chunks  # no orphans from the first version
    finally:
        store.close()


class _FailingSource(StaticSource):
    def pseudonymised_records(self, keys: Any) -> list[PseudonymisedRecord]:
        raise OSError("disk went away")


def test_a_worker_failure_stops_the_caller_and_names_only_the_error_type(
    estate: Path, tmp_path: Path, shared_embedder: Any
) -> None:
    source = _FailingSource(_source(estate).records.values())
    key = sorted(source.pseudonymised_keys())[0]
    store = _edge(tmp_path / "index", shared_embedder)
    try:
        writer = IndexWriter(store, shared_embedder, Bm25Encoder())
        with BackgroundIndexer(writer, source) as indexer:
            indexer.submit([key])
            with pytest.raises(BackgroundIndexError, match="OSError") as raised:
                indexer.finish()
        assert source.records[key].text not in str(raised.value)
        with pytest.raises(RuntimeError, match="finished"):
            indexer.submit([key])
    finally:
        store.close()


def test_max_pending_must_be_positive(tmp_path: Path, shared_embedder: Any) -> None:
    store = _edge(tmp_path / "index", shared_embedder)
    try:
        writer = IndexWriter(store, shared_embedder, Bm25Encoder())
        with pytest.raises(ValueError, match="max_pending"):
            BackgroundIndexer(writer, StaticSource([]), max_pending=0)
    finally:
        store.close()
