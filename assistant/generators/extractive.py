"""The embedded default generator: quotes the source sentences that answer the question.

No model writes anything: every output sentence is a whole sentence of a retrieved,
pseudonymised chunk, so it cannot paraphrase, invent or obey text inside a note. It picks
sentences by topic cue words and embedding similarity to the question, merges the same
fact recorded in several systems into one sentence with all its citations, and orders
history answers chronologically, each item with its date and how the record knows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from assistant.contracts import DraftSentence, NumberedSource
from assistant.embedder import TextEmbedder
from assistant.reliability import classify
from assistant.text import content_words, placeholders, split_sentences
from assistant.topics import question_topics, sentence_topics

#: Routine administrative sentences: true, but never an answer to anything.
_ADMIN = re.compile(
    r"\b(?:informed|logged on|to be discussed|updated|up to date|consent (?:for|obtained)|"
    r"leaflets|supervision|plan reviewed|next (?:visit|session)|booked|to be confirmed|"
    r"aware (?:of|they)|signposted|outcome star|conditions explained|statement provided|"
    r"notified where relevant|composition confirmed|sustainment support|read alongside|"
    r"happy to (?:attend|discuss)|taken into account|should be in place|should be specific|"
    r"body worn|intelligence report|words of advice|lived experience|recording completed|"
    r"dear colleague|yours sincerely|care pathway|named nurse|contact number|email on file|"
    r"please call|first appointment)\b",
    re.IGNORECASE,
)
_HISTORY = re.compile(
    r"\bhistory\b|\bchronolog|\bover time\b|\bsince\b|\bwhen\b|\bpast\b|\bprevious|\bever\b|"
    r"\bhow has\b|\btimeline\b|\bhas there been\b|\bhave there been\b|\bbeen\b",
    re.IGNORECASE,
)


def is_history_question(question: str) -> bool:
    return bool(_HISTORY.search(question))


def as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass
class _Candidate:
    n: int
    position: int
    text: str
    when: date
    topics: tuple[str, ...]
    score: float
    words: set[str]
    people: set[str]
    citations: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ExtractiveSettings:
    #: Most sentences in one answer (a short chronology, not a wall of text).
    max_sentences: int = 12
    #: For questions without a topic: least cosine similarity to the question.
    min_similarity: float = 0.42
    #: Topic questions: at least this many sentences per topic before filling by score.
    per_topic: int = 2
    #: Two sentences are one fact when their content words overlap this much ...
    duplicate_jaccard: float = 0.6
    #: ... and they were recorded this close together.
    duplicate_days: int = 45


class ExtractiveGenerator:
    """Generator "extractive": selection, de-duplication and ordering of source sentences."""

    name = "extractive"

    def __init__(self, embedder: TextEmbedder, settings: ExtractiveSettings | None = None) -> None:
        self._embedder = embedder
        self._settings = settings or ExtractiveSettings()

    def generate(
        self, question: str, sources: Sequence[NumberedSource], *, history: Sequence[str] = ()
    ) -> Iterator[DraftSentence]:
        topics = question_topics(question)
        if not topics and history:
            topics = question_topics(history[-1])
        candidates = self._candidates(question, sources, topics)
        chosen = self._select(self._merge_duplicates(candidates), topics)
        if topics or is_history_question(question):
            chosen.sort(key=lambda c: (c.when, c.n, c.position))
        for cand in chosen:
            yield DraftSentence(
                text=cand.text,
                citations=tuple(sorted(set(cand.citations))),
                occurred_at=cand.when,
                reliability=classify(cand.text),
            )

    # --- selection ------------------------------------------------------------------------

    def _candidates(
        self, question: str, sources: Sequence[NumberedSource], topics: tuple[str, ...]
    ) -> list[_Candidate]:
        raw: list[tuple[NumberedSource, int, str, tuple[str, ...]]] = []
        for source in sources:
            for position, sentence in enumerate(split_sentences(source.chunk.text)):
                if _ADMIN.search(sentence) or len(content_words(sentence)) < 3:
                    continue
                matched = sentence_topics(sentence, topics) if topics else ()
                if topics and not matched:
                    continue
                raw.append((source, position, sentence, matched))
        if not raw:
            return []
        vectors = self._embedder.encode([question, *(s for _, _, s, _ in raw)])
        similarity = vectors[1:] @ vectors[0]
        q_words = content_words(question)
        out: list[_Candidate] = []
        for (source, position, sentence, matched), sim in zip(raw, similarity, strict=True):
            words = content_words(sentence)
            overlap = len(q_words & words)
            if not topics and not (
                sim >= self._settings.min_similarity or (overlap >= 2 and sim >= 0.3)
            ):
                continue
            out.append(
                _Candidate(
                    n=source.n,
                    position=position,
                    text=sentence,
                    when=as_date(source.chunk.occurred_at),
                    topics=matched,
                    score=float(sim) + 0.1 * min(overlap, 3) + 0.05 * len(matched),
                    words=words,
                    people=placeholders(sentence),
                    citations=[source.n],
                )
            )
        return out

    def _merge_duplicates(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """The same fact from several systems becomes one sentence citing all of them."""
        kept: list[_Candidate] = []
        for cand in sorted(candidates, key=lambda c: (c.when, c.n, c.position)):
            for other in kept:
                if self._same_fact(cand, other):
                    other.citations.append(cand.n)
                    other.score = max(other.score, cand.score)
                    break
            else:
                kept.append(cand)
        return kept

    def _same_fact(self, a: _Candidate, b: _Candidate) -> bool:
        if abs((a.when - b.when).days) > self._settings.duplicate_days:
            return False
        if a.people and b.people and not (a.people & b.people):
            return False
        union = a.words | b.words
        jaccard = len(a.words & b.words) / len(union) if union else 1.0
        return jaccard >= self._settings.duplicate_jaccard

    def _select(self, candidates: list[_Candidate], topics: tuple[str, ...]) -> list[_Candidate]:
        ranked = sorted(candidates, key=lambda c: -c.score)
        cap = self._settings.max_sentences
        chosen: list[_Candidate] = []
        if len(topics) > 1:  # every topic asked about gets a voice before filling by score
            for topic in topics:
                for cand in [c for c in ranked if topic in c.topics][: self._settings.per_topic]:
                    if cand not in chosen and len(chosen) < cap:
                        chosen.append(cand)
        for cand in ranked:
            if len(chosen) >= cap:
                break
            if cand not in chosen:
                chosen.append(cand)
        return chosen


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarities of unit vectors (rows of ``a`` against rows of ``b``)."""
    return a @ b.T
