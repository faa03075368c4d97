"""BM25-style sparse vectors: Qdrant's own BM25 tokenizer (English stemming, stopwords).

Documents get saturated term frequencies; queries get weight 1 per term; the collection
applies IDF (sparse modifier ``idf``) so no vocabulary or corpus statistics live here.
The same vectors go to Qdrant Edge and to a Qdrant server.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SparseVec:
    indices: tuple[int, ...]
    values: tuple[float, ...]


class Bm25Encoder:
    def __init__(self, avg_len: float = 90.0, k: float = 1.2, b: float = 0.75) -> None:
        import qdrant_edge

        self._model = qdrant_edge.Bm25(qdrant_edge.Bm25Config(k=k, b=b, avg_len=avg_len))

    def document(self, text: str) -> SparseVec:
        vec = self._model.embed_document(text)
        return SparseVec(tuple(vec.indices), tuple(vec.values))

    def query(self, text: str) -> SparseVec:
        vec = self._model.embed_query(text)
        return SparseVec(tuple(vec.indices), tuple(vec.values))
