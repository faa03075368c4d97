"""The real caselens stack over one generated estate, built the way production builds it.

estate -> ingest (case store, SQLite) -> link (Splink) -> redact (Presidio pseudonymiser,
vault) -> index (Qdrant Edge, dense + BM25) -> AnswerService (hybrid search, generator,
citation verifier). Every component comes from ``api.backends`` with a throwaway data
folder and vault key, so the evals measure exactly what users run. Answers stay
pseudonymised (no re-identifier): the evaluator role never needs real names.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from api.backends import Models, Stack, open_stack
from api.settings import Settings
from assistant.retrieval_adapter import SearchRetriever
from assistant.service import AnswerService
from evals.questions import (
    GoldQuestion,
    RecordKey,
    generate_questions,
    store_family_resolver,
    store_subject_resolver,
)
from retrieval.principal import Principal

if TYPE_CHECKING:
    from redaction.pseudonymiser import Pseudonymiser
    from retrieval.index import Embedder, VectorStore
    from retrieval.policy import InformationSharingPolicy
    from retrieval.store import CaseStore

Progress = Callable[[str], None]


@dataclass
class EvalStack:
    """Everything a suite needs to ask questions and judge answers for one estate: the
    production ``api.backends.Stack`` plus the estate's gold questions."""

    estate_dir: Path
    workdir: Path
    stack: Stack
    service: AnswerService
    retriever: SearchRetriever
    questions: list[GoldQuestion]
    #: (system, record id) -> pseudonymised title + text, as indexed.
    record_text: dict[RecordKey, str]
    #: gold family id -> the case store's family id (its subject).
    family_subject: dict[str, str]
    timings_s: dict[str, float] = field(default_factory=dict)
    _closers: list[Callable[[], None]] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        return self.stack.settings

    @property
    def policy(self) -> InformationSharingPolicy:
        return self.stack.policy

    @property
    def store(self) -> CaseStore:
        return self.stack.store

    @property
    def embedder(self) -> Embedder:
        """The index's embedder (shared by EHCP drafting's verifier)."""
        return self.stack.embedder

    @property
    def vectors(self) -> VectorStore:
        """The open vector index (for parts beyond answers, e.g. the overview)."""
        return self.stack.vectors

    @property
    def pseudonymiser(self) -> Pseudonymiser:
        return self.stack.pseudonymiser()

    def principal(self, role: str = "evaluator", caseload: tuple[str, ...] = ()) -> Principal:
        return Principal.with_caseload(f"evals-{role}", role, caseload)

    def close(self) -> None:
        for closer in reversed(self._closers):
            closer()
        self._closers.clear()


def eval_settings(
    workdir: Path, generator: str, base: Settings | None = None, *, vault_key: str | None = None
) -> Settings:
    """``base`` settings (models, Ollama, Langfuse) on a throwaway embedded data folder:
    fresh SQLite store, Qdrant Edge index and vault key under ``workdir`` (``vault_key``
    keeps a reused folder's key)."""
    from redaction.vault import generate_vault_key

    data = workdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    overrides: dict[str, Any] = {
        "data_dir": data,
        "database_url": "",
        "qdrant_url": "",
        "users_path": None,
        "vault_key": SecretStr(vault_key or generate_vault_key()),
        "generator": generator,
        "progress": False,
    }
    if base is None:
        return Settings(profile="test", **overrides)
    return base.model_copy(update=overrides)


#: Marks a folder the evals own (so a rebuild may delete its ``data/``).
WORKDIR_MARKER = ".caselens-evals-workdir"
#: What a kept build was made from (see ``build_fingerprint``); written last.
BUILD_FILE = "build.json"
_VAULT_KEY_FILE = "vault.key"
#: Bump when what a kept build holds changes shape.
_BUILD_FORMAT = 1


def build_fingerprint(estate_dir: Path, settings: Any) -> str:
    """A hash of the extracts and of the settings that shape ingest, linkage, redaction
    and the index: a kept build is reused only while this is unchanged. (Code changes to
    those stages are not seen: rebuild by hand after changing them.)"""
    from retrieval.ingest.reader import extracts_root

    digest = hashlib.sha256(f"format={_BUILD_FORMAT}\n".encode())
    root = extracts_root(Path(estate_dir))
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(Path(settings.policy_path).read_bytes())
    for name in (
        "embedding_model_path",
        "embedding_backend",
        "index_storage",
        "spacy_model",
        "redaction_score_threshold",
        "link_threshold",
        "review_threshold",
    ):
        digest.update(f"{name}={getattr(settings, name, None)!r}\n".encode())
    return digest.hexdigest()


def _kept_vault_key(workdir: Path) -> str:
    """The kept folder's vault key, created (owner-only) on first use."""
    from redaction.vault import generate_vault_key

    path = workdir / _VAULT_KEY_FILE
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    key = generate_vault_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def _prepare_kept_workdir(workdir: Path) -> None:
    """Claim ``workdir`` for a kept build; refuse a non-empty folder the evals do not own."""
    workdir.mkdir(parents=True, exist_ok=True)
    marker = workdir / WORKDIR_MARKER
    if not marker.exists():
        if any(workdir.iterdir()):
            raise ValueError(
                f"{workdir} is not empty and was not made by the evals; "
                "choose an empty or new folder"
            )
        marker.write_text("caselens evals working folder: safe to delete\n", encoding="utf-8")


