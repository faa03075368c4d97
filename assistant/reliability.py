"""How a record knows what it says: observed, self-reported, a third-party allegation.

Practitioners weigh "officers observed" differently from "an anonymous caller alleges";
each chronology item carries this so the answer never flattens the two.
"""

from __future__ import annotations

import re

from assistant.contracts import Reliability

_ALLEGATION = re.compile(
    r"\ballege|\ballegation|anonymous caller|\bcaller\b|neighbour (?:reported|says|alleges)|"
    r"according to|it is claimed|\bclaims?\b|reported by a|\bthe pharmacy reports|"
    r"\bvictim\b.*\breports\b|rumou?r",
    re.IGNORECASE,
)
_SELF = re.compile(
    r"\bself-report|\badmitted\b|\bdisclosed\b|\btold (?:the|me|her|his|us|staff|worker)|"
    r"\bsaid (?:she|he|they|that|\[)|\bsays (?:she|he|they)|\bdescribed\b|"
    r"\breports? (?:she|he|they) |\bhis account\b|\bher account\b|\bviews of\b|^we |\bI ",
    re.IGNORECASE,
)
_OBSERVED = re.compile(
    r"\bobserved\b|\bwas seen\b|\bwere seen\b|\bpresented\b|\bsmelt\b|\bsmell of\b|"
    r"\bappeared\b|\bvisible\b|\bofficers (?:attended|found|observed)|\bfound in\b|"
    r"\bwere found\b|\bnoted\b|\bseen -|\bwitnessed\b|\bon the visit\b|\bduring the visit\b",
    re.IGNORECASE,
)
_DENIAL = re.compile(r"\bdenies\b|\bdenied\b|\bdisputes?\b|\bnot verified\b", re.IGNORECASE)


def classify(sentence: str) -> Reliability:
    """The strongest cue wins in order allegation, self-report, observation."""
    if _ALLEGATION.search(sentence):
        return "third_party_allegation"
    if _SELF.search(sentence):
        return "self_reported"
    if _OBSERVED.search(sentence):
        return "observed"
    return "unknown"


def is_disputed(sentence: str) -> bool:
    """The sentence records a denial or dispute of what is alleged."""
    return bool(_DENIAL.search(sentence))


LABELS: dict[str, str] = {
    "observed": "observed by the author",
    "self_reported": "self-reported",
    "third_party_allegation": "third-party allegation",
    "unknown": "source of knowledge not stated",
}
