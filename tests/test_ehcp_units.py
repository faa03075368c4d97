"""EHCP parts that need no model: extraction, quality gates, review rules, storage, Word
export. Fast; the end-to-end checks over the estate live in test_ehcp_estate.py."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from assistant.ehcp.drafter import _link_outcomes
from assistant.ehcp.export import DRAFT_MARK, export_docx
from assistant.ehcp.extract import read_advice, read_views
from assistant.ehcp.gates import judgemental_phrases, run_gates, vague_phrases
from assistant.ehcp.model import (
    LA_TEXT,
    SECTION_IDS,
    SECTION_TITLES,
    AdviceSource,
    EhcpDraft,
    EhcpSection,
    EhcpSentence,
)
from assistant.ehcp.review import (
    ReviewError,
    SignOffRefused,
    edit_diff,
    review_section,
    sign_off,
)
from evals.estate.send import CONFLICTS, QUANTIFIED, VAGUE
from retrieval.principal import Principal

OFFICER = Principal("officer", "send_officer")

#: Vague wording as it turns up in real advice; every one must be flagged.
PLANTED_VAGUE = (
    *VAGUE,
    "up to 5 hours of adult support a week",
    "access to a quiet space",
    "regular speech and language input",
    "opportunities for social skills work",
    "support from an adult as required",
    "access to occupational therapy if needed",
    "some small-group work",
    "help with reading where possible",
)


def _section(sid: str, *texts: str, cite: int = 1) -> EhcpSection:
    return EhcpSection(
        section=sid,
        title=SECTION_TITLES[sid],
        status="drafted" if texts else "empty",
        sentences=[
            EhcpSentence(text=t, citations=[cite], sid=f"{sid}{i + 1}") for i, t in enumerate(texts)
        ],
        note=None if texts else f"No advice for {sid}.",
    )


def _draft(**sections: EhcpSection) -> EhcpDraft:
    built = []
    for sid in SECTION_IDS:
        if sid in ("I", "J"):
            built.append(
                EhcpSection(
                    section=sid,
                    title=SECTION_TITLES[sid],
                    status="left_for_la",
                    sentences=[EhcpSentence(text=LA_TEXT, kind="la_note", sid=f"{sid}1")],
                )
            )
        else:
            built.append(sections.get(sid) or _section(sid))
    return EhcpDraft(
        draft_id="EHCP-test",
        child="LP-test",
        created_at=datetime(2026, 1, 5, tzinfo=UTC),
        created_by="officer",
        sections=built,
        sources=[
            AdviceSource(
                n=1,
                source_system="SEND",
                record_id="SENR-1",
                record_type="advice_report",
                advice_type="speech_and_language",
                title="Speech and language therapy advice - [Child 1]",
                author_role="Speech and Language Therapist",
                occurred_at=datetime(2025, 7, 1, tzinfo=UTC),
            )
        ],
    )


def test_vague_gate_catches_the_planted_vague_phrases() -> None:
    missed = [p for p in PLANTED_VAGUE if not vague_phrases(p)]
    assert missed == []


def test_vague_gate_leaves_specific_provision_alone() -> None:
    specific = [p for pool in QUANTIFIED.values() for p in pool]
    specific += [s for pair in CONFLICTS.values() for s in pair]
    flagged = [p for p in specific if vague_phrases(p)]
    assert flagged == []


def test_judgemental_language_is_flagged_in_drafted_sections() -> None:
    assert judgemental_phrases("[Child 1] is attention-seeking and lazy in class.") == [
        "attention-seeking",
        "lazy",
    ]
    assert judgemental_phrases("[Child 1] finds noisy rooms hard and covers their ears.") == []
    draft = _draft(B=_section("B", "[Child 1] is manipulative with staff."))
    gates = run_gates(draft.sections, {1: "educational_psychology"})
    assert [(g.kind, g.section, g.sentence_ids) for g in gates if g.kind == "judgemental"] == [
        ("judgemental", "B", ["B1"])
    ]


def test_need_without_specific_provision_is_listed_as_a_gap() -> None:
    need_met = "[Child 1] has unclear speech that unfamiliar listeners find hard to understand."
    need_unmet = "[Child 1] has reduced core stability and needs adapted seating."
    draft = _draft(
        B=EhcpSection(
            section="B",
            title=SECTION_TITLES["B"],
            status="drafted",
            sentences=[
                EhcpSentence(text=need_met, citations=[1], sid="B1"),
                EhcpSentence(text=need_unmet, citations=[2], sid="B2"),
            ],
        ),
        F=EhcpSection(
            section="F",
            title=SECTION_TITLES["F"],
            status="drafted",
            sentences=[
                EhcpSentence(
                    text="30 minutes of speech and language therapy twice a week.",
                    citations=[1],
                    sid="F1",
                ),
                EhcpSentence(text="Sensory breaks when needed.", citations=[2], sid="F2"),
            ],
        ),
    )
    gaps = [g for g in run_gates(draft.sections, {}) if g.kind == "need_without_provision"]
    assert [g.sentence_ids for g in gaps] == [["B2"]]


def test_empty_sections_are_said_so_and_conflicts_need_two_reports() -> None:
    salt = "30 minutes of speech and language therapy twice a week delivered by a specialist SaLT."
    paed = (
        "Speech and language therapy once a fortnight (20 minutes) is sufficient; "
        "twice-weekly therapy is not needed."
    )
    draft = _draft(
        F=EhcpSection(
            section="F",
            title=SECTION_TITLES["F"],
            status="drafted",
            sentences=[
                EhcpSentence(text=salt, citations=[1], sid="F1"),
                EhcpSentence(text=paed, citations=[2], sid="F2"),
            ],
        )
    )
    gates = run_gates(draft.sections, {1: "speech_and_language", 2: "paediatric"})
    empty = {g.section for g in gates if g.kind == "empty"}
    assert empty == {"A", "B", "C", "D", "E", "G", "H1", "H2", "K"}
    conflict = [g for g in gates if g.kind == "conflict"]
    assert len(conflict) == 1 and sorted(conflict[0].sentence_ids) == ["F1", "F2"]
    # The same two statements from ONE report are not a conflict between reports.
    for s in draft.section("F").sentences:
        s.citations = [1]
    assert not [g for g in run_gates(draft.sections, {}) if g.kind == "conflict"]


def test_read_advice_routes_needs_provision_and_outcomes() -> None:
    text = (
        "Advice for the EHC needs assessment of [Child 1], [DOB 1]. School: [SCHOOL 1]. "
        "Needs: [Child 1] has unclear speech that unfamiliar listeners find hard to understand. "
        "Recommended provision: (1) 30 minutes of speech and language therapy twice a week "
        "delivered by a specialist SaLT. (2) a sleep programme reviewed every 3 months by the "
        "paediatric nurse. (3) short breaks of 3 hours every Saturday with an approved provider. "
        "By the end of Year 3, [Child 1] will be able to chat with a friend about his weekend. "
        "I am happy to discuss this advice."
    )
    pieces = [(p.section, p.kind, p.text) for p in read_advice(text, "speech_and_language")]
    assert pieces == [
        (
            "B",
            "need",
            "[Child 1] has unclear speech that unfamiliar listeners find hard to understand.",
        ),
        (
            "F",
            "provision",
            "30 minutes of speech and language therapy twice a week delivered "
            "by a specialist SaLT.",
        ),
        ("G", "provision", "A sleep programme reviewed every 3 months by the paediatric nurse."),
        ("H1", "provision", "Short breaks of 3 hours every Saturday with an approved provider."),
        (
            "E",
            "outcome",
            "By the end of Year 3, [Child 1] will be able to chat with a friend about his weekend.",
        ),
    ]
    social = read_advice("Needs: [Child 1]'s family need support with routines.", "social_care")
    assert [(p.section, p.kind) for p in social] == [("D", "need")]


def test_views_are_quoted_in_their_own_words() -> None:
    child = read_views(
        "My name is [Child 1]. I go to [SCHOOL 1]. I like my dog and music. "
        "I find it hard reading out loud. When I grow up I want to be happy. "
        "(Recorded with support from [Person 2].)",
        "child_views",
    )
    assert [p.text for p in child] == [
        "\u201cI like my dog and music.\u201d",
        "\u201cI find it hard reading out loud.\u201d",
        "\u201cWhen I grow up I want to be happy.\u201d",
    ]
    assert {p.speaker for p in child} == {"child"} and {p.section for p in child} == {"A"}
    parent = read_views(
        "Views of [Mother] about [Child 1]: We worry that friendships are difficult. "
        "Contact: [PHONE 1].",
        "parent_views",
    )
    assert [(p.text, p.speaker) for p in parent] == [
        ("\u201cWe worry that friendships are difficult.\u201d", "parent")
    ]


def test_outcomes_are_linked_to_the_needs_they_address() -> None:
    draft = _draft(
        B=_section("B", "[Child 1] has difficulty following multi-step instructions.", cite=1),
        C=_section("C", "[Child 1] has sleep difficulties.", cite=2),
        E=_section("E", "By July [Child 1] will be able to follow two-step instructions.", cite=1),
    )
    _link_outcomes(draft.sections)
    assert draft.section("E").sentences[0].need_ids == ["B1"]


def test_sign_off_only_for_officers_and_only_when_every_section_is_reviewed() -> None:
    draft = _complete_draft()
    with pytest.raises(SignOffRefused, match="may not sign off"):
        sign_off(draft, Principal("sw", "social_worker"))
    with pytest.raises(SignOffRefused, match="not yet reviewed"):
        sign_off(draft, OFFICER)
    for sid in SECTION_IDS[:-1]:
        if sid not in ("I", "J"):
            review_section(draft, OFFICER, sid, "accept")
    with pytest.raises(SignOffRefused, match="not yet reviewed: K"):
        sign_off(draft, OFFICER)
    review_section(draft, OFFICER, "K", "accept")
    assert draft.status == "draft"  # reviewing never makes anything final
    sign_off(draft, OFFICER)
    assert draft.status == "signed_off" and draft.signed_off_by == "officer"
    assert draft.sign_off_reasons == {}
    with pytest.raises(ReviewError):
        review_section(draft, OFFICER, "B", "accept")


def _complete_draft() -> EhcpDraft:
    texts = {
        "A": "\u201cI like drawing.\u201d",
        "B": "[Child 1] has a limited vocabulary.",
        "C": "[Child 1] has asthma.",
        "D": "[Child 1] needs adult support in clubs.",
        "E": "By July [Child 1] will use 50 new words.",
        "F": "Language group for 20 minutes twice a week, led by a TA.",
        "G": "Asthma review every 6 months by the school nurse.",
        "H1": "A short break of 3 hours a month with a support worker.",
        "H2": "A carer's assessment within 28 days.",
        "K": "Speech and language therapy advice, 1 May 2025.",
    }
    return _draft(**{sid: _section(sid, text) for sid, text in texts.items()})


def test_sign_off_refused_while_a_section_is_rejected_or_empty_unless_a_reason_is_recorded() -> (
    None
):
    draft = _complete_draft()
    draft.section("E").sentences = []
    draft.section("E").status = "empty"
    with pytest.raises(ReviewError, match="needs a reason"):
        review_section(draft, OFFICER, "A", "reject")
    review_section(draft, OFFICER, "A", "reject", reason="Views to be gathered again.")
    for sid in SECTION_IDS[1:]:
        if sid not in ("I", "J"):
            review_section(draft, OFFICER, sid, "accept")
    with pytest.raises(SignOffRefused) as refused:
        sign_off(draft, OFFICER)
    message = str(refused.value)
    assert "section A rejected (Views to be gathered again.)" in message
    assert "section E has no agreed text" in message and "section B" not in message
    with pytest.raises(SignOffRefused, match="section E"):
        sign_off(draft, OFFICER, reasons={"A": "Parents asked to add views at review."})
    assert draft.status == "draft"
    sign_off(
        draft,
        OFFICER,
        reasons={"A": "Parents asked to add views at review.", "E": "Outcomes agreed at panel."},
    )
    assert draft.status == "signed_off"
    assert draft.sign_off_reasons == {
        "A": "Parents asked to add views at review.",
        "E": "Outcomes agreed at panel.",
    }


def test_la_sections_are_only_ever_written_by_the_officer() -> None:
    draft = _complete_draft()
    for action in ("accept", "reject"):
        with pytest.raises(ReviewError, match="local authority"):
            review_section(draft, OFFICER, "I", action, reason="x")  # type: ignore[arg-type]
    section = review_section(draft, OFFICER, "I", "edit", "Mainstream school: to be named.")
    assert section.final_text == "Mainstream school: to be named."


def test_conflicting_advice_blocks_sign_off_until_the_officer_records_a_decision() -> None:
    from assistant.ehcp.model import Gate

    draft = _complete_draft()
    draft.gates = [
        Gate(
            kind="conflict", section="F", message="x", citations=[1, 2], quotes=[(1, "a"), (2, "b")]
        )
    ]
    for sid in SECTION_IDS:
        if sid not in ("I", "J"):
            review_section(draft, OFFICER, sid, "accept")
    assert [g.kind for g in draft.gates] == ["conflict"]  # kept through reviews
    with pytest.raises(SignOffRefused, match="section F conflicting advice"):
        sign_off(draft, OFFICER)
    sign_off(draft, OFFICER, reasons={"F": "Panel chose direct therapy."})
    assert draft.sign_off_reasons == {"F": "Panel chose direct therapy."}


def test_edit_reruns_the_gates_and_keeps_citations_of_sentences_it_still_says() -> None:
    draft = _complete_draft()
    draft.section("F").sentences[0].citations = [3]
    assert not [g for g in draft.gates if g.kind == "vague_wording"]
    section = review_section(
        draft,
        OFFICER,
        "F",
        "edit",
        "Language group for 20 minutes twice a week, led by a TA. Some support as needed.",
    )
    final = section.final_sentences()
    assert [s.citations for s in final] == [[3], []]
    vague = [g for g in draft.gates if g.kind == "vague_wording"]
    assert [g.sentence_ids for g in vague] == [["F2"]]


def test_edit_keeps_the_diff_against_the_ai_text() -> None:
    draft = _draft(B=_section("B", "[Child 1] has a limited vocabulary.", "[Child 1] tires."))
    with pytest.raises(KeyError):
        review_section(draft, OFFICER, "Z", "accept")
    section = review_section(
        draft, OFFICER, "B", "edit", "[Child 1] has a limited vocabulary. [Child 1] tires easily."
    )
    assert section.review_state == "edited" and section.editor == "officer"
    assert section.sentences[1].text == "[Child 1] tires."  # the AI text is kept
    assert "-[Child 1] tires." in (section.diff or "")
    assert "+[Child 1] tires easily." in (section.diff or "")
    assert 0.8 < (section.similarity or 0) < 1.0
    assert edit_diff("Same.", "Same.") == ("", 1.0)


def test_drafts_and_review_events_round_trip_in_the_case_store(case_store: Any) -> None:
    from assistant.ehcp.store import DraftNotFound, EhcpDraftStore

    store = EhcpDraftStore(case_store.ehcp_drafts)
    draft = _draft(B=_section("B", "[Child 1] has a limited vocabulary."))
    store.save(draft)
    assert store.get(draft.draft_id) == draft
    section = review_section(draft, OFFICER, "B", "edit", "[Child 1] has few words.")
    store.save(draft)
    store.add_event(draft.draft_id, "edit", "officer", "send_officer", section)
    again = store.get(draft.draft_id)
    assert again.section("B").edited_text == "[Child 1] has few words."
    events = store.events(draft.draft_id)
    assert [(e["action"], e["section"]) for e in events] == [("edit", "B")]
    assert events[0]["diff"] and events[0]["similarity"] < 1
    assert store.drafts_of("LP-test")[0][:2] == (draft.draft_id, "draft")
    with pytest.raises(DraftNotFound):
        store.get("EHCP-missing")


def test_docx_contains_every_section_and_the_draft_marking(tmp_path: Path) -> None:
    draft = _draft(
        A=EhcpSection(
            section="A",
            title=SECTION_TITLES["A"],
            status="drafted",
            sentences=[
                EhcpSentence(
                    text="\u201cI like music.\u201d",
                    citations=[1],
                    kind="view",
                    speaker="child",
                    sid="A1",
                )
            ],
        ),
        F=_section("F", "30 minutes of speech and language therapy twice a week."),
    )
    path = export_docx(draft, tmp_path / "plan.docx")
    doc = Document(str(path))
    body = "\n".join(p.text for p in doc.paragraphs)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [h.split(":")[0] for h in headings[: len(SECTION_IDS)]] == [
        f"Section {s}" for s in SECTION_IDS
    ]
    assert doc.sections[0].header.paragraphs[0].text == DRAFT_MARK
    assert "30 minutes of speech and language therapy twice a week. [1]" in body
    assert "In the child's own words:" in body and "\u201cI like music.\u201d [1]" in body
    assert "No advice for G." in body  # empty sections say so
    assert body.count(LA_TEXT) == 2
    assert "[1] Speech and language therapy advice, Speech and Language Therapist" in body


def test_signed_docx_prints_the_reasons_keeps_edited_citations_and_numbers_pages(
    tmp_path: Path,
) -> None:
    draft = _complete_draft()
    draft.section("B").sentences[0].citations = [1]
    draft.section("F").sentences[0].citations = [1]
    draft.section("E").sentences[0].need_ids = ["B1"]
    for sid in SECTION_IDS:
        if sid == "F":
            review_section(
                draft,
                OFFICER,
                "F",
                "edit",
                "Language group for 20 minutes twice a week, led by a TA. Reviewed termly.",
            )
        elif sid == "H2":
            review_section(draft, OFFICER, "H2", "reject", reason="Family declined.")
        elif sid not in ("I", "J"):
            review_section(draft, OFFICER, sid, "accept")
    unsigned = Document(str(export_docx(draft, tmp_path / "draft.docx")))
    unsigned_body = "\n".join(p.text for p in unsigned.paragraphs)
    assert "Signed off" not in unsigned_body and DRAFT_MARK in unsigned_body
    sign_off(draft, OFFICER, reasons={"H2": "Family declined the assessment."})
    doc = Document(str(export_docx(draft, tmp_path / "signed.docx")))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Signed off by officer" in body and DRAFT_MARK not in body
    assert "Section H2: Family declined the assessment." in body
    assert "Language group for 20 minutes twice a week, led by a TA. [1]" in body
    assert doc.core_properties.author == "officer"
    assert doc.core_properties.title == "Education, Health and Care Plan"
    footer_xml = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Need", "Outcome", "Provision"]
    need_row = next(r for r in table.rows if "limited vocabulary" in r.cells[0].text)
    assert "50 new words" in need_row.cells[1].text and "Language group" in need_row.cells[2].text
