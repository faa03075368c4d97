"""Settings named like a house: "Thornbury Grange", "Millbrook House", "Ashdale Manor".

Special schools, pupil referral units, alternative provision, children's homes and
refuges are often named by a place or proper word and a building or estate noun (Grange,
House, Lodge, Manor, Court, Park, Fields, View, Hall ...), with no school word. Such a
name narrows down where a child is as much as a school's name does, and a refuge's name
must never be written down. The name alone does not say it is a setting ("Hampton Court"
is a palace, "Elm Park" a district), so the note must say so:

* after "at", "to", "from", "into", "attends", "joined" ..., with a word of schools and
  settings among the five words before it ("in isolation at", "excluded from",
  "attends", "placed at"): the pattern scores under the detector's threshold and
  Presidio's context words lift it over;
* or with such a word straight after it ("Hollybank Lodge, the refuge", "Ashdale Manor
  children's home"), or as a label before it ("school: ...", "Placement - ...").

The word before the building noun must be a proper word: not an ordinary English word
that no name list holds ("Skate Park", "Sports Hall", "Town Hall", "Crown Court"), and no
allow-listed term ("Family Court"). Lower-case and all-capital names are capitalised in
the case-normalised copy the detector also reads (``redaction.truecase``).
"""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, PatternRecognizer

from redaction.keep import KeepList
from redaction.lists_on_demand import ListsOnDemand
from redaction.name_lists import NameLists
from redaction.recognizers._common import CASE_SENSITIVE_FLAGS, NAME_WORD, NOT_NAME_START, words

ENTITY = "UK_SETTING"

#: The last word of a setting named like a house.
SETTING_NOUNS: frozenset[str] = frozenset(
    words("grange house lodge manor court park fields view hall farm croft meadows")
)
#: Words straight before such a name that say someone goes, or went, there ("@" too).
SETTING_CUES: frozenset[str] = frozenset(
    words("at to from into attends attend attended attending joined joins")
)
#: Labels before a colon or a dash that name the setting ("school: ...", "Sch - ...").
SETTING_LABELS: frozenset[str] = frozenset(
    words("school sch setting placement provision nursery college")
)
_NOUN = r"(?:" + "|".join(sorted(w.capitalize() for w in SETTING_NOUNS)) + r")"
_CUE = r"(?:(?i:" + "|".join(sorted(SETTING_CUES, key=len, reverse=True)) + r")|@)"
_LABEL = r"(?i:" + "|".join(sorted(SETTING_LABELS, key=len, reverse=True)) + r")\s*[:\-–]"
_NAME = r"(?:" + NOT_NAME_START + NAME_WORD + r"\s){1,3}"
#: A word after the name that says what it is.
_KIND_AFTER = (
    r"(?=,?\s+(?:\(|the\s+|a\s+|an\s+)?(?i:children['’]?s\s+home|residential|refuge|school"
    r"|academy|nursery|pru|pupil\s+referral|setting|hostel|care\s+home|special\s+school"
    r"|alternative\s+provision|secure\s+unit)\b)"
)


class NamedSettingRecognizer(ListsOnDemand, PatternRecognizer):
    """Recognise settings named like a house (entity ``UK_SETTING``, a school's placeholder)."""

    AFTER_CUE = r"(?<=(?<![\w'’])" + _CUE + r"\s{1,2})" + _NAME + _NOUN + r"\b(?![\w'’-])"
    AFTER_LABEL = r"(?<=(?<![\w'’])" + _LABEL + r"\s{0,2})" + _NAME + _NOUN + r"\b(?![\w'’-])"
    KIND_AFTER = r"(?<![\w'’-])" + _NAME + _NOUN + r"\b(?![\w'’-])" + _KIND_AFTER
    #: Substrings of the words before a match (Presidio's context words) that say the
    #: place is a school or setting.
    CONTEXT: tuple[str, ...] = words(
        """
        school pupil isolation exclu attend setting placement placed residential refuge
        hostel nursery teacher lesson detention timetable senco dsl tutor boarding enrol
        started starts transition year class attendance ehcp provision college academy pru
        registered roll staff keyworker missing abscond
        """
    )

    def __init__(
        self,
        supported_language: str = "en",
        lists: NameLists | None = None,
        keep: KeepList | None = None,
    ) -> None:
        self._lists = lists
        self._keep = keep
        super().__init__(
            supported_entity=ENTITY,
            name="NamedSettingRecognizer",
            patterns=[
                # Under the detector's threshold (0.4): only context makes it a setting.
                Pattern("setting after 'at', 'to', 'attends'", self.AFTER_CUE, 0.3),
                Pattern("setting after 'school:', 'placement -'", self.AFTER_LABEL, 0.6),
                Pattern("setting before 'children's home', 'refuge'", self.KIND_AFTER, 0.6),
            ],
            context=list(self.CONTEXT),
            supported_language=supported_language,
            global_regex_flags=CASE_SENSITIVE_FLAGS,
        )

    def invalidate_result(self, pattern_text: str) -> bool:
        name = regex.findall(r"[\w'’]+", pattern_text)
        if len(name) < 2 or self.keep.ranges(pattern_text):
            return True
        last = name[-2]
        return self.lists.is_common(last) and not self.lists.may_be_name(last)
