"""Kept conversations (issue 20 item 1): each answered question is kept per user in the
case store in pseudonyms only, listed by subject and date, reopened re-identified for the
worker now, continued, deleted and purged after the retention, every step audited; and a
break-glass reason is never recorded for a subject on the worker's own caseload."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from api_support import build_components, parse_sse, write_users
from fastapi.testclient import TestClient
from real_stack import DEMO_QUESTION
from sqlalchemy import select

from retrieval.store import CaseStore
from retrieval.store.conversations import ConversationClash


@pytest.fixture(scope="module")
def api(real_stack: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from api.app import create_app

    families = sorted(set(real_stack.corpus.subject_of.values()))
    users = write_users(tmp_path_factory.mktemp("conv-users"), real_stack.policy, families)
    comps = build_components(real_stack, users)
    return {
        "client": TestClient(create_app(comps.settings, components=comps)),
        "users": users,
        "families": families,
        "comps": comps,
    }


def _auth(api: dict[str, Any], user: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api['users'].tokens[user]}", **extra}


def _ask(api: dict[str, Any], user: str, question: str, **body: Any) -> tuple[Any, dict[str, Any]]:
    family = body.pop("subject", api["families"][0])
    resp = api["client"].post(
        "/chat",
        headers=_auth(api, user),
        json={"subject": family, "question": question, **body},
    )
    assert resp.status_code == 200, resp.text[:300]
    name, answer = parse_sse(resp.text)[-1]
    assert name == "answer"
    return resp, answer


def _first_names(api: dict[str, Any], family: str) -> list[str]:
    found = (
        api["client"]
        .get(f"/subjects?q={family}", headers=_auth(api, "api-social_worker"))
        .json()["subjects"]
    )
    return [m["label"].split()[0] for s in found for m in s["members"]]


def _real_names(api: dict[str, Any], family: str) -> set[str]:
    """The family members' real names, as the subject search shows them to their worker."""
    found = (
        api["client"]
        .get(f"/subjects?q={family}", headers=_auth(api, "api-social_worker"))
        .json()["subjects"]
    )
    return {
        part for s in found for m in s["members"] for part in m["label"].split() if len(part) > 2
    }


