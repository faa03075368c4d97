"""The int8 ONNX backend: same model, same neighbours as torch, made once, fails clearly."""

from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from api.backends import build_embedder
from api.settings import load_settings
from retrieval.index import DenseEmbedder, EmbeddingModelError, resolve_model_path
from retrieval.index.onnx_embedder import FOREGROUND_TEXTS, WORKER_NICENESS, OnnxInt8Embedder

SENTENCES = [
    "[Mother] said she had been drinking most evenings since the summer.",
    "School reported [Child 1] arrived hungry and without a coat on three days.",
    "Police attended after neighbours heard shouting; [Mother's partner] was arrested.",
    "Health visitor noted the home was warm and [Child 2] was meeting milestones.",
    "CAMHS appointment offered; [Child 1] did not attend.",
    "[Father] described cannabis use to help him sleep.",
]
QUERIES = [
    ("history of alcohol misuse", 0),
    ("was the child fed and clothed for school", 1),
    ("domestic abuse police call-out", 2),
    ("child development and home conditions", 3),
    ("mental health service appointments", 4),
    ("drug use by a parent", 5),
]


@pytest.fixture(scope="module")
def onnx() -> OnnxInt8Embedder:
    settings = load_settings()
    return OnnxInt8Embedder(cache_dir=settings.resolved_model_cache_dir, threads=1)


@pytest.fixture(scope="module")
def torch_vectors() -> np.ndarray:
    return DenseEmbedder().embed(SENTENCES)


def test_int8_vectors_stay_close_to_torch(onnx: OnnxInt8Embedder, torch_vectors: np.ndarray):
    vectors = onnx.embed(SENTENCES)
    assert vectors.shape == torch_vectors.shape == (len(SENTENCES), onnx.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    cosines = (vectors * torch_vectors).sum(axis=1)
    assert cosines.min() > 0.97, cosines


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_int8_finds_the_same_nearest_sentence_as_torch(
    onnx: OnnxInt8Embedder, torch_vectors: np.ndarray, query: str, expected: int
):
    q_int8 = np.asarray(onnx.embed_query(query))
    q_torch = DenseEmbedder().embed([query])[0]
    best_int8 = int(np.argmax(onnx.embed(SENTENCES) @ q_int8))
    best_torch = int(np.argmax(torch_vectors @ q_torch))
    assert best_int8 == best_torch == expected


def test_a_text_gets_the_same_vector_whatever_else_is_embedded_with_it(onnx: OnnxInt8Embedder):
    one_by_one = np.vstack([onnx.embed([s]) for s in SENTENCES])
    together = onnx.embed(list(reversed(SENTENCES)))[::-1]
    assert np.allclose(one_by_one, together, atol=1e-6)
    assert onnx.embed([]).shape == (0, onnx.dimension)


def test_worker_threads_give_the_same_vectors_in_order(onnx: OnnxInt8Embedder):
    parallel = OnnxInt8Embedder(cache_dir=onnx.cache_dir, threads=1, workers=3)
    texts = SENTENCES * 3
    assert np.array_equal(parallel.embed(texts), onnx.embed(texts))
    assert parallel.workers == 3 and onnx.workers == 1
    assert OnnxInt8Embedder(cache_dir=onnx.cache_dir, workers=0).workers == (os.cpu_count() or 1)


class _PriorityRecorder(OnnxInt8Embedder):
    """Records the priority of each thread that embeds a text."""

    priorities: list[int]

    def _embed_one(self, session: Any, tokenizer: Any, text: str) -> np.ndarray:
        self.priorities.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return super()._embed_one(session, tokenizer, text)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_bulk_embedding_yields_the_cpu_but_a_question_does_not(onnx: OnnxInt8Embedder):
    """Bulk embedding runs below the caller's priority, so it takes only idle CPU; the few
    texts of a question being answered run at the caller's own priority."""
    parallel = _PriorityRecorder(cache_dir=onnx.cache_dir, threads=1, workers=2)
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    parallel.priorities = []
    parallel.embed(SENTENCES[:3])
    assert set(parallel.priorities) == {mine}
    parallel.priorities = []
    parallel.embed([f"bulk text {i}" for i in range(FOREGROUND_TEXTS + 1)])
    assert set(parallel.priorities) == {min(mine + WORKER_NICENESS, 19)}


def test_the_int8_file_is_made_once_and_keyed_by_the_model(onnx: OnnxInt8Embedder):
    onnx.embed(["warm"])
    made = onnx.onnx_path.stat().st_mtime_ns
    again = OnnxInt8Embedder(cache_dir=onnx.cache_dir)
    again.embed(["warm"])
    assert again.onnx_path == onnx.onnx_path
    assert again.onnx_path.stat().st_mtime_ns == made
    assert resolve_model_path().name in onnx.onnx_path.name


def _model_copy(tmp_path: Path) -> Path:
    """A copy of the packaged model whose files are links (the weights are not copied)."""
    source = resolve_model_path()
    copy = tmp_path / "model"
    shutil.copytree(source, copy, copy_function=lambda s, d: Path(d).symlink_to(s))
    return copy


def test_a_changed_model_gets_its_own_file(tmp_path: Path, onnx: OnnxInt8Embedder):
    copy = _model_copy(tmp_path)
    (copy / "config.json").unlink()
    (copy / "config.json").write_text(
        (resolve_model_path() / "config.json").read_text().replace("}", ', "edited": 1}', 1)
    )
    other = OnnxInt8Embedder(copy, cache_dir=onnx.cache_dir)
    assert other.onnx_path != onnx.onnx_path


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cache_dir": ""}, "cache directory"),
        ({"threads": -1}, "threads"),
        ({"workers": -1}, "workers"),
    ],
)
def test_bad_settings_fail_clearly(tmp_path: Path, kwargs: dict, message: str):
    arguments = {"cache_dir": tmp_path, **kwargs}
    with pytest.raises((ValueError, EmbeddingModelError), match=message):
        OnnxInt8Embedder(**arguments)


def test_a_model_that_does_not_mean_pool_is_refused(tmp_path: Path):
    copy = _model_copy(tmp_path)
    pooling = copy / "1_Pooling" / "config.json"
    text = pooling.read_text()
    pooling.unlink()
    pooling.write_text(
        text.replace('"pooling_mode_mean_tokens": true', '"pooling_mode_mean_tokens": false')
    )
    with pytest.raises(EmbeddingModelError, match="mean-pooling"):
        OnnxInt8Embedder(copy, cache_dir=tmp_path / "cache")


def test_settings_pick_the_backend(tmp_path: Path):
    settings = load_settings(data_dir=tmp_path)
    default = build_embedder(settings)
    assert isinstance(default, OnnxInt8Embedder)
    assert default.cache_dir == settings.resolved_model_cache_dir
    unset = load_settings(data_dir=tmp_path, model_cache_dir=None)
    assert unset.resolved_model_cache_dir == tmp_path / "models"
    torch_backend = build_embedder(load_settings(data_dir=tmp_path, embedding_backend="torch"))
    assert isinstance(torch_backend, DenseEmbedder)
