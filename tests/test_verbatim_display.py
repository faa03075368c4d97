"""On the REAL stack, what a social worker is shown is the source, word for word.

The extractive generator quotes sentences of pseudonymised records; display-time
re-identification must give back each of those sentences (and each citation's quote)
exactly as the source record has it, whatever nicknames, spellings or capitals the
record used. A viewer who may not see a record keeps its placeholders.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

_SPACE = re.compile(r"\s+")
QUESTIONS = (
    "What is the history of drug and alcohol misuse in this family, and how has it presented?",
    "What is recorded about school attendance?",
    "What has been recorded about the children's health?",
)


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text)


def _originals(real_stack: Any, keys: list[tuple[str, str]]) -> list[str]:
    found = [real_stack.store.get_record(system, record_id) for system, record_id in keys]
    return [_flat(f"{r.title}\n{r.text}") for r in found if r is not None]


@pytest.mark.parametrize("question", QUESTIONS)
def test_shown_sentences_and_quotes_are_the_source_word_for_word(
    real_stack: Any, question: str
) -> None:
    principal = real_stack.principal("sw-one")
    family = sorted(principal.caseload_families)[0]
    with real_stack.service(reidentify=True) as service:
        answer = service.ask(principal, family, question)
    keys = {c.n: (c.source_system, c.record_id) for c in answer.citations}
    checked = 0
    for sentence in answer.sentences:
        if sentence.kind != "fact" or not sentence.supported:
            continue
        originals = _originals(real_stack, [keys[n] for n in sentence.citations])
        assert any(_flat(sentence.text) in o for o in originals), sentence.text
        checked += 1
    for citation in answer.citations:
        if citation.quote:
            (original,) = _originals(real_stack, [keys[citation.n]])
            assert _flat(citation.quote) in original, citation.quote
    if question == QUESTIONS[0]:
        assert checked > 0


def test_every_sentence_of_every_record_is_shown_as_written(real_stack: Any) -> None:
    """Across the estate: each sentence of each pseudonymised record, shown to a viewer
    who may see it, is a sentence of the source record; and the estate's nicknames,
    spellings and capitals make that differ from first-original lookup many times."""
    from api.backends import build_token_vault
    from assistant.display import VaultReidentifier
    from assistant.text import split_sentences
    from redaction.reidentify import reidentify

    vault = build_token_vault(real_stack.settings)
    show = VaultReidentifier(real_stack.store, vault, real_stack.policy)
    principal = real_stack.principal("evaluator")
    role = real_stack.policy.role(principal.role)
    sentences = differs = withheld = 0
    for record in real_stack.store.iter_pseudonymised():
        source = real_stack.store.get_record(*record.key)
        _, sealed = real_stack.store.get_pseudonymised(*record.key)
        original = _flat(source.text)
        for sentence in split_sentences(record.text):
            if "[" not in sentence:
                continue
            shown = show(principal, sentence, [record.key])
            if not role.may_see(record):  # e.g. CAMHS clinical notes: pseudonyms stay
                assert shown == sentence
                withheld += 1
                continue
            assert _flat(shown) in original, (record.key, sentence)
            sentences += 1
            differs += shown != reidentify(sentence, sealed, vault)
    assert sentences > 200 and withheld > 0
    assert differs > 20, f"only {differs} of {sentences} sentences use a name variant"


def test_one_answer_reads_and_opens_each_cited_record_once(real_stack: Any) -> None:
    """The texts of one answer (sentences, titles, quotes) read each cited record once;
    the role is still checked at every display."""
    from api.backends import build_token_vault
    from assistant.display import VaultReidentifier

    class Counting:
        def __init__(self, store: Any) -> None:
            self.store, self.reads = store, 0

        def get_pseudonymised(self, system: str, record_id: str) -> Any:
            self.reads += 1
            return self.store.get_pseudonymised(system, record_id)

    record = next(r for r in real_stack.store.iter_pseudonymised() if "[" in r.text)
    counting = Counting(real_stack.store)
    show = VaultReidentifier(counting, build_token_vault(real_stack.settings), real_stack.policy)
    allowed = real_stack.principal("evaluator")
    first = show(allowed, record.text, [record.key])
    for _ in range(20):
        assert show(allowed, record.text, [record.key]) == first
    assert counting.reads == 1
    from retrieval.principal import Principal

    nobody = Principal("steward", "data_steward")  # may see no case record
    assert show(nobody, record.text, [record.key]) == record.text
