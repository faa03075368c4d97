"""EHCP drafting on a development set's ``ehcp_gold.json`` (advice written by other people).

The set is loaded the way a council's export is (``evals.stack.build_core_stack``: ingest,
link, redact, index). For each gold child the suite drafts a plan as an EHCP officer whose
caseload is the child's family, re-identifies it through the vault (so quantities and
names can be compared with the gold wording exactly), and scores:

- provisions: each gold provision's words appear, unchanged, in one drafted sentence of
  its gold section citing its record (``provisions_in_section``); in any of F/G/H1/H2
  (``provisions_anywhere``);
- needs: a gold need counts as found when one sentence of B/C/D holds at least half of
  its content words (an approximate, lexical measure; gold needs are summaries);
- outcomes: each gold outcome word for word in a sentence of E;
- vague: each gold vague phrase inside a provision sentence a vague-wording gate names;
- conflicts: each gold pair of records cited together by one conflict gate;
- false empties: a provision section marked empty although the gold has provision for
  it, and any drafted text claiming "no ... provision was recommended";
- section A: how many sentences it has.

    .venv/bin/python -m evals.suites.ehcp_devset --devset ../shared/devset \\
        --workdir /tmp/devset-ehcp [--rebuild] [--out DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.text import content_words

GOLD_FILE = "ehcp_gold.json"
PROVISION_SECTIONS = ("F", "G", "H1", "H2")
_NO_PROVISION = re.compile(r"\bno\b[^.]*\bprovision\b[^.]*\bwas recommended\b", re.IGNORECASE)


def _norm(text: str) -> str:
    """Lower case, one space, straight quotes, no trailing full stop."""
    text = text.replace("\u2018", "'").replace("\u2019", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().rstrip(".").lower()


def _contains(haystack: str, needle: str) -> bool:
    return _norm(needle) in _norm(haystack)


def score_draft(draft: Any, gold: dict[str, Any]) -> dict[str, Any]:
    """Score one (re-identified) draft against one child's gold entry."""
    record_of = {s.n: s.record_id for s in draft.sources}
    sentences = [
        (sec.section, s) for sec in draft.sections if sec.status == "drafted" for s in sec.sentences
    ]

    def cited_records(sentence: Any) -> set[str]:
        return {record_of[n] for n in sentence.citations if n in record_of}

    provisions = []
    for item in gold.get("provisions", []):
        where = [
            sid
            for sid, s in sentences
            if sid in PROVISION_SECTIONS
            and _contains(s.text, item["text"])
            and item["record_id"] in cited_records(s)
        ]
        provisions.append(
            {
                "text": item["text"],
                "section": item["section"],
                "drafted_in": where,
                "in_section": item["section"] in where,
            }
        )

    needs = []
    need_sentences = [s for sid, s in sentences if sid in ("B", "C", "D")]
    for need in gold.get("needs", []):
        words = content_words(need)
        best = max(
            (len(words & content_words(s.text)) / len(words) for s in need_sentences if words),
            default=0.0,
        )
        needs.append({"need": need, "cover": round(best, 3), "found": best >= 0.5})

    outcome_texts = [s.text for sid, s in sentences if sid == "E"]
    outcomes = [
        {"outcome": o, "found": any(_contains(t, o) for t in outcome_texts)}
        for o in gold.get("outcomes", [])
    ]

    by_sid = {s.sid: s for _, s in sentences}
    vague_texts = [
        by_sid[sid].text
        for gate in draft.gates
        if gate.kind == "vague_wording"
        for sid in gate.sentence_ids
        if sid in by_sid
    ]
    vague = [
        {"phrase": p, "flagged": any(_contains(t, p) for t in vague_texts)}
        for p in gold.get("vague", [])
    ]

    conflict_sets = [
        {record_of[n] for n in gate.citations if n in record_of}
        for gate in draft.gates
        if gate.kind == "conflict"
    ]
    conflicts = [
        {"records": [a, b], "about": about, "flagged": any({a, b} <= c for c in conflict_sets)}
        for a, b, about in gold.get("conflicts", [])
    ]

    gold_sections = {p["section"] for p in gold.get("provisions", [])}
    false_empty = [
        sec.section
        for sec in draft.sections
        if sec.section in gold_sections and sec.status == "empty"
    ]
    false_claims = [
        sec.section
        for sec in draft.sections
        if sec.section in gold_sections
        and any(_NO_PROVISION.search(t) for t in [sec.note or "", *(s.text for s in sec.sentences)])
    ]
    section_a = draft.section("A")
    return {
        "provisions": provisions,
        "needs": needs,
        "outcomes": outcomes,
        "vague": vague,
        "conflicts": conflicts,
        "false_empty_sections": false_empty,
        "false_no_provision_claims": false_claims,
        "section_a_sentences": len(section_a.sentences),
        "gates": {
            kind: sum(g.kind == kind for g in draft.gates)
            for kind in sorted({g.kind for g in draft.gates})
        },
    }


