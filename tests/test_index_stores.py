"""Both VectorStore backends keep the same bookkeeping, list the same payloads and filter alike.

Qdrant Edge runs in-process; the server backend runs on qdrant-client's local mode here
(same client code as against a server, scanning in Python).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from qdrant_client import QdrantClient

from retrieval.index.edge import EdgeVectorStore
from retrieval.index.filters import FIRST_CHUNK, FieldMatch, FilterSpec
from retrieval.index.server import QdrantServerStore
from retrieval.index.sparse import SparseVec
from retrieval.index.store import IndexedRecord, IndexPoint, VectorStore

DIM = 4


def _point(record: str, chunk: int, family: str, **extra: object) -> IndexPoint:
    payload = {"record_key": record, "chunk_index": chunk, "family_ids": [family], **extra}
    return IndexPoint(str(uuid.uuid4()), [0.1, 0.2, 0.3, 0.4], SparseVec((1,), (1.0,)), payload)


@pytest.fixture(params=["edge", "client"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorStore]:
    built: VectorStore
    if request.param == "edge":
        built = EdgeVectorStore(tmp_path / "edge", DIM)
    else:
        built = QdrantServerStore(QdrantClient(location=":memory:"), DIM)
    yield built
    built.close()


def test_bookkeeping_payloads_and_filters_agree(store: VectorStore) -> None:
    points = [
        _point("LCS:R1", 0, "FAM-A", source_hash="h1", chunk_count=2),
        _point("LCS:R1", 1, "FAM-A"),
        _point("EHM:R2", 0, "FAM-B", source_hash="h2", chunk_count=1),
        _point("EHM:R3", 0, "FAM-C", source_hash="h3", chunk_count=1),
    ]
    store.upsert(points)
    store.flush()

    assert store.indexed_records() == {
        "LCS:R1": IndexedRecord("h1", 2),
        "EHM:R2": IndexedRecord("h2", 1),
        "EHM:R3": IndexedRecord("h3", 1),
    }
    listed = dict(store.iter_payloads())
    assert set(listed) == {p.id for p in points}
    assert listed[points[1].id]["record_key"] == "LCS:R1"
    two_families = FilterSpec(must=(FieldMatch("family_ids", ("FAM-A", "FAM-B")), FIRST_CHUNK))
    assert store.count(two_families) == 2

    store.delete_records(["LCS:R1"])
    store.flush()
    assert set(store.indexed_records()) == {"EHM:R2", "EHM:R3"}
    assert len(dict(store.iter_payloads())) == 2
