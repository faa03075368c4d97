"""The one place that turns Settings into working components (case store, policy, ...).

Commands and the web app call these builders; components themselves never read settings
or the environment, so tests can build them directly with explicit arguments.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from api.settings import Settings

if TYPE_CHECKING:  # case store and policy types, imported lazily by the builders
    from redaction.detect import Detector
    from retrieval.ingest import BatchHook, Ingestor
    from retrieval.linkage.linker import LinkStats
    from retrieval.linkage.result import LinkageResult
    from retrieval.policy import InformationSharingPolicy
    from retrieval.records import Person
    from retrieval.store import CaseStore

# --- case store and policy (retrieval) -------------------------------------------------


def open_case_store(settings: Settings) -> CaseStore:
    """The case store at ``settings.resolved_database_url``, migrated to the latest schema."""
    from retrieval.store import CaseStore

    return CaseStore.open(settings.resolved_database_url)


def load_policy(settings: Settings) -> InformationSharingPolicy:
    """The information-sharing policy; raises ``PolicyError`` (refuse to run) if invalid."""
    from retrieval.policy import load_policy as _load

    return _load(settings.policy_path)


def build_ingestor(
    settings: Settings,
    store: CaseStore,
    policy: InformationSharingPolicy,
    after_batch: BatchHook | None = None,
) -> Ingestor:
    """An ingestor with the configured batch size, quarantine folder and progress bars."""
    from retrieval.ingest import Ingestor

    return Ingestor(
        store,
        policy,
        quarantine_dir=settings.quarantine_dir,
        batch_size=settings.ingest_batch_size,
        progress=settings.progress,
        after_batch=after_batch,
    )


# --- record linkage (retrieval.linkage) ------------------------------------------------


def build_person_linker(
    settings: Settings,
) -> Callable[[Iterable[Person]], tuple[LinkageResult, LinkStats]]:
    """Linkage with the configured thresholds: people -> (LinkageResult, LinkStats)."""
    from retrieval.linkage.linker import link_people_with_stats

    if settings.review_threshold > settings.link_threshold:
        raise ValueError("review_threshold must not exceed link_threshold")
    return functools.partial(
        link_people_with_stats,
        link_threshold=settings.link_threshold,
        review_threshold=settings.review_threshold,
    )


# --- redaction ---------------------------------------------------------------------------


def build_redaction_detector(settings: Settings) -> Detector:
    """The redaction detector on the configured spaCy pipeline.

    Fails closed: a missing or broken model raises ``RedactionConfigError``.
    """
    from redaction.analyzer import AnalyzerConfig
    from redaction.detect import build_detector

    return build_detector(
        AnalyzerConfig(spacy_model=settings.spacy_model),
        score_threshold=settings.redaction_score_threshold,
    )
