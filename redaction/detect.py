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
from functools import lru_cache
from typing import TYPE_CHECKING

from redaction.analyzer import AnalyzerConfig, build_analyzer
from redaction.entities import LOCATION, ORGANISATION, PERSON, PRESIDIO_TO_CASELENS
from redaction.errors import RedactionConfigError
from redaction.name_spans import is_only_abbreviations, repeat_names, trim_name_span
from redaction.overlaps import resolve_overlaps
from redaction.spans import DetectedSpan, SpanSource

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, RecognizerResult

#: Spans scoring below this are ignored. Pattern recognizers without context score
#: 0.35-0.7, the spaCy model 0.85, validated identifiers 1.0.
DEFAULT_SCORE_THRESHOLD = 0.4
#: Recognizers whose spans come from the statistical model.
NER_RECOGNIZERS: frozenset[str] = frozenset(
    {"SpacyRecognizer", "TransformersRecognizer", "StanzaRecognizer"}
)


class Detector:
    """Detects caselens entities with one configured analyzer (cheap to keep, reuse it)."""

    def __init__(
        self,
        analyzer: AnalyzerEngine,
        *,
        score_threshold: float = DEFAULT_SCORE_THRESHOLD,
        language: str = "en",
        batch_size: int = 32,
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

    def detect(self, text: str) -> list[DetectedSpan]:
        """Non-overlapping spans of personal data (and event dates) in ``text``."""
        _check_text(text)
        if not text.strip():
            return []
        results = self._analyzer.analyze(text=text, language=self.language)
        return self._postprocess(text, results)

    def detect_many(self, texts: Iterable[str]) -> list[list[DetectedSpan]]:
        """``detect`` for many texts, running spaCy in batches (about 1.5x faster).

        Repeated texts (note titles such as "Home visit") are analysed once: a text's
        spans depend on that text only."""
        from presidio_analyzer import BatchAnalyzerEngine

        items = list(texts)
        for text in items:
            _check_text(text)
        unique = list(dict.fromkeys(items))
        batch = BatchAnalyzerEngine(analyzer_engine=self._analyzer)
        results = batch.analyze_iterator(unique, language=self.language, batch_size=self.batch_size)
        spans = {
            text: self._postprocess(text, found)
            for text, found in zip(unique, results, strict=True)
        }
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

    def _postprocess(self, text: str, results: Iterable[RecognizerResult]) -> list[DetectedSpan]:
        spans: list[DetectedSpan] = []
        for result in results:
            span = self._to_span(text, result)
            if span is not None and span.score >= self.score_threshold:
                spans.append(span)
        spans.extend(repeat_names(text, spans))
        return resolve_overlaps(spans, text)

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


def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise TypeError(f"detect expects str, got {type(text).__name__}")


def build_detector(
    config: AnalyzerConfig | None = None, score_threshold: float = DEFAULT_SCORE_THRESHOLD
) -> Detector:
    """A detector on the cached analyzer for ``config`` (fails closed, see analyzer.py)."""
    return _cached_detector(config or AnalyzerConfig(), float(score_threshold))


@lru_cache(maxsize=8)
def _cached_detector(config: AnalyzerConfig, score_threshold: float) -> Detector:
    return Detector(
        build_analyzer(config), score_threshold=score_threshold, language=config.language
    )


def detect(text: str, config: AnalyzerConfig | None = None) -> list[DetectedSpan]:
    """Spans of personal data in ``text`` with the default (or given) configuration."""
    return build_detector(config).detect(text)


def detect_many(
    texts: Iterable[str], config: AnalyzerConfig | None = None
) -> list[list[DetectedSpan]]:
    """``detect`` for many texts at once (batched through spaCy)."""
    return build_detector(config).detect_many(texts)
