"""Citation verifier: every sentence must be supported by the sources it cites.

It runs after every generator (extractive or a language model). Citation numbers that are
not among the numbered sources are removed; each remaining citation must support the
sentence on two independent kinds of evidence against the cited chunk:

* lexical: the share of the sentence's content words (placeholders included, so a
  sentence about ``[Father]`` is not supported by a note about ``[Mother]``) found in
  the chunk, and
* semantic: the best cosine similarity between the sentence and one chunk sentence.

Citations that do not support the sentence are dropped; a sentence left with none is
``supported=False`` and the service never shows it as fact. The default thresholds were
chosen on the estate's gold facts (``evals.measure.calibrate_verifier``).

Two shortcuts keep question time down without changing any decision: a sentence that *is*
one whole sentence of the cited chunk (what the extractive generator writes) has full
coverage and similarity 1 by definition, so it needs no embedding; and a citation that
fails the lexical test cannot support the sentence whatever the embedding says, so it is
dropped before embedding. Anything else (paraphrase, a part of a sentence, the Ollama
path) gets both checks, with all its cited chunks embedded in one batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np

from assistant.contracts import DraftSentence, NumberedSource, Reliability
from assistant.embedder import TextEmbedder
from assistant.text import content_words, coverage, split_sentences


@dataclass(frozen=True)
class SupportThresholds:
    #: Least share of the sentence's content words found in the cited chunk.
    min_coverage: float = 0.6
    #: Least cosine similarity between the sentence and its best chunk sentence.
    min_similarity: float = 0.6


@dataclass(frozen=True)
class SupportEvidence:
    coverage: float
    similarity: float
    #: The chunk sentence that best matches (shown as the citation's quote).
    quote: str

    def supports(self, thresholds: SupportThresholds) -> bool:
        return (
            self.coverage >= thresholds.min_coverage
            and self.similarity >= thresholds.min_similarity
        )


@dataclass(frozen=True)
class VerifiedSentence:
    text: str
    #: Citations that exist and support the sentence.
    citations: tuple[int, ...]
    supported: bool
    occurred_at: date | None = None
    reliability: Reliability | None = None
    #: Numbers the generator wrote that are not among the sources (invented).
    invented: tuple[int, ...] = ()
    #: Numbers that exist but whose chunk does not support the sentence.
    unsupporting: tuple[int, ...] = ()
    quotes: Mapping[int, str] = field(default_factory=dict)
    #: The draft's kind: "fact", or "closest" (the nearest record, not an answer).
    kind: Literal["fact", "closest"] = "fact"
    #: Whose account, its provenance in words, and whether it is the outcome of the item
    #: before it (``DraftSentence``).
    source: str | None = None
    provenance: str | None = None
    outcome: bool = False
    account: bool = False


class CitationVerifier:
    def __init__(self, embedder: TextEmbedder, thresholds: SupportThresholds | None = None):
        self._embedder = embedder
        self.thresholds = thresholds or SupportThresholds()

    def verify(
        self, drafts: Iterable[DraftSentence], sources: Sequence[NumberedSource]
    ) -> Iterator[VerifiedSentence]:
        """Verify drafts one by one as they arrive (works on a stream)."""
        by_n = {s.n: s for s in sources}
        for draft in drafts:
            yield self.verify_one(draft, by_n)

    def verify_one(
        self, draft: DraftSentence, sources: Mapping[int, NumberedSource]
    ) -> VerifiedSentence:
        text = draft.text.strip()
        cited = tuple(dict.fromkeys(draft.citations))
        invented = tuple(n for n in cited if n not in sources)
        kept: list[int] = []
        unsupporting: list[int] = []
        quotes: dict[int, str] = {}
        evidence = self._evidence_for(text, [sources[n].chunk.text for n in cited if n in sources])
        for n in cited:
            if n in invented:
                continue
            found = evidence[sources[n].chunk.text]
            if found is not None and found.supports(self.thresholds):
                kept.append(n)
                quotes[n] = found.quote
            else:
                unsupporting.append(n)
        return VerifiedSentence(
            text=text,
            citations=tuple(kept),
            supported=bool(kept) and bool(text),
            occurred_at=draft.occurred_at,
            reliability=draft.reliability,
            invented=invented,
            unsupporting=tuple(unsupporting),
            quotes=quotes,
            kind=draft.kind,
            source=draft.source,
            provenance=draft.provenance,
            outcome=draft.outcome,
            account=draft.account,
        )

    def _evidence_for(
        self, sentence: str, chunk_texts: Sequence[str]
    ) -> dict[str, SupportEvidence | None]:
        """Evidence per cited chunk text; None where the lexical test already fails.

        Verbatim whole sentences skip the embedding; the rest share one ``encode`` call.
        """
        out: dict[str, SupportEvidence | None] = {}
        to_embed: dict[str, tuple[list[str], float]] = {}
        words = content_words(sentence)
        for chunk_text in dict.fromkeys(chunk_texts):
            chunk_sentences = split_sentences(chunk_text) or [chunk_text]
            lexical = coverage(words, content_words(chunk_text))
            if sentence and _same_text(sentence, chunk_sentences):
                out[chunk_text] = SupportEvidence(coverage=lexical, similarity=1.0, quote=sentence)
            elif lexical < self.thresholds.min_coverage:
                out[chunk_text] = None
            else:
                to_embed[chunk_text] = (chunk_sentences, lexical)
        if to_embed:
            batch = [sentence, *(s for sents, _ in to_embed.values() for s in sents)]
            vectors = self._embedder.encode(batch)
            start = 1
            for chunk_text, (chunk_sentences, lexical) in to_embed.items():
                sims = vectors[start : start + len(chunk_sentences)] @ vectors[0]
                start += len(chunk_sentences)
                best = int(np.argmax(sims))
                out[chunk_text] = SupportEvidence(
                    coverage=lexical, similarity=float(sims[best]), quote=chunk_sentences[best]
                )
        return out

    def evidence(self, sentence: str, chunk_text: str) -> SupportEvidence:
        """Lexical and embedding evidence that ``chunk_text`` supports ``sentence``
        (always both measured: used to calibrate the thresholds)."""
        chunk_sentences = split_sentences(chunk_text) or [chunk_text]
        lexical = coverage(content_words(sentence), content_words(chunk_text))
        vectors = self._embedder.encode([sentence, *chunk_sentences])
        sims = vectors[1:] @ vectors[0]
        best = int(np.argmax(sims))
        return SupportEvidence(
            coverage=lexical, similarity=float(sims[best]), quote=chunk_sentences[best]
        )


def _same_text(sentence: str, chunk_sentences: Sequence[str]) -> bool:
    """Whether ``sentence`` is, up to whitespace, one whole sentence of the chunk.

    Whole sentences only: a fragment ("she hit the child" out of "denied that she hit the
    child") is not evidence of itself and goes through the full check.
    """
    wanted = " ".join(sentence.split())
    return any(" ".join(s.split()) == wanted for s in chunk_sentences)
