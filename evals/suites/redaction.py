"""Redaction suite: the real pseudonymiser scored against the estate's gold PII spans.

Overall and per-type recall/precision come from ``redaction.evaluation.score``; the same
scoring per family gives the per-family rows the fairness suite groups by name origin,
gender and disability. Rows carry counts only, never text.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evals.stack import EvalStack
from redaction.evaluation import load_gold_spans, load_name_origins, score


def family_traits(estate_dir: Path) -> dict[str, dict[str, str]]:
    """gold family id -> the group labels the fairness suite compares (index child's)."""
    gold = Path(estate_dir) / "gold"
    persons = {
        p["true_person_id"]: p
        for p in map(json.loads, (gold / "persons.jsonl").read_text("utf-8").splitlines())
    }
    traits: dict[str, dict[str, str]] = {}
    for line in (gold / "families.jsonl").read_text("utf-8").splitlines():
        family = json.loads(line)
        child = persons.get(family["index_child"], {})
        disability = str(child.get("disability") or "none")
        traits[family["family_id"]] = {
            "name_origin": str(family.get("name_origin", "unknown")),
            "gender": str(child.get("gender", "unknown")),
            "disability": "none" if disability == "none" else "disabled",
        }
    return traits


def run_redaction(
    stack: EvalStack, *, batch_size: int = 64, tick: Callable[[int], None] | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Pseudonymise (in memory) every stored record with gold spans and score it."""
    gold = load_gold_spans(stack.estate_dir)
    person_origin, family_origin, source_family = load_name_origins(stack.estate_dir)
    wanted = {(g.source_system, g.record_id) for g in gold}
    records = [r for r in stack.store.iter_records() if r.key in wanted]
    triples = []
    for start in range(0, len(records), batch_size):
        batch = records[start : start + batch_size]
        results = stack.pseudonymiser.pseudonymise_many(batch)
        for record, result in zip(batch, results, strict=True):
            triples.append(
                (result, {"title": record.title, "text": record.text}, list(record.person_ids))
            )
        if tick:
            tick(len(batch))
    overall = score(triples, gold, person_origin, family_origin, source_family)
    by_family: dict[str, list[Any]] = defaultdict(list)
    for triple in triples:
        system = triple[0].row.source_system
        family = next(
            (source_family[f"{system}:{p}"] for p in triple[2] if f"{system}:{p}" in source_family),
            None,
        )
        if family:
            by_family[family].append(triple)
    traits = family_traits(stack.estate_dir)
    rows = []
    for family, family_triples in sorted(by_family.items()):
        s = score(family_triples, gold, person_origin, family_origin, source_family)
        rows.append(
            {
                "family_id": family,
                **traits.get(family, {}),
                "direct_hit": s.direct_recall.hit,
                "direct_total": s.direct_recall.total,
                "person_hit": s.recall_by_type["PERSON"].hit,
                "person_total": s.recall_by_type["PERSON"].total,
            }
        )
    report = overall.to_dict()
    summary = {
        "records": report["records"],
        "gold_spans": report["gold_spans"],
        "recall": report["overall_recall"]["rate"],
        "precision": report["overall_precision"]["rate"],
        "direct_identifier_recall": report["direct_identifier_recall"]["rate"],
        "family_direct_identifier_recall": report["family_direct_identifier_recall"]["rate"],
        "direct_recall_gap_points_by_name_origin": report["direct_recall_gap_points"],
        "recall_by_type": {k: v["rate"] for k, v in report["recall_by_type"].items()},
        "misses_by_type": report["misses_by_type"],
    }
    return summary, rows
