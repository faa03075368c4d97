"""EHCP drafting end to end over generated SEND advice bundles (real Presidio
pseudonymisation, real SQLite case store, real citation verifier, real python-docx).

Runs on the session's ``real_stack`` (tests/real_stack.py): its estate has three children
with SEND advice bundles, one with two conflicting reports.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from typer.testing import CliRunner

from api.backends import build_ehcp_drafter
from assistant.contracts import DraftSentence, NumberedSource
from assistant.ehcp.drafter import _chunk
from assistant.ehcp.export import DRAFT_MARK, export_docx
from assistant.ehcp.model import LA_TEXT, SECTION_IDS, EhcpDraft
from assistant.ehcp.review import ReviewError, SignOffRefused, usefulness
from assistant.ehcp.service import EhcpService
from assistant.text import content_words, coverage
from assistant.verifier import CitationVerifier
from retrieval.principal import Principal

runner = CliRunner()


@dataclass
class Bundle:
    """One child's advice bundle and what the gold facts planted in it."""

    child: str
    family_id: str
    needs: list[tuple[str, str]]  # (record_id, need words)
    quantified: list[tuple[str, str]]  # (record_id, provision)
    vague: list[tuple[str, str]]
    conflict: tuple[str, str] | None
    real_names: set[str]


@dataclass
class EhcpEstate:
    root: Path
    env: dict[str, str]
    store: Any
    policy: Any
    embedder: Any
    bundles: list[Bundle]

    settings: Any
    #: One cached sentence embedder for the module (drafter, verifier, checks).
    sentences: Any = None
    _service: EhcpService | None = None

    def service(self) -> EhcpService:
        from api.backends import build_ehcp_service

        if self._service is None:
            self._service = build_ehcp_service(self.settings, self.store, sentences=self.sentences)
        return self._service

    def officer(self, bundle: Bundle, user: str = "officer") -> Principal:
        return Principal.with_caseload(user, "send_officer", [bundle.family_id])


def _bundles(estate_dir: Path, store: Any) -> list[Bundle]:
    facts = [json.loads(x) for x in (estate_dir / "gold" / "facts.jsonl").read_text().splitlines()]
    persons = {
        p["true_person_id"]: p
        for p in map(json.loads, (estate_dir / "gold" / "persons.jsonl").read_text().splitlines())
    }
    by_child: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"needs": [], "quantified": [], "vague": [], "conflict": None, "names": set()}
    )
    for fact in facts:
        if not fact["kind"].startswith("send_") or not fact["record_keys"]:
            continue
        system, record_id = fact["record_keys"][0]
        record = store.get_record(system, record_id)
        child = store.linked_person_of(system, record.person_ids[0])
        entry = by_child[child]
        person = persons[fact["subjects"][0]]
        entry["names"].update({person["given_name"], person["family_name"]})
        details = fact["details"]
        if fact["kind"] == "send_need":
            entry["needs"].append((record_id, details["need"]))
        elif fact["kind"] == "send_provision":
            key = "vague" if details["vague"] else "quantified"
            entry[key].append((record_id, details["provision"]))
        elif fact["kind"] == "send_conflict":
            entry["conflict"] = tuple(details["between"])
    return [
        Bundle(
            child,
            store.family_of(child).family_id,
            e["needs"],
            e["quantified"],
            e["vague"],
            e["conflict"],
            e["names"],
        )
        for child, e in sorted(by_child.items())
        if e["needs"]
    ]


@pytest.fixture(scope="module")
def ehcp_estate(real_stack: Any) -> Any:
    """The session's real stack (every record pseudonymised with real Presidio, vault key
    set); its estate has three children with SEND advice, one with conflicting reports."""
    from assistant.embedder import CachedEmbedder

    bundles = _bundles(real_stack.estate_dir, real_stack.store)
    assert len(bundles) >= 2, "the real stack's estate should hold several SEND bundles"
    assert any(b.conflict for b in bundles) and not all(b.conflict for b in bundles)
    env = {
        "CASELENS_PROFILE": "test",
        "CASELENS_DATA_DIR": str(real_stack.settings.data_dir),
        "CASELENS_VAULT_KEY": real_stack.settings.vault_key.get_secret_value(),
    }
    return EhcpEstate(
        real_stack.root,
        env,
        real_stack.store,
        real_stack.policy,
        real_stack.embedder,
        bundles,
        real_stack.settings,
        CachedEmbedder(real_stack.embedder),
    )


