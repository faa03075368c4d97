"""Wording of each kind of record: practitioner-style notes that state their planted facts.

One function per template key. Each writes the title and text through a NoteWriter so
every name, identifier and place becomes a PII span. Records without a planted fact of a
kind never mention it (absence questions depend on that).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from evals.estate.context import NoteWriter
from evals.estate.demographics import DISABILITY_WORDS, RELIGION_WORDS
from evals.estate.structure import (
    GRANDMOTHER,
    INDEX_CHILD,
    MOTHER,
    FactPlan,
)

Template = Callable[[NoteWriter], None]


def _main_adult(w: NoteWriter) -> int:
    adults = [s for s in w.rec.subjects if s >= MOTHER]
    return adults[0] if adults else (MOTHER if MOTHER in w.fam.people else GRANDMOTHER)


def _child(w: NoteWriter) -> int:
    kids = [s for s in w.rec.subjects if s < MOTHER]
    return kids[0] if kids else INDEX_CHILD


def _title(w: NoteWriter, plain: str, named: str | None = None, slot: int | None = None) -> None:
    """A title; sometimes with a person's name in it (a PII span in the title field)."""
    draw = w.rng.random()
    if named and slot is not None and draw < 0.3:
        w.title.add(named)
        w.full(slot, tb=w.title)
    else:
        w.title.add(plain)


# --- shared fact sentences --------------------------------------------------------------

PRESENTATION = {
    ("alcohol", "observed"): "smelt strongly of alcohol and was unsteady on {poss} feet",
    ("alcohol", "self_reported"): "said {subj} has been drinking a bottle of wine most nights",
    ("alcohol", "third_party_allegation"): "a neighbour alleges {subj} is drunk most afternoons",
    (
        "cannabis",
        "observed",
    ): "there was a strong smell of cannabis in the property and a grinder on the table",
    ("cannabis", "self_reported"): "said {subj} smokes cannabis every evening 'to relax'",
    (
        "cannabis",
        "third_party_allegation",
    ): "an anonymous caller alleges {subj} smokes cannabis in front of the children",
    ("cocaine", "observed"): "white powder residue and rolled notes were seen in the kitchen",
    ("cocaine", "self_reported"): "disclosed using cocaine at weekends",
    (
        "cocaine",
        "third_party_allegation",
    ): "a family member alleges {subj} uses cocaine at weekends",
    ("heroin", "observed"): "foil and used needles were found in the bathroom",
    ("heroin", "self_reported"): "disclosed {subj} relapsed into heroin use last month",
    ("heroin", "third_party_allegation"): "an ex-partner alleges {subj} is using heroin again",
    (
        "prescription",
        "observed",
    ): "large amounts of prescribed diazepam were left within reach of the children",
    (
        "prescription",
        "self_reported",
    ): "said {subj} takes more codeine than prescribed to get through the day",
    (
        "prescription",
        "third_party_allegation",
    ): "the pharmacy reports {subj} is requesting early repeat prescriptions of tramadol",
    ("ketamine", "observed"): "appeared heavily intoxicated on ketamine, with slurred speech",
    ("ketamine", "self_reported"): "admitted taking ketamine with friends",
    (
        "ketamine",
        "third_party_allegation",
    ): "a school friend's parent alleges {subj} has been taking ketamine",
}


def substance_sentence(w: NoteWriter, fact: FactPlan) -> None:
    """States who, which substance, how it presented and how we know."""
    who = fact.subjects[0]
    substance = str(fact.details["substance"])
    evidence = str(fact.details["evidence"])
    text = PRESENTATION[(substance, evidence)].format(subj=w.subj(who), poss=w.poss(who))
    label = {"prescription": "prescription medication"}.get(substance, substance)
    if evidence == "observed":
        w.mention(who)
        w.text.add(f" {w.choose(('was seen', 'was observed', 'presented'))} - {text}. ")
        w.text.add(f"Concern re {label} use noted. ")
    elif evidence == "self_reported":
        w.mention(who)
        w.text.add(f" {text}" + ("" if substance in text else f" ({label})") + ". Self-reported. ")
    else:
        w.text.add(f"Third party allegation ({label}): {text} - ")
        w.mention(who)
        w.text.add(_allegation_outcome(w, substance))


