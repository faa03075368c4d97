"""Whose account a line is, re-identified, reads as a name reads in running text: a surname
the record wrote in capitals is shown in title case, a name already in mixed case and
initials as written; the quoted sentence itself stays exactly as the record has it.

Every name here is made up for these tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from assistant.contracts import Answer, AnswerSentence, Citation
from assistant.display import name_as_read
from assistant.service import AnswerService
from redaction.question import as_typed


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Grace OKAFOR", "Grace Okafor"),
        ("GRACE OKAFOR", "Grace Okafor"),
        ("Siobhan O'DONNELL", "Siobhan O'Donnell"),
        ("Ellis WARD-BAKER", "Ellis Ward-Baker"),
        ("Callum MCINTYRE", "Callum McIntyre"),
        ("Callum McINTYRE", "Callum McIntyre"),
        # Already as a name is read, or initials: as written.
        ("Callum McIntyre", "Callum McIntyre"),
        ("Ana de Souza", "Ana de Souza"),
        ("TJ", "TJ"),
        ("A K PATEL", "A K Patel"),
        ("Grace", "Grace"),
        # A rank or title before the name and a numeral stay; accented capitals are read.
        ("PCSO Dan HUGHES", "PCSO Dan Hughes"),
        ("Tom BRADLEY III", "Tom Bradley III"),
        ("ÉMILE DUBOIS", "Émile Dubois"),
    ],
)
def test_a_name_as_it_is_read(written, read):
    assert name_as_read(written) == read


class _Vault:
    """Re-identifies ``[Mother]`` as a police log writes her name."""

    def __call__(self, principal: Any, text: str, keys: Any) -> str:
        return text.replace("[Mother]", "GRACE OKAFOR")


def test_whose_account_is_shown_as_a_name_and_the_quote_as_written():
    service = AnswerService(None, None, None, reidentifier=_Vault())  # type: ignore[arg-type]
    stored = Answer(
        answer_id="a1",
        question="what did mum say?",
        sentences=[
            AnswerSentence(
                text="[Mother] STATES SHE WAS AT WORK.",
                citations=[1],
                occurred_at=date(2024, 2, 3),
                reliability="self_reported",
                source="[Mother]",
                provenance="[Mother]'s account",
            )
        ],
        citations=[
            Citation(
                n=1,
                record_id="R1",
                source_system="POLICE",
                record_type="incident",
                occurred_at=date(2024, 2, 3),
                source_url="https://example.invalid/R1",
            )
        ],
    )
    shown = service.redisplay(object(), stored).sentences[0]  # type: ignore[arg-type]
    assert shown.text == "GRACE OKAFOR STATES SHE WAS AT WORK."
    assert shown.provenance == "Grace Okafor's account"
    assert shown.source == "Grace Okafor"


# --- a kept question, shown again -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kept", "shown"),
    [
        ("what did mum [Mother] say about the move?", "what did mum say about the move?"),
        ("Has Dad [Father 2] been in touch?", "Has Dad been in touch?"),
        ("is nan [Grandmother] still helping", "is nan still helping"),
        ("stepdad [Mother's partner] and mum [Mother] rows", "stepdad and mum rows"),
        ("mum [Mother]'s drinking", "mum's drinking"),
        # A name typed after the kinship word is kept once; other placeholders stay.
        ("mum [Mother] [Mother] at the review", "mum [Mother] at the review"),
        ("what did [Child 1] tell school?", "what did [Child 1] tell school?"),
        ("did mum [Child 2] go", "did mum [Child 2] go"),
    ],
)
def test_a_kept_question_shows_each_kinship_word_as_typed(kept, shown):
    assert as_typed(kept) == shown


def test_a_reopened_question_names_the_person_once():
    service = AnswerService(None, None, None, reidentifier=_Vault())  # type: ignore[arg-type]
    stored = Answer(
        answer_id="a2",
        question="what did mum [Mother] say?",
        resolved_question="What did mum [Mother] say about the rent?",
    )
    shown = service.redisplay(object(), stored)  # type: ignore[arg-type]
    assert shown.question == "what did mum say?"
    assert shown.resolved_question == "What did mum say about the rent?"
