"""Langfuse tracing: one trace per question, the right steps, the prompt version, and
nothing raw in any span. Spans are captured in memory (no Langfuse server exists here)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from ollama_standin import OllamaStandIn
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from api.backends import build_tracer as build_tracer_from_settings
from api.settings import load_settings
from assistant.contracts import NumberedSource, RetrievalResult, RetrievedChunk
from assistant.generators.ollama import OllamaGenerator
from assistant.tracing import (
    LangfuseTracer,
    NoopTracer,
    build_tracer,
    retrieval_summary,
    sentences_summary,
)

MODEL = "llama3.1:8b"

# A small synthetic record set, raw, and its pseudonymisation done by hand.
RAW_NOTES = {
    "LCS-R1": "Leanne Marsh (DOB 03/07/1989, NHS 943 476 5919) told the worker she had been "
    "drinking most evenings. Kayden Marsh was at Fenbridge Primary.",
    "POLICE-R2": "Officers attended 14 Copper Lane, Fenbridge FB3 2QT. Leanne Marsh appeared "
    "intoxicated; call from 07700 900123.",
}
PSEUDONYMS = {
    "Leanne Marsh": "[Mother]",
    "Kayden Marsh": "[Child 1]",
    "03/07/1989": "[DOB]",
    "943 476 5919": "[NHS_NUMBER]",
    "Fenbridge Primary": "[SCHOOL]",
    "14 Copper Lane, Fenbridge FB3 2QT": "[ADDRESS]",
    "07700 900123": "[PHONE]",
}
RAW_IDENTIFIERS = [*PSEUDONYMS, "Leanne", "Kayden", "Marsh", "FB3 2QT", "Copper Lane"]


def pseudonymise(text: str) -> str:
    for raw, placeholder in PSEUDONYMS.items():
        text = text.replace(raw, placeholder)
    return text


def _chunks() -> list[RetrievedChunk]:
    return [
        RetrievedChunk(
            f"{key}-0",
            key.split("-")[0],
            key,
            "case_note",
            date(2024, 1, i + 1),
            "Visit",
            pseudonymise(text),
            f"https://example.org/{key}",
            author_role="Social Worker",
            score=0.8 - i / 10,
        )
        for i, (key, text) in enumerate(RAW_NOTES.items())
    ]


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def tracer(exporter: InMemorySpanExporter) -> LangfuseTracer:
    # Langfuse keeps one client per public key: a fresh key gives this test its own exporter.
    return LangfuseTracer(
        public_key=f"pk-lf-test-{uuid.uuid4().hex}",
        secret_key="sk-lf-test",
        host="http://127.0.0.1:9",
        span_exporter=exporter,
    )


@pytest.fixture
def standin() -> Iterator[OllamaStandIn]:
    with OllamaStandIn(models=(MODEL,)) as server:
        yield server


def _attributes(exporter: InMemorySpanExporter) -> dict[str, dict[str, Any]]:
    return {span.name: dict(span.attributes or {}) for span in exporter.get_finished_spans()}


def _all_text(exporter: InMemorySpanExporter) -> str:
    """Every span's name, status and attributes as one string."""
    parts = []
    for span in exporter.get_finished_spans():
        parts += [span.name, span.status.description or "", json.dumps(dict(span.attributes or {}))]
        parts += [json.dumps(dict(e.attributes or {})) for e in span.events]
    return "\n".join(parts)


def _answer_one_question(tracer: LangfuseTracer, standin: OllamaStandIn) -> str | None:
    """What the answer service does per question, with the real Ollama generator."""
    generator = OllamaGenerator(url=standin.url, model=MODEL, timeout_s=5)
    question = pseudonymise("What is recorded about Leanne Marsh and alcohol?")
    result = RetrievalResult(_chunks(), searched_systems=["LCS", "POLICE"], withheld_count=0)
    sources = [NumberedSource(i + 1, c) for i, c in enumerate(result.chunks)]
    standin.script(
        "[Mother] told the worker she had been drinking most evenings [1]. "
        "[Mother] appeared intoxicated [2]."
    )
    with tracer.question(question=question, subject="P-000042", role="social_worker") as trace:
        with trace.retrieval(query=question) as step:
            step.record(output=retrieval_summary(result))
        messages = generator.build_messages(question, sources)
        with trace.generation(
            generator=generator.name,
            model=generator.model,
            prompt=generator.prompt,
            messages=messages,
        ) as step:
            drafts = list(generator.generate(question, sources))
            step.record(output=sentences_summary(drafts))
        with trace.verification() as step:
            step.record(output={"supported": 2, "unsupported": 0, "invented": []})
        trace.finish(output={"sentences": len(drafts), "refused": False})
        trace_id = trace.trace_id
    tracer.flush()
    return trace_id


