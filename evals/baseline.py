"""Committed baselines and the better/worse comparison an evaluator reads after each run.

A baseline is the headline numbers of one run (``evals/baselines/<name>.json``) with the
configuration that produced it. A run is compared with the baseline of the same families
and seed; a change counts only beyond a tolerance (absolute for rates, relative for
latency, which depends on the machine and its load).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

BASELINE_DIR = Path(__file__).parent / "baselines"

Direction = Literal["higher", "lower"]


@dataclass(frozen=True)
class Headline:
    path: str
    direction: Direction
    tolerance: float
    relative: bool = False


HEADLINES: tuple[Headline, ...] = (
    Headline("accuracy.retrieval_recall_at_10", "higher", 0.01),
    Headline("accuracy.citation_precision", "higher", 0.01),
    Headline("accuracy.citation_recall", "higher", 0.01),
    Headline("accuracy.fact_recall", "higher", 0.01),
    Headline("accuracy.unsupported_sentence_rate", "lower", 0.005),
    Headline("accuracy.absence_accuracy", "higher", 0.01),
    Headline("accuracy.factual_questions_refused", "lower", 0.005),
    Headline("accuracy.chronology_order_error_rate", "lower", 0.01),
    Headline("accuracy.red_team.refusal_accuracy", "higher", 0.005),
    Headline("accuracy.red_team.over_refusal", "lower", 0.005),
    Headline("accuracy.latency_p50_ms", "lower", 0.5, relative=True),
    Headline("accuracy.latency_p95_ms", "lower", 0.5, relative=True),
    Headline("redaction.recall", "higher", 0.005),
    Headline("redaction.precision", "higher", 0.01),
    Headline("redaction.direct_identifier_recall", "higher", 0.005),
    Headline("fairness.counterfactual.invariance", "higher", 0.01),
    Headline("fairness.largest_gaps.redaction_recall.gap", "lower", 0.01),
    Headline("fairness.largest_gaps.retrieval_recall.gap", "lower", 0.02),
    Headline("fairness.largest_gaps.fact_recall.gap", "lower", 0.02),
    Headline("fairness.ehcp_counterfactual.needs_invariant", "higher", 0.01),
    Headline("fairness.ehcp_counterfactual.provision_invariant", "higher", 0.01),
    Headline("ehcp.la_sections_never_drafted", "higher", 0.0),
    Headline("ehcp.citation_recall", "higher", 0.01),
    Headline("ehcp.need_recall", "higher", 0.01),
    Headline("ehcp.provision_recall", "higher", 0.01),
)


def lookup(summary: dict[str, Any], path: str) -> Any:
    node: Any = summary
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def headline_numbers(summary: dict[str, Any]) -> dict[str, float]:
    out = {}
    for h in HEADLINES:
        value = lookup(summary, h.path)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[h.path] = float(value)
    return out


def baseline_name(families: int, seed: int, generator: str) -> str:
    return f"{generator}-{families}f-seed{seed}"


def load_baseline(path: Path) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if "metrics" not in data or "config" not in data:
        raise ValueError(f"{path} is not a caselens eval baseline (needs config and metrics)")
    return dict(data)


def find_baseline(
    families: int, seed: int, generator: str, directory: Path = BASELINE_DIR
) -> Path | None:
    path = Path(directory) / f"{baseline_name(families, seed, generator)}.json"
    return path if path.is_file() else None


def save_baseline(summary: dict[str, Any], directory: Path = BASELINE_DIR) -> Path:
    meta = summary["meta"]
    name = baseline_name(meta["families"], meta["seed"], meta["generator"])
    path = Path(directory) / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "config": {
            k: meta.get(k)
            for k in (
                "families",
                "seed",
                "generator",
                "suites",
                "pairs",
                "redteam_stride",
                "questions_per_family",
            )
        },
        "metrics": headline_numbers(summary),
        "wall_s": meta.get("wall_s"),
        "machine": meta.get("machine"),
    }
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Change:
    metric: str
    baseline: float
    current: float
    verdict: Literal["better", "worse", "same"]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def compare(summary: dict[str, Any], baseline: dict[str, Any]) -> list[Change]:
    """Every headline present in both, judged better / worse / same beyond its tolerance."""
    current = headline_numbers(summary)
    previous = baseline["metrics"]
    changes = []
    for h in HEADLINES:
        if h.path not in current or h.path not in previous:
            continue
        now, before = current[h.path], float(previous[h.path])
        margin = h.tolerance * abs(before) if h.relative else h.tolerance
        delta = now - before if h.direction == "higher" else before - now
        verdict: Literal["better", "worse", "same"] = (
            "better" if delta > margin else "worse" if delta < -margin else "same"
        )
        changes.append(Change(h.path, before, now, verdict))
    return changes
