"""Turn a family plan into true people: names, characteristics, identifiers, addresses.

Names come from the names stream, characteristics from the demographics stream,
identifiers and contact details from the ids stream, addresses from the addresses stream;
each draws a fixed number of values so one override changes only what it should.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from evals.estate import identifiers as ids
from evals.estate.demographics import Demographics
from evals.estate.names import ANGLICISED_ALIASES, NAME_POOLS, nicknames_for
from evals.estate.rng import chance, pick
from evals.estate.structure import (
    AUNT,
    FATHER,
    GRANDFATHER,
    GRANDMOTHER,
    MOTHER,
    PARTNER,
    REFERENCE_DATE,
    FamilyPlan,
    MemberPlan,
)

_ADULT_GENDER = {
    MOTHER: "female",
    FATHER: "male",
    PARTNER: "male",
    GRANDMOTHER: "female",
    GRANDFATHER: "male",
    AUNT: "female",
}
#: Local authority code used in UPNs (fictional authority).
LA_CODE = "938"


@dataclass
class TruePerson:
    """A real (synthetic) person: the gold truth every system's record is a view of."""

    true_person_id: str
    family_id: str
    slot: int
    family_role: str
    given_name: str
    family_name: str
    nicknames: list[str]
    known_as: list[str]
    dob: date
    gender: str
    name_origin: str
    ethnicity: str
    religion: str
    disability: str
    language: str
    nhs_number: str
    upn: str | None
    ni_number: str | None
    address: dict[str, str | None]
    previous_addresses: list[dict[str, str | None]] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    in_household: bool = True

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_adult(self) -> bool:
        return age_on(self.dob, REFERENCE_DATE) >= 18

    def gold(self) -> dict[str, object]:
        out: dict[str, object] = {
            "true_person_id": self.true_person_id,
            "family_id": self.family_id,
            "family_role": self.family_role,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "nicknames": list(self.nicknames),
            "known_as": list(self.known_as),
            "dob": self.dob.isoformat(),
            "gender": self.gender,
            "name_origin": self.name_origin,
            "ethnicity": self.ethnicity,
            "religion": self.religion,
            "disability": self.disability,
            "language": self.language,
            "nhs_number": self.nhs_number,
        }
        if self.upn:
            out["upn"] = self.upn
        if self.ni_number:
            out["ni_number"] = self.ni_number
        out["address"] = dict(self.address)
        out["previous_addresses"] = [dict(a) for a in self.previous_addresses]
        out["phones"] = list(self.phones)
        out["emails"] = list(self.emails)
        out["in_household"] = self.in_household
        return out


def age_on(dob: date, when: date) -> int:
    years = when.year - dob.year
    if (when.month, when.day) < (dob.month, dob.day):
        years -= 1
    return years


