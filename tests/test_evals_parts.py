"""The evals' parts without the model stack: judging, fairness maths, twins, baselines,
report and run configuration. Fast; the real end-to-end gate is test_evals_smoke.py."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assistant.contracts import Answer, AnswerSentence, Citation
from evals.baseline import compare, find_baseline, headline_numbers, load_baseline, save_baseline
from evals.judge import CaseResult, chronology_errors, judge, lexicon_hits, supports
from evals.questions import GoldQuestion
from evals.runner import RunConfig, select_questions
from evals.suites.fairness import compare_pairs, group_metric, group_metrics, largest_gaps
from evals.twins import CHARACTERISTICS, plan_pairs, write_twin_estate

KEY_A = ("POLICE", "POL-1")
KEY_B = ("LCS", "LCS-2")
TEXTS = {
    KEY_A: "Police attended after a report of domestic abuse; [Mother] had a cut lip.",
    KEY_B: "Social worker visited. [Child 1] was excluded from school for fighting.",
}


def _question(qtype: str = "history", keys=(KEY_A,)) -> GoldQuestion:
    return GoldQuestion(
        "FAM-00001-Q01", qtype, "FAM-00001", "domestic_abuse", "q?", "FAM-x", "LP-x", tuple(keys)
    )


def _answer(sentences: list[AnswerSentence], keys: list[tuple[str, str]]) -> Answer:
    cites = [
        Citation(
            n=i + 1,
            record_id=k[1],
            source_system=k[0],
            record_type="note",
            occurred_at=date(2024, 1, 1),
            source_url="u",
        )
        for i, k in enumerate(keys)
    ]
    return Answer(answer_id="a", question="q?", sentences=sentences, citations=cites)


def test_supports_needs_the_sentence_words_in_the_cited_text():
    assert supports("Police attended after a report of domestic abuse.", [TEXTS[KEY_A]])
    assert not supports("Police attended after a report of domestic abuse.", [TEXTS[KEY_B]])


def test_alce_citation_precision_flags_an_unneeded_citation():
    sentence = AnswerSentence(
        text="Police attended after a report of domestic abuse.",
        citations=[1, 2],
        occurred_at=date(2024, 1, 1),
    )
    result = judge(
        _question(),
        _answer([sentence], [KEY_A, KEY_B]),
        latency_ms=5,
        retrieved=[KEY_B, KEY_A],
        record_text=TEXTS,
        facts=[],
    )
    assert result.citations == 2
    assert result.precise_citations == 1  # the exclusion note neither supports nor is needed
    assert result.sentences_with_citation_support == 1
    assert result.retrieval_recall == 1.0


def test_unsupported_and_unrelated_citations_are_counted():
    wrong = AnswerSentence(text="Police attended after a report of domestic abuse.", citations=[1])
    flagged = AnswerSentence(text="Something nobody wrote.", supported=False)
    result = judge(
        _question(),
        _answer([wrong, flagged], [KEY_B]),
        latency_ms=1,
        retrieved=[KEY_B],
        record_text=TEXTS,
        facts=[],
    )
    assert result.sentences_with_citation_support == 0
    assert result.precise_citations == 0
    assert result.unsupported_flagged == 1
    assert result.retrieval_recall == 0.0


def test_fact_recall_needs_the_phrase_and_a_citation_of_the_fact_record():
    fact = {
        "fact_id": "F1",
        "kind": "exclusion",
        "details": {"reason": "fighting"},
        "record_keys": [list(KEY_B)],
    }
    said = AnswerSentence(text="[Child 1] was excluded from school for fighting.", citations=[1])
    right = judge(
        _question(keys=(KEY_B,)),
        _answer([said], [KEY_B]),
        latency_ms=1,
        retrieved=None,
        record_text=TEXTS,
        facts=[fact],
    )
    wrong_record = judge(
        _question(keys=(KEY_B,)),
        _answer([said], [KEY_A]),
        latency_ms=1,
        retrieved=None,
        record_text=TEXTS,
        facts=[fact],
    )
    assert (right.facts_scored, right.facts_recalled, right.recalled_fact_ids) == (1, 1, ["F1"])
    assert (wrong_record.facts_recalled, wrong_record.missed_fact_ids) == (0, ["F1"])


def test_absence_and_chronology():
    absent = AnswerSentence(text="Nothing about this is recorded.", kind="absence")
    result = judge(
        _question("absence", keys=()),
        _answer([absent], []),
        latency_ms=1,
        retrieved=None,
        record_text=TEXTS,
        facts=[],
    )
    assert result.absence_ok is True and result.retrieval_recall is None
    assert chronology_errors(["2024-01-02", "2024-01-01", "2024-03-01"]) == 1
    assert chronology_errors(["2024-01-01", "2024-01-01"]) == 0


def test_lexicon_counts_judgemental_and_minimising_wording():
    hits = lexicon_hits(["Mother was hostile; it was only a minor incident.", "Attended."])
    assert hits == {"judgemental": 1, "minimising": 2}


def _case(family: str, recall: float, facts: tuple[int, int], **kw) -> CaseResult:
    return CaseResult(
        question_id=kw.pop("qid", f"{family}-Q01"),
        type="history",
        family_id=family,
        fact_kind="k",
        subject="S",
        latency_ms=1.0,
        refused=False,
        retrieval_recall=recall,
        facts_scored=facts[0],
        facts_recalled=facts[1],
        **kw,
    )


def test_group_metrics_report_gap_and_ratio_with_fairlearn():
    traits = {
        "F1": {"name_origin": "a", "gender": "male", "disability": "none"},
        "F2": {"name_origin": "b", "gender": "male", "disability": "disabled"},
    }
    cases = [_case("F1", 1.0, (4, 4)), _case("F2", 0.5, (4, 2))]
    rows = [
        {"family_id": "F1", "direct_hit": 10, "direct_total": 10},
        {"family_id": "F2", "direct_hit": 9, "direct_total": 10},
    ]
    metrics = group_metrics(cases, rows, traits)
    origin = metrics["fact_recall"]["name_origin"]
    assert origin["by_group"] == {"a": 1.0, "b": 0.5}
    assert (origin["gap"], origin["ratio"]) == (0.5, 0.5)
    assert metrics["fact_recall"]["gender"]["gap"] == 0.0
    assert metrics["redaction_recall"]["disability"]["by_group"] == {"disabled": 0.9, "none": 1.0}
    gaps = largest_gaps(metrics)
    assert gaps["retrieval_recall"]["gap"] == 0.5
    assert gaps["retrieval_recall"]["grouping"] in ("name_origin", "disability")
    assert group_metric([], []) == {}


def test_counterfactual_comparison_names_what_changed():
    from evals.twins import TwinPair

    pairs = [TwinPair("F1", 0, "gender", "male", "female")]
    base = [
        _case(
            "F1",
            1,
            (1, 1),
            qid="F1-Q1",
            cited_keys=[["A", "1"]],
            recalled_fact_ids=["x"],
            chronology=["2024-01-01"],
        ),
        _case("F1", 1, (1, 1), qid="F1-Q2", cited_keys=[["A", "1"]]),
    ]
    twin = [
        _case(
            "F1",
            1,
            (1, 1),
            qid="F1-Q1",
            cited_keys=[["A", "1"]],
            recalled_fact_ids=["x"],
            chronology=["2024-01-01"],
        ),
        _case("F1", 1, (1, 0), qid="F1-Q2", cited_keys=[["A", "2"]], minimising=1),
    ]
    summary, rows = compare_pairs(pairs, base, twin)
    assert summary["invariance"] == 0.5
    assert summary["what_changed"] == {"citations": 1, "wording": 1}
    assert rows[1]["changed"] == ["citations", "wording"]
    # The same answer with an item labelled differently for the twin is not invariant.
    base[0].provenance = ["third_party_allegation", "observed+outcome"]
    twin[0].provenance = ["third_party_allegation", "observed+outcome"]
    assert compare_pairs(pairs, base, twin)[1][0]["invariant"] is True
    twin[0].provenance = ["unknown", "observed+outcome"]
    summary, rows = compare_pairs(pairs, base, twin)
    assert rows[0]["changed"] == ["labels"] and rows[0]["invariant"] is False


def test_twins_change_one_characteristic_and_keep_the_records(tmp_path: Path):
    from evals.estate import generate_estate

    pairs = plan_pairs(9, list(range(5)))
    assert [p.characteristic for p in pairs] == list(CHARACTERISTICS)
    assert all(p.base_value != p.twin_value for p in pairs)
    generate_estate(tmp_path / "base", families=5, seed=9)
    write_twin_estate(tmp_path / "twin", 9, pairs)

    def ids(root: Path) -> list[str]:
        return [
            json.loads(x)["record_id"]
            for s in sorted((root / "extracts").iterdir())
            for x in (s / "records.jsonl").read_text().splitlines()
        ]

    assert sorted(ids(tmp_path / "twin")) == sorted(ids(tmp_path / "base"))
    persons = [
        json.loads(x) for x in (tmp_path / "twin/gold/persons.jsonl").read_text().splitlines()
    ]
    base_persons = [
        json.loads(x) for x in (tmp_path / "base/gold/persons.jsonl").read_text().splitlines()
    ]
    first = {p["true_person_id"]: p for p in persons if p["family_id"] == "FAM-00001"}
    assert any(
        first[p["true_person_id"]]["given_name"] != p["given_name"]
        for p in base_persons
        if p["true_person_id"] in first
    )


def test_baseline_round_trip_and_verdicts(tmp_path: Path):
    summary = {
        "meta": {"families": 3, "seed": 1, "generator": "extractive"},
        "accuracy": {"fact_recall": 0.9, "latency_p50_ms": 100.0, "unsupported_sentence_rate": 0.0},
        "fairness": {"largest_gaps": {"fact_recall": {"gap": 0.1}}},
    }
    path = save_baseline(summary, tmp_path)
    assert find_baseline(3, 1, "extractive", tmp_path) == path
    assert find_baseline(4, 1, "extractive", tmp_path) is None
    base = load_baseline(path)
    assert headline_numbers(summary) == base["metrics"]
    later = json.loads(json.dumps(summary))
    later["accuracy"].update(fact_recall=0.8, latency_p50_ms=120.0, unsupported_sentence_rate=0.1)
    later["fairness"]["largest_gaps"]["fact_recall"]["gap"] = 0.02
    verdicts = {c.metric: c.verdict for c in compare(later, base)}
    assert verdicts == {
        "accuracy.fact_recall": "worse",
        "accuracy.unsupported_sentence_rate": "worse",
        "accuracy.latency_p50_ms": "same",  # within the 50% machine-load tolerance
        "fairness.largest_gaps.fact_recall.gap": "better",
    }
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(ValueError):
        load_baseline(tmp_path / "bad.json")


def test_report_embeds_plots_and_the_comparison(tmp_path: Path):
    from evals.baseline import Change
    from evals.report import write_report

    summary = {
        "meta": {
            "families": 2,
            "seed": 1,
            "generator": "extractive",
            "suites": ["accuracy"],
            "wall_s": 1.0,
            "machine": {"cpus": 2},
        },
        "accuracy": {
            "fact_recall": 0.9,
            "citation_precision": 1.0,
            "red_team": {"refusal_set": {"items": 3, "passed": 1.0}, "refusal_accuracy": 1.0},
            "by_question_type": {"history": {"fact_recall": 0.9}},
        },
    }
    (tmp_path / "accuracy_cases.jsonl").write_text(json.dumps({"latency_ms": 12.0}) + "\n")
    path = write_report(summary, tmp_path, [Change("accuracy.fact_recall", 0.95, 0.9, "worse")])
    text = path.read_text()
    assert text.count("data:image/png;base64,") == 4
    assert 'class="worse"' in text and "refusal_set" in text


def test_run_config_validation_and_question_selection():
    with pytest.raises(ValueError):
        RunConfig(("accuracy", "speed"), Path("x"))
    with pytest.raises(ValueError):
        RunConfig(("accuracy",), Path("x"), families=1)
    with pytest.raises(ValueError):
        RunConfig(("accuracy",), Path("x"), generator="gpt")
    assert RunConfig(("fairness",), Path("x"), families=50).pair_count == 10
    assert RunConfig(("fairness",), Path("x"), families=3).pair_count == 3
    qs = [
        GoldQuestion(f"F-Q{i}", t, "F", "k", "q", "S", "C")
        for i, t in enumerate(["history", "history", "presence", "absence", "cross_system"])
    ]
    picked = select_questions(qs, 3)
    assert {q.type for q in picked} == {"absence", "cross_system", "history"}
    assert select_questions(qs, None) == qs


def test_langfuse_is_skipped_without_keys():
    from api.settings import Settings
    from evals.langfuse_push import push

    assert push(Settings(profile="test"), [], "run")["status"] == "skipped"
    assert push(None, [], "run")["status"] == "skipped"


def test_chronology_order_is_of_the_answer_items_not_what_is_shown_under_a_claim():
    claim = AnswerSentence(
        text="Police attended after a report of domestic abuse.",
        citations=[1],
        occurred_at=date(2025, 3, 1),
    )
    earlier = AnswerSentence(
        text="Social worker visited.", citations=[2], occurred_at=date(2024, 1, 1)
    )
    # The outcome of the earlier event the claim recalls, shown under it.
    outcome = earlier.model_copy(update={"outcome": True})
    judged = [
        judge(
            _question(),
            _answer(sentences, [KEY_A, KEY_B]),
            latency_ms=5,
            retrieved=[KEY_A, KEY_B],
            record_text=TEXTS,
            facts=[],
        ).chronology_errors
        for sentences in ([claim, outcome], [claim, earlier])
    ]
    assert judged == [0, 1]
