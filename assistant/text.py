"""Sentence splitting and word-level helpers shared by the generator and the verifier.

Case notes are terse and full of abbreviations ("approx", "d.o.b.", "M/O"), numbered
lists ("(1) ... (2) ...") and signature lines; the splitter keeps those intact so an
extracted sentence is always a faithful, whole sentence of the source.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

# A sentence ends at . ! ? followed by space and an upper-case letter, a quote or a
# placeholder bracket. Never before "(" so numbered provision lists stay one sentence.
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[\"'])")
_ABBREVIATIONS = (
    "approx.",
    "tel.",
    "no.",
    "ref.",
    "dr.",
    "mr.",
    "mrs.",
    "ms.",
    "st.",
    "e.g.",
    "i.e.",
    "d.o.b.",
    "dob.",
    "etc.",
)
_SIGNATURE = re.compile(r"^\s*(--|—)\s*")
_TOKEN = re.compile(r"\[[^\]]+\]|[A-Za-z][A-Za-z'-]*|\d+(?:\.\d+)?%?")
_PLACEHOLDER = re.compile(r"\[[^\]]+\]")
_CONTACT_LINE = re.compile(r"\bTel\b|@|\b0\d{3} \d{3} \d{4}\b", re.IGNORECASE)

_STOPWORD_TEXT = """
a about above after again against all am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers herself him himself his how i if in
into is it its itself just me more most my myself no nor not now of off on once only or
other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up
very was we were what when where which while who whom why will with would you your yours
yourself yourselves also any anything anyone been recorded record records family tell
show list give please say says said know known happened happen there's is was were has
have been this that these those what whats what's any how did does do child children
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

#: The people of a family and household as notes and questions name them (kinship,
#: children, pupils): one list for every rule that asks who a line or a clause is about.
_KIN_TEXT = """
mother mum mom mam mummy father dad daddy parent parents carer carers stepfather
stepmother step-father step-mother stepdad stepmum grandmother grandfather nan nana
nanna gran granny grandma grandad grandpa grandparent grandparents child children
son daughter brother sister sibling siblings boy girl yp family partner aunt uncle
cousin baby toddler teenager pupil student adult adults eldest youngest twins
"""
KIN_WORDS = frozenset(_KIN_TEXT.split())


def split_sentences(text: str) -> list[str]:
    """Whole sentences of ``text``; signature and contact lines are dropped.

    Memoised: the generator and the verifier split the same retrieved chunks, and a
    conversation retrieves the same chunks question after question.
    """
    return list(_split_sentences(text))


@functools.lru_cache(maxsize=4096)
def _split_sentences(text: str) -> tuple[str, ...]:
    sentences: list[str] = []
    for line in re.split(r"\n+", text):
        line = _SIGNATURE.sub("", line).strip()
        if not line:
            continue
        pieces = _BOUNDARY.split(line)
        merged: list[str] = []
        for piece in pieces:
            # "(d.o.b. 11/03/90)": an abbreviation after a bracket or quote is one too.
            if merged and merged[-1].split()[-1].lower().lstrip("(['\"‘“") in _ABBREVIATIONS:
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        for sentence in merged:
            sentence = _SIGNATURE.sub("", sentence).strip()
            if " -- " in sentence:  # trailing "-- Name, Role" signature
                sentence = sentence.split(" -- ")[0].strip()
            if sentence and not _is_signature(sentence):
                sentences.append(sentence)
    return tuple(sentences)


def _is_signature(sentence: str) -> bool:
    words = tokens(sentence)
    if _CONTACT_LINE.search(sentence) and len(words) <= 12:
        return True
    # "[PROFESSIONAL], Social Worker" style lines carry no facts.
    # (A comma inside a placeholder, "[DOB: Child 1, aged 8-10]", is not one.)
    return (
        len(words) <= 6
        and bool(_PLACEHOLDER.match(sentence))
        and "," in _PLACEHOLDER.sub("", sentence)
    )


#: A list item: "- ...", "• ...", "a) ...", "3. ...", "(ii) ...".
_LIST_ITEM = re.compile(r"^\s*(?:[-•*–]|\(?(?:[a-z]|\d{1,2}|[ivx]{1,4})[).])\s")


def list_item(line: str) -> bool:
    """The line is an item of a list (a bullet, "a)", "3.", "(ii)")."""
    return bool(_LIST_ITEM.match(line))


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; placeholders like ``[Mother]`` stay one token."""
    return [t.lower() for t in _TOKEN.findall(text)]


def content_words(text: str) -> set[str]:
    """Tokens that carry meaning: no stopwords, no one/two-letter words, light stemming."""
    return set(_content_words(text))


@functools.lru_cache(maxsize=16384)
def _content_words(text: str) -> frozenset[str]:
    out: set[str] = set()
    for token in tokens(text):
        if token.startswith("["):
            out.add(token)
            continue
        if token in STOPWORDS or len(token) < 3:
            continue
        out.add(stem(token))
    return frozenset(out)


def stem(word: str) -> str:
    """A tiny suffix stripper: enough to match drinks/drinking, moved/move, excluded/exclusion."""
    for suffix in ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


#: The worker's word for a person that the question rewriter keeps before the person's
#: placeholder ("mum [Mother]", "his little sister [Child 2]"), with an age word before it.
_NAMING = re.compile(
    r"(?:(?:little|younger|older|elder|big|baby|eldest|youngest)\s+)?"
    r"(?P<word>[A-Za-z'-]+)\s+(?=\[[^\]]+\])"
)


def naming_words(question: str) -> list[str]:
    """The words just before a placeholder: they say who, not what is asked about them."""
    return [m.group("word") for m in _NAMING.finditer(question)]


def without_naming_words(question: str) -> str:
    """The question without those words (and the age word before one)."""
    return _NAMING.sub(" ", question)


def coverage(words: set[str], against: Iterable[str] | set[str]) -> float:
    """Share of ``words`` found in ``against`` (1.0 for an empty ``words``)."""
    pool = against if isinstance(against, set) else set(against)
    if not words:
        return 1.0
    return len(words & pool) / len(words)


def normalise(text: str) -> str:
    """Lower-case, single spaces, no punctuation: for duplicate detection."""
    return " ".join(tokens(text))
