"""Synthetic identifiers are valid in format and obviously fictional."""

from __future__ import annotations

import random
import re

from evals.estate import generate_family
from evals.estate.identifiers import (
    is_valid_nhs_number,
    is_valid_upn,
    nhs_number,
    ni_number,
    upn,
)

PHONE = re.compile(r"^(07700 900\d{3}|01\d{2} 49[68] 0\d{3}|020 7946 0\d{3})$")
NI = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")
POSTCODE = re.compile(r"^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$")


def test_nhs_numbers_have_valid_check_digits_and_test_prefix() -> None:
    rng = random.Random(1)
    for _ in range(500):
        value = nhs_number(rng)
        assert value.startswith("999") and len(value) == 10
        assert is_valid_nhs_number(value)
    assert is_valid_nhs_number("943 476 5919")  # the NHS's own published example
    assert not is_valid_nhs_number("943 476 5918")


def test_upns_have_the_dfe_check_letter() -> None:
    rng = random.Random(2)
    for _ in range(500):
        value = upn(rng, "938", 2019)
        assert is_valid_upn(value)
        broken = value[:-1] + str((int(value[-1]) + 1) % 10)
        assert not is_valid_upn(broken)


def test_ni_numbers_are_well_formed() -> None:
    rng = random.Random(3)
    assert all(NI.match(ni_number(rng)) for _ in range(500))


def test_family_identifiers_and_contacts_are_fictional() -> None:
    for index in range(15):
        fam = generate_family(4, index)
        for p in fam.people:
            assert is_valid_nhs_number(p.nhs_number)
            if p.upn:
                assert is_valid_upn(p.upn)
            if p.ni_number:
                assert NI.match(p.ni_number) and p.is_adult
            assert all(PHONE.match(x) for x in p.phones), p.phones
            assert all(e.endswith(("@example.com", "@example.org")) for e in p.emails)
            assert POSTCODE.match(str(p.address["postcode"]))
        for span in fam.pii_spans:
            if span["type"] == "EMAIL":
                assert span["text"].endswith(("@example.com", "@example.org"))
            if span["type"] == "PHONE":
                digits = re.sub(r"\D", "", span["text"]).removeprefix("44")
                assert digits.lstrip("0").startswith(("7700900", "1134960", "1"))
