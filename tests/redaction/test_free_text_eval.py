"""Scoring redaction on a free-text set in the pii.jsonl format (issue 24)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redaction.evaluation import (
    PiiItem,
    PiiSentence,
    load_pii_set,
    score_free_text,
    wilson_interval,
)

SENTENCES = [
    {
        "id": "T1",
        "name_origin": "polish",
        "style": "upper_case",
        "text": "VICTIM DARIUSZ ZIELINSKI, MARAC REFERRAL MADE.",
        "spans": [{"start": 7, "end": 24, "type": "PERSON", "value": "DARIUSZ ZIELINSKI"}],
        "keep": [{"start": 26, "end": 31, "value": "MARAC", "kind": "practice_term"}],
    },
    {
        "id": "T2",
        "name_origin": "ghanaian",
        "style": "lower_case",
        "text": "rang kwame re the CIN plan, lives in Leeds.",
        "spans": [{"start": 5, "end": 10, "type": "PERSON", "value": "kwame"}],
        "keep": [
            {"start": 18, "end": 21, "value": "CIN", "kind": "practice_term"},
            {"start": 37, "end": 42, "value": "Leeds", "kind": "place"},
        ],
    },
]


@pytest.fixture
def pii_file(tmp_path: Path) -> Path:
    path = tmp_path / "pii.jsonl"
    path.write_text("\n".join(json.dumps(s) for s in SENTENCES) + "\n", encoding="utf-8")
    return path


def test_scoring_counts_found_kept_and_false_positives() -> None:
    sentence = PiiSentence(
        "X1",
        "o",
        "s",
        "Seen Ann Lee and Mum at CAMHS.",
        (PiiItem(5, 12, "PERSON"),),
        (PiiItem(24, 29, "service"),),
    )
    # Half the name redacted is a miss; CAMHS redacted is a lost keep item and an FP.
    scores = score_free_text([sentence], [[(5, 8, "PERSON"), (24, 29, "ORGANISATION")]])
    assert (scores.recall.hit, scores.recall.total) == (0, 1)
    assert (scores.keep.hit, scores.keep.total) == (0, 1)
    assert scores.false_positives == 1
    report = scores.to_dict()
    assert report["worst"][0]["missed"] == [{"type": "PERSON", "start": 5, "end": 12}]
    full = score_free_text([sentence], [[(5, 12, "PERSON")]])
    assert full.recall.value == 1.0 and full.keep.value == 1.0 and full.false_positives == 0


def test_wilson_interval_is_sensible_at_the_edges() -> None:
    low, high = wilson_interval(20, 20)
    assert high == 1.0 and 0.8 < low < 0.9
    assert wilson_interval(0, 0) is None


def test_malformed_line_is_refused_without_its_values(tmp_path: Path) -> None:
    bad = dict(SENTENCES[0], spans=[{"start": 0, "end": 5, "type": "PERSON", "value": "WRONG"}])
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1") as info:
        load_pii_set(path)
    assert "WRONG" not in str(info.value) and "VICTIM" not in str(info.value)


def test_free_text_suite_scores_and_writes_no_values(
    detector, pii_file: Path, tmp_path: Path
) -> None:
    from evals.suites.redaction import run_free_text_set, write_free_text_outputs

    report = run_free_text_set(pii_file, detector)
    assert report["direct_identifier_recall"]["rate"] == 1.0
    assert report["keep_rate"]["rate"] == 1.0
    assert set(report["recall_by_name_origin"]) == {"polish", "ghanaian"}
    assert set(report["recall_by_style"]) == {"upper_case", "lower_case"}
    html = write_free_text_outputs(report, tmp_path / "out")
    written = html.read_text("utf-8") + (tmp_path / "out" / "summary.json").read_text("utf-8")
    for value in ("DARIUSZ", "ZIELINSKI", "kwame", "Leeds"):
        assert value not in written
