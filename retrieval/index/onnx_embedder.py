"""The same sentence-transformers model, run by ONNX Runtime with int8 weights.

Embedding dominates ingest on a small CPU machine. ONNX Runtime with dynamically
quantised (int8, per-channel) matrix multiplications embeds faster than torch on a few
CPU cores, with vectors close to torch's and the same recall@10 on the gold questions
(``caselens bench`` prints both; measurements in docs/scale.md). The int8 file is made
once from the local model directory (torch export + ``onnxruntime.quantization``) and
kept under ``cache_dir``, keyed by a hash of the model's files, so nothing is downloaded
and a changed model is never served from a stale file.

Texts run one per call. Dynamic quantisation scales activations per call, so in a padded
batch a text's vector would depend on its neighbours; alone, it is reproducible, and on a
few cores one text per call is as fast as batching (docs/scale.md) because nothing is
padded.

Many texts are spread over ``workers`` threads that share the one session (ONNX Runtime
runs concurrent calls safely and releases the GIL while it computes); each text still
runs alone, so the vectors do not change. The worker threads run at a lower priority
(``WORKER_NICENESS``, Linux): bulk embedding then takes whatever CPU redaction, a
question or the web app leave idle, and nearly all of it once they are done (two workers
at normal priority slowed the redaction they overlap; measurements in docs/scale.md).

Only models whose sentence-transformers pipeline is Transformer -> mean pooling ->
(optional) Normalize are accepted; anything else fails with a clear error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.index.embeddings import EmbeddingModelError, resolve_model_path

log = logging.getLogger(__name__)

#: How much lower (Unix nice steps) the bulk-embedding threads run than the caller.
WORKER_NICENESS = 10

#: At most this many texts in one call is a question being answered, not bulk embedding.
FOREGROUND_TEXTS = 32

#: Bump when the export or quantisation recipe changes: old files are then not reused.
EXPORT_RECIPE = "onnx-int8-matmul-per-channel-v1"
_MODEL_FILES = ("config.json", "model.safetensors", "pytorch_model.bin", "tokenizer.json")


def _pipeline_config(model_path: Path) -> int:
    """The model's max sequence length, after checking it pools by mean."""
    pooling = model_path / "1_Pooling" / "config.json"
    try:
        pooling_cfg = json.loads(pooling.read_text())
    except (OSError, ValueError) as exc:
        raise EmbeddingModelError(f"no readable pooling config at {pooling}") from exc
    if not pooling_cfg.get("pooling_mode_mean_tokens"):
        raise EmbeddingModelError("the ONNX backend supports mean-pooling models only")
    if not (model_path / "tokenizer.json").is_file():
        raise EmbeddingModelError(f"no tokenizer.json in {model_path}")
    try:
        st_cfg = json.loads((model_path / "sentence_bert_config.json").read_text())
    except (OSError, ValueError):
        st_cfg = {}
    return int(st_cfg.get("max_seq_length") or 256)


def model_fingerprint(model_path: Path) -> str:
    """A short hash of the weights, config and tokenizer plus the export recipe."""
    digest = hashlib.sha256(EXPORT_RECIPE.encode())
    for name in _MODEL_FILES:
        path = model_path / name
        if path.is_file():
            digest.update(name.encode())
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:16]


