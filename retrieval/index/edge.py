"""Qdrant Edge (``qdrant_edge``, in-process Rust engine) behind the ``VectorStore`` interface.

Two storage layouts (``Settings.index_storage``), same points, same filters, same results:

- ``memory``: everything stays in Edge's appendable segment, whose payload indexes and
  sparse index live in RAM and whose written mmap pages stay resident. Fastest to build,
  but peak RSS grows with the index (about 7 KiB a chunk: 7.5 GiB at 1M chunks).
- ``disk``: after every ``compact_every`` upserted points the appendable segment is
  compacted (``optimize()``) into an immutable segment of mmapped files: vectors and the
  sparse index stay on disk until touched, payload, payload indexes and id tracker are
  read in when the segment opens (``DISK_MEMORY``). Peak RSS is then one appendable
  segment plus about 1 MiB per 1,000 chunks, not the whole index in RAM. No HNSW graph is
  built (``m=0``): a subject-scoped query is answered from the payload indexes either way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import qdrant_edge as qe

from retrieval.files import private_dir, require_free_space
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


def _condition(cond: FieldMatch | FieldRange | FilterSpec) -> Any:
    if isinstance(cond, FilterSpec):
        return to_edge_filter(cond)
    if isinstance(cond, FieldRange):
        return qe.FieldCondition(key=cond.key, range=qe.RangeFloat(gte=cond.gte, lte=cond.lte))
    if len(cond.values) == 1:
        return qe.FieldCondition(key=cond.key, match=qe.MatchValue(cond.values[0]))
    return qe.FieldCondition(key=cond.key, match=qe.MatchAny(cond.match_values()))


def to_edge_filter(spec: FilterSpec) -> qe.Filter:
    return qe.Filter(
        must=[_condition(c) for c in spec.must] or None,
        must_not=[_condition(c) for c in spec.must_not] or None,
        should=[_condition(c) for c in spec.should] or None,
    )


IndexStorage = Literal["memory", "disk"]
INDEX_STORAGES: tuple[str, ...] = ("memory", "disk")
#: Points upserted between compactions in ``disk`` mode: bounds the appendable segment
#: (its memory at scale: docs/scale.md) and makes 10 segments at 1M chunks.
COMPACT_EVERY = 100_000
#: Segments the optimizer keeps before merging the smallest ones (merges rewrite data).
_SEGMENT_NUMBER = 32


#: ``disk`` mode: where each part of a compacted segment lives. Cold: mmapped, read from
#: disk on first touch (Qdrant drops cold files from the page cache). Cached: mmapped and
#: read in when the segment opens (counted as RssFile). Every scoped query reads the
#: payload indexes (policy and subject filter), the id tracker and the hits' payloads, so
#: those are cached; vectors stay cold (most of the bytes, read per family). What each
#: choice costs in page faults, latency and RssFile: docs/scale.md.
DISK_MEMORY: Mapping[str, qe.Memory] = MappingProxyType(
    {
        "dense": qe.Memory.Cold,
        "sparse": qe.Memory.Cold,
        "payload": qe.Memory.Cached,
        "payload_index": qe.Memory.Cached,
        "id_tracker": qe.Memory.Cached,
    }
)


def _edge_config(dimension: int, storage: IndexStorage, compact_every: int) -> qe.EdgeConfig:
    if storage == "memory":
        return qe.EdgeConfig(
            vectors={DENSE: qe.EdgeVectorParams(size=dimension, distance=qe.Distance.Cosine)},
            sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
        )
    where = DISK_MEMORY
    vector_kb = max(1, compact_every * dimension * 4 // 1024)
    return qe.EdgeConfig(
        vectors={
            DENSE: qe.EdgeVectorParams(
                size=dimension, distance=qe.Distance.Cosine, memory=where["dense"]
            )
        },
        sparse_vectors={
            SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf, memory=where["sparse"])
        },
        payload_memory=where["payload"],
        id_tracker_memory=where["id_tracker"],
        # m=0: no graph. Scoped queries use the payload indexes; building a graph took
        # 142 s per 100k points and is only worth it for unscoped search.
        hnsw_config=qe.HnswIndexConfig(
            m=0, ef_construct=100, full_scan_threshold=10_000, payload_m=0, memory=qe.Memory.Cold
        ),
        optimizers=qe.EdgeOptimizersConfig(
            # Compact a segment holding about half a batch or more (vector bytes, in KB).
            indexing_threshold=max(1, vector_kb // 2),
            default_segment_number=_SEGMENT_NUMBER,
            max_segment_size=vector_kb * 4,
        ),
    )


#: Free space the index folder must have before Edge opens or writes: its WAL maps two
#: 32 MiB files and compaction writes new segments beside the old ones.
MIN_FREE_BYTES = 256 * 2**20


class EdgeVectorStore(PagedPayloads):
    """One Edge shard in a folder; created with the payload indexes on first open.

    ``storage`` picks the layout (see the module docstring); a folder reopens with either.
    """

    def __init__(
        self,
        path: str | Path,
        dimension: int,
        storage: IndexStorage = "memory",
        compact_every: int = COMPACT_EVERY,
        min_free_bytes: int = MIN_FREE_BYTES,
    ) -> None:
        if storage not in INDEX_STORAGES:
            raise ValueError(f"index storage must be one of {INDEX_STORAGES}, not {storage!r}")
        if compact_every < 1:
            raise ValueError("compact_every must be at least 1")
        self.path = Path(path)
        self.dimension = dimension
        self.storage = storage
        self.compact_every = compact_every
        self._since_compaction = 0
        self.min_free_bytes = min_free_bytes
        self._require_space()
        config = _edge_config(dimension, storage, compact_every)
        if self.path.is_dir() and any(self.path.iterdir()):
            self._shard = qe.EdgeShard.load(str(self.path), config)
        else:
            private_dir(self.path)
            self._shard = qe.EdgeShard.create(str(self.path), config)
        self._ensure_indexes()

    def _ensure_indexes(self) -> None:
        existing = set(self._shard.info().payload_schema)
        keyword: Any = qe.PayloadSchemaType.Keyword
        integer: Any = qe.PayloadSchemaType.Integer
        if self.storage == "disk":  # same index kinds, as mmapped files once compacted
            where = DISK_MEMORY["payload_index"]
            keyword = qe.KeywordIndexParams(memory=where)
            integer = qe.IntegerIndexParams(lookup=True, range=True, memory=where)
        for name in KEYWORD_FIELDS:
            if name not in existing:
                self._shard.update(qe.UpdateOperation.create_field_index(name, keyword))
        for name in INTEGER_FIELDS:
            if name not in existing:
                self._shard.update(qe.UpdateOperation.create_field_index(name, integer))

    def _require_space(self) -> None:
        # Edge memory-maps its write-ahead log: a write into a full disk is SIGBUS (the
        # process dies with "Bus error", no message), so refuse before, naming the folder.
        require_free_space(self.path, self.min_free_bytes, "the index (Qdrant Edge)")

    def upsert(self, points: Sequence[IndexPoint]) -> None:
        if not points:
            return
        self._require_space()
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
        self._since_compaction += len(edge_points)
        if self.storage == "disk" and self._since_compaction >= self.compact_every:
            self.compact()

    def compact(self) -> None:
        """``disk`` mode: move the appendable segment into cold, immutable mmapped files
        (blocks; about 15 s per 100k chunks on 2 busy cores). A no-op in ``memory`` mode."""
        self._since_compaction = 0
        if self.storage == "disk":
            self._shard.flush()
            self._shard.optimize()

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

    def flush(self) -> None:
        self._shard.flush()

    def close(self) -> None:
        self._shard.flush()
        self._shard.close()
