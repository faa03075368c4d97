"""caselens recognizers for what Presidio lacks or gets wrong on UK case notes.

One recognizer per module; ``caselens_recognizers`` returns a fresh instance of each.
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from redaction.recognizers.case_reference import CaseReferenceRecognizer
from redaction.recognizers.date_of_birth import DateOfBirthRecognizer
from redaction.recognizers.gp_practice import GpPracticeRecognizer
from redaction.recognizers.name_list import NameListRecognizer
from redaction.recognizers.named_setting import NamedSettingRecognizer
from redaction.recognizers.person_cue import PersonCueRecognizer
from redaction.recognizers.street_address import UkStreetAddressRecognizer
from redaction.recognizers.uk_nino import AnyCaseNinoRecognizer
from redaction.recognizers.uk_phone import UkPhoneRecognizer
from redaction.recognizers.uk_postcode import CaselensUkPostcodeRecognizer
from redaction.recognizers.uk_school import UkSchoolRecognizer
from redaction.recognizers.uk_upn import UkUpnRecognizer
from redaction.recognizers.vehicle_plate import VehiclePlateRecognizer

__all__ = [
    "AnyCaseNinoRecognizer",
    "CaseReferenceRecognizer",
    "CaselensUkPostcodeRecognizer",
    "DateOfBirthRecognizer",
    "GpPracticeRecognizer",
    "NameListRecognizer",
    "NamedSettingRecognizer",
    "PersonCueRecognizer",
    "UkPhoneRecognizer",
    "UkSchoolRecognizer",
    "UkStreetAddressRecognizer",
    "UkUpnRecognizer",
    "VehiclePlateRecognizer",
    "caselens_recognizers",
]


def caselens_recognizers(language: str = "en") -> list[EntityRecognizer]:
    """A new instance of every caselens recognizer for ``language``."""
    return [
        UkPhoneRecognizer(supported_language=language),
        UkStreetAddressRecognizer(supported_language=language),
        CaselensUkPostcodeRecognizer(supported_language=language),
        UkUpnRecognizer(supported_language=language),
        CaseReferenceRecognizer(supported_language=language),
        DateOfBirthRecognizer(supported_language=language),
        UkSchoolRecognizer(supported_language=language),
        NamedSettingRecognizer(supported_language=language),
        GpPracticeRecognizer(supported_language=language),
        PersonCueRecognizer(supported_language=language),
        NameListRecognizer(supported_language=language),
        AnyCaseNinoRecognizer(supported_language=language),
        VehiclePlateRecognizer(supported_language=language),
    ]
