"""Extractive reading of one advice record: needs, provision items, outcomes, views.

No model: each piece is a whole sentence (or numbered provision item) of the advice, kept
word for word, so quantities ("30 minutes ... twice a week") are never changed. Cue words
decide the section; the advice type is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text import split_sentences

#: Quote marks round a view: only ever round the record's own words (``quoted_view``).
OPEN_QUOTE = "\u201c"
CLOSE_QUOTE = "\u201d"
_ITEM = re.compile(r"^\((\d+)\)\s*(.+)$")
_BEFORE_ITEM = re.compile(r"\s+(?=\(\d+\)\s)")
_PROVISION_LABEL = re.compile(r"^(recommended provision|provision)\s*:\s*", re.IGNORECASE)
_NEEDS_LABEL = re.compile(r"^(needs?|presenting needs)\s*:\s*", re.IGNORECASE)
_DIAGNOSIS_LABEL = re.compile(r"^diagnos[ie]s\s*:\s*", re.IGNORECASE)
_VIEWS_PREFIX = re.compile(r"^views of .{0,120}? about .{0,120}?:\s*", re.IGNORECASE)
_OUTCOME = re.compile(
    r"\b(will be able to|by the end of|by (the )?(next )?(annual review|summer|july|term)"
    r"|outcome\s*:|target\s*:)",
    re.IGNORECASE,
)
#: Administrative or sign-off sentences that carry no need, provision or view.
_ADMIN = re.compile(
    r"^(advice for the|school\s*:|upn\b|dob\b|d\.o\.b|born\b|contact\s*:|tel\b|"
    r"i am happy to discuss|this advice is based|outcomes should be reviewed|"
    r"the views of the child and family were taken|happy to attend)",
    re.IGNORECASE,
)
_NEED_CUES = re.compile(
    r"\b(difficult(y|ies)|struggles?|delay(ed)?|below|behind|anxiety|dysregulat\w*|"
    r"fatigue[sd]?|needs? support|unclear|weak|reduced|limited|impair\w*)\b",
    re.IGNORECASE,
)
_CHILD_VIEW_SKIP = re.compile(r"^(my name is|i go to|\(recorded with)", re.IGNORECASE)
#: "(Recorded with support from [Person 1].)": who wrote it down, not the child's words.
_RECORDED_BY = re.compile(r"\s*\((recorded|written|scribed) (with|by)[^)]*\)\.?", re.IGNORECASE)

#: Provision section by cue words (first match wins); advice type is the fallback.
_PROVISION_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("H1", re.compile(r"\b(short breaks?|adaptations? at home|personal care at home)\b", re.I)),
    (
        "H2",
        re.compile(r"\b(carer's assessment|family support worker|social worker|respite)\b", re.I),
    ),
    (
        "G",
        re.compile(
            r"\b(paediatric\w*|nurse|medical|continence|sleep programme|gp|cahms|camhs)\b", re.I
        ),
    ),
    (
        "F",
        re.compile(
            r"\b(speech and language|salt|teaching|teacher|school|lesson|literacy|reading|"
            r"elsa|sensory|occupational therap\w*|\bot\b|fine motor|writing|learning|"
            r"small-group|1:1|key adult|check-in)\b",
            re.I,
        ),
    ),
)
_PROVISION_FALLBACK = {
    "educational_psychology": "F",
    "speech_and_language": "F",
    "occupational_therapy": "F",
    "paediatric": "G",
    "social_care": "H2",
}
_NEED_SECTION = {"paediatric": "C", "social_care": "D"}


@dataclass(frozen=True)
class Piece:
    """One extracted sentence, the section it belongs in, and what kind it is."""

    section: str
    text: str
    kind: str  # need | provision | outcome | view
    speaker: str | None = None


def verification_text(text: str) -> str:
    """The record's text with each numbered provision item on its own line, so a cited
    item is checked against that item (not the whole list sentence)."""
    return _BEFORE_ITEM.sub("\n", text)


def _finish(text: str) -> str:
    text = text.strip().rstrip(";,")
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?\"'" else f"{text}."


def provision_section(item: str, advice_type: str) -> str:
    for section, pattern in _PROVISION_CUES:
        if pattern.search(item):
            return section
    return _PROVISION_FALLBACK.get(advice_type, "F")


def read_advice(text: str, advice_type: str) -> list[Piece]:
    """Needs (B/C/D), provision (F/G/H1/H2) and outcomes (E) stated in one advice report."""
    pieces: list[Piece] = []
    need_section = _NEED_SECTION.get(advice_type, "B")
    in_provision = False
    for sentence in split_sentences(verification_text(text)):
        labelled = _PROVISION_LABEL.match(sentence)
        if labelled:
            in_provision = True
            sentence = sentence[labelled.end() :]
        item = _ITEM.match(sentence)
        if item or (labelled and sentence):
            body = item.group(2) if item else sentence
            pieces.append(Piece(provision_section(body, advice_type), _finish(body), "provision"))
            continue
        if _ADMIN.match(sentence):
            continue
        if _DIAGNOSIS_LABEL.match(sentence):
            pieces.append(Piece("C", _finish(sentence), "need"))
            continue
        if _OUTCOME.search(sentence):
            pieces.append(Piece("E", _finish(sentence), "outcome"))
            continue
        need = _NEEDS_LABEL.match(sentence)
        if need:
            pieces.append(Piece(need_section, _finish(sentence[need.end() :]), "need"))
        elif not in_provision and _NEED_CUES.search(sentence):
            pieces.append(Piece(need_section, _finish(sentence), "need"))
    return pieces


def verbatim_in(piece: str, text: str) -> str | None:
    """``piece`` exactly as ``text`` writes it (sentence splitting may have joined a run of
    spaces), or ``None`` if ``text`` does not contain it word for word."""
    words = piece.split()
    if not words:
        return None
    found = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return found.group(0) if found else None


def quoted_view(sentence: str, text: str) -> str:
    """A view for section A: in quote marks only when it is the record's own words, word
    for word (a sentence that had to be capitalised or given a full stop, or had a
    "(recorded with ...)" taken out of its middle, is shown without them)."""
    finished = _finish(sentence)
    verbatim = verbatim_in(sentence, text) if finished == sentence else None
    return f"{OPEN_QUOTE}{verbatim}{CLOSE_QUOTE}" if verbatim else finished


def read_views(text: str, advice_type: str) -> list[Piece]:
    """Section A: the child's or parents' own words, first person kept; in quote marks
    only where they are verbatim (``quoted_view``)."""
    speaker = "child" if advice_type == "child_views" else "parent"
    pieces: list[Piece] = []
    for sentence in split_sentences(text):
        sentence = _RECORDED_BY.sub("", _VIEWS_PREFIX.sub("", sentence)).strip()
        if not sentence or _ADMIN.match(sentence) or _CHILD_VIEW_SKIP.match(sentence):
            continue
        if re.search(r"\b(contact|tel|email)\b\s*:", sentence, re.IGNORECASE):
            continue
        pieces.append(Piece("A", quoted_view(sentence, text), "view", speaker))
    return pieces
