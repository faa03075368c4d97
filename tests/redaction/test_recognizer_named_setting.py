"""Settings named like a house ("<proper word> Grange/House/Lodge ..."): removed when the
note says a child goes there, in any case; parks, halls and courts of ordinary words, and
such names with nothing saying they are a setting, stay. Sentences are synthetic."""

from __future__ import annotations

import pytest

from redaction.recognizers import NamedSettingRecognizer


@pytest.fixture(scope="module")
def recognizer() -> NamedSettingRecognizer:
    return NamedSettingRecognizer()


def _removed(found, text: str) -> list[str]:
    return [value for entity, value in found(text) if entity == "SCHOOL"]


# (text, the setting's name as written) — through the whole detector.
SETTINGS = [
    ("Ellis was in isolation at Corvedale Grange twice this week.", "Corvedale Grange"),
    ("ellis was in isolation at corvedale grange twice this week.", "corvedale grange"),
    ("ELLIS EXCLUDED FROM CORVEDALE GRANGE FOR FIVE DAYS.", "CORVEDALE GRANGE"),
    ("She attends Wrexholm House, a specialist setting for autism.", "Wrexholm House"),
    ("attends wrexholm house 3 days a week, reduced timetable.", "wrexholm house"),
    ("Placed at Tallowby Lodge after the placement broke down.", "Tallowby Lodge"),
    ("Mum and baby moved to Quenbury Manor, the refuge, on Friday.", "Quenbury Manor"),
    ("moved to quenbury manor children's home on friday", "quenbury manor"),
    ("He started at Brindlecombe Fields after Easter.", "Brindlecombe Fields"),
    ("Pupil at Ashworth View, the pupil referral unit, since Year 8.", "Ashworth View"),
    ("in year 9 at ashcombe fields, attendance 71%", "ashcombe fields"),
    ("Dual-registered at Kelderby Hall two days a week.", "Kelderby Hall"),
    ("in detention @ wrexholm house after lunch", "wrexholm house"),  # "@" for "at"
    ("school: wrexholm house (SEMH), EHCP in place", "wrexholm house"),  # a label
    ("Placement - Tallowby Lodge, 52 weeks.", "Tallowby Lodge"),
    ("Reported missing from Tallowby Lodge at 22:00, returned at 2am.", "Tallowby Lodge"),
    ("staff at Quenbury Manor say he is settling", "Quenbury Manor"),
    ("On roll at Wrexholm House since September.", "Wrexholm House"),
]


@pytest.mark.parametrize(("text", "name"), SETTINGS)
def test_settings_named_like_a_house_are_removed(found, text: str, name: str) -> None:
    assert _removed(found, text) == [name]


# (text) — nothing here is a setting's name.
NOT_SETTINGS = [
    "The boys were drinking at the skate park after school.",
    "Dad was at Skate Park with friends.",  # ordinary words, capitalised
    "The assembly was in the Sports Hall; the school nurse attended.",
    "Hearing at the Family Court next month; school informed.",
    "Mum attended Crown Court for the sentencing.",
    "Family went to Hampton Court on a school trip.",  # a palace, no setting word
    "They moved to Elm Park last year.",  # a district, nothing says setting
    "The assessment took place at home; school place agreed.",
    "Youth Court on Monday, school aware.",
    "went to the park then to the court house",
    "School: Skate Park trip on Friday.",  # a label before ordinary words
]


@pytest.mark.parametrize("text", NOT_SETTINGS)
def test_other_parks_halls_and_courts_stay(found, text: str) -> None:
    assert _removed(found, text) == []


# The recognizer alone: the cue pattern needs context, so without any it scores under the
# threshold; a kind word after the name does not.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("met her at Corvedale Grange", []),
        ("Corvedale Grange children's home rang", ["Corvedale Grange"]),
        ("Quenbury Manor (refuge) has a room", ["Quenbury Manor"]),
        ("from Town Hall, the school said", []),
    ],
)
def test_recognizer_alone(recognizer, matches, text: str, expected: list[str]) -> None:
    assert matches(recognizer, text) == expected
