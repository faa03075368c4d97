"""Splitting a record into sentences: every fact stays whole and nothing is dropped.

Synthetic sentences, written for these tests."""

from __future__ import annotations

from assistant.text import split_sentences


def test_a_date_of_birth_in_brackets_does_not_end_the_sentence():
    raw = "Victim Ana Petrova (d.o.b. 02/05/1991) says her partner pushed her over. Both seen."
    assert split_sentences(raw) == [
        "Victim Ana Petrova (d.o.b. 02/05/1991) says her partner pushed her over.",
        "Both seen.",
    ]


def test_a_sentence_opening_with_a_date_of_birth_placeholder_is_not_a_signature():
    text = "Victim [Mother] (d.o.b. [DOB: Mother, aged 30-39]) reports [Person 1] hit her."
    assert split_sentences(text) == [text]


def test_a_name_and_role_line_is_still_dropped_as_a_signature():
    assert split_sentences("Seen today.\n[Person 2], Family Support Worker") == ["Seen today."]
