"""A typed question in the family's pseudonyms: names, nicknames, the family's address and
kinship words become the placeholders the indexed records use (synthetic family)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from answer_standins import OneFamily

from redaction.question import QuestionPseudonymiser
from redaction.roster import build_roster
from retrieval.store.families import LinkedRelationship
from retrieval.store.redaction_store import FamilyPeople

TODAY = date(2026, 12, 4)


def _family(make_person: Any) -> FamilyPeople:
    address = {"line1": "7 Larchwood Close", "town": "Ashbury", "postcode": "BK4 2TN"}
    child = make_person(
        "EHM-1",
        "EHM",
        given_name="Oluwaseun",
        family_name="Adeyemi",
        known_as=["Seun"],
        dob="2015-03-02",
        gender="male",
        address=address,
    )
    sister = make_person(
        "EHM-2",
        "EHM",
        given_name="Temi",
        family_name="Adeyemi",
        dob="2018-09-10",
        gender="female",
        address=address,
    )
    mum = make_person(
        "EHM-3",
        "EHM",
        given_name="Funmilayo",
        family_name="Adeyemi",
        dob="1988-01-20",
        gender="female",
        address=address,
    )
    ties = [
        LinkedRelationship("LP-child", "LP-mum", "mother"),
        LinkedRelationship("LP-sister", "LP-mum", "mother"),
    ]
    return FamilyPeople(
        "FAM-1", {"LP-child": [child], "LP-sister": [sister], "LP-mum": [mum]}, ties
    )


def test_names_nicknames_and_kinship_words_become_the_familys_placeholders(make_person):
    people = _family(make_person)
    roster = build_roster("FAM-1", people.members, people.relationships, today=TODAY)
    placeholder = {m.member_id: m.placeholder for m in roster.members}
    rewrite = QuestionPseudonymiser(OneFamily(people), today=TODAY)

    q = rewrite.pseudonymise("LP-child", "Has Seun told anyone at school about mum's drinking?")
    assert "Seun" not in q.text and placeholder["LP-child"] in q.text
    assert placeholder["LP-mum"] in q.text  # "mum" names the mother
    assert q.named_ids == frozenset({"LP-child", "LP-mum"})
    assert q.subject_placeholder == placeholder["LP-child"] and q.family_id == "FAM-1"

    q = rewrite.pseudonymise("FAM-1", "What does Temi Adeyemi enjoy at 7 Larchwood Close?")
    assert "Temi" not in q.text and "Larchwood" not in q.text
    assert q.named_ids == frozenset({"LP-sister"})


def test_a_question_naming_nobody_in_the_family_is_left_as_typed(make_person):
    rewrite = QuestionPseudonymiser(OneFamily(_family(make_person)), today=TODAY)
    question = "Any police involvement since the summer?"
    q = rewrite.pseudonymise("FAM-1", question)
    assert q.text == question and q.named_ids == frozenset()


def test_a_subject_with_no_family_is_left_as_typed(make_person):
    rewrite = QuestionPseudonymiser(OneFamily(_family(make_person)), today=TODAY)
    q = rewrite.pseudonymise("LP-unlinked", "Is Seun safe?")
    assert q.text == "Is Seun safe?" and q.family_id is None


def test_a_question_typed_in_lower_case_still_names_the_child(make_person):
    rewrite = QuestionPseudonymiser(OneFamily(_family(make_person)), today=TODAY)
    q = rewrite.pseudonymise("FAM-1", "wot did temi tell u bout school")
    assert "temi" not in q.text and q.named_ids == frozenset({"LP-sister"})
    assert q.text.startswith("wot did [")  # the rest stays as typed


def test_a_name_typed_in_lower_case_inside_a_capitalised_question_is_found(make_person):
    rewrite = QuestionPseudonymiser(OneFamily(_family(make_person)), today=TODAY)
    q = rewrite.pseudonymise("FAM-1", "What is recorded about temi?")
    assert "temi" not in q.text and q.named_ids == frozenset({"LP-sister"})
    q = rewrite.pseudonymise("FAM-1", "What has seuns teacher said?")
    assert "seun" not in q.text and q.named_ids == frozenset({"LP-child"})


def test_a_short_form_of_a_name_typed_in_lower_case_is_found(make_person):
    """The redaction knows "Alex" is Alexander; so does a question typed as "alex"."""
    child = make_person(
        "EHM-7", "EHM", given_name="Alexander", family_name="Mwangi", dob="2014-06-01"
    )
    people = FamilyPeople("FAM-1", {"LP-child": [child]}, [])
    rewrite = QuestionPseudonymiser(OneFamily(people), today=TODAY)
    q = rewrite.pseudonymise("FAM-1", "Has school raised anything about alex recently?")
    assert "alex" not in q.text and q.named_ids == frozenset({"LP-child"})


def _siblings(make_person):
    """A boy of ten with a younger sister, an older sister and an older brother."""
    kids = {
        "LP-boy": ("Ellis", "male", "2016-05-01"),
        "LP-little": ("Marnie", "female", "2020-02-02"),
        "LP-big": ("Shannon", "female", "2010-08-08"),
        "LP-bro": ("Kai", "male", "2009-01-01"),
    }
    members = {
        lp: [make_person(f"LCS-{lp}", "LCS", given_name=g, family_name="Orme", gender=sex, dob=dob)]
        for lp, (g, sex, dob) in kids.items()
    }
    return FamilyPeople("FAM-1", members, [])


def test_a_brother_or_sister_is_named_as_the_familys_other_child(make_person):
    people = _siblings(make_person)
    rewrite = QuestionPseudonymiser(OneFamily(people), today=TODAY)
    q = rewrite.pseudonymise("LP-boy", "how is his little sister doing")
    assert q.named_ids == frozenset({"LP-little"})
    q = rewrite.pseudonymise("LP-boy", "has his big sister been in touch?")
    assert q.named_ids == frozenset({"LP-big"})
    q = rewrite.pseudonymise("LP-boy", "any worries about his brother?")
    assert q.named_ids == frozenset({"LP-bro"})
    q = rewrite.pseudonymise("LP-boy", "do his sisters see dad?")
    assert q.named_ids == frozenset({"LP-little", "LP-big"})
    # About the youngest child, nobody is a little sister.
    q = rewrite.pseudonymise("LP-little", "how is her little sister")
    assert q.named_ids == frozenset()


def test_a_possessive_typed_without_its_apostrophe_still_names_the_child(make_person):
    people = _family(make_person)
    roster = build_roster("FAM-1", people.members, people.relationships, today=TODAY)
    sister = next(m.placeholder for m in roster.members if m.member_id == "LP-sister")
    rewrite = QuestionPseudonymiser(OneFamily(people), today=TODAY)
    for question in ("how is temis reading now", "How is Temis reading now"):
        q = rewrite.pseudonymise("FAM-1", question)
        assert "emis" not in q.text and q.named_ids == frozenset({"LP-sister"})
        assert f"{sister}'s reading" in q.text
    # A word that only starts like a name is left alone.
    q = rewrite.pseudonymise("FAM-1", "any temiscal issues")
    assert q.named_ids == frozenset()


@pytest.mark.parametrize(
    ("question", "outsider"),
    [
        ("could you dig out what police have on Darnell Whitcombe?", True),
        ("Anything recorded on Mrs Oyelaran-Fisk?", True),
        ("Any worries for Priya Venkataraman at her new school?", True),
        # The family's own people, speakers, services and places are not outsiders.
        ("What did Temi Adeyemi say about school?", False),
        ("Anything on Seun since the summer?", False),
        ("What did Mrs Pemberton say about Seun's reading?", False),
        ("Any update on Young Carers?", False),
        ("What is recorded about Early Help?", False),
        ("What do we know about Willow Rise?", False),
    ],
)
def test_a_question_after_a_person_outside_the_family_is_marked(make_person, question, outsider):
    rewrite = QuestionPseudonymiser(OneFamily(_family(make_person)), today=TODAY)
    assert rewrite.pseudonymise("FAM-1", question).outsider is outsider
