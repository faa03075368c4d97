"""Which source sentences answer a question: relevance by meaning, from several signals.

No cross-encoder or entailment model installs offline, and no single similarity cut-off
separates relevant from irrelevant sentences for a bi-encoder (``shared/STACK-NOTES.md``).
So relevance is a small calibrated combination of signals, each weak alone:

* ``similarity``: MiniLM cosine between the question and the sentence, both with
  practice abbreviations spelled out (``DA`` -> "domestic abuse"), and the same with the
  record's title in front of the sentence (a terse "NFA." line is about what its note
  is about);
* ``relative``: that similarity against the other candidates of the same subject (a
  z-score), because what counts as "close" differs question by question;
* ``lexical``: the share of the question's content words (and their expansions) that
  the sentence or its title contains, with light stemming;
* ``rank``: where hybrid search (dense + BM25, fused) ranked the sentence's chunk;
* ``topic``: whether the sentence carries a cue word of a topic the question names
  (the topic lexicons are one signal here, never a gate).

The combination is a logistic score in [0, 1]. ``RelevanceThresholds`` say what is an
answer and what is only "the closest records"; they were chosen on data the scorer was
not written for (see docs/architecture.md, "Relevance"). The scorer sits behind the
``RelevanceModel`` protocol so a council's own model (an Ollama judge, a packaged
reranker) can replace it without touching the generator.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from assistant.embedder import TextEmbedder
from assistant.text import (
    KIN_WORDS,
    STOPWORDS,
    content_words,
    naming_words,
    split_sentences,
    tokens,
)


class TermExpander(Protocol):
    """Practice language (``retrieval.glossary.Glossary``): spells out abbreviations and
    names the glossary terms a text mentions by abbreviation or long form."""

    def expand_query(self, text: str) -> str: ...

    def expand_note(self, text: str) -> str: ...

    def terms_in(self, text: str) -> set[str]: ...

    def find(self, text: str) -> Sequence[TermSpan]: ...

    def concepts(self, text: str) -> set[str]: ...

    def named_concepts(self, text: str) -> set[str]: ...

    def phrases_in(self, text: str) -> set[str]: ...


class TermEntry(Protocol):
    @property
    def term(self) -> str: ...

    @property
    def topics(self) -> tuple[str, ...]: ...


class TermSpan(Protocol):
    """Where a glossary term or its long form sits in a text."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def abbreviation_of(self) -> Sequence[TermEntry]: ...

    @property
    def entries(self) -> Sequence[TermEntry]:
        """Entries of the span as abbreviation or as long form."""
        ...


class NoExpansion:
    def expand_query(self, text: str) -> str:
        return text

    def expand_note(self, text: str) -> str:
        return text

    def terms_in(self, text: str) -> set[str]:
        return set()

    def find(self, text: str) -> Sequence[TermSpan]:
        return ()

    def concepts(self, text: str) -> set[str]:
        return set()

    def named_concepts(self, text: str) -> set[str]:
        return set()

    def phrases_in(self, text: str) -> set[str]:
        return set()


@dataclass(frozen=True)
class Candidate:
    """One source sentence offered as an answer."""

    text: str
    #: The record's title (context for terse sentences).
    title: str = ""
    #: 1-based rank of the sentence's chunk in the hybrid search.
    chunk_rank: int = 1
    #: The sentence carries a cue word of a topic the question names.
    topic_match: bool = False
    #: Which record the sentence comes from (record-level relevance pools by this).
    record: str = ""
    #: The record is about the person the question is about.
    about: bool = False
    #: The record's system and type in words ("youth justice assessment"): a question
    #: naming a service or record by abbreviation ("YOS involvement?", "in the RHI")
    #: is answered by that service's or kind of record's sentences.
    source: str = ""