#: How a third party's allegation ended, in the words practitioners use (a denial, a finding,
#: a decision), so the answer's outcome rules are tried on more than one phrasing.
ALLEGATION_OUTCOMES = (
    " denies this. Not verified. ",
    " denies this; the allegation was not substantiated and no further action was taken. ",
    " disputes the account. Checks found nothing to support it - NFA. ",
    " says this is untrue. Outcome: not substantiated, case closed. ",
    " denied it when asked. At the home visit there was no evidence to support the allegation. ",
    " says it never happened. Seen at home with no signs of use; stepped down to Early Help. ",
    " says it is not true. Threshold for a statutory assessment not met - closed to CSC. ",
    " rejects the allegation. Seen at an unannounced visit and confirmed safe; no further "
    "concerns. ",
)


def _allegation_outcome(w: NoteWriter, substance: str) -> str:
    """One of the outcome wordings, drawn apart from the note's own random stream (the rest
    of the estate stays as it was) and from nothing a counterfactual family changes."""
    key = f"{w.rec.system}|{w.rec.record_type}|{w.rec.occurred.isoformat()}|{substance}"
    return random.Random(key).choice(ALLEGATION_OUTCOMES)


def protective_sentence(w: NoteWriter, fact: FactPlan) -> None:
    who = fact.subjects[0]
    factor = str(fact.details["factor"])
    child = INDEX_CHILD
    if factor == "grandmother_stable_care":
        w.text.add("Protective factor: ")
        w.mention(who)
        w.text.add(" provides stable care for ")
        w.mention(child)
        when = w.choose(("at weekends", "after school every day", "most weekends and holidays"))
        w.text.add(f" {when} and is a consistent, safe adult. ")
    elif factor == "carer_engages":
        w.mention(who)
        w.text.add(
            " engages well with services, keeps appointments and is open with professionals. "
            "This is a strength. "
        )
    elif factor == "father_regular_contact":
        w.mention(who)
        w.text.add(" has regular, positive contact with ")
        w.mention(child)
        w.text.add(" every other weekend; contact is reported to go well. Protective factor. ")
    else:
        w.mention(who)
        w.text.add(
            " (maternal aunt) offers practical support and childcare when needed; "
            "a protective factor for the children. "
        )


_STRENGTH = {
    "football": "plays football for a local club every Saturday and is proud of it",
    "art": "loves art and has had work displayed in the school hall",
    "reading": "reads well above age expectations and enjoys the library",
    "swimming": "swims twice a week and recently gained a certificate",
    "music": "is learning the keyboard and performed in the school concert",
    "attendance": "has 100% attendance this term",
    "friendships": "has a close group of friends and is well liked",
    "cooking": "enjoys cooking with family and talks about it often",
}


def strength_sentence(w: NoteWriter, fact: FactPlan) -> None:
    who = fact.subjects[0]
    w.text.add("Strength: ")
    w.mention(who)
    w.text.add(f" {_STRENGTH[str(fact.details['strength'])]}. ")


def _generic_facts(w: NoteWriter) -> None:
    for fact in w.facts_of("protective_factor"):
        protective_sentence(w, fact)
    for fact in w.facts_of("strength"):
        strength_sentence(w, fact)


# --- social care and early help ---------------------------------------------------------


def referral(w: NoteWriter) -> None:
    child, adult = _child(w), _main_adult(w)
    referrer = str(w.rec.extra.get("referrer", "school"))
    _title(w, "Referral received", "Referral - ", child)
    source = {
        "school": "the DSL at ",
        "health_visitor": "the health visitor",
        "police": "police",
        "gp": "the GP at ",
        "anonymous": "an anonymous caller",
        "self": "the family (self-referral)",
    }
    w.text.add(f"Referral received from {source[referrer]}")
    if referrer == "school":
        w.school()
    elif referrer == "gp":
        w.gp()
    w.text.add(" regarding ")
    w.full(child)
    w.text.add(", ")
    w.dob(child)
    w.text.add(". Lives with ")
    w.mention(adult, allow_role_only=False)
    w.text.add(" at ")
    w.address(adult, w.rec.occurred)
    w.text.add(". Concerns: ")
    w.text.add(
        w.choose(
            (
                "poor home conditions and missed health appointments",
                "child arriving at school hungry and in unwashed uniform",
                "parental mental health and isolation",
                "child's behaviour at home and school escalating",
                "worries about supervision of the younger children",
            )
        )
    )
    w.text.add(". Contact number for ")
    w.mention(adult, allow_role_only=False)
    w.text.add(": ")
    if not w.phone(adult):
        w.text.add("not known")
    w.text.add(". ")
    w.case_ref()
    w.text.add(
        w.choose(
            (
                ". Passed to duty SW for screening.",
                ". For assessment. Consent discussed.",
                ". Threshold met for assessment.",
            )
        )
    )


