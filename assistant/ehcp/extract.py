"""Extractive reading of one advice record: needs, provision items, outcomes, views.

No model is needed here: each piece is a whole sentence (or list item) of the advice,
kept word for word, so quantities ("30 minutes ... twice a week") are never changed.
``read_advice`` is ``assistant.ehcp.reading.AdviceReader`` without a model (the drafter
passes one that reads by meaning); ``read_views`` keeps section A short: a few of the
child's and parents' own sentences from each part of what they said.
"""

from __future__ import annotations

import re

from assistant.ehcp.reading import AdviceReader, Piece, layout
from assistant.text import split_sentences

__all__ = ["Piece", "quoted_view", "read_advice", "read_views", "verbatim_in", "verification_text"]

#: Quote marks round a view: only ever round the record's own words (``quoted_view``).
OPEN_QUOTE = "\u201c"
CLOSE_QUOTE = "\u201d"
_BEFORE_ITEM = re.compile(r"\s+(?=\(\d+\)\s)")
#: "... end of a sentence. Label: more" -> the label starts its own line.
_BEFORE_LABEL = re.compile(r"(?<=[.!?])[ \t]+(?=[A-Z][A-Za-z' ]{0,30}:\s)")
_VIEWS_PREFIX = re.compile(r"^views of .{0,120}? about .{0,120}?:\s*", re.IGNORECASE)
_ADMIN = re.compile(
    r"^(advice for the|school\s*:|upn\b|dob\b|d\.o\.b|born\b|contact\s*:|tel\b|"
    r"i am happy to discuss|this advice is based|outcomes should be reviewed|"
    r"the views of the child and family were taken)",
    re.IGNORECASE,
)
_CHILD_VIEW_SKIP = re.compile(r"^(my name is|i go to|i am \d+|\(recorded with)", re.IGNORECASE)
#: "(Recorded with support from [Person 1].)": who wrote it down, not the child's words.
_RECORDED_BY = re.compile(r"\s*\((recorded|written|scribed) (with|by)[^)]*\)\.?", re.IGNORECASE)
#: A line about how the views were gathered (who, when, where), not the views themselves.
_GATHERING = re.compile(
    r"\b(completed|done with|scribed|recorded (with|by)|given by (phone|telephone)|"
    r"written (exactly|down|with|by)|questions were|symbol cards|added here)\b",
    re.IGNORECASE,
)
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
#: Section A: at most this many sentences from one part (heading or label) of a view,
#: from a view written as one paragraph, and in all.
PER_PART = 2
PER_PARAGRAPH = 6
SECTION_A_MAX = 18

_PLAIN_READER = AdviceReader()


def verification_text(text: str) -> str:
    """The record's text with each numbered provision item, and each inline label after a
    sentence ("... . Needs: ..."), on its own line, so a cited item is checked against
    that item (not the whole paragraph)."""
    return _BEFORE_LABEL.sub("\n", _BEFORE_ITEM.sub("\n", text))


def _finish(text: str) -> str:
    text = text.strip().rstrip(";,")
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?\"'" else f"{text}."


def read_advice(text: str, advice_type: str, reader: AdviceReader | None = None) -> list[Piece]:
    """Needs (B/C/D), provision (F/G/H1/H2) and outcomes (E) stated in one advice report."""
    return (reader or _PLAIN_READER).read(verification_text(text), advice_type)


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


def _title_like(sentence: str) -> bool:
    """Mostly capital words (placeholders aside): a form's title, not anyone's words."""
    words = [w for w in re.findall(r"[A-Za-z]{2,}", re.sub(r"\[[^\]]*\]", " ", sentence))]
    return bool(words) and sum(w.isupper() for w in words) / len(words) >= 0.6


def read_views(text: str, advice_type: str) -> list[Piece]:
    """Section A, kept short: the child's or parents' own words, first person kept, in
    quote marks only where verbatim (``quoted_view``). From each part of the view (a
    heading such as "What is important to me" or a label such as "Things I like:") the
    first ``PER_PART`` sentences; headings, how the views were gathered and notes by
    the person who wrote them down are left out."""
    speaker = "child" if advice_type == "child_views" else "parent"
    parts: list[list[str]] = [[]]
    for line in layout(text):
        if line.heading or line.text.endswith(":"):
            parts.append([])
            continue
        if line.label and re.search(r"\bnote\b", line.label, re.IGNORECASE):
            continue
        if line.label:
            parts.append([])
        for sentence in split_sentences(line.text):
            sentence = _RECORDED_BY.sub("", _VIEWS_PREFIX.sub("", sentence)).strip()
            if not sentence or _ADMIN.match(sentence) or _CHILD_VIEW_SKIP.match(sentence):
                continue
            if re.search(r"\b(contact|tel|email)\b\s*:", sentence, re.IGNORECASE):
                continue
            dated = _DATE.search(sentence) and not re.search(r"\b(I|my|me|we|our)\b", sentence)
            if _GATHERING.search(sentence) or dated:
                continue
            if _title_like(sentence):
                continue  # a title line ("ALL ABOUT ME - [Child 1]")
            parts[-1].append(sentence)
    parts = [p for p in parts if p]
    cap = PER_PARAGRAPH if len(parts) == 1 else PER_PART
    chosen = [s for part in parts for s in part[:cap]][:SECTION_A_MAX]
    return [Piece("A", quoted_view(s, text), "view", speaker) for s in chosen]
