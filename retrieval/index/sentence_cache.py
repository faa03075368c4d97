"""Sentence vectors made at index time, so answering a question embeds no source sentence.

The answer's relevance step (``assistant.relevance``) compares the question with every
sentence of the retrieved chunks. Embedding those sentences when the question comes costs
about 2 ms each on two cores (a few hundred milliseconds a question); the index writer
already has the chunks in hand, so it embeds their sentences too and keeps the vectors
here. Keys are SHA-256 digests of (embedder label, text): a change of model or backend
misses the cache instead of mixing two models' vectors. The texts are pseudonymised index
text, and only the index writer writes (question-time text is never stored).

SQLite (standard library) in a file beside the embedded index; with a Qdrant server the
file is a per-host cache that ``caselens index sync --rebuild`` refills. A missing vector
is only slower, never wrong: the reader embeds what it does not find.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

_BATCH = 500


class SentenceVectorCache:
    """Persistent text -> vector map for one embedder (``label``) and ``dimension``."""

    def __init__(self, path: str | Path, label: str, dimension: int) -> None:
        if dimension < 1:
            raise ValueError("dimension must be at least 1")
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.label = label
        self.dimension = dimension
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS sentence_vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL)"
        )
        self._db.commit()

    def _key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.label}\x00{text}".encode()).digest()

    def get_many(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors found for ``texts`` (missing texts are simply absent)."""
        keys = {self._key(t): t for t in dict.fromkeys(texts)}
        found: dict[str, np.ndarray] = {}
        items = list(keys)
        with self._lock:
            for start in range(0, len(items), _BATCH):
                batch = items[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(
                    f"SELECT key, vec FROM sentence_vectors WHERE key IN ({marks})", batch
                ).fetchall()
                for key, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape[0] == self.dimension:
                        found[keys[key]] = vector
        return found

    def put_many(self, vectors: Mapping[str, np.ndarray]) -> None:
        rows = [
            (self._key(text), np.asarray(vec, dtype=np.float32).tobytes())
            for text, vec in vectors.items()
        ]
        if not rows:
            return
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO sentence_vectors (key, vec) VALUES (?, ?)", rows
            )
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM sentence_vectors").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