def assessment(w: NoteWriter) -> None:
    _title(w, w.choose(("Child and family assessment", "Assessment summary", "Family assessment")))
    w.text.add("Household: ")
    slots = sorted(s for s in w.rec.subjects)
    for i, slot in enumerate(slots):
        if i:
            w.text.add("; ")
        w.full(slot)
        w.text.add(f" ({w.person(slot).family_role.replace('_', ' ')}, ")
        w.dob(slot)
        w.text.add(")")
    w.text.add(". Address: ")
    w.address(slots[0], w.rec.occurred)
    w.text.add(". School: ")
    w.school()
    w.text.add(". GP: ")
    w.gp()
    w.text.add(". ")
    child = INDEX_CHILD
    p = w.person(child)
    if p.nhs_number and w.rng.random() < 0.6:
        w.text.add("NHS no. ")
        w.nhs(child)
        w.text.add(". ")
    adult = _main_adult(w)
    if w.rng.random() < 0.4 and w.person(adult).ni_number:
        w.text.add(f"{w.role_word(adult)} NI no. ")
        w.ni(adult)
        w.text.add(". ")
    if w.person(adult).language != "English":
        w.text.add(
            f"First language of the parents is {w.person(adult).language}; "
            "an interpreter was used for the assessment. ",
            typo=False,
        )
    faith = RELIGION_WORDS.get(w.person(adult).religion)
    if faith:
        w.text.add(faith + " ", typo=False)
    if p.disability != "none":
        w.full(child)
        w.text.add(f" has {DISABILITY_WORDS[p.disability]}. ", typo=False)
    w.text.add(
        w.choose(
            (
                "Home conditions were adequate on the day. ",
                "The home was cluttered but there was food in the cupboards. ",
                "Children presented as well cared for during the visit. ",
            )
        )
    )
    _generic_facts(w)
    outcomes = (
        (
            "Plan: CIN plan to be agreed. ",
            "Outcome: step down to early help. ",
            "Outcome: continue under CIN. ",
            "NFA at this stage; signpost to EH. ",
        )
        if w.rec.system == "LCS"
        else (
            "Plan: early help plan agreed with the family. ",
            "Outcome: TAF to be set up with school. ",
            "Outcome: continue early help support. ",
            "Outcome: close to EH, signpost to family hub. ",
        )
    )
    w.text.add(w.choose(outcomes))


def step_down(w: NoteWriter) -> None:
    child, adult = _child(w), _main_adult(w)
    _title(w, "Step down to early help")
    w.text.add("Step down from CSC received for ")
    w.full(child)
    w.text.add(". ")
    w.case_ref("LCS")
    w.text.add(". Allocated to ")
    w.pro("EHM", "fsw", w.rec.author_choice)
    w.text.add(". First visit to ")
    w.mention(adult, allow_role_only=False)
    w.text.add(" booked for ")
    w.date(w.rec.occurred + timedelta(days=7))
    w.text.add(". Email on file: ")
    if not w.email(adult):
        w.text.add("none")
    w.text.add(".")


