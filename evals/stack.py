"""The real caselens stack over one generated estate, built the way production builds it.

estate -> ingest (case store, SQLite) -> link (Splink) -> redact (Presidio pseudonymiser,
vault) -> index (Qdrant Edge, dense + BM25) -> AnswerService (hybrid search, generator,
citation verifier). Every component comes from ``api.backends`` with a throwaway data
folder and vault key, so the evals measure exactly what users run. Answers stay
pseudonymised (no re-identifier): the evaluator role never needs real names.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from evals.questions import (
    GoldQuestion,
    RecordKey,
    generate_questions,
    store_family_resolver,
    store_subject_resolver,
)

Progress = Callable[[str], None]


@dataclass
class EvalStack:
    """Everything a suite needs to ask questions and judge answers for one estate."""

    estate_dir: Path
    workdir: Path
    settings: Any
    policy: Any
    store: Any
    service: Any
    retriever: Any
    pseudonymiser: Any
    #: The index's sentence embedder (shared by EHCP drafting's verifier).
    embedder: Any
    questions: list[GoldQuestion]
    #: (system, record id) -> pseudonymised title + text, as indexed.
    record_text: dict[RecordKey, str]
    #: gold family id -> the case store's family id (its subject).
    family_subject: dict[str, str]
    timings_s: dict[str, float] = field(default_factory=dict)
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def principal(self, role: str = "evaluator", caseload: tuple[str, ...] = ()) -> Any:
        from retrieval.principal import Principal

        return Principal.with_caseload(f"evals-{role}", role, caseload)

    def close(self) -> None:
        for closer in reversed(self._closers):
            closer()
        self._closers.clear()


@dataclass
class SharedModels:
    """Models loaded once per eval run and shared by the base and twin stacks."""

    detector: Any = None
    embedder: Any = None

    def detector_for(self, settings: Any) -> Any:
        if self.detector is None:
            from api import backends

            self.detector = backends.build_redaction_detector(settings)
        return self.detector

    def embedder_for(self, settings: Any) -> Any:
        if self.embedder is None:
            from api import backends

            self.embedder = backends.build_embedder(settings)
        return self.embedder


def _pseudonymiser(settings: Any, store: Any, models: SharedModels) -> Any:
    """``backends.build_pseudonymiser`` with the run's shared detector."""
    from redaction.placeholders import PlaceholderKeyer
    from redaction.pseudonymiser import Pseudonymiser
    from redaction.vault import TokenVault

    key = settings.vault_key.get_secret_value()
    return Pseudonymiser(
        models.detector_for(settings), TokenVault(key), PlaceholderKeyer(key), store
    )


def eval_settings(workdir: Path, generator: str, base: Any | None = None) -> Any:
    """``base`` settings (models, Ollama, Langfuse) on a throwaway embedded data folder:
    fresh SQLite store, Qdrant Edge index and vault key under ``workdir``."""
    from api.settings import Settings
    from redaction.vault import generate_vault_key

    data = workdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    overrides: dict[str, Any] = {
        "data_dir": data,
        "database_url": "",
        "qdrant_url": "",
        "users_path": None,
        "vault_key": SecretStr(generate_vault_key()),
        "generator": generator,
        "progress": False,
    }
    if base is None:
        return Settings(profile="test", **overrides)
    return base.model_copy(update=overrides)


def build_stack(
    estate_dir: Path,
    workdir: Path,
    *,
    generator: str = "extractive",
    base_settings: Any | None = None,
    models: SharedModels | None = None,
    progress: Progress | None = None,
) -> EvalStack:
    """Ingest, link, redact and index ``estate_dir`` under ``workdir``; ready to answer.

    ``base_settings`` (e.g. the user's loaded settings) supply models, thresholds, Ollama
    and Langfuse; storage always goes to a fresh embedded folder under ``workdir``."""
    from api import backends
    from assistant.retrieval_adapter import SearchRetriever
    from redaction.pipeline import redact_all
    from retrieval.index import Bm25Encoder, HybridSearcher, rebuild_index

    note = progress or (lambda _stage: None)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    settings = eval_settings(workdir, generator, base_settings)
    models = models if models is not None else SharedModels()
    timings: dict[str, float] = {}
    policy = backends.load_policy(settings)
    store = backends.open_case_store(settings)
    closers: list[Callable[[], None]] = [store.close]
    try:
        start = time.perf_counter()
        note("ingest")
        backends.build_ingestor(settings, store, policy).ingest(Path(estate_dir))
        timings["ingest"] = time.perf_counter() - start

        start = time.perf_counter()
        note("link")
        result, _ = backends.build_person_linker(settings)(list(store.iter_people()))
        store.replace_linkage(result)
        timings["link"] = time.perf_counter() - start

        start = time.perf_counter()
        note("redact")
        pseudonymiser = _pseudonymiser(settings, store, models)
        redact_all(store, pseudonymiser, permits=lambda r: policy.permits_processing(r).permitted)
        timings["redact"] = time.perf_counter() - start

        start = time.perf_counter()
        note("index")
        embedder = models.embedder_for(settings)
        writer = backends.open_index_writer(settings, embedder)
        vectors = writer.store
        closers.append(vectors.close)
        rebuild_index(writer, store)
        record_text = {r.key: f"{r.title}\n{r.text}" for r in store.iter_pseudonymised()}
        timings["index"] = time.perf_counter() - start

        start = time.perf_counter()
        note("assistant")
        retriever = SearchRetriever(HybridSearcher(vectors, embedder, Bm25Encoder(), policy))
        service = backends.build_answer_service(
            settings, embedder=embedder, vectors=vectors, store=store, reidentify=False
        )
        if hasattr(service, "close"):
            closers.append(service.close)
        questions = generate_questions(
            Path(estate_dir),
            store_subject_resolver(store, estate_dir),
            store_family_resolver(store),
        )
        timings["assistant"] = time.perf_counter() - start
    except BaseException:
        for closer in reversed(closers):
            closer()
        raise
    family_subject: dict[str, str] = {}
    for q in questions:
        if q.type != "presence" or q.subject.startswith("FAM-"):
            family_subject.setdefault(q.family_id, q.subject)
    return EvalStack(
        estate_dir=Path(estate_dir),
        workdir=workdir,
        settings=settings,
        policy=policy,
        store=store,
        service=service,
        retriever=retriever,
        pseudonymiser=pseudonymiser,
        embedder=embedder,
        questions=questions,
        record_text=record_text,
        family_subject=family_subject,
        timings_s={k: round(v, 2) for k, v in timings.items()},
        _closers=closers,
    )
