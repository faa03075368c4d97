"""The allegation -> outcome measure (``evals.outcome_eval``) on synthetic records: a claim
shown with its labelled outcome counts, a labelled outcome the answer leaves out does not,
and an outcome shown for a claim whose record records none is counted as false."""

from __future__ import annotations

from assistant.embedder import CachedEmbedder
from evals.outcome_eval import ClaimCase, case_lines, score, summary_line

CALL = "A caller reports two children left alone at the flat since teatime."
FOUND = "Officers attended and found both children safe and well with their aunt."
WEATHER = "The weather was cold and wet all evening."
LOG = f"{CALL} {WEATHER} {FOUND}"


def _case(text: str, claim: str, outcomes: tuple[str, ...], kind: str = "incident") -> ClaimCase:
    record = {
        "source_system": "POLICE",
        "record_id": "POL-1",
        "record_type": kind,
        "occurred_at": "2024-02-03T21:00:00",
        "author": {"role": "Police Constable"},
    }
    return ClaimCase(record=record, claim=claim, outcomes=outcomes, title="Incident", text=text)


def test_claims_with_their_recorded_outcome_are_counted(shared_embedder):
    words = CachedEmbedder(shared_embedder)
    result = score(
        words,
        [
            _case(LOG, CALL, (FOUND,)),
            # A labelled outcome the answer does not show under its claim is missed.
            _case(LOG, CALL, (WEATHER,)),
            # A record with no outcome: nothing may be shown as one.
            _case(f"{CALL} {WEATHER}", CALL, ()),
        ],
    )
    assert result["claims"] == 3 and result["claims_with_outcome"] == 2
    assert result["shown_with_outcome"] == 1
    assert result["false_outcome"] == 0
    assert result["pair_recall"] == 0.5
    # Shown as the outcome itself, not only as another account of the event.
    assert result["shown_as_outcome"] == 1 and result["accounts_shown"] == 0
    assert "1/2 hand-labelled claims" in summary_line(result)
    assert "(1 as an outcome line)" in summary_line(result)


def test_verbose_lines_say_per_claim_what_was_expected_and_shown(shared_embedder):
    words = CachedEmbedder(shared_embedder)
    lines = case_lines(words, [_case(LOG, CALL, (FOUND,)), _case(LOG, CALL, (WEATHER,))])
    assert lines[0] == f"[1] POL-1: {CALL}"
    assert f"    expected found: {FOUND}" in lines
    assert f"    shown +: {FOUND}" in lines
    # The second claim's label is missed and what was shown is marked wrong.
    assert f"    expected MISSED: {WEATHER}" in lines
    assert f"    shown -: {FOUND}" in lines


def test_every_labelled_file_is_scored_and_stores_no_sentence_text():
    from evals.outcome_eval import PAIRS_FILES
    from retrieval.jsonl import jsonl_rows

    assert len(PAIRS_FILES) == 2
    for path in PAIRS_FILES.values():
        rows = list(jsonl_rows(path))
        assert rows, path
        for row in rows:
            # Indexes and hashes only: dev-set wording never enters the repository.
            assert set(row) == {"record_id", "claim", "sha1", "outcomes"}
            assert all(set(o) == {"sentence", "sha1"} for o in row["outcomes"])


def test_each_labelled_file_is_reported_under_its_own_name(shared_embedder):
    words = CachedEmbedder(shared_embedder)
    line = summary_line(score(words, [_case(LOG, CALL, (FOUND,))]), " (blind labels)")
    assert line.startswith("allegation outcomes (blind labels): 1/1 ")


# A review of many matters in which the record sets two versions side by side: the mother's
# account, and the boy's different one on the next line (labelled its outcome).
SAYS_GONE = "Mum says her ex-partner moved out in the spring and never visits now."
BOY_SAYS = "[Child 1] told me privately that he still comes round most weekends."
REVIEW = f"Home visit for the review. {SAYS_GONE} {BOY_SAYS} The kitchen was tidy."


def _review(outcomes: tuple[str, ...]) -> ClaimCase:
    record = {
        "source_system": "LCS",
        "record_id": "LCS-9",
        "record_type": "review",
        "occurred_at": "2024-05-14T10:00:00",
        "author": {"role": "Social Worker"},
    }
    return ClaimCase(record=record, claim=SAYS_GONE, outcomes=outcomes, title="Review", text=REVIEW)


def test_a_labelled_outcome_shown_as_another_account_counts_but_is_no_outcome(shared_embedder):
    words = CachedEmbedder(shared_embedder)
    result = score(words, [_review((BOY_SAYS,)), _review(())])
    # The boy's version stands under his mother's as another account: the labelled
    # outcome is shown ...
    assert result["shown_with_outcome"] == 1 and result["pair_recall"] == 1.0
    # ... but it is no outcome: nothing was shown as one, so there is no precision to
    # speak of, and the claim labelled without an outcome has no false one.
    assert result["pair_precision"] is None
    assert result["false_outcome"] == 0
    assert f"    account +: {BOY_SAYS}" in case_lines(words, [_review((BOY_SAYS,))])
