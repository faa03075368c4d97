"""detect / detect_many: caselens entity names, thresholds, batching, merging known spans."""

from __future__ import annotations

import itertools

import pytest

from redaction.entities import CASELENS_ENTITIES
from redaction.spans import DetectedSpan

NOTE = (
    "Grandmother Margaret Evans called from 0113 496 0123 about Freddie (DOB 12/03/2015). "
    "Mum lives at Flat 3, 27 Mill Lane, Leeds LS6 2QR; mobile +44 7700 900456, "
    "email jane.doe@example.org. He attends Brookfield Primary School (UPN B801200005001) and "
    "is registered at Riverside Medical Centre, NHS 943 476 5919. Visit on 03/04/2024, "
    "ref LCS/2024/00123."
)


def test_a_realistic_note(found) -> None:
    spans = found(NOTE)
    expected = {
        ("PERSON", "Margaret Evans"),
        ("PHONE", "0113 496 0123"),
        ("DATE_OF_BIRTH", "12/03/2015"),
        ("ADDRESS", "Flat 3, 27 Mill Lane, Leeds"),
        ("POSTCODE", "LS6 2QR"),
        ("PHONE", "+44 7700 900456"),
        ("EMAIL", "jane.doe@example.org"),
        ("SCHOOL", "Brookfield Primary School"),
        ("UPN", "B801200005001"),
        ("GP_PRACTICE", "Riverside Medical Centre"),
        ("NHS_NUMBER", "943 476 5919"),
        ("DATE", "03/04/2024"),
        ("CASE_REFERENCE", "LCS/2024/00123"),
    }
    assert expected <= set(spans)
    assert all(t in CASELENS_ENTITIES for t, _ in spans)


def test_spans_are_sorted_and_disjoint(detector) -> None:
    spans = detector.detect(NOTE)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_detect_many_matches_detect(detector) -> None:
    texts = [NOTE, "", "Nothing personal here.", "Call 07700 900123 tomorrow."]
    assert detector.detect_many(texts) == [detector.detect(t) for t in texts]


def test_threshold_drops_weak_spans(detector) -> None:
    from redaction.detect import Detector

    strict = Detector(detector._analyzer, score_threshold=0.95)
    kept = strict.detect(NOTE)
    assert kept and all(s.score >= 0.95 for s in kept)
    assert len(kept) < len(detector.detect(NOTE))


def test_known_identifiers_win_when_merged(detector) -> None:
    text = "Seen Freddie at home with Margaret Evans."
    known = [DetectedSpan(5, 12, "PERSON", 1.0, "known:LCS-P1", "known")]
    merged = detector.merge(text, detector.detect(text), known)
    assert merged[0] == known[0]
    assert all(a.end <= b.start for a, b in itertools.pairwise(merged))
    with pytest.raises(ValueError):
        detector.merge("short", [], known)


@pytest.mark.parametrize("bad", [None, 42, b"bytes"])
def test_non_text_input_is_rejected(detector, bad: object) -> None:
    with pytest.raises(TypeError):
        detector.detect(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        detector.detect_many(["ok", bad])  # type: ignore[list-item]


def test_span_repr_carries_no_text(detector) -> None:
    spans = detector.detect("Margaret Evans rang 07700 900123.")
    assert spans and not any("Margaret" in repr(s) or "07700" in repr(s) for s in spans)
