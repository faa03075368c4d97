"""Tidy the edges of names found by the statistical model.

spaCy pulls the words practitioners put in front of names into the span ("Grandmother
Margaret Evans", "Mr John Smith", "SW Jane Brown") and tags bare role words and service
abbreviations ("Mum", "SW", "CAMHS") as people or organisations. Replacing those words
would destroy the meaning of a note and teaches nothing about who the person is, so they
are trimmed from the start of a name, note words ("Email", "Call") from either end, and
spans left with nothing name-like are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

import regex

from redaction.spans import DetectedSpan


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


#: Family roles, titles and professional abbreviations written before names (lower case).
LEADING_WORDS: frozenset[str] = _words(
    """
    mum mummy mam mom mother dad daddy father nan nana nanna nanny gran granny grandma
    grandmother grandad granddad grandpa grandfather grandparent grandparents aunt auntie
    aunty uncle cousin brother sister sibling siblings half-brother half-sister stepdad
    step-dad stepfather step-father stepmum step-mum stepmother step-mother partner
    boyfriend girlfriend husband wife ex ex-partner carer foster baby child son daughter
    maternal paternal great great-grandmother great-grandfather mr mrs ms miss mx dr prof
    professor sir rev reverend sw hv dsl senco pc dc ds di sgt pcso cllr nurse midwife
    worker social health visitor teacher headteacher head deputy manager practitioner
    officer ep salt ot gp paediatrician consultant m/o f/o mgm pgm mgf pgf mgps pgps yp
    cyp young person named lead key victim suspect offender perpetrator witness complainant
    informant caller defendant accused
    """
)
#: Role words and titles that are never a name by themselves (unlike "Young", "Nurse",
#: "Head", which are also surnames and so are kept when nothing else is left).
ROLE_ONLY_WORDS: frozenset[str] = _words(
    """
    mum mummy mam mom mother dad daddy father nan nana nanna nanny gran granny grandma
    grandmother grandad granddad grandpa grandfather grandparent grandparents aunt auntie
    aunty uncle stepdad step-dad stepfather step-father stepmum step-mum stepmother
    step-mother maternal paternal mr mrs ms miss mx dr m/o f/o mgm pgm mgf pgf siblings
    boyfriend girlfriend ex-partner
    """
)
#: Job-title and service words: a model span made only of these is a role, not a name
#: ("Social Worker", "Attendance Officer", "Speech and Language Therapist").
ROLE_PHRASE_WORDS: frozenset[str] = _words(
    """
    social worker workers health visitor visitors attendance officer officers headteacher
    teacher teachers supervisor therapist therapists language speech paediatrician
    paediatric community psychologist clinical educational solicitor legal services service
    practitioner senior manager team leader assistant deputy clinician coordinator advisor
    adviser police constable sergeant detective inspector midwife consultant doctor nurse
    designated safeguarding lead family support child children attends attended home school
    occupational parent parents carer carers people designated
    english urdu polish romanian somali arabic bengali cantonese mandarin punjabi yoruba twi
    igbo tigrinya portuguese lithuanian kurdish pashto farsi gujarati tamil
    """
)
#: Words that are never names and only join a span at its edges.
EDGE_WORDS: frozenset[str] = _words(
    """
    email e-mail tel telephone phone mobile mob call called calls ref dob address nfa
    visit visited re cc attended note notes said says and with via on at from to seen
    outcomes outcome lives dear household strength needs concern concerns plan session
    """
)
#: Service and role abbreviations that spaCy tags as organisations or people.
ABBREVIATIONS: frozenset[str] = _words(
    """
    sw hv dsl cp cin cla lac nfa da dv camhs nhs gp senco ehcp send mash csc yot yjs pcso
    a&e ae ni nino upn dob ep salt ot sen iro lado icpc rcpc core strategy asb ypp pep
    ehm lcs hsg eh pru taf tac ehc elsa mdt dc ds pc sgt cse cce nrm mosaic
    """
)

_TOKEN = regex.compile(r"\S+")
_HYPHEN_TAIL = regex.compile(r"-[a-z]{2,}\b")
_STRIP = ".,:;()[]'\"‘’“”"  # punctuation that may cling to a token


def _norm(token: str) -> str:
    return token.strip(_STRIP).lower()


def _name_like(tokens: list[str]) -> bool:
    """At least one capitalised token with two letters that is not a role, job-title or
    service word (model spans in lower case are almost always ordinary words)."""
    for token in tokens:
        word = _norm(token)
        letters = sum(c.isalpha() for c in word)
        if (
            letters >= 2
            and any(c.isupper() for c in token)
            and word not in ROLE_ONLY_WORDS
            and word not in ABBREVIATIONS
            and word not in ROLE_PHRASE_WORDS
            and word not in EDGE_WORDS
        ):
            return True
    return False


#: Kinship words that are also given names ("Nana Mohamud"): trimmed only in lower case.
_ALSO_GIVEN_NAMES: frozenset[str] = frozenset({"nana", "nanna", "gran"})


def _is_leading(token: str) -> bool:
    word = _norm(token)
    if not word:
        return True
    if word in _ALSO_GIVEN_NAMES:
        return token.strip(_STRIP).islower()
    return word in LEADING_WORDS or word in EDGE_WORDS


def trim_name_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the name inside ``text[start:end]``, or ``None`` if there is none."""
    tokens = [(m.start() + start, m.end() + start) for m in _TOKEN.finditer(text[start:end])]
    # Trim from the front but never the last word: "Dr Young" keeps "Young".
    while len(tokens) > 1 and _is_leading(text[tokens[0][0] : tokens[0][1]]):
        tokens.pop(0)
    while len(tokens) > 1 and (
        _norm(text[tokens[-1][0] : tokens[-1][1]]) in EDGE_WORDS
        or not _norm(text[tokens[-1][0] : tokens[-1][1]])
    ):
        tokens.pop()
    raw = [text[s:e] for s, e in tokens]
    if not tokens or not _name_like(raw) or (len(raw) == 1 and _norm(raw[0]) in EDGE_WORDS):
        return None
    new_start, new_end = tokens[0][0], tokens[-1][1]
    # Leading/trailing punctuation that is not part of a name ("(Jane", "Smith,").
    while new_start < new_end and text[new_start] in _STRIP and text[new_start] != "'":
        new_start += 1
    while new_end > new_start and text[new_end - 1] in _STRIP.replace(".", ""):
        new_end -= 1
    if new_end - new_start < 2:
        return None
    # Hyphenated given names the model cuts short ("Seo" of "Seo-yeon").
    tail = _HYPHEN_TAIL.match(text, new_end)
    if tail:
        new_end = tail.end()
    return new_start, new_end


