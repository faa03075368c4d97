"""The chat panel's timeline, narrowed questions, feedback and exports over HTTP (issue 20),
on the session's real stack (Qdrant Edge, MiniLM, Presidio, SQLite) and real sign-in.

A family worker's timeline lists only records their role may see, one line per record,
and its filters narrow it; a question narrowed to one system cites only that system;
feedback is stored against an answer the worker was shown, with names in the comment
replaced; an answer is copied as text with numbered references and downloaded as a Word
document; every one of these is in the audit log, and nothing works for an answer the
worker was not shown.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from api_support import build_components, parse_sse, write_users
from fastapi.testclient import TestClient

QUESTION = "What is the history of drug and alcohol misuse in this family?"


@pytest.fixture(scope="module")
def api(real_stack: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from api.app import create_app

    families = sorted(set(real_stack.corpus.subject_of.values()))
    users = write_users(tmp_path_factory.mktemp("panel-users"), real_stack.policy, families)
    comps = build_components(real_stack, users)
    return {
        "client": TestClient(create_app(comps.settings, components=comps)),
        "users": users,
        "family": families[0],
        "comps": comps,
    }


def _auth(api: dict[str, Any], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api['users'].tokens[f'api-{role}']}"}


def _ask(api: dict[str, Any], role: str, **extra: Any) -> dict[str, Any]:
    got = api["client"].post(
        "/chat",
        json={"subject": api["family"], "question": QUESTION, **extra},
        headers=_auth(api, role),
    )
    assert got.status_code == 200, got.text[:200]
    events = parse_sse(got.text)
    assert events[-1][0] == "answer", events[-1]
    return events[-1][1]


def _audited(api: dict[str, Any], action: str) -> list[Any]:
    return [e for e in api["comps"].audit.entries() if e.action == action]


def test_timeline_lists_permitted_records_and_filters_them(api: dict[str, Any]) -> None:
    client, family = api["client"], api["family"]
    social = client.get(f"/subjects/{family}/timeline", headers=_auth(api, "social_worker"))
    worker = client.get(f"/subjects/{family}/timeline", headers=_auth(api, "family_worker"))
    assert social.status_code == worker.status_code == 200
    s, w = social.json(), worker.json()
    assert "POLICE" in s["systems"] and "POLICE" not in w["systems"]
    assert all(line["source_system"] != "POLICE" for line in w["lines"])
    assert w["withheld_records"] > 0
    keys = [(x["source_system"], x["record_id"]) for x in w["lines"]]
    assert len(keys) == len(set(keys)) == w["records_permitted"]  # one line per record
    days = [x["occurred_at"] for x in w["lines"]]
    assert days == sorted(days)  # oldest first
    # Narrowed: one system, one type, a date range.
    system = w["systems"][0]
    only = client.get(
        f"/subjects/{family}/timeline",
        params={"system": system, "from": days[len(days) // 2]},
        headers=_auth(api, "family_worker"),
    ).json()
    assert only["lines"] and len(only["lines"]) < len(w["lines"])
    assert {x["source_system"] for x in only["lines"]} == {system}
    assert min(x["occurred_at"] for x in only["lines"]) >= days[len(days) // 2]
    assert only["systems"] == w["systems"]  # the choices stay the same
    entry = _audited(api, "timeline")[-1]
    assert sorted(entry.record_ids) == sorted(
        f"{x['source_system']}:{x['record_id']}" for x in only["lines"]
    )
    backwards = client.get(
        f"/subjects/{family}/timeline",
        params={"from": "2024-02-01", "to": "2024-01-01"},
        headers=_auth(api, "family_worker"),
    )
    assert backwards.status_code == 422
    outside = client.get(
        f"/subjects/{api['users'].outside_family}/timeline", headers=_auth(api, "family_worker")
    )
    assert outside.status_code == 403 and "caseload" in outside.json()["detail"]
    # Roles that review the log or see no case records get no timeline and no What's new.
    for role in ("auditor", "data_steward"):
        for url in (f"/subjects/{family}/timeline", "/whats-new"):
            assert client.get(url, headers=_auth(api, role)).status_code == 403, (role, url)


def test_a_question_narrowed_to_one_system_cites_only_that_system(api: dict[str, Any]) -> None:
    wide = _ask(api, "social_worker")
    systems = sorted({c["source_system"] for c in wide["citations"]})
    assert len(systems) > 1, "the question should draw on several systems"
    narrow = _ask(api, "social_worker", filters={"systems": [systems[0]]})
    assert narrow["citations"], "the narrowed answer still cites records"
    assert {c["source_system"] for c in narrow["citations"]} == {systems[0]}
    assert narrow["searched_systems"] == [systems[0]]  # says what the filter searched
    dated = _ask(api, "social_worker", filters={"date_to": "2000-01-01"})
    assert dated["citations"] == []
    bad = api["client"].post(
        "/chat",
        json={
            "subject": api["family"],
            "question": QUESTION,
            "filters": {"date_from": "2024-02-01", "date_to": "2024-01-01"},
        },
        headers=_auth(api, "social_worker"),
    )
    assert bad.status_code == 422


def test_feedback_is_stored_with_the_answer_id_and_no_names(
    api: dict[str, Any], tmp_path: Path
) -> None:
    from api.app.feedback_store import FeedbackStore, export_dataset
    from evals.report import build_report

    answer = _ask(api, "family_worker")
    client = api["client"]
    url = f"/answers/{answer['answer_id']}/feedback"
    members = api["comps"].store.family_people(api["family"]).members
    kin = next(p for rows in members.values() for p in rows if p.given_name and p.family_name)
    comment = (
        f"Missing the school visit {kin.given_name} {kin.family_name} told me about. "
        "Mrs Patricia Okonkwo mentioned it on 07700 900123."
    )
    got = client.post(
        url,
        json={"rating": "down", "reasons": ["missing"], "comment": comment},
        headers=_auth(api, "family_worker"),
    )
    assert got.status_code == 200, got.text
    saved = got.json()
    assert saved["replaced"] >= 3
    assert "Okonkwo" not in saved["comment"] and "07700" not in saved["comment"]
    assert kin.given_name not in saved["comment"] and kin.family_name not in saved["comment"]
    assert "school visit" in saved["comment"]
    # A second rating replaces the first.
    again = client.post(
        url, json={"rating": "up", "reasons": ["accurate"]}, headers=_auth(api, "family_worker")
    )
    assert again.status_code == 200
    stored = [
        f
        for f in FeedbackStore(api["comps"].store.feedback).all()
        if f.answer_id == answer["answer_id"]
    ]
    assert [(f.rating, f.reasons, f.comment) for f in stored] == [("up", ["accurate"], None)]
    assert _audited(api, "feedback")[-1].detail["answer_id"] == answer["answer_id"]
    # Nobody rates an answer they were not shown, or with a reason not offered.
    other = client.post(url, json={"rating": "up"}, headers=_auth(api, "social_worker"))
    assert other.status_code == 404
    odd = client.post(
        url, json={"rating": "up", "reasons": ["nice"]}, headers=_auth(api, "family_worker")
    )
    assert odd.status_code == 422
    chips = client.get("/feedback/reasons").json()
    assert {c["code"] for c in chips["down"]} >= {"missing", "wrong_fact"}
    # Exported as an evaluation dataset (no names, no text), shown in the evals report.
    comps = api["comps"]
    rows = export_dataset(comps.store.feedback, comps.audit, tmp_path / "feedback.jsonl")
    assert rows >= 1
    lines = [json.loads(x) for x in (tmp_path / "feedback.jsonl").read_text().splitlines()]
    mine = next(x for x in lines if x["answer_id"] == answer["answer_id"])
    assert mine["role"] == "family_worker" and mine["rating"] == "up"
    assert mine["cited_records"] == [
        f"{c['source_system']}:{c['record_id']}" for c in answer["citations"]
    ]
    assert "api-family_worker" not in json.dumps(lines)
    report = build_report({"meta": {}}, tmp_path, None)
    assert "Workers' feedback" in report and "family_worker" in report


def test_an_answer_is_copied_as_text_and_downloaded_as_docx_and_audited(
    api: dict[str, Any],
) -> None:
    from docx import Document

    answer = _ask(api, "social_worker")
    assert answer["citations"]
    client, url = api["client"], f"/answers/{answer['answer_id']}/export"
    headers = _auth(api, "social_worker")
    text = client.post(
        url, json={"answer": answer, "subject_label": "Test family"}, headers=headers
    )
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    body = text.text
    first = answer["citations"][0]
    assert "References" in body and f"[{first['n']}] {first['source_system']}" in body
    assert first["record_id"] in body and first["source_url"] in body
    assert answer["sentences"][0]["text"] in body
    assert "Check each reference" in body
    docx = client.post(url, json={"answer": answer, "format": "docx"}, headers=headers)
    assert docx.status_code == 200 and "attachment" in docx.headers["content-disposition"]
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert any(first["record_id"] in p for p in paragraphs)
    assert _audited(api, "answer_copy")[-1].detail["answer_id"] == answer["answer_id"]
    exported = _audited(api, "answer_export")[-1]
    assert exported.record_ids == [
        f"{c['source_system']}:{c['record_id']}" for c in answer["citations"]
    ]
    # What is copied is the kept answer, not what the browser sends.
    forged = dict(answer, sentences=[dict(answer["sentences"][0], text="Invented by the page.")])
    again = client.post(url, json={"answer": forged}, headers=headers).text
    assert "Invented by the page" not in again and answer["sentences"][0]["text"] in again
    # Not kept (the conversation was deleted): the sent answer, only with records shown.
    kept, user = api["comps"].kept_conversations, "api-social_worker"
    for c in kept.of_user(user):
        turns = kept.get(user, c.conversation_id)[1]
        if any(t.answer_id == answer["answer_id"] for t in turns):
            kept.delete(user, c.conversation_id)
    assert kept.turn_of(user, answer["answer_id"]) is None
    assert client.post(url, json={"answer": answer}, headers=headers).status_code == 200
    sneaked = dict(answer, citations=[dict(first, record_id="LCS-NOT-SHOWN")])
    assert client.post(url, json={"answer": sneaked}, headers=headers).status_code == 422
    # Someone else's answer is refused.
    assert (
        client.post(url, json={"answer": answer}, headers=_auth(api, "family_worker")).status_code
        == 404
    )
