"""Turn Person records into the flat, normalised linkage table Splink compares.

One row per (source_system, person_id). Every value is normalised so that formatting
differences between systems (case, spacing, accents, "NHS 943 476 5919" vs
"9434765919") never count as disagreement. The table holds personal data and stays in
memory (DuckDB in-process); nothing here is logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import jellyfish
import pandas as pd

from retrieval.linkage.names import canonical_given, fold_name
from retrieval.linkage.result import PersonKey
from retrieval.records import Person

#: Columns of the linkage table, in order.
FEATURE_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "source_system",
    "person_id",
    "given_name",
    "family_name",
    "given_canonical",
    "given_initial",
    "given_metaphone",
    "family_metaphone",
    "alias_canonicals",
    "dob",
    "dob_year",
    "dob_month",
    "dob_day",
    "gender",
    "postcode",
    "postcode_district",
    "nhs_number",
    "upn",
    "ni_number",
)

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def unique_id(key: PersonKey) -> str:
    """The linkage-table id of a person: ``SYSTEM:person_id`` (unique across systems)."""
    return f"{key.source_system}:{key.person_id}"


def normalise_postcode(value: str | None) -> str | None:
    """UK postcode in canonical form ``AB1 2CD``; unparseable values become None."""
    if not value:
        return None
    compact = re.sub(r"\s+", "", value).upper()
    match = _POSTCODE.match(compact)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def normalise_digits(value: str | None, length: int) -> str | None:
    """Digits only; None unless exactly ``length`` digits remain (e.g. NHS number: 10)."""
    if not value:
        return None
    digits = re.sub(r"\D", "", value)
    return digits if len(digits) == length else None


def normalise_code(value: str | None) -> str | None:
    """Upper-case alphanumerics only (UPN, NI number); None if nothing is left."""
    if not value:
        return None
    code = re.sub(r"[^A-Za-z0-9]", "", value).upper()
    return code or None


def normalise_gender(value: str | None) -> str | None:
    """male / female / other; unknown or unstated values become None (no evidence)."""
    folded = fold_name(value)
    if not folded:
        return None
    if folded in {"m", "male", "man", "boy"}:
        return "male"
    if folded in {"f", "female", "woman", "girl"}:
        return "female"
    if folded in {"unknown", "not known", "not stated", "u", "prefer not to say"}:
        return None
    return "other"


def metaphone(value: str | None) -> str | None:
    """Phonetic key of a folded name (spaces removed), or None."""
    if not value:
        return None
    key = jellyfish.metaphone(value.replace(" ", ""))
    return key or None


def person_features(person: Person) -> dict[str, Any]:
    """One linkage-table row for one person."""
    given = fold_name(person.given_name)
    family = fold_name(person.family_name)
    if given is None and family is None and person.known_as:
        # Only an alias is known: use it as the given name so names still compare.
        given = fold_name(person.known_as[0])
    given_canon = canonical_given(given)
    aliases = sorted(
        {c for c in (canonical_given(a) for a in [person.given_name, *person.known_as]) if c}
    )
    dob = person.dob
    address = person.address
    postcode = normalise_postcode(address.postcode if address else None)
    ids = person.identifiers
    return {
        "unique_id": unique_id(PersonKey(person.source_system, person.person_id)),
        "source_system": person.source_system,
        "person_id": person.person_id,
        "given_name": given,
        "family_name": family,
        "given_canonical": given_canon,
        "given_initial": given_canon[0] if given_canon else None,
        "given_metaphone": metaphone(given_canon),
        "family_metaphone": metaphone(family),
        "alias_canonicals": aliases or None,
        "dob": dob.isoformat() if dob else None,
        "dob_year": dob.year if dob else None,
        "dob_month": dob.month if dob else None,
        "dob_day": dob.day if dob else None,
        "gender": normalise_gender(person.gender),
        "postcode": postcode,
        "postcode_district": postcode.split(" ")[0] if postcode else None,
        "nhs_number": normalise_digits(ids.nhs_number, 10),
        "upn": normalise_code(ids.upn),
        "ni_number": normalise_code(ids.ni_number),
    }


def people_frame(people: Iterable[Person]) -> pd.DataFrame:
    """The linkage table for many people; a duplicate (system, person_id) is an error."""
    rows = [person_features(p) for p in people]
    frame = pd.DataFrame(rows, columns=list(FEATURE_COLUMNS))
    duplicated = frame["unique_id"].duplicated()
    if duplicated.any():
        first = frame.loc[duplicated, "unique_id"].iloc[0]
        raise ValueError(f"person {first} appears more than once in the input")
    for column in ("dob_year", "dob_month", "dob_day"):
        frame[column] = frame[column].astype("Int64")
    return frame
