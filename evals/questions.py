"""Gold retrieval questions generated from the estate's planted facts.

Types: ``history`` (all records of one fact kind in the family), ``presence`` (one planted
fact about a named family member), ``absence`` (a fact kind the family does NOT have:
nothing should be found), ``cross_system`` (a fact recorded in two or more systems).
Family-wide questions (history, cross-system, absence) are asked about the family; a
presence question about a fact that names the index child is asked about the child's linked
person. Both are resolved through the gold links to the case store (or, for the gold
corpus, ``LP-<true id>`` and the gold family id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from retrieval.jsonl import jsonl_rows

QuestionType = Literal["history", "presence", "absence", "cross_system"]
QUESTION_TYPES: tuple[QuestionType, ...] = ("history", "presence", "absence", "cross_system")
RecordKey = tuple[str, str]

#: Fact kind -> words a practitioner would use. Kinds the policy never processes are skipped.
KIND_PHRASES: dict[str, str] = {
    "substance_misuse": "drug and alcohol misuse",
    "domestic_abuse": "domestic abuse incidents",
    "exclusion": "school exclusions",
    "missing_episode": "missing episodes, going missing from home",
    # Not "mental health" in general: parental mental health concerns are recorded in many
    # families without any CAMHS involvement, and an answer citing them is right.
    "camhs_involvement": "CAMHS involvement (child and adolescent mental health services)",
    "house_move": "house moves and changes of address",
    "protective_factor": "protective factors and positive support",
    "strength": "strengths and things going well",
    "send_need": "special educational needs",
    "send_provision": "special educational provision and support in school",
    "send_view": "the child's and parents' views and wishes about their education",
}
NEVER_ASKED: frozenset[str] = frozenset({"adoption"})


@dataclass(frozen=True)
class GoldQuestion:
    question_id: str
    type: QuestionType
    family_id: str
    fact_kind: str
    question: str
    #: The search subject: the index child's linked person id or their family id.
    subject: str
    #: The index child's linked person id.
    index_child: str
    #: Records that answer it (processing-permitted ones only); empty for ``absence``.
    expected_record_keys: tuple[RecordKey, ...] = ()
    #: Of those, the ones only some roles may see (restricted sensitivity / record type).
    restricted_record_keys: tuple[RecordKey, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "expected_record_keys": [list(k) for k in self.expected_record_keys],
            "restricted_record_keys": [list(k) for k in self.restricted_record_keys],
        }


def _phrase(kind: str) -> str:
    return KIND_PHRASES.get(kind, kind.replace("_", " "))


def _keys(fact: dict[str, Any], field_name: str = "record_keys") -> list[RecordKey]:
    return [(str(k[0]), str(k[1])) for k in fact.get(field_name, [])]


def _permitted(fact: dict[str, Any]) -> list[RecordKey]:
    excluded = set(_keys(fact, "excluded_record_keys"))
    return [k for k in _keys(fact) if k not in excluded]


_Spec = tuple[QuestionType, str, str, list[dict[str, Any]], bool]


def _family_questions(index_child: str, all_facts: list[dict[str, Any]]) -> list[_Spec]:
    """(type, kind, question, facts answering it, asked about the index child) per question."""
    facts = [f for f in all_facts if f["kind"] not in NEVER_ASKED and _permitted(f)]
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fact in facts:
        by_kind[fact["kind"]].append(fact)
    specs: list[_Spec] = []
    for kind, kind_facts in sorted(by_kind.items()):
        phrase = _phrase(kind)
        specs.append(
            ("history", kind, f"What is the history of {phrase} in this family?", kind_facts, False)
        )
        about_child = [f for f in kind_facts if index_child in f["subjects"]]
        chosen = about_child[:1] or kind_facts[:1]
        specs.append(
            ("presence", kind, f"Is there any record of {phrase}?", chosen, bool(about_child))
        )
        multi = [f for f in kind_facts if len({k[0] for k in _permitted(f)}) >= 2]
        if multi:
            specs.append(
                (
                    "cross_system",
                    kind,
                    f"What do the different services say about {phrase}?",
                    multi[:1],
                    False,
                )
            )
    present = {f["kind"] for f in all_facts}
    absent = [k for k in sorted(KIND_PHRASES) if k not in present]
    if absent:
        specs.append(
            ("absence", absent[0], f"Is there any record of {_phrase(absent[0])}?", [], False)
        )
    return specs


def generate_questions(
    estate_dir: Path,
    subject_of: Callable[[str], str | None],
    family_of: Callable[[str], str | None],
    families: Iterable[str] | None = None,
) -> list[GoldQuestion]:
    """Questions for every family (or ``families``). ``subject_of(true_person_id)`` gives the
    index child's linked person id and ``family_of(linked_person_id)`` its family id
    (``None`` from either: the family is skipped)."""
    gold = Path(estate_dir) / "gold"
    wanted = set(families) if families is not None else None
    facts_by_family: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fact in jsonl_rows(gold / "facts.jsonl"):
        facts_by_family[fact["family_id"]].append(fact)
    questions: list[GoldQuestion] = []
    for family in jsonl_rows(gold / "families.jsonl"):
        fid = family["family_id"]
        if wanted is not None and fid not in wanted:
            continue
        child = subject_of(family["index_child"])
        family_subject = family_of(child) if child is not None else None
        if child is None or family_subject is None:
            continue
        specs = _family_questions(family["index_child"], facts_by_family.get(fid, []))
        for n, (qtype, kind, text, chosen, about_child) in enumerate(specs, start=1):
            keys = list(dict.fromkeys(k for f in chosen for k in _permitted(f)))
            restricted = {k for f in chosen for k in _keys(f, "restricted_record_keys")}
            questions.append(
                GoldQuestion(
                    question_id=f"{fid}-Q{n:02d}",
                    type=qtype,
                    family_id=fid,
                    fact_kind=kind,
                    question=text,
                    subject=child if about_child else family_subject,
                    index_child=child,
                    expected_record_keys=tuple(keys),
                    restricted_record_keys=tuple(k for k in keys if k in restricted),
                )
            )
    return questions


def gold_subject_resolver(true_person_id: str) -> str:
    """For the gold-linked corpus (``evals.gold_pseudonymised``)."""
    from evals.gold_pseudonymised import gold_linked_id

    return gold_linked_id(true_person_id)


def gold_family_resolver(linked_person_id: str) -> str:
    """``LP-FAM-00001-00`` -> ``FAM-00001`` (the gold corpus's family ids)."""
    true_id = linked_person_id.removeprefix("LP-")
    return true_id.rsplit("-", 1)[0]


def store_family_resolver(store: Any) -> Callable[[str], str | None]:
    def resolve(linked_person_id: str) -> str | None:
        family = store.family_of(linked_person_id)
        return family.family_id if family is not None else None

    return resolve


def store_subject_resolver(store: Any, estate_dir: Path) -> Callable[[str], str | None]:
    """true person id -> the case store's linked person, via the gold links (first system
    in which the person has a record that the store linked)."""
    links: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in jsonl_rows(Path(estate_dir) / "gold" / "links.jsonl"):
        links[row["true_person_id"]].append((row["source_system"], row["person_id"]))

    def resolve(true_person_id: str) -> str | None:
        for system, person_id in links.get(true_person_id, []):
            linked = store.linked_person_of(system, person_id)
            if linked:
                return str(linked)
        return None

    return resolve


def recall_at_k(retrieved: list[RecordKey], expected: Iterable[RecordKey], k: int = 10) -> float:
    """Share of expected records among the top ``k`` retrieved (denominator capped at ``k``)."""
    expected = list(dict.fromkeys(expected))
    if not expected:
        raise ValueError("recall is undefined for a question with no expected records")
    top = set(retrieved[:k])
    found = sum(1 for key in expected if key in top)
    return found / min(len(expected), k)
