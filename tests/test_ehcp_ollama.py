# ruff: noqa: E501  (advice lines are data: kept whole, as a report writes them)
"""EHCP drafting with a language model (issue 16 part 6), against the local Ollama stand-in:
the section prompt file is what is sent, every sentence the model writes passes the
citation verifier (invented provision and wrong citations are dropped and counted),
quantities survive only as the advice writes them, quote marks only round the advice's
own words, views and outcomes stay extracts, and a section where nothing the model wrote
holds up keeps its extracts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime

import pytest
from ollama_standin import OllamaStandIn

from api.settings import Settings
from assistant.ehcp.drafter import WRITTEN_SECTIONS
from assistant.prompt_files import load_prompt
from retrieval.pseudonymised import PseudonymisedRecord

MODEL = "llama3.1:8b"

SLT = """Speech and language therapy advice
Needs
- [Child 1] has a limited vocabulary and difficulty following two-step instructions.
Recommendations
- [Child 1] should receive speech and language therapy for 30 minutes twice a week, delivered by a speech and language therapist in school.
Outcomes
- By July 2027, [Child 1] will follow two-step instructions in class."""

VIEWS = "I like trains. I find reading hard."


def _record(n: int, title: str, role: str, text: str, rtype: str) -> PseudonymisedRecord:
    return PseudonymisedRecord(
        source_system="SEND",
        record_id=f"R{n}",
        record_type=rtype,
        occurred_at=datetime(2025, 2, n),
        recorded_at=datetime(2025, 2, n),
        sensitivity="standard",
        title=title,
        text=text,
        source_url=f"https://send.example.org/R{n}",
        author_role=role,
        linked_person_ids=("LP-1",),
        family_ids=("FAM-1",),
    )


@pytest.fixture
def standin() -> Iterator[OllamaStandIn]:
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    with OllamaStandIn(models=(MODEL,)) as server:
        yield server


@pytest.fixture(scope="module")
def sentences(shared_embedder):  # type: ignore[no-untyped-def]
    from assistant.embedder import CachedEmbedder

    return CachedEmbedder(shared_embedder)


def _drafter(standin: OllamaStandIn, sentences):  # type: ignore[no-untyped-def]
    from api.backends import build_ehcp_drafter

    settings = Settings(generator="ollama", ollama_url=standin.url, ollama_model=MODEL)
    return build_ehcp_drafter(sentences, settings)


def test_model_writes_needs_and_provision_and_the_verifier_keeps_only_what_the_advice_says(
    standin: OllamaStandIn, sentences
) -> None:  # type: ignore[no-untyped-def]
    advice = [
        _record(
            1,
            "Speech and language therapy advice",
            "Speech and Language Therapist",
            SLT,
            "advice_report",
        ),
        _record(2, "Child's views", "Child", VIEWS, "views"),
    ]
    standin.script(
        # B
        "[Child 1] has a limited vocabulary and finds two-step instructions difficult [1].",
        # F: one faithful sentence, one invented quantity, one citing a report not given.
        "[Child 1] should receive speech and language therapy for 30 minutes twice a week, "
        "delivered by a speech and language therapist in school [1]. "
        "[Child 1] should also have daily horse riding lessons for two hours [1]. "
        "A specialist teacher will visit every week [7].",
    )
    draft = _drafter(standin, sentences).draft("LP-1", advice, created_by="officer")
    assert draft.generator == "ollama" and standin.pending == 0
    b = draft.section("B")
    assert (
        b.ai_text == "[Child 1] has a limited vocabulary and finds two-step instructions difficult."
    )
    f = draft.section("F")
    assert [s.text for s in f.sentences] == [
        "[Child 1] should receive speech and language therapy for 30 minutes twice a week, "
        "delivered by a speech and language therapist in school."
    ]
    assert f.sentences[0].citations == [1]
    assert draft.dropped.get("F") == 2
    # Views and outcomes stay the advice's own words; only B-D and F-H were written.
    assert draft.section("A").sentences[0].text == "\u201cI like trains.\u201d"
    assert "will follow two-step instructions" in draft.section("E").ai_text
    requests = standin.chat_requests
    assert len(requests) == 2
    system = requests[0]["messages"][0]["content"]
    assert (
        system
        == load_prompt("ehcp_section").render(
            sources="x", history="(none)", question="y", max_sentences="12"
        )[0]["content"]
    )
    user = requests[1]["messages"][1]["content"]
    assert "section F of the plan: Special educational provision." in user
    assert "30 minutes twice a week" in user and "I like trains" not in user
    assert set(WRITTEN_SECTIONS) == {"B", "C", "D", "F", "G", "H1", "H2"}


def test_nothing_supported_keeps_the_extracts_and_quotes_need_the_advice_words(
    standin: OllamaStandIn, sentences
) -> None:  # type: ignore[no-untyped-def]
    advice = [
        _record(
            1,
            "Speech and language therapy advice",
            "Speech and Language Therapist",
            SLT,
            "advice_report",
        ),
    ]
    standin.script(
        'The therapist says he is "very bright and chatty" [1].',
        "Weekly music therapy [1].",
    )
    draft = _drafter(standin, sentences).draft("LP-1", advice, created_by="officer")
    assert draft.section("F").ai_text.startswith(
        "[Child 1] should receive speech and language therapy for 30 minutes twice a week"
    )
    for sid in ("B", "F"):
        assert "\u201c" not in draft.section(sid).ai_text and '"' not in draft.section(sid).ai_text
    assert draft.dropped.get("B", 0) + draft.dropped.get("F", 0) == 2