def home_visit(w: NoteWriter) -> None:
    child, adult = _child(w), _main_adult(w)
    _title(
        w,
        w.choose(
            (
                "Home visit",
                "Home visit (announced)",
                "Unannounced home visit",
                "Visit to family home",
            )
        ),
        "Home visit - ",
        child,
    )
    w.text.add(
        w.choose(
            (
                "HV completed today. ",
                "Visited the family home. ",
                "Announced visit. ",
                "Home visit ",
            )
        )
    )
    w.date(w.rec.occurred)
    w.text.add(". Seen ")
    w.mention(child)
    w.text.add(" and ")
    w.mention(adult)
    w.text.add(". ")
    w.mention(child)
    w.text.add(
        w.choose(
            (
                f" was chatty and showed me {w.poss(child)} bedroom. ",
                " was quiet at first but warmed up. ",
                " was playing on the tablet and said school was 'OK'. ",
                " was at the table doing homework. ",
            )
        )
    )
    w.text.add(
        w.choose(
            (
                "Discussed routines and the school run. ",
                "Talked through the plan and what has changed since last visit. ",
                "Discussed bedtime routine and screen time. ",
                "Reviewed progress against the CIN plan. ",
            )
        )
    )
    _generic_facts(w)
    w.text.add(
        w.choose(
            (
                "Next visit in 4 weeks.",
                "Will review at next core group.",
                "No new concerns today.",
                "Actions agreed with family.",
            )
        )
    )


def substance_discussed(w: NoteWriter) -> None:
    fact = w.facts_of("substance_misuse")[0]
    who = fact.subjects[0]
    _title(w, w.choose(("Case note", "Visit - concerns discussed", "Discussion with parent")))
    w.text.add(w.choose(("Visit on ", "Saw family ", "Phone call and visit ")))
    w.date(w.rec.occurred)
    w.text.add(". ")
    substance_sentence(w, fact)
    w.text.add("Discussed impact on the children and referral to the drug and alcohol service. ")
    w.mention(who)
    w.text.add(
        w.choose(
            (
                " agreed to a referral.",
                " declined a referral at this time.",
                " said they would think about it.",
            )
        )
    )


def exclusion_discussed(w: NoteWriter) -> None:
    fact = w.facts_of("exclusion")[0]
    child = fact.subjects[0]
    _title(w, "Case note - school exclusion")
    w.text.add("Spoke with ")
    w.mention(_main_adult(w), allow_role_only=False)
    w.text.add(" about ")
    w.mention(child)
    w.text.add("'s exclusion from ")
    w.school()
    _exclusion_words(w, fact)
    w.text.add("Family feel the school does not understand ")
    w.mention(child)
    w.text.add(". Will attend the reintegration meeting.")


def _exclusion_words(w: NoteWriter, fact: FactPlan) -> None:
    if fact.details["exclusion_type"] == "permanent":
        w.text.add(f" - permanent exclusion for {fact.details['reason']}. ")
    else:
        days = int(str(fact.details["days"]))
        w.text.add(
            f" - {days} day fixed-term exclusion (suspension) for {fact.details['reason']}. "
        )


def return_interview(w: NoteWriter) -> None:
    fact = w.facts_of("missing_episode")[0]
    child = fact.subjects[0]
    _title(w, "Return home interview", "RHI - ", child)
    w.text.add("Return home interview with ")
    w.mention(child)
    w.text.add(" following missing episode on ")
    w.date(fact.occurred)
    w.text.add(
        f". Missing for approx {fact.details['hours']} hours; found at {fact.details['found_at']}. "
    )
    w.mention(child)
    w.text.add(
        w.choose(
            (
                " said they needed space after an argument at home. ",
                " would not say where they had been or who with. ",
                " said they were with friends and lost track of time. ",
            )
        )
    )
    w.text.add("Safety plan agreed. Contact number for young person: ")
    if not w.phone(child):
        w.text.add("none")
    w.text.add(".")


def move_noted(w: NoteWriter) -> None:
    fact = w.facts_of("house_move")[0]
    adult = _main_adult(w)
    _title(w, "Change of address")
    w.text.add("Family have moved. New address: ")
    w.address(adult)
    w.text.add(". Previously at ")
    p = w.person(adult)
    prev = p.previous_addresses[0] if p.previous_addresses else p.address
    w.text.pii(str(prev["line1"]), "ADDRESS", p.true_person_id)
    w.text.add(f". Reason for move: {fact.details['reason']}. ")
    w.mention(_child(w))
    w.text.add(" remains at ")
    w.school()
    w.text.add(".")


