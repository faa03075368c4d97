"""Development-set suite: an independent case-estate set through the real stack.

A development set folder (its own FORMAT.md) holds ``extracts/<SYSTEM>/`` (people and
records, exactly what a council's export gives ``caselens ingest``), ``questions.jsonl``
(questions with gold record ids, facts, must-not-cite records and expected refusals) and
no gold linkage for the code under test. The suite builds the stack the way production
loads an export (``evals.stack.build_core_stack``: ingest, link, redact, index, answer
service; no gold questions), then asks every question in file order as its asking role,
whose caseload is the subject's family, and judges the answers (``evals.devset_judge``).

The subject of a question is a source person id (any system); the case store's linkage
maps it to a linked person (``LP-...``) and that person's family (``FAM-...``). A question
that ``follows`` another reuses that question's conversation state.

Fast reruns: ``workdir`` keeps the built store and index; a later run with the same
extracts and settings only asks the questions (seconds).

    .venv/bin/python -m evals.suites.devset --devset ../shared/devset \\
        --workdir /tmp/devset-work [--qid Q05] [--verbose]

``caselens evals run --suite devset --out DIR`` runs the same and writes the files.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.devset_judge import DevCase, DevQuestion, judge_case, load_questions, summarise
from evals.devset_judge import summarise_by_type as by_type

QUESTIONS_FILE = "questions.jsonl"
PEOPLE_FILE = "people.jsonl"
#: Where the shared development set sits relative to a checkout (cwd).
DEFAULT_RELATIVE = Path("..") / "shared" / "devset"

Note = Callable[[str], None]
Tick = Callable[[int], None]


class DevsetError(ValueError):
    """The development set folder is missing or malformed."""


def default_devset() -> Path:
    """``../shared/devset`` relative to the working directory, when it exists."""
    path = Path.cwd() / DEFAULT_RELATIVE
    if not (path / QUESTIONS_FILE).is_file():
        raise DevsetError(
            f"no development set at {path.resolve()} (no {QUESTIONS_FILE}); "
            "pass --devset PATH to a folder with extracts/ and questions.jsonl"
        )
    return path


def check_devset(path: Path) -> Path:
    path = Path(path)
    if not (path / QUESTIONS_FILE).is_file():
        raise DevsetError(f"{path} has no {QUESTIONS_FILE}")
    if not (path / "extracts").is_dir():
        raise DevsetError(f"{path} has no extracts/ folder")
    return path


def person_systems(devset: Path) -> dict[str, str]:
    """Source person id -> its source system, from every ``extracts/<SYSTEM>/people.jsonl``."""
    found: dict[str, str] = {}
    for people in sorted((Path(devset) / "extracts").glob(f"*/{PEOPLE_FILE}")):
        for line in people.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                found[str(row["person_id"])] = str(row.get("source_system") or people.parent.name)
    return found


@dataclass
class SubjectResolver:
    """Source person id -> (linked person id, family id) through the case store."""

    store: Any
    systems: dict[str, str]
    _record_people: dict[tuple[str, str], frozenset[str] | None] = field(default_factory=dict)

    def resolve(self, person_id: str) -> tuple[str, str | None]:
        system = self.systems.get(person_id)
        if system is None:
            raise LookupError(f"subject {person_id} is in no people.jsonl of the set")
        linked = self.store.linked_person_of(system, person_id)
        if not linked:
            raise LookupError(f"subject {system}:{person_id} has no linked person in the store")
        family = self.store.family_of(str(linked))
        return str(linked), (family.family_id if family is not None else None)

    def record_people(self, system: str, record_id: str) -> frozenset[str] | None:
        """Linked person ids a stored record is about (cached)."""
        key = (system, record_id)
        if key not in self._record_people:
            record = self.store.get_record(system, record_id)
            if record is None:
                self._record_people[key] = None
            else:
                linked = self.store.linked_ids_of(system, list(record.person_ids))
                self._record_people[key] = frozenset(str(v) for v in linked.values() if v)
        return self._record_people[key]


def with_predecessors(questions: Sequence[DevQuestion], qids: Iterable[str]) -> list[DevQuestion]:
    """The chosen questions plus every question their conversations follow, in file order."""
    by_id = {q.qid: q for q in questions}
    wanted: set[str] = set()
    for qid in qids:
        if qid not in by_id:
            raise DevsetError(f"no question {qid} in the set")
        current: str | None = qid
        while current is not None and current not in wanted:
            wanted.add(current)
            current = by_id[current].follows
    return [q for q in questions if q.qid in wanted]


def ask_and_judge(
    stack: Any,
    questions: Sequence[DevQuestion],
    resolver: SubjectResolver,
    *,
    tick: Tick | None = None,
    fail_fast: bool = False,
) -> tuple[list[DevCase], dict[str, Any]]:
    """Ask ``questions`` in order (follow-ups share their chain's conversation state);
    returns the judged cases and each qid's Answer as JSON. A question whose answer
    raises is judged as unanswered with the error recorded (``fail_fast``: re-raise)."""
    from assistant.conversation import ConversationState
    from retrieval.principal import Principal

    states: dict[str, ConversationState] = {}
    cases: list[DevCase] = []
    answers: dict[str, Any] = {}
    for q in questions:
        subject: str | None = None
        family_id: str | None = None
        try:
            subject, family_id = resolver.resolve(q.subject_person_id)
        except LookupError as exc:
            cases.append(
                judge_case(
                    q,
                    None,
                    subject=None,
                    family_id=None,
                    record_people=resolver.record_people,
                    error=str(exc),
                )
            )
            answers[q.qid] = None
            if tick:
                tick(1)
            continue
        state = states[q.follows] if q.follows in states else ConversationState()
        states[q.qid] = state
        caseload = [family_id] if family_id else [subject]
        principal = Principal.with_caseload(f"devset-{q.asking_role}", q.asking_role, caseload)
        start = time.perf_counter()
        try:
            answer = stack.service.ask(principal, subject, q.question, state)
        except Exception as exc:  # one broken answer must not hide the other 39
            if fail_fast:
                raise
            cases.append(
                judge_case(
                    q,
                    None,
                    subject=subject,
                    family_id=family_id,
                    record_people=resolver.record_people,
                    error=f"{type(exc).__name__}: {exc}",
                )
            )
            answers[q.qid] = {"error": traceback.format_exc()}
            if tick:
                tick(1)
            continue
        latency = (time.perf_counter() - start) * 1000
        answers[q.qid] = answer.model_dump(mode="json")
        cases.append(
            judge_case(
                q,
                answer,
                subject=subject,
                family_id=family_id,
                record_people=resolver.record_people,
                latency_ms=latency,
            )
        )
        if tick:
            tick(1)
    return cases, answers


@dataclass
class DevsetRun:
    summary: dict[str, Any]
    cases: list[DevCase]
    answers: dict[str, Any]


def run_devset(
    devset: Path,
    *,
    workdir: Path | None = None,
    rebuild: bool = False,
    generator: str = "extractive",
    base_settings: Any | None = None,
    qids: Sequence[str] = (),
    note: Note | None = None,
    tick: Tick | None = None,
    fail_fast: bool = False,
    models: Any = None,
) -> DevsetRun:
    """Build (or reopen, with ``workdir``) the stack over ``devset`` and judge every
    question (or only ``qids``, with the questions their conversations follow).
    ``models``: an ``api.backends.Models`` to share already loaded models."""
    from evals.stack import build_core_stack

    say = note or (lambda _msg: None)
    devset = check_devset(devset)
    questions = load_questions(devset / QUESTIONS_FILE)
    chosen = set(qids) if qids else {q.qid for q in questions}
    asked = with_predecessors(questions, chosen) if qids else questions
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="caselens-devset-") as tmp:
        stack = build_core_stack(
            devset,
            Path(workdir) if workdir is not None else Path(tmp),
            generator=generator,
            base_settings=base_settings,
            progress=lambda stage: say(f"stack: {stage}"),
            keep=workdir is not None,
            rebuild=rebuild,
            models=models,
        )
        build_s = round(time.perf_counter() - started, 2)
        try:
            say(f"asking {len(asked)} question(s)")
            resolver = SubjectResolver(stack.store, person_systems(devset))
            t = time.perf_counter()
            cases, answers = ask_and_judge(stack, asked, resolver, tick=tick, fail_fast=fail_fast)
            answer_s = round(time.perf_counter() - t, 2)
        finally:
            stack.close()
    judged = [c for c in cases if c.qid in chosen]
    summary = {
        "meta": {
            "devset": str(Path(devset).resolve()),
            "generator": generator,
            "questions": len(judged),
            "qids": sorted(chosen) if qids else "all",
            "workdir": str(workdir) if workdir is not None else None,
            "reused_build": bool(stack.timings_s.get("reused")),
            "stack_stages_s": stack.timings_s,
            "build_s": build_s,
            "answer_s": answer_s,
            "wall_s": round(time.perf_counter() - started, 1),
        },
        "overall": summarise(judged),
        "by_type": by_type(judged),
    }
    return DevsetRun(summary, judged, {c.qid: answers.get(c.qid) for c in judged})


def write_outputs(run: DevsetRun, out: Path) -> None:
    """``summary.json`` and ``cases.jsonl`` (one judged case with its answer per line)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(
        json.dumps(run.summary, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    with (out / "cases.jsonl").open("w", encoding="utf-8") as handle:
        for case in run.cases:
            row = {**case.as_dict(), "answer": run.answers.get(case.qid)}
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


# --- printing -------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _of(num: int, den: int) -> str:
    return f"{num}/{den}" if den else "-"


def type_table(summary: dict[str, Any]) -> Any:
    """A rich table: one row per question type, then the overall row."""
    from rich.table import Table

    table = Table(
        title="Development set, per question type",
        caption=(
            "recall: cited gold / gold (mean); full: every gold record cited; f.abs: false "
            "'Nothing ... recorded'; mnc: must-not-cite citations; offsubj: non-gold "
            "citations about others; wrong: wrong-subject answers; facts~: approximate "
            "word overlap"
        ),
    )
    columns = (
        "type",
        "n",
        "recall",
        "full",
        "f.abs",
        "refused",
        "over",
        "mnc",
        "offsubj",
        "wrong",
        "abs ok",
        "cites",
        "facts~",
        "p50ms",
        "err",
    )
    for name in columns:
        table.add_column(name, justify="left" if name == "type" else "right")

    def row(name: str, s: dict[str, Any], style: str | None = None) -> None:
        table.add_row(
            name,
            str(s["questions"]),
            _pct(s["record_recall"]),
            _of(s["fully_cited"], s["answerable"]),
            str(s["false_absences"]),
            _of(s["refused_when_expected"], s["expect_refusal"]),
            str(s["over_refusals"]),
            str(s["must_not_cite_violations"]),
            str(s["off_subject_citations"]),
            str(s["wrong_subject_answers"]),
            _of(s["absence_correct"], s["absence_scored"]),
            "-" if s["citations_mean"] is None else f"{s['citations_mean']:.1f}",
            _pct(s["fact_overlap_approx"]),
            "-" if s["latency_ms_p50"] is None else f"{s['latency_ms_p50']:.0f}",
            str(s["errors"]) if s["errors"] else "",
            style=style,
        )

    for name, s in summary["by_type"].items():
        row(name, s)
    table.add_section()
    row("ALL", summary["overall"], style="bold")
    return table


def headline(summary: dict[str, Any]) -> str:
    s = summary["overall"]
    return (
        f"record recall {_pct(s['record_recall'])} (micro {_pct(s['record_recall_micro'])}), "
        f"fully cited {_of(s['fully_cited'], s['answerable'])}, "
        f"false absences {s['false_absences']}, "
        f"refused {_of(s['refused_when_expected'], s['expect_refusal'])}, "
        f"over-refusals {s['over_refusals']}, "
        f"must-not-cite {s['must_not_cite_violations']}, "
        f"off-subject citations {s['off_subject_citations']}, "
        f"wrong-subject answers {s['wrong_subject_answers']}, "
        f"absence ok {_of(s['absence_correct'], s['absence_scored'])}, "
        f"latency p50/p95 {s['latency_ms_p50']}/{s['latency_ms_p95']} ms"
    )


def verdict_line(case: DevCase) -> str:
    """One line per question: what was asked as whom, and how it went."""
    recall = "-" if case.recall is None else f"{len(case.cited_gold)}/{len(case.gold_record_ids)}"
    flags = []
    if case.error:
        flags.append(f"ERROR {case.error}")
    if case.false_absence:
        flags.append("FALSE-ABSENCE")
    if case.over_refusal:
        flags.append("OVER-REFUSED")
    if case.expect_refusal and not case.refused:
        flags.append("NOT-REFUSED")
    if case.must_not_cite_hits:
        flags.append(f"MUST-NOT-CITE {','.join(case.must_not_cite_hits)}")
    if case.absence_correct is False:
        flags.append("ABSENCE-WRONG")
    if case.wrong_subject:
        flags.append("WRONG-SUBJECT")
    missed = ",".join(case.missed_gold) or "-"
    return (
        f"{case.qid:<4} {case.type:<20} {case.role:<18} recall {recall:<5} "
        f"refused={'yes' if case.refused else 'no'} absence={case.absence or '-'} "
        f"off={len(case.off_subject)} cited=[{','.join(case.cited)}] missed=[{missed}]"
        + (f"  << {' '.join(flags)}" if flags else "")
    )


def print_report(
    run: DevsetRun, *, verbose: bool = False, lines: bool = True, console: Any = None
) -> None:
    from rich.console import Console
    from rich.markup import escape

    if console is None:
        console = Console() if sys.stdout.isatty() else Console(width=200)
    if lines:
        for case in run.cases:
            console.print(escape(verdict_line(case)), highlight=False, soft_wrap=True)
            failure = run.answers.get(case.qid)
            if verbose and case.error and isinstance(failure, dict) and "error" in failure:
                console.print(escape(str(failure["error"])), highlight=False, soft_wrap=True)
            if verbose:
                for s in case.sentences:
                    mark = "" if s["supported"] else " (UNSUPPORTED)"
                    cites = ",".join(s["cites"])
                    kind = (
                        "outcome"
                        if s.get("outcome")
                        else "account"
                        if s.get("account")
                        else s["kind"]
                    )
                    how = f" ({s['provenance']})" if s.get("provenance") else ""
                    console.print(
                        escape(f"      [{kind}{mark}] {s['text']}  <{cites}>{how}"),
                        highlight=False,
                        soft_wrap=True,
                    )
    console.print(type_table(run.summary))
    console.print(escape(headline(run.summary)), highlight=False, soft_wrap=True)
    meta = run.summary["meta"]
    console.print(
        f"build {meta['build_s']} s ({'reused' if meta['reused_build'] else 'built'}), "
        f"answers {meta['answer_s']} s",
        highlight=False,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evals.suites.devset",
        description="Judge the assistant on a development set (fast reruns with --workdir).",
    )
    parser.add_argument("--devset", type=Path, help="set folder (default ../shared/devset)")
    parser.add_argument(
        "--workdir", type=Path, help="keep the built store and index here; reused when unchanged"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="build again even if --workdir has a build"
    )
    parser.add_argument("--qid", action="append", default=[], help="only this question (repeat)")
    parser.add_argument("--out", type=Path, help="also write summary.json and cases.jsonl here")
    parser.add_argument("--generator", default="extractive", choices=("extractive", "ollama"))
    parser.add_argument("--verbose", action="store_true", help="print answer sentences")
    parser.add_argument(
        "--fail-fast", action="store_true", help="stop with the traceback on the first error"
    )
    args = parser.parse_args(argv)

    from api.settings import load_settings

    try:
        devset = check_devset(args.devset) if args.devset else default_devset()
    except DevsetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    qids = [q.strip() for raw in args.qid for q in raw.split(",") if q.strip()]
    run = run_devset(
        devset,
        workdir=args.workdir,
        rebuild=args.rebuild,
        generator=args.generator,
        base_settings=load_settings(),
        qids=qids,
        note=lambda msg: print(msg, file=sys.stderr, flush=True),
        fail_fast=args.fail_fast,
    )
    reliability: dict[str, Any] | None = None
    if not qids and (devset / "extracts").is_dir():
        from evals.reliability_eval import LabelDriftError, evaluate_devset, summary_line

        try:
            # Source-of-knowledge labels against the hand labels of this set's sentences
            # (labelled for the shared development set; another set has none).
            reliability = evaluate_devset(devset)
            run.summary["reliability"] = reliability
            from evals.outcome_eval import evaluate_all as outcomes_evaluate

            # Each hand-labelled claim with the outcome its record states, or none (each
            # labelled file on its own).
            run.summary["allegation_outcomes"] = outcomes_evaluate(devset)
        except LabelDriftError as exc:
            print(f"reliability labels not scored: {exc}", file=sys.stderr)
    if args.out:
        write_outputs(run, args.out)
    print_report(run, verbose=args.verbose)
    if reliability is not None:
        for name, result in reliability.items():
            print(summary_line(result, f" ({name})"))
    if "allegation_outcomes" in run.summary:
        from evals.outcome_eval import summary_line as outcomes_line

        for name, result in run.summary["allegation_outcomes"].items():
            print(outcomes_line(result, f" ({name} labels)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
