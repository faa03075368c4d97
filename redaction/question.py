"""A typed question in the family's pseudonyms: who the question is about.

The index holds pseudonymised text, where the family's people are role placeholders
(``[Child 2]``, ``[Mother]``, ``[Mother's partner]``). A worker types real names,
nicknames and kinship words ("is Reuben ok", "what has KC said", "mum's new fella"). The
same record-aware knowledge that pseudonymised the family's records (every known form of
each member's name) rewrites the question, so that retrieval and relevance see
``[Child 2]`` on both sides and can tell a sentence about the asked-about person from one
about a sibling. Kinship words map to the member whose pseudonym is that role, when the
family has exactly one.

It reads only the case store's family knowledge; nothing is written, logged or traced
here (the traced question goes through the free-text redactor).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from redaction.entities import ADDRESS, PERSON, POSTCODE
from redaction.known_mentions import KnownMatcher, family_values, person_name_variants
from redaction.leaks.common_words import is_common_word
from redaction.name_lists import NameLists, default_name_lists
from redaction.roster import Roster, build_roster
from retrieval.store.redaction_store import FamilyPeople

_FAMILY_PREFIX = "FAM-"
#: What a typed question may name: people, the family's addresses and postcodes.
_REWRITTEN = frozenset({PERSON, ADDRESS, POSTCODE})

#: Kinship words a worker types -> the pseudonym of the member they mean (longest first).
_KINSHIP_WORDS: tuple[tuple[str, str], ...] = (
    ("Mother's partner", r"step[- ]?(?:dad|father)|mum'?s (?:new )?(?:partner|fella|boyfriend)"),
    ("Father's partner", r"step[- ]?(?:mum|mother)|dad'?s (?:new )?(?:partner|girlfriend)"),
    ("Mother", r"mum|mummy|mam|mom|mother|birth mother"),
    ("Father", r"dad|daddy|father|birth father"),
    ("Grandmother", r"nan|nana|nanna|gran|granny|grandma|grandmother|nanny"),
    ("Grandfather", r"grandad|granddad|grandpa|grandfather|grampa"),
)
_KINSHIP = re.compile(
    r"\[[^\]]*\]|"  # an existing placeholder: left alone
    + "|".join(f"(?P<k{i}>\\b(?:{words})\\b)" for i, (_, words) in enumerate(_KINSHIP_WORDS)),
    re.IGNORECASE,
)


#: A kinship word with the placeholder ``_rewrite`` put after it ("mum [Mother]"): the
#: placeholder's name begins with the role the word stands for.
_KIN_WITH_PLACEHOLDER = re.compile(
    "|".join(
        f"(?P<k{i}>\\b(?:{words})\\b) \\[{re.escape(role)}(?: \\d+)?\\]"
        for i, (role, words) in enumerate(_KINSHIP_WORDS)
    ),
    re.IGNORECASE,
)


def as_typed(question: str) -> str:
    """A kept (pseudonymised) question as the worker typed it: each kinship word without
    the placeholder the rewrite put after it ("what did mum [Mother] say" -> "what did
    mum say"), so a title or a reopened question names the person once; a name typed
    after it ("mum [Mother] [Mother]", from "mum Grace") stays once."""
    return _KIN_WITH_PLACEHOLDER.sub(
        lambda m: next(v for k, v in m.groupdict().items() if v is not None), question
    )


class FamilyLookup(Protocol):
    """What the case store offers (``retrieval.store.CaseStore``)."""

    def family_ids_of(self, linked_ids: Iterable[str]) -> dict[str, str | None]: ...

    def family_people(self, family_id: str) -> FamilyPeople: ...


@dataclass(frozen=True)
class PseudonymisedQuestion:
    #: The question with every recognised family member as their placeholder.
    text: str
    #: Placeholders of the people the question names (by name or kinship word).
    named: frozenset[str]
    #: Linked person ids of the people the question names.
    named_ids: frozenset[str]
    #: The subject's own placeholder, for a person subject.
    subject_placeholder: str | None
    #: The subject's family, where it has one.
    family_id: str | None
    #: The question asks after a named person who is not in this family ("pull up what
    #: the police have on Jordan Blake"): a matter for that person's own subject.
    outsider: bool = False


class QuestionPseudonymiser:
    """Rewrites a question with the subject family's pseudonyms."""

    def __init__(self, store: FamilyLookup, *, today: date | None = None) -> None:
        self._store = store
        self._today = today

    def warm(self) -> None:
        """Read the name lists (about a second) and the nickname table now, not on the
        first question."""
        from retrieval.linkage.names import nickname_table

        default_name_lists()
        nickname_table()

    def pseudonymise(self, subject: str, question: str) -> PseudonymisedQuestion:
        if subject.startswith(_FAMILY_PREFIX):
            family_id: str | None = subject
        else:
            family_id = self._store.family_ids_of([subject]).get(subject)
        if family_id is None:
            return PseudonymisedQuestion(question, frozenset(), frozenset(), None, None)
        people = self._store.family_people(family_id)
        roster = build_roster(family_id, people.members, people.relationships, today=self._today)
        text, named = _rewrite(roster, question)
        text = _siblings(roster, subject, text, named)
        own = next((m.placeholder for m in roster.members if m.member_id == subject), None)
        ids = frozenset(m.member_id for m in roster.members if m.placeholder in named)
        return PseudonymisedQuestion(
            text, frozenset(named), ids, own, family_id, outsider=asks_after_outsider(text)
        )


def _name_words(roster: Roster) -> set[str]:
    """The words of the family's names in lower case (every form the redaction looks
    for: given names and their short forms, known-as names, surnames), without those
    that are also everyday words."""
    words = {
        w.lower()
        for member in roster.members
        for person in member.persons
        for forms in person_name_variants(person)
        for value in forms
        for w in re.findall(r"[^\W\d_]+", value)
    }
    return {w for w in words if not is_common_word(w)}


def _rewrite(roster: Roster, question: str) -> tuple[str, set[str]]:
    placeholder = {m.member_id: m.placeholder for m in roster.members}
    matches = []
    # A hurried question typed all in lower case ("wot did nan say abot lukes reading")
    # is read with each word capitalised, so the family's names are still recognised
    # (same length, so the spans line up with the question as typed).
    # In a question typed with capitals, a family member's name may still be typed in
    # lower case ("What is recorded about tyler?"): read capitalised too, unless the name
    # is also an everyday word ("will", "hope" stay as typed).
    if question == question.lower():
        readable = re.sub(r"[a-z]+", lambda w: w.group(0).capitalize(), question)
    else:
        names = _name_words(roster)
        readable = re.sub(
            r"\b[a-z]{2,}\b",
            lambda w: (
                w.group(0).capitalize()
                if w.group(0) in names or w.group(0).removesuffix("s") in names  # "tylers"
                else w.group(0)
            ),
            question,
        )
    # Only what a question is rewritten for (names, the family address): the dates of
    # birth, phone and NHS numbers would double the matcher a new family compiles.
    matcher = KnownMatcher([v for v in family_values(roster) if v.kind in _REWRITTEN])
    # A possessive typed without its apostrophe ("lukes reading") is read with the "s"
    # blanked (same length again); such a name keeps its possessive as "[Child 1]'s".
    final_s = re.compile(r"(?<=[A-Za-z]{3})s\b")
    bare = final_s.sub(" ", readable)
    ends = {s.end() for s in final_s.finditer(readable)}
    found = [(m, m.end) for m in matcher.find(readable)]
    found += [(m, m.end + 1) for m in matcher.find(bare) if m.end + 1 in ends]
    for m, end in found:
        if m.kind not in _REWRITTEN:
            continue
        if m.owner not in placeholder and m.owner.startswith("Family "):
            placeholder[m.owner] = f"[{m.owner}]"  # a shared surname or a family address
        if m.owner in placeholder:
            matches.append((m, end))
    pieces: list[str] = []
    named: set[str] = set()
    last = 0
    for m, end in sorted(matches, key=lambda item: (item[0].start, -item[1])):
        if m.start < last:
            continue
        pieces.append(question[last : m.start])
        pieces.append(placeholder[m.owner] + ("'s" if end != m.end else ""))
        if m.kind == PERSON and not m.owner.startswith("Family "):
            named.add(placeholder[m.owner])
        last = end
    pieces.append(question[last:])
    text = "".join(pieces)
    by_pseudonym = {m.pseudonym: m.placeholder for m in roster.members}

    def kin(match: re.Match[str]) -> str:
        for i, (role, _) in enumerate(_KINSHIP_WORDS):
            if match.group(f"k{i}") and role in by_pseudonym:
                named.add(by_pseudonym[role])
                return f"{match.group(0)} {by_pseudonym[role]}"
        return match.group(0)

    text = _KINSHIP.sub(kin, text)
    # Placeholders the question already used (a worker pasting a pseudonymised line).
    named.update(p for p in re.findall(r"\[[^\]]+\]", text) if p in by_pseudonym.values())
    return text, named


#: "his little sister", "the older brother", "[Child 1]'s sibling": a brother or sister of
#: the person asked about (``owner``: a placeholder's possessive just before).
_SIBLING = re.compile(
    r"(?:(?P<owner>\[[^\]]+\])'s\s+)?(?:(?:his|her|their|the)\s+)?"
    r"(?:(?P<age>little|younger|baby|youngest|big|older|elder|eldest)\s+|half[- ]?|step[- ]?)?"
    r"(?P<kind>sister|sis|brother|bro|sibling)s?\b",
    re.IGNORECASE,
)
_GENDER_OF = {"sister": "female", "sis": "female", "brother": "male", "bro": "male"}


def _siblings(roster: Roster, subject: str, text: str, named: set[str]) -> str:
    """Name the brother or sister a question means ("how is his little sister doing?"
    about a child: the family's other children of that gender, younger or older than him
    where the question says so), as the kinship words name a parent."""

    def placeholder_for(match: re.Match[str]) -> str:
        owner = next(
            (
                m
                for m in roster.members
                if m.placeholder == match.group("owner") or m.member_id == subject
            ),
            None,
        )
        gender = _GENDER_OF.get(match.group("kind").lower())
        found = [
            m
            for m in roster.members
            if m.is_child
            and m is not owner
            and (gender is None or m.gender is None or m.gender[:1] == gender[:1])
        ]
        age = (match.group("age") or "").lower()
        born = owner.dob if owner is not None else None
        if age and born is not None:
            younger = age in ("little", "younger", "baby", "youngest")
            dated = [(m.dob, m) for m in found if m.dob is not None]
            found = [m for dob, m in dated if (dob > born if younger else dob < born)]
            if age in ("youngest", "eldest") and found:
                by_age = sorted(found, key=lambda m: m.dob or born)
                found = [by_age[-1] if younger else by_age[0]]
        if not found or len(found) > 3:
            return match.group(0)  # nobody, or too many to mean one of them
        named.update(m.placeholder for m in found)
        return f"{match.group(0)} {' '.join(m.placeholder for m in found)}"

    return _SIBLING.sub(placeholder_for, text)


#: "on / about / for" a person: the person is what the question is after.
_AFTER_PERSON = re.compile(
    r"\b(?:on|about|for|regarding|re)\s+(?:(?P<title>mr|mrs|ms|miss|dr)\.?\s+)?"
    r"(?P<first>[A-Z][a-z'\u2019-]+)(?:\s+(?P<last>(?:Mc|Mac|O')?[A-Z][A-Za-z'\u2019-]+))?",
    re.IGNORECASE,
)


def asks_after_outsider(text: str, names: NameLists | None = None) -> bool:
    """The question (already in the family's placeholders) asks after a person by a name
    the family does not have: a given name and a surname, or a title and a surname,
    after "on", "about" or "for" ("anything the police hold on Jordan Blake"). A
    professional named as a speaker ("what did Mr Penfold say") is not asked after."""
    lists = names if names is not None else default_name_lists()

    def surname_like(word: str) -> bool:
        return not lists.is_english(word) or lists.is_clear_name(word)

    for m in _AFTER_PERSON.finditer(text):
        first, last = m.group("first"), m.group("last")
        if not first[0].isupper() or (last is not None and not last[0].isupper()):
            continue
        if m.group("title") and surname_like(first):
            return True  # "Mrs Okafor"
        if last is not None and lists.is_given(first) and surname_like(last):
            return True  # "Jordan Blakemore"
    return False