def is_only_abbreviations(text: str) -> bool:
    """True when no word looks like part of a name: role words, job titles, service
    abbreviations ("SW", "CAMHS", "Social Worker") or lower-case words."""
    tokens = _TOKEN.findall(text)
    return bool(tokens) and not _name_like(tokens)


#: Animals families keep: a capitalised word straight after one is the pet's name.
_PET = (
    r"(?i:dogs?|cats?|pupp(?:y|ies)|kittens?|pets?|rabbits?|hamsters?|guinea\s+pigs?|gerbils?"
    r"|ponies|pony|horses?|parrots?|budgies?|snakes?|lizards?|tortoises?|ferrets?|staffies"
    r"|staff(?:ie|y)|terriers?|spaniels?|labradors?|huskies|husky|collies|collie|bulldogs?)"
)
_PET_NAME = regex.compile(
    # "their dog Bella", "a puppy called Max", "the cat, Luna, ...", "hamster (Nibbles)"
    r"\b" + _PET + r"(?:\s+(?i:called|named)\s+|\s+)(?P<name>\p{Lu}\p{Ll}+)\b"
    r"|\b" + _PET + r"\s*,\s*(?P<name>\p{Lu}\p{Ll}+)\s*,"
    r"|\b" + _PET + r"\s*\(\s*(?P<name>\p{Lu}\p{Ll}+)\s*\)"
    # "Bella the dog", "Luna, the family cat", "Nibbles (hamster)"
    r"|\b(?P<name>\p{Lu}\p{Ll}+)(?:\s+(?i:the)\s+|\s*,\s*(?i:the|their|our)\s+(?i:family|pet)\s+"
    r"|\s*\(\s*)" + _PET + r"\b(?!['’]s|\s+(?i:walker|owner|sitter|groomer|warden|handler|name))"
)


def pet_names(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a pet ("their dog Bella", "Bella the dog"): no person there.

    Only those places: a person of the same name elsewhere in the note is still a person.
    """
    return [m.span("name") for m in _PET_NAME.finditer(text)]


#: Capitalised words that are found as names but are too common elsewhere to repeat.
_NO_REPEAT: frozenset[str] = _words(
    """
    will may june april august mark grace hope faith joy rose bill art young child white
    brown green black
    """
)
REPEAT_SCORE = 0.9
_NAME_TOKEN = regex.compile(r"(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Za-z][a-z]+)*")


@lru_cache(maxsize=4096)
def _whole_word(needle: str) -> regex.Pattern[str]:
    """``needle`` as a whole word (compiled once: names repeat across notes)."""
    return regex.compile(r"(?<![\w'’-])" + regex.escape(needle) + r"(?![\w-])")


def repeat_names(text: str, spans: Sequence[DetectedSpan]) -> list[DetectedSpan]:
    """Other mentions in the same text of names already found there.

    "Seen Andreea and Mum. Andreea was quiet": the model or a cue finds the first
    "Andreea"; the second, which nothing else recognises, is the same person. Whole
    names are repeated, then each capitalised word of them, as model-tier spans (so a
    school or street that shares the word still wins) scoring ``REPEAT_SCORE``, above
    the model's own guesses: where the model called a later mention an organisation,
    the earlier mention is better evidence.
    """
    person = [s for s in spans if s.entity_type == "PERSON"]
    if not person:
        return []
    needles: dict[str, DetectedSpan] = {}
    for span in person:
        value = text[span.start : span.end]
        needles.setdefault(value, span)
        for token in _NAME_TOKEN.findall(value):
            word = token.lower()
            if len(token) >= 3 and word not in _NO_REPEAT and _name_like([token]):
                needles.setdefault(token, span)
    found: list[DetectedSpan] = []
    for needle, origin in needles.items():
        for match in _whole_word(needle).finditer(text):
            if any(s.start < match.end() and match.start() < s.end for s in person):
                continue
            found.append(
                replace(
                    origin,
                    start=match.start(),
                    end=match.end(),
                    score=max(origin.score, REPEAT_SCORE),
                    recognizer="SameTextName",
                    source="ner",
                )
            )
    return found
