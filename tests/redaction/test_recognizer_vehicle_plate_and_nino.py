"""Vehicle registration marks and NI numbers in the forms notes use them (issue 24)."""

from __future__ import annotations

import pytest

from redaction.recognizers import AnyCaseNinoRecognizer, VehiclePlateRecognizer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SEEN GETTING INTO VAN ZX21 ABC", ["ZX21 ABC"]),
        ("vehicle ZX21ABC parked outside", ["ZX21ABC"]),
        ("Form AB12 CDE was filed", ["AB12 CDE"]),  # the shape alone in capitals
    ],
)
def test_plates_are_found(matches, text: str, expected: list[str]) -> None:
    assert matches(VehiclePlateRecognizer(), text) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("stopped in a silver car zx21abc near the park", "zx21abc"),  # context: car
        ("driver seen in zx21 abc again", "zx21 abc"),
    ],
)
def test_lower_case_plates_are_found_next_to_a_vehicle_word(found, text: str, plate: str) -> None:
    assert ("VEHICLE", plate) in found(text)


@pytest.mark.parametrize(
    ("text", "dob"),
    [
        ("DOB 2016/04/09, NHS 999 123 4568", "2016/04/09"),
        ("d.o.b. 9-Apr-2016 per GP", "9-Apr-2016"),
    ],
)
def test_dates_of_birth_in_less_usual_formats(found, text: str, dob: str) -> None:
    assert ("DATE_OF_BIRTH", dob) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "ref ab12cde",  # lower case with no vehicle word
        "room AB1 2CD",  # postcode-like, not a plate
        "ZX21 ABCD",  # too many letters
        "EH-2023-04417",
    ],
)
def test_non_plates_are_not_found(matches, text: str) -> None:
    assert matches(VehiclePlateRecognizer(), text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NI QQ 12 34 56 C on file", ["QQ 12 34 56 C"]),  # HMRC's specimen prefix
        ("nino qq123456c", ["qq123456c"]),
        ("National Insurance number AB-12-34-56-D", ["AB-12-34-56-D"]),
        ("holds JK 12 34 56 A", ["JK 12 34 56 A"]),
    ],
)
def test_ni_numbers_are_found_in_any_case(matches, text: str, expected: list[str]) -> None:
    assert matches(AnyCaseNinoRecognizer(), text) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "NI GB 12 34 56 C",  # prefix never issued
        "NI QQ 12 34 56 E",  # suffix letters are A-D
        "ab123456c with no cue",  # lower case without a cue
    ],
)
def test_invalid_ni_numbers_are_not_found(matches, text: str) -> None:
    assert matches(AnyCaseNinoRecognizer(), text) == []
