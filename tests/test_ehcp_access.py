"""Who may see, change and create EHCP drafts (issue 15 F3, F14), over the real stack:
role, caseload and ownership are checked and audited on every route, with or without a
vault key, and a failed audit write never falls back to showing the draft."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import yaml
from api_support import build_components, write_users
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from assistant.ehcp.model import SECTION_IDS


def _app(real_stack: Any, tmp_path: Any, *, vault: bool, audit: Any = None) -> dict[str, Any]:
    from api.app import create_app
    from api.app.tokens import hash_token, new_token
    from api.backends import build_ehcp_service

    tmp_path.mkdir(parents=True, exist_ok=True)
    store = real_stack.store
    advice = next(
        r
        for r in store.iter_pseudonymised()
        if r.source_system == "SEND" and r.record_type == "advice_report"
    )
    child = advice.linked_person_ids[0]
    family = store.family_of(child).family_id
    others = sorted(set(real_stack.corpus.subject_of.values()) - {family})
    users = write_users(tmp_path, real_stack.policy, [family, *others])
    # Two more SEND officers: one with the same caseload (not the draft's owner), one
    # with another family.
    data = yaml.safe_load(users.path.read_text(encoding="utf-8"))
    for user, caseload in (("officer-two", [family]), ("officer-elsewhere", others[:1])):
        users.tokens[user] = new_token(user)
        data["users"][user] = {
            "role": "send_officer",
            "caseload": caseload,
            "token_hash": hash_token(users.tokens[user]),
        }
    users.path.write_text(yaml.safe_dump(data), encoding="utf-8")
    comps = build_components(real_stack, users)
    if audit is not None:
        comps = replace(comps, audit=audit)
    settings = comps.settings.model_copy(update={} if vault else {"vault_key": None}, deep=False)

    def factory(c: Any) -> Any:
        service = build_ehcp_service(settings, c.store, embedder=real_stack.embedder)
        if audit is not None:
            service._audit = audit
        return service

    app = create_app(comps.settings, components=comps, ehcp_service_factory=factory)
    return {"client": TestClient(app), "users": users, "child": child, "comps": comps}


def _auth(api: dict[str, Any], user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api['users'].tokens[user]}"}


@pytest.fixture(scope="module")
def no_vault(real_stack: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _app(real_stack, tmp_path_factory.mktemp("ehcp-no-vault"), vault=False)


@pytest.fixture(scope="module")
def with_vault(real_stack: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _app(real_stack, tmp_path_factory.mktemp("ehcp-vault"), vault=True)


def _draft(api: dict[str, Any]) -> str:
    made = api["client"].post(
        f"/ehcp/{api['child']}/drafts", headers=_auth(api, "api-send_officer")
    )
    assert made.status_code == 201, made.text
    return str(made.json()["draft"]["draft_id"])


def test_without_a_vault_key_only_permitted_users_read_a_draft_and_it_is_audited(
    no_vault: dict[str, Any],
) -> None:
    """F3: a family worker (no SEND access) and an officer with another caseload got 200
    and no audit row when no vault key was configured."""
    api = no_vault
    client, audit = api["client"], api["comps"].audit
    draft_id = _draft(api)
    before = audit.count()
    for user in ("api-family_worker", "officer-elsewhere"):
        got = client.get(f"/ehcp/drafts/{draft_id}", headers=_auth(api, user))
        assert got.status_code == 403, (user, got.text[:200])
        assert "sections" not in got.text
    denied = list(audit.entries())[before:]
    assert [(e.action, e.user) for e in denied] == [
        ("denied", "api-family_worker"),
        ("denied", "officer-elsewhere"),
    ]
    owner = client.get(f"/ehcp/drafts/{draft_id}", headers=_auth(api, "api-send_officer"))
    assert owner.status_code == 200 and owner.json()["reidentified"] is False
    last = list(audit.entries())[-1]
    assert (last.action, last.user, last.detail["step"]) == (
        "record_view",
        "api-send_officer",
        "ehcp_view",
    )
    assert last.record_ids and last.detail["reidentified"] is False
    docx = client.get(f"/ehcp/drafts/{draft_id}/docx", headers=_auth(api, "api-send_officer"))
    assert docx.status_code == 503  # was 500


@pytest.mark.parametrize("vault", [False, True])
def test_an_audit_failure_on_view_shows_nothing(
    real_stack: Any, tmp_path: Any, vault: bool
) -> None:
    """F3: ``AuditError`` was a ``RuntimeError``, so a failed audit write fell back to the
    unaudited pseudonymised draft (200)."""
    from api.audit import AuditError, AuditLog
    from retrieval.store.audit_store import AuditRows

    assert not issubclass(AuditError, RuntimeError)
    working = _app(real_stack, tmp_path / "ok", vault=vault)
    draft_id = _draft(working)
    broken = AuditLog(
        AuditRows(create_engine(f"sqlite:///{tmp_path / 'missing' / 'audit.sqlite3'}"))
    )
    api = _app(real_stack, tmp_path / "broken", vault=vault, audit=broken)
    got = api["client"].get(f"/ehcp/drafts/{draft_id}", headers=_auth(api, "api-send_officer"))
    assert got.status_code == 503 and "sections" not in got.text


def test_only_the_owner_officer_changes_a_draft(with_vault: dict[str, Any]) -> None:
    """F14: a social worker, an evaluator or CAMHS with the child on their caseload could
    edit or reject a SEND officer's sections; another officer is not the owner either."""
    api = with_vault
    client, audit = api["client"], api["comps"].audit
    draft_id = _draft(api)
    url = f"/ehcp/drafts/{draft_id}/sections/B"
    for user in ("api-social_worker", "api-evaluator", "api-camhs_practitioner", "officer-two"):
        for body in ({"action": "reject"}, {"action": "edit", "text": "Replaced."}):
            got = client.post(url, json=body, headers=_auth(api, user))
            assert got.status_code == 403, (user, body, got.text[:200])
        last = list(audit.entries())[-1]
        assert (last.action, last.user) == ("denied", user)
    signed = client.post(f"/ehcp/drafts/{draft_id}/sign-off", headers=_auth(api, "officer-two"))
    assert signed.status_code == 403
    section = client.get(f"/ehcp/drafts/{draft_id}", headers=_auth(api, "api-send_officer"))
    assert (
        next(s for s in section.json()["draft"]["sections"] if s["section"] == "B")["review_state"]
        == "ai_draft"
    )
    for sid in SECTION_IDS:
        # I and J are the local authority's to write: an edit, never an accept.
        body = {"action": "edit", "text": "Decided."} if sid in ("I", "J") else {"action": "accept"}
        done = client.post(
            f"/ehcp/drafts/{draft_id}/sections/{sid}",
            json=body,
            headers=_auth(api, "api-send_officer"),
        )
        assert done.status_code == 200, (sid, done.text[:200])
    # The owner is not refused for who they are (sign-off has its own completeness rules).
    signed = client.post(
        f"/ehcp/drafts/{draft_id}/sign-off", headers=_auth(api, "api-send_officer")
    )
    assert signed.status_code in (200, 409), signed.text[:200]