def export_int8_model(model_path: Path, target: Path) -> None:
    """Export the transformer to ONNX with torch, then quantise its MatMuls to int8."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    target.parent.mkdir(parents=True, exist_ok=True)
    base = AutoModel.from_pretrained(str(model_path)).eval()

    class _Encoder(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    import warnings

    sample = torch.ones(2, 16, dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        fp32 = Path(work) / "model-fp32.onnx"
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about the model's Python branches
            torch.onnx.export(
                _Encoder(base),
                (sample, sample, torch.zeros_like(sample)),
                str(fp32),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"],
                dynamic_axes={
                    "input_ids": axes,
                    "attention_mask": axes,
                    "token_type_ids": axes,
                    "last_hidden_state": axes,
                },
                opset_version=17,
                dynamo=False,
            )
        import onnx

        partial = Path(work) / "model-int8.onnx"
        quiet = logging.getLogger()  # the quantiser logs a pre-processing hint at WARNING
        level = quiet.level
        quiet.setLevel(logging.ERROR)
        try:
            quantize_dynamic(
                str(fp32),
                str(partial),
                weight_type=QuantType.QInt8,
                per_channel=True,
                op_types_to_quantize=["MatMul"],
                extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
            )
        finally:
            quiet.setLevel(level)
        os.replace(partial, target)  # atomic: a reader never sees half a file


class OnnxInt8Embedder:
    """Normalised mean-pooled embeddings from an int8 ONNX copy of a local model."""

    def __init__(
        self,
        model_path: str | Path = "",
        cache_dir: str | Path = "",
        threads: int = 0,
        workers: int = 1,
        label_suffix: str = "",
    ) -> None:
        """``label_suffix`` (e.g. a short weights digest) distinguishes a model accepted
        in place of another at the same path, so the index re-embeds with it."""
        if threads < 0:
            raise ValueError("threads must be 0 (runtime default) or more")
        if workers < 0:
            raise ValueError("workers must be 0 (one per CPU core) or more")
        if not str(cache_dir).strip():
            raise EmbeddingModelError("the ONNX backend needs a cache directory for its model")
        self.model_path = resolve_model_path(model_path)
        self.cache_dir = Path(cache_dir)
        self.threads = threads
        self.label = f"onnx-int8:{EXPORT_RECIPE}:{self.model_path.name}" + (
            f"@{label_suffix}" if label_suffix else ""
        )
        self.workers = workers or os.cpu_count() or 1
        self._pool: ThreadPoolExecutor | None = None
        self._foreground: ThreadPoolExecutor | None = None
        self.max_length = _pipeline_config(self.model_path)
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @cached_property
    def onnx_path(self) -> Path:
        """The int8 file for this model (the fingerprint reads the weights: once)."""
        name = f"{self.model_path.name}-{model_fingerprint(self.model_path)}-int8.onnx"
        return self.cache_dir / name

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                path = self.onnx_path
                if not path.is_file():
                    log.info("exporting the embedding model to int8 ONNX (once)")
                    try:
                        export_int8_model(self.model_path, path)
                    except Exception as exc:
                        raise EmbeddingModelError(
                            f"cannot export the embedding model to ONNX: {type(exc).__name__}"
                        ) from exc
                options = ort.SessionOptions()
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
                self._session = ort.InferenceSession(
                    str(path), options, providers=["CPUExecutionProvider"]
                )
                tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
                tokenizer.enable_truncation(self.max_length)
                tokenizer.no_padding()  # the file may pad to a fixed length; one text needs none
                self._tokenizer = tokenizer
            return self._session, self._tokenizer

    @cached_property
    def dimension(self) -> int:
        return int(self.embed(["dimension probe"]).shape[1])

    def _embed_one(self, session: Any, tokenizer: Any, text: str) -> np.ndarray:
        encoded = tokenizer.encode(text)
        ids = np.asarray([encoded.ids], dtype=np.int64)
        feeds = {
            "input_ids": ids,
            "attention_mask": np.ones_like(ids),
            "token_type_ids": np.zeros_like(ids),
        }
        pooled = session.run(None, feeds)[0][0].mean(axis=0)
        unit: np.ndarray = (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)
        return unit

    def _worker_pool(self, bulk: bool) -> ThreadPoolExecutor:
        with self._lock:
            if bulk:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(
                        self.workers,
                        thread_name_prefix="caselens-embed",
                        initializer=_lower_thread_priority,
                    )
                return self._pool
            if self._foreground is None:
                self._foreground = ThreadPoolExecutor(
                    self.workers, thread_name_prefix="caselens-embed-now"
                )
            return self._foreground

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        session, tokenizer = self._load()
        if len(texts) == 1 or self.workers == 1:
            return np.vstack([self._embed_one(session, tokenizer, text) for text in texts])
        pool = self._worker_pool(bulk=len(texts) > FOREGROUND_TEXTS)
        return np.vstack(list(pool.map(lambda t: self._embed_one(session, tokenizer, t), texts)))

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] = self.embed([text])[0].tolist()
        return vector


def _lower_thread_priority() -> None:
    """Lower the calling thread's scheduling priority (Linux nice is per thread); where
    that is not possible the thread just runs at normal priority."""
    with contextlib.suppress(AttributeError, OSError):
        tid = threading.get_native_id()
        # Relative to the thread's own niceness: under a niced server it still yields.
        niceness = min(os.getpriority(os.PRIO_PROCESS, tid) + WORKER_NICENESS, 19)
        os.setpriority(os.PRIO_PROCESS, tid, niceness)
