"""Reading EHC advice written in any style (issue 16): provision with its quantities kept
word for word, needs, outcomes, views and disagreements between professionals.

The advice below is synthetic, written for these tests in several layouts: numbered
sections with lettered lists, "Recommendations:" with bullets, one paragraph of prose,
a table flattened to lines, and a social care report with H1/H2 sub-headings. The
drafting tests use the real sentence embedder (MiniLM) and the practice glossary, as
``api.backends.build_ehcp_drafter`` does.
"""

# ruff: noqa: E501  (advice lines are data: kept whole, as a report writes them)
from __future__ import annotations

from datetime import datetime

import pytest

from assistant.ehcp.extract import read_advice, read_views
from assistant.ehcp.reading import AdviceReader, layout
from retrieval.pseudonymised import PseudonymisedRecord

NUMBERED = """PSYCHOLOGY SERVICE REPORT FOR STATUTORY ASSESSMENT
Pupil: [Child 1]   DOB: [DOB 1]
1. Reason for involvement
[Child 1] was referred by school in the spring term.
2. What I found
- Phonological awareness standard score 72, well below the expected range.
- [Child 1] struggles to hold more than two items in mind when listening.
3. Recommendations
a) Precision teaching of high-frequency words for 10 minutes every morning, led by a learning support assistant.
b) [Child 1] would benefit from a small nurture group (maximum 6 pupils) three afternoons a week.
c) Chances to work with a peer when he can.
4. Longer-term outcomes
- By the end of Year 6, [Child 1] will read a page of a class text aloud with no more than three errors.
[Person 4], Educational Psychologist"""

PROSE = (
    "[Child 2] presents with a moderate receptive language delay and has difficulty "
    "understanding questions that begin with 'why'. I recommend that she has two 40-minute "
    "sessions of language therapy each week in school, delivered by a qualified speech and "
    "language therapist, for one term. She will need her teaching assistant to pre-teach "
    "subject vocabulary for 20 minutes twice a week. Staff should use simple language."
)

TABLE = """Area | Provision | Frequency | Who
Motor skills | Handwriting programme using a sloped board | 15 mins, 3 x per week | TA trained by OT
Self-care | Practise doing up a coat zip before home time | daily, 5 mins | class TA
Seating | Wobble cushion on his chair | all lessons | class teacher"""

SOCIAL_CARE = """Social care needs
There are no social care needs identified beyond eligibility for short breaks.
Recommended support
H1:
- An overnight short break at a registered children's home one weekend in four.
H2:
- Mum to be offered a carer's assessment within 28 days by the disabled children's team.
"""


def test_layout_finds_headings_labels_and_list_items() -> None:
    lines = layout(NUMBERED)
    headings = [ln.text for ln in lines if ln.heading]
    assert "Reason for involvement" in headings and "Recommendations" in headings
    assert not any(ln.heading for ln in lines if ln.text.startswith("Precision teaching"))
    pupil = next(ln for ln in lines if ln.label == "Pupil")
    assert not pupil.heading


def test_numbered_report_without_model() -> None:
    pieces = read_advice(NUMBERED, "educational_psychology")
    provision = [p.text for p in pieces if p.kind == "provision"]
    assert (
        "Precision teaching of high-frequency words for 10 minutes every morning, led by a "
        "learning support assistant." in provision
    )
    assert any("maximum 6 pupils) three afternoons a week" in p for p in provision)
    assert any(p.startswith("Chances to work with a peer") for p in provision)
    assert not any("referred by school" in p.text for p in pieces)  # background
    assert not any("[Person 4]" in p.text for p in pieces)  # the signature
    needs = [p.text for p in pieces if p.kind == "need"]
    assert any("standard score 72" in n for n in needs) and any("struggles" in n for n in needs)
    outcomes = [p for p in pieces if p.kind == "outcome"]
    assert [p.section for p in outcomes] == ["E"] and "no more than three errors" in outcomes[
        0
    ].text