def test_a_conversation_is_kept_in_pseudonyms_reopened_as_shown_and_deleted(
    api: dict[str, Any],
) -> None:
    comps, family = api["comps"], api["families"][0]
    resp, first = _ask(api, "api-social_worker", DEMO_QUESTION)
    conversation = resp.headers["x-conversation-id"]
    assert conversation
    _, follow_up = _ask(
        api, "api-social_worker", "And since the move?", conversation_id=conversation
    )
    assert follow_up["resolved_question"]

    listed = api["client"].get("/conversations", headers=_auth(api, "api-social_worker")).json()
    mine = [c for c in listed["conversations"] if c["conversation_id"] == conversation]
    assert len(mine) == 1 and mine[0]["subject"] == family and mine[0]["questions"] == 2
    assert listed["retention_days"] == comps.settings.conversation_retention_days
    assert mine[0]["started_at"] <= mine[0]["updated_at"]

    # What is stored holds no real name of the family, whatever the answer showed.
    stored = comps.kept_conversations.get("api-social_worker", conversation)
    assert stored is not None
    kept_text = json.dumps([t.answer for t in stored[1]])
    shown_text = json.dumps([first, follow_up])
    names = _real_names(api, family)
    assert names, "expected the family's names from the subject search"
    assert not {n for n in names if n in kept_text}, "a real name was stored"
    assert {n for n in names if n in shown_text}, "expected a name in the shown answer"

    start = comps.audit.count()
    reopened = api["client"].get(
        f"/conversations/{conversation}", headers=_auth(api, "api-social_worker")
    )
    assert reopened.status_code == 200
    turns = reopened.json()["turns"]
    # Reopened, each answer reads as it was shown (re-identified for the worker now).
    assert [s["text"] for t in turns for s in t["answer"]["sentences"]] == [
        s["text"] for a in (first, follow_up) for s in a["sentences"]
    ]
    assert [c["quote"] for c in turns[0]["answer"]["citations"]] == [
        c["quote"] for c in first["citations"]
    ]
    viewed = list(comps.audit.entries())[start:]
    assert [e.action for e in viewed] == ["conversation_view"]
    assert viewed[0].detail["conversation_id"] == conversation
    assert set(viewed[0].record_ids) >= {
        f"{c['source_system']}:{c['record_id']}" for c in first["citations"]
    }

    # Continued after the app forgot it: a follow-up still resolves against the kept turns,
    # and a name typed in it is kept as the family's placeholder, shown again on reopening.
    comps.forget_conversation("api-social_worker", conversation)
    name = _first_names(api, family)[0]
    typed = f"What about {name}?"
    _, again = _ask(api, "api-social_worker", typed, conversation_id=conversation)
    assert again["resolved_question"] and name in again["resolved_question"]
    kept_turn = comps.kept_conversations.get("api-social_worker", conversation)[1][-1].answer
    assert name not in json.dumps(kept_turn), "a typed name was stored"
    assert kept_turn["question"] != typed
    reopened = (
        api["client"]
        .get(f"/conversations/{conversation}", headers=_auth(api, "api-social_worker"))
        .json()["turns"][-1]["answer"]
    )
    if again["citations"]:  # re-identified from the records it cites (their full name)
        assert name in reopened["question"] and reopened["question"].startswith("What about")

    # Nobody else sees it, and another worker's id does not open it.
    other = api["client"].get("/conversations", headers=_auth(api, "api-family_worker")).json()
    assert conversation not in {c["conversation_id"] for c in other["conversations"]}
    assert (
        api["client"]
        .get(f"/conversations/{conversation}", headers=_auth(api, "api-family_worker"))
        .status_code
        == 404
    )

    start = comps.audit.count()
    gone = api["client"].delete(
        f"/conversations/{conversation}", headers=_auth(api, "api-social_worker")
    )
    assert gone.status_code == 204
    assert [e.action for e in list(comps.audit.entries())[start:]] == ["conversation_delete"]
    assert (
        api["client"]
        .get(f"/conversations/{conversation}", headers=_auth(api, "api-social_worker"))
        .status_code
        == 404
    )


def test_a_conversation_stays_with_one_child_or_family(api: dict[str, Any]) -> None:
    resp, _ = _ask(api, "api-evaluator", "Any police involvement?")
    conversation = resp.headers["x-conversation-id"]
    moved = api["client"].post(
        "/chat",
        headers=_auth(api, "api-evaluator"),
        json={
            "subject": api["families"][1],
            "question": "Any police involvement?",
            "conversation_id": conversation,
        },
    )
    assert moved.status_code == 409
    assert "start a new conversation" in moved.json()["detail"]


def test_break_glass_is_recorded_only_outside_the_caseload(api: dict[str, Any]) -> None:
    comps, users = api["comps"], api["users"]
    start = comps.audit.count()
    _ask(api, "api-family_worker", "Who lives in the household?", break_glass_reason="urgent")
    _ask(
        api,
        "api-family_worker",
        "Who lives in the household?",
        subject=users.outside_family,
        break_glass_reason="urgent strategy discussion",
    )
    questions = [e for e in list(comps.audit.entries())[start:] if e.action == "question"]
    assert [(e.subject, e.break_glass_reason) for e in questions] == [
        (api["families"][0], None),
        (users.outside_family, "urgent strategy discussion"),
    ]


def test_withheld_records_name_only_case_work_roles(api: dict[str, Any]) -> None:
    """ "Ask a social worker", never an auditor or evaluator (they do no case work)."""
    policy = api["comps"].policy
    overview = api["client"].get(
        f"/subjects/{api['families'][0]}/overview", headers=_auth(api, "api-family_worker")
    )
    assert overview.status_code == 200
    withheld = overview.json()["withheld"]
    assert withheld, "a family worker should have records withheld"
    named = {role for w in withheld for role in w["visible_to_roles"]}
    assert "social_worker" in named
    assert all(policy.role(role).does_case_work for role in named), named


def test_api_reference_is_served_without_a_cdn(api: dict[str, Any]) -> None:
    got = api["client"].get("/docs")
    assert got.status_code == 200
    assert "cdn." not in got.text and "/docs-assets/swagger-ui-bundle.js" in got.text
    assert api["client"].get("/docs-assets/swagger-ui-bundle.js").status_code == 200