def strategy(w: NoteWriter) -> None:
    fact = w.facts_of("domestic_abuse")[0]
    perp, victim = fact.subjects[0], fact.subjects[1]
    _title(w, "Strategy discussion", "Strategy discussion re ", INDEX_CHILD)
    w.text.add("Strategy discussion held ")
    w.date(w.rec.occurred)
    w.text.add(". Present: ")
    w.pro("LCS", "tm", 0)
    w.text.add(" (chair), ")
    w.pro("POLICE", "mash", 0)
    w.text.add(", ")
    w.pro("SCHOOL", "dsl", 0)
    w.text.add(". Following DA incident on ")
    w.date(fact.occurred)
    w.text.add(": ")
    w.mention(perp)
    w.text.add(" assaulted ")
    w.mention(victim)
    w.text.add(" at the family home")
    if fact.details["children_present"]:
        w.text.add(" while the children were present")
    w.text.add(". ")
    w.text.add(f"DASH risk level {fact.details['risk_level']}. ")
    w.text.add(
        "Outcome: S47 enquiry; ICPC to consider a CP plan. "
        if fact.details["risk_level"] == "high"
        else "Outcome: single agency CIN assessment, no S47. "
    )
    w.case_ref()
    w.text.add(".")


def adoption(w: NoteWriter) -> None:
    fact = w.facts_of("adoption")[0]
    mother = fact.subjects[0]
    p = w.person(mother)
    _title(w, "Adoption record (sealed)")
    w.text.add("Sealed record. ")
    w.full(mother)
    w.text.add(", ")
    w.dob(mother)
    child_word = "boy" if w.rec.extra.get("adopted_gender") == "male" else "girl"
    w.text.add(
        f", is the birth mother of a {child_word} "
        f"placed for adoption in {fact.details['adopted_year']} (adoption order granted). "
        "Child's birth name: "
    )
    first = w.choose(("Jamie", "Riley", "Casey", "Alex", "Morgan", "Robin"))
    w.text.pii(f"{first} {p.family_name}", "PERSON", None)
    w.text.add(". Access to this record is restricted by law.")


def legal_advice(w: NoteWriter) -> None:
    child = INDEX_CHILD
    _title(w, "Legal advice - privileged", "Legal planning meeting - ", child)
    w.text.add("LEGALLY PRIVILEGED. Legal planning meeting re ")
    w.full(child)
    w.text.add(". ")
    w.case_ref()
    w.text.add(". Advice from ")
    w.pro("LCS", "legal", 0)
    advice = int(w.rng.random() * 3)
    if advice == 0:
        w.text.add(": threshold for proceedings not met at present; continue PLO pre-proceedings. ")
    elif advice == 1:
        w.text.add(": issue PLO letter before proceedings to ")
        w.mention(_main_adult(w), allow_role_only=False)
        w.text.add(". ")
    else:
        w.text.add(": gather further evidence before reconvening in 6 weeks. ")
    w.text.add("Not for disclosure.")


# --- school -------------------------------------------------------------------------------


def attendance(w: NoteWriter) -> None:
    child = _child(w)
    pct = float(str(w.rec.extra["attendance_pct"]))
    _title(w, w.choose(("Attendance summary", "Termly attendance", "Attendance review")))
    w.full(child)
    w.text.add(" (UPN ")
    if not w.upn(child):
        w.text.add("pending")
    w.text.add(f"): attendance {pct}% this term")
    w.text.add(
        ". Below 90% - persistent absence letter sent home. " if pct < 90 else ". No concerns. "
    )
    w.text.add("Unauthorised absences: " + str(int((100 - pct) / 3)) + ". ")
    w.school()
    w.text.add(" attendance team.")


def substance_observed(w: NoteWriter) -> None:
    fact = w.facts_of("substance_misuse")[0]
    child = _child(w)
    _title(w, "DSL log - concern at pick-up", "Safeguarding concern - ", child)
    w.text.add(w.choose(("At pick-up on ", "End of day ", "At the school gate ")))
    w.date(w.rec.occurred)
    w.text.add(", staff raised a concern when collecting ")
    w.mention(child)
    w.text.add(". ")
    substance_sentence(w, fact)
    w.text.add(
        w.choose(
            (
                "Child released to another adult. ",
                "Call made to CSC front door. ",
                "Logged and passed to DSL. ",
            )
        )
    )
    w.school()
    w.text.add(" DSL to follow up with ")
    w.pro("LCS", "sw", w.rec.author_choice)
    w.text.add(".")


