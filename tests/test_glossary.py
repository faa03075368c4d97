"""The UK practice glossary: strict validation, case rules, expansions, topics."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from retrieval.glossary import Glossary, GlossaryError, default_glossary, load_glossary

#: Terms the glossary must know (issue 14): as a term or an alias.
REQUIRED = (  # noqa: SIM905 (a reviewer reads the list as the issue wrote it)
    "DA DV CSE CCE CIN CP CLA LAC s17 s47 MASH TAF EHA DSL HV SW FSW YOS YJS YOT RHI NFA LADO "
    "PLO MARAC DASH IDVA EHCP EHCNA SENCO EP SLT SALT OT CAMHS CMHT GP A&E ED ASB PWITS NRM "
    "MACE CAWN RCPC ICPC IRO SGO UASC FGM EWO PCSO DLA PIP UC DHP HSF CWD SEMH SLCN ASD ASC "
    "ADHD PEX FTE MISPER DBS MAPPA TAC CSC C&F step-down step-up GA ASQ NBV tc w/"
).split()


@pytest.fixture(scope="module")
def g() -> Glossary:
    return default_glossary()


def _minimal() -> dict[str, Any]:
    return {
        "version": 1,
        "topics": [
            {"id": "domestic_abuse", "label": "domestic abuse", "phrases": ["incident at home"]}
        ],
        "entries": [
            {
                "term": "DA",
                "expansions": ["domestic abuse"],
                "topic": "domestic_abuse",
                "note": "n",
            },
            {"term": "NFA", "expansions": ["no further action"], "note": "n"},
        ],
    }


# ---- the packaged file ------------------------------------------------------------------


def test_packaged_glossary_loads_once_and_has_the_required_terms(g: Glossary) -> None:
    assert default_glossary() is g
    known = {form for e in g.entries.values() for form in e.forms}
    assert [t for t in REQUIRED if t not in known] == []
    assert len(g) >= 150
    for entry in g.entries.values():
        assert entry.expansions and entry.note and entry.spelled
        assert set(entry.topics) <= set(g.topics)


def test_path_override_loads_another_file(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(yaml.safe_dump(_minimal()), encoding="utf-8")
    small = load_glossary(str(path))
    assert set(small.entries) == {"DA", "NFA"}
    assert small.expand_note("DA incident") == "DA (domestic abuse) incident"
    assert load_glossary(str(path)) is small


# ---- validation -------------------------------------------------------------------------


def _error(data: Any) -> str:
    with pytest.raises(GlossaryError) as info:
        Glossary.from_data(data, "test.yaml")
    return str(info.value)


def test_duplicate_terms_are_refused() -> None:
    data = _minimal()
    data["entries"].append({"term": "DA", "expansions": ["data analyst"], "note": "n"})
    assert "duplicate term 'DA'" in _error(data)
    data = _minimal()
    data["entries"][1]["aliases"] = ["DA"]  # an alias counts as a term
    assert "duplicate term 'DA'" in _error(data)
    data = _minimal()
    data["entries"].append({"term": "nfa", "case": "insensitive", "expansions": ["x"], "note": "n"})
    assert "duplicate term 'nfa'" in _error(data)


def test_empty_or_missing_expansions_are_refused() -> None:
    for bad in ([], None, [""], ["  padded "]):
        data = _minimal()
        data["entries"][0]["expansions"] = bad
        message = _error(data)
        assert message.startswith("test.yaml: entry 1 (DA): expansions"), message
    data = _minimal()
    del data["entries"][1]["expansions"]
    assert "entry 2 (NFA): expansions must be a non-empty list" in _error(data)
    data = _minimal()
    data["entries"][0]["expansions"] = ["domestic abuse", "Domestic Abuse"]
    assert "lists 'Domestic Abuse' twice" in _error(data)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["entries"][0].update(topic="abuse"), "unknown topic 'abuse'"),
        (lambda d: d["entries"][0].update(colour="red"), "unknown key(s) colour"),
        (lambda d: d["entries"][0].update(case="upper"), "case must be sensitive or insensitive"),
        (lambda d: d["entries"][0].update(reverse="no"), "reverse must be true or false"),
        (lambda d: d["entries"][0].pop("note"), "note must be a non-empty string"),
        (lambda d: d["entries"][0].update(term="DA*"), "a trailing * is for topic phrases only"),
        (lambda d: d["entries"][0].update(expansions=["da"]), "repeats the term"),
        (
            lambda d: d["entries"][1].update(expansions=["da"]),
            "would match the case-sensitive term 'DA'",
        ),
        (
            lambda d: d["topics"][0].update(phrases=["da"]),
            "would match the case-sensitive term 'DA'",
        ),
        (lambda d: d["topics"][0].update(phrases=["ab*"]), "* must follow a word of 3+ letters"),
        (lambda d: d["topics"][0].update(phrases=[]), "phrases must be a non-empty list"),
        (lambda d: d["topics"].append(copy.deepcopy(d["topics"][0])), "duplicate topic id"),
        (lambda d: d["topics"][0].update(id="Domestic Abuse"), "id must be snake_case"),
        (lambda d: d.update(version=2), "version must be 1"),
        (lambda d: d.update(extra=1), "unknown key(s) extra"),
        (lambda d: d.update(entries=[]), "entries: must be a non-empty list"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_message(change: Any, expected: str) -> None:
    data = _minimal()
    change(data)
    assert expected in _error(data)


def test_unreadable_or_invalid_files_are_glossary_errors(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="cannot read"):
        Glossary.load(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries: [unclosed", encoding="utf-8")
    with pytest.raises(GlossaryError, match="not valid YAML"):
        Glossary.load(bad)


# ---- case rules and whole tokens --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("DA incident at the address", {"DA"}),
        ("da da da, the panda and Dad", set()),
        ("OT assessment booked", {"OT"}),
        ("he got a lot of help; ot", set()),
        ("seen in ED overnight", {"ED"}),
        ("Ed said he edited it", set()),
        ("SW visited", {"SW"}),
        ("lives in SW1A; sw corner", set()),
        ("CP plan", {"CP"}),
        ("cp", set()),
        ("HV saw baby", {"HV"}),
        ("SEND support", {"SEND"}),
        ("school will send a letter", set()),
        ("MASH referral", {"MASH"}),
        ("mash potato", set()),
        ("PIP award", {"PIP"}),
        ("pip", set()),
        ("i.e. nothing", set()),
        ("ehcp review and Camhs letter, gp", {"EHCP", "CAMHS", "GP"}),
        ("two SWs and the GP's letter", {"SW", "GP"}),
        ("[Person 3] attended with [Child 1]", set()),
    ],
)
def test_abbreviations_match_by_case_and_whole_token(
    g: Glossary, text: str, terms: set[str]
) -> None:
    assert {e.term for m in g.find(text) for e in m.abbreviation_of} == terms
    assert g.has_abbreviation(text) == bool(terms)


def test_clinical_shorthand_is_spelled_out_but_not_read_back(g: Glossary) -> None:
    """hx, dx, tx, meds: a question in shorthand searches the long form too, while a note's
    ordinary "history" or "treatment" is not taken for the shorthand."""
    assert "history" in g.expansions("any DV hx?") and "medication" in g.expansions("meds?")
    assert "diagnosis" in g.expansions("dx of autism") and "treatment" in g.expansions("tx plan")
    assert g.terms_in("a history of falls and ongoing treatment") == set()


# ---- expansions -------------------------------------------------------------------------


def test_expand_query_adds_long_forms_once(g: Glossary) -> None:
    assert g.expand_query("any DV?") == "any DV? (domestic violence; domestic abuse)"
    assert "section 47 enquiry" in g.expand_query("s47 outcome")
    assert "education health and care plan" in g.expand_query("is there an EHCP?")
    assert "no further action" in g.expand_query("was it NFA'd?")
    expanded = g.expansions("DA and DV and DA again")
    assert len(expanded) == len(set(expanded))
    assert "domestic abuse" not in g.expansions("DA, domestic abuse")  # already there
    assert g.expand_query("how is school going?") == "how is school going?"


def test_long_forms_expand_to_their_abbreviations(g: Glossary) -> None:
    assert {"DV", "DA"} <= g.terms_in("any domestic violence?")
    assert "DV" in g.expansions("any domestic violence?")
    assert "NFA" in g.expansions("was there no further action?")
    assert "CAMHS" in g.expansions("child and adolescent mental health services")
    # An ordinary-word expansion is not matched back ("with" is not "w/").
    assert "w/" not in g.terms_in("visit with mum")


def test_expand_note_spells_abbreviations_out_once(g: Glossary) -> None:
    assert (
        g.expand_note("DA incident, NFA") == "DA (domestic abuse) incident, NFA (no further action)"
    )
    assert g.expand_note("DA (domestic abuse) reported") == "DA (domestic abuse) reported"
    assert g.expand_note("domestic abuse noted; DA") == "domestic abuse noted; DA"
    assert g.expand_note("SW and SW again") == "SW (social worker) and SW again"
    assert g.expand_note("HV visit") == "HV (health visitor or home visit) visit"
    assert g.expand_note("nothing to see") == "nothing to see"


def test_topics_bring_paraphrases_together(g: Glossary) -> None:
    assert "police" in g.concepts("what police involvement has there been?")
    assert "police" in g.concepts("Officers attended at 23:00.")
    assert "substance_misuse" in g.concepts("Flat smelt of cannabis.") & g.concepts("any weed?")
    assert "substance_misuse" in g.concepts("drug and alcohol misuse")
    assert "missing" in g.concepts("[Child 1] absconded from placement")
    assert "missing" in g.concepts("MFH overnight")
    assert "exploitation" in g.concepts("seen with older males, unexplained money")
    assert {"housing"} <= g.concepts("damp and mould in the bedroom")
    assert {"money", "neglect"} <= g.concepts("referred to the food bank")
    assert "domestic_abuse" in g.concepts("DA") & g.concepts("Op Encompass notification")
    assert "self_harm" in g.concepts("self harming") & g.concepts("self-harm")
    assert g.concepts("The weather was fine.") == set()
    # Everyday topics asked in a word: the question meets how notes put them.
    assert "bullying" in g.concepts("bullying?") & g.concepts("other boys called him names")
    assert "sleep" in g.concepts("sleep") & g.concepts("wakes three times a night")
    assert "interests" in g.concepts("pets?") & g.concepts("showed me her rabbit")
    assert "family_time" in g.concepts("contact with dad?") & g.concepts("supervised contact")
    assert "friendships" not in g.concepts("the dog was friendly")
    # Toileting is written many ways; a question about one meets a note of another.
    assert "health" in g.concepts("is he potty trained?") & g.concepts("still in pull-ups")
    assert "health" in g.concepts("dry at night now") & g.concepts("wets the bed most nights")
    topical = g.expansions("what police involvement has there been?", topics=True)
    assert "officers attended" in topical and "PCSO" in topical
    assert g.expansions("what police involvement has there been?") == []


def test_a_practice_phrase_of_several_words_is_named_as_written(g: Glossary) -> None:
    # "home alone" and "low mood" are casework phrases: a question and a note that both
    # use one share more than any one of its words.
    assert "home alone" in g.phrases_in("uncle says the twins were home alone all evening")
    assert "low mood" in g.phrases_in("GP letter: low mood since the summer.")
    # One word of a phrase is not the phrase, and a single-word phrase ("neglect") is left
    # to the topic; an everyday topic's phrase ("swimming club") says nothing of casework.
    assert g.phrases_in("left at home") == set()
    assert g.phrases_in("concerns of neglect") == set()
    assert not any(
        not any(not g.topics[t].everyday for t in g.concepts(p))
        for p in g.phrases_in("she goes to swimming club and plays football")
    )
