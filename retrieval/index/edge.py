"""Qdrant Edge (``qdrant_edge``, in-process Rust engine) behind the ``VectorStore`` interface."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import qdrant_edge as qe

from retrieval.index.chunking import INTEGER_FIELDS, KEYWORD_FIELDS
from retrieval.index.filters import FIRST_CHUNK, FieldMatch, FilterSpec
from retrieval.index.sparse import SparseVec
from retrieval.index.store import (
    BOOKKEEPING_FIELDS,
    DENSE,
    RRF_K,
    SPARSE,
    IndexedRecord,
    IndexPoint,
    StoredHit,
    indexed_records_from,
)


def _condition(cond: FieldMatch | FilterSpec) -> Any:
    if isinstance(cond, FilterSpec):
        return to_edge_filter(cond)
    if len(cond.values) == 1:
        return qe.FieldCondition(key=cond.key, match=qe.MatchValue(cond.values[0]))
    return qe.FieldCondition(key=cond.key, match=qe.MatchAny(cond.match_values()))


def to_edge_filter(spec: FilterSpec) -> qe.Filter:
    return qe.Filter(
        must=[_condition(c) for c in spec.must] or None,
        must_not=[_condition(c) for c in spec.must_not] or None,
        should=[_condition(c) for c in spec.should] or None,
    )


class EdgeVectorStore:
    """One Edge shard in a folder; created with the payload indexes on first open."""

    def __init__(self, path: str | Path, dimension: int) -> None:
        self.path = Path(path)
        self.dimension = dimension
        config = qe.EdgeConfig(
            vectors={DENSE: qe.EdgeVectorParams(size=dimension, distance=qe.Distance.Cosine)},
            sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
        )
        if self.path.is_dir() and any(self.path.iterdir()):
            self._shard = qe.EdgeShard.load(str(self.path), config)
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self._shard = qe.EdgeShard.create(str(self.path), config)
        self._ensure_indexes()

    def _ensure_indexes(self) -> None:
        existing = set(self._shard.info().payload_schema)
        for name in KEYWORD_FIELDS:
            if name not in existing:
                self._shard.update(
                    qe.UpdateOperation.create_field_index(name, qe.PayloadSchemaType.Keyword)
                )
        for name in INTEGER_FIELDS:
            if name not in existing:
                self._shard.update(
                    qe.UpdateOperation.create_field_index(name, qe.PayloadSchemaType.Integer)
                )

    def upsert(self, points: Sequence[IndexPoint]) -> None:
        if not points:
            return
        edge_points = [
            qe.Point(
                id=p.id,
                vector={
                    DENSE: list(map(float, p.dense)),
                    SPARSE: qe.SparseVector(list(p.sparse.indices), list(p.sparse.values)),
                },
                payload=p.payload,
            )
            for p in points
        ]
        self._shard.update(qe.UpdateOperation.upsert_points(edge_points))

    def delete_records(self, record_keys: Sequence[str]) -> None:
        if record_keys:
            flt = to_edge_filter(FilterSpec(must=(FieldMatch("record_key", tuple(record_keys)),)))
            self._shard.update(qe.UpdateOperation.delete_points_by_filter(flt))

    def delete_all(self) -> None:
        keys = list(self.indexed_records())
        for start in range(0, len(keys), 1000):
            self.delete_records(keys[start : start + 1000])
        # Chunks without a first chunk (should not exist) go too.
        leftovers = self._shard.count(qe.CountRequest(exact=True))
        if leftovers:
            records, _ = self._shard.scroll(qe.ScrollRequest(limit=leftovers, with_payload=False))
            self._shard.update(qe.UpdateOperation.delete_points([r.id for r in records]))

    def hybrid_search(
        self,
        dense: Sequence[float],
        sparse: SparseVec,
        flt: FilterSpec,
        limit: int,
        prefetch_limit: int,
    ) -> list[StoredHit]:
        edge_filter = to_edge_filter(flt)
        request = qe.QueryRequest(
            limit=limit,
            prefetches=[
                qe.Prefetch(
                    limit=prefetch_limit,
                    query=qe.Query.Nearest(list(dense), using=DENSE),
                    filter=edge_filter,
                ),
                qe.Prefetch(
                    limit=prefetch_limit,
                    query=qe.Query.Nearest(
                        qe.SparseVector(list(sparse.indices), list(sparse.values)), using=SPARSE
                    ),
                    filter=edge_filter,
                ),
            ],
            query=qe.Fusion.Rrf(k=RRF_K),  # type: ignore[arg-type]  # stub lists Fusion only
            filter=edge_filter,
            with_payload=True,
        )
        return [
            StoredHit(str(p.id), float(p.score), dict(p.payload or {}))
            for p in self._shard.query(request)
        ]

    def count(self, flt: FilterSpec | None = None) -> int:
        edge_filter = to_edge_filter(flt) if flt is not None else None
        return int(self._shard.count(qe.CountRequest(exact=True, filter=edge_filter)))

    def _scroll(
        self, flt: FilterSpec | None, with_payload: bool | list[str]
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every matching point's id and payload, a page at a time."""
        edge_filter = to_edge_filter(flt) if flt is not None else None
        offset: Any = None
        while True:
            records, offset = self._shard.scroll(
                qe.ScrollRequest(
                    offset=offset, limit=1000, filter=edge_filter, with_payload=with_payload
                )
            )
            for rec in records:
                yield str(rec.id), dict(rec.payload or {})
            if offset is None:
                return

    def indexed_records(self) -> dict[str, IndexedRecord]:
        first = FilterSpec(must=(FIRST_CHUNK,))
        return indexed_records_from(p for _, p in self._scroll(first, BOOKKEEPING_FIELDS))

    def iter_payloads(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every point's id and payload (for the leak scanner)."""
        return self._scroll(None, True)

    def flush(self) -> None:
        self._shard.flush()

    def close(self) -> None:
        self._shard.flush()
        self._shard.close()
