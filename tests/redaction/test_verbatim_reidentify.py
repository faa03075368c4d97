"""Display-time re-identification puts back what each span of the record said, exactly.

A family's records are pseudonymised by the real ``Pseudonymiser`` (real Presidio, real
SQLite case store; the family's linkage is given by hand instead of running Splink). A
note that writes the child's name with a nickname in brackets, in capitals, misspelt (as
another system recorded it) and as a possessive becomes ``[Child 1]`` throughout; every
sentence shown to a viewer allowed to see the note must be the note's own sentence,
character for character. All names are synthetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from assistant.display import VaultReidentifier
from assistant.ehcp.extract import CLOSE_QUOTE, OPEN_QUOTE, quoted_view, read_views
from assistant.ehcp.model import (
    LA_TEXT,
    SECTION_IDS,
    SECTION_TITLES,
    AdviceSource,
    EhcpDraft,
    EhcpSection,
    EhcpSentence,
)
from assistant.ehcp.reidentify import DraftReidentifier
from assistant.text import split_sentences
from redaction.detect import Detector
from redaction.placeholders import PlaceholderKeyer
from redaction.pseudonymiser import Pseudonymiser
from redaction.reidentify import reidentify, reidentify_verbatim, restore
from redaction.vault import TokenVault, generate_vault_key
from retrieval.principal import Principal
from retrieval.records import Person, SourceRecord
from retrieval.store import CaseStore
from retrieval.store.families import LinkedRelationship
from retrieval.store.redaction_store import FamilyPeople

FAMILY = "FAM-verbatim"
CHILD = "LP-theodore"
MOTHER = "LP-bernadette"
LINKS: dict[tuple[str, str], str] = {
    ("LCS", "P-100"): CHILD,
    ("HEALTH", "H-200"): CHILD,  # the health system misspells him "Theadore"
    ("POLICE", "X-300"): CHILD,
    ("SEND", "S-400"): CHILD,
    ("LCS", "P-101"): MOTHER,
}

NOTE_TITLE = "Home visit - Teddy Okonkwo"
NOTE = (
    "Home visit to Theodore (Teddy) Okonkwo and his mother Bernadette Okonkwo at the "
    "family home. THEODORE was asleep on the sofa when I arrived and Bernie woke him. "
    "Teddy's school report was discussed and Bernadette said his reading has improved. "
    "The health visitor's letter spells his name Theadore, which Bernie asked to be "
    "corrected. Theodore said Teddy is what his friends call him."
)
POLICE_NOTE = (
    "Officers attended after a neighbour reported shouting. THEODORE OKONKWO (known as "
    "Teddy) was present with his mother Bernie and was not hurt."
)
#: A court bundle extract that was already redacted by hand: its "[Mother]" is literal.
BUNDLE = (
    "Extract from the court bundle: [Mother] told the guardian that she had moved out. "
    "Bernie [sic] said THEODORE stays with [Mother] at weekends."
)
VIEWS = (
    "My name is Theodore. I like swimming and baking cakes. Teddy is what my friends call me, "
    "not THEODORE. I like drawing (written by Ms Harriet Lindqvist) and football. "
    "Teddy wants to be a vet like Bernie"
)

TYPO_NOTE = "Theodroe was tired and quiet in class; Bernie says he is sleeping badly."


def _person(system: str, pid: str, given: str, **fields: Any) -> Person:
    return Person.model_validate(
        {"person_id": pid, "source_system": system, "given_name": given, **fields}
    )


def _record(system: str, rid: str, person: str, text: str, title: str, **fields: Any) -> Any:
    return SourceRecord.model_validate(
        {
            "record_id": rid,
            "source_system": system,
            "person_ids": [person],
            "occurred_at": "2025-03-10",
            "recorded_at": "2025-03-11T09:00:00",
            "author": {"name": "Harriet Lindqvist", "role": "Social Worker"},
            "title": title,
            "text": text,
            "source_url": f"https://example.org/{system}/{rid}",
            "version": 1,
            **fields,
        }
    )


class HandLinkedStore:
    """The real case store, with the family's linkage given by hand (no Splink run)."""

    def __init__(self, store: CaseStore) -> None:
        self._store = store

    def linked_ids_of(self, source_system: str, person_ids: Iterable[str]) -> dict[str, str]:
        return {p: LINKS[(source_system, p)] for p in person_ids if (source_system, p) in LINKS}

    def family_ids_of(self, linked_ids: Iterable[str]) -> dict[str, str | None]:
        return {lid: FAMILY for lid in linked_ids}

    def family_people(self, family_id: str) -> FamilyPeople:
        members: dict[str, list[Person]] = {}
        for (system, pid), lid in LINKS.items():
            person = self._store.get_person(system, pid)
            assert person is not None
            members.setdefault(lid, []).append(person)
        ties = [
            LinkedRelationship(CHILD, MOTHER, "mother"),
            LinkedRelationship(MOTHER, CHILD, "child"),
        ]
        return FamilyPeople(family_id, members, ties)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class Family:
    def __init__(self, store: CaseStore, key: str, records: dict[str, SourceRecord]) -> None:
        self.store = store
        self.key = key
        self.vault = TokenVault(key)
        self.records = records

    def stored(self, name: str) -> tuple[Any, bytes]:
        record = self.records[name]
        found = self.store.get_pseudonymised(record.source_system, record.record_id)
        assert found is not None
        return found