def test_prose_recommendations_keep_quantities_word_for_word() -> None:
    pieces = read_advice(PROSE, "speech_and_language")
    provision = {p.text: p.section for p in pieces if p.kind == "provision"}
    assert (
        provision.get(
            "I recommend that she has two 40-minute sessions of language therapy each week in "
            "school, delivered by a qualified speech and language therapist, for one term."
        )
        == "F"
    )
    assert (
        "She will need her teaching assistant to pre-teach subject vocabulary for 20 minutes "
        "twice a week." in provision
    )
    assert next(p.text for p in pieces if p.kind == "need").startswith("[Child 2] presents with")


def test_a_statement_of_no_needs_beyond_short_breaks_is_read_as_social_care_content() -> None:
    pieces = read_advice(SOCIAL_CARE, "social_care")
    assert next((p.section, p.kind) for p in pieces if "no social care needs" in p.text) == (
        "D",
        "need",
    )
    sections = {p.text: p.section for p in pieces if p.kind == "provision"}
    assert (
        sections["An overnight short break at a registered children's home one weekend in four."]
        == "H1"
    )
    assert (
        sections[
            "Mum to be offered a carer's assessment within 28 days by the disabled children's team."
        ]
        == "H2"
    )


def test_views_are_a_short_summary_of_each_part() -> None:
    lines = "\n".join(
        [
            "MY VIEWS - [Child 1]",
            "Written with [Person 3] on 03/02/2025.",
            "What I like",
            *[f"- I like thing number {i} a lot." for i in range(12)],
            "What I find hard",
            *[f"- I find task {i} hard." for i in range(12)],
            "Staff note: he was calm.",
        ]
    )
    pieces = read_views(lines, "child_views")
    texts = [p.text for p in pieces]
    assert len(texts) == 4, texts
    assert not any("MY VIEWS" in t or "Written with" in t or "calm" in t for t in texts)


# --- with the sentence embedder ----------------------------------------------------------------


@pytest.fixture(scope="module")
def drafter():  # type: ignore[no-untyped-def]
    # The torch embedder, as these cases were written against: with the int8 ONNX copy
    # (the default backend) the placement conflict below is not found (a known gap).
    from api.backends import build_ehcp_drafter
    from assistant.embedder import CachedEmbedder
    from retrieval.index import DenseEmbedder

    return build_ehcp_drafter(CachedEmbedder(DenseEmbedder("")))


def _record(
    n: int, title: str, role: str, text: str, rtype: str = "advice_report"
) -> PseudonymisedRecord:
    return PseudonymisedRecord(
        source_system="SEND",
        record_id=f"R{n}",
        occurred_at=datetime(2025, 1, n),
        recorded_at=datetime(2025, 1, n),
        sensitivity="standard",
        source_url=f"https://send.example.org/R{n}",
        title=title,
        text=text,
        author_role=role,
        linked_person_ids=("LP-1",),
        family_ids=("FAM-1",),
        record_type=rtype,
    )


def test_draft_from_reports_in_several_styles(drafter) -> None:  # type: ignore[no-untyped-def]
    advice = [
        _record(1, "Educational psychology advice", "Educational Psychologist", NUMBERED),
        _record(2, "Speech and language therapy advice", "Speech and Language Therapist", PROSE),
        _record(3, "Occupational therapy advice", "Occupational Therapist", TABLE),
        _record(4, "Social care advice", "Social Worker", SOCIAL_CARE),
    ]
    draft = drafter.draft("LP-1", advice, created_by="test")
    f_text = draft.section("F").ai_text
    assert "two 40-minute sessions of language therapy each week" in f_text
    assert "10 minutes every morning, led by a learning support assistant" in f_text
    assert "15 mins, 3 x per week" in f_text
    assert "one weekend in four" in draft.section("H1").ai_text
    assert "within 28 days" in draft.section("H2").ai_text
    assert "no social care needs identified beyond eligibility" in draft.section("D").ai_text
    for sid in ("F", "H1", "H2"):
        assert draft.section(sid).status == "drafted"
    # No section claims the advice recommends nothing.
    assert not any("was recommended in the advice" in (s.note or "") for s in draft.sections)
    vague = [g for g in draft.gates if g.kind == "vague_wording"]
    assert any("Chances to work with a peer" in draft.section(g.section).ai_text for g in vague)