def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    def ratio(items: list[bool]) -> float | None:
        return round(sum(items) / len(items), 4) if items else None

    def flat(key: str, flag: str) -> list[bool]:
        return [bool(item[flag]) for r in rows for item in r[key]]

    return {
        "children": len(rows),
        "provisions_in_section": ratio(flat("provisions", "in_section")),
        "provisions_anywhere": ratio(
            [bool(p["drafted_in"]) for r in rows for p in r["provisions"]]
        ),
        "provisions": sum(len(r["provisions"]) for r in rows),
        "need_recall": ratio(flat("needs", "found")),
        "outcome_recall": ratio(flat("outcomes", "found")),
        "vague_flagged": ratio(flat("vague", "flagged")),
        "conflicts_flagged": ratio(flat("conflicts", "flagged")),
        "false_empty_sections": sorted({s for r in rows for s in r["false_empty_sections"]}),
        "false_no_provision_claims": sorted(
            {s for r in rows for s in r["false_no_provision_claims"]}
        ),
        "section_a_sentences_max": max((r["section_a_sentences"] for r in rows), default=0),
    }


def run_ehcp_devset(
    devset: Path,
    *,
    workdir: Path | None = None,
    rebuild: bool = False,
    base_settings: Any | None = None,
    note: Any = None,
) -> dict[str, Any]:
    """Build (or reopen) the stack over ``devset`` and score a draft per gold child."""
    from api import backends
    from evals.stack import build_core_stack
    from evals.suites.devset import SubjectResolver, check_devset, person_systems
    from retrieval.principal import Principal

    say = note or (lambda _msg: None)
    devset = check_devset(devset)
    gold: dict[str, Any] = json.loads((devset / GOLD_FILE).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="caselens-ehcp-devset-") as tmp:
        stack = build_core_stack(
            devset,
            Path(workdir) if workdir is not None else Path(tmp),
            base_settings=base_settings,
            progress=lambda stage: say(f"stack: {stage}"),
            keep=workdir is not None,
            rebuild=rebuild,
        )
        try:
            service = backends.build_ehcp_service(
                stack.settings, stack.store, embedder=stack.embedder
            )
            resolver = SubjectResolver(stack.store, person_systems(devset))
            rows = []
            for person_id, child_gold in sorted(gold.items()):
                child, family = resolver.resolve(person_id)
                principal = Principal.with_caseload(
                    "devset-send_officer", "send_officer", [family] if family else [child]
                )
                draft = service.draft(principal, child)
                shown = service.for_display(principal, draft.draft_id)
                row = score_draft(shown, child_gold)
                row["child"] = person_id
                row["draft"] = shown.model_dump(mode="json")
                rows.append(row)
        finally:
            stack.close()
    return {"summary": summarise(rows), "rows": rows}


def print_report(result: dict[str, Any], *, verbose: bool = False) -> None:
    for row in result["rows"]:
        print(f"child {row['child']}")
        for p in row["provisions"]:
            mark = "ok " if p["in_section"] else ("SEC" if p["drafted_in"] else "-- ")
            print(f"  {mark} {p['section']:<2} {p['drafted_in']} {p['text'][:90]}")
        for n in row["needs"]:
            print(f"  {'ok ' if n['found'] else '-- '} need {n['cover']:.2f} {n['need'][:90]}")
        for o in row["outcomes"]:
            print(f"  {'ok ' if o['found'] else '-- '} outcome {o['outcome'][:90]}")
        for v in row["vague"]:
            print(f"  {'ok ' if v['flagged'] else '-- '} vague {v['phrase']}")
        for c in row["conflicts"]:
            print(f"  {'ok ' if c['flagged'] else '-- '} conflict {c['records']} {c['about'][:60]}")
        if verbose:
            for sec in row["draft"]["sections"]:
                print(f"  [{sec['section']}] {sec['status']} {sec.get('note') or ''}")
                for s in sec["sentences"]:
                    print(f"      {s['sid']} {s['citations']} {s['text'][:150]}")
            for gate in row["draft"]["gates"]:
                print(f"  gate {gate['kind']} {gate['section']}: {gate['message'][:150]}")
    print(json.dumps(result["summary"], indent=2))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evals.suites.ehcp_devset",
        description="Score EHCP drafts against a development set's ehcp_gold.json.",
    )
    parser.add_argument("--devset", type=Path, help="set folder (default ../shared/devset)")
    parser.add_argument("--workdir", type=Path, help="keep the built stack here; reused")
    parser.add_argument("--rebuild", action="store_true", help="build again")
    parser.add_argument("--out", type=Path, help="write summary.json and rows.json here")
    parser.add_argument("--verbose", action="store_true", help="print every drafted sentence")
    args = parser.parse_args(argv)

    from api.settings import load_settings
    from evals.suites.devset import DevsetError, check_devset, default_devset

    try:
        devset = check_devset(args.devset) if args.devset else default_devset()
    except DevsetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not (devset / GOLD_FILE).is_file():
        print(f"error: {devset} has no {GOLD_FILE}", file=sys.stderr)
        return 2
    result = run_ehcp_devset(
        devset,
        workdir=args.workdir,
        rebuild=args.rebuild,
        base_settings=load_settings(),
        note=lambda msg: print(msg, file=sys.stderr, flush=True),
    )
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "summary.json").write_text(
            json.dumps(result["summary"], indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        (args.out / "rows.json").write_text(
            json.dumps(result["rows"], indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    print_report(result, verbose=args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
