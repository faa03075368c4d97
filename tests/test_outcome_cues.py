"""What the outcome rules take as how a matter ended, and what they must not: a feeling, a
parent's own search, something only threatened or still to come is never an allegation's
recorded outcome (shown under it, it would read as the matter settled). Sentences are
synthetic, written for these tests."""

from __future__ import annotations

import pytest

from assistant.outcomes import arrest, arrest_disposal, concluded, decided


@pytest.mark.parametrize(
    "sentence",
    [
        "J arrested at 14:00 outside the shop.",
        "ARRESTED 03/04 AT HOME ADDRESS.",
    ],
)
def test_an_arrest_is_an_arrest(sentence):
    assert arrest(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "He wasn't arrested.",
        "Nobody was arrested at the scene.",
        "Police never arrested anyone.",
        "She threatened to have him arrested.",
    ],
)
def test_no_one_arrested_or_a_threat_is_no_arrest(sentence):
    assert not arrest(sentence)


@pytest.mark.parametrize(
    ("sentence", "ended"),
    [
        ("Released under investigation.", True),
        ("RUI pending forensics.", True),
        ("Charged with theft and bailed to court.", True),
        # a release from something else, and what is still to come, end no arrest
        ("He was released from prison in May.", False),
        ("Youth court hearing to be listed.", False),
        ("CPS considering whether to send it to crown court.", False),
    ],
)
def test_what_came_of_an_arrest(sentence, ended):
    assert arrest_disposal(sentence) is ended


@pytest.mark.parametrize(
    ("sentence", "finding"),
    [
        ("Searched by the head of year - a lighter found in his blazer.", True),
        ("Officers searched the flat and found two phones.", True),
        ("School nurse noted a bruise on his upper arm.", True),
        # a parent's own search, and what a clinician wrote down that someone told them, are
        # accounts, not findings
        ("Mum says she searched his room and found tablets.", False),
        ("GP recorded that mum reports dad pushed her last year.", False),
    ],
)
def test_what_a_search_or_an_examination_found(sentence, finding):
    assert decided(sentence) is finding


@pytest.mark.parametrize(
    ("sentence", "conclusion"),
    [
        ("Referral accepted by CAMHS for assessment.", True),
        ("Risk: assessed as low risk of serious harm.", True),
        ("Discharged back to the GP.", True),
        # a feeling, an admission and a hospital's discharge after an injury conclude nothing
        ("Mum felt no risk from dad now he has moved out.", False),
        ("Dad accepted for the first time that he had left them.", False),
        ("Taken to A&E and discharged from hospital the same night.", False),
        ("On discharge mum said she felt better.", False),
    ],
)
def test_a_receiving_services_conclusion(sentence, conclusion):
    assert concluded(sentence) is conclusion