@dataclass(frozen=True)
class Scored:
    #: How well this sentence answers, for choosing among one record's sentences.
    relevance: float
    #: Probability-like relevance of the sentence's whole record to the question.
    record_relevance: float
    similarity: float
    lexical: float
    #: Direct evidence that the sentence answers: it names the question's practice term
    #: (by abbreviation or long form), or covers most of the question's specific words
    #: (weighted by how rare each is among the candidates), or is very close in meaning.
    evidence: bool = False


class RelevanceModel(Protocol):
    """Scores candidates for one question (sentence and record level, in [0, 1])."""

    def score(self, question: str, candidates: Sequence[Candidate]) -> list[Scored]: ...


@dataclass(frozen=True)
class RecordWeights:
    """Logistic weights of the record-level signals.

    Fitted (L2, C=0.3, balanced classes) on record-level labels of the independent
    development set, checked family by family (fit on two families, tested on the third:
    record recall 0.96-1.00 at the default thresholds); see docs/architecture.md."""

    bias: float = -2.77
    #: Best sentence similarity in the record, and the mean of its best two.
    max_similarity: float = 0.42
    top2_similarity: float = 0.49
    #: Best sentence similarity as a z-score among all the subject's candidates.
    max_relative: float = 0.40
    #: Best share of the question's words found in one sentence (with the title).
    max_lexical: float = 0.82
    #: 1 / sqrt(best hybrid-search rank of the record's chunks).
    rank: float = 1.49
    #: Any sentence carries a cue word of a topic the question names.
    topic: float = 0.53
    #: The record is about the person the question is about.
    about: float = 0.59


