"""The one small vector-store interface the index uses, with its point and hit types.

Two implementations share the payload schema and filters: ``EdgeVectorStore`` (Qdrant
Edge, in-process, the embedded default) and ``QdrantServerStore`` (qdrant-client, for a
Qdrant server by URL).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from retrieval.index.filters import FilterSpec
from retrieval.index.sparse import SparseVec

DENSE = "dense"
SPARSE = "bm25"
#: Reciprocal rank fusion constant (the usual 60).
RRF_K = 60


@dataclass(frozen=True)
class IndexPoint:
    id: str
    dense: Sequence[float]
    sparse: SparseVec
    payload: dict[str, Any]


@dataclass(frozen=True)
class StoredHit:
    id: str
    score: float
    payload: dict[str, Any]


@dataclass(frozen=True)
class IndexedRecord:
    """Bookkeeping of one indexed record, read from its first chunk."""

    source_hash: str
    chunk_count: int


#: The payload fields of a first chunk that ``indexed_records`` needs.
BOOKKEEPING_FIELDS = ["record_key", "source_hash", "chunk_count"]


def indexed_records_from(payloads: Iterable[dict[str, Any]]) -> dict[str, IndexedRecord]:
    """Record key -> bookkeeping, from the payloads of each record's first chunk."""
    return {
        p["record_key"]: IndexedRecord(str(p.get("source_hash", "")), int(p.get("chunk_count", 1)))
        for p in payloads
    }


class VectorStore(Protocol):
    def upsert(self, points: Sequence[IndexPoint]) -> None: ...

    def delete_records(self, record_keys: Sequence[str]) -> None: ...

    def delete_all(self) -> None: ...

    def hybrid_search(
        self,
        dense: Sequence[float],
        sparse: SparseVec,
        flt: FilterSpec,
        limit: int,
        prefetch_limit: int,
    ) -> list[StoredHit]: ...

    def count(self, flt: FilterSpec | None = None) -> int: ...

    def indexed_records(self) -> dict[str, IndexedRecord]: ...

    def iter_payloads(self) -> Iterator[tuple[str, dict[str, Any]]]: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...
