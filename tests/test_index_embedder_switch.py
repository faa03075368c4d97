"""Each chunk names the embedder that made it; after a switch, one sync re-embeds all.

Real Qdrant Edge, the real int8 ONNX and torch embedders, a small synthetic estate.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import default_policy_path, load_settings
from evals.estate import generate_estate
from evals.gold_pseudonymised import StaticSource, load_gold_source
from retrieval.index import Bm25Encoder, DenseEmbedder, IndexWriter, sync_index
from retrieval.index.edge import EdgeVectorStore
from retrieval.index.onnx_embedder import OnnxInt8Embedder
from retrieval.policy import InformationSharingPolicy


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> StaticSource:
    estate = tmp_path_factory.mktemp("switch") / "estate"
    generate_estate(estate, 2, 5, force=True)
    gold = load_gold_source(estate, InformationSharingPolicy.load(default_policy_path()))
    return StaticSource(list(gold.iter_pseudonymised())[:25])


def test_labels_name_backend_and_model() -> None:
    onnx = OnnxInt8Embedder(cache_dir=load_settings().resolved_model_cache_dir)
    torch = DenseEmbedder()
    assert onnx.label.startswith("onnx-int8:")
    assert torch.label == f"torch:{torch.model_path.name}"
    assert onnx.label.endswith(torch.model_path.name)


def test_switching_backend_reembeds_every_record_once(tmp_path: Path, source: StaticSource) -> None:
    onnx = OnnxInt8Embedder(cache_dir=load_settings().resolved_model_cache_dir, threads=1)
    torch = DenseEmbedder()
    store = EdgeVectorStore(tmp_path / "index", onnx.dimension)
    try:
        first = sync_index(IndexWriter(store, onnx, Bm25Encoder()), source)
        assert first.added == len(source.records) and first.reembedded == 0
        assert {r.embedder for r in store.indexed_records().values()} == {onnx.label}

        switched = sync_index(IndexWriter(store, torch, Bm25Encoder()), source)
        assert switched.reembedded == switched.updated == len(source.records)
        assert switched.added == switched.deleted == 0
        assert {r.embedder for r in store.indexed_records().values()} == {torch.label}
        assert store.count() == first.chunks_written  # no orphans, no duplicates

        again = sync_index(IndexWriter(store, torch, Bm25Encoder()), source)
        assert again.reembedded == again.updated == 0
        assert again.unchanged == len(source.records)
    finally:
        store.close()