def encompass(w: NoteWriter) -> None:
    fact = w.facts_of("domestic_abuse")[0]
    child = _child(w)
    _title(w, "Operation Encompass notification")
    w.text.add(
        "Operation Encompass call received this morning: police attended a domestic abuse "
        "incident at the home of "
    )
    w.mention(child)
    w.text.add(" on ")
    w.date(fact.occurred)
    w.text.add(". ")
    if fact.details["children_present"]:
        w.text.add("Children were present. ")
    w.mention(child)
    w.text.add(
        w.choose(
            (
                " was quiet in class and tired. ",
                " presented as normal. ",
                " was tearful at break time. ",
            )
        )
    )
    w.text.add("Key adult check-ins put in place. Mum's mobile: ")
    if not w.phone(fact.subjects[1]):
        w.text.add("not held")
    w.text.add(".")


def exclusion(w: NoteWriter) -> None:
    fact = w.facts_of("exclusion")[0]
    child = fact.subjects[0]
    _title(w, "Exclusion", "Exclusion - ", child)
    w.full(child)
    w.text.add(" (UPN ")
    if not w.upn(child):
        w.text.add("not held")
    w.text.add(")")
    _exclusion_words(w, fact)
    w.text.add("Parents informed by letter and phone. ")
    if fact.details["exclusion_type"] == "permanent":
        w.text.add("Governors' review to be arranged. ")
    else:
        w.text.add("Reintegration meeting on return. ")


def strength_note(w: NoteWriter) -> None:
    child = _child(w)
    _title(w, "Pupil note")
    w.text.add("Positive note for ")
    w.full(child)
    w.text.add(". ")
    _generic_facts(w)
    w.text.add("Shared with family at parents' evening.")


# --- police ---------------------------------------------------------------------------------


def da_incident(w: NoteWriter) -> None:
    fact = w.facts_of("domestic_abuse")[0]
    perp, victim = fact.subjects[0], fact.subjects[1]
    _title(w, "Domestic incident", "Domestic - ", victim)
    w.text.add("Call to address ")
    w.address(victim, fact.occurred)
    w.text.add(" at approx 2230hrs. Victim ")
    w.full(victim)
    w.text.add(" (")
    w.dob(victim)
    w.text.add(") reports ")
    w.full(perp)
    w.text.add(
        w.choose(
            (
                " pushed her against the wall and threw a phone at her. ",
                " grabbed her by the throat during an argument. ",
                " punched her and smashed the TV. ",
            )
        )
    )
    if fact.details["injuries"]:
        w.text.add("Visible injuries (bruising). ")
    if fact.details["children_present"]:
        w.text.add("Children present in the house at the time. ")
    if fact.details["arrested"]:
        w.text.add("Suspect arrested on scene. ")
    else:
        w.text.add("Suspect left prior to police arrival. ")
    w.text.add(f"DASH completed - {fact.details['risk_level']} risk. ")
    w.case_ref()
    w.text.add(".")


def da_notification(w: NoteWriter) -> None:
    fact = w.facts_of("domestic_abuse")[0]
    perp, victim = fact.subjects[0], fact.subjects[1]
    _title(w, "Domestic abuse notification to partners")
    w.text.add("DA notification (MASH). Incident ")
    w.date(fact.occurred)
    w.text.add(": domestic abuse between ")
    w.mention(victim, allow_role_only=False)
    w.text.add(" and ")
    w.mention(perp, allow_role_only=False)
    w.text.add(f". Risk: {fact.details['risk_level']}. Children in household: ")
    kids = [s for s in sorted(w.fam.people) if s < MOTHER]
    for i, k in enumerate(kids):
        if i:
            w.text.add(", ")
        w.full(k)
    w.text.add(". Shared with CSC and ")
    w.school()
    w.text.add(" under Operation Encompass.")


def missing_report(w: NoteWriter) -> None:
    fact = w.facts_of("missing_episode")[0]
    child = fact.subjects[0]
    _title(w, "Missing person report", "MISPER - ", child)
    w.text.add("Missing person: ")
    w.full(child)
    w.text.add(", ")
    w.dob(child)
    w.text.add(". Reported missing by ")
    w.mention(_main_adult(w))
    w.text.add(" on ")
    w.date(fact.occurred)
    w.text.add(
        f". Located after approx {fact.details['hours']} hrs at {fact.details['found_at']}. "
        "Safe and well check completed. "
    )
    w.case_ref()
    w.text.add(".")


