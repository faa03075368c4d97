"""Models are verified by the sha256 of their files, not trusted by folder name (issue 15,
item 12): a changed model stops caselens with a clear message until the operator accepts
its digest, and an accepted model gets its own embedder label so the index re-embeds."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from api.backends import build_embedder, build_redaction_detector, build_source_classifier
from api.settings import PACKAGED_EMBEDDING_SHA256, Settings, load_settings
from redaction.errors import RedactionConfigError
from retrieval.index.embeddings import resolve_model_path
from retrieval.model_check import ModelIntegrityError, model_digest


def test_the_packaged_models_pass(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, embedding_backend="torch")
    embedder = build_embedder(settings)
    assert embedder.label == f"torch:{resolve_model_path('').name}"  # unchanged label
    build_redaction_detector(settings)
    assert (settings.resolved_model_cache_dir / "digests.json").is_file()


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """The packaged MiniLM, its weights linked (not copied) and small files copied."""
    source = resolve_model_path("")
    copy = tmp_path / "minilm"
    for path in source.rglob("*"):
        target = copy / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.stat().st_size > 1_000_000:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(path, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return copy


def test_a_changed_model_stops_start_up_until_accepted(tmp_path: Path, model_copy: Path):
    assert model_digest(model_copy) == PACKAGED_EMBEDDING_SHA256  # same files, same digest
    config = model_copy / "config.json"
    config.write_text(config.read_text().replace('"gelu"', '"relu"'))  # a tampered file
    settings = load_settings(
        data_dir=tmp_path, embedding_backend="torch", embedding_model_path=str(model_copy)
    )
    with pytest.raises(ModelIntegrityError) as refused:
        build_embedder(settings)
    digest = model_digest(model_copy)
    message = str(refused.value)
    assert str(model_copy) in message and digest in message
    assert f"CASELENS_EMBEDDING_MODEL_SHA256={digest}" in message

    accepted = build_embedder(settings.model_copy(update={"embedding_model_sha256": digest}))
    assert accepted.label == f"torch:{model_copy.name}@{digest[:12]}"  # the index re-embeds


def _source_classifier(settings: Settings) -> object:
    from assistant.embedder import CachedEmbedder

    return build_source_classifier(settings, CachedEmbedder(build_embedder(settings)))


#: Both users of the spaCy pipeline: redaction, and the answers' and overview's
#: source-of-knowledge parser (it once loaded its own copy by name, unchecked).
SPACY_USERS = pytest.mark.parametrize(
    "build", [build_redaction_detector, _source_classifier], ids=["redaction", "reliability"]
)


@SPACY_USERS
def test_a_replaced_spacy_pipeline_is_refused(tmp_path: Path, build: Callable) -> None:
    settings = load_settings(data_dir=tmp_path, spacy_model_sha256="0" * 64)
    with pytest.raises(ModelIntegrityError, match="CASELENS_SPACY_MODEL_SHA256="):
        build(settings)


@SPACY_USERS
def test_the_configured_spacy_pipeline_is_the_one_loaded(tmp_path: Path, build: Callable) -> None:
    settings = load_settings(data_dir=tmp_path, spacy_model=str(tmp_path / "no-such-pipeline"))
    with pytest.raises(RedactionConfigError, match="no-such-pipeline"):
        build(settings)


def test_the_digest_cache_notices_a_rewritten_file(tmp_path: Path, model_copy: Path) -> None:
    cache = tmp_path / "digests.json"
    first = model_digest(model_copy, cache)
    vocab = model_copy / "vocab.txt"
    stat = vocab.stat()
    vocab.write_text(vocab.read_text().replace("[UNK]", "[UNX]"))
    os.utime(vocab, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # mtime put back, ctime not
    assert model_digest(model_copy, cache) != first
