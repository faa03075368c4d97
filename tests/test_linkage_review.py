"""Clerical review round trip: list pairs in words, accept / reject, audited, kept across runs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from test_linkage_household import marsh_family
from typer.testing import CliRunner

from api.cli import app
from api.settings import load_settings
from retrieval.linkage.result import PersonKey, ReviewPair
from retrieval.linkage.review import children_among, review_order
from retrieval.records import Person
from retrieval.store import CaseStore


@pytest.fixture
def steward_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("CASELENS_PROFILE", "test")
    monkeypatch.setenv("CASELENS_DATA_DIR", str(data))
    users = {
        "users": {
            "steward": {"role": "data_steward", "caseload": []},
            "worker": {"role": "family_worker", "caseload": []},
        }
    }
    (data / "users.yaml").write_text(yaml.safe_dump(users))
    (data / "users.yaml").chmod(0o600)
    # The Marsh family without relationships: the mother's maiden-name record is a doubt.
    people, _ = marsh_family()
    with CaseStore.open(load_settings().resolved_database_url) as store:
        store.upsert_people([p.model_copy(update={"relationships": []}) for p in people])
    return data


def _run(*args: str) -> dict:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _pending() -> dict[tuple[str, str], int]:
    listed = _run("link", "review", "--json")
    return {(p["left"], p["right"]): p["review_id"] for p in listed["pairs"]}


def _same_person(a: PersonKey, b: PersonKey) -> bool:
    with CaseStore.open(load_settings().resolved_database_url) as store:
        left = store.linked_person_of(a.source_system, a.person_id)
        return left == store.linked_person_of(b.source_system, b.person_id)


def test_review_round_trip(steward_env: Path) -> None:
    first = _run("link", "--json")
    assert first["review_pairs"] == 3
    listed = _run("link", "review", "--json")
    assert listed["pending"] == 3
    for pair in listed["pairs"]:
        assert "given name agrees, family name differs" in pair["evidence"]
        assert "Gemma" not in pair["evidence"] and "Whitlow" not in pair["evidence"]
    pending = _pending()
    maiden, lcs, school = "HOUSING:G1", "LCS:L2", "SCHOOL:S2"
    g1, l2, s2 = PersonKey("HOUSING", "G1"), PersonKey("LCS", "L2"), PersonKey("SCHOOL", "S2")
    assert not _same_person(g1, l2)

    # A family worker may not decide.
    refused = CliRunner().invoke(
        app, ["link", "review", "accept", str(pending[(maiden, lcs)]), "--user", "worker"]
    )
    assert refused.exit_code == 3

    accepted = _run("link", "review", "accept", str(pending[(maiden, lcs)]), "--user", "steward")
    assert accepted["decided"][0]["status"] == "accepted"
    assert _same_person(g1, l2)
    rejected = _run("link", "review", "reject", str(pending[(maiden, school)]), "--user", "steward")
    assert rejected["decided"][0]["status"] == "rejected"
    assert _pending() == {}  # one merged away, one decided

    # Decisions survive a fresh linkage run and feed it.
    again = _run("link", "--json")
    assert again["decisions_applied"] == 2 and again["review_pairs"] == 0
    assert _same_person(g1, l2) and not _same_person(g1, s2)

    settings = load_settings()
    with CaseStore.open(settings.resolved_database_url) as store:
        from api import backends

        entries = [
            e
            for e in backends.build_audit_log(settings, store).entries()
            if e.action == "link_review"
        ]
    assert [(e.user, e.role, e.outcome) for e in entries] == [
        ("steward", "data_steward", "accepted"),
        ("steward", "data_steward", "rejected"),
    ]


def _person(system: str, pid: str, dob: date | None, *rels: tuple[str, str]) -> Person:
    return Person(
        person_id=pid,
        source_system=system,
        given_name="Test",
        family_name=pid,
        dob=dob,
        relationships=[{"person_id": p, "type": t} for p, t in rels],
    )


def test_children_on_a_caseload_come_first() -> None:
    today = date(2026, 1, 1)
    people = [
        _person("LCS", "KID", date(2015, 1, 1)),
        _person("LCS", "MUM", date(1985, 1, 1), ("NODOB", "child")),
        _person("LCS", "NODOB", None, ("MUM", "mother")),  # a child by the relationship
        _person("LCS", "ADULT", date(1970, 1, 1)),
    ]
    children = children_among(people, today)
    assert children == {PersonKey("LCS", "KID"), PersonKey("LCS", "NODOB")}

    def pair(left: str, probability: float) -> ReviewPair:
        return ReviewPair(PersonKey("LCS", left), PersonKey("SCHOOL", "X"), probability)

    pairs = [pair("ADULT", 0.95), pair("MUM", 0.9), pair("KID", 0.6), pair("NODOB", 0.7)]
    on_caseload = {PersonKey("LCS", "KID"), PersonKey("LCS", "MUM")}
    ordered = review_order(pairs, children.__contains__, on_caseload.__contains__)
    assert [p.left.person_id for p in ordered] == ["KID", "NODOB", "MUM", "ADULT"]


def test_review_over_the_api_for_a_data_steward(steward_env: Path) -> None:
    from fastapi.testclient import TestClient

    from api import backends
    from api.app.auth import Authenticator
    from api.app.components import AppComponents
    from api.app.factory import create_app
    from api.app.tokens import hash_token, new_token
    from retrieval.principal import UserDirectory

    tokens = {name: new_token(name) for name in ("steward", "worker")}
    users = {
        "users": {
            "steward": {"role": "data_steward", "token_hash": hash_token(tokens["steward"])},
            "worker": {"role": "family_worker", "token_hash": hash_token(tokens["worker"])},
        }
    }
    (steward_env / "users.yaml").write_text(yaml.safe_dump(users))
    _run("link", "--json")
    settings = load_settings()
    store = backends.open_case_store(settings)
    policy = backends.load_policy(settings)
    comps = AppComponents(
        settings=settings,
        store=store,
        policy=policy,
        authenticator=Authenticator(UserDirectory.parse(users), policy),
        audit=backends.build_audit_log(settings, store),
        answer_service_factory=lambda: None,
    )
    try:
        client = TestClient(create_app(settings, components=comps))
        steward = {"Authorization": f"Bearer {tokens['steward']}"}
        worker = {"Authorization": f"Bearer {tokens['worker']}"}
        assert client.get("/link/review", headers=worker).status_code == 403
        listed = client.get("/link/review", headers=steward).json()
        assert listed["pending"] == 3
        assert "Gemma" not in json.dumps(listed)
        pair = next(p for p in listed["pairs"] if p["right"] == "LCS:L2")
        url = f"/link/review/{pair['review_id']}"
        assert client.post(url, json={"decision": "accept"}, headers=worker).status_code == 403
        assert (
            client.post(
                "/link/review/999999", json={"decision": "accept"}, headers=steward
            ).status_code
            == 404
        )
        done = client.post(url, json={"decision": "accept"}, headers=steward)
        assert done.status_code == 200, done.text
        assert done.json()["decided"]["status"] == "accepted"
        assert _same_person(PersonKey("HOUSING", "G1"), PersonKey("LCS", "L2"))
        assert client.get("/link/review", headers=steward).json()["pending"] == 1
    finally:
        store.close()
