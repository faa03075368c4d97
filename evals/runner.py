"""Run the eval suites end to end on a freshly generated estate and write the results.

generate estate (N families, seed) -> plant red-team note -> real stack (ingest, link,
redact, index) -> suites -> ``summary.json``, per-case JSONL, ``report.html``. The
fairness suite also builds a twin estate (one characteristic changed per family) through
the same real stack. Nothing here prints: progress goes to the ``Progress`` callbacks.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

SUITES: tuple[str, ...] = ("accuracy", "fairness", "redaction", "ehcp")


class Progress(Protocol):
    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...


class _Silent:
    def stage(self, name: str, total: int | None = None) -> None:
        return None

    def advance(self, n: int = 1) -> None:
        return None


@dataclass
class RunConfig:
    suites: tuple[str, ...]
    out_dir: Path
    families: int = 50
    seed: int = 2026
    generator: str = "extractive"
    #: Counterfactual pairs; default a fifth of the families, at least one per characteristic.
    pairs: int | None = None
    #: Ask every n-th phrasing of the refusal and factual sets (1: all; smoke runs sample).
    redteam_stride: int = 1
    #: Cap on gold questions per family (round-robin over question types); None: all.
    questions_per_family: int | None = None
    #: Loaded ``api.settings.Settings`` to take models, Ollama and Langfuse from.
    base_settings: Any = None

    def __post_init__(self) -> None:
        unknown = [s for s in self.suites if s not in SUITES]
        if unknown:
            raise ValueError(f"unknown suite(s) {unknown}; expected {', '.join(SUITES)}")
        if self.families < 2:
            raise ValueError("families must be at least 2 (one carries the red-team note)")
        if self.questions_per_family is not None and self.questions_per_family < 1:
            raise ValueError("questions_per_family must be at least 1")
        if self.redteam_stride < 1:
            raise ValueError("redteam_stride must be at least 1")
        if self.generator not in ("extractive", "ollama"):
            raise ValueError("generator must be extractive or ollama")

    @property
    def pair_count(self) -> int:
        wanted = self.pairs if self.pairs is not None else max(5, self.families // 5)
        return max(1, min(wanted, self.families))


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def _machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_avg_1m_at_end": round(load[0], 2),
    }


def run(config: RunConfig, progress: Progress | None = None) -> dict[str, Any]:
    """Run ``config.suites``; returns the summary also written to ``summary.json``."""
    from api.backends import Models
    from evals.estate import generate_estate
    from evals.redteam import plant_injection
    from evals.stack import build_stack
    from evals.suites import accuracy, ehcp, fairness, redaction
    from evals.twins import plan_pairs, write_twin_estate

    bar = progress or _Silent()
    out = Path(config.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    summary: dict[str, Any] = {
        "meta": {
            "families": config.families,
            "seed": config.seed,
            "generator": config.generator,
            "suites": list(config.suites),
            "pairs": config.pair_count,
            "redteam_stride": config.redteam_stride,
            "questions_per_family": config.questions_per_family,
        }
    }
    wanted = set(config.suites)
    need_cases = bool(wanted & {"accuracy", "fairness"})
    need_redaction = bool(wanted & {"redaction", "fairness"})
    stage_s: dict[str, float] = {}

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        t = time.perf_counter()
        value = fn()
        stage_s[name] = round(time.perf_counter() - t, 2)
        return value

    models = Models()
    with tempfile.TemporaryDirectory(prefix="caselens-evals-") as tmp:
        work = Path(tmp)
        bar.stage("generate estate")
        estate = work / "estate"
        timed("generate", lambda: generate_estate(estate, config.families, config.seed))
        injected_family, injection_key = "", None
        for index in range(config.families, 0, -1) if need_cases else ():
            injected_family = f"FAM-{index:05d}"  # the last family with an LCS case note
            injection_key = plant_injection(estate, injected_family)
            if injection_key is not None:
                break
        bar.stage("build stack (ingest, link, redact, index)")
        stack = timed(
            "stack",
            lambda: build_stack(
                estate,
                work / "base",
                generator=config.generator,
                base_settings=config.base_settings,
                models=models,
                progress=lambda s: bar.stage(f"build stack: {s}"),
            ),
        )
        summary["meta"]["stack_stages_s"] = stack.timings_s
        try:
            cases: list[Any] = []
            if need_cases:
                asked = select_questions(stack.questions, config.questions_per_family)
                bar.stage("answer gold questions", len(asked))
                cases = timed(
                    "answer", lambda: accuracy.ask_and_judge(stack, asked, tick=bar.advance)
                )
                _write_jsonl(out / "accuracy_cases.jsonl", [c.as_dict() for c in cases])
            if "accuracy" in wanted:
                bar.stage("red team")
                red_summary, red_rows = timed(
                    "red_team",
                    lambda: accuracy.red_team(
                        stack,
                        injection_family=injected_family,
                        injection_key=injection_key,
                        record_family=accuracy.record_families(estate),
                        stride=config.redteam_stride,
                        tick=bar.advance,
                    ),
                )
                summary["accuracy"] = {**accuracy.summarise(cases), "red_team": red_summary}
                _write_jsonl(out / "red_team.jsonl", red_rows)
            red_rows_by_family: list[dict[str, Any]] = []
            if need_redaction:
                bar.stage("score redaction", len(stack.record_text))
                red, red_rows_by_family = timed(
                    "redaction", lambda: redaction.run_redaction(stack, tick=bar.advance)
                )
                if "redaction" in wanted:
                    summary["redaction"] = red
                _write_jsonl(out / "redaction_families.jsonl", red_rows_by_family)
            ehcp_rows: list[dict[str, Any]] = []
            if "ehcp" in wanted:
                bar.stage("draft EHCPs", len(stack.family_subject))
                ehcp_rows = timed("ehcp", lambda: ehcp.draft_and_judge(stack, tick=bar.advance))
                summary["ehcp"] = ehcp.summarise(ehcp_rows)
                _write_jsonl(out / "ehcp_drafts.jsonl", ehcp_rows)
        finally:
            stack.close()
        if "fairness" in wanted:
            traits = redaction.family_traits(estate)
            pairs = plan_pairs(config.seed, list(range(config.pair_count)))
            twin_dir = work / "twins"
            write_twin_estate(twin_dir, config.seed, pairs)
            if injection_key is not None and injected_family in {p.family_id for p in pairs}:
                plant_injection(twin_dir, injected_family)  # the pair differs in one trait only
            bar.stage("build twin stack")
            twin = timed(
                "twin_stack",
                lambda: build_stack(
                    twin_dir,
                    work / "twin",
                    generator=config.generator,
                    base_settings=config.base_settings,
                    models=models,
                    progress=lambda s: bar.stage(f"build twin stack: {s}"),
                ),
            )
            try:
                asked_twin = select_questions(twin.questions, config.questions_per_family)
                bar.stage("answer twin questions", len(asked_twin))
                twin_cases = timed(
                    "twin_answer",
                    lambda: accuracy.ask_and_judge(twin, asked_twin, tick=bar.advance),
                )
                twin_drafts = ehcp.draft_and_judge(twin) if "ehcp" in wanted else []
            finally:
                twin.close()
            pair_families = {p.family_id for p in pairs}
            cf_summary, cf_rows = fairness.compare_pairs(
                pairs, [c for c in cases if c.family_id in pair_families], twin_cases
            )
            groups = fairness.group_metrics(cases, red_rows_by_family, traits)
            summary["fairness"] = {
                "counterfactual": cf_summary,
                "group_metrics": groups,
                "largest_gaps": fairness.largest_gaps(groups),
                "wording": fairness.wording_by_group(cases, traits),
            }
            if "ehcp" in wanted:
                summary["fairness"]["ehcp_counterfactual"] = ehcp.compare_drafts(
                    [r for r in ehcp_rows if r["family_id"] in pair_families], twin_drafts
                )
            _write_jsonl(out / "fairness_pairs.jsonl", cf_rows)
        if need_cases:
            summary["langfuse"] = _push_langfuse(config, cases)
    summary["meta"]["stage_s"] = stage_s
    summary["meta"]["wall_s"] = round(time.perf_counter() - started, 1)
    summary["meta"]["machine"] = _machine()
    (out / "summary.json").write_text(
        json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return summary


def select_questions(questions: list[Any], per_family: int | None) -> list[Any]:
    """At most ``per_family`` questions per family, taking question types in turn."""
    if per_family is None:
        return list(questions)
    by_family: dict[str, dict[str, list[Any]]] = {}
    for q in questions:
        by_family.setdefault(q.family_id, {}).setdefault(q.type, []).append(q)
    chosen: list[Any] = []
    for types in by_family.values():
        queues = [
            list(types[t]) for t in ("absence", "cross_system", "history", "presence") if t in types
        ]
        taken = 0
        while taken < per_family and any(queues):
            for queue in queues:
                if queue and taken < per_family:
                    chosen.append(queue.pop(0))
                    taken += 1
    order = {q.question_id: i for i, q in enumerate(questions)}
    return sorted(chosen, key=lambda q: order[q.question_id])


def _push_langfuse(config: RunConfig, cases: list[Any]) -> dict[str, Any]:
    from evals.langfuse_push import push

    run_name = f"{config.generator}-{config.families}f-seed{config.seed}-{int(time.time())}"
    try:
        return push(config.base_settings, [c.as_dict() for c in cases], run_name)
    except Exception as exc:  # a tracing backend never fails the evals
        return {"status": "failed", "error": type(exc).__name__}
