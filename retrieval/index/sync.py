"""Keep the index equal to the pseudonymised source: add new, replace changed, drop removed.

A record's chunks are written with its first chunk (which carries the source hash) last,
so a record whose hash is in the index has all its chunks; an interrupted sync is safe to
re-run. Changed records have their old chunks deleted first, so no orphans or duplicates.
Every chunk names the embedder that made its vector (``Embedder.label``); a record another
embedder made (after a change of ``CASELENS_EMBEDDING_BACKEND`` or model) counts as
changed, so one sync re-embeds it and the index never mixes two models' vectors for long.
A record that cannot be indexed is skipped and reported by key and reason; it stays out
of the index and the next sync tries it again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from retrieval.errors import is_environmental, safe_reason
from retrieval.index.chunking import Chunk, RecordChunker, record_key
from retrieval.index.embeddings import Embedder
from retrieval.index.sentence_cache import SentenceVectorCache
from retrieval.index.sparse import Bm25Encoder
from retrieval.index.store import IndexPoint, VectorStore
from retrieval.pseudonymised import PseudonymisedRecord, PseudonymisedSource

log = logging.getLogger(__name__)


#: Chunk text -> the sentence texts to embed and cache for it.
SentenceTexts = Callable[[str], Sequence[str]]


@dataclass
class SyncReport:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    #: Of ``updated``: records whose text was the same but another embedder made them.
    reembedded: int = 0
    chunks_written: int = 0
    seconds: float = 0.0
    #: Records that could not be indexed ("SYSTEM:id" -> reason); tried again next sync.
    skipped: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {**self.__dict__, "skipped": dict(self.skipped)}


class IndexWriter:
    """Chunks, embeds and writes records (dense + BM25) in batches."""

    def __init__(
        self,
        store: VectorStore,
        embedder: Embedder,
        sparse: Bm25Encoder,
        chunker: RecordChunker | None = None,
        batch_size: int = 256,
        *,
        sentences: SentenceTexts | None = None,
        sentence_cache: SentenceVectorCache | None = None,
    ) -> None:
        """``sentences`` (chunk text -> the texts answer relevance will embed for it) and
        ``sentence_cache``: also embed those at index time and keep their vectors, so
        questions embed no source sentence (``retrieval.index.sentence_cache``)."""
        self.store = store
        self.embedder = embedder
        self.sparse = sparse
        self.chunker = chunker or RecordChunker()
        self.batch_size = batch_size
        self.sentences = sentences
        self.sentence_cache = sentence_cache
        #: Records ``write`` could not index ("SYSTEM:id" -> reason, never content).
        self.skipped: dict[str, str] = {}

    def write(self, records: Iterable[PseudonymisedRecord]) -> int:
        """Write every chunk of ``records`` (their old chunks must already be gone).

        A record that cannot be chunked or embedded is skipped (its partial chunks removed)
        and listed in ``skipped``; failures of the machine (disk, memory) still raise.
        """
        pending: list[Chunk] = []
        written = 0
        for record in records:
            try:
                chunks = self.chunker.chunk(record)
            except Exception as exc:
                if is_environmental(exc):
                    raise
                self._skip(record_key(record.source_system, record.record_id), exc)
                continue
            pending.extend(chunks[1:] + chunks[:1])  # first chunk (bookkeeping) last
            if len(pending) >= self.batch_size:
                written += self._flush_or_split(pending)
                pending = []
        if pending:
            written += self._flush_or_split(pending)
        return written

    def _skip(self, key: str, exc: BaseException) -> None:
        self.skipped[key] = safe_reason(exc)
        log.warning("indexing skipped record %s: %s", key, self.skipped[key])

    def _flush_or_split(self, chunks: Sequence[Chunk]) -> int:
        """Flush the batch; if it fails, record by record, skipping those that fail."""
        try:
            return self._flush(chunks)
        except Exception as exc:
            if is_environmental(exc):
                raise
            by_record: dict[str, list[Chunk]] = {}
            for chunk in chunks:
                by_record.setdefault(str(chunk.payload["record_key"]), []).append(chunk)
            if len(by_record) == 1:
                key = next(iter(by_record))
                self.store.delete_records([key])
                self._skip(key, exc)
                return 0
        return sum(self._flush_or_split(group) for group in by_record.values())

    def _flush(self, chunks: Sequence[Chunk]) -> int:
        dense = self.embedder.embed([c.text for c in chunks])
        points = [
            IndexPoint(
                c.id,
                vec,
                self.sparse.document(c.text),
                {**c.payload, "embedder": self.embedder.label},
            )
            for c, vec in zip(chunks, dense, strict=True)
        ]
        self.store.upsert(points)
        self._cache_sentences(chunks)
        return len(points)

    def _cache_sentences(self, chunks: Sequence[Chunk]) -> None:
        if self.sentences is None or self.sentence_cache is None:
            return
        texts = list(dict.fromkeys(t for c in chunks for t in self.sentences(c.text)))
        have = self.sentence_cache.get_many(texts)
        missing = [t for t in texts if t not in have]
        if missing:
            vectors = self.embedder.embed(missing)
            self.sentence_cache.put_many(dict(zip(missing, vectors, strict=True)))


def sync_index(writer: IndexWriter, source: PseudonymisedSource) -> SyncReport:
    """Make the index match ``source`` (incremental)."""
    started = time.perf_counter()
    report = SyncReport()
    writer.skipped.clear()
    wanted = {record_key(s, r): h for (s, r), h in source.pseudonymised_keys().items()}
    indexed = writer.store.indexed_records()
    removed = sorted(set(indexed) - set(wanted))
    changed = {k for k, h in wanted.items() if k in indexed and indexed[k].source_hash != h}
    reembed = {k for k in wanted if k in indexed and indexed[k].embedder != writer.embedder.label}
    report.reembedded = len(reembed - changed)
    changed |= reembed
    new = {k for k in wanted if k not in indexed}
    report.unchanged = len(wanted) - len(changed) - len(new)
    # Removed and changed records lose every chunk (also any partial write of a new one).
    stale = removed + sorted(changed | new)
    for start in range(0, len(stale), 1000):
        writer.store.delete_records(stale[start : start + 1000])
    todo = changed | new
    if todo:
        records = (r for r in source.iter_pseudonymised() if record_key(*r.key) in todo)
        report.chunks_written = writer.write(records)
    writer.store.flush()
    report.skipped = dict(writer.skipped)
    report.added, report.updated, report.deleted = len(new), len(changed), len(removed)
    report.seconds = round(time.perf_counter() - started, 3)
    log.info(
        "index sync: added=%d updated=%d (re-embedded %d) deleted=%d unchanged=%d chunks=%d",
        report.added,
        report.updated,
        report.reembedded,
        report.deleted,
        report.unchanged,
        report.chunks_written,
    )
    return report


def rebuild_index(writer: IndexWriter, source: PseudonymisedSource) -> SyncReport:
    """Drop every chunk and index the whole source again."""
    started = time.perf_counter()
    writer.store.delete_all()
    report = SyncReport()
    records = list(source.iter_pseudonymised())
    report.added = len({r.key for r in records})
    report.chunks_written = writer.write(records)
    writer.store.flush()
    report.seconds = round(time.perf_counter() - started, 3)
    log.info("index rebuild: records=%d chunks=%d", report.added, report.chunks_written)
    return report