# --- the store itself, and the retention purge ------------------------------------------


def test_store_keeps_each_users_conversations_apart_and_purges_old_ones(tmp_path: Path) -> None:
    from api.commands.conversations import RETENTION_USER, purge_expired
    from api.settings import Settings

    settings = Settings(data_dir=tmp_path, conversation_retention_days=30)
    with CaseStore.open(settings.resolved_database_url) as store:
        kept = store.conversations
        old = datetime(2026, 1, 5, tzinfo=UTC)
        kept.add_turn("ann", "c1", "FAM-1", "a1", {"question": "first?"}, at=old)
        kept.add_turn("ann", "c1", "FAM-1", "a2", {"question": "second?"}, at=old)
        kept.add_turn("ann", "c2", "LP-2", "a3", {"question": "other?"}, at=old + timedelta(40))
        kept.add_turn("bob", "c1", "FAM-9", "a4", {"question": "bob's?"}, at=old)
        with pytest.raises(ConversationClash):
            kept.add_turn("ann", "c1", "FAM-2", "a5", {"question": "moved?"})
        listed = kept.of_user("ann")
        assert [(c.conversation_id, c.turns, c.first_question) for c in listed] == [
            ("c2", 1, "other?"),
            ("c1", 2, "first?"),
        ]
        assert [c.conversation_id for c in kept.of_user("ann", subject="FAM-1")] == ["c1"]
        assert kept.get("bob", "c2") is None

        # Nothing old enough: nothing purged and nothing written to the audit log.
        assert purge_expired(settings, store, now=old + timedelta(days=29)) == 0
        # 31 days on, both of the old conversations go (ann's c1, bob's c1); the purge is
        # audited first.
        assert purge_expired(settings, store, now=old + timedelta(days=31)) == 2
        assert [c.conversation_id for c in kept.of_user("ann")] == ["c2"]
        assert kept.of_user("bob") == []
        from api import backends

        audit = backends.build_audit_log(settings, store)
        entries = list(audit.entries())
        assert [(e.action, e.user) for e in entries] == [("conversation_purge", RETENTION_USER)]
        assert entries[0].detail["conversations"] == 2
        assert kept.delete("ann", "c2") and not kept.delete("ann", "c2")
        with store.engine.connect() as conn:
            from retrieval.store.conversations import TURNS

            assert conn.execute(select(TURNS.c.id)).all() == []


def test_ingest_purges_conversations_past_their_retention(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_record: Any, make_person: Any
) -> None:
    """The nightly hook: every ``caselens ingest`` purges what the retention allows."""
    import typer
    from typer.testing import CliRunner

    from api import backends
    from api.commands.ingest import ingest_command
    from api.settings import load_settings

    monkeypatch.setenv("CASELENS_PROFILE", "test")
    monkeypatch.setenv("CASELENS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CASELENS_CONVERSATION_RETENTION_DAYS", "7")
    settings = load_settings()
    now = datetime.now(UTC)
    with backends.open_case_store(settings) as store:
        kept = store.conversations
        kept.add_turn("ann", "old", "FAM-1", "a1", {"question": "q"}, at=now - timedelta(days=8))
        kept.add_turn("ann", "new", "FAM-1", "a2", {"question": "q"}, at=now - timedelta(days=6))
    extracts = tmp_path / "estate" / "extracts" / "EHM"
    extracts.mkdir(parents=True)
    (extracts / "people.jsonl").write_text(make_person("EHM-1", "EHM").model_dump_json() + "\n")
    (extracts / "records.jsonl").write_text(
        make_record("E1", "EHM", person_ids=["EHM-1"]).model_dump_json() + "\n"
    )
    app = typer.Typer()
    app.command("ingest")(ingest_command)
    app.command("noop")(lambda: None)
    assert CliRunner().invoke(app, ["ingest", str(extracts.parent.parent)]).exit_code == 0
    with backends.open_case_store(settings) as store:
        assert [c.conversation_id for c in store.conversations.of_user("ann")] == ["new"]
        entries = list(backends.build_audit_log(settings, store).entries())
    assert [e.action for e in entries] == ["conversation_purge"]
