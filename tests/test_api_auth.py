"""Every route as every role (and signed out), over the real stack: local API tokens,
OIDC JWTs signed with a local RSA key, caseload and policy checks, audit-first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_support import ApiUsers, build_components, mint_jwt, parse_sse, write_users
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

QUESTION = "What is the history of drug and alcohol misuse in this family?"


@pytest.fixture(scope="module")
def api(real_stack: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from api.app import create_app

    families = sorted(set(real_stack.corpus.subject_of.values()))
    users = write_users(tmp_path_factory.mktemp("api-users"), real_stack.policy, families)
    comps = build_components(real_stack, users)
    return {
        "client": TestClient(create_app(comps.settings, components=comps)),
        "users": users,
        "families": families,
        "stack": real_stack,
        "comps": comps,
    }


def _family_record(stack: Any, family: str, **want: str) -> Any:
    """A record about a family member matching ``want`` (e.g. source_system="LCS")."""
    for linked_id in stack.store.family_people(family).members:
        for record in stack.store.records_for_linked_person(linked_id):
            if all(getattr(record, k) == v for k, v in want.items()):
                return record
    pytest.skip(f"no record with {want} in the test estate")


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _routes(api: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    family = api["families"][0]
    record = _family_record(
        api["stack"], family, source_system="LCS", record_type="case_note", sensitivity="standard"
    )
    return {
        "me": ("GET", "/me", {}),
        "subjects": ("GET", "/subjects?q=", {}),
        "chat": ("POST", "/chat", {"json": {"subject": family, "question": QUESTION}}),
        "record": ("GET", f"/records/LCS/{record.record_id}", {}),
        "audit_verify": ("GET", "/audit/verify", {}),
        "audit_export": ("GET", "/audit/export?month=2026-11", {}),
        "link_review": ("GET", "/link/review", {}),
        "conversations": ("GET", "/conversations", {}),
    }


def _expected(role: str, route: str) -> int:
    if route == "link_review":
        return 200 if role == "data_steward" else 403
    if role == "data_steward" and route in ("record", "chat"):
        return 403  # a data steward reads no case record, so it asks nothing either
    if route.startswith("audit_"):
        return 200 if role == "auditor" else 403
    if route in ("subjects", "chat", "record", "conversations"):
        return 403 if role == "auditor" else 200
    return 200


def test_health_and_panel_need_no_sign_in(api: dict[str, Any]) -> None:
    client = api["client"]
    assert client.get("/health").json()["status"] == "ok"
    page = client.get("/")
    assert page.status_code == 200 and "<main" in page.text and 'aria-live="polite"' in page.text
    assert client.get("/static/app.js").status_code == 200
    docs = client.get("/openapi.json").json()
    assert docs["components"]["schemas"]["ChatRequest"]["examples"]


def test_every_route_refuses_the_signed_out_and_bad_tokens(api: dict[str, Any]) -> None:
    client, users = api["client"], api["users"]
    forged = users.tokens["api-social_worker"][:-4] + "AAAA"
    for name, (method, url, kwargs) in _routes(api).items():
        assert client.request(method, url, **kwargs).status_code == 401, name
        for bad in ("Basic abc", "Bearer ", f"Bearer {forged}", "Bearer not-a-token"):
            got = client.request(method, url, headers={"Authorization": bad}, **kwargs)
            assert got.status_code == 401, (name, bad)
            assert got.headers.get("www-authenticate") == "Bearer"


def test_every_route_as_every_role(api: dict[str, Any]) -> None:
    client, users = api["client"], api["users"]
    routes = _routes(api)
    assert set(users.role_of.values()) == set(api["stack"].policy.role_names)
    for user, role in users.role_of.items():
        for name, (method, url, kwargs) in routes.items():
            got = client.request(method, url, headers=_auth(users.tokens[user]), **kwargs)
            assert got.status_code == _expected(role, name), (role, name, got.text[:200])
            if name == "chat" and got.status_code == 200:
                events = [e for e, _ in parse_sse(got.text)]
                assert events[-1] == "answer", (role, events)


def test_a_role_that_sees_no_records_is_told_it_cannot_ask(api: dict[str, Any]) -> None:
    """A data steward (linkage review only) gets a clear refusal, not an answer built from
    no records that reads as "nothing recorded"; ``/me`` says it may not ask."""
    client, users = api["client"], api["users"]
    steward = next(u for u, role in users.role_of.items() if role == "data_steward")
    headers = _auth(users.tokens[steward])
    assert client.get("/me", headers=headers).json()["may_ask"] is False
    body = {"subject": api["families"][0], "question": QUESTION}
    refused = client.post("/chat", headers=headers, json=body)
    assert refused.status_code == 403
    assert "sees no case records" in refused.json()["detail"]
    worker = next(u for u, role in users.role_of.items() if role == "social_worker")
    assert client.get("/me", headers=_auth(users.tokens[worker])).json()["may_ask"] is True


def test_family_worker_cannot_open_a_record_outside_caseload_without_breaking_glass(
    api: dict[str, Any],
) -> None:
    client, users, stack = api["client"], api["users"], api["stack"]
    token = users.tokens["api-family_worker"]
    outside = _family_record(
        stack,
        users.outside_family,
        source_system="LCS",
        sensitivity="standard",
        record_type="case_note",
    )
    url = f"/records/LCS/{outside.record_id}"
    before = api["comps"].audit.count()
    denied = client.get(url, headers=_auth(token))
    assert denied.status_code == 403
    assert outside.text not in denied.text
    last = list(api["comps"].audit.entries())[-1]
    assert (last.action, last.user, last.record_ids) == ("denied", "api-family_worker", [])
    assert api["comps"].audit.count() == before + 1
    # Breaking glass opens it, and the reason is in the audit entry.
    opened = client.get(url, headers={**_auth(token), "X-Break-Glass-Reason": "Duty cover"})
    assert opened.status_code == 200 and opened.json()["text"] == outside.text
    last = list(api["comps"].audit.entries())[-1]
    assert last.action == "record_view" and last.break_glass_reason == "Duty cover"
    assert last.record_ids == [f"LCS:{outside.record_id}"]
    # Chat about the other family is refused (and audited) too.
    chat = client.post(
        "/chat", headers=_auth(token), json={"subject": users.outside_family, "question": QUESTION}
    )
    assert chat.status_code == 403


def test_policy_hides_record_types_even_on_the_caseload(api: dict[str, Any]) -> None:
    client, users, stack = api["client"], api["users"], api["stack"]
    hidden = None
    for family in api["families"][:1]:
        for linked_id in stack.store.family_people(family).members:
            for rec in stack.store.records_for_linked_person(linked_id):
                if rec.source_system == "POLICE":
                    hidden = rec
    if hidden is None:
        pytest.skip("no POLICE record on the caseload family")
    url = f"/records/POLICE/{hidden.record_id}"
    assert client.get(url, headers=_auth(users.tokens["api-family_worker"])).status_code == 403
    sw = client.get(url, headers=_auth(users.tokens["api-social_worker"]))
    assert sw.status_code == (200 if hidden.sensitivity != "sealed" else 403)


def test_record_view_shows_provenance(api: dict[str, Any]) -> None:
    client, users, stack = api["client"], api["users"], api["stack"]
    rec = _family_record(
        stack,
        api["families"][0],
        source_system="LCS",
        sensitivity="standard",
        record_type="case_note",
    )
    body = client.get(
        f"/records/LCS/{rec.record_id}", headers=_auth(users.tokens["api-social_worker"])
    ).json()
    prov = body["provenance"]
    assert prov["source_url"] == rec.source_url
    assert prov["author"]["role"] == rec.author.role
    assert prov["last_refreshed"] is not None and prov["refreshes"]
    assert prov["indexed_at"] is not None  # when caselens prepared it for search


def test_records_refuse_auditors_and_do_not_tell_which_ids_exist(api: dict[str, Any]) -> None:
    """F8 and the low findings: the auditor read any record in full; a missing record was
    a 404 before any permission check (an existence test, unaudited); ``?subject=`` went
    into the audit row unchecked."""
    client, users, stack, comps = api["client"], api["users"], api["stack"], api["comps"]
    rec = _family_record(
        stack,
        api["families"][0],
        source_system="LCS",
        sensitivity="standard",
        record_type="case_note",
    )
    auditor = client.get(
        f"/records/LCS/{rec.record_id}", headers=_auth(users.tokens["api-auditor"])
    )
    assert auditor.status_code == 403 and rec.text not in auditor.text
    outside = _family_record(
        stack,
        users.outside_family,
        source_system="LCS",
        sensitivity="standard",
        record_type="case_note",
    )
    worker = _auth(users.tokens["api-family_worker"])
    before = comps.audit.count()
    missing = client.get("/records/LCS/NO-SUCH-RECORD", headers=worker)
    hidden = client.get(f"/records/LCS/{outside.record_id}", headers=worker)
    assert missing.status_code == hidden.status_code == 403
    assert missing.json() == hidden.json()
    logged = list(comps.audit.entries())[before:]
    assert [(e.action, e.outcome) for e in logged] == [("denied", "not_permitted")] * 2
    bad = client.get(
        f"/records/LCS/{rec.record_id}?subject=<script>alert(1)</script>", headers=worker
    )
    assert bad.status_code == 422 and comps.audit.count() == before + 2


def test_subjects_are_limited_to_the_caseload(api: dict[str, Any]) -> None:
    client, users = api["client"], api["users"]
    fw = client.get("/subjects", headers=_auth(users.tokens["api-family_worker"])).json()
    assert [s["id"] for s in fw["subjects"]] == api["families"][:1]
    member = fw["subjects"][0]["members"][0]
    surname = member["label"].split()[-1]
    found = client.get(
        f"/subjects?q={surname}", headers=_auth(users.tokens["api-family_worker"])
    ).json()
    assert api["families"][0] in [s["id"] for s in found["subjects"]]
    ev = client.get("/subjects", headers=_auth(users.tokens["api-evaluator"])).json()
    assert set(api["families"]) <= {s["id"] for s in ev["subjects"]}


def test_oidc_tokens(api: dict[str, Any]) -> None:
    client, users = api["client"], api["users"]
    user = "oidc.worker@council.example"
    me = client.get("/me", headers=_auth(mint_jwt(users, user)))
    assert me.status_code == 200
    assert me.json()["role"] == "social_worker" and me.json()["caseload"] == api["families"][:1]
    for bad in (
        mint_jwt(users, user, exp=1),
        mint_jwt(users, user, aud="api://someone-else"),
        mint_jwt(users, user, iss="https://evil.example/"),
    ):
        assert client.get("/me", headers=_auth(bad)).status_code == 401
    assert client.get("/me", headers=_auth(_foreign_jwt(users, user))).status_code == 401
    stranger = client.get("/me", headers=_auth(mint_jwt(users, "stranger@council.example")))
    assert stranger.status_code == 403


def _foreign_jwt(users: ApiUsers, user: str) -> str:
    """Right claims, signed by a key that is not in the JWKS."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = ApiUsers(
        users.path,
        {},
        {},
        users.jwks_path,
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "",
    )
    return mint_jwt(other, user)


def test_audit_failure_fails_the_request(api: dict[str, Any], tmp_path: Path) -> None:
    from dataclasses import replace

    from api.app import create_app
    from api.audit import AuditLog
    from retrieval.store.audit_store import AuditRows

    missing = tmp_path / "no-such-dir" / "audit.sqlite3"
    broken = replace(api["comps"], audit=AuditLog(AuditRows(create_engine(f"sqlite:///{missing}"))))
    client = TestClient(create_app(broken.settings, components=broken))
    users, stack = api["users"], api["stack"]
    token = _auth(users.tokens["api-social_worker"])
    rec = _family_record(
        stack,
        api["families"][0],
        source_system="LCS",
        sensitivity="standard",
        record_type="case_note",
    )
    got = client.get(f"/records/LCS/{rec.record_id}", headers=token)
    assert got.status_code == 503 and rec.text not in got.text
    chat = client.post(
        "/chat", headers=token, json={"subject": api["families"][0], "question": QUESTION}
    )
    assert chat.status_code == 503 and "event:" not in chat.text
    assert client.get("/subjects", headers=token).status_code == 503
