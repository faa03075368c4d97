"""Sentence embeddings for relevance and support checks, sharing the index's model.

The index already loads all-MiniLM-L6-v2 once (``retrieval.index.DenseEmbedder``); the
extractive generator and the citation verifier reuse that same instance through
``CachedEmbedder``, which adds a per-text cache so a question's source sentences are
embedded once even when the generator and the verifier both look at them. The answer
service's search embeds the question through it as well (``embed_query``), so the
generator finds the question's vector already made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np


class TextEmbedder(Protocol):
    """What the assistant needs: unit-length vectors, one row per text."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class VectorModel(Protocol):
    """What the index's embedder offers (``retrieval.index.DenseEmbedder.embed``)."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class StoredVectors(Protocol):
    """Vectors made at index time (``retrieval.index.sentence_cache``); read only here."""

    def get_many(self, texts: Sequence[str]) -> dict[str, np.ndarray]: ...


class SpelledOutVectors:
    """``StoredVectors`` that also finds a sentence under the text the index embedded for
    it: the index stores each sentence with its abbreviations spelled out
    (``assistant.relevance.sentence_texts``), so "Passed to DSL." is found as the index
    wrote it rather than embedded again at answer time."""

    def __init__(self, stored: StoredVectors, spell: Callable[[str], str]) -> None:
        self._stored = stored
        self._spell = spell

    def get_many(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        found = self._stored.get_many(texts)
        missing = {self._spell(t): t for t in texts if t not in found}
        missing = {spelled: t for spelled, t in missing.items() if spelled != t}
        if missing:
            for spelled, vector in self._stored.get_many(list(missing)).items():
                found[missing[spelled]] = vector
        return found


class CachedEmbedder:
    """``TextEmbedder`` over any ``VectorModel``, with an in-memory cache keyed by text and,
    optionally, the index's stored sentence vectors consulted before the model."""

    def __init__(
        self,
        model: VectorModel,
        *,
        cache_size: int = 50_000,
        stored: StoredVectors | None = None,
    ) -> None:
        if cache_size < 1:
            raise ValueError("cache_size must be at least 1")
        self.model = model
        self._cache: dict[str, np.ndarray] = {}
        self._cache_size = cache_size
        self._stored = stored

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        found = {t: v for t in dict.fromkeys(texts) if (v := self._cache.get(t)) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing and self._stored is not None:
            found.update(self._stored.get_many(missing))
            missing = [t for t in missing if t not in found]
        if missing:
            vectors = self.model.embed(missing)
            if len(self._cache) + len(missing) > self._cache_size:
                self._cache.clear()
            for text, vector in zip(missing, vectors, strict=True):
                found[text] = self._cache[text] = np.asarray(vector, dtype=np.float32)
        return np.stack([found[t] for t in texts])

    def embed_query(self, text: str) -> list[float]:
        """The search's question vector, through the cache: the generator scores the
        question's sentences against the same text without a second forward pass."""
        vector: list[float] = self.encode([text])[0].tolist()
        return vector
