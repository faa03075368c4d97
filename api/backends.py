"""The one place that turns Settings into working components (case store, policy, ...).

Commands and the web app call these builders; components themselves never read settings
or the environment, so tests can build them directly with explicit arguments.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from api.settings import Settings

if TYPE_CHECKING:  # case store and policy types, imported lazily by the builders
    from pathlib import Path

    from api.app.auth import OidcVerifier
    from api.app.components import AppComponents
    from api.audit import AuditLog
    from assistant.contracts import Generator
    from assistant.ehcp.drafter import EhcpDrafter
    from assistant.ehcp.service import EhcpService
    from assistant.embedder import TextEmbedder
    from assistant.generators.ollama import OllamaGenerator
    from assistant.overview import HouseholdMember, OverviewBuilder
    from assistant.reliability import SourceClassifier
    from assistant.service import AnswerService
    from assistant.timeline import TimelineBuilder
    from assistant.tracing import Tracer
    from redaction.detect import Detector
    from redaction.leaks import LeakScanner, PayloadSource
    from redaction.pipeline import RedactAllReport
    from redaction.pseudonymiser import Pseudonymiser
    from redaction.vault import TokenVault
    from retrieval.glossary import Glossary
    from retrieval.index import (
        Embedder,
        HybridSearcher,
        IndexWriter,
        QueryEmbedder,
        SyncReport,
        VectorStore,
    )
    from retrieval.index.sentence_cache import SentenceVectorCache
    from retrieval.ingest import BatchHook, Ingestor, IngestReport
    from retrieval.linkage.linker import LinkStats, PersonLinker
    from retrieval.linkage.result import LinkageResult
    from retrieval.policy import InformationSharingPolicy
    from retrieval.principal import Principal, UserDirectory
    from retrieval.records import Person
    from retrieval.store import CaseStore, LinkageSummary

# --- case store and policy (retrieval) -------------------------------------------------


def open_case_store(settings: Settings) -> CaseStore:
    """The case store at ``settings.resolved_database_url``, migrated to the latest schema."""
    from retrieval.store import CaseStore

    return CaseStore.open(settings.resolved_database_url)


def build_audit_log(settings: Settings, store: CaseStore) -> AuditLog:
    """The audit log in ``store``'s database, every entry signed with the audit key held
    outside it and checkpointed to its own append-only file. The key is created
    owner-only on first use (sealing from the current head); a missing key with existing
    checkpoints is an error, never a silent new key."""
    from api.audit import AuditLog
    from api.audit.seal import AuditSeal

    seal = AuditSeal.open(
        settings.resolved_audit_key_path,
        settings.resolved_audit_checkpoint_path,
        host=settings.audit_host,  # several hosts: a shared folder, one file per host
    )
    return AuditLog(store.audit_rows, seal)


def load_policy(settings: Settings) -> InformationSharingPolicy:
    """The information-sharing policy; raises ``PolicyError`` (refuse to run) if invalid."""
    from retrieval.policy import load_policy as _load

    return _load(settings.policy_path)


def build_ingestor(
    settings: Settings,
    store: CaseStore,
    policy: InformationSharingPolicy,
    after_batch: BatchHook | None = None,
    on_wait: Callable[[], None] | None = None,
) -> Ingestor:
    """An ingestor with the configured batch size, quarantine folder, record size limit,
    snapshot shrink guard and progress bars (``on_wait``: another ingest holds the lock)."""
    from retrieval.ingest import Ingestor

    return Ingestor(
        store,
        policy,
        quarantine_dir=settings.quarantine_dir,
        batch_size=settings.ingest_batch_size,
        progress=settings.progress,
        after_batch=after_batch,
        max_record_chars=settings.max_record_chars,
        min_snapshot_ratio=settings.ingest_min_snapshot_ratio,
        on_wait=on_wait,
        relationship_direction=settings.relationship_direction,
        relationship_direction_by_system=settings.relationship_direction_by_system,
    )


# --- record linkage (retrieval.linkage) ------------------------------------------------


def relink(settings: Settings, store: CaseStore) -> tuple[LinkageResult, LinkStats, LinkageSummary]:
    """Link every stored person, applying every clerical decision; store the result
    (``caselens link``, a review decision, ``Stack.link``)."""
    result, stats = build_person_linker(settings)(
        list(store.iter_people()), decisions=store.review_decisions()
    )
    return result, stats, store.replace_linkage(result)


def build_person_linker(settings: Settings) -> PersonLinker:
    """Linkage with the configured thresholds: (people, decisions=clerical decisions) ->
    (LinkageResult, LinkStats)."""
    from retrieval.linkage.linker import link_people_with_stats

    if settings.review_threshold > settings.link_threshold:
        raise ValueError("review_threshold must not exceed link_threshold")
    return functools.partial(
        link_people_with_stats,
        link_threshold=settings.link_threshold,
        review_threshold=settings.review_threshold,
        backend=settings.link_backend,
        spark_master=settings.spark_master,
    )


# --- redaction ---------------------------------------------------------------------------


def build_redaction_detector(settings: Settings) -> Detector:
    """The redaction detector on the configured spaCy pipeline.

    Fails closed: a missing or broken model raises ``RedactionConfigError``, and one whose
    files are not those ``spacy_model_sha256`` names raises ``ModelIntegrityError``.
    """
    from redaction.analyzer import AnalyzerConfig
    from redaction.detect import build_detector

    verify_spacy_model(settings)
    return build_detector(
        AnalyzerConfig(spacy_model=settings.spacy_model),
        score_threshold=settings.redaction_score_threshold,
        redact_places=settings.redaction_redact_places,
    )


def verify_spacy_model(settings: Settings) -> str:
    """The configured spaCy pipeline's name, once its files are those
    ``spacy_model_sha256`` names (``ModelIntegrityError`` otherwise; ``RedactionConfigError``
    when it is not installed). Redaction and the source-of-knowledge parser both load it."""
    from redaction.analyzer import resolve_spacy_model
    from retrieval.model_check import spacy_model_folder, verify_model

    name = resolve_spacy_model(settings.spacy_model)
    verify_model(
        "spaCy model",
        spacy_model_folder(name),
        settings.spacy_model_sha256,
        "spacy_model_sha256",
        cache_file=settings.resolved_model_cache_dir / "digests.json",
    )
    return name


def build_free_text_redactor(
    settings: Settings, store: CaseStore
) -> Callable[[str, str], tuple[str, int]]:
    """(free text a worker typed about a subject, e.g. a feedback comment, the subject id)
    -> (the text with the subject family's names in their pseudonyms, as questions are
    (``QuestionPseudonymiser``: also names typed in lower case), then every name and
    identifier Presidio finds replaced by a typed placeholder; how many were replaced)."""
    from redaction.pseudonymiser import redact_free_text
    from redaction.question import QuestionPseudonymiser

    detector = build_redaction_detector(settings)
    family = QuestionPseudonymiser(store)

    def redact(text: str, subject: str) -> tuple[str, int]:
        known = family.pseudonymise(subject, text).text if subject else text
        redacted, replaced = redact_free_text(detector, known)
        return redacted, len(replaced) + max(0, known.count("[") - text.count("["))

    return redact


def build_leak_scanner(settings: Settings, people: Iterable[Person]) -> LeakScanner:
    """A leak scanner over the known identifiers of ``people`` (the case store's people).

    Nothing in it is configurable yet; ``settings`` keeps the builder signature uniform.
    """
    from redaction.leaks import LeakScanner

    return LeakScanner.from_people(people)


def leak_scan_log_paths(settings: Settings) -> list[Path]:
    """Logs, traces and exports under the data dir that ``caselens leaks scan`` checks.

    ``logs/``, ``traces/``, ``exports/`` and top-level ``*.log`` files and Word exports
    (``*.docx``); never the case store, the index or ``quarantine/`` (they hold raw data by
    design).
    """
    folders = [settings.data_dir / name for name in ("logs", "traces", "exports")]
    found = [folder for folder in folders if folder.is_dir()]
    if settings.data_dir.is_dir():
        for pattern in ("*.log*", "*.docx"):
            found += sorted(p for p in settings.data_dir.glob(pattern) if p.is_file())
    return found


def open_index_payloads(settings: Settings) -> PayloadSource | None:
    """The vector index as a leak-scan target; None when no embedded index exists yet."""

    if not settings.qdrant_url and not settings.index_dir.is_dir():
        return None
    store = open_vector_store(settings, build_embedder(settings).dimension)
    return cast("PayloadSource", store)


def build_token_vault(settings: Settings) -> TokenVault:
    """The token vault on ``CASELENS_VAULT_KEY``; raises ``VaultKeyError`` (with how to
    create a key) when it is missing or malformed."""
    from redaction.vault import TokenVault

    key = settings.vault_key.get_secret_value() if settings.vault_key else None
    return TokenVault(key)


def build_pseudonymiser(
    settings: Settings, store: CaseStore, detector: Detector | None = None
) -> Pseudonymiser:
    """Record-aware pseudonymiser over ``store``'s family knowledge (needs the vault key);
    pass ``detector`` to share one already loaded."""
    from redaction.placeholders import PlaceholderKeyer
    from redaction.pseudonymiser import Pseudonymiser

    vault = build_token_vault(settings)  # refuses without a valid key
    key = settings.vault_key.get_secret_value() if settings.vault_key else ""
    if detector is None:
        detector = build_redaction_detector(settings)
    return Pseudonymiser(detector, vault, PlaceholderKeyer(key), store)


# --- index (retrieval.index) -------------------------------------------------------------


def build_embedder(settings: Settings) -> Embedder:
    """The embedding model (packaged all-MiniLM-L6-v2 unless a path is set), run by the
    configured backend: int8 ONNX Runtime or torch. Its files must have the sha256 of
    ``embedding_model_sha256`` (``ModelIntegrityError`` otherwise, before anything loads)."""
    from api.settings import PACKAGED_EMBEDDING_SHA256
    from retrieval.index import DenseEmbedder
    from retrieval.index.embeddings import resolve_model_path
    from retrieval.index.onnx_embedder import OnnxInt8Embedder
    from retrieval.model_check import verify_model

    digest = verify_model(
        "embedding model",
        resolve_model_path(settings.embedding_model_path),
        settings.embedding_model_sha256,
        "embedding_model_sha256",
        cache_file=settings.resolved_model_cache_dir / "digests.json",
    )
    # Another model accepted at the same path gets its own label: the index re-embeds.
    suffix = "" if digest == PACKAGED_EMBEDDING_SHA256 else digest[:12]
    if settings.embedding_backend == "onnx-int8":
        return OnnxInt8Embedder(
            settings.embedding_model_path,
            cache_dir=settings.resolved_model_cache_dir,
            threads=settings.embedding_threads,
            workers=settings.embedding_workers,
            label_suffix=suffix,
        )
    return DenseEmbedder(
        settings.embedding_model_path,
        batch_size=settings.embedding_batch_size,
        label_suffix=suffix,
    )


def open_vector_store(settings: Settings, dimension: int) -> VectorStore:
    """Qdrant Edge under ``data_dir/index``, or a Qdrant server when ``qdrant_url`` is set."""
    if settings.qdrant_url:
        from retrieval.index.server import QdrantServerStore

        key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
        return QdrantServerStore.connect(
            settings.qdrant_url, dimension, api_key=key, collection=settings.qdrant_collection
        )
    from retrieval.index.edge import EdgeVectorStore

    return EdgeVectorStore(settings.index_dir, dimension, storage=settings.index_storage)


def open_index_writer(
    settings: Settings, embedder: Embedder | None = None, *, vectors: VectorStore | None = None
) -> IndexWriter:
    """Chunk, embed and write into the configured index (``writer.store``: close it when
    done, unless it is the ``vectors`` passed in). Pass ``embedder`` to share a model
    already loaded. The writer also embeds each chunk's sentences for answer relevance
    (``open_sentence_cache``)."""
    from functools import partial

    from assistant.relevance import sentence_texts
    from retrieval.glossary import default_glossary
    from retrieval.index import Bm25Encoder, IndexWriter

    configure_llama_index()
    model = embedder if embedder is not None else build_embedder(settings)
    return IndexWriter(
        vectors if vectors is not None else open_vector_store(settings, model.dimension),
        model,
        Bm25Encoder(),
        sentences=partial(sentence_texts, expander=default_glossary()),
        sentence_cache=open_sentence_cache(settings, model),
    )


def open_sentence_cache(settings: Settings, embedder: Embedder) -> SentenceVectorCache:
    """The index-time sentence vectors (``data_dir/sentence-vectors.sqlite``)."""
    from retrieval.index.sentence_cache import SentenceVectorCache

    return SentenceVectorCache(
        settings.data_dir / "sentence-vectors.sqlite", embedder.label, embedder.dimension
    )


def configure_llama_index() -> None:
    """Never let llama-index fall back to its hub-downloading defaults (we use its splitter)."""
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core.embeddings.mock_embed_model import MockEmbedding
    from llama_index.core.llms.mock import MockLLM

    LlamaSettings.llm = MockLLM()
    LlamaSettings.embed_model = MockEmbedding(embed_dim=1)


def load_users(settings: Settings) -> UserDirectory:
    """The users file: user -> role and caseload (fails if missing)."""
    from retrieval.principal import UserDirectory

    return UserDirectory.load(settings.resolved_users_path)


# --- assistant: generators and tracing ----------------------------------------------------


def build_ollama_generator(
    settings: Settings, redact: Callable[[str], str] | None = None
) -> OllamaGenerator:
    """The ``ollama`` generator on the configured server, model, time-out and prompt;
    ``redact`` (free-text redaction) is applied to the questions it puts in the prompt."""
    from assistant.generators.ollama import OllamaGenerator

    return OllamaGenerator(
        url=settings.ollama_url,
        model=settings.ollama_model,
        timeout_s=settings.ollama_timeout_s,
        num_ctx=settings.ollama_num_ctx,
        redact=redact,
    )


def build_generator(
    settings: Settings,
    extractive: Callable[[], Generator],
    redact: Callable[[str], str] | None = None,
) -> Generator:
    """The configured answer generator: ``ollama``, or the embedded one ``extractive`` builds.

    The extractive generator's own builder is passed in so that choosing Ollama never loads
    the embedding model the extractive path needs.
    """
    if settings.generator == "ollama":
        return build_ollama_generator(settings, redact)
    return extractive()


def build_tracer(settings: Settings, scrub: Callable[[str], str] | None = None) -> Tracer:
    """Langfuse tracing when both keys are set, otherwise a no-op tracer (the default).

    ``scrub`` (e.g. the leak scanner's redaction) is applied to every traced string.
    """
    from assistant.tracing import build_tracer as _build

    secret = settings.langfuse_secret_key
    return _build(
        public_key=settings.langfuse_public_key or None,
        secret_key=secret.get_secret_value() if secret else None,
        host=settings.langfuse_host,
        scrub=scrub,
        environment=settings.profile,
    )


# --- assistant: the answer service -------------------------------------------------------


def build_source_classifier(settings: Settings, sentences: TextEmbedder) -> SourceClassifier:
    """The source-of-knowledge classifier (``assistant.reliability``) on the configured
    spaCy pipeline, verified like redaction's (``verify_spacy_model``), with its parser
    loaded and its exemplar bank embedded now: the first answer pays for neither."""
    from assistant.reliability import ReliabilityClassifier, load_parser

    classifier = ReliabilityClassifier(sentences, nlp=load_parser(verify_spacy_model(settings)))
    classifier.warm()
    return classifier


def build_answer_service(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    vectors: VectorStore | None = None,
    store: CaseStore | None = None,
    tracer: Tracer | None = None,
    reidentify: bool = True,
) -> AnswerService:
    """The answer service: scoped hybrid search, the configured generator, the citation
    verifier, tracing, and display-time re-identification from the sealed vault.

    Pass ``embedder`` / ``vectors`` / ``store`` to share instances already open (one
    embedding model for index, generator and verifier); they stay open on
    ``service.close()``, which closes only what was opened here. Re-identification needs
    ``CASELENS_VAULT_KEY``; without it (or with ``reidentify=False``) answers stay
    pseudonymised. When tracing is on, the traced question is redacted with Presidio.
    """
    from assistant.display import VaultReidentifier
    from assistant.embedder import CachedEmbedder, SpelledOutVectors
    from assistant.generators.extractive import ExtractiveGenerator
    from assistant.relevance import SignalRelevance
    from assistant.requests import ExemplarClassifier
    from assistant.retrieval_adapter import SearchRetriever
    from assistant.service import AnswerService
    from assistant.verifier import CitationVerifier
    from redaction.question import QuestionPseudonymiser
    from retrieval.glossary import default_glossary

    policy = load_policy(settings)
    configure_llama_index()
    closers: list[Callable[[], None]] = []
    try:
        dense = embedder if embedder is not None else build_embedder(settings)
        if vectors is None:
            vectors = open_vector_store(settings, dense.dimension)
            closers.append(vectors.close)
        stored = open_sentence_cache(settings, dense)
        closers.append(stored.close)
        sentences = CachedEmbedder(
            dense, stored=SpelledOutVectors(stored, default_glossary().expand_note)
        )
        if store is None:
            store = open_case_store(settings)
            closers.append(store.close)
        reidentifier = None
        if reidentify and settings.vault_key is not None:
            reidentifier = VaultReidentifier(store, build_token_vault(settings), policy)
        tracer = tracer if tracer is not None else build_tracer(settings)
        redactor = None
        # A traced question, and any question put into a model's prompt, is redacted.
        if tracer.enabled or settings.generator == "ollama":
            from redaction.pseudonymiser import redact_free_text

            detector = build_redaction_detector(settings)
            redactor = lambda text: redact_free_text(detector, text)[0]  # noqa: E731
        # The search embeds the question through the sentence cache, so the generator
        # reuses that vector instead of a second forward pass.
        glossary = default_glossary()
        return AnswerService(
            SearchRetriever(build_searcher(vectors, sentences, policy, glossary)),
            build_generator(
                settings,
                lambda: ExtractiveGenerator(
                    sentences,
                    relevance=SignalRelevance(sentences, glossary),
                    reliability=build_source_classifier(settings, sentences),
                ),
                redactor,
            ),
            CitationVerifier(sentences),
            reidentifier,
            tracer=tracer,
            question_redactor=redactor,
            question_pseudonymiser=QuestionPseudonymiser(store),
            # Refusals and off-topic questions: patterns plus the exemplar bank, embedded
            # once per model (kept in the model cache folder so later starts skip it).
            requests=ExemplarClassifier(
                sentences,
                cache_dir=settings.resolved_model_cache_dir,
                casework=glossary.about_casework,
            ),
            on_close=closers,
        )
    except BaseException:
        for close in reversed(closers):
            close()
        raise


# --- assistant: the overview of a child or family ---------------------------------------


def build_overview_builder(
    settings: Settings,
    *,
    embedder: Embedder,
    vectors: VectorStore,
    store: CaseStore,
    reidentify: bool = True,
) -> OverviewBuilder:
    """The overview of a subject (``assistant.overview``) over the open index and case
    store: the permitted records through the answers' filter (``HybridSearcher``), strengths,
    concerns and the child's words ranked by the answers' relevance on the index-time
    sentence vectors, names put back at display time from the sealed vault (with
    ``CASELENS_VAULT_KEY``). ``close()`` it when done (the index and store stay open)."""
    from assistant.display import VaultReidentifier
    from assistant.embedder import CachedEmbedder, SpelledOutVectors
    from assistant.overview import OverviewBuilder
    from assistant.relevance import SignalRelevance
    from retrieval.glossary import default_glossary

    policy = load_policy(settings)
    stored = open_sentence_cache(settings, embedder)
    sentences = CachedEmbedder(
        embedder, stored=SpelledOutVectors(stored, default_glossary().expand_note)
    )
    reidentifier = None
    if reidentify and settings.vault_key is not None:
        reidentifier = VaultReidentifier(store, build_token_vault(settings), policy)
    return OverviewBuilder(
        build_searcher(vectors, sentences, policy),
        relevance=SignalRelevance(sentences, default_glossary()),
        reidentifier=reidentifier,
        sources=_ChronologySources(build_source_classifier(settings, sentences)),
        household=functools.partial(_household, store, policy),
        current_days=settings.overview_current_days,
        max_facts=settings.overview_max_facts,
        on_close=[stored.close],
    )


def build_timeline_builder(
    settings: Settings,
    *,
    embedder: Embedder,
    vectors: VectorStore,
    store: CaseStore,
    reidentify: bool = True,
) -> TimelineBuilder:
    """The timeline of a subject and What's new's records (``assistant.timeline``): the
    permitted records through the answers' filter (``HybridSearcher.subject_records``),
    titles and sentences re-identified at display time from the sealed vault (with
    ``CASELENS_VAULT_KEY``)."""
    from assistant.display import VaultReidentifier
    from assistant.timeline import TimelineBuilder

    policy = load_policy(settings)
    reidentifier = None
    if reidentify and settings.vault_key is not None:
        reidentifier = VaultReidentifier(store, build_token_vault(settings), policy)
    return TimelineBuilder(build_searcher(vectors, embedder, policy), reidentifier)


# --- api: web app components and sign-in ------------------------------------------------


def build_oidc_verifier(settings: Settings) -> OidcVerifier | None:
    """PyJWT verifier for the configured OIDC issuer; None when OIDC is off (no issuer)."""
    if not settings.oidc_issuer:
        return None
    from api.app.auth import OidcConfig, OidcVerifier

    return OidcVerifier(
        OidcConfig(
            issuer=settings.oidc_issuer,
            audience=settings.oidc_audience,
            user_claim=settings.oidc_user_claim,
            jwks_url=settings.oidc_jwks_url,
            jwks_path=settings.oidc_jwks_path,
        )
    )


def build_api_components(settings: Settings) -> AppComponents:
    """Case store, policy, users, sign-in and audit log for ``api.app.create_app``; the
    answer service is built on first use with ``build_answer_service``."""
    from api.app.auth import Authenticator, UsersFile
    from api.app.components import AppComponents

    policy = load_policy(settings)
    users = UsersFile(settings.resolved_users_path)  # re-read when it changes
    index = _SharedIndex(settings)  # one model and index for answers and overviews
    store = open_case_store(settings)
    try:
        authenticator = Authenticator(users, policy, build_oidc_verifier(settings))
        audit = build_audit_log(settings, store)
    except BaseException:
        store.close()
        raise
    return AppComponents(
        settings=settings,
        store=store,
        policy=policy,
        authenticator=authenticator,
        audit=audit,
        answer_service_factory=lambda: build_answer_service(
            settings, store=store, embedder=index.embedder(), vectors=index.vectors()
        ),
        overview_factory=lambda: build_overview_builder(
            settings, store=store, embedder=index.embedder(), vectors=index.vectors()
        ),
        ehcp_service_factory=lambda: build_ehcp_service(settings, store, embedder=index.embedder()),
        timeline_factory=lambda: build_timeline_builder(
            settings, store=store, embedder=index.embedder(), vectors=index.vectors()
        ),
        redactor_factory=lambda: build_free_text_redactor(settings, store),
        closers=[index.close, store.close],
    )


def _household(
    store: CaseStore, policy: InformationSharingPolicy, principal: Principal, subject: str
) -> list[HouseholdMember]:
    """The overview's household: the subject's family by its pseudonyms, each member
    openable where the principal may ask about them (the chat's caseload rule)."""
    from api.app.access import unrestricted
    from assistant.households import subject_household
    from assistant.overview import HouseholdMember

    family = subject_household(store, principal, subject)
    if family is None:
        return []
    open_all = family.on_caseload or unrestricted(principal, policy.role(principal.role))
    return [
        HouseholdMember(m.linked_person_id, m.label, m.is_child, open_all or m.on_caseload)
        for m in family.members
    ]


class _ChronologySources:
    """``assistant.overview.SourceOfKnowledge`` over the chronology's reliability
    classifier (``build_source_classifier``). Each sentence is parsed once per process
    (bounded memo, pseudonymised text only): an overview asks about the same sentences
    every time it is opened."""

    def __init__(self, classifier: SourceClassifier, memo: int = 20_000) -> None:
        self._classifier = classifier
        self._memo = functools.lru_cache(maxsize=memo)(self._classify)
        self._outcome = functools.lru_cache(maxsize=memo)(self._classifier.is_outcome)

    def _classify(
        self, sentence: str, record_type: str, author_role: str | None
    ) -> tuple[str, str]:
        from assistant.reliability import RecordContext

        found = self._classifier.classify(sentence, RecordContext(author_role, record_type))
        return str(found.reliability), found.label()

    def provenance(
        self, sentence: str, record_type: str, author_role: str | None
    ) -> tuple[str, str]:
        return self._memo(sentence, record_type, author_role)

    def is_outcome(self, sentence: str) -> bool:
        return self._outcome(sentence)


class _SharedIndex:
    """The embedding model and vector index, opened once on first use and shared by the
    app's answer service and overview (an embedded index is opened by one owner)."""

    def __init__(self, settings: Settings) -> None:
        import threading

        self._settings = settings
        self._lock = threading.Lock()
        self._embedder: Embedder | None = None
        self._vectors: VectorStore | None = None

    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                configure_llama_index()
                self._embedder = build_embedder(self._settings)
            return self._embedder

    def vectors(self) -> VectorStore:
        dense = self.embedder()
        with self._lock:
            if self._vectors is None:
                self._vectors = open_vector_store(self._settings, dense.dimension)
            return self._vectors

    def close(self) -> None:
        with self._lock:
            vectors, self._vectors = self._vectors, None
        if vectors is not None:
            vectors.close()


# --- assistant: EHCP drafting --------------------------------------------------------------


def build_ehcp_drafter(sentences: TextEmbedder, settings: Settings | None = None) -> EhcpDrafter:
    """The EHCP drafter: advice read by meaning (the sentence embedder and the practice
    glossary), every sentence checked by the citation verifier. With
    ``CASELENS_GENERATOR=ollama`` the configured Ollama model writes needs and provision
    sections from the extracts (``prompts/ehcp_section.v<N>.txt``); otherwise the extracts
    are the draft."""
    from assistant.ehcp.drafter import EhcpDrafter
    from assistant.ehcp.reading import AdviceReader
    from assistant.verifier import CitationVerifier
    from retrieval.glossary import default_glossary

    writer = None
    if settings is not None and settings.generator == "ollama":
        from assistant.generators.ollama import OllamaGenerator
        from assistant.prompt_files import load_prompt

        writer = OllamaGenerator(
            url=settings.ollama_url,
            model=settings.ollama_model,
            timeout_s=settings.ollama_timeout_s,
            num_ctx=settings.ollama_num_ctx,
            prompt=load_prompt("ehcp_section"),
        )
    return EhcpDrafter(
        CitationVerifier(sentences), AdviceReader(sentences, default_glossary()), writer
    )


def build_ehcp_service(
    settings: Settings,
    store: CaseStore,
    *,
    embedder: Embedder | None = None,
    sentences: TextEmbedder | None = None,
) -> EhcpService:
    """EHCP drafting over ``store``: extractive drafter with the citation verifier, drafts
    kept in the same database, every step in the audit log, and vault re-identification
    for display/export when ``CASELENS_VAULT_KEY`` is set. Pass ``embedder`` (the index's
    model) or ``sentences`` (a cached sentence embedder) to share one already loaded."""
    from assistant.ehcp.reidentify import DraftReidentifier
    from assistant.ehcp.service import EhcpService
    from assistant.ehcp.store import EhcpDraftStore
    from assistant.embedder import CachedEmbedder

    policy = load_policy(settings)
    if sentences is None:
        sentences = CachedEmbedder(embedder if embedder is not None else build_embedder(settings))
    reidentifier = None
    if settings.vault_key is not None and settings.vault_key.get_secret_value():
        reidentifier = DraftReidentifier(store, build_token_vault(settings), policy)
    return EhcpService(
        store,
        EhcpDraftStore(store.ehcp_drafts),
        policy,
        build_ehcp_drafter(sentences, settings),
        build_audit_log(settings, store),
        reidentifier=reidentifier,
    )


# --- the whole pipeline over one settings object: the Stack ---------------------------------


class Models:
    """The models a process loads once (embedding model, redaction detector), loaded on
    first use and shared by every ``Stack`` given the same ``Models``."""

    def __init__(self, embedder: Embedder | None = None, detector: Detector | None = None) -> None:
        import threading

        self._lock = threading.Lock()
        self._embedder = embedder
        self._detector = detector

    def embedder(self, settings: Settings) -> Embedder:
        with self._lock:
            if self._embedder is None:
                configure_llama_index()
                self._embedder = build_embedder(settings)
            return self._embedder

    def detector(self, settings: Settings) -> Detector:
        with self._lock:
            if self._detector is None:
                self._detector = build_redaction_detector(settings)
            return self._detector


def build_searcher(
    vectors: VectorStore,
    embedder: QueryEmbedder,
    policy: InformationSharingPolicy,
    glossary: Glossary | None = None,
) -> HybridSearcher:
    """The permission-scoped hybrid search (dense + BM25, RRF) every reader of the index
    uses: answers, overviews, timelines and the evals."""
    from retrieval.index import Bm25Encoder, HybridSearcher

    return HybridSearcher(vectors, embedder, Bm25Encoder(), policy, glossary=glossary)


@dataclass
class Stack:
    """Case store, policy, models and index of one settings object, and every step of the
    pipeline over them: ingest -> link -> redact -> index -> answer. The CLI, the tests,
    the evals and the benchmarks build it with ``open_stack``; ``close()`` closes what it
    opened (models stay loaded in ``models``)."""

    settings: Settings
    policy: InformationSharingPolicy
    store: CaseStore
    models: Models
    _vectors: VectorStore | None = None
    _pseudonymiser: Pseudonymiser | None = None
    _closers: list[Callable[[], None]] = field(default_factory=list)

    @property
    def embedder(self) -> Embedder:
        return self.models.embedder(self.settings)

    @property
    def vectors(self) -> VectorStore:
        """The vector index (opened on first use; one owner for an embedded index)."""
        if self._vectors is None:
            self._vectors = open_vector_store(self.settings, self.embedder.dimension)
            self._closers.append(self._vectors.close)
        return self._vectors

    def ingest(self, folder: Path) -> IngestReport:
        return build_ingestor(self.settings, self.store, self.policy).ingest(folder)

    def link(self) -> LinkStats:
        """Link every stored person (Splink), applying the stored clerical decisions."""
        return relink(self.settings, self.store)[1]

    def pseudonymiser(self) -> Pseudonymiser:
        if self._pseudonymiser is None:
            build_token_vault(self.settings)  # a bad vault key refuses before models load
            self._pseudonymiser = build_pseudonymiser(
                self.settings, self.store, detector=self.models.detector(self.settings)
            )
        return self._pseudonymiser

    def redact(self, **options: Any) -> RedactAllReport:
        """``redact_all`` under this stack's policy (``options``: its keyword arguments)."""
        from redaction.pipeline import redact_all

        return redact_all(self.store, self.pseudonymiser(), self.policy, **options)

    def index_writer(self) -> IndexWriter:
        return open_index_writer(self.settings, self.embedder, vectors=self.vectors)

    def index(self, *, rebuild: bool = False) -> SyncReport:
        from retrieval.index import rebuild_index, sync_index

        return (rebuild_index if rebuild else sync_index)(self.index_writer(), self.store)

    def searcher(self) -> HybridSearcher:
        return build_searcher(self.vectors, self.embedder, self.policy)

    def answer_service(
        self, *, reidentify: bool = True, tracer: Tracer | None = None
    ) -> AnswerService:
        return build_answer_service(
            self.settings,
            embedder=self.embedder,
            vectors=self.vectors,
            store=self.store,
            tracer=tracer,
            reidentify=reidentify,
        )

    def ehcp_service(self) -> EhcpService:
        return build_ehcp_service(self.settings, self.store, embedder=self.embedder)

    def close(self) -> None:
        closers, self._closers = self._closers, []
        for close in reversed(closers):
            close()


def open_stack(settings: Settings, models: Models | None = None) -> Stack:
    """The case store (migrated) and policy of ``settings``; models from ``models`` (loaded
    on first use when not given), the index opened when first needed."""
    policy = load_policy(settings)
    store = open_case_store(settings)
    return Stack(settings, policy, store, models or Models(), _closers=[store.close])
