"""How one source system records a true person: the differences record linkage must resolve.

Per (person, system) a separate stream draws a fixed number of values: at most one "hard"
distortion (nickname or spelling variant as given name, swapped names, a DOB typo, a
missing DOB where a strong identifier is held), plus which identifiers the system holds
and whether its address is out of date after a house move.
"""

from __future__ import annotations

import random
from datetime import date

from evals.estate.names import family_variants, given_variants
from evals.estate.people import TruePerson, age_on
from evals.estate.rng import chance, weighted
from evals.estate.structure import REFERENCE_DATE

#: Probability a system holds an identifier it could hold.
NHS_HELD = {
    "HEALTH": 1.0,
    "LCS": 0.85,
    "SEND": 0.9,
    "YOUTH_JUSTICE": 0.6,
    "EHM": 0.5,
    "SCHOOL": 0.2,
    "POLICE": 0.1,
    "HOUSING": 0.1,
}
UPN_HELD = {"SCHOOL": 1.0, "SEND": 0.9}
NI_HELD = {"HOUSING": 0.8, "LCS": 0.5, "POLICE": 0.4, "EHM": 0.2, "YOUTH_JUSTICE": 0.2}
#: Systems that are slow to learn of a house move.
STALE_ADDRESS = {
    "HEALTH": 0.6,
    "POLICE": 0.5,
    "SCHOOL": 0.3,
    "EHM": 0.5,
    "SEND": 0.2,
    "YOUTH_JUSTICE": 0.3,
    "LCS": 0.1,
    "HOUSING": 0.0,
}

DISTORTIONS: tuple[tuple[str, float], ...] = (
    ("none", 0.6),
    ("nickname", 0.12),
    ("given_spelling", 0.08),
    ("family_spelling", 0.05),
    ("dob_digit", 0.05),
    ("dob_swap", 0.03),
    ("swap_names", 0.03),
    ("dob_missing", 0.03),
)


def person_view(
    person: TruePerson, system: str, person_id: str, rng: random.Random
) -> tuple[dict[str, object], str]:
    """The system's Person dict for ``person`` and the distortion applied (for reporting)."""
    kind = weighted(rng, DISTORTIONS)
    variant_draw = rng.random()
    digit_draw = rng.random()
    digit_pos = rng.random()
    nhs_draw, upn_draw, ni_draw = rng.random(), rng.random(), rng.random()
    stale_draw = rng.random()
    alias_draw = rng.random()
    known_as_nick = chance(rng, 0.3)

    nhs = person.nhs_number if nhs_draw < NHS_HELD.get(system, 0.0) else None
    upn = person.upn if person.upn and upn_draw < UPN_HELD.get(system, 0.0) else None
    ni = person.ni_number if person.ni_number and ni_draw < NI_HELD.get(system, 0.0) else None

    given, family = person.given_name, person.family_name
    dob: date | None = person.dob
    known_as: list[str] = []
    if person.known_as and alias_draw < 0.7:
        known_as = list(person.known_as)
    if person.nicknames and known_as_nick:
        known_as.append(person.nicknames[0])

    applied = "none"
    if kind == "nickname" and person.nicknames:
        given = person.nicknames[int(variant_draw * len(person.nicknames))]
        applied = kind
    elif kind == "given_spelling" and given_variants(given):
        options = given_variants(given)
        given = options[int(variant_draw * len(options))]
        applied = kind
    elif kind == "family_spelling" and family_variants(family):
        options = family_variants(family)
        family = options[int(variant_draw * len(options))]
        applied = kind
    elif kind == "dob_digit":
        dob = _digit_typo(person.dob, digit_draw, digit_pos)
        applied = kind if dob != person.dob else "none"
    elif kind == "dob_swap" and person.dob.day <= 12 and person.dob.day != person.dob.month:
        dob = date(person.dob.year, person.dob.day, person.dob.month)
        applied = kind
    elif kind == "swap_names":
        given, family = family, given
        applied = kind
    elif kind == "dob_missing" and (nhs or upn or ni):
        dob = None
        applied = kind
    if dob is not None and dob > REFERENCE_DATE:
        dob = person.dob
        applied = "none"

    address = dict(person.address)
    if person.previous_addresses and stale_draw < STALE_ADDRESS.get(system, 0.0):
        address = dict(person.previous_addresses[0])

    view: dict[str, object] = {
        "person_id": person_id,
        "source_system": system,
        "given_name": given,
        "family_name": family,
        "known_as": [k for k in dict.fromkeys(known_as) if k != given],
        "dob": dob.isoformat() if dob else None,
        "gender": person.gender,
        "ethnicity": None if system == "HOUSING" else person.ethnicity,
        "language": person.language,
        "address": address,
        "identifiers": {"nhs_number": nhs, "upn": upn, "ni_number": ni},
        "relationships": [],
    }
    if person.phones and system in ("LCS", "EHM", "SCHOOL", "HOUSING", "HEALTH"):
        view["phone"] = person.phones[0]
    if person.emails and system in ("LCS", "EHM", "SCHOOL"):
        view["email"] = person.emails[0]
    if system in ("LCS", "SEND", "SCHOOL") and person.disability != "none":
        view["disability"] = person.disability
    if system in ("LCS", "EHM"):
        view["religion"] = person.religion
    return view, applied


def _digit_typo(dob: date, digit_draw: float, position_draw: float) -> date:
    """Change one digit of the day, month or year (keeping a valid date)."""
    text = dob.strftime("%Y%m%d")
    positions = [3, 5, 7, 6, 7]  # year units, month units, day units, day tens, day units
    pos = positions[int(position_draw * len(positions))]
    for step in range(1, 10):
        digit = (int(text[pos]) + int(digit_draw * 9) + step) % 10
        candidate = text[:pos] + str(digit) + text[pos + 1 :]
        try:
            changed = date(int(candidate[:4]), int(candidate[4:6]), int(candidate[6:]))
        except ValueError:
            continue
        if (
            changed != dob
            and abs(age_on(changed, REFERENCE_DATE) - age_on(dob, REFERENCE_DATE)) <= 5
        ):
            return changed
    return dob