def build_people(
    plan: FamilyPlan,
    demo: Demographics,
    family_id: str,
    names_rng: random.Random,
    ids_rng: random.Random,
    address_rng: random.Random,
    moved: bool,
) -> list[TruePerson]:
    """One TruePerson per planned member, in slot order."""
    origin = demo.name_origin
    surnames_pool = NAME_POOLS[origin][2]
    partner_surnames = NAME_POOLS[demo.partner_origin][2]
    surname = {
        "father": pick(names_rng, surnames_pool),
        "maiden": pick(names_rng, surnames_pool),
        "partner": pick(names_rng, partner_surnames),
    }
    if surname["maiden"] == surname["father"]:
        idx = surnames_pool.index(surname["father"])
        surname["maiden"] = surnames_pool[(idx + 7) % len(surnames_pool)]
    # Fixed draws per slot, whatever the slot's existence or values.
    slot_draws = {
        slot: (names_rng.random(), names_rng.random(), names_rng.random(), names_rng.random())
        for slot in (0, 1, 2, 3, MOTHER, FATHER, PARTNER, GRANDMOTHER, GRANDFATHER, AUNT)
    }
    household = ids.address(address_rng)
    previous = ids.address(address_rng)
    father_home = ids.address(address_rng)
    grand_home = ids.address(address_rng)
    aunt_home = ids.address(address_rng)
    people: list[TruePerson] = []
    used_given: list[str] = []
    for member in sorted(plan.members, key=lambda m: m.slot):
        pick_draw, gender_draw, alias_draw, nick_draw = slot_draws[member.slot]
        if member.is_child:
            gender = demo.child_genders[member.slot]
            disability = demo.child_disabilities[member.slot]
            language = demo.child_languages[member.slot]
            person_origin = origin
        else:
            gender = _ADULT_GENDER[member.slot]
            disability = "none"
            language = demo.adult_language
            person_origin = demo.partner_origin if member.slot == PARTNER else origin
        female, male, _ = NAME_POOLS[person_origin]
        pool = (
            female if gender == "female" or (gender == "non_binary" and gender_draw < 0.5) else male
        )
        given = pool[int(pick_draw * len(pool)) % len(pool)]
        step = 1
        while given in used_given or _twin_clash(member, given, people):
            given = pool[(int(pick_draw * len(pool)) + step) % len(pool)]
            step += 1
        used_given.append(given)
        family_name = surname[member.surname]
        nick_options = nicknames_for(given)
        nicknames = (
            list(nick_options[: 1 + int(nick_draw * len(nick_options))]) if nick_options else []
        )
        known_as: list[str] = []
        if person_origin == "east_asian" and alias_draw < 0.3:
            known_as = [ANGLICISED_ALIASES[int(alias_draw * 1000) % len(ANGLICISED_ALIASES)]]
        people.append(
            TruePerson(
                true_person_id=f"{family_id}-{member.slot:02d}",
                family_id=family_id,
                slot=member.slot,
                family_role=member.role,
                given_name=given,
                family_name=family_name,
                nicknames=nicknames,
                known_as=known_as,
                dob=member.dob,
                gender=gender,
                name_origin=person_origin,
                ethnicity=demo.ethnicity,
                religion=demo.religion,
                disability=disability,
                language=language,
                nhs_number="",
                upn=None,
                ni_number=None,
                address=_home_for(member, household, father_home, grand_home, aunt_home),
                in_household=member.in_household,
            )
        )
    for person in people:
        # identifiers: fixed draws per slot (drawn even where unused)
        nhs = ids.nhs_number(ids_rng)
        upn = ids.upn(ids_rng, LA_CODE, person.dob.year + 5)
        ni = ids.ni_number(ids_rng)
        phone_mobile = ids.mobile(ids_rng)
        phone_land = ids.landline(ids_rng)
        has_land = chance(ids_rng, 0.3)
        has_email = chance(ids_rng, 0.7)
        email_num = int(ids_rng.random() * 100)
        domain = pick(ids_rng, ("example.com", "example.org"))
        person.nhs_number = nhs
        age = age_on(person.dob, REFERENCE_DATE)
        if person.slot < MOTHER and age >= 4:
            person.upn = upn
        if age >= 18:
            person.ni_number = ni
            person.phones = [phone_mobile] + ([phone_land] if has_land else [])
            if has_email:
                local = _ascii_local(person.given_name, person.family_name, email_num)
                person.emails = [f"{local}@{domain}"]
        elif age >= 13:
            person.phones = [phone_mobile]
        if moved and person.in_household:
            person.previous_addresses = [dict(previous)]
    return people


def _twin_clash(member: MemberPlan, given: str, people: list[TruePerson]) -> bool:
    return (
        any(
            p.slot < MOTHER and p.dob == member.dob and p.given_name[:1] == given[:1]
            for p in people
        )
        if member.is_child
        else False
    )


def _home_for(
    member: MemberPlan,
    household: dict[str, str | None],
    father_home: dict[str, str | None],
    grand_home: dict[str, str | None],
    aunt_home: dict[str, str | None],
) -> dict[str, str | None]:
    if member.in_household:
        return dict(household)
    if member.slot == FATHER:
        return dict(father_home)
    if member.slot in (GRANDMOTHER, GRANDFATHER):
        return dict(grand_home)
    return dict(aunt_home)


def _ascii_local(given: str, family: str, number: int) -> str:
    from evals.estate.names import strip_diacritics

    g = "".join(c for c in strip_diacritics(given).lower() if c.isalnum())
    f = "".join(c for c in strip_diacritics(family).lower() if c.isalnum())
    return f"{g[:1]}.{f}{number:02d}" if number % 2 else f"{g}.{f}{number % 10}"
