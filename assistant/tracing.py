"""Tracing of each question through Langfuse (OpenTelemetry-based); off by default.

One trace per question: a root ``question`` observation with ``retrieval``, ``generation``
and ``verification`` children. Callers pass pseudonymised text only (the question after
redaction, chunk ids and scores, the prompt messages, the draft sentences); ``scrub`` is a
last line of defence applied to every string before it leaves the process. The prompt file
name and version are recorded on the generation so every answer can be tied to the exact
prompt text in ``prompts/``.

Spans are started and ended explicitly (never attached to the current OpenTelemetry
context), so a trace may stay open across the ``yield``s of a streaming answer.

Without keys, ``build_tracer`` returns ``NoopTracer``: same interface, no network, no
Langfuse client at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

from assistant.prompt_files import PromptFile

if TYPE_CHECKING:
    from assistant.contracts import DraftSentence, RetrievalResult

Scrub = Callable[[str], str]

#: Observation names, one per step of answering a question.
ROOT = "question"
RETRIEVAL = "retrieval"
GENERATION = "generation"
VERIFICATION = "verification"


class Step(Protocol):
    """An open trace step; ``record`` adds output and metadata before it ends."""

    def record(self, *, output: Any = None, metadata: Mapping[str, Any] | None = None) -> None: ...


class QuestionTrace(Protocol):
    """The trace of one question. ``trace_id`` is None when tracing is off."""

    trace_id: str | None

    def retrieval(self, *, query: str) -> Any:  # context manager yielding a Step
        ...

    def generation(
        self, *, generator: str, model: str | None, prompt: PromptFile | None, messages: Any
    ) -> Any: ...

    def verification(self) -> Any: ...

    def finish(self, *, output: Any = None, metadata: Mapping[str, Any] | None = None) -> None: ...


class Tracer(Protocol):
    enabled: bool

    def question(self, *, question: str, subject: str | None, role: str | None = None) -> Any:
        """Context manager yielding a QuestionTrace."""
        ...

    def flush(self) -> None: ...


# --- summaries: what each step records (ids, counts, pseudonymised text) ------------------


def retrieval_summary(result: RetrievalResult) -> dict[str, Any]:
    """Which chunks came back (system, record id, score), never their text."""
    return {
        "chunks": [
            {
                "source_system": c.source_system,
                "record_id": c.record_id,
                "chunk_id": c.chunk_id,
                "score": round(float(c.score), 4),
            }
            for c in result.chunks
        ],
        "searched_systems": list(result.searched_systems),
        "withheld_count": result.withheld_count,
    }


def sentences_summary(sentences: Sequence[DraftSentence]) -> list[dict[str, Any]]:
    """Draft sentences as the generator wrote them (pseudonymised) with their citations."""
    return [{"text": s.text, "citations": list(s.citations)} for s in sentences]


def prompt_metadata(prompt: PromptFile | None) -> dict[str, Any]:
    if prompt is None:
        return {}
    return {"prompt_name": prompt.name, "prompt_version": prompt.version, "prompt": prompt.ref}


# --- no-op ------------------------------------------------------------------------------


class _NoopStep:
    def record(self, *, output: Any = None, metadata: Mapping[str, Any] | None = None) -> None:
        return None


class _NoopQuestionTrace:
    trace_id: str | None = None

    @contextmanager
    def retrieval(self, *, query: str) -> Iterator[Step]:
        yield _NoopStep()

    @contextmanager
    def generation(
        self, *, generator: str, model: str | None, prompt: PromptFile | None, messages: Any
    ) -> Iterator[Step]:
        yield _NoopStep()

    @contextmanager
    def verification(self) -> Iterator[Step]:
        yield _NoopStep()

    def finish(self, *, output: Any = None, metadata: Mapping[str, Any] | None = None) -> None:
        return None


class NoopTracer:
    """Tracing off: the same calls, nothing recorded, nothing sent."""

    enabled = False

    @contextmanager
    def question(
        self, *, question: str, subject: str | None, role: str | None = None
    ) -> Iterator[QuestionTrace]:
        yield _NoopQuestionTrace()

    def flush(self) -> None:
        return None


# --- Langfuse ---------------------------------------------------------------------------


def _scrubbed(value: Any, scrub: Scrub | None) -> Any:
    if scrub is None:
        return value
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, Mapping):
        return {k: _scrubbed(v, scrub) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(v, scrub) for v in value]
    return value


class _LangfuseStep:
    def __init__(self, observation: Any, scrub: Scrub | None) -> None:
        self._observation = observation
        self._scrub = scrub

    def record(self, *, output: Any = None, metadata: Mapping[str, Any] | None = None) -> None:
        self._observation.update(
            output=_scrubbed(output, self._scrub),
            metadata=_scrubbed(dict(metadata), self._scrub) if metadata else None,
        )


class _LangfuseQuestionTrace:
    def __init__(self, root: Any, scrub: Scrub | None) -> None:
        self._root = root
        self._scrub = scrub
        self.trace_id: str | None = root.trace_id

    @contextmanager
    def _child(self, name: str, as_type: str, **fields: Any) -> Iterator[Step]:
        fields = {k: _scrubbed(v, self._scrub) for k, v in fields.items()}
        observation = self._root.start_observation(name=name, as_type=as_type, **fields)
        try:
            yield _LangfuseStep(observation, self._scrub)
        except BaseException as exc:
            # The exception type only: messages may quote case text.
            observation.update(level="ERROR", status_message=type(exc).__name__)
            raise
        finally:
            observation.end()

    def retrieval(self, *, query: str) -> Any:
        return self._child(RETRIEVAL, "retriever", input={"query": query})

    def generation(
        self, *, generator: str, model: str | None, prompt: PromptFile | None, messages: Any
    ) -> Any:
        return self._child(
            GENERATION,
            "generation",
            input=messages,
            model=model or generator,
            version=prompt.ref if prompt else None,
            metadata={"generator": generator, **prompt_metadata(prompt)},
        )

    def verification(self) -> Any:
        return self._child(VERIFICATION, "evaluator")

    def finish(self, *, output: Any = None, metadata: Mapping[str, Any] | None = None) -> None:
        self._root.update(
            output=_scrubbed(output, self._scrub),
            metadata=_scrubbed(dict(metadata), self._scrub) if metadata else None,
        )


class LangfuseTracer:
    """Sends one trace per question to Langfuse; build with ``build_tracer`` or directly.

    ``span_exporter`` replaces the OTLP exporter (tests pass an ``InMemorySpanExporter``).
    """

    enabled = True

    def __init__(
        self,
        *,
        public_key: str,
        secret_key: str,
        host: str,
        scrub: Scrub | None = None,
        environment: str | None = None,
        span_exporter: Any = None,
    ) -> None:
        from langfuse import Langfuse

        if not public_key or not secret_key:
            raise ValueError("Langfuse tracing needs both a public and a secret key")
        self._scrub = scrub
        self._client = Langfuse(
            public_key=public_key,
            secret_key=secret_key,
            base_url=host,
            environment=environment,
            span_exporter=span_exporter,
        )

    @contextmanager
    def question(
        self, *, question: str, subject: str | None, role: str | None = None
    ) -> Iterator[QuestionTrace]:
        root = self._client.start_observation(
            name=ROOT,
            as_type="chain",
            input=_scrubbed({"question": question}, self._scrub),
            metadata={"subject": subject or "", "role": role or ""},
        )
        try:
            yield _LangfuseQuestionTrace(root, self._scrub)
        except BaseException as exc:
            root.update(level="ERROR", status_message=type(exc).__name__)
            raise
        finally:
            root.end()

    def flush(self) -> None:
        self._client.flush()

    def shutdown(self) -> None:
        self._client.shutdown()


def build_tracer(
    *,
    public_key: str | None,
    secret_key: str | None,
    host: str,
    scrub: Scrub | None = None,
    environment: str | None = None,
) -> Tracer:
    """Langfuse when both keys are set, otherwise the no-op tracer (the default)."""
    if not public_key or not secret_key:
        return NoopTracer()
    return LangfuseTracer(
        public_key=public_key,
        secret_key=secret_key,
        host=host,
        scrub=scrub,
        environment=environment,
    )
