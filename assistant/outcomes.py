"""Claims and their outcomes: which sentences report an allegation, concern, referral or
incident, and which record how one ended.

Practitioners read "an anonymous caller alleges ..." with the next lines that say what came
of it ("officers attended and found ...", "no further action", "not substantiated",
"denies", "withdrawn"). These are the cue rules (one copy of each); the classifier
(``assistant.reliability``) adds similarity to the bank's outcome exemplars, and the
extractive generator picks, per claim, the sentences of the same record that resolve it.
"""

from __future__ import annotations

import re

# --- cues --------------------------------------------------------------------------------

_OUTCOME = re.compile(
    r"\b(?:allegation|complaint|statement|report|referral|account|concern)s? "
    r"(?:was |were |has been |have been |is |are )?withdrawn\b|"
    r"\bwithdr[ae]w (?:the|her|his|their|its|this|that) "
    r"(?:allegation|complaint|statement|report|referral|account|concern)|"
    r"\bno further action\b|\bnfa\b|\b(?:un|not |was not |were not )substantiated\b|"
    r"\bsubstantiated\b|\bunfounded\b|\bretract|\bden(?:y|ies|ied)\b|"
    r"\bdisput(?:e|es|ed)\b|\buntrue\b|\bnot true\b|\bno evidence\b|"
    r"\bno (?:safeguarding )?concerns (?:were )?"
    r"(?:found|identified|noted|raised)\b|\bsafe and well\b|\bno (?:visible |obvious )?"
    r"injur|\bnot (?:corroborated|verified|supported|upheld)\b|\bupheld\b|"
    r"\b(?:case|referral|matter|enquiry|investigation) (?:was |is )?(?:closed|stepped down)\b|"
    r"\bstepped down\b|\boutcome\s*[:\-–]|\boutcome (?:was|is|recorded)\b|\bconcluded\b|"
    r"\bthreshold (?:was |is )?not met\b|"
    r"\bnot met\b|\bno crime\b|\bno offences?\b|\battended and found\b|\bon arrival\b|"
    r"\bfound (?:no|both|all|the (?:children|child|home|house|flat|property))\b|"
    # A missing child found, a suspect not arrested or released: how the episode ended.
    r"\blocated\b|\bnot arrested\b|\bno arrest\b|"
    r"\breleased (?:under investigation|on bail|without charge)\b|^\s*decision\s*:|"
    # What the police recorded, and a victim or complainant not going on with it.
    r"\bcrimes? recorded\b|\bcounter[- ]allegation\b|"
    r"\b(?:does|did|do) not (?:wish|want) to (?:make|give|provide|pursue|support)\b|"
    r"\b(?:do|does|did) not support (?:a |the )?(?:prosecution|complaint|allegation)|"
    r"\bvictims? (?:do|does|did) not support\b|\blater (?:stated|said|admitted|retracted)\b|"
    r"\brecorded as (?:a )?consultation\b|\bno referral\b",
    re.IGNORECASE,
)
#: An outcome of an earlier matter the record recalls ("NFA at that time", "previously").
_OTHER_TIME = re.compile(
    r"\bat (?:that|the) time\b|\bpreviously\b|\bprev(?:ious)?\b|\bhistoric(?:al)?\b|"
    r"\bback in (?:19|20)\d\d\b",
    re.IGNORECASE,
)
#: A sentence addressed to its reader is an instruction or a letter, never an outcome.
_ADDRESSED = re.compile(r"\byou(?:r)?\b", re.IGNORECASE)
_CLAIM = re.compile(
    r"\balleg|\bconcern|\breferr|\bincident\b|\bdisclos|\bcomplain|\bcaller\b|"
    r"\brang\b|\brung\b|\bworried\b|\bsuspect|\brumou?r|\bclaim|\bnotification\b|\bppn\b|"
    r"\binformation (?:was )?received\b|\bintelligence\b|\b999\b|\bcall(?:ed)? (?:to|from)\b|"
    r"\breported (?:missing|that|to (?:the )?police)\b|\bmissing (?:person|episode)\b|"
    r"\breports? (?:of|that)\b|\boffen[cs]es?\b|\bassault|\bdomestics?\b",
    re.IGNORECASE,
)


