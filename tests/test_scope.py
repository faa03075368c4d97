"""One permission rule: the API's "may ask about" check and the index filter agree.

Both come from ``retrieval.index.scope.Scope``. For every role of the shipped policy, every
kind of caseload (a child, a family, another family, none, break-glass) and every kind of
subject (a person, their parent, the family), a real Qdrant Edge index holding records of
each person in every system is asked with the filter: it returns records exactly when the
API lets the principal ask.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from retrieval.index.edge import EdgeVectorStore
from retrieval.index.scope import Scope
from retrieval.index.sparse import SparseVec
from retrieval.index.store import IndexPoint
from retrieval.index.subject import Subject
from retrieval.principal import Principal

#: Two synthetic families: a child and a parent, and one child of another family.
FAMILY_OF = {"LP-child": "FAM-a", "LP-parent": "FAM-a", "LP-other": "FAM-b"}
RECORD_TYPES = ("case_note", "assessment")


class Families:
    """The case store's ``family_ids_of`` over the synthetic linkage above."""

    def family_ids_of(self, linked_ids: list[str]) -> dict[str, str | None]:
        return {i: FAMILY_OF.get(i) for i in linked_ids}


@pytest.fixture(scope="module")
def policy() -> Any:
    from api.settings import default_policy_path
    from retrieval.policy import InformationSharingPolicy

    return InformationSharingPolicy.load(default_policy_path())


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, policy: Any) -> Any:
    systems = sorted({s for name in policy.roles for s in policy.role(name).systems})
    store = EdgeVectorStore(Path(tmp_path_factory.mktemp("scope")) / "index", 4)
    points = [
        IndexPoint(
            str(uuid.uuid4()),
            [0.1, 0.2, 0.3, 0.4],
            SparseVec((1,), (1.0,)),
            {
                "linked_person_ids": [person],
                "family_ids": [family],
                "source_system": system,
                "sensitivity": "standard",
                "record_type": record_type,
                "policy_tags": [],
                "chunk_index": 0,
            },
        )
        for person, family in FAMILY_OF.items()
        for system in systems
        for record_type in RECORD_TYPES
    ]
    store.upsert(points)
    yield store
    store.close()


CASELOADS = {
    "child": {"caseload_people": frozenset({"LP-child"})},
    "family": {"caseload_families": frozenset({"FAM-a"})},
    "other family": {"caseload_people": frozenset({"LP-other"})},
    "none": {},
    "break-glass": {"break_glass_reason": "court order"},
}
SUBJECTS = [
    Subject("person", "LP-child"),
    Subject("person", "LP-parent"),
    Subject("family", "FAM-a"),
]


def test_the_api_check_and_the_index_filter_agree_for_every_role_and_subject(
    index: Any, policy: Any
) -> None:
    checked = 0
    for role_name in policy.roles:
        role = policy.role(role_name)
        for caseload, fields in CASELOADS.items():
            principal = Principal("u", role_name, **fields)
            for subject in SUBJECTS:
                scope = Scope(principal, role, subject)
                flt = scope.record_filter()
                found = index.count(flt) if flt is not None else 0
                if not scope.caseload.sees_records:
                    assert flt is None, role_name
                    continue
                asked = scope.may_ask(Families())
                assert asked == (found > 0), (role_name, caseload, subject)
                checked += 1
    assert checked > 20


def test_a_caseload_scoped_role_reaches_only_its_caseload(index: Any, policy: Any) -> None:
    scoped = next(name for name in policy.roles if policy.role(name).caseload_scoped)
    role = policy.role(scoped)
    child = Principal("u", scoped, caseload_people=frozenset({"LP-child"}))
    other = Principal("u", scoped, caseload_people=frozenset({"LP-other"}))
    family = Subject("family", "FAM-a")
    assert Scope(child, role, family).may_ask(Families())
    assert not Scope(other, role, family).may_ask(Families())
    assert not Scope(other, role, Subject("person", "LP-child")).may_ask(Families())
    # The family as a subject gives the caseload child's records, not the parent's.
    flt = Scope(child, role, family).record_filter()
    assert flt is not None
    people = {
        p for row in index.payloads(flt, ["linked_person_ids"]) for p in row["linked_person_ids"]
    }
    assert people == {"LP-child"}


def test_a_role_policy_of_another_role_is_refused(policy: Any) -> None:
    names = list(policy.roles)
    principal = Principal("u", names[0])
    with pytest.raises(ValueError):
        Scope(principal, policy.role(names[1]), SUBJECTS[0]).record_filter()
