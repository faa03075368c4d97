"""EHCP routes over the real stack: draft, read (re-identified), review, sign-off by role,
Word download and the review page; every step in the audit log."""

from __future__ import annotations

import io
from typing import Any

import pytest
from api_support import build_components, write_users
from docx import Document
from fastapi.testclient import TestClient

from assistant.ehcp.export import DRAFT_MARK
from assistant.ehcp.model import SECTION_IDS


@pytest.fixture(scope="module")
def ehcp_api(real_stack: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from api.app import create_app
    from api.backends import build_ehcp_service

    store = real_stack.store
    advice = next(
        r
        for r in store.iter_pseudonymised()
        if r.source_system == "SEND" and r.record_type == "advice_report"
    )
    child = advice.linked_person_ids[0]
    family = store.family_of(child).family_id
    others = sorted(set(real_stack.corpus.subject_of.values()) - {family})
    users = write_users(tmp_path_factory.mktemp("ehcp-users"), real_stack.policy, [family, *others])
    comps = build_components(real_stack, users)
    app = create_app(
        comps.settings,
        components=comps,
        ehcp_service_factory=lambda c: build_ehcp_service(
            c.settings, c.store, embedder=real_stack.embedder
        ),
    )
    return {"client": TestClient(app), "users": users, "child": child, "comps": comps}


def _auth(api: dict[str, Any], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api['users'].tokens['api-' + role]}"}


def test_officer_drafts_reviews_signs_off_and_downloads(ehcp_api: dict[str, Any]) -> None:
    client, child = ehcp_api["client"], ehcp_api["child"]
    officer = _auth(ehcp_api, "send_officer")
    made = client.post(f"/ehcp/{child}/drafts", headers=officer)
    assert made.status_code == 201, made.text
    out = made.json()
    assert out["reidentified"] is True
    draft = out["draft"]
    assert [s["section"] for s in draft["sections"]] == list(SECTION_IDS)
    assert "[Child" not in str(draft["sections"])  # names shown to the officer
    draft_id = draft["draft_id"]

    social = _auth(ehcp_api, "social_worker")
    early = client.post(f"/ehcp/drafts/{draft_id}/sign-off", headers=officer)
    assert early.status_code == 409 and "not yet reviewed" in early.json()["detail"]
    # I and J are the local authority's: nothing to accept; a rejection needs a reason.
    la = client.post(
        f"/ehcp/drafts/{draft_id}/sections/I", json={"action": "accept"}, headers=officer
    )
    assert la.status_code == 422 and "local authority" in la.json()["detail"]
    no_reason = client.post(
        f"/ehcp/drafts/{draft_id}/sections/D", json={"action": "reject"}, headers=officer
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["detail"]
    for sid in SECTION_IDS:
        if sid in ("I", "J"):
            continue
        body: dict[str, str] = {"action": "accept"}
        if sid == "E":
            body = {"action": "edit", "text": "Officer text."}
        elif sid == "D":
            body = {"action": "reject", "reason": "Social care advice is out of date."}
        done = client.post(f"/ehcp/drafts/{draft_id}/sections/{sid}", json=body, headers=officer)
        assert done.status_code == 200, done.text
    refused = client.post(f"/ehcp/drafts/{draft_id}/sign-off", headers=officer)
    assert refused.status_code == 409 and "section D rejected" in refused.json()["detail"]
    assert (
        client.post(
            f"/ehcp/drafts/{draft_id}/sections/B", json={"action": "edit"}, headers=officer
        ).status_code
        == 422
    )
    assert client.post(f"/ehcp/drafts/{draft_id}/sign-off", headers=social).status_code == 403
    reasons = {
        sid: f"Agreed at panel ({sid})." for sid in ("A", "B", "C", "D", "E", "F", "G", "H1", "H2")
    }
    signed = client.post(
        f"/ehcp/drafts/{draft_id}/sign-off", json={"reasons": reasons}, headers=officer
    )
    assert signed.status_code == 200 and signed.json()["draft"]["status"] == "signed_off"
    recorded = signed.json()["draft"]["sign_off_reasons"]
    assert recorded["D"] == "Agreed at panel (D)." and set(recorded) <= set(reasons)

    docx = client.get(f"/ehcp/drafts/{draft_id}/docx", headers=officer)
    assert docx.status_code == 200
    doc = Document(io.BytesIO(docx.content))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert DRAFT_MARK not in body and "Officer text." in body
    assert "Section D: Agreed at panel (D)." in body
    child_line = next(p for p in body.splitlines() if p.startswith("Child: "))
    assert "LP-" not in child_line  # the child's name, for an officer allowed to see it
    assert "Date of birth: " in body and "Plan reference: " + draft_id in body
    assert "Social care advice is out of date" in body  # the rejection, with its reason

    entries = [e for e in ehcp_api["comps"].audit.entries() if e.detail.get("draft_id") == draft_id]
    assert [e.action for e in entries].count("sign_off") == 4  # 3 refused, 1 signed
    assert any(e.detail.get("step") == "ehcp_export" for e in entries)


def test_other_roles_and_signed_out_users_are_refused(ehcp_api: dict[str, Any]) -> None:
    client, child = ehcp_api["client"], ehcp_api["child"]
    assert client.post(f"/ehcp/{child}/drafts").status_code == 401
    assert (
        client.post(f"/ehcp/{child}/drafts", headers=_auth(ehcp_api, "family_worker")).status_code
        == 403
    )
    assert (
        client.post(f"/ehcp/{child}/drafts", headers=_auth(ehcp_api, "auditor")).status_code == 403
    )
    assert (
        client.get(
            "/ehcp/drafts/EHCP-000000000000", headers=_auth(ehcp_api, "send_officer")
        ).status_code
        == 404
    )
    page = client.get("/ehcp/review")
    assert page.status_code == 200 and "EHCP draft review" in page.text


def test_children_with_advice_are_found_by_name_with_their_drafts(
    ehcp_api: dict[str, Any],
) -> None:
    client, child = ehcp_api["client"], ehcp_api["child"]
    officer = _auth(ehcp_api, "send_officer")
    listed = client.get("/ehcp/children", headers=officer)
    assert listed.status_code == 200, listed.text
    found = {c["child"]: c for c in listed.json()}
    assert child in found and found[child]["advice_reports"] >= 1
    name = found[child]["name"]
    assert name and not name.startswith("LP-")
    by_name = client.get("/ehcp/children", params={"q": name.split()[0].upper()}, headers=officer)
    assert child in {c["child"] for c in by_name.json()}
    nobody = client.get("/ehcp/children", params={"q": "zzqx-no-such-name"}, headers=officer)
    assert nobody.json() == []
    made = client.post(f"/ehcp/{child}/drafts", headers=officer).json()["draft"]["draft_id"]
    again = {c["child"]: c for c in client.get("/ehcp/children", headers=officer).json()}
    assert made in [d["draft_id"] for d in again[child]["drafts"]]
    searches = [e for e in ehcp_api["comps"].audit.entries() if e.action == "subject_search"]
    assert any(child in e.detail.get("ehcp_children", []) for e in searches)