def test_empty_provision_section_points_at_the_closest_advice(drafter) -> None:  # type: ignore[no-untyped-def]
    advice = [
        _record(
            1,
            "Paediatric health advice",
            "Community Paediatrician",
            "Health needs\n- Asthma, well controlled.\nNo health provision is needed.",
        ),
    ]
    draft = drafter.draft("LP-1", advice, created_by="test")
    g = draft.section("G")
    if g.status == "empty":
        assert "no provision was recommended" not in (g.note or "").lower()
        assert "[1]" in (g.note or "")
    h1 = draft.section("H1")
    assert h1.status == "empty" and "No social care advice was received" in (h1.note or "")


def test_disagreement_between_professionals_on_adult_support(drafter) -> None:  # type: ignore[no-untyped-def]
    ep = (
        "Recommendations\n"
        "- [Child 1] requires full-time support from a dedicated teaching assistant "
        "throughout the school day, including break and lunchtime."
    )
    ot = (
        "Summary\n"
        "In my opinion a full-time one-to-one adult is not required; shared support from a "
        "classroom assistant during writing tasks would be sufficient.\n"
        "Recommendations\n- A sloped writing board for all written work."
    )
    named = (
        "Model of therapy\n"
        "I note that the occupational therapist advises weekly direct sessions. However, in my "
        "view a consultative model through school staff would meet his needs."
    )
    advice = [
        _record(1, "Educational psychology advice", "Educational Psychologist", ep),
        _record(2, "Occupational therapy advice", "Occupational Therapist", ot),
        _record(3, "Paediatric advice", "Community Paediatrician", named),
    ]
    draft = drafter.draft("LP-1", advice, created_by="test")
    conflicts = [g for g in draft.gates if g.kind == "conflict"]
    pairs = {tuple(g.citations) for g in conflicts}
    assert (1, 2) in pairs, [g.message for g in conflicts]
    assert (2, 3) in pairs
    one = next(g for g in conflicts if tuple(g.citations) == (1, 2))
    assert {n for n, _ in one.quotes} == {1, 2}
    assert any("not required" in q for _, q in one.quotes)


def test_no_conflict_between_reports_that_agree(drafter) -> None:  # type: ignore[no-untyped-def]
    a = "Recommendations\n- Speech and language therapy once a week for 30 minutes in school."
    b = "Recommendations\n- I agree that weekly speech and language therapy in school is needed."
    advice = [
        _record(1, "Speech and language therapy advice", "Speech and Language Therapist", a),
        _record(2, "Educational psychology advice", "Educational Psychologist", b),
    ]
    draft = drafter.draft("LP-1", advice, created_by="test")
    assert not [g for g in draft.gates if g.kind == "conflict"]


def test_reader_without_model_still_routes_by_cues() -> None:
    reader = AdviceReader()
    assert reader.provision_section("Short breaks at a play scheme twice a month.", "other") == "H1"
    assert reader.heading_kind("Recommendations") == "provision"
    assert reader.heading_kind("Areas of need") == "needs"


NEXT_STEPS = """Educational Psychologist Summary
[Child 1] finds it very hard to regulate his emotions in busy places and has frequent meltdowns after lunch.
In my view he requires a specialist placement for autistic pupils with small classes.
What should happen next:
1) Daily sensory circuit (15 mins) before registration, run by a trained TA.
2) Social skills group once weekly for 30 minutes, maximum 5 pupils, led by the ELSA.
3) A personalised timetable with fewer transitions."""

TEACHER = """Teacher advice
Mainstream school with support is appropriate for [Child 1]; a specialist placement is not needed at present.
[Child 1] reads at a level about two years below his peers.
Recommendations: 1:1 reading with an adult for 20 minutes three times weekly. Pre-teaching of maths vocabulary in a small group."""


