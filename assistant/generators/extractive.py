"""The embedded default generator: quotes the source sentences that answer the question.

No model writes anything: every output sentence is a whole sentence of a retrieved,
pseudonymised chunk, so it cannot paraphrase, invent or obey text inside a note. It picks
sentences by topic cue words and embedding similarity to the question, merges the same
fact recorded in several systems into one sentence with all its citations, and orders
history answers chronologically, each item with its date and how the record knows it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
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


@functools.lru_cache(maxsize=16384)
def _is_admin(sentence: str) -> bool:
    """Memoised: the same retrieved sentences come back question after question."""
    return bool(_ADMIN.search(sentence))


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
    #: Content words shared with the question.
    overlap: int = 0
    #: Cosine similarity to the question (0 until scored).
    similarity: float = 0.0


def _rank_score(similarity: float, overlap: int, topics: tuple[str, ...]) -> float:
    """Similarity to the question, plus words shared with it and topics matched."""
    return similarity + 0.1 * min(overlap, 3) + 0.05 * len(topics)


def _merged(group: list[_Candidate]) -> _Candidate:
    """One sentence (the earliest) citing every system that recorded the fact."""
    first = group[0]
    return replace(
        first,
        citations=[c for cand in group for c in cand.citations],
        score=max(c.score for c in group),
    )


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
        chosen = self._select(self._facts(question, sources, topics), topics)
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

    def _facts(
        self, question: str, sources: Sequence[NumberedSource], topics: tuple[str, ...]
    ) -> list[_Candidate]:
        """Candidate sentences, the same fact from several systems merged, scored.

        Similarity to the question decides which sentences a question without a topic gets,
        and which ones a topic question keeps when it has more than ``max_sentences``; a
        topic question with fewer facts shows them all in date order whatever their
        scores, so its sentences are not embedded at all.
        """
        candidates = self._candidates(question, sources, topics)
        if not topics:
            self._score(question, candidates)
            return [
                _merged(g)
                for g in self._duplicate_groups([c for c in candidates if self._similar_enough(c)])
            ]
        groups = self._duplicate_groups(candidates)
        if len(groups) > self._settings.max_sentences:
            self._score(question, candidates)  # scores only rank; groups do not change
        return [_merged(group) for group in groups]

    def _candidates(
        self, question: str, sources: Sequence[NumberedSource], topics: tuple[str, ...]
    ) -> list[_Candidate]:
        q_words = content_words(question)
        out: list[_Candidate] = []
        for source in sources:
            for position, sentence in enumerate(split_sentences(source.chunk.text)):
                if _is_admin(sentence):
                    continue
                words = content_words(sentence)
                if len(words) < 3:
                    continue
                matched = sentence_topics(sentence, topics) if topics else ()
                if topics and not matched:
                    continue
                overlap = len(q_words & words)
                out.append(
                    _Candidate(
                        n=source.n,
                        position=position,
                        text=sentence,
                        when=as_date(source.chunk.occurred_at),
                        topics=matched,
                        score=_rank_score(0.0, overlap, matched),
                        words=words,
                        people=placeholders(sentence),
                        citations=[source.n],
                        overlap=overlap,
                    )
                )
        return out

    def _score(self, question: str, candidates: list[_Candidate]) -> None:
        """Add each candidate's cosine similarity to the question (one batched encode)."""
        if not candidates:
            return
        vectors = self._embedder.encode([question, *(c.text for c in candidates)])
        for cand, sim in zip(candidates, vectors[1:] @ vectors[0], strict=True):
            cand.similarity = float(sim)
            cand.score = _rank_score(float(sim), cand.overlap, cand.topics)

    def _similar_enough(self, cand: _Candidate) -> bool:
        sim = cand.similarity
        return sim >= self._settings.min_similarity or (cand.overlap >= 2 and sim >= 0.3)

    def _duplicate_groups(self, candidates: list[_Candidate]) -> list[list[_Candidate]]:
        """The same fact from several systems: groups whose first member is kept."""
        groups: list[list[_Candidate]] = []
        for cand in sorted(candidates, key=lambda c: (c.when, c.n, c.position)):
            for group in groups:
                if self._same_fact(cand, group[0]):
                    group.append(cand)
                    break
            else:
                groups.append([cand])
        return groups

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