@pytest.fixture(scope="module")
def family(tmp_path_factory: pytest.TempPathFactory, detector: Detector) -> Any:
    root: Path = tmp_path_factory.mktemp("verbatim")
    store = CaseStore.open(f"sqlite:///{root / 'store.sqlite3'}")
    dob = {"dob": "2015-04-12", "family_name": "Okonkwo", "gender": "male"}
    store.upsert_people(
        [
            _person(
                "LCS",
                "P-100",
                "Theodore",
                known_as=["Teddy"],
                relationships=[{"person_id": "P-101", "type": "mother"}],
                **dob,
            ),
            _person("HEALTH", "H-200", "Theadore", **dob),
            _person("POLICE", "X-300", "Theodore", **dob),
            _person("SEND", "S-400", "Theodore", **dob),
            _person(
                "LCS",
                "P-101",
                "Bernadette",
                family_name="Okonkwo",
                known_as=["Bernie"],
                gender="female",
                dob="1988-09-30",
            ),
        ]
    )
    records = {
        "note": _record("LCS", "CN-1", "P-100", NOTE, NOTE_TITLE, record_type="case_note"),
        "police": _record(
            "POLICE", "INC-1", "X-300", POLICE_NOTE, "Incident", record_type="incident"
        ),
        "bundle": _record(
            "LCS", "CN-2", "P-100", BUNDLE, "Court bundle extract", record_type="case_note"
        ),
        "views": _record(
            "SEND", "V-1", "S-400", VIEWS, "Child's views - Theodore", record_type="views"
        ),
        # His name misspelt in a way no system recorded (two letters swapped).
        "typo": _record(
            "LCS", "CN-3", "P-100", TYPO_NOTE, "School liaison", record_type="case_note"
        ),
    }
    store.upsert_records(list(records.values()))
    key = generate_vault_key()
    pseudonymiser = Pseudonymiser(
        detector, TokenVault(key), PlaceholderKeyer(key), HandLinkedStore(store)
    )
    results = pseudonymiser.pseudonymise_many(list(records.values()))
    store.save_pseudonymised(
        [r.row for r in results], [p for r in results for p in r.new_placeholders]
    )
    yield Family(store, key, records)
    store.close()


def _reidentifier(family: Family) -> VaultReidentifier:
    from api.settings import default_policy_path
    from retrieval.policy import InformationSharingPolicy

    policy = InformationSharingPolicy.load(default_policy_path())
    return VaultReidentifier(family.store, family.vault, policy)


SOCIAL_WORKER = Principal("sw-verbatim", "social_worker")
FAMILY_WORKER = Principal("fw-verbatim", "family_worker")


