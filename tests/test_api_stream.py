"""``POST /chat`` over a real uvicorn on 127.0.0.1: sentences stream before the full answer,
and the audit log holds the question and the answer's record ids."""

from __future__ import annotations

import time
from typing import Any

import httpx
from api_support import build_components, parse_sse, running_server, write_users
from real_stack import DEMO_QUESTION


def test_chat_streams_sentences_then_the_audited_answer(real_stack: Any, tmp_path: Any) -> None:
    from api.app import create_app

    families = sorted(set(real_stack.corpus.subject_of.values()))
    users = write_users(tmp_path, real_stack.policy, families)
    comps = build_components(real_stack, users)
    app = create_app(comps.settings, components=comps)
    start_seq = comps.audit.count()
    with running_server(app) as base:
        arrivals: list[tuple[float, str]] = []
        body = ""
        with (
            httpx.Client(base_url=base, timeout=120) as client,
            client.stream(
                "POST",
                "/chat",
                headers={"Authorization": f"Bearer {users.tokens['api-social_worker']}"},
                json={"subject": families[0], "question": DEMO_QUESTION, "purpose": "review"},
            ) as resp,
        ):
            assert resp.status_code == 200
            assert resp.headers["content-type"].startswith("text/event-stream")
            for chunk in resp.iter_text():
                arrivals.append((time.monotonic(), chunk))
                body += chunk
    events = parse_sse(body)
    names = [name for name, _ in events]
    assert names[-1] == "answer" and names.count("answer") == 1
    assert "sentence" in names and names.index("sentence") < names.index("answer")
    answer = events[-1][1]
    streamed = [data["text"] for name, data in events if name == "sentence"]
    assert streamed == [s["text"] for s in answer["sentences"]]
    assert answer["subject"] == families[0]
    assert any(s["citations"] for s in answer["sentences"]), "expected a cited fact"
    # Audited: the question before anything was generated, then the answer's records.
    entries = list(comps.audit.entries())[start_seq:]
    assert [e.action for e in entries] == ["question", "answer"]
    question, answered = entries
    assert question.question == DEMO_QUESTION and question.purpose == "review"
    assert question.user == "api-social_worker" and question.role == "social_worker"
    assert answered.record_ids == [
        f"{c['source_system']}:{c['record_id']}" for c in answer["citations"]
    ]
    assert answered.detail["answer_id"] == answer["answer_id"]
    assert comps.audit.verify().ok


def test_chat_follow_up_carries_the_question_it_was_answered_as(
    real_stack: Any, tmp_path: Any
) -> None:
    """In one conversation a follow-up's ``answer`` event names the resolved question."""
    from api.app import create_app

    families = sorted(set(real_stack.corpus.subject_of.values()))
    users = write_users(tmp_path, real_stack.policy, families)
    comps = build_components(real_stack, users)
    headers = {"Authorization": f"Bearer {users.tokens['api-social_worker']}"}
    answers = []
    with (
        running_server(create_app(comps.settings, components=comps)) as base,
        httpx.Client(base_url=base, timeout=120) as client,
    ):
        for question in ("Has there been any domestic abuse?", "When did that happen?"):
            resp = client.post(
                "/chat",
                headers=headers,
                json={
                    "subject": families[0],
                    "question": question,
                    "conversation_id": "follow-up-check",
                },
            )
            assert resp.status_code == 200
            name, answer = parse_sse(resp.text)[-1]
            assert name == "answer"
            answers.append(answer)
    first, follow_up = answers
    assert first["resolved_question"] is None
    assert follow_up["question"] == "When did that happen?"
    assert follow_up["resolved_question"] == "When did the domestic abuse happen?"
