"""The permitted hybrid index: pseudonymised chunks in Qdrant, scoped and filtered search."""

from retrieval.index.chunking import Chunk, RecordChunker, record_key
from retrieval.index.embeddings import (
    DenseEmbedder,
    Embedder,
    EmbeddingModelError,
    QueryEmbedder,
    resolve_model_path,
)
from retrieval.index.filters import FieldMatch, FilterSpec, permitted_filter, subject_filter
from retrieval.index.search import HybridSearcher, SearchHit, SearchResult
from retrieval.index.sparse import Bm25Encoder, SparseVec
from retrieval.index.store import IndexPoint, StoredHit, VectorStore
from retrieval.index.subject import Subject
from retrieval.index.sync import IndexWriter, SyncReport, rebuild_index, sync_index

__all__ = [
    "Bm25Encoder",
    "Chunk",
    "DenseEmbedder",
    "Embedder",
    "EmbeddingModelError",
    "FieldMatch",
    "FilterSpec",
    "HybridSearcher",
    "IndexPoint",
    "IndexWriter",
    "QueryEmbedder",
    "RecordChunker",
    "SearchHit",
    "SearchResult",
    "SparseVec",
    "StoredHit",
    "Subject",
    "SyncReport",
    "VectorStore",
    "permitted_filter",
    "rebuild_index",
    "record_key",
    "resolve_model_path",
    "subject_filter",
    "sync_index",
]
