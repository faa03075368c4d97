"""Find personal data in free text: ``detect(text)`` and ``detect_many(texts)``.

Runs the caselens Presidio analyzer, maps Presidio's entity names onto caselens names,
trims role words and titles off model-found names, drops spans under the score
threshold and resolves overlaps (see ``redaction.overlaps``). The result is a sorted
list of non-overlapping ``DetectedSpan``; ``DATE`` spans are event dates the
pseudonymiser keeps. The pseudonymiser merges its own matches of known identifiers
with ``Detector.merge`` so that they win over anything found here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from redaction.analyzer import AnalyzerConfig, build_analyzer
from redaction.entities import LOCATION, ORGANISATION, PERSON, PRESIDIO_TO_CASELENS
from redaction.errors import RedactionConfigError
from redaction.keep import KeepList, subtract
from redaction.lists_on_demand import ListsOnDemand
from redaction.name_lists import NameLists
from redaction.name_spans import (
    is_only_abbreviations,
    pet_names,
    repeat_names,
    trim_name_span,
)
from redaction.overlaps import resolve_overlaps, tidy_piece
from redaction.recognizers.name_list import place_before
from redaction.spans import DetectedSpan, SpanSource
from redaction.truecase import case_shadow

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, RecognizerResult

#: Spans scoring below this are ignored. Pattern recognizers without context score
#: 0.35-0.7, the spaCy model 0.85, validated identifiers 1.0.
DEFAULT_SCORE_THRESHOLD = 0.4
#: Recognizers whose spans come from the statistical model.
NER_RECOGNIZERS: frozenset[str] = frozenset(
    {"SpacyRecognizer", "TransformersRecognizer", "StanzaRecognizer"}
)


class Detector(ListsOnDemand):
    """Detects caselens entities with one configured analyzer (cheap to keep, reuse it)."""

    def __init__(
        self,
        analyzer: AnalyzerEngine,
        *,
        score_threshold: float = DEFAULT_SCORE_THRESHOLD,
        language: str = "en",
        batch_size: int = 32,
        redact_places: bool = False,
        case_shadow: bool = True,
        lists: NameLists | None = None,
        keep: KeepList | None = None,
    ) -> None:
        if not 0.0 <= score_threshold <= 1.0:
            raise RedactionConfigError(
                f"redaction: score threshold must be within 0..1, got {score_threshold}"
            )
        if batch_size < 1:
            raise RedactionConfigError(f"redaction: batch size must be >= 1, got {batch_size}")
        self._analyzer = analyzer
        self.score_threshold = score_threshold
        self.language = language
        self.batch_size = batch_size
        #: Replace places and organisations the model finds (towns, hospitals, shops,
        #: employers). Off by default: they identify nobody on their own and notes lose
        #: meaning without them; a council whose policy says otherwise turns it on.
        self.redact_places = redact_places
        #: Also analyse a case-normalised copy of texts in capitals or with lower-case
        #: names (``redaction.truecase``).
        self.case_shadow = case_shadow
        self._lists = lists
        self._keep = keep

    def warm(self) -> None:
        """Load what the first note would otherwise wait for: the name and keep lists (and
        their misspelling index) and the libraries the analyzer's validators load on first
        use (e-mail domains, phone-number metadata). Run once when the detector is built."""
        self.lists.prepare()
        _ = self.keep
        self.detect(_WARM_TEXT)

    def shadow(self, text: str) -> str | None:
        """The case-normalised copy ``detect`` also analyses (``None``: not needed)."""
        if not self.case_shadow:
            return None
        return case_shadow(text, self.lists, self.keep)

    def detect(self, text: str) -> list[DetectedSpan]:
        """Non-overlapping spans of personal data (and event dates) in ``text``."""
        _check_text(text)
        if not text.strip():
            return []
        results = self._analyzer.analyze(text=text, language=self.language)
        shadow = self.shadow(text)
        shadow_results = (
            self._analyzer.analyze(text=shadow, language=self.language) if shadow else None
        )
        return self._combine(text, results, shadow, shadow_results)

    def detect_many(self, texts: Iterable[str]) -> list[list[DetectedSpan]]:
        """``detect`` for many texts, running spaCy in batches (about 1.5x faster).

        Repeated texts (note titles such as "Home visit") are analysed once: a text's
        spans depend on that text only."""
        from presidio_analyzer import BatchAnalyzerEngine

        items = list(texts)
        for text in items:
            _check_text(text)
        unique = list(dict.fromkeys(items))
        shadows = {text: self.shadow(text) for text in unique}
        wanted = [shadow for shadow in shadows.values() if shadow]
        batch = BatchAnalyzerEngine(analyzer_engine=self._analyzer)
        results = batch.analyze_iterator(
            [*unique, *wanted], language=self.language, batch_size=self.batch_size
        )
        by_text = results[: len(unique)]
        by_shadow = dict(zip(wanted, results[len(unique) :], strict=True))
        spans = {}
        for text, found in zip(unique, by_text, strict=True):
            shadow = shadows[text]
            spans[text] = self._combine(text, found, shadow, by_shadow[shadow] if shadow else None)
        return [list(spans[text]) for text in items]

    def merge(
        self, text: str, detected: Sequence[DetectedSpan], extra: Sequence[DetectedSpan]
    ) -> list[DetectedSpan]:
        """Combine ``detected`` with other spans (e.g. ``source="known"`` identifier matches)
        under the same overlap rules."""
        for span in extra:
            if span.end > len(text):
                raise ValueError(f"span end {span.end} is beyond the text ({len(text)} chars)")
        return resolve_overlaps([*extra, *detected], text)

    def _combine(
        self,
        text: str,
        results: Iterable[RecognizerResult],
        shadow: str | None,
        shadow_results: Iterable[RecognizerResult] | None,
    ) -> list[DetectedSpan]:
        kept = self.keep.ranges(text)
        spans = self._postprocess(text, results, kept)
        if shadow is not None and shadow_results is not None:
            # The model reads all-capital words as names ("DRIVER", "LORRY"): where the
            # copy spells them differently, only the copy's reading counts.
            spans = [
                s
                for s in spans
                if s.source != "ner" or text[s.start : s.end] == shadow[s.start : s.end]
            ]
            spans = resolve_overlaps(
                [*spans, *self._postprocess(shadow, shadow_results, kept)], text
            )
        # A model "person" of common words only is no person ("Refer" of "Refer Amelia
        # to ..."), even beside a name: a first name that is also a word is in the name
        # lists ("Freedom" of "Freedom Penfold").
        return [
            s
            for s in spans
            if not (s.source == "ner" and s.entity_type == PERSON and self._only_words(text, s))
        ]

    def _postprocess(
        self,
        text: str,
        results: Iterable[RecognizerResult],
        kept: Sequence[tuple[int, int]] = (),
    ) -> list[DetectedSpan]:
        spans: list[DetectedSpan] = []
        for result in results:
            span = self._to_span(text, result)
            if span is None or span.score < self.score_threshold:
                continue
            if span.entity_type in (LOCATION, ORGANISATION) and not self.redact_places:
                span = self._person_or_none(text, span)
                if span is None:
                    continue
            spans.extend(
                piece
                for piece in self._without_kept(text, span, kept)
                if not (
                    piece.entity_type == PERSON
                    and piece.source == "ner"
                    and (self._place_like(text, piece) or self._only_words(text, piece))
                )
            )
        # A pet's name is no person where the note says it is a pet's ("their dog Bella",
        # "Bella the dog"), and is not repeated from there.
        pets = pet_names(text)
        if pets:
            spans = [s for s in spans if not (s.entity_type == PERSON and (s.start, s.end) in pets)]
        # Only names that stand as names are repeated: not a word of an address or a
        # school that a list rule also read as a name ("12 Marlow Terrace, Ashbury").
        spans = resolve_overlaps(spans, text)
        spans.extend(
            s
            for s in repeat_names(text, spans)
            if not _inside_any(s.start, s.end, kept)
            and not self.lists.is_word_name(text[s.start : s.end])
        )
        return resolve_overlaps(spans, text)

    def _person_or_none(self, text: str, span: DetectedSpan) -> DetectedSpan | None:
        """A place or organisation the model found is kept, unless it is an
        "organisation" holding a clear given name (the model calls some names
        organisations): then it is a person."""
        if span.source != "ner":
            return span
        if span.entity_type != ORGANISATION or self._place_like(text, span):
            return None
        kept = self.keep.ranges(text)
        for token in regex.finditer(r"\S+", text[span.start : span.end]):
            word = token.group().strip(".,:;()'\"")
            at = span.start + token.start()
            if _inside_any(at, at + len(token.group()), kept):
                continue  # a practice term ("CIN REVIEW MEETING"), not a name
            if word[:1].isupper() and self.lists.is_clear_given(word):
                # "Views of Alfie": the person starts at the name.
                return replace(span, start=span.start + token.start(), entity_type=PERSON)
        return None

    def _place_like(self, text: str, span: DetectedSpan) -> bool:
        """A one-word model "person" where the words before it make it a place
        (``place_before``: "staying in Bradford", "moved from Leeds to Bradford", "she is
        from Hastings")."""
        value = text[span.start : span.end]
        if " " in value.strip() or text[span.end : span.end + 2] in ("'s", "’s"):
            return False
        before = [w.lower().strip(",;:") for w in text[: span.start].split()[-4:]]
        return place_before(before)

    def _only_words(self, text: str, span: DetectedSpan) -> bool:
        """A model "person" made only of common English words that no name list holds
        ("Victim", "Threshold", "Views of") is not a person."""
        tokens = [t.strip(".,:;()'\"’") for t in text[span.start : span.end].split()]
        tokens = [t for t in tokens if t]
        return bool(tokens) and all(
            self.lists.is_common(t) and not self.lists.may_be_name(t) for t in tokens
        )

    @staticmethod
    def _without_kept(
        text: str, span: DetectedSpan, kept: Sequence[tuple[int, int]]
    ) -> list[DetectedSpan]:
        """``span`` less any practice term, service, kinship or role word inside it."""
        if span.entity_type not in (PERSON, LOCATION, ORGANISATION) or span.source == "known":
            return [span]
        pieces = subtract(span.start, span.end, kept)
        if pieces == [(span.start, span.end)]:
            return [span]
        out = []
        for start, end in pieces:
            tidy = tidy_piece(text, start, end)
            if tidy is not None:
                out.append(replace(span, start=tidy[0], end=tidy[1]))
        return out

    @staticmethod
    def _to_span(text: str, result: RecognizerResult) -> DetectedSpan | None:
        entity = PRESIDIO_TO_CASELENS.get(result.entity_type)
        if entity is None:
            return None
        metadata = result.recognition_metadata or {}
        recognizer = str(metadata.get("recognizer_name", "unknown"))
        source: SpanSource = "ner" if recognizer in NER_RECOGNIZERS else "pattern"
        start, end = result.start, result.end
        if source == "ner" and entity == PERSON:
            trimmed = trim_name_span(text, start, end)
            if trimmed is None:
                return None
            start, end = trimmed
        elif (
            source == "ner"
            and entity in (ORGANISATION, LOCATION)
            and is_only_abbreviations(text[start:end])
        ):
            return None
        if end <= start:
            return None
        return DetectedSpan(
            start=start,
            end=end,
            entity_type=entity,
            score=min(1.0, max(0.0, float(result.score))),
            recognizer=recognizer,
            source=source,
        )


#: A synthetic line that makes every validator load its data.
_WARM_TEXT = "Spoke to jo at 1 Elm Road, AB1 2CD, on 07700 900123 or jo@example.org."


def _inside_any(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in ranges)


def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise TypeError(f"detect expects str, got {type(text).__name__}")


def build_detector(
    config: AnalyzerConfig | None = None,
    score_threshold: float = DEFAULT_SCORE_THRESHOLD,
    *,
    redact_places: bool = False,
) -> Detector:
    """A detector on the cached analyzer for ``config`` (fails closed, see analyzer.py)."""
    return _cached_detector(config or AnalyzerConfig(), float(score_threshold), redact_places)


@lru_cache(maxsize=8)
def _cached_detector(
    config: AnalyzerConfig, score_threshold: float, redact_places: bool
) -> Detector:
    detector = Detector(
        build_analyzer(config),
        score_threshold=score_threshold,
        language=config.language,
        redact_places=redact_places,
    )
    detector.warm()
    return detector


def detect(text: str, config: AnalyzerConfig | None = None) -> list[DetectedSpan]:
    """Spans of personal data in ``text`` with the default (or given) configuration."""
    return build_detector(config).detect(text)


def detect_many(
    texts: Iterable[str], config: AnalyzerConfig | None = None
) -> list[list[DetectedSpan]]:
    """``detect`` for many texts at once (batched through spaCy)."""
    return build_detector(config).detect_many(texts)