@dataclass(frozen=True)
class RelevanceThresholds:
    #: Best record at or above this (with evidence, below): the records answer.
    answer: float = 0.55
    #: Best record below this: nothing recorded comes near (an absence answer).
    absent: float = 0.2
    #: Records kept with an answer: at least ``floor`` and ``relative`` x the best one.
    floor: float = 0.2
    relative: float = 0.25
    #: A record with no directly answering sentence is kept only at this share of the
    #: best record (and at least ``floor``).
    without_evidence: float = 0.4
    #: A record's further sentences are quoted only if they answer at least this share as
    #: well as the answer's best sentence.
    sentence_relative: float = 0.5


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class SignalRelevance:
    """``RelevanceModel`` from MiniLM similarity, BM25 rank, words, topics and context."""

    def __init__(
        self,
        embedder: TextEmbedder,
        expander: TermExpander | None = None,
        weights: RecordWeights | None = None,
        *,
        strong_similarity: float = 0.7,
        cover: float = 0.34,
        cover_unknown: float = 0.5,
    ) -> None:
        self._embedder = embedder
        self._expander: TermExpander = expander if expander is not None else NoExpansion()
        self.weights = weights or RecordWeights()
        #: Evidence of an answer on meaning alone, or on words (see ``Scored.evidence``).
        self.strong_similarity = strong_similarity
        self.cover = cover
        self.cover_unknown = cover_unknown

    def score(self, question: str, candidates: Sequence[Candidate]) -> list[Scored]:
        if not candidates:
            return []
        vocabulary = _vocabulary(c.text for c in candidates)
        question = what_is_asked(question)
        question = correct_typos(question, vocabulary, self._expander.find(question))
        q = self._expander.expand_query(question)
        notes = [self._expander.expand_note(c.text) for c in candidates]
        q_terms = self._expander.terms_in(question)
        # A practice phrase of two or more words the question uses ("home alone", "low
        # mood") is evidence where a note uses it too, whatever the question's other words
        # ("neighbour said ... down the pub when the kids were home alone").
        q_phrases = self._expander.phrases_in(question)
        pool = [light_words(f"{c.title} {c.text}") for c in candidates]
        match = _WordMatch(pool)
        # A practice term the question names by abbreviation ("any DA?", "known to
        # CAMHS (child and adolescent mental health services)?") is evidence only as that
        # term (abbreviation or long form): its spelled-out words ("health") and the
        # topic cue words are not. The question's other words still are.
        spans = self._expander.find(question)
        abbreviations = {e.term for m in spans for e in m.abbreviation_of}
        # Shorthand that names no topic ("hx", "re", "w/") leaves the question's topic
        # words their say: "any hx of her saying she'd harm herself?" is about self-harm.
        of_a_topic = [m for m in spans if any(e.topics for e in m.abbreviation_of)]
        asked_topics = {t for m in of_a_topic for e in m.abbreviation_of for t in e.topics}
        from_source = self._source_topics({c.source for c in candidates}) if asked_topics else {}
        # A question of a word or two that names a topic ("bullying?", "how is [Child 1]
        # sleeping?") asks for that topic: a sentence the glossary puts in it ("called him
        # names", "wakes three times a night") answers it. One that names a particular
        # thing ("nightmares?") still needs that thing.
        short_topics = (
            self._expander.named_concepts(question) if len(content_words(question)) <= 2 else set()
        )
        plain = _without_spans(question, spans) if abbreviations else question
        # The clauses that named a practice term of a topic by abbreviation ("was she
        # offered an IDVA?"): the term is what they ask about. Shorthand that names no
        # topic ("was she seen last wk?", "hx") does not make it so.
        termed = _changed_clauses(question, _without_spans(question, of_a_topic))
        # Each part of the question needs its words covered; a part with a word that no
        # candidate uses (often the very thing not recorded) needs more of them.
        specific = []
        for part in question_parts(plain, min_words=1):
            weights = _specific_words(part, pool, match)
            if abbreviations:
                # "any DV hx for mum [Mother]": the practice term is what is asked about;
                # the role word before a placeholder only says about whom.
                naming = light_words(" ".join(naming_words(part)))
                weights = {w: v for w, v in weights.items() if w not in naming}
            if len(weights) == 1 and part != plain:
                # A one-word clause ("and who does she confide in?") is evidence only through a
                # word few candidates use (a common one, "seen", says little on its own),
                # and only if it stands alone: "and how has it presented?" is about the
                # clause before it.
                # Nor does one that asks only what came of the clause before ("- was
                # anything done?", "and what happened?"): "done" in a line about
                # something else ("hearing check done") does not answer it.
                # Nor one whose other word only says how the term came about ("offered",
                # "referred" beside "an IDVA"): a line of another offer does not answer it.
                (word,) = weights
                if (
                    _REFERS_BACK.search(part)
                    or word in _WHAT_CAME_OF_IT
                    or match.count(word) * 5 > len(pool)
                    or part in termed
                ):
                    continue
            unknown = any(match.count(w) == 0 for w in weights)
            specific.append((weights, self.cover_unknown if unknown else self.cover))
        parts = question_parts(q)
        vectors = self._embedder.encode([*parts, *notes])
        # A chatty question ("going into the meeting tomorrow - has she got a dog?") is
        # matched by its best part as well as by the whole.
        sims = (vectors[len(parts) :] @ vectors[: len(parts)].T).max(axis=1)
        centre = float(np.median(sims))
        spread = float(np.std(sims)) or 1.0
        q_words = content_words(q)
        sentence: list[tuple[float, float, float]] = []
        by_record: dict[str, list[int]] = {}
        for i, (cand, note, sim) in enumerate(zip(candidates, notes, sims, strict=True)):
            lexical = _lexical(q_words, content_words(f"{cand.title} {note}"))
            relative = max(-2.0, min(3.0, (float(sim) - centre) / spread))
            sentence.append((float(sim), lexical, relative))
            by_record.setdefault(cand.record or f"#{i}", []).append(i)
        record_p: dict[str, float] = {}
        w = self.weights
        for record, members in by_record.items():
            ordered = sorted((sentence[i][0] for i in members), reverse=True)
            logit = (
                w.bias
                + w.max_similarity * ordered[0]
                + w.top2_similarity * float(np.mean(ordered[:2]))
                + w.max_relative * max(sentence[i][2] for i in members)
                + w.max_lexical * max(sentence[i][1] for i in members)
                + w.rank / math.sqrt(max(min(candidates[i].chunk_rank for i in members), 1))
                + (w.topic if any(candidates[i].topic_match for i in members) else 0.0)
                + (w.about if any(candidates[i].about for i in members) else 0.0)
            )
            record_p[record] = _sigmoid(logit)
        out: list[Scored] = []
        for i, cand in enumerate(candidates):
            sim, lexical, _ = sentence[i]
            own = sim + 0.5 * lexical + (0.2 if cand.topic_match else 0.0)
            evidence = (
                bool((abbreviations or q_terms) & self._expander.terms_in(cand.text))
                or bool(q_phrases and q_phrases & self._expander.phrases_in(cand.text))
                or bool(asked_topics & from_source.get(cand.source, frozenset()))
                or bool(short_topics and short_topics & self._expander.concepts(cand.text))
                or any(_weighted_cover(p, pool[i], match) >= need for p, need in specific if p)
                or (not asked_topics and cand.topic_match)
            )
            evidence = evidence or sim >= self.strong_similarity
            out.append(Scored(own, record_p[cand.record or f"#{i}"], sim, lexical, evidence))
        return out

    def _source_topics(self, sources: set[str]) -> dict[str, frozenset[str]]:
        """The glossary topics each record source ("YOUTH JUSTICE assessment") names, as
        written (a system in capitals: "SEND") or in lower case (a long form: "youth
        justice")."""
        return {
            source: frozenset(
                t
                for text in (source, source.lower())
                for m in self._expander.find(text)
                for e in m.entries
                for t in e.topics
            )
            for source in sources
            if source
        }


