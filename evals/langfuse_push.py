"""Push the gold set and one run's per-case scores to Langfuse, when it is configured.

The gold questions become a Langfuse dataset (ids, question type, fact kind and expected
record ids: no text from any record), and each run becomes a dataset run (an experiment)
whose items carry the per-case scores, so evaluators can compare runs in Langfuse. With no
keys configured nothing is imported or sent and the evals work exactly the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DATASET = "caselens-gold-questions"
_SCORES = (
    "retrieval_recall",
    "facts_recalled",
    "facts_scored",
    "citations",
    "precise_citations",
    "unsupported_flagged",
    "chronology_errors",
    "latency_ms",
)


def configured(settings: Any) -> bool:
    secret = getattr(settings, "langfuse_secret_key", None)
    return bool(
        getattr(settings, "langfuse_public_key", "") and secret and secret.get_secret_value()
    )


def push(settings: Any, cases: Iterable[dict[str, Any]], run_name: str) -> dict[str, Any]:
    """Returns ``{"status": "skipped"}`` without keys, else what was pushed (counts)."""
    if settings is None or not configured(settings):
        return {"status": "skipped", "reason": "Langfuse keys are not configured"}
    from langfuse import Langfuse
    from langfuse.experiment import Evaluation

    rows = {str(c["question_id"]): c for c in cases}
    client = Langfuse(
        public_key=settings.langfuse_public_key,
        secret_key=settings.langfuse_secret_key.get_secret_value(),
        host=settings.langfuse_host,
    )
    client.create_dataset(name=DATASET, description="caselens gold questions (synthetic)")
    for qid, case in rows.items():
        client.create_dataset_item(
            dataset_name=DATASET,
            id=qid,
            input={"question_id": qid, "type": case["type"], "fact_kind": case["fact_kind"]},
            expected_output={"facts": case["facts_scored"]},
        )
    items = [i for i in client.get_dataset(DATASET).items if i.id in rows]

    def task(*, item: Any, **_: Any) -> dict[str, Any]:
        return {k: rows[item.id].get(k) for k in _SCORES}

    def scores(*, output: dict[str, Any], **_: Any) -> list[Any]:
        return [Evaluation(name=k, value=float(v)) for k, v in output.items() if v is not None]

    client.run_experiment(
        name=DATASET, run_name=run_name, data=items, task=task, evaluators=[scores]
    )
    client.flush()
    return {"status": "pushed", "dataset": DATASET, "items": len(items), "run": run_name}