def substance_police(w: NoteWriter) -> None:
    fact = w.facts_of("substance_misuse")[0]
    who = fact.subjects[0]
    _title(w, "Incident log")
    w.text.add("Officers attended ")
    w.address(who, w.rec.occurred)
    w.text.add(" following a call. ")
    substance_sentence(w, fact)
    w.text.add(
        w.choose(
            (
                "Words of advice given. ",
                "Drugs seized; community resolution. ",
                "Referral to CSC submitted. ",
            )
        )
    )
    w.case_ref()
    w.text.add(".")


def police_welfare(w: NoteWriter) -> None:
    adult = _main_adult(w)
    _title(w, "Concern for welfare")
    w.text.add("Concern for welfare call re ")
    w.full(adult)
    w.text.add(" at ")
    w.address(adult, w.rec.occurred)
    w.text.add(
        w.choose(
            (
                ". Noise complaint from neighbour; all well on arrival. ",
                ". Family member unable to make contact; located safe. ",
                ". Dispute with neighbour over parking; advice given. ",
            )
        )
    )
    w.case_ref()
    w.text.add(".")


# --- health ---------------------------------------------------------------------------------


def hv_visit(w: NoteWriter) -> None:
    child, adult = _child(w), _main_adult(w)
    _title(w, w.choose(("HV contact", "Health visitor contact", "Development review")))
    w.text.add("HV contact with ")
    w.mention(adult)
    w.text.add(" and ")
    w.full(child)
    w.text.add(" (NHS ")
    w.nhs(child)
    w.text.add("). ")
    w.text.add(
        w.choose(
            (
                "Growth on the 50th centile. ",
                "Weight tracking along the 25th centile. ",
                "Development age-appropriate. ",
                "Speech slightly delayed; advice given. ",
            )
        )
    )
    w.text.add(w.choose(("Immunisations up to date. ", "Imms overdue - appointment booked. ")))
    _generic_facts(w)
    w.text.add("Registered with ")
    w.gp()
    w.text.add(".")


def gp_routine(w: NoteWriter) -> None:
    who = w.rec.subjects[0]
    _title(w, "GP letter")
    w.text.add("Re: ")
    w.full(who)
    w.text.add(", ")
    w.dob(who)
    w.text.add(", NHS no ")
    w.nhs(who)
    w.text.add(". ")
    w.text.add(
        w.choose(
            (
                "Seen for a chest infection; antibiotics prescribed. ",
                "Attended for asthma review; inhaler technique checked. ",
                "Seen with eczema flare; emollients prescribed. ",
                "Annual review; no concerns. ",
            )
        )
    )
    w.gp()
    w.text.add(".")


def substance_gp(w: NoteWriter) -> None:
    fact = w.facts_of("substance_misuse")[0]
    who = fact.subjects[0]
    _title(w, "GP letter - information sharing")
    w.text.add("Dear colleague, re ")
    w.full(who)
    w.text.add(", ")
    w.dob(who)
    w.text.add(". ")
    substance_sentence(w, fact)
    w.text.add("Referred to the community drug and alcohol team. Yours sincerely, ")
    w.gp()
    w.text.add(".")


def camhs_letter(w: NoteWriter) -> None:
    fact = w.facts_of("camhs_involvement")[0]
    child = fact.subjects[0]
    _title(w, "CAMHS letter")
    w.text.add("Dear ")
    w.mention(_main_adult(w), allow_role_only=False)
    w.text.add(", ")
    w.full(child)
    w.text.add(
        f" has been accepted by CAMHS following a referral for {fact.details['concern']}. "
        "First appointment on "
    )
    w.date(w.rec.occurred + timedelta(days=14))
    w.text.add(". Please call ")
    w.text.pii(w.author.phone, "PHONE")
    w.text.add(" if you cannot attend. cc ")
    w.gp()
    w.text.add(".")