def test_a_report_title_is_not_a_heading_and_unknown_headings_still_yield_provision(
    drafter,  # type: ignore[no-untyped-def]
) -> None:
    advice = [
        _record(1, "Educational psychology advice", "Educational Psychologist", NEXT_STEPS),
        _record(2, "Education advice", "Class Teacher", TEACHER),
        _record(
            3,
            "Social care advice",
            "Social Worker",
            "Social care advice\nThere are no additional social care needs at this time "
            "beyond those met through universal services.",
        ),
    ]
    draft = drafter.draft("LP-1", advice, created_by="test")
    f_text = draft.section("F").ai_text
    assert "Daily sensory circuit (15 mins) before registration, run by a trained TA." in f_text
    assert "once weekly for 30 minutes, maximum 5 pupils, led by the ELSA" in f_text
    assert "Pre-teaching of maths vocabulary in a small group." in f_text
    assert "about two years below his peers" in draft.section("B").ai_text
    assert "about two years below" not in f_text
    assert "no additional social care needs" in draft.section("D").ai_text
    # Placement: one report asks for a specialist placement, the other says it is not needed.
    conflict = [g for g in draft.gates if g.kind == "conflict"]
    assert [tuple(g.citations) for g in conflict] == [(1, 2)]


def test_prose_recommendations_directives_and_unmarked_lists(drafter) -> None:  # type: ignore[no-untyped-def]
    prose = (
        "Summary and recommendations\n"
        "[Child 1] has significant difficulties with working memory. It would be helpful for "
        "[Child 1] to have instructions given one step at a time. School should provide a quiet "
        "workstation for independent tasks. Staff to use a visual timetable daily. [Child 1] "
        "needs a daily 20 minute session of precision teaching delivered by a TA."
    )
    unmarked = (
        "OT ASSESSMENT REPORT\nFindings\nPoor pencil grip; tires quickly when writing.\n"
        "Recommended strategies\nWriting slope for all written work\n"
        "Sensory breaks: 5 minutes every hour with a movement activity, supervised by TA"
    )
    advice = [
        _record(1, "Educational psychology advice", "Educational Psychologist", prose),
        _record(2, "Occupational therapy advice", "Occupational Therapist", unmarked),
    ]
    draft = drafter.draft("LP-1", advice, created_by="test")
    f_text = draft.section("F").ai_text
    for expected in (
        "It would be helpful for [Child 1] to have instructions given one step at a time.",
        "School should provide a quiet workstation for independent tasks.",
        "Staff to use a visual timetable daily.",
        "needs a daily 20 minute session of precision teaching delivered by a TA.",
        "Writing slope for all written work.",
        "Sensory breaks: 5 minutes every hour with a movement activity, supervised by TA.",
    ):
        assert expected in f_text, expected
    b_text = draft.section("B").ai_text
    assert "difficulties with working memory" in b_text and "pencil grip" in b_text
    assert "working memory" not in f_text


def test_the_same_therapy_at_different_frequencies_is_a_conflict(drafter) -> None:  # type: ignore[no-untyped-def]
    slt = "Recommendations\n- One-to-one language therapy with the SaLT for 45 minutes once a week at school."
    paed = "Recommendations\n- One-to-one language therapy with the SaLT for 45 minutes once a term at school."
    same = "Recommendations\n- One-to-one language therapy with the SaLT for 45 minutes every week at school."
    advice = [
        _record(1, "Speech and language therapy advice", "Speech and Language Therapist", slt),
        _record(2, "Paediatric advice", "Community Paediatrician", paed),
    ]
    draft = drafter.draft("LP-1", advice, created_by="test")
    conflict = [g for g in draft.gates if g.kind == "conflict"]
    assert [tuple(g.citations) for g in conflict] == [(1, 2)]
    assert "different frequencies" in conflict[0].message
    agree = drafter.draft(
        "LP-1",
        [advice[0], _record(2, "Paediatric advice", "Community Paediatrician", same)],
        created_by="test",
    )
    assert not [g for g in agree.gates if g.kind == "conflict"]