def sentence_texts(chunk_text: str, expander: TermExpander | None = None) -> list[str]:
    """The texts ``SignalRelevance`` embeds for a chunk's sentences (abbreviations spelled
    out), so the index writer can embed them ahead of any question."""
    spell = expander if expander is not None else NoExpansion()
    return [spell.expand_note(s) for s in split_sentences(chunk_text)]


_PART_BREAK = re.compile(
    r"\s+[-\u2013\u2014]\s+|[?;:!]\s*|,\s+(?=and\b|but\b|or\b|is\b|are\b|has\b|have\b|what\b|who\b|how\b|when\b|where\b|does\b|did\b)"
    # "... like doing and who looks after her": a new question after "and" without a comma.
    r"|\s+and\s+(?=(?:who|what|when|where|how|why|whether)\b)"
)


#: A clause that points back to the one before it ("and how has it presented?").
_REFERS_BACK = re.compile(r"\b(?:it|this|that|these|those|they|them|there)\b", re.IGNORECASE)

#: The only word of a clause that asks what came of the one before it ("was anything
#: done?", "what happened?", "was it followed up?"), as ``light_words`` reads them.
_WHAT_CAME_OF_IT = frozenset(
    {"done", "happen", "happened", "happening", "made", "taken", "followed"}
)


#: A clause that speaks of the asker, not of the family ("need to know b4 my visit", "I'm
#: writing my report tomorrow"): first person, and not itself a question.
_ASKER = re.compile(r"\b(?:i|i'm|im|i've|ive|me|my|we|we're|our|us)\b", re.IGNORECASE)
_ASKS = re.compile(
    r"^\s*(?:what|who|whom|whose|when|where|why|how|which|was|were|is|are|did|does|do|has|"
    r"have|had|can|could|should|would|will|any|anything|anyone|been|ever)\b",
    re.IGNORECASE,
)


#: He, she, they and the like: someone other than the asker.
_THIRD_PERSON = frozenset({"he", "she", "they", "him", "her", "his", "hers", "them", "their"})


def about_the_asker(clause: str) -> bool:
    """Whether ``clause`` says why the worker asks ("need to know before my visit"), not
    what: it speaks in the first person, of no one in the family, and is not a question
    of its own ("mum told me she was drinking" is what is asked about)."""
    return bool(_ASKER.search(clause)) and not _ASKS.search(clause) and not _names_someone(clause)


