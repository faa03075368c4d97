"""A ready-made answer stack over a small generated estate, for tests and the evals.

Built once per process (loading the embedding model and indexing the estate take the
time); every test then asks real questions of real components.
"""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.embedder import SentenceEmbedder
from assistant.estate_retriever import EstateRetriever
from assistant.generators.extractive import ExtractiveGenerator
from assistant.service import AnswerService
from assistant.verifier import CitationVerifier


@dataclass(frozen=True)
class AnswerStack:
    estate_dir: Path
    embedder: SentenceEmbedder
    retriever: EstateRetriever
    verifier: CitationVerifier
    service: AnswerService

    def principal(self, role: str = "evaluator", caseload: tuple[str, ...] = ()) -> Any:
        from retrieval.principal import Principal

        return Principal.with_caseload(f"test-{role}", role, caseload)


@functools.cache
def estate_stack(families: int = 4, seed: int = 11) -> AnswerStack:
    from api.settings import default_policy_path
    from evals.estate import generate_estate
    from retrieval.policy import load_policy

    estate_dir = Path(tempfile.mkdtemp(prefix="caselens-assistant-")) / "estate"
    generate_estate(estate_dir, families=families, seed=seed)
    embedder = SentenceEmbedder()
    policy = load_policy(default_policy_path())
    retriever = EstateRetriever.from_estate(estate_dir, embedder, policy)
    verifier = CitationVerifier(embedder)
    service = AnswerService(
        retriever, ExtractiveGenerator(embedder), verifier, reidentifier=retriever.reidentify
    )
    return AnswerStack(estate_dir, embedder, retriever, verifier, service)
