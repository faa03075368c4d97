"""Presidio's own UK recognizers as caselens configures them: NHS (mod-11), NINO, email."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("NHS number 943 476 5919 on file", "NHS_NUMBER", "943 476 5919"),
        ("NHS 9434765919.", "NHS_NUMBER", "9434765919"),
        ("NI number AB 12 34 56 C held", "NI_NUMBER", "AB 12 34 56 C"),
        ("national insurance JK123456D", "NI_NUMBER", "JK123456D"),
        ("email jane.doe@example.org today", "EMAIL", "jane.doe@example.org"),
    ],
)
def test_uk_identifiers_are_found(found, text: str, entity: str, value: str) -> None:
    assert (entity, value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "NHS number 943 476 5918 on file",  # wrong mod-11 check digit
        "NI number GB 12 34 56 C",  # prefix never issued
        "weight 123 456 7890 grams",  # fails the check digit
    ],
)
def test_invalid_identifiers_are_not_found(found, text: str) -> None:
    assert not [t for t, _ in found(text) if t in ("NHS_NUMBER", "NI_NUMBER")]


def test_email_is_not_also_split_into_urls(detector) -> None:
    text = "Write to jane.doe@example.org please."
    assert [(s.entity_type, text[s.start : s.end]) for s in detector.detect(text)] == [
        ("EMAIL", "jane.doe@example.org")
    ]
