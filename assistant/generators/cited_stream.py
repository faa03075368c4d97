"""Turn a model's streamed text into cited sentences as soon as each one is complete.

An LLM writes ``The school reported X [1]. Police attended [2][3].`` in arbitrary pieces;
a sentence is only known to be complete once the text after its full stop (and any
citation markers that trail it, as in ``X. [1]``) has started. Markers are taken out of the
sentence text and returned as numbers; numbers are kept as the model wrote them (the
verifier, not the parser, decides which exist and support the sentence).

Pseudonym placeholders such as ``[Child 1]`` or ``[PHONE]`` are not citations: only
brackets holding numbers (optionally ``source 2``) are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from assistant.contracts import DraftSentence

_NUMBER = r"(?:sources?\s*)?\d{1,4}"
#: ``[1]``, ``[1, 3]``, ``[1; 3]``, ``[Source 2]``.
CITATION = re.compile(rf"\[\s*{_NUMBER}(?:\s*[,;]\s*{_NUMBER})*\s*\]", re.IGNORECASE)
_TRAILING_CITATIONS = re.compile(rf"(?:[ \t]*{CITATION.pattern})+", re.IGNORECASE)
#: An unclosed bracket at the end of the buffer that may still become a citation
#: (``[1``, ``[1, 2``, ``[Sour``); ``[Chi`` cannot, so the sentence before it is complete.
_PARTIAL_BRACKET = re.compile(r"\s*\[[\d\s,;source]{0,24}$", re.IGNORECASE)
_TERMINATOR = re.compile(r"[.!?]+[\"'”’)]*|\n")
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "e.g",
        "i.e",
        "approx",
        "no",
        "vs",
        "cf",
        "a.m",
        "p.m",
        "dept",
        "ref",
        "tel",
    }
)
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]+|\d{1,2}[.)])\s+")
_MARKDOWN = re.compile(r"\*\*|__|`")

#: What the answer prompt tells the model to say when the sources do not answer.
ABSENCE_PREFIX = "nothing is recorded"


def citation_numbers(text: str) -> tuple[int, ...]:
    """Citation numbers in order of first appearance, without repeats."""
    seen: dict[int, None] = {}
    for marker in CITATION.finditer(text):
        for number in re.findall(r"\d+", marker.group(0)):
            seen.setdefault(int(number), None)
    return tuple(seen)


def clean_sentence(text: str) -> str:
    """Sentence text without citation markers, list bullets, markdown or stray spaces."""
    text = CITATION.sub(" ", text)
    text = _MARKDOWN.sub("", text)
    text = _LIST_MARKER.sub("", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def is_absence(sentence: DraftSentence) -> bool:
    """The model's uncited "Nothing is recorded ..." reply (the service then says so itself)."""
    return not sentence.citations and sentence.text.lower().startswith(ABSENCE_PREFIX)


class CitedSentenceParser:
    """Incremental splitter: ``feed`` pieces of text, get back the sentences they complete."""

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, piece: str) -> list[DraftSentence]:
        self._buffer += piece
        return self._drain(final=False)

    def close(self) -> list[DraftSentence]:
        """End of stream: whatever is left is the last sentence."""
        sentences = self._drain(final=True)
        rest = self._buffer
        self._buffer = ""
        return sentences + _to_sentences([rest])

    def _drain(self, *, final: bool) -> list[DraftSentence]:
        out: list[DraftSentence] = []
        while True:
            end = self._sentence_end(final=final)
            if end is None:
                return out
            out.extend(_to_sentences([self._buffer[:end]]))
            self._buffer = self._buffer[end:]

    def _sentence_end(self, *, final: bool) -> int | None:
        """Index just past the first complete sentence (citations included), if known yet."""
        buf = self._buffer
        for terminator in _TERMINATOR.finditer(buf):
            start, end = terminator.span()
            if terminator.group(0).startswith(".") and _is_abbreviation(buf[:start]):
                continue
            cites = _TRAILING_CITATIONS.match(buf, end)
            after = cites.end() if cites else end
            rest = buf[after:]
            if not rest.strip() or _PARTIAL_BRACKET.fullmatch(rest):
                # Cannot tell yet whether more citations or text follow.
                return len(buf) if final and not rest.strip() else None
            if terminator.group(0) == "\n" or rest[0].isspace():
                return after
            # "3.5", "e.g.x": a full stop inside a token, not the end of a sentence.
        return None


def _is_abbreviation(before: str) -> bool:
    token = re.search(r"([\w.]+)$", before)
    if not token:
        return False
    word = token.group(1)
    if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
        return True
    # A list number ("1." at the start of a line) is not a sentence.
    line = before[before.rfind("\n") + 1 :]
    return word.isdigit() and line.strip() == word


def _to_sentences(segments: Iterable[str]) -> list[DraftSentence]:
    out = []
    for segment in segments:
        text = clean_sentence(segment)
        if not re.search(r"\w", text):
            continue  # only markers or punctuation
        out.append(DraftSentence(text=text, citations=citation_numbers(segment)))
    return out


def parse_cited_text(pieces: Iterable[str]) -> Iterator[DraftSentence]:
    """Sentences from an iterable of text pieces, yielded as each completes."""
    parser = CitedSentenceParser()
    for piece in pieces:
        yield from parser.feed(piece)
    yield from parser.close()