def camhs_clinical(w: NoteWriter) -> None:
    fact = w.facts_of("camhs_involvement")[0]
    child = fact.subjects[0]
    _title(w, "CAMHS clinical note (restricted)")
    w.text.add("Session with ")
    w.mention(child)
    w.text.add(f". Presenting difficulty: {fact.details['concern']}. ")
    w.mention(child)
    w.text.add(
        w.choose(
            (
                " described intrusive worries most days and difficulty sleeping. ",
                " spoke about low mood since the family moved. ",
                " disclosed scratching their arms when overwhelmed; safety plan made. ",
            )
        )
    )
    w.text.add("Formulation and plan discussed in MDT. CONFIDENTIAL clinical information.")


# --- housing and youth justice ----------------------------------------------------------------


def house_move(w: NoteWriter) -> None:
    fact = w.facts_of("house_move")[0]
    adult = _main_adult(w)
    p = w.person(adult)
    _title(w, "Tenancy change")
    w.text.add("New tenancy signed by ")
    w.full(adult)
    w.text.add(" (NI ")
    if not w.ni(adult):
        w.text.add("not provided")
    w.text.add(") for ")
    w.address(adult)
    w.text.add(". Moving from ")
    prev = p.previous_addresses[0] if p.previous_addresses else p.address
    w.text.pii(str(prev["line1"]), "ADDRESS", p.true_person_id)
    w.text.add(", ")
    w.text.pii(str(prev["postcode"]), "POSTCODE", p.true_person_id)
    w.text.add(f". Reason: {fact.details['reason']}. Household: {len(fact.subjects)} people. ")
    w.case_ref()
    w.text.add(".")


def housing_routine(w: NoteWriter) -> None:
    adult = _main_adult(w)
    _title(w, "Tenancy note")
    w.text.add("Tenancy visit to ")
    w.full(adult)
    w.text.add(" (NI ")
    if not w.ni(adult):
        w.text.add("not held")
    w.text.add(") at ")
    w.address(adult, w.rec.occurred)
    w.text.add(
        w.choose(
            (
                ". Repairs reported: boiler. ",
                ". Rent account up to date. ",
                ". Damp in bathroom; surveyor booked. ",
            )
        )
    )
    w.text.add("Contact: ")
    if not w.phone(adult):
        w.text.add("none on file")
    w.text.add(".")


def yj_assessment(w: NoteWriter) -> None:
    child = _child(w)
    _title(w, "AssetPlus assessment", "AssetPlus - ", child)
    w.full(child)
    w.text.add(", ")
    w.dob(child)
    w.text.add(f". Offence: {w.rec.extra['offence']}. Outcome: {w.rec.extra['outcome']}. ")
    w.text.add("Lives with ")
    w.mention(_main_adult(w), allow_role_only=False)
    w.text.add(". Attends ")
    w.school()
    w.text.add(". ")
    w.text.add(
        w.choose(
            (
                "Engaged well in the interview. ",
                "Minimised the offence. ",
                "Showed remorse and wrote a letter to the victim. ",
            )
        )
    )
    w.case_ref()
    w.text.add(".")


def yj_session(w: NoteWriter) -> None:
    child = _child(w)
    _title(w, "YJ session")
    w.text.add("Session with ")
    w.mention(child)
    w.text.add(f" about the {w.rec.extra['offence']} offence. ")
    w.text.add(
        w.choose(
            (
                "Victim awareness work completed. ",
                "Discussed consequential thinking. ",
                "Did not attend; rearranged. ",
            )
        )
    )


TEMPLATES: dict[str, Template] = {
    "referral": referral,
    "assessment": assessment,
    "step_down": step_down,
    "home_visit": home_visit,
    "substance_discussed": substance_discussed,
    "exclusion_discussed": exclusion_discussed,
    "return_interview": return_interview,
    "move_noted": move_noted,
    "strategy": strategy,
    "adoption": adoption,
    "legal_advice": legal_advice,
    "attendance": attendance,
    "substance_observed": substance_observed,
    "encompass": encompass,
    "exclusion": exclusion,
    "strength_note": strength_note,
    "da_incident": da_incident,
    "da_notification": da_notification,
    "missing_report": missing_report,
    "substance_police": substance_police,
    "police_welfare": police_welfare,
    "hv_visit": hv_visit,
    "gp_routine": gp_routine,
    "substance_gp": substance_gp,
    "camhs_letter": camhs_letter,
    "camhs_clinical": camhs_clinical,
    "house_move": house_move,
    "housing_routine": housing_routine,
    "yj_assessment": yj_assessment,
    "yj_session": yj_session,
}
