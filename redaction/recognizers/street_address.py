"""UK street addresses: "Flat 3, 27 Mill Lane", "14 Rosewood Close", "lives on Chapel Lane".

spaCy's small English model tags street names as people or misses them. An address is a
house number (optionally after a flat or unit, or a named building) and one to three
capitalised words ending in a street type. A street named without a number counts too,
at a lower score, when introduced by a word such as "on", "at" or "lives"; street types
that also end names of courts, parks and the like (Court, Park, Green) do not count
there ("at Family Court"). The span covers flat, number and street; postcodes are
their own entity; a town after the street is included when a postcode or the end of the
sentence follows it ("29 Saxon Court, Oldcastle, HX2 3NE"). A year or a quantity before
the words is no house number ("a 2016 Drink Drive ban", "2 Yr Funded Place").
"""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, PatternRecognizer

from redaction.recognizers._common import (
    CASE_SENSITIVE_FLAGS,
    NAME_WORD,
    NOT_NAME_START,
    words,
)

STREET_TYPES: tuple[str, ...] = words(
    """
    Road Rd Street St Lane Ln Avenue Ave Close Drive Way Crescent Cres Court Ct Gardens Gdns
    Grove Place Pl Terrace Walk View Rise Hill Mews Row Square Sq Parade Green Park Vale Fold
    Croft Gate Wharf Yard Meadow Meadows Chase Mount Heights Bank Side Approach Boulevard
    Garth Lea Dale Cottages Villas Broadway Circus Embankment Hollow Passage Quay Wynd
    """
)
#: Street types that also end names of courts, parks and the like: need a house number.
AMBIGUOUS_TYPES: frozenset[str] = frozenset(
    words(
        """
    Court Ct Park Green Hill View Bank Side Gate Mount St Place Pl Yard Square Sq Heights
    Circus Row Way
    """
    )
)
#: Words after a number that make it a quantity or an age, not a house number ("2 yr
#: funded place", "3 wk ban").
QUANTITY_WORDS: frozenset[str] = frozenset(
    words(
        """
    yr yrs year years yo month months mth mths wk wks week weeks day days hr hrs hour hours
    min mins minute minutes times x kg ml mg miles mile
    """
    )
)
#: A year before words ("a 2014 drink drive ban"): no UK house is numbered so.
_YEAR = regex.compile(r"(?:19|20)\d{2}\s")
#: Abbreviated types that may carry a full stop ("Mill Rd.").
_ABBREVIATED = "Rd|St|Ave|Cres|Ct|Gdns|Pl|Sq|Ln"

_TYPES = "|".join(sorted(STREET_TYPES, key=len, reverse=True))
_SAFE_TYPES = "|".join(
    sorted((t for t in STREET_TYPES if t not in AMBIGUOUS_TYPES), key=len, reverse=True)
)
_UNIT = r"(?:(?:Flat|Apartment|Apt\.?|Unit|Room|Maisonette|Plot|Pitch)\s+\d{1,4}[A-Za-z]?,?\s+)"
_BUILDING_WORD = r"(?:House|Court|Lodge|Mansions|Tower|Point|Heights)"
_BUILDING = r"(?:" + NAME_WORD + r"\s+" + _BUILDING_WORD + r",?\s+)"
_NUMBER = r"\d{1,4}[A-Za-z]?(?:-\d{1,4})?,?\s+"
_STREET = r"(?:" + NOT_NAME_START + NAME_WORD + r"\s+){1,3}"
_END = r"\b(?:(?<=" + _ABBREVIATED + r")\.)?"
#: ", Town" is part of the address when a postcode or the end of a sentence follows it.
_TOWN = (
    r"(?:,\s*(?:[A-Z][a-z]+(?:[ \-][A-Z][a-z]+)?)"
    r"(?=,?\s+[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\s*[.;)\n]|\s*$))?"
)


class UkStreetAddressRecognizer(PatternRecognizer):
    """Recognise street addresses with or without flat/house numbers (``UK_STREET_ADDRESS``)."""

    NUMBERED = (
        r"(?<![\w/])" + _UNIT + "?" + _BUILDING + "?" + _NUMBER + _STREET
        + "(?:" + _TYPES + ")" + _END + _TOWN
    )  # fmt: skip
    UNIT_ONLY = (
        r"(?<![\w/])" + _UNIT + r"(?:" + NAME_WORD + r"\s+){1,3}" + _BUILDING_WORD + r"\b"
        r"(?:,?\s+" + _STREET + "(?:" + _TYPES + ")" + _END + ")?" + _TOWN
    )  # fmt: skip
    #: "Plot 7, Ashby Lane": a flat, plot or pitch number and a street, no house number.
    UNIT_STREET = (
        r"(?<![\w/])" + _UNIT + _STREET + "(?:" + _TYPES + ")" + _END + _TOWN
    )  # fmt: skip
    #: "8 Beech House, Quarry Lane": a number in a named building on a street.
    NUMBER_BUILDING = (
        r"(?<![\w/,])(?<!(?i:flat|apartment|apt|unit|room|maisonette|plot|pitch)\s)"
        r"\d{1,4}[A-Za-z]?\s+(?:" + NAME_WORD + r"\s+){1,2}" + _BUILDING_WORD
        + r",?\s+" + _STREET + "(?:" + _TYPES + ")" + _END + _TOWN
    )  # fmt: skip
    UNNUMBERED = (
        r"(?<=\b(?i:on|in|at|of|to|from|lives|living|address|moved|off)\s)"
        + _STREET + "(?:" + _SAFE_TYPES + r")\b"
    )  # fmt: skip
    # Matched as substrings of the words as written (no lemmas): "live" covers "lived",
    # not "living".
    CONTEXT: tuple[str, ...] = (
        "address",
        "lives",
        "living",
        "live",
        "moved",
        "moving",
        "resides",
        "residing",
        "home",
        "flat",
        "house",
        "property",
        "tenancy",
        "visit",
    )

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="UK_STREET_ADDRESS",
            name="UkStreetAddressRecognizer",
            patterns=[
                Pattern("street address with number", self.NUMBERED, 0.75),
                Pattern("flat in a named building", self.UNIT_ONLY, 0.7),
                Pattern("flat or plot on a street", self.UNIT_STREET, 0.7),
                Pattern("number in a named building on a street", self.NUMBER_BUILDING, 0.75),
                Pattern("street name after a preposition", self.UNNUMBERED, 0.45),
            ],
            context=list(self.CONTEXT),
            supported_language=supported_language,
            global_regex_flags=CASE_SENSITIVE_FLAGS,
        )

    def invalidate_result(self, pattern_text: str) -> bool:
        """A year or a quantity, not a house number ("2016 Drink Drive", "2 Yr Funded
        Place")."""
        if _YEAR.match(pattern_text):
            return True
        first = regex.match(r"\d{1,4}[A-Za-z]?,?\s+([\w'’]+)", pattern_text)
        return first is not None and first.group(1).lower() in QUANTITY_WORDS