def test_every_sentence_of_a_note_is_shown_character_for_character(family: Family) -> None:
    pseudo, sealed = family.stored("note")
    for name in ("Theodore", "Teddy", "THEODORE", "Theadore", "Bernie", "Okonkwo"):
        assert name not in pseudo.text and name not in pseudo.title
    assert pseudo.text.count("[Child 1]") >= 5
    shown_sentences = split_sentences(pseudo.text)
    originals = split_sentences(NOTE)
    assert len(shown_sentences) == len(originals) == 5
    show = _reidentifier(family)
    key = [family.records["note"].key]
    for pseudonymised, original in zip(shown_sentences, originals, strict=True):
        assert show(SOCIAL_WORKER, pseudonymised, key) == original
    assert show(SOCIAL_WORKER, pseudo.title, key) == NOTE_TITLE  # the citation's title
    assert show(SOCIAL_WORKER, pseudo.text, key) == NOTE  # a whole-record quote
    # The nickname, capitals, misspelling and possessive are what they were, not the
    # record's first original for [Child 1] everywhere (the title's "Teddy Okonkwo"),
    # which is what placeholder-by-placeholder lookup gives.
    canonical = reidentify(shown_sentences[0], sealed, family.vault)
    assert canonical == (
        "Home visit to Teddy Okonkwo (Teddy Okonkwo) Okonkwo and his mother Bernadette "
        "Okonkwo at the family home."
    )


def test_the_vault_restores_each_field_and_finds_quotes_in_the_title_too(family: Family) -> None:
    pseudo, sealed = family.stored("note")
    assert restore(pseudo.text, sealed, family.vault, "text") == NOTE
    assert restore(pseudo.title, sealed, family.vault, "title") == NOTE_TITLE
    fields = {"text": pseudo.text, "title": pseudo.title}
    quote = split_sentences(pseudo.text)[2]
    assert reidentify_verbatim(quote, fields, sealed, family.vault) == split_sentences(NOTE)[2]
    assert reidentify_verbatim("[Child 1] rode a bike.", fields, sealed, family.vault) is None


def test_bracketed_text_already_in_the_record_is_left_alone(family: Family) -> None:
    """A hand-redacted "[Mother]" in the source replaced nothing: it is not counted as an
    occurrence, so the real mother's name goes back only where it was written."""
    pseudo, sealed = family.stored("bundle")
    assert pseudo.text.count("[Mother]") == 3 and "[sic]" in pseudo.text
    assert restore(pseudo.text, sealed, family.vault, "text") == BUNDLE
    show = _reidentifier(family)
    key = [family.records["bundle"].key]
    for sentence, original in zip(
        split_sentences(pseudo.text), split_sentences(BUNDLE), strict=True
    ):
        assert show(SOCIAL_WORKER, sentence, key) == original


def test_a_sentence_not_in_the_record_falls_back_to_first_originals(family: Family) -> None:
    """An Ollama-written sentence is no quote: each placeholder gets its first original in
    the record (for [Child 1] here, the title's "Teddy Okonkwo")."""
    written = "[Child 1] enjoys reading more now, [Mother] said."
    shown = _reidentifier(family)(SOCIAL_WORKER, written, [family.records["note"].key])
    assert shown == "Teddy Okonkwo enjoys reading more now, Bernadette Okonkwo said."


def test_a_viewer_who_may_not_see_the_record_keeps_the_placeholders(family: Family) -> None:
    pseudo, _sealed = family.stored("police")
    show = _reidentifier(family)
    key = [family.records["police"].key]
    sentences = split_sentences(pseudo.text)
    assert len(sentences) == 2 and "[Child 1]" in sentences[1]
    for sentence in sentences:
        assert show(FAMILY_WORKER, sentence, key) == sentence  # police records: not theirs
    assert show(SOCIAL_WORKER, sentences[1], key) == split_sentences(POLICE_NOTE)[1]


