"""Allegation -> outcome: does an answer that shows a claim show the outcome its record gives?

``evals/data/devset_outcome_pairs.jsonl`` holds, per line, a claim sentence of a dev-set
record (an allegation, concern, referral, incident or missing report; record id, sentence
index of ``assistant.text.split_sentences``, sha1 prefix) and the sentences of the same
record a person marked, by reading it, as its outcome (found, denied, NFA, not arrested,
a decision ...), or none when the record records no outcome. No sentence text is stored.

Each record is chunked as the index chunks it (``retrieval.index.chunking.RecordChunker``),
the family's names become a placeholder (as in ``evals.reliability_eval``), and the real
extractive generator answers with exactly the claim sentence chosen (``_ClaimIsTheAnswer``:
which sentence answers is relevance's job, measured elsewhere). What it puts under the
claim, with ``outcome: true`` (an outcome) or ``account: true`` (another account of the
event: the labels count a party's denial or different version as an outcome, and the
generator may set it beside the claim as their account), is compared with the labels:

- ``shown_with_outcome``: claims whose record states an outcome that are shown with at
  least one of them, as an outcome or another account (the issue's "every allegation ...
  with its recorded outcome");
- ``pair_recall``: labelled outcomes shown under the claim, as an outcome or another
  account (the generator shows at most two findings and one denial per claim, so recall is
  bounded below 1 where a record gives more);
- ``pair_precision``: sentences shown as the claim's outcome that are labelled; another
  account under a claim is never a wrong outcome, so only outcomes count;
- ``false_outcome``: claims whose record states no outcome that are shown with an outcome
  (other accounts aside).

    .venv/bin/python -m evals.outcome_eval --devset ../shared/devset [--labels NAME] [--verbose]

Each labelled file (``PAIRS_FILES``: the first labels, and the claims of the remaining
records labelled blind to the generator) is scored and reported on its own.

``--verbose`` prints, per claim, the claim, its labelled outcomes and what was shown
(dev-set text: for a developer's terminal only, never a file in the repository).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.contracts import DraftSentence, NumberedSource, RetrievedChunk
from assistant.generators.extractive import ExtractiveGenerator
from assistant.relevance import Candidate, Scored
from evals.reliability_eval import (
    checked_sentence,
    devset_records,
    family_reader,
    labelled_record,
)
from retrieval.jsonl import jsonl_rows

PAIRS_FILE = Path(__file__).parent / "data" / "devset_outcome_pairs.jsonl"
#: Claims of the records the first file left out, labelled blind to the generator by a
#: second labeller (``evals/data/OUTCOME_LABELLING.md``); scored on their own.
PAIRS_2_FILE = Path(__file__).parent / "data" / "devset_outcome_pairs_2.jsonl"
#: Every labelled file, by the name the reports give it.
PAIRS_FILES = {"first": PAIRS_FILE, "blind": PAIRS_2_FILE}


@dataclass(frozen=True)
class ClaimCase:
    record: dict[str, Any]
    #: The claim and its labelled outcomes, as the pipeline reads them (names replaced).
    claim: str
    outcomes: tuple[str, ...]
    #: The record's title and text as the pipeline reads them.
    title: str
    text: str


def labelled_claims(devset: Path, labels: Path = PAIRS_FILE) -> list[ClaimCase]:
    records = devset_records(devset)
    read = family_reader(devset)
    out = []
    for row in jsonl_rows(labels):
        record_id = row["record_id"]
        record, sentences = labelled_record(records, record_id, devset)
        claim = read(checked_sentence(sentences, int(row["claim"]), row["sha1"], record_id))
        outcomes = tuple(
            read(checked_sentence(sentences, int(o["sentence"]), o["sha1"], record_id))
            for o in row["outcomes"]
        )
        out.append(
            ClaimCase(
                record=record,
                claim=claim,
                outcomes=outcomes,
                title=read(record.get("title") or ""),
                text=read(record["text"]),
            )
        )
    return out


class _ClaimIsTheAnswer:
    """``RelevanceModel`` for this measure: the claim sentence answers, nothing else does."""

    def __init__(self, claim: str) -> None:
        self._claim = claim

    def score(self, question: str, candidates: Sequence[Candidate]) -> list[Scored]:
        out = []
        for c in candidates:
            hit = c.text.strip() == self._claim.strip()
            out.append(
                Scored(
                    relevance=1.0 if hit else 0.0,
                    record_relevance=0.9,
                    similarity=1.0 if hit else 0.0,
                    lexical=1.0 if hit else 0.0,
                    evidence=hit,
                )
            )
        return out


def _sources(case: ClaimCase) -> list[NumberedSource]:
    from retrieval.index.chunking import RecordChunker
    from retrieval.pseudonymised import PseudonymisedRecord

    record = case.record
    occurred = datetime.fromisoformat(str(record["occurred_at"]).replace("Z", "+00:00"))
    pseudo = PseudonymisedRecord(
        source_system=str(record["source_system"]),
        record_id=str(record["record_id"]),
        record_type=str(record["record_type"]),
        occurred_at=occurred,
        recorded_at=occurred if occurred.tzinfo else occurred.replace(tzinfo=UTC),
        sensitivity="standard",
        title=case.title,
        text=case.text,
        source_url="https://example.invalid/record",
        author_role=(record.get("author") or {}).get("role"),
    )
    return [
        NumberedSource(
            n,
            RetrievedChunk(
                chunk_id=chunk.id,
                source_system=pseudo.source_system,
                record_id=pseudo.record_id,
                record_type=pseudo.record_type,
                occurred_at=occurred,
                title=pseudo.title,
                text=str(chunk.payload["text"]),
                source_url=pseudo.source_url,
                author_role=pseudo.author_role,
                lead_in=str(chunk.payload.get("lead_in") or ""),
            ),
        )
        for n, chunk in enumerate(RecordChunker().chunk(pseudo), start=1)
    ]


@dataclass(frozen=True)
class Shown:
    """What the generator shows under a claim."""

    #: Sentences shown as the claim's outcome (before any other account).
    outcomes: tuple[str, ...]
    #: Sentences shown as other accounts of the claim's event.
    accounts: tuple[str, ...] = ()

    @property
    def under(self) -> tuple[str, ...]:
        """Everything under the claim that can carry a labelled outcome."""
        return self.outcomes + self.accounts


def shown_under(drafts: Sequence[DraftSentence], claim: str) -> Shown | None:
    """The outcomes and other accounts shown under ``claim``; None when the claim is not
    among the drafts. An outcome after another account is that account's, not the
    claim's."""
    at = next((i for i, d in enumerate(drafts) if d.text.strip() == claim.strip()), None)
    if at is None:
        return None
    outcomes: list[str] = []
    accounts: list[str] = []
    for draft in drafts[at + 1 :]:
        if draft.account:
            accounts.append(draft.text.strip())
        elif not draft.outcome:
            break
        elif not accounts:
            outcomes.append(draft.text.strip())
    return Shown(tuple(outcomes), tuple(accounts))


