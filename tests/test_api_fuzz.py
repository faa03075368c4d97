"""A short HTTP fuzz of every route (issue 15 item 13): schemathesis requests generated
from the app's own OpenAPI schema, valid and schema-breaking, and about real families
wherever a route takes a subject, over the real stack. No route answers 5xx, and no error
response carries a known identifier of anyone in the estate. The long run against a real
``caselens serve`` (and its log) is ``benchmarks/reliability_fuzz.py``."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from api_support import build_components, write_users

from benchmarks.reliability_fuzz import fuzz

#: Requests per operation and kind: enough to reach every route's validation, refusal and
#: answer paths; the benchmark sends more.
EXAMPLES = 4


@pytest.fixture(scope="module")
def app(real_stack: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, list[str]]:
    from api.app import create_app

    families = sorted(set(real_stack.corpus.subject_of.values()))
    users = write_users(tmp_path_factory.mktemp("fuzz-users"), real_stack.policy, families)
    comps = build_components(real_stack, users)
    return create_app(comps.settings, components=comps), users, families


def test_a_conversation_id_that_cannot_be_a_header_is_refused(app: Any) -> None:
    """Found by the fuzz: a conversation id outside ASCII went into the
    ``X-Conversation-Id`` header and failed with 500; it is a 422 now."""
    from fastapi.testclient import TestClient

    asgi, users, families = app
    body = {"subject": families[0], "question": "Any alcohol?", "conversation_id": "café"}
    auth = {"Authorization": f"Bearer {users.tokens['api-social_worker']}"}
    with TestClient(asgi, raise_server_exceptions=False) as client:
        assert client.post("/chat", json=body, headers=auth).status_code == 422


def test_no_route_fails_or_leaks_under_fuzzing(real_stack: Any, app: Any) -> None:
    from fastapi.testclient import TestClient

    from api.backends import build_leak_scanner

    asgi, users, families = app
    scanner = build_leak_scanner(real_stack.settings, list(real_stack.store.iter_people()))

    def strong(text: str) -> list[str]:
        return [f"{h.kind} {h.masked}" for h in scanner.find(text) if h.strength == "strong"]

    with TestClient(asgi):
        schema = schemathesis.openapi.from_asgi("/openapi.json", asgi)
        token = users.tokens["api-social_worker"]
        auth = {"Authorization": f"Bearer {token}"}
        tally = fuzz(schema, auth, EXAMPLES, strong, subjects=families, derandomize=True)
    assert tally.statuses["POST /chat"][200] >= 1  # real answers were fuzzed too
    assert len(tally.statuses) >= 20  # every route of the schema
    assert tally.server_errors == []
    assert tally.leaks == []
