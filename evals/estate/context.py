"""What a note writer knows while rendering one record: people, places, and a text builder.

Every mention of a person, professional, place or identifier goes through here so it is
recorded as a PII span; each helper makes a fixed number of draws from the record's text
stream, whatever the names are, so counterfactual families keep the same wording choices.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from evals.estate import identifiers as ids
from evals.estate.people import TruePerson
from evals.estate.rng import pick
from evals.estate.structure import (
    AUNT,
    FATHER,
    GRANDFATHER,
    GRANDMOTHER,
    MOTHER,
    PARTNER,
    FactPlan,
    FamilyPlan,
    RecordPlan,
)
from evals.estate.systems import Professional
from evals.estate.textbuilder import TextBuilder, format_date

_ROLE_WORDS: dict[int, tuple[str, ...]] = {
    MOTHER: ("mum", "mother", "M/O", "Mum"),
    FATHER: ("dad", "father", "F/O", "birth father"),
    PARTNER: ("mum's partner", "mother's partner", "Mum's partner", "partner"),
    GRANDMOTHER: ("maternal grandmother", "MGM", "nan", "grandmother"),
    GRANDFATHER: ("maternal grandfather", "MGF", "grandad", "grandfather"),
    AUNT: ("maternal aunt", "aunt", "Mum's sister", "auntie"),
}


#: Routine, PII-free sentences per system, used to pad short notes to a realistic length.
FILLER: dict[str, tuple[str, ...]] = {
    "LCS": (
        "Case recording completed on the day of contact. ",
        "Family aware of the reason for the visit and of how information is shared. ",
        "Manager oversight to be requested at next supervision. ",
        "Chronology updated. ",
        "All professionals to be updated via email after the visit. ",
        "Consent for information sharing remains in place. ",
        "The child's lived experience was considered throughout. ",
        "No further actions arising at this time beyond those above. ",
    ),
    "EHM": (
        "Family engaged well with the session today. ",
        "Outcome star reviewed together and scores updated. ",
        "Signposted to local family hub activities and the holiday food programme. ",
        "TAF meeting date to be confirmed with school. ",
        "Family aware they can call the duty line between visits. ",
        "Early help plan reviewed; actions remain on track. ",
    ),
    "SCHOOL": (
        "Logged on the safeguarding system. ",
        "Class teacher and pastoral lead informed. ",
        "To be discussed at the weekly safeguarding team meeting. ",
        "Pupil to be offered a check-in with the learning mentor. ",
        "Parents have been informed in line with school policy. ",
        "No further concerns reported by staff this week. ",
    ),
    "POLICE": (
        "Body worn video recorded. ",
        "Supervisor informed and log updated. ",
        "Intelligence report submitted. ",
        "Vulnerability assessment completed and shared via MASH. ",
        "Words of advice given regarding future calls. ",
        "Occurrence to be reviewed by the safeguarding hub. ",
    ),
    "HEALTH": (
        "Advice given and leaflets provided. ",
        "Consent obtained for information sharing. ",
        "Record updated on the electronic patient record. ",
        "Follow-up contact arranged as per the care pathway. ",
        "Safeguarding supervision to be accessed if further concerns arise. ",
        "Discussed with the named nurse for safeguarding. ",
    ),
    "HOUSING": (
        "Tenancy conditions explained. ",
        "Rent statement provided. ",
        "Repairs team notified where relevant. ",
        "Household composition confirmed at the visit. ",
        "Tenancy sustainment support offered. ",
    ),
    "YOUTH_JUSTICE": (
        "Intervention plan reviewed with the young person. ",
        "Parent/carer updated by phone after the session. ",
        "Next session booked at the youth centre. ",
        "Education, training and employment status checked. ",
        "Desistance factors discussed. ",
    ),
    "SEND": (
        "This advice should be read alongside the other advice gathered for the assessment. ",
        "Outcomes should be specific, measurable and reviewed at the annual review. ",
        "The views of the child and family were taken into account. ",
        "Provision should be in place for the start of next term. ",
        "Happy to attend the planning meeting if helpful. ",
    ),
}


@dataclass
class FamilyContext:
    """Everything about one family that rendering needs (shared by all its records)."""

    seed: int
    plan: FamilyPlan
    people: dict[int, TruePerson]
    school: str
    gp_practice: str
    pros: dict[str, tuple[Professional, ...]]
    case_refs: dict[str, str]
    move_date: date | None
    facts: dict[int, FactPlan]


class NoteWriter:
    """Writes one record's title and text with span tracking."""

    def __init__(
        self, fam: FamilyContext, rec: RecordPlan, rng: random.Random, author: Professional
    ) -> None:
        self.fam = fam
        self.rec = rec
        self.rng = rng
        self.author = author
        typo_rate = 0.02 + 0.06 * rng.random()
        self.text = TextBuilder(rng, typo_rate=typo_rate)
        self.title = TextBuilder(rng, typo_rate=0.0)

    # --- people ----------------------------------------------------------------------
    def person(self, slot: int) -> TruePerson:
        return self.fam.people[slot]

    def role_word(self, slot: int, draw: float | None = None) -> str:
        d = self.rng.random() if draw is None else draw
        if slot in _ROLE_WORDS:
            words = _ROLE_WORDS[slot]
            if slot == PARTNER and self.person(slot).family_role == "stepfather":
                words = ("stepdad", "stepfather", "Mum's husband", "stepdad")
            return words[int(d * len(words))]
        p = self.person(slot)
        return {"male": "brother", "female": "sister"}.get(p.gender, "sibling")

    def full(self, slot: int, tb: TextBuilder | None = None) -> None:
        p = self.person(slot)
        (tb or self.text).pii(p.full_name, "PERSON", p.true_person_id)

    def first(self, slot: int, tb: TextBuilder | None = None) -> None:
        p = self.person(slot)
        (tb or self.text).pii(p.given_name, "PERSON", p.true_person_id)

    def mention(self, slot: int, allow_role_only: bool = True) -> None:
        """Name someone as practitioners do: full name, first name, nickname, role + name."""
        style = int(self.rng.random() * 7)
        role_draw = self.rng.random()
        p = self.person(slot)
        adult = slot >= MOTHER
        if style == 0:
            self.full(slot)
        elif style == 1:
            self.first(slot)
        elif style == 2:
            name = (
                p.nicknames[0] if p.nicknames else (p.known_as[0] if p.known_as else p.given_name)
            )
            self.text.pii(name, "PERSON", p.true_person_id)
        elif style in (3, 4) and adult:
            self.text.add(self.role_word(slot, role_draw) + " ")
            (self.full if style == 3 else self.first)(slot)
        elif style == 5 and adult and allow_role_only:
            self.text.add(self.role_word(slot, role_draw))
        else:
            self.first(slot)

    def subj(self, slot: int) -> str:
        return {"male": "he", "female": "she"}.get(self.person(slot).gender, "they")

    def obj(self, slot: int) -> str:
        return {"male": "him", "female": "her"}.get(self.person(slot).gender, "them")

    def poss(self, slot: int) -> str:
        return {"male": "his", "female": "her"}.get(self.person(slot).gender, "their")

    def is_are(self, slot: int) -> str:
        return "are" if self.person(slot).gender == "non_binary" else "is"

    def was_were(self, slot: int) -> str:
        return "were" if self.person(slot).gender == "non_binary" else "was"

    # --- identifiers and places --------------------------------------------------------
    def dob(self, slot: int) -> None:
        style = int(self.rng.random() * 3)
        self.text.add(("DOB ", "d.o.b. ", "born ")[style])
        self.text.pii(
            format_date(self.person(slot).dob, (0, 1, 6)[style]),
            "DATE_OF_BIRTH",
            self.person(slot).true_person_id,
        )

    def address(self, slot: int, when: date | None = None) -> None:
        p = self.person(slot)
        addr = p.address
        moved = self.fam.move_date
        if p.previous_addresses and moved and when and when < moved:
            addr = p.previous_addresses[0]
        with_town = self.rng.random() < 0.5
        line = str(addr["line1"]) + (f", {addr['town']}" if with_town else "")
        self.text.pii(line, "ADDRESS", p.true_person_id)
        self.text.add(", " if self.rng.random() < 0.7 else " ")
        self.text.pii(str(addr["postcode"]), "POSTCODE", p.true_person_id)

    def phone(self, slot: int) -> bool:
        p = self.person(slot)
        draw = self.rng.random()
        style_rng = random.Random(int(draw * 1_000_000))
        if not p.phones:
            return False
        self.text.pii(ids.phone_in_text(style_rng, p.phones[0]), "PHONE", p.true_person_id)
        return True

    def email(self, slot: int) -> bool:
        p = self.person(slot)
        if not p.emails:
            return False
        self.text.pii(p.emails[0], "EMAIL", p.true_person_id)
        return True

    def nhs(self, slot: int) -> None:
        draw = self.rng.random()
        p = self.person(slot)
        self.text.pii(
            ids.nhs_in_text(random.Random(int(draw * 1000)), p.nhs_number),
            "NHS_NUMBER",
            p.true_person_id,
        )

    def upn(self, slot: int) -> bool:
        p = self.person(slot)
        if not p.upn:
            return False
        self.text.pii(p.upn, "UPN", p.true_person_id)
        return True

    def ni(self, slot: int) -> bool:
        draw = self.rng.random()
        p = self.person(slot)
        if not p.ni_number:
            return False
        self.text.pii(
            ids.ni_in_text(random.Random(int(draw * 1000)), p.ni_number),
            "NI_NUMBER",
            p.true_person_id,
        )
        return True

    def school(self, tb: TextBuilder | None = None) -> None:
        (tb or self.text).pii(self.fam.school, "SCHOOL")

    def gp(self) -> None:
        self.text.pii(self.fam.gp_practice, "GP_PRACTICE")

    def case_ref(self, system: str | None = None) -> None:
        ref = self.fam.case_refs[system or self.rec.system]
        self.text.add(pick(self.rng, ("ref ", "Ref: ", "case ref ", "ref. ")))
        self.text.pii(ref, "CASE_REFERENCE")

    def pro(self, system: str, role_key: str, choice: int = 0, with_role: bool = True) -> None:
        from evals.estate.systems import professional_for

        pro = professional_for(self.fam.pros[system], role_key, choice)
        if with_role:
            self.text.add(pro.role + " ")
        self.text.pii(pro.name, "PROFESSIONAL")

    def date(self, when: date) -> None:
        self.text.add(format_date(when, int(self.rng.random() * 7)))

    def pad(self, min_words: int = 42) -> None:
        """Add the routine sentences practitioners write until the note is long enough."""
        pool = FILLER.get(self.rec.system, FILLER["LCS"])
        order = list(range(len(pool)))
        start = int(self.rng.random() * len(pool))
        for i in order:
            if self.text.approx_words >= min_words:
                break
            sentence = pool[(start + i) % len(pool)]
            if not self.text.text.endswith((" ", "\n")):
                self.text.add(" ")
            self.text.add(sentence)

    def sign_off(self) -> None:
        style = int(self.rng.random() * 4)
        if style == 0:
            return
        self.text.add(("\n", "\n\n", " -- ", "\n")[style])
        self.text.pii(self.author.name, "PROFESSIONAL")
        self.text.add(f", {self.author.role}")
        if style == 3:
            self.text.add(". Tel ")
            self.text.pii(self.author.phone, "PHONE")
            self.text.add(" / ")
            self.text.pii(self.author.email, "EMAIL")

    # --- facts --------------------------------------------------------------------------
    def facts_of(self, kind: str) -> list[FactPlan]:
        return [self.fam.facts[n] for n in self.rec.facts if self.fam.facts[n].kind == kind]

    def choose(self, options: tuple[str, ...]) -> str:
        return pick(self.rng, options)