def test_quote_marks_only_round_verbatim_words(family: Family) -> None:
    assert (
        quoted_view("I like Lego.", "I like  Lego. Bye.")
        == f"{OPEN_QUOTE}I like  Lego.{CLOSE_QUOTE}"
    )
    assert quoted_view("i like Lego.", "Yes: i like Lego.") == "I like Lego."  # capitalised
    assert quoted_view("I like Lego", "I like Lego") == "I like Lego."  # full stop added
    pseudo, _sealed = family.stored("views")
    views = [p.text for p in read_views(pseudo.text, "child_views")]
    assert views[0] == f"{OPEN_QUOTE}I like swimming and baking cakes.{CLOSE_QUOTE}"
    assert views[1].startswith(OPEN_QUOTE) and "[Child 1]" in views[1]
    # "(written by ...)" taken out of the middle: no longer the child's exact words.
    assert views[2] == "I like drawing and football."
    # The record stops without a full stop; the draft adds one, so no quote marks.
    assert not views[3].startswith(OPEN_QUOTE) and views[3].endswith(".")
    assert len(views) == 4


def _draft(sentences: list[EhcpSentence]) -> EhcpDraft:
    sections = []
    for sid in SECTION_IDS:
        if sid == "A":
            sections.append(
                EhcpSection(
                    section=sid, title=SECTION_TITLES[sid], status="drafted", sentences=sentences
                )
            )
        elif sid in ("I", "J"):
            sections.append(
                EhcpSection(
                    section=sid,
                    title=SECTION_TITLES[sid],
                    status="left_for_la",
                    sentences=[EhcpSentence(text=LA_TEXT, kind="la_note", sid=f"{sid}1")],
                )
            )
        else:
            sections.append(EhcpSection(section=sid, title=SECTION_TITLES[sid], status="empty"))
    return EhcpDraft(
        draft_id="EHCP-verbatim",
        child=CHILD,
        created_at=datetime(2025, 4, 1, tzinfo=UTC),
        created_by="officer",
        sections=sections,
        sources=[
            AdviceSource(
                n=1,
                source_system="SEND",
                record_id="V-1",
                record_type="views",
                advice_type="child_views",
                title="Child's views - [Child 1]",
                occurred_at=datetime.combine(date(2025, 3, 10), datetime.min.time(), UTC),
            )
        ],
    )


def test_ehcp_views_shown_to_the_officer_are_the_childs_words_exactly(family: Family) -> None:
    from api.settings import default_policy_path
    from retrieval.policy import InformationSharingPolicy

    pseudo, _sealed = family.stored("views")
    pieces = read_views(pseudo.text, "child_views")
    draft = _draft(
        [
            EhcpSentence(text=p.text, citations=[1], kind="view", speaker="child", sid=f"A{i}")
            for i, p in enumerate(pieces, start=1)
        ]
    )
    policy = InformationSharingPolicy.load(default_policy_path())
    officer = Principal("officer", "send_officer", caseload_people=frozenset({CHILD}))
    shown = DraftReidentifier(family.store, family.vault, policy).for_officer(draft, officer)
    texts = [s.text for s in shown.section("A").sentences]
    assert texts == [
        f"{OPEN_QUOTE}I like swimming and baking cakes.{CLOSE_QUOTE}",
        f"{OPEN_QUOTE}Teddy is what my friends call me, not THEODORE.{CLOSE_QUOTE}",
        "I like drawing and football.",
        "Teddy wants to be a vet like Bernie.",
    ]
    for text in texts:  # quote marks only ever round the record's own words
        if text.startswith(OPEN_QUOTE):
            assert text.endswith(CLOSE_QUOTE) and text[1:-1] in VIEWS
    assert shown.sources[0].title == "Child's views - Theodore"
    assert draft.section("A").sentences[1].text.count("[Child 1]") == 2  # stored copy kept


def test_a_members_name_misspelt_by_one_letter_is_that_member(family: Family) -> None:
    """Not a new [Person N]: the writer meant the child the note is about."""
    row, _ = family.stored("typo")
    assert row.text.startswith("[Child 1] was tired")
    assert "[Person" not in row.text
    shown = _reidentifier(family)(SOCIAL_WORKER, row.text, [family.records["typo"].key])
    assert shown == TYPO_NOTE