def attached_outcomes(embedder: Any, case: ClaimCase) -> Shown | None:
    """What the generator shows under the claim; None when the claim is not among its
    sentences (a chunk boundary split it)."""
    generator = ExtractiveGenerator(embedder, relevance=_ClaimIsTheAnswer(case.claim))
    return shown_under(list(generator.generate("What happened?", _sources(case))), case.claim)


def _same(a: str, b: str) -> bool:
    a, b = " ".join(a.split()), " ".join(b.split())
    return a == b or (len(a) > 12 and (a in b or b in a))


def score(embedder: Any, cases: Sequence[ClaimCase]) -> dict[str, Any]:
    with_outcome = shown_with = as_outcome = false_outcome = missing = 0
    attached_total = attached_right = labelled_total = labelled_found = 0
    accounts = accounts_labelled = 0
    for case in cases:
        shown = attached_outcomes(embedder, case)
        if shown is None:
            missing += 1
            continue
        right = [s for s in shown.outcomes if any(_same(s, o) for o in case.outcomes)]
        attached_total += len(shown.outcomes)
        attached_right += len(right)
        if case.outcomes:
            with_outcome += 1
            shown_with += any(_same(s, o) for s in shown.under for o in case.outcomes)
            as_outcome += any(_same(s, o) for s in shown.outcomes for o in case.outcomes)
            labelled_total += len(case.outcomes)
            labelled_found += sum(1 for o in case.outcomes if any(_same(s, o) for s in shown.under))
        elif shown.outcomes:
            false_outcome += 1
        accounts += len(shown.accounts)
        accounts_labelled += sum(
            1 for s in shown.accounts if any(_same(s, o) for o in case.outcomes)
        )
    return {
        "claims": len(cases),
        "claims_with_outcome": with_outcome,
        "shown_with_outcome": shown_with,
        #: ... of which with a labelled outcome shown as an outcome (not only as another
        #: account of the event).
        "shown_as_outcome": as_outcome,
        "false_outcome": false_outcome,
        #: Other accounts shown under claims, and how many of them are labelled outcomes
        #: (the rest are not judged by these labels: they may be right or noise).
        "accounts_shown": accounts,
        "accounts_labelled": accounts_labelled,
        "claim_not_shown": missing,
        "pair_precision": round(attached_right / attached_total, 3) if attached_total else None,
        "pair_recall": round(labelled_found / labelled_total, 3) if labelled_total else None,
    }