@pytest.fixture(scope="module")
def drafts(ehcp_estate: EhcpEstate) -> dict[str, EhcpDraft]:
    service = ehcp_estate.service()
    return {b.child: service.draft(ehcp_estate.officer(b), b.child) for b in ehcp_estate.bundles}


def _texts(draft: EhcpDraft, sections: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """(sentence text, cited record ids) of the given sections."""
    return [
        (s.text, [draft.source(n).record_id for n in s.citations])
        for sec in draft.sections
        if sec.section in sections
        for s in sec.sentences
    ]


def test_all_sections_present_with_correct_status(drafts: dict[str, EhcpDraft]) -> None:
    for draft in drafts.values():
        assert [s.section for s in draft.sections] == list(SECTION_IDS)
        assert draft.status == "draft" and draft.ai_assisted
        for section in draft.sections:
            assert section.review_state == "ai_draft"
            if section.section in ("I", "J"):
                assert section.status == "left_for_la"
                assert [s.text for s in section.sentences] == [LA_TEXT]
                assert all(not s.citations for s in section.sentences)
            elif section.status == "empty":
                assert not section.sentences and section.note
                assert any(g.kind == "empty" and g.section == section.section for g in draft.gates)
            else:
                assert section.status == "drafted" and section.sentences
        for sid in ("A", "B", "C", "D", "F", "G", "K"):
            assert draft.section(sid).status == "drafted", sid
        # K lists every piece of advice used, with role and date.
        k = draft.section("K").sentences
        assert sorted(n for s in k for n in s.citations) == [s.n for s in draft.sources]
        assert all(re.search(r"\d{4}\.$", s.text) for s in k)


def test_drafted_sentences_are_supported_by_their_citations(
    ehcp_estate: EhcpEstate, drafts: dict[str, EhcpDraft]
) -> None:
    """>= 95 % of drafted sentences carry a citation that the verifier says supports them,
    checked afresh against the stored pseudonymised advice."""
    verifier = CitationVerifier(ehcp_estate.sentences)
    total = supported = 0
    for draft in drafts.values():
        sources = {
            s.n: NumberedSource(
                s.n, _chunk(ehcp_estate.store.get_pseudonymised(s.source_system, s.record_id)[0])
            )
            for s in draft.sources
        }
        for section in draft.sections:
            if section.section in ("I", "J", "K"):
                continue
            for sentence in section.sentences:
                total += 1
                verdict = verifier.verify_one(
                    DraftSentence(sentence.text.strip("\u201c\u201d"), tuple(sentence.citations)),
                    sources,
                )
                supported += verdict.supported
    assert total >= 60
    assert supported / total >= 0.95, f"{supported}/{total} supported"


def test_every_planted_need_appears_in_b_c_or_d(
    ehcp_estate: EhcpEstate, drafts: dict[str, EhcpDraft]
) -> None:
    for bundle in ehcp_estate.bundles:
        needs = _texts(drafts[bundle.child], ("B", "C", "D"))
        for record_id, need in bundle.needs:
            words = content_words(need)
            assert any(
                record_id in cited and coverage(words, content_words(text)) >= 0.8
                for text, cited in needs
            ), f"need from SEND:{record_id} missing from B/C/D"


def test_every_quantified_provision_appears_in_f_g_h_unchanged(
    ehcp_estate: EhcpEstate, drafts: dict[str, EhcpDraft]
) -> None:
    numbers = re.compile(r"\d+(?:[.:]\d+)?")
    checked = 0
    for bundle in ehcp_estate.bundles:
        provision = _texts(drafts[bundle.child], ("F", "G", "H1", "H2"))
        for record_id, planted in bundle.quantified:
            matches = [
                text
                for text, cited in provision
                if record_id in cited and planted.lower() in text.lower()
            ]
            assert matches, f"quantified provision from SEND:{record_id} missing from F/G/H"
            assert numbers.findall(matches[0]) == numbers.findall(planted)
            checked += 1
    assert checked >= 20


def test_vague_gate_flags_every_planted_vague_provision_and_no_quantified_one(
    ehcp_estate: EhcpEstate, drafts: dict[str, EhcpDraft]
) -> None:
    flagged_any = 0
    for bundle in ehcp_estate.bundles:
        draft = drafts[bundle.child]
        flagged = {
            s.text.lower()
            for g in draft.gates
            if g.kind == "vague_wording"
            for sec in draft.sections
            for s in sec.sentences
            if s.sid in g.sentence_ids
        }
        for _, planted in bundle.vague:
            assert any(planted.lower() in f for f in flagged), "planted vague provision not flagged"
            flagged_any += 1
        for _, planted in bundle.quantified:
            assert not any(planted.lower() in f for f in flagged), "quantified provision flagged"
    assert flagged_any >= 3


def test_conflicting_reports_are_listed(
    ehcp_estate: EhcpEstate, drafts: dict[str, EhcpDraft]
) -> None:
    for bundle in ehcp_estate.bundles:
        conflicts = [g for g in drafts[bundle.child].gates if g.kind == "conflict"]
        if bundle.conflict is None:
            assert conflicts == []
            continue
        assert len(conflicts) == 1
        cited = {drafts[bundle.child].source(n).advice_type for n in conflicts[0].citations}
        assert cited == set(bundle.conflict)


def test_drafts_hold_no_real_names_and_are_stored(
    ehcp_estate: EhcpEstate, drafts: dict[str, EhcpDraft]
) -> None:
    service = ehcp_estate.service()
    for bundle in ehcp_estate.bundles:
        draft = drafts[bundle.child]
        text = draft.model_dump_json()
        assert "[Child" in text
        for name in bundle.real_names:
            assert not re.search(rf"\b{re.escape(name)}\b", text)
        assert service.drafts.get(draft.draft_id) == draft
        assert service.drafts.drafts_of(bundle.child)[0][0] == draft.draft_id


def test_permission_checks_and_denials_are_audited(ehcp_estate: EhcpEstate) -> None:
    from api.audit import AuditLog

    service = ehcp_estate.service()
    bundle, other = ehcp_estate.bundles[0], ehcp_estate.bundles[1]
    with pytest.raises(PermissionError, match="caseload"):
        service.draft(ehcp_estate.officer(other), bundle.child)
    family_worker = Principal.with_caseload("fw", "family_worker", [bundle.family_id])
    with pytest.raises(PermissionError, match="SEND"):
        service.draft(family_worker, bundle.child)
    denied = [e for e in AuditLog(ehcp_estate.store.audit_rows).entries() if e.action == "denied"]
    assert {e.user for e in denied} >= {"officer", "fw"}
    assert all(e.subject == bundle.child for e in denied[-2:])


def test_review_and_sign_off_workflow(ehcp_estate: EhcpEstate) -> None:
    from api.audit import AuditLog

    service = ehcp_estate.service()
    bundle = ehcp_estate.bundles[0]
    officer = ehcp_estate.officer(bundle)
    draft = service.draft(officer, bundle.child)
    # Not an officer: refused, whatever the review state.
    social_worker = Principal.with_caseload("sw", "social_worker", [bundle.family_id])
    with pytest.raises(SignOffRefused, match="may not sign off"):
        service.sign_off(social_worker, draft.draft_id)
    # Officer, sections unreviewed: refused, and the refusal names them.
    with pytest.raises(SignOffRefused, match="not yet reviewed: A, B"):
        service.sign_off(officer, draft.draft_id)

    ai_b = draft.section("B").ai_text
    edited = ai_b.replace("[Child 1]", "[Child 1] (aged 8)", 1) + " Reviewed with parents."
    for sid in SECTION_IDS:
        if sid == "B":
            service.review(officer, draft.draft_id, sid, "edit", edited)
        elif sid == "D":
            service.review(officer, draft.draft_id, sid, "reject", reason="Out of date.")
        elif sid not in ("I", "J"):
            service.review(officer, draft.draft_id, sid, "accept")
    with pytest.raises(ReviewError, match="needs the new section text"):
        service.review(officer, draft.draft_id, "B", "edit", "  ")
    # Social worker still cannot sign off a fully reviewed draft.
    with pytest.raises(SignOffRefused):
        service.sign_off(social_worker, draft.draft_id)
    # D is rejected: refused until the officer records why the plan goes without it.
    with pytest.raises(SignOffRefused, match="section D rejected"):
        service.sign_off(officer, draft.draft_id)
    reasons = {sid: "Agreed at panel." for sid in ("A", "B", "C", "D", "E", "F", "G", "H1", "H2")}
    signed = service.sign_off(officer, draft.draft_id, reasons)
    assert signed.status == "signed_off" and signed.signed_off_by == "officer"
    assert "D" in signed.sign_off_reasons

    stored = service.drafts.get(draft.draft_id)
    b = stored.section("B")
    assert b.review_state == "edited" and b.editor == "officer"
    assert b.final_text == edited and "+" in (b.diff or "") and "Reviewed with parents" in b.diff
    assert 0.5 < (b.similarity or 0) < 1.0
    assert stored.section("D").final_text == "" and stored.section("A").similarity == 1.0
    scores = usefulness(stored)
    assert scores["A"] == 1.0 and scores["D"] == 0.0 and 0 < scores["mean"] < 1
    events = service.drafts.events(draft.draft_id)
    assert [e["action"] for e in events].count("accept") == len(SECTION_IDS) - 4
    assert events[-1]["action"] == "sign_off"
    with pytest.raises(ReviewError, match="signed off"):
        service.review(officer, draft.draft_id, "A", "reject")

    entries = [
        e
        for e in AuditLog(ehcp_estate.store.audit_rows).entries()
        if e.detail.get("draft_id") == draft.draft_id
    ]
    steps = [(e.action, e.outcome, e.detail.get("step")) for e in entries]
    assert steps[0] == ("draft", "ok", "ehcp_draft")
    assert ("sign_off", "refused", None) in steps and steps[-1] == ("sign_off", "ok", None)
    assert sum(1 for s in steps if s[2] == "ehcp_edit") == 1
    assert all(e.record_ids and all(r.startswith("SEND:") for r in e.record_ids) for e in entries)
    assert AuditLog(ehcp_estate.store.audit_rows).verify().ok


def _docx_text(path: Path) -> tuple[str, list[str], str]:
    doc = Document(str(path))
    body = "\n".join(p.text for p in doc.paragraphs)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    header = "\n".join(p.text for s in doc.sections for p in s.header.paragraphs)
    return body, headings, header


def test_docx_export_reidentified_for_the_officer(ehcp_estate: EhcpEstate, tmp_path: Path) -> None:
    service = ehcp_estate.service()
    bundle = ehcp_estate.bundles[1]
    officer = ehcp_estate.officer(bundle)
    draft = service.draft(officer, bundle.child)
    path = export_docx(
        service.for_display(officer, draft.draft_id, step="export"), tmp_path / "draft.docx"
    )
    body, headings, header = _docx_text(path)
    assert [h.split(":")[0] for h in headings if h.startswith("Section ")] == [
        f"Section {s}" for s in SECTION_IDS
    ]
    assert DRAFT_MARK in header and body.startswith(DRAFT_MARK)
    assert re.search(r"\.\s\[\d+\]", body), "bracketed citations expected"
    assert "For the local authority to decide." in body
    assert "Quality checks for the officer" in body
    assert any(re.search(rf"\b{re.escape(n)}\b", body) for n in bundle.real_names)
    assert "[Child" not in body
    # The pseudonymised draft, exported as is, names no one.
    plain, _, _ = _docx_text(export_docx(draft, tmp_path / "plain.docx"))
    assert "[Child" in plain
    assert not any(re.search(rf"\b{re.escape(n)}\b", plain) for n in bundle.real_names)
    # Another officer without this child on their caseload gets nothing re-identified.
    stranger = ehcp_estate.officer(ehcp_estate.bundles[0], user="stranger")
    with pytest.raises(PermissionError):
        service.for_display(stranger, draft.draft_id)


def test_signed_off_docx_has_no_draft_marking(ehcp_estate: EhcpEstate, tmp_path: Path) -> None:
    service = ehcp_estate.service()
    bundle = ehcp_estate.bundles[2]
    officer = ehcp_estate.officer(bundle)
    draft = service.draft(officer, bundle.child)
    for sid in SECTION_IDS:
        if sid not in ("I", "J"):
            service.review(officer, draft.draft_id, sid, "accept")
    reasons = {sid: "Agreed at panel." for sid in ("A", "B", "C", "D", "E", "F", "G", "H1", "H2")}
    service.sign_off(officer, draft.draft_id, reasons)
    body, headings, header = _docx_text(
        export_docx(service.for_display(officer, draft.draft_id), tmp_path / "final.docx")
    )
    assert DRAFT_MARK not in body and DRAFT_MARK not in header
    assert "Signed off by officer" in body
    assert len([h for h in headings if h.startswith("Section ")]) == len(SECTION_IDS)


def test_cli_draft_json_and_docx(ehcp_estate: EhcpEstate, tmp_path: Path) -> None:
    from api.cli import app

    bundle = ehcp_estate.bundles[0]
    users = tmp_path / "users.yaml"
    users.write_text(
        f"users:\n  officer:\n    role: send_officer\n    caseload: [{bundle.family_id}]\n"
        "  fw:\n    role: family_worker\n    caseload: []\n",
        encoding="utf-8",
    )
    env = {**ehcp_estate.env, "CASELENS_USERS_PATH": str(users)}
    listed = runner.invoke(app, ["ehcp", "children", "--user", "officer", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    assert [c["child"] for c in json.loads(listed.output)] == [bundle.child]
    out = tmp_path / "cli.docx"
    result = runner.invoke(
        app,
        [
            "ehcp",
            "draft",
            "--user",
            "officer",
            "--child",
            bundle.child,
            "--json",
            "--docx",
            str(out),
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output[result.output.index("{") :])
    assert [s["section"] for s in payload["sections"]] == list(SECTION_IDS)
    assert out.is_file() and DRAFT_MARK in _docx_text(out)[2]
    refused = runner.invoke(
        app, ["ehcp", "sign-off", "--user", "officer", payload["draft_id"]], env=env
    )
    assert refused.exit_code == 2 and "not yet reviewed" in refused.output
    denied = runner.invoke(app, ["ehcp", "draft", "--user", "fw", "--child", bundle.child], env=env)
    assert denied.exit_code == 2 and "SEND" in denied.output


def test_drafter_is_deterministic_given_the_same_advice(
    ehcp_estate: EhcpEstate, drafts: dict[str, EhcpDraft]
) -> None:
    from assistant.ehcp.advice import advice_from_store

    bundle = ehcp_estate.bundles[0]
    advice = advice_from_store(
        ehcp_estate.store, ehcp_estate.officer(bundle), ehcp_estate.policy, bundle.child
    )
    again = build_ehcp_drafter(ehcp_estate.sentences).draft(
        bundle.child, advice, created_by="officer"
    )
    first = drafts[bundle.child]
    assert [s.model_dump() for s in again.sections] == [s.model_dump() for s in first.sections]