#: An outcome that points back at the claim itself ("the allegation was not substantiated",
#: "Outcome: no further action") or is the response to it ("officers attended and found"),
#: so it needs no word in common with it.
_POINTS_BACK = re.compile(
    r"\b(?:the|this|that|her|his|their) (?:allegations?|referral|concerns?|reports?|complaint|"
    r"incident|matter|call|claims?|disclosure)\b|^\s*outcome\s*[:\-–]|"
    # ... or is the response to it: officers attended, a visit was made.
    r"\battended\b|\bon arrival\b|\bvisited\b|\blocated\b",
    re.IGNORECASE,
)


_OUTCOME_LINE = re.compile(r"^\s*(?:outcome|result|decision)\s*[:\-–]", re.IGNORECASE)


def outcome_line(sentence: str) -> bool:
    """A line the record itself heads as the outcome ("OUTCOME: ...")."""
    return bool(_OUTCOME_LINE.search(sentence))


#: Records of one event (a call, an incident, a missing episode, a notification): every
#: outcome they record is that event's, wherever in the record it stands.
_SINGLE_EVENT_RECORDS = frozenset(
    {
        "incident",
        "missing_person",
        "arrest",
        "domestic_abuse_notification",
        "police_notification",
        "notification",
        "ppn",
    }
)


def single_event(record_type: str | None) -> bool:
    """The record is about one event, so its outcomes are that event's."""
    return (record_type or "") in _SINGLE_EVENT_RECORDS


def points_back(sentence: str) -> bool:
    """The sentence names the claim it resolves rather than its content."""
    return bool(_POINTS_BACK.search(sentence)) or decides_record(sentence)


#: A decision about everything the record raised ("Recorded as consultation only - no
#: referral", "NFA", "threshold not met").
_RECORD_DECISION = re.compile(
    r"\bno referral\b|\bconsultation only\b|\bno further action\b|\bnfa\b|"
    r"\bthreshold (?:was |is )?(?:not )?met\b|\bcase (?:was |is )?closed\b",
    re.IGNORECASE,
)


def decides_record(sentence: str) -> bool:
    """The sentence decides the whole record, so it resolves any claim the record makes,
    wherever it stands after it."""
    return bool(_RECORD_DECISION.search(sentence)) and not _OTHER_TIME.search(sentence)


def is_disputed(sentence: str) -> bool:
    """The sentence records a denial or dispute of what is alleged."""
    return bool(_DENIAL.search(sentence))


_DENIAL = re.compile(
    r"\bdenies\b|\bdenied\b|\bdisputes?\b|\bnot verified\b|\buntrue\b|\bnot true\b",
    re.IGNORECASE,
)


def earlier_matter(sentence: str) -> bool:
    """The sentence recalls an earlier matter ("2019 at prev address", "previously")."""
    return bool(_OTHER_TIME.search(sentence))


def earlier_outcome(sentence: str) -> bool:
    """The outcome of an earlier matter ("NFA at that time"): the outcome of a claim that
    recalls that matter, never of the present one."""
    return (
        bool(_OUTCOME.search(sentence))
        and earlier_matter(sentence)
        and not _ADDRESSED.search(sentence)
    )


def outcome_cue(sentence: str) -> bool:
    """The sentence's words record how something ended (NFA, not substantiated, denied,
    withdrawn, attended and found, located ...)."""
    return bool(_OUTCOME.search(sentence))


def claim_cue(sentence: str) -> bool:
    """The sentence's words report an allegation, concern, referral or incident."""
    return bool(_CLAIM.search(sentence))


def outcome_of_another_time(sentence: str) -> bool:
    """Written to a reader ("you must ..."), or about an earlier matter ("NFA at that
    time"): never the outcome of the present claim."""
    return bool(_ADDRESSED.search(sentence)) or bool(_OTHER_TIME.search(sentence))