def test_a_draft_needs_a_real_child_with_advice(with_vault: dict[str, Any]) -> None:
    """F14: the evaluator created a draft for a child that does not exist (201)."""
    api = with_vault
    client = api["client"]
    # A caseload-scoped officer is refused before existence is looked at.
    for user, status in (("api-send_officer", 403), ("api-evaluator", 404)):
        got = client.post("/ehcp/LP-000000000000/drafts", headers=_auth(api, user))
        assert got.status_code == status, (user, got.text[:200])
    last = list(api["comps"].audit.entries())[-1]
    assert (last.action, last.outcome, last.subject) == (
        "denied",
        "no_advice",
        "LP-000000000000",
    )


def test_cli_show_checks_and_audits_like_the_api(
    real_stack: Any, tmp_path: Any, with_vault: dict[str, Any]
) -> None:
    """``caselens ehcp show`` read any draft from the store with no check and no audit."""
    from typer.testing import CliRunner

    from api.cli import app as cli

    draft_id = _draft(with_vault)
    env = {
        "CASELENS_PROFILE": "test",
        "CASELENS_DATA_DIR": str(real_stack.settings.data_dir),
        "CASELENS_VAULT_KEY": real_stack.settings.vault_key.get_secret_value(),
        "CASELENS_USERS_PATH": str(with_vault["users"].path),
    }
    audit = with_vault["comps"].audit
    before = audit.count()
    runner = CliRunner()
    refused = runner.invoke(cli, ["ehcp", "show", "--user", "api-family_worker", draft_id], env=env)
    assert refused.exit_code == 2 and "Section" not in refused.output
    shown = runner.invoke(cli, ["ehcp", "show", "--user", "api-send_officer", draft_id], env=env)
    assert shown.exit_code == 0 and draft_id in shown.output
    logged = [(e.action, e.user) for e in list(audit.entries())[before:]]
    assert logged == [("denied", "api-family_worker"), ("record_view", "api-send_officer")]


def test_the_owner_hands_a_draft_to_another_officer(with_vault: dict[str, Any]) -> None:
    """F14's "or an explicit reassignment": only the owner may hand a draft over, only to
    an EHCP officer with the child on their caseload; then the new owner changes it and
    the old one may not."""
    api = with_vault
    client, audit = api["client"], api["comps"].audit
    draft_id = _draft(api)
    url = f"/ehcp/drafts/{draft_id}/reassign"
    section = f"/ehcp/drafts/{draft_id}/sections/B"
    edit = {"action": "edit", "text": "Taken over."}
    assert (
        client.post(url, json={"to": "officer-two"}, headers=_auth(api, "officer-two")).status_code
        == 403
    )
    for target in ("officer-elsewhere", "api-social_worker"):
        refused = client.post(url, json={"to": target}, headers=_auth(api, "api-send_officer"))
        assert refused.status_code == 403, (target, refused.text[:200])
    unknown = client.post(url, json={"to": "nobody-here"}, headers=_auth(api, "api-send_officer"))
    assert unknown.status_code == 422
    handed = client.post(url, json={"to": "officer-two"}, headers=_auth(api, "api-send_officer"))
    assert handed.status_code == 200 and handed.json()["draft"]["owner"] == "officer-two"
    last = [e for e in audit.entries() if e.detail.get("step") == "ehcp_reassign"][-1]
    assert (last.action, last.user, last.detail["to_user"]) == (
        "draft",
        "api-send_officer",
        "officer-two",
    )
    assert (
        client.post(section, json=edit, headers=_auth(api, "api-send_officer")).status_code == 403
    )
    assert client.post(section, json=edit, headers=_auth(api, "officer-two")).status_code == 200