def test_one_trace_per_question_with_retrieval_generation_verification(
    tracer, exporter, standin
) -> None:
    trace_id = _answer_one_question(tracer, standin)
    spans = exporter.get_finished_spans()
    assert sorted(s.name for s in spans) == ["generation", "question", "retrieval", "verification"]
    assert {format(s.context.trace_id, "032x") for s in spans} == {trace_id}
    root = next(s for s in spans if s.name == "question")
    assert all(s.parent.span_id == root.context.span_id for s in spans if s is not root)
    attrs = _attributes(exporter)
    assert attrs["retrieval"]["langfuse.observation.type"] == "retriever"
    assert attrs["generation"]["langfuse.observation.type"] == "generation"
    assert attrs["generation"]["langfuse.observation.model.name"] == MODEL
    retrieved = json.loads(attrs["retrieval"]["langfuse.observation.output"])
    assert [c["record_id"] for c in retrieved["chunks"]] == ["LCS-R1", "POLICE-R2"]


def test_prompt_name_and_version_are_recorded_on_the_generation(tracer, exporter, standin):
    _answer_one_question(tracer, standin)
    generation = _attributes(exporter)["generation"]
    assert generation["langfuse.version"] == "answer_question.v1"
    assert json.loads(generation["langfuse.observation.metadata.prompt_name"]) == (
        "answer_question"
    )
    assert json.loads(generation["langfuse.observation.metadata.prompt_version"]) == 1


def test_no_raw_identifier_appears_in_any_span(tracer, exporter, standin) -> None:
    _answer_one_question(tracer, standin)
    text = _all_text(exporter)
    # The pseudonymised text really is in the trace (so this test can fail) ...
    assert "[Mother] told the worker" in text and "[NHS_NUMBER]" in text
    # ... and not one raw identifier from the records.
    leaked = [raw for raw in RAW_IDENTIFIERS if raw.lower() in text.lower()]
    assert leaked == []


def test_scrub_catches_raw_text_a_caller_passed_by_mistake(exporter) -> None:
    names = re.compile("|".join(re.escape(r) for r in PSEUDONYMS))
    tracer = LangfuseTracer(
        public_key=f"pk-lf-test-{uuid.uuid4().hex}",
        secret_key="sk",
        host="http://127.0.0.1:9",
        span_exporter=exporter,
        scrub=lambda s: names.sub("[REDACTED]", s),
    )
    with tracer.question(question="Has Leanne Marsh moved?", subject="P-1") as trace:
        with trace.retrieval(query="Leanne Marsh moved") as step:
            step.record(
                output={"chunks": [{"text": "Kayden Marsh, 07700 900123"}]},
                metadata={"note": "Leanne Marsh"},
            )
        trace.finish(output={"said": ["Kayden Marsh"]})
    tracer.flush()
    text = _all_text(exporter)
    assert "[REDACTED]" in text
    assert not [raw for raw in PSEUDONYMS if raw in text]


def test_failed_step_is_marked_error_without_the_exception_message(tracer, exporter) -> None:
    with (
        pytest.raises(RuntimeError),
        tracer.question(question="q", subject="P-1") as trace,
        trace.generation(generator="ollama", model=MODEL, prompt=None, messages=[]),
    ):
        raise RuntimeError("reply quoted Leanne Marsh")
    tracer.flush()
    attrs = _attributes(exporter)
    assert attrs["generation"]["langfuse.observation.level"] == "ERROR"
    assert attrs["generation"]["langfuse.observation.status_message"] == "RuntimeError"
    assert attrs["question"]["langfuse.observation.level"] == "ERROR"
    assert "Leanne" not in _all_text(exporter)