def _names_someone(clause: str) -> bool:
    """A placeholder, a pronoun or a family word: someone other than the asker."""
    others = _THIRD_PERSON | KIN_WORDS
    return any(t.startswith("[") or t in others for t in tokens(clause))


#: After the question mark, why the worker asks: when ("TAF next wk", "panel thurs",
#: "tomorrow") or for what ("need it for the NRM bit", "for the core group", "b4 my visit").
_CONTEXT_TAIL = re.compile(
    r"^(?:(?:i\s+)?need (?:it|this|to know)|for (?:the|my|our|a|an)\b|b4\b|before\b)|"
    r"\b(?:tomorrow|tmrw|tonight|today|(?:next|this) (?:week|wk|month|afternoon|morning)|"
    r"(?:mon|tues?|wed(?:nes)?|thurs?|fri|sat(?:ur)?|sun)(?:day)?)\b",
    re.IGNORECASE,
)


def what_is_asked(question: str) -> str:
    """The question without the clauses that say why the worker asks rather than what:
    one about the asker ("need to know b4 my visit", ``about_the_asker``), and what
    follows the last question mark when it names no one, asks nothing and says when or
    what for ("TAF next wk", "for the YOT panel"). Their words ("visit", "TAF") are no
    evidence that a note answers."""
    drop = [
        piece
        for piece in (p.strip(" ,.") for p in _PART_BREAK.split(question))
        if piece and piece != question.strip() and about_the_asker(piece)
    ]
    head, mark, tail = question.rpartition("?")
    tail = tail.strip(" ,.-\u2013\u2014")
    if (
        mark
        and head.strip()
        and tail
        and _CONTEXT_TAIL.search(tail)
        and not _ASKS.search(tail)
        and not _names_someone(tail)
    ):
        drop.append(tail)
    asked = question
    for piece in drop:
        asked = asked.replace(piece, " ")
    asked = re.sub(r"\s+", " ", asked).strip(" -\u2013\u2014")
    return asked if content_words(asked) else question


def _changed_clauses(question: str, plain: str) -> set[str]:
    """The clauses of ``plain`` (the question with its abbreviations taken out) that
    differ from the question's: those that named a practice term."""
    asked, left = _PART_BREAK.split(question), _PART_BREAK.split(plain)
    if len(asked) != len(left):
        return set()
    return {b.strip(" ,.") for a, b in zip(asked, left, strict=True) if a != b}


def question_parts(question: str, min_words: int = 2) -> list[str]:
    """The whole question and each of its clauses with at least ``min_words`` content
    words."""
    parts = [question]
    for piece in _PART_BREAK.split(question):
        piece = piece.strip(" ,.")
        if piece and piece != question and len(content_words(piece)) >= min_words:
            parts.append(piece)
    return parts


#: Words that frame a question rather than say what it is about ("is he up to date",
#: "what's going on now", "body map - outcome?": what came of the topic, never a topic):
#: never evidence that a sentence answers it.
_FRAME_TEXT = """
date time now ever recent recently current currently actually really like going get got
getting bit quick quickly thing things want need sure please okay anyone someone something
everything whether still already yet history chronology timeline summary summarise summarize
overview background update list order exactly involvement involved information info
factor factors outcome outcomes
kids kid different various service services agency agencies professional professionals
"""
QUESTION_FRAME = frozenset(_FRAME_TEXT.split())


def _lexical(question_words: set[str], sentence_words: set[str]) -> float:
    """Share of the question's content words in the sentence (prefix match of 5 letters
    catches inflections the stemmer misses); placeholders and framing words do not count."""
    words = {w for w in question_words if not w.startswith("[") and w not in QUESTION_FRAME}
    if not words:
        return 0.0
    prefixes = {w[:5] for w in sentence_words if len(w) >= 5}
    hits = sum(1 for w in words if w in sentence_words or (len(w) >= 5 and w[:5] in prefixes))
    return hits / len(words)