def _kept_build_matches(workdir: Path, fingerprint: str) -> bool:
    try:
        kept = json.loads((workdir / BUILD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(kept.get("fingerprint") == fingerprint and kept.get("complete"))


def build_core_stack(
    estate_dir: Path,
    workdir: Path,
    *,
    generator: str = "extractive",
    base_settings: Settings | None = None,
    models: Models | None = None,
    progress: Progress | None = None,
    keep: bool = False,
    rebuild: bool = False,
) -> EvalStack:
    """Ingest, link, redact and index ``estate_dir`` (any estate or a council's export:
    a folder with ``extracts/<SYSTEM>/``) under ``workdir``; ready to answer. No gold
    questions (``questions`` is empty): ``build_stack`` adds them for generated estates.

    ``keep=True`` keeps the build in ``workdir`` (with its vault key) and, on a later call
    with the same extracts and settings (``build_fingerprint``), opens it instead of
    building again (``timings_s["reused"] == 1``); ``rebuild=True`` forces a fresh build.
    Without ``keep``, ``workdir`` must be fresh (the callers use temporary folders)."""
    note = progress or (lambda _stage: None)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    vault_key = None
    reuse = False
    fingerprint = ""
    if keep:
        _prepare_kept_workdir(workdir)
        probe = eval_settings(workdir, generator, base_settings)
        fingerprint = build_fingerprint(Path(estate_dir), probe)
        reuse = not rebuild and _kept_build_matches(workdir, fingerprint)
        if not reuse:
            (workdir / BUILD_FILE).unlink(missing_ok=True)
            shutil.rmtree(workdir / "data", ignore_errors=True)
            (workdir / _VAULT_KEY_FILE).unlink(missing_ok=True)
        vault_key = _kept_vault_key(workdir)
    settings = eval_settings(workdir, generator, base_settings, vault_key=vault_key)
    timings: dict[str, float] = {}
    stack = open_stack(settings, models)
    closers: list[Callable[[], None]] = [stack.close]
    try:
        if reuse:
            note("open kept build")
            timings["reused"] = 1
        else:
            start = time.perf_counter()
            note("ingest")
            stack.ingest(Path(estate_dir))
            timings["ingest"] = time.perf_counter() - start

            start = time.perf_counter()
            note("link")
            stack.link()
            timings["link"] = time.perf_counter() - start

            start = time.perf_counter()
            note("redact")
            stack.redact()
            timings["redact"] = time.perf_counter() - start

        start = time.perf_counter()
        note("open index" if reuse else "index")
        if reuse:
            _ = stack.vectors  # opened now, timed as the index stage
        else:
            stack.index(rebuild=True)
        record_text = {r.key: f"{r.title}\n{r.text}" for r in stack.store.iter_pseudonymised()}
        timings["index"] = time.perf_counter() - start

        start = time.perf_counter()
        note("assistant")
        retriever = SearchRetriever(stack.searcher())
        service = stack.answer_service(reidentify=False)
        closers.append(service.close)
        timings["assistant"] = time.perf_counter() - start
    except BaseException:
        for closer in reversed(closers):
            closer()
        raise
    if keep and not reuse:
        (workdir / BUILD_FILE).write_text(
            json.dumps({"fingerprint": fingerprint, "complete": True}, indent=2) + "\n",
            encoding="utf-8",
        )
    return EvalStack(
        estate_dir=Path(estate_dir),
        workdir=workdir,
        stack=stack,
        service=service,
        retriever=retriever,
        questions=[],
        record_text=record_text,
        family_subject={},
        timings_s={k: round(v, 2) for k, v in timings.items()},
        _closers=closers,
    )


def build_stack(
    estate_dir: Path,
    workdir: Path,
    *,
    generator: str = "extractive",
    base_settings: Settings | None = None,
    models: Models | None = None,
    progress: Progress | None = None,
) -> EvalStack:
    """``build_core_stack`` over a generated estate, plus its gold questions.

    ``base_settings`` (e.g. the user's loaded settings) supply models, thresholds, Ollama
    and Langfuse; storage always goes to a fresh embedded folder under ``workdir``."""
    stack = build_core_stack(
        estate_dir,
        workdir,
        generator=generator,
        base_settings=base_settings,
        models=models,
        progress=progress,
    )
    try:
        start = time.perf_counter()
        questions = generate_questions(
            Path(estate_dir),
            store_subject_resolver(stack.store, estate_dir),
            store_family_resolver(stack.store),
        )
        stack.timings_s["assistant"] = round(
            stack.timings_s.get("assistant", 0.0) + time.perf_counter() - start, 2
        )
    except BaseException:
        stack.close()
        raise
    stack.questions = questions
    for q in questions:
        if q.type != "presence" or q.subject.startswith("FAM-"):
            stack.family_subject.setdefault(q.family_id, q.subject)
    return stack