def case_lines(embedder: Any, cases: Sequence[ClaimCase]) -> list[str]:
    """Per claim: what was expected and what was shown, marked right (+) or wrong (-)."""
    lines = []
    for i, case in enumerate(cases, start=1):
        shown = attached_outcomes(embedder, case)
        lines.append(f"[{i}] {case.record['record_id']}: {case.claim}")
        for o in case.outcomes:
            hit = shown is not None and any(_same(s, o) for s in shown.under)
            lines.append(f"    expected {'found' if hit else 'MISSED'}: {o}")
        if shown is None:
            lines.append("    claim not shown")
            continue
        for role, texts in (("shown", shown.outcomes), ("account", shown.accounts)):
            for s in texts:
                right = any(_same(s, o) for o in case.outcomes)
                lines.append(f"    {role} {'+' if right else '-'}: {s}")
    return lines


def summary_line(result: dict[str, Any], name: str = "") -> str:
    def pct(v: float | None) -> str:
        return "-" if v is None else f"{v:.0%}"

    return (
        f"allegation outcomes{name}: "
        f"{result['shown_with_outcome']}/{result['claims_with_outcome']} "
        "hand-labelled claims whose record states an outcome shown with it "
        f"({result['shown_as_outcome']} as an outcome line); "
        f"false outcome on {result['false_outcome']} of "
        f"{result['claims'] - result['claims_with_outcome']} without; pair precision "
        f"{pct(result['pair_precision'])}, recall {pct(result['pair_recall'])}; "
        f"other accounts under claims {result['accounts_shown']} "
        f"({result['accounts_labelled']} labelled outcomes)"
    )


def _embedder() -> Any:
    from api.backends import build_embedder
    from api.settings import load_settings
    from assistant.embedder import CachedEmbedder

    return CachedEmbedder(build_embedder(load_settings()))


def evaluate(devset: Path, labels: Path = PAIRS_FILE) -> dict[str, Any]:
    """The packaged generator (the configured embedding model) against the labels."""
    return score(_embedder(), labelled_claims(devset, labels))


def evaluate_all(devset: Path) -> dict[str, dict[str, Any]]:
    """Every labelled file, each scored on its own (one embedder for all)."""
    embedder = _embedder()
    return {
        name: score(embedder, labelled_claims(devset, path)) for name, path in PAIRS_FILES.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.outcome_eval")
    parser.add_argument("--devset", type=Path, default=Path("..") / "shared" / "devset")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="per claim: expected, shown")
    parser.add_argument(
        "--labels",
        choices=sorted(PAIRS_FILES),
        help="score one labelled file only (default: each in turn)",
    )
    args = parser.parse_args(argv)
    files = {args.labels: PAIRS_FILES[args.labels]} if args.labels else PAIRS_FILES
    if args.verbose:
        embedder = _embedder()
        for path in files.values():
            print("\n".join(case_lines(embedder, labelled_claims(args.devset, path))))
    results = (
        {args.labels: evaluate(args.devset, files[args.labels])}
        if args.labels
        else evaluate_all(args.devset)
    )
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for name, result in results.items():
            print(summary_line(result, f" ({name} labels)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
