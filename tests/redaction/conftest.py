"""Redaction fixtures: Presidio and spaCy load once per test session (about 10 s)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from redaction.detect import Detector


@pytest.fixture(scope="session")
def detector() -> Detector:
    """The default caselens detector (packaged small English spaCy pipeline)."""
    from redaction.detect import build_detector

    return build_detector()


@pytest.fixture(scope="session")
def found(detector: Detector) -> Callable[[str], list[tuple[str, str]]]:
    """``found(text)`` -> [(entity_type, matched text), ...] in text order."""

    def run(text: str) -> list[tuple[str, str]]:
        return [(s.entity_type, text[s.start : s.end]) for s in detector.detect(text)]

    return run


@pytest.fixture(scope="session")
def matches() -> Callable[[Any, str], list[str]]:
    """``matches(recognizer, text)``: what one recognizer alone matches (no NLP, no context),
    keeping only matches at or above the detector's threshold."""
    from redaction.detect import DEFAULT_SCORE_THRESHOLD

    def run(recognizer: Any, text: str) -> list[str]:
        results = recognizer.analyze(text, recognizer.supported_entities)
        return sorted(text[r.start : r.end] for r in results if r.score >= DEFAULT_SCORE_THRESHOLD)

    return run
