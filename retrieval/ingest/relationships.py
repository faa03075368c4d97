"""The relationship contract on ingest: read each export's direction, refuse what cannot be true.

The contract (``retrieval.records.Relationship``): ``{person_id: X, type: mother}`` on my
line means *X is my mother*: the type says what the other person is **to me**
(``theirs_to_me``). Some council exports write the other way round, "I am the mother of
X" (``me_to_theirs``); the setting ``relationship_direction`` (per source system in
``relationship_direction_by_system``) says so, and such lines are turned round here, before
anything is stored. Nothing is guessed.

Then every relationship is checked against the people's dates of birth and against the
other person's line. A relationship that cannot be true is quarantined (the person is
kept, without that relationship) with an error naming the file, the line and the field,
never a value:

- a parent or grandparent born after, or less than ``MIN_PARENT_GAP_YEARS`` before, the
  person they are the parent of (a "father" decades younger than the "child");
- a child born before their parent (the same check from the parent's line);
- two lines that contradict each other (each says the other is their mother).

A direction read the wrong way round shows up as exactly these contradictions, so an
export in the other direction is refused line by line instead of misread silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from retrieval.records import Person, Relationship

Direction = Literal["theirs_to_me", "me_to_theirs"]
DIRECTIONS: tuple[Direction, ...] = ("theirs_to_me", "me_to_theirs")

#: The youngest age gap accepted between a parent and their child (years).
MIN_PARENT_GAP_YEARS = 12

_GENERATION: dict[str, int] = {
    # what the other person is to me -> how many generations above me they are
    "mother": 1,
    "father": 1,
    "parent": 1,
    "birth_mother": 1,
    "birth_father": 1,
    "grandmother": 2,
    "grandfather": 2,
    "grandparent": 2,
    "child": -1,
    "son": -1,
    "daughter": -1,
    "grandchild": -2,
    "grandson": -2,
    "granddaughter": -2,
}
_KIN: dict[str, str] = {
    # type -> kind used to compare the two lines of a pair
    **{t: "parent" for t in ("mother", "father", "parent", "birth_mother", "birth_father")},
    **{t: "child" for t in ("child", "son", "daughter")},
    **{t: "grandparent" for t in ("grandmother", "grandfather", "grandparent")},
    **{t: "grandchild" for t in ("grandchild", "grandson", "granddaughter")},
    **{
        t: "step_parent"
        for t in ("step_father", "step_mother", "stepfather", "stepmother", "step_parent")
    },
    **{t: "step_child" for t in ("stepchild", "step_child", "step_son", "step_daughter")},
    **{t: "partner" for t in ("partner", "husband", "wife", "spouse", "civil_partner")},
    **{
        t: "sibling"
        for t in (
            "sibling",
            "brother",
            "sister",
            "half_sibling",
            "half_brother",
            "half_sister",
            "step_sibling",
        )
    },
    **{t: "aunt_uncle" for t in ("aunt", "uncle")},
    **{t: "niece_nephew" for t in ("niece", "nephew", "niece_nephew")},
    **{t: "carer" for t in ("carer", "foster_carer", "kinship_carer", "guardian")},
    **{t: "cared_for" for t in ("cared_for", "foster_child", "ward")},
}
#: Which way a kind points: above me (+), below me (-) or beside me (0). Two lines about
#: one pair must point opposite ways (or both beside): "my mother" and "my child" agree,
#: "my step-father" and "my child" agree loosely, "my mother" and "my mother" contradict.
_DIRECTION_OF_KIN: dict[str, int] = {
    "parent": 1,
    "grandparent": 1,
    "step_parent": 1,
    "aunt_uncle": 1,
    "carer": 1,
    "child": -1,
    "grandchild": -1,
    "step_child": -1,
    "niece_nephew": -1,
    "cared_for": -1,
    "partner": 0,
    "sibling": 0,
}
#: Turning a type round: "I am X's <type>" -> X is my <result>; gendered results are
#: (female, male, unknown) and use the other person's recorded gender.
_TURNED: dict[str, tuple[str, str, str]] = {
    "parent": ("child", "child", "child"),
    "child": ("mother", "father", "parent"),
    "grandparent": ("grandchild", "grandchild", "grandchild"),
    "grandchild": ("grandmother", "grandfather", "grandparent"),
    "step_parent": ("stepchild", "stepchild", "stepchild"),
    "step_child": ("step_mother", "step_father", "step_parent"),
    "partner": ("partner", "partner", "partner"),
    "sibling": ("sibling", "sibling", "sibling"),
    "aunt_uncle": ("niece_nephew", "niece_nephew", "niece_nephew"),
    "niece_nephew": ("aunt", "uncle", "aunt_uncle"),
    "carer": ("cared_for", "cared_for", "cared_for"),
    "cared_for": ("carer", "carer", "carer"),
}


def normalise_type(value: str) -> str:
    return value.strip().lower().replace("-", "_").replace(" ", "_")


def kin_of(relationship_type: str) -> str | None:
    """The kind of a relationship type (``mother`` -> ``parent``), or None if unknown."""
    return _KIN.get(normalise_type(relationship_type))


@dataclass(frozen=True)
class RelationshipIssue:
    """One relationship that was not stored: its line, its place on the line, why."""

    line: int
    index: int
    error: str

    @property
    def field(self) -> str:
        return f"relationships.{self.index}"


def _gendered(options: tuple[str, str, str], gender: str | None) -> str:
    folded = (gender or "").strip().lower()
    if folded in ("f", "female", "woman", "girl"):
        return options[0]
    if folded in ("m", "male", "man", "boy"):
        return options[1]
    return options[2]


def turn_round(
    relationship: Relationship, other_gender: str | None
) -> tuple[Relationship | None, str | None]:
    """A ``me_to_theirs`` relationship in the contract direction, or (None, why not)."""
    kind = kin_of(relationship.type)
    if kind is None:
        return None, "type is not one caselens can turn round (me_to_theirs export)"
    turned = _gendered(_TURNED[kind], other_gender)
    return relationship.model_copy(update={"type": turned}), None


def _years_between(older: date, younger: date) -> float:
    return (younger - older).days / 365.25


def _age_error(person: Person, other: Person, rel_type: str) -> str | None:
    generations = _GENERATION.get(normalise_type(rel_type))
    if generations is None or person.dob is None or other.dob is None:
        return None
    gap = MIN_PARENT_GAP_YEARS * abs(generations)
    if generations > 0 and _years_between(other.dob, person.dob) < gap:
        who = "parent" if generations == 1 else "grandparent"
        return f"the {who} ({rel_type}) is not at least {gap} years older than this person"
    if generations < 0 and _years_between(person.dob, other.dob) < gap:
        who = "child" if generations == -1 else "grandchild"
        return f"the {who} ({rel_type}) is not at least {gap} years younger than this person"
    return None


def check_relationships(
    people: Sequence[tuple[int, Person]], direction: Direction = "theirs_to_me"
) -> tuple[dict[int, Person], list[RelationshipIssue]]:
    """One system's people (line number, person) in the contract direction, checked.

    Returns each line's person with only the relationships that passed (in the contract
    direction), and the issues (one per relationship not kept). Relationships to ids the
    file does not hold are kept unchecked (the other person may arrive later).
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"relationship direction must be one of {', '.join(DIRECTIONS)}")
    by_id = {person.person_id: person for _, person in people}
    issues: list[RelationshipIssue] = []
    oriented: dict[int, list[tuple[int, Relationship]]] = {}
    for line, person in people:
        kept: list[tuple[int, Relationship]] = []
        for index, rel in enumerate(person.relationships):
            if direction == "me_to_theirs":
                other = by_id.get(rel.person_id)
                turned, why = turn_round(rel, other.gender if other else None)
                if turned is None:
                    issues.append(RelationshipIssue(line, index, why or "cannot be turned round"))
                    continue
                rel = turned
            kept.append((index, rel))
        oriented[line] = kept
    # What each person's line says the other is to them: (me, other) -> kind.
    says: dict[tuple[str, str], str] = {}
    for line, person in people:
        for _, rel in oriented[line]:
            kind = kin_of(rel.type)
            if kind is not None:
                says[(person.person_id, rel.person_id)] = kind
    out: dict[int, Person] = {}
    for line, person in people:
        kept_rels: list[Relationship] = []
        for index, rel in oriented[line]:
            error = _problem(person, rel, by_id, says)
            if error is None:
                kept_rels.append(rel)
            else:
                issues.append(RelationshipIssue(line, index, error))
        if kept_rels != person.relationships:
            person = person.model_copy(update={"relationships": kept_rels})
        out[line] = person
    return out, sorted(issues, key=lambda i: (i.line, i.index))


def _problem(
    person: Person,
    rel: Relationship,
    by_id: Mapping[str, Person],
    says: Mapping[tuple[str, str], str],
) -> str | None:
    if rel.person_id == person.person_id:
        return "a person cannot be related to themselves"
    other = by_id.get(rel.person_id)
    if other is None:
        return None
    error = _age_error(person, other, rel.type)
    if error is not None:
        return error
    kind = kin_of(rel.type)
    back = says.get((rel.person_id, person.person_id))
    if (
        kind is not None
        and back is not None
        and _DIRECTION_OF_KIN[kind] != -_DIRECTION_OF_KIN[back]
    ):
        return (
            f"contradicts the other person's line (this line says they are {kind}, "
            f"theirs says this person is their {back})"
        )
    return None
