"""EHCP suite: draft a plan for every index child with SEND advice and score it.

Per draft: sections I and J are never drafted (local-authority decisions), every drafted
sentence is supported by the advice it cites (ALCE citation recall, lexical), gold SEND
needs appear in sections B-D and gold provision in F-H citing their records, and the
quality gates' findings (judgemental, vague, gaps, conflicts) are counted. The fairness
suite compares twin drafts: the same needs and provision, citing the same records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evals.judge import supports
from evals.measure import fact_in_sentence
from evals.stack import EvalStack
from evals.suites.accuracy import family_facts

NEED_KINDS = {"send_need": ("B", "C", "D"), "send_provision": ("F", "G", "H1", "H2")}


def _children(stack: EvalStack) -> dict[str, str]:
    """gold family id -> the index child's linked person id."""
    out: dict[str, str] = {}
    for q in stack.questions:
        out.setdefault(q.family_id, q.index_child)
    return out


def draft_and_judge(
    stack: EvalStack, *, tick: Callable[[int], None] | None = None
) -> list[dict[str, Any]]:
    """One row per drafted child (families whose child has no SEND advice are skipped)."""
    from api import backends
    from assistant.ehcp.advice import advice_from_store
    from assistant.embedder import CachedEmbedder

    drafter = backends.build_ehcp_drafter(CachedEmbedder(stack.embedder))
    principal = stack.principal()
    facts = family_facts(stack.estate_dir)
    rows = []
    for family, child in sorted(_children(stack).items()):
        advice = advice_from_store(stack.store, principal, stack.policy, child)
        if tick:
            tick(1)
        if not advice:
            continue
        draft = drafter.draft(child, advice, created_by="evals")
        key_of = {s.n: (s.source_system, s.record_id) for s in draft.sources}
        text_of = {r.key: f"{r.title}\n{r.text}" for r in advice}
        sentences = [
            (sec.section, s)
            for sec in draft.sections
            for s in sec.sentences
            if sec.status == "drafted" and s.supported
        ]
        cited_ok = sum(
            supports(s.text, [text_of.get(key_of.get(n, ("", "")), "") for n in s.citations])
            for sid, s in sentences
            if sid not in ("K",) and s.citations
        )
        with_citations = sum(1 for sid, s in sentences if sid != "K" and s.citations)
        row: dict[str, Any] = {
            "family_id": family,
            "sources": len(draft.sources),
            "la_sections_left": all(
                sec.status == "left_for_la" for sec in draft.sections if sec.section in ("I", "J")
            ),
            "sections_drafted": sum(sec.status == "drafted" for sec in draft.sections),
            "sentences": with_citations,
            "sentences_supported": cited_ok,
            "dropped": sum(draft.dropped.values()),
            "gates": {},
        }
        for gate in draft.gates:
            row["gates"][gate.kind] = row["gates"].get(gate.kind, 0) + 1
        for kind, sections in NEED_KINDS.items():
            recalled: list[str] = []
            scored = 0
            for fact in (f for f in facts.get(family, []) if f["kind"] == kind):
                keys = {(str(k[0]), str(k[1])) for k in fact["record_keys"]}
                if not keys & set(text_of):
                    continue
                scored += 1
                if any(
                    sid in sections
                    and fact_in_sentence(fact, s.text)
                    and {key_of.get(n) for n in s.citations} & keys
                    for sid, s in sentences
                ):
                    recalled.append(str(fact["fact_id"]))
            row[f"{kind}_scored"] = scored
            row[f"{kind}_recalled"] = sorted(recalled)
        row["need_citations"] = sorted(
            {
                key_of[n]
                for sid, s in sentences
                if sid in NEED_KINDS["send_need"]
                for n in s.citations
                if n in key_of
            }
        )
        row["provision_citations"] = sorted(
            {
                key_of[n]
                for sid, s in sentences
                if sid in NEED_KINDS["send_provision"]
                for n in s.citations
                if n in key_of
            }
        )
        rows.append(row)
    return rows


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def ratio(num: float, den: float) -> float | None:
        return round(num / den, 4) if den else None

    gates: dict[str, int] = {}
    for r in rows:
        for kind, n in r["gates"].items():
            gates[kind] = gates.get(kind, 0) + n
    return {
        "drafts": len(rows),
        "la_sections_never_drafted": ratio(sum(r["la_sections_left"] for r in rows), len(rows)),
        "citation_recall": ratio(
            sum(r["sentences_supported"] for r in rows), sum(r["sentences"] for r in rows)
        ),
        "need_recall": ratio(
            sum(len(r["send_need_recalled"]) for r in rows),
            sum(r["send_need_scored"] for r in rows),
        ),
        "provision_recall": ratio(
            sum(len(r["send_provision_recalled"]) for r in rows),
            sum(r["send_provision_scored"] for r in rows),
        ),
        "dropped_sentences": sum(r["dropped"] for r in rows),
        "gate_findings": dict(sorted(gates.items())),
    }


def compare_drafts(base: list[dict[str, Any]], twin: list[dict[str, Any]]) -> dict[str, Any]:
    """Twin drafts must state the same needs and provision, citing the same records."""
    twin_by = {r["family_id"]: r for r in twin}
    compared = changed_needs = changed_provision = 0
    for b in base:
        t = twin_by.get(b["family_id"])
        if t is None:
            continue
        compared += 1
        changed_needs += (
            b["send_need_recalled"] != t["send_need_recalled"]
            or b["need_citations"] != t["need_citations"]
        )
        changed_provision += (
            b["send_provision_recalled"] != t["send_provision_recalled"]
            or b["provision_citations"] != t["provision_citations"]
        )
    return {
        "pairs": compared,
        "needs_invariant": round(1 - changed_needs / compared, 4) if compared else None,
        "provision_invariant": round(1 - changed_provision / compared, 4) if compared else None,
    }
