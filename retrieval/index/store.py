"""The one small vector-store interface the index uses, with its point and hit types.

Two implementations share the payload schema and filters: ``EdgeVectorStore`` (Qdrant
Edge, in-process, the embedded default) and ``QdrantServerStore`` (qdrant-client, for a
Qdrant server by URL).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from retrieval.index.filters import FIRST_CHUNK, FilterSpec
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
    #: ``Embedder.label`` of what embedded it ("" in indexes written before it was kept).
    embedder: str = ""


#: The payload fields of a first chunk that ``indexed_records`` needs.
BOOKKEEPING_FIELDS = ["record_key", "source_hash", "chunk_count", "embedder"]


def indexed_records_from(payloads: Iterable[dict[str, Any]]) -> dict[str, IndexedRecord]:
    """Record key -> bookkeeping, from the payloads of each record's first chunk."""
    return {
        p["record_key"]: IndexedRecord(
            str(p.get("source_hash", "")),
            int(p.get("chunk_count", 1)),
            str(p.get("embedder", "")),
        )
        for p in payloads
    }


class PagedPayloads:
    """``indexed_records`` and ``iter_payloads`` for any store that can page its points:
    Qdrant Edge and the Qdrant server implement ``_scroll`` and share the rest."""

    def _scroll(
        self, flt: FilterSpec | None, with_payload: bool | list[str]
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        raise NotImplementedError

    def indexed_records(self) -> dict[str, IndexedRecord]:
        first = FilterSpec(must=(FIRST_CHUNK,))
        return indexed_records_from(p for _, p in self._scroll(first, BOOKKEEPING_FIELDS))

    def iter_payloads(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every point's id and payload (for the leak scanner)."""
        return self._scroll(None, True)

    def payloads(self, flt: FilterSpec, fields: list[str]) -> Iterator[dict[str, Any]]:
        """The ``fields`` of every point matching ``flt`` (no vectors, no ranking)."""
        return (payload for _, payload in self._scroll(flt, fields))


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

    def payloads(self, flt: FilterSpec, fields: list[str]) -> Iterator[dict[str, Any]]: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...