_WORD = re.compile(r"[a-z][a-z']+")
_TYPED_WORD = re.compile(r"\[[^\]]*\]|[A-Za-z][A-Za-z']+")


def _vocabulary(texts: Iterable[str]) -> set[str]:
    return {w for t in texts for w in _WORD.findall(t.lower())}


def _edit_distance_at_most(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance of ``a`` and ``b`` is at most ``limit`` (banded)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def correct_typos(question: str, vocabulary: set[str], keep: Sequence[TermSpan] = ()) -> str:
    """Each question word of five or more letters that no candidate sentence uses (and no
    stopword), replaced by the one candidate word one edit away with the same first
    letter: "whos stayng" -> "staying" when the notes say "staying". Ambiguous
    or unmatched words, and practice terms (``keep``), stay as typed."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        if word.startswith("[") or any(k.start <= match.start() < k.end for k in keep):
            return word  # a placeholder, or part of a practice term
        if len(low) < 5 or low in vocabulary or low in QUESTION_FRAME or low in STOPWORDS:
            return word
        limit = 1
        near = {
            v
            for v in vocabulary
            if v[0] == low[0] and len(v) >= 4 and _edit_distance_at_most(low, v, limit)
        }
        return near.pop() if len(near) == 1 else word

    return _TYPED_WORD.sub(fix, question)


def _without_spans(text: str, spans: Sequence[TermSpan]) -> str:
    """``text`` with the given spans blanked out."""
    out, last = [], 0
    for span in sorted(spans, key=lambda m: m.start):
        if span.start >= last:
            out.append(text[last : span.start])
            last = span.end
    out.append(text[last:])
    return " ".join(out)


def _same_word(a: str, b: str) -> bool:
    """Stems that are one word: equal; one a short extension of the other ("move"/"moved",
    "hous"/"house"); or long words sharing five letters ("exclud"/"exclus"). Not
    "weeks"/"weekends"."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 2:
        return True
    return len(short) >= 6 and a[:5] == b[:5]


class _WordMatch:
    """Whether a question word is in a candidate's words (``_same_word``), with the
    candidates' words that count as each question word worked out once per question:
    the same few question words are looked up in every candidate."""

    def __init__(self, pool: Sequence[set[str]]) -> None:
        self._pool = pool
        self._vocabulary: set[str] = set().union(*pool) if pool else set()
        self._near: dict[str, frozenset[str]] = {}
        self._count: dict[str, int] = {}

    def _words_for(self, word: str) -> frozenset[str]:
        near = self._near.get(word)
        if near is None:
            near = frozenset(v for v in self._vocabulary if _same_word(word, v))
            self._near[word] = near
        return near

    def __call__(self, word: str, words: set[str]) -> bool:
        """``word`` is in ``words`` (one of the pool's sets)."""
        return word in words or not self._words_for(word).isdisjoint(words)

    def count(self, word: str) -> int:
        """How many candidates use ``word``."""
        if word not in self._count:
            self._count[word] = sum(1 for p in self._pool if self(word, p))
        return self._count[word]


#: A month as practitioners write it ("sept", "Feb", "November"), and its number.
_MONTH_WORDS = {
    word: f"{n:02d}"
    for n, words in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ),
        start=1,
    )
    for word in words.split()
}
#: A day and month written in figures ("24/09", "24/09/23", "3.2.24", "05-11-2023").
_DAY_MONTH = re.compile(r"\b(?:0?[1-9]|[12]\d|3[01])[/.-](0?[1-9]|1[0-2])(?:[/.-]\d{2,4})?\b")
#: A month written in words, in a question or a note.
_MONTH_NAME = re.compile(
    r"\b(" + "|".join(sorted(_MONTH_WORDS, key=len, reverse=True)) + r")\b\.?", re.IGNORECASE
)


