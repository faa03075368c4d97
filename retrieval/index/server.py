"""qdrant-client behind the ``VectorStore`` interface: a Qdrant server by URL.

Also accepts qdrant-client's local mode (``location=":memory:"`` or ``path=``), which the
benchmark uses as its baseline; it is not used for serving (it scans in Python).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from qdrant_client import QdrantClient, models

from retrieval.index.chunking import INTEGER_FIELDS, KEYWORD_FIELDS
from retrieval.index.filters import FieldMatch, FieldRange, FilterSpec
from retrieval.index.sparse import SparseVec
from retrieval.index.store import (
    DENSE,
    RRF_K,
    SPARSE,
    IndexPoint,
    PagedPayloads,
    StoredHit,
)

DEFAULT_COLLECTION = "caselens_chunks"


def _condition(cond: FieldMatch | FieldRange | FilterSpec) -> Any:
    if isinstance(cond, FilterSpec):
        return to_client_filter(cond)
    if isinstance(cond, FieldRange):
        return models.FieldCondition(key=cond.key, range=models.Range(gte=cond.gte, lte=cond.lte))
    if len(cond.values) == 1:
        return models.FieldCondition(key=cond.key, match=models.MatchValue(value=cond.values[0]))
    return models.FieldCondition(key=cond.key, match=models.MatchAny(any=cond.match_values()))


def to_client_filter(spec: FilterSpec) -> models.Filter:
    return models.Filter(
        must=[_condition(c) for c in spec.must] or None,
        must_not=[_condition(c) for c in spec.must_not] or None,
        should=[_condition(c) for c in spec.should] or None,
    )


class QdrantServerStore(PagedPayloads):
    def __init__(
        self, client: QdrantClient, dimension: int, collection: str = DEFAULT_COLLECTION
    ) -> None:
        self._client = client
        self.collection = collection
        self.dimension = dimension
        if not client.collection_exists(collection):
            client.create_collection(
                collection,
                vectors_config={
                    DENSE: models.VectorParams(size=dimension, distance=models.Distance.COSINE)
                },
                sparse_vectors_config={
                    SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)
                },
            )
            for name in KEYWORD_FIELDS:
                client.create_payload_index(collection, name, models.PayloadSchemaType.KEYWORD)
            for name in INTEGER_FIELDS:
                client.create_payload_index(collection, name, models.PayloadSchemaType.INTEGER)

    @classmethod
    def connect(
        cls,
        url: str,
        dimension: int,
        api_key: str | None = None,
        collection: str = DEFAULT_COLLECTION,
        timeout: int = 10,
    ) -> QdrantServerStore:
        return cls(QdrantClient(url=url, api_key=api_key, timeout=timeout), dimension, collection)

    def upsert(self, points: Sequence[IndexPoint]) -> None:
        if not points:
            return
        self._client.upsert(
            self.collection,
            points=[
                models.PointStruct(
                    id=p.id,
                    vector={
                        DENSE: list(map(float, p.dense)),
                        SPARSE: models.SparseVector(
                            indices=list(p.sparse.indices), values=list(p.sparse.values)
                        ),
                    },
                    payload=p.payload,
                )
                for p in points
            ],
            wait=True,
        )

    def delete_records(self, record_keys: Sequence[str]) -> None:
        if record_keys:
            flt = to_client_filter(FilterSpec(must=(FieldMatch("record_key", tuple(record_keys)),)))
            self._client.delete(self.collection, points_selector=models.FilterSelector(filter=flt))

    def delete_all(self) -> None:
        self._client.delete(
            self.collection, points_selector=models.FilterSelector(filter=models.Filter())
        )

    def hybrid_search(
        self,
        dense: Sequence[float],
        sparse: SparseVec,
        flt: FilterSpec,
        limit: int,
        prefetch_limit: int,
    ) -> list[StoredHit]:
        client_filter = to_client_filter(flt)
        response = self._client.query_points(
            self.collection,
            prefetch=[
                models.Prefetch(
                    query=list(dense), using=DENSE, limit=prefetch_limit, filter=client_filter
                ),
                models.Prefetch(
                    query=models.SparseVector(
                        indices=list(sparse.indices), values=list(sparse.values)
                    ),
                    using=SPARSE,
                    limit=prefetch_limit,
                    filter=client_filter,
                ),
            ],
            query=models.RrfQuery(rrf=models.Rrf(k=RRF_K)),
            query_filter=client_filter,
            limit=limit,
            with_payload=True,
        )
        return [
            StoredHit(str(p.id), float(p.score), dict(p.payload or {})) for p in response.points
        ]

    def count(self, flt: FilterSpec | None = None) -> int:
        client_filter = to_client_filter(flt) if flt is not None else None
        result = self._client.count(self.collection, count_filter=client_filter, exact=True)
        return int(result.count)

    def _scroll(
        self, flt: FilterSpec | None, with_payload: bool | list[str]
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every matching point's id and payload, a page at a time."""
        client_filter = to_client_filter(flt) if flt is not None else None
        offset: Any = None
        while True:
            records, offset = self._client.scroll(
                self.collection,
                scroll_filter=client_filter,
                limit=1000,
                offset=offset,
                with_payload=with_payload,
            )
            for rec in records:
                yield str(rec.id), dict(rec.payload or {})
            if offset is None:
                return

    def flush(self) -> None:
        """Server writes are durable once acknowledged (``wait=True``)."""

    def close(self) -> None:
        self._client.close()