def test_tracing_is_off_without_keys() -> None:
    assert isinstance(build_tracer(public_key=None, secret_key=None, host="x"), NoopTracer)
    assert isinstance(build_tracer(public_key="pk", secret_key="", host="x"), NoopTracer)
    tracer = NoopTracer()
    with tracer.question(question="q", subject="P-1") as trace:
        with trace.retrieval(query="q") as step:
            step.record(output={"anything": 1})
        trace.finish(output={})
    assert trace.trace_id is None


def test_settings_choose_the_tracer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not build_tracer_from_settings(load_settings()).enabled
    key = f"pk-lf-test-{uuid.uuid4().hex}"
    monkeypatch.setenv("CASELENS_LANGFUSE_SECRET_KEY", "sk-lf-secret")
    settings = load_settings(langfuse_public_key=key, langfuse_host="http://127.0.0.1:9")
    assert "sk-lf-secret" not in repr(settings)
    tracer = build_tracer_from_settings(settings)
    assert isinstance(tracer, LangfuseTracer) and tracer.enabled


# --- the answer service on the real stack ------------------------------------------------


def _family_names(real_stack, family: str) -> list[str]:
    people = real_stack.store.family_people(family).members.values()
    return sorted({n for ps in people for p in ps for n in (p.given_name, p.family_name) if n})


def test_answer_service_traces_each_question_pseudonymised_on_the_real_stack(
    real_stack, tracer, exporter
) -> None:
    family = real_stack.family("FAM-00001")
    person = next(ps[0] for ps in real_stack.store.family_people(family).members.values() if ps)
    question = f"What is recorded about {person.given_name} {person.family_name} and alcohol?"
    with real_stack.service(tracer=tracer) as service:
        answer = service.ask(real_stack.principal("demo-social-worker"), family, question)
    spans = exporter.get_finished_spans()
    assert sorted(s.name for s in spans) == ["generation", "question", "retrieval", "verification"]
    assert answer.trace_id and {format(s.context.trace_id, "032x") for s in spans} == {
        answer.trace_id
    }
    attrs = _attributes(exporter)
    retrieved = json.loads(attrs["retrieval"]["langfuse.observation.output"])
    assert {c.record_id for c in answer.citations} <= {c["record_id"] for c in retrieved["chunks"]}
    drafted = json.loads(attrs["generation"]["langfuse.observation.output"])
    assert drafted
    checked = json.loads(attrs["verification"]["langfuse.observation.output"])
    # Every verified sentence shown: direct answers and related records ("closest").
    facts = [s for s in answer.sentences if s.kind in ("fact", "closest") and s.supported]
    assert facts and checked["supported"] == len(facts)
    text = _all_text(exporter)
    # The question went in redacted (Presidio), the drafts as pseudonymised source text ...
    assert "What is recorded about" in text and drafted[0]["text"] in text
    # ... and no name of the family reached any span.
    names = _family_names(real_stack, family)
    assert person.given_name in names
    assert [n for n in names if re.search(rf"\b{re.escape(n)}\b", text)] == []


def test_answer_service_records_the_prompt_version_of_a_prompted_generator(
    real_stack, tracer, exporter, standin
) -> None:
    from assistant.embedder import CachedEmbedder
    from assistant.retrieval_adapter import SearchRetriever
    from assistant.service import AnswerService
    from assistant.verifier import CitationVerifier

    standin.script("Nothing is recorded about this in the sources provided.")
    service = AnswerService(
        SearchRetriever(real_stack.searcher),
        OllamaGenerator(url=standin.url, model=MODEL, timeout_s=5),
        CitationVerifier(CachedEmbedder(real_stack.embedder)),
        tracer=tracer,
    )
    question = "Has Leanne Marsh moved house?"
    answer = service.ask(
        real_stack.principal("evaluator"), real_stack.family("FAM-00002"), question
    )
    service.close()  # flushes the tracer
    assert answer.trace_id
    generation = _attributes(exporter)["generation"]
    assert generation["langfuse.version"] == "answer_question.v1"
    assert generation["langfuse.observation.model.name"] == MODEL
    text = _all_text(exporter)
    # No redactor given: the question is traced by its length only.
    assert f"[question withheld: {len(question)} characters]" in text
    assert "Leanne" not in text and "Marsh" not in text


def test_no_tracer_means_no_trace_id(real_stack) -> None:
    with real_stack.service() as service:
        answer = service.ask(
            real_stack.principal("evaluator"),
            real_stack.family("FAM-00001"),
            "Has the family moved home?",
        )
    assert answer.trace_id is None
