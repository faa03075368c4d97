"""The topics practitioners ask about, with the words that signal them.

A question's topics decide which source sentences are candidates at all: a sentence must
mention one of the topic's cue words to answer a topic question. This is what makes an
absence answer reliable ("nothing about missing episodes is recorded") instead of the
generator offering the nearest unrelated sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    label: str
    #: Words in a question that name the topic.
    question: re.Pattern[str]
    #: Words in a source sentence that show it is about the topic.
    sentence: re.Pattern[str]


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")", re.IGNORECASE)


#: Harm to oneself in so many words ("said she'd harm herself", "wants to kill himself").
_SELF_HARM = r"(?:harm|kill)(?:s|ed|ing)? (?:her|him|them|my)sel(?:f|ves)"

TOPICS: tuple[Topic, ...] = (
    Topic(
        "substances",
        "drug and alcohol use",
        _rx(
            "drug",
            "alcohol",
            "substance",
            "drink",
            "drunk",
            "cannabis",
            "cocaine",
            "heroin",
            "ketamine",
            "intoxicat",
            "misuse",
            "using",
            "weed",
            "spice",
            "prescription",
            "medication",
            "sober",
            "addict",
        ),
        _rx(
            "drug",
            "alcohol",
            "drunk",
            "drinking",
            "cannabis",
            "cocaine",
            "heroin",
            "ketamine",
            "intoxicat",
            "substance",
            "wine",
            "vodka",
            "diazepam",
            "codeine",
            "tramadol",
            "needles",
            "white powder",
            "relapse",
            "smelt strongly",
            "prescription medication",
        ),
    ),
    Topic(
        "domestic_abuse",
        "domestic abuse",
        _rx(
            "domestic",
            "violen",
            "abuse",
            "abusive",
            "assault",
            "coercive",
            "dash",
            "mash",
            "operation encompass",
            "hit",
            "fight",
        ),
        _rx(
            "domestic",
            "dash ",
            "grabbed",
            "pushed",
            "assault",
            "throat",
            "violen",
            "operation encompass",
            r"victim \[",
            "injur",
            "bruis",
            "suspect",
            "coercive",
        ),
    ),
    Topic(
        "missing",
        "missing episodes",
        _rx(
            "missing",
            "run away",
            "ran away",
            "runaway",
            "abscond",
            "misper",
            "return home interview",
            "whereabouts",
        ),
        _rx(
            "missing", "located after", "found at", "return home interview", "misper", "whereabouts"
        ),
    ),
    Topic(
        "exclusion",
        "school exclusions",
        _rx("exclu", "suspen", "expel"),
        _rx("exclu", "suspension", "expel", "reintegration"),
    ),
    Topic(
        "camhs",
        "CAMHS involvement",
        _rx("camhs", "mental health service"),
        _rx("camhs", "mental health service", "clinical psycholog"),
    ),
    Topic(
        "moves",
        "house moves",
        _rx("move", "moved", "moving", "relocat"),
        _rx("moved", "moving from", "new address", "new tenancy", "change of address", "evict"),
    ),
    Topic(
        "mental_health",
        "mental health and CAMHS",
        _rx(
            "mental health(?! service)",
            "emotional",
            "anxi",
            "depress",
            "self-harm",
            "self harm",
            # "said she'd harm herself", "wants to kill himself", "suicidal", "an overdose"
            _SELF_HARM,
            "suicid",
            "overdos",
            "trauma",
            "wellbeing",
            "low mood",
            "psycholog",
        ),
        _rx(
            "camhs",
            "mental health",
            "anxi",
            "depress",
            "self-harm",
            "self harm",
            _SELF_HARM,
            "suicid",
            "overdos",
            "ligature",
            "trauma",
            "low mood",
            "intrusive",
            "wellbeing",
        ),
    ),
    Topic(
        "housing",
        "housing and moves",
        _rx(
            r"hous(?:e|ing)\b",
            "tenan",
            "evict",
            "homeless",
            "address",
            "accommodation",
            "landlord",
            "rent",
        ),
        _rx(
            "tenan",
            "moved",
            "moving from",
            "new address",
            "evict",
            "homeless",
            "landlord",
            "rent arrears",
            "temporary accommodation",
            "change of address",
            "have moved",
        ),
    ),
    Topic(
        "attendance",
        "school attendance",
        _rx("attend", "absen", "truan", "school", "punctual", "late"),
        _rx(r"attendance \d", "absence", "unauthorised", "truan", "punctual"),
    ),
    Topic(
        "send",
        "special educational needs",
        _rx(
            "send",
            "sen ",
            "special educational",
            "ehc",
            "needs",
            "provision",
            "diagnos",
            "autis",
            "adhd",
            "dyslexi",
            "speech",
            "language",
            "therap",
            "sensory",
            "advice",
            "disabilit",
        ),
        _rx(
            "needs:",
            "recommended provision",
            "diagnos",
            "autis",
            "adhd",
            "dyslexi",
            "speech and language",
            "sensory",
            "struggles",
            "difficult",
            "therapy",
            "has autism",
            "we worry",
            "would like",
            "i like",
            "i find",
            "happiest",
        ),
    ),
    Topic(
        "views",
        "the views of the child and family",
        _rx("view", "wish", "feel", "voice", "say about", "want"),
        _rx(
            "views of",
            "we worry",
            "would like",
            "i like",
            "i find",
            "i want",
            "happiest",
            "family feel",
            "said they",
            "wishes",
        ),
    ),
    Topic(
        "protective",
        "protective factors and strengths",
        _rx(
            "strength",
            "protective",
            "positive",
            "going well",
            "support network",
            "safe adult",
            "good",
            "well",
        ),
        _rx(
            "protective factor",
            "strength",
            "engages well",
            "positive contact",
            "consistent, safe adult",
            "offers practical support",
            "well cared for",
            "enjoys",
            "well liked",
            "performed",
            "proud",
        ),
    ),
    Topic(
        "youth_justice",
        "offending and youth justice",
        _rx(
            "offend",
            "youth justice",
            "crime",
            "criminal",
            "arrest",
            "police",
            "yot",
            "yjs",
            # carrying a weapon ("the knife at school", "a blade in her locker")
            "knife",
            "knives",
            "blade",
            "weapon",
        ),
        _rx(
            "offen",
            "arrest",
            # a weapon carried (not "a blade": self-harm letters name the ones used)
            "knife",
            "knives",
            "bladed article",
            "weapon",
            "youth justice",
            "assetplus",
            "charged",
            "caution",
            "court",
            "community resolution",
        ),
    ),
    Topic(
        "neglect",
        "home conditions and basic care",
        _rx("neglect", "home condition", "hungry", "food", "hygiene", "basic care", "clothing"),
        _rx(
            "hungry",
            "unwashed",
            "home conditions",
            "cluttered",
            "food in the cupboards",
            "neglect",
            "hygiene",
            "well cared for",
        ),
    ),
)

TOPIC_BY_NAME: dict[str, Topic] = {t.name: t for t in TOPICS}

#: Questions about risk or concerns also surface recorded protective factors and strengths.
_RISK = _rx(
    "risk",
    "concern",
    "worr",
    "safe",
    "danger",
    # harm to others, not harm to oneself ("self-harm", "harm herself": mental health)
    r"(?<!self-)(?<!self )(?!" + _SELF_HARM + r")harm",
)
#: Topics a general "what concerns are recorded?" question draws on.
CONCERN_TOPICS: tuple[str, ...] = (
    "substances",
    "domestic_abuse",
    "missing",
    "exclusion",
    "mental_health",
    "neglect",
    "youth_justice",
)


#: A school or nursery as who said or did something ("has school reported bruises?",
#: "did nursery raise anything?", "what did school tell you?"): the service, not its
#: attendance.
_AS_A_SERVICE = re.compile(
    r"\b(?:has|have|had|did|does|do)\s+(?:the\s+)?(?:school|nursery|college)\b"
    r"|\b(?:school|nursery|college)\s+(?:(?:has|have|had|ever|never|also)\s+)*"
    r"(?:report|rais|sa(?:y|id)\b|rang|ring|call|told|tell|refer|notic|flag|log|shar|"
    r"contact|mention|worr|concern)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Place:
    #: The topic's own words, which name it whatever else the question asks.
    own_words: re.Pattern[str]
    #: The place as who said or did something, which names no topic (None: never).
    as_a_service: re.Pattern[str] | None = None


#: Topics a place word names ("school", "house").
_PLACE_TOPICS: dict[str, _Place] = {
    "attendance": _Place(re.compile(r"attend|absen|truan", re.IGNORECASE), _AS_A_SERVICE),
    "housing": _Place(
        _rx("housing", "tenan", "evict", "homeless", "accommodation", "landlord", "rent", "address")
    ),
}


def question_topics(question: str) -> tuple[str, ...]:
    """Topics the question names, in lexicon order; risk questions add protective factors."""
    found = [t.name for t in TOPICS if t.question.search(question)]
    # A place alone names a topic ("school?": attendance; "the house?": housing); beside a
    # more specific topic it is only where that happened ("the knife at school", "police
    # called to the house"), unless the question also uses the topic's own words. So it
    # is nothing where the school is who reported or did something ("has school reported
    # bruises or done a body map?": not a question about attendance).
    for topic, place in _PLACE_TOPICS.items():
        if (
            topic in found
            and not place.own_words.search(question)
            and (len(found) > 1 or (place.as_a_service and place.as_a_service.search(question)))
        ):
            found.remove(topic)
    if "protective" in found and not re.search(
        r"strength|protective|positive|going well|support network|safe adult",
        question,
        re.IGNORECASE,
    ):
        found.remove("protective")  # "good"/"well" alone are not a topic
    if _RISK.search(question):
        if not [t for t in found if t != "protective"]:
            found.extend(t for t in CONCERN_TOPICS if t not in found)
        if "protective" not in found:
            found.append("protective")
    return tuple(found)


def sentence_topics(sentence: str, topics: tuple[str, ...]) -> tuple[str, ...]:
    """Which of ``topics`` the sentence shows evidence of."""
    return tuple(name for name in topics if TOPIC_BY_NAME[name].sentence.search(sentence))


def topic_labels(topics: tuple[str, ...]) -> list[str]:
    return [TOPIC_BY_NAME[name].label for name in topics]
