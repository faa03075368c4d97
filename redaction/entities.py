"""caselens entity type names and how Presidio's names map onto them.

The names match the estate's gold span types (``PROFESSIONAL`` is a ``PERSON`` here).
``DATE`` is an event date: detected so the pseudonymiser can tell it apart from a date
of birth, and kept in the text.
"""

from __future__ import annotations

PERSON = "PERSON"
PHONE = "PHONE"
EMAIL = "EMAIL"
ADDRESS = "ADDRESS"
POSTCODE = "POSTCODE"
NHS_NUMBER = "NHS_NUMBER"
UPN = "UPN"
NI_NUMBER = "NI_NUMBER"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
VEHICLE = "VEHICLE"
DATE = "DATE"
SCHOOL = "SCHOOL"
GP_PRACTICE = "GP_PRACTICE"
CASE_REFERENCE = "CASE_REFERENCE"
LOCATION = "LOCATION"
ORGANISATION = "ORGANISATION"

CASELENS_ENTITIES: tuple[str, ...] = (
    PERSON,
    PHONE,
    EMAIL,
    ADDRESS,
    POSTCODE,
    NHS_NUMBER,
    UPN,
    NI_NUMBER,
    DATE_OF_BIRTH,
    VEHICLE,
    DATE,
    SCHOOL,
    GP_PRACTICE,
    CASE_REFERENCE,
    LOCATION,
    ORGANISATION,
)

#: Entity types that are kept in pseudonymised text (they identify nobody on their own).
KEPT_ENTITIES: frozenset[str] = frozenset({DATE})

#: Presidio entity name -> caselens entity name. Presidio entities not listed here are
#: dropped by ``detect`` (the analyzer is configured not to produce them anyway).
PRESIDIO_TO_CASELENS: dict[str, str] = {
    "PERSON": PERSON,
    "PERSON_CUE": PERSON,
    "PERSON_LIST": PERSON,
    "PHONE_NUMBER": PHONE,
    "UK_PHONE": PHONE,
    "EMAIL_ADDRESS": EMAIL,
    "UK_STREET_ADDRESS": ADDRESS,
    "UK_POSTCODE": POSTCODE,
    "UK_NHS": NHS_NUMBER,
    "UK_UPN": UPN,
    "UK_NINO": NI_NUMBER,
    "DATE_OF_BIRTH": DATE_OF_BIRTH,
    "VEHICLE_PLATE": VEHICLE,
    "DATE_TIME": DATE,
    "UK_SCHOOL": SCHOOL,
    "UK_SETTING": SCHOOL,
    "UK_GP_PRACTICE": GP_PRACTICE,
    "CASE_REFERENCE": CASE_REFERENCE,
    "LOCATION": LOCATION,
    "ORGANIZATION": ORGANISATION,
}