def _months(text: str, *, figures: bool) -> set[str]:
    """The months ``text`` names, as one word each ("month-09"): in words, and, in a note,
    in its dates written in figures, so "the sept incident" meets "incident on 24/09".
    ("may" only in a note: in a question it is far more often the verb.)"""
    named = {
        f"month-{_MONTH_WORDS[m.group(1).lower()]}"
        for m in _MONTH_NAME.finditer(text)
        if figures or m.group(1).lower() != "may"
    }
    if figures:
        named |= {f"month-{int(m.group(1)):02d}" for m in _DAY_MONTH.finditer(text)}
    return named


def light_words(text: str, *, note: bool = True) -> set[str]:
    """Content words with only plurals and possessives removed: evidence needs the word
    itself ("missing" is not "missed", which the answer stemmer would conflate). The
    months a text names are one word each ("month-09"), whether in words or, in a note
    (``note``), in a date written in figures."""
    out: set[str] = set()
    for token in tokens(text):
        if token.startswith("["):
            out.add(token)
            continue
        token = token.removesuffix("'s")
        if token in STOPWORDS or len(token) < 3 or token in _MONTH_WORDS:
            continue
        if len(token) > 4 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        out.add(token)
    return out | _months(text, figures=note)


def _specific_words(question: str, pool: Sequence[set[str]], match: _WordMatch) -> dict[str, float]:
    """The question's content words (no placeholders, framing words, numbers or proper
    names) weighted by rarity among the candidate sentences (smoothed inverse document
    frequency). A word no candidate uses weighs most: it is often the very thing that is
    not recorded ("jabs", "allergies"), so the other words alone rarely make evidence.
    Capitalised words inside the question (a street, a school) are left out: the notes
    hold them pseudonymised."""
    proper = {
        w.lower()
        for i, w in enumerate(re.findall(r"[A-Za-z][A-Za-z']+", question))
        if i and w[0].isupper() and not w.isupper()
    }
    words = {
        w
        for w in light_words(question, note=False)
        if not w.startswith("[")
        and w not in QUESTION_FRAME
        and not w[0].isdigit()
        and not any(p.startswith(w) for p in proper)
    }
    # A word no note uses counts when typed at length, or at four letters unless it is a
    # short word mistyped ("abot", "wher") or a plural ("dads"); shorter ones are more
    # often typos than topics.
    typed_long = {
        w
        for t in re.findall(r"[A-Za-z]{4,}", question)
        for w in light_words(t)
        if len(t) > 4 or not (t.lower().endswith("s") or _near_stopword(t.lower()))
    }
    n = len(pool)
    weights: dict[str, float] = {}
    for w in words:
        df = match.count(w)
        if df or w in typed_long:  # a short unknown word is more often a typo than a topic
            weights[w] = math.log((n + 1) / (1 + df)) + 0.1
    return weights


def _near_stopword(word: str) -> bool:
    """``word`` is one edit from a stopword ("abot", "wher", "wat") or two from a longer
    one ("shud")."""
    return any(
        _edit_distance_at_most(word, stop, 1 if len(stop) < 6 else 2)
        for stop in STOPWORDS
        if abs(len(stop) - len(word)) <= 2
    )


def _weighted_cover(
    specific: dict[str, float], sentence_words: set[str], match: _WordMatch
) -> float:
    """Share of the question part's specific words (by weight) the sentence uses. A part
    with three or more specific words needs two of them: one rare word shared by chance
    ("removed" of medicines, asked about children) is not an answer."""
    if not specific:
        return 0.0
    asked = {w for w in specific if w.startswith("month-")}
    dated = {w for w in sentence_words if w.startswith("month-")}
    if asked and dated and not asked & dated:
        return 0.0  # "the September incident": not one dated in March
    total = sum(specific.values())
    hits = [v for w, v in specific.items() if match(w, sentence_words)]
    if len(specific) >= 3 and len(hits) < 2:
        return 0.0
    return sum(hits) / total
