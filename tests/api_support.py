"""Helpers for the API and browser tests: users with real hashed tokens, an RSA-signed OIDC
setup (JWKS file), the app over the session's real stack, and a real uvicorn on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ISSUER = "https://login.example.test/tenant/v2.0"
AUDIENCE = "api://caselens-test"


@dataclass
class ApiUsers:
    path: Path
    tokens: dict[str, str]  # user -> token
    role_of: dict[str, str]  # user -> role
    jwks_path: Path
    private_key: Any
    outside_family: str  # a family not on the family worker's caseload


def write_users(root: Path, policy: Any, families: list[str]) -> ApiUsers:
    """One user per policy role (``api-<role>``); caseload roles get ``families[:1]``."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from jwt.algorithms import RSAAlgorithm

    from api.app.tokens import hash_token, new_token

    entries: dict[str, Any] = {}
    tokens: dict[str, str] = {}
    role_of: dict[str, str] = {}
    for role in policy.role_names:
        user = f"api-{role}"
        tokens[user] = new_token(user)
        role_of[user] = role
        entries[user] = {
            "role": role,
            "caseload": families[:1] if policy.roles[role].caseload_scoped else [],
            "token_hash": hash_token(tokens[user]),
        }
    # An OIDC-only user (no API token): role and caseload from this file.
    entries["oidc.worker@council.example"] = {"role": "social_worker", "caseload": families[:1]}
    path = root / "api-users.yaml"
    path.write_text(yaml.safe_dump({"users": entries}), encoding="utf-8")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "test-key", "use": "sig", "alg": "RS256"})
    jwks_path = root / "jwks.json"
    jwks_path.write_text(json.dumps({"keys": [jwk]}), encoding="utf-8")
    return ApiUsers(path, tokens, role_of, jwks_path, key, families[1])


def mint_jwt(users: ApiUsers, user: str, **overrides: Any) -> str:
    import jwt

    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 600,
        "preferred_username": user,
    }
    claims.update(overrides)
    return jwt.encode(claims, users.private_key, algorithm="RS256", headers={"kid": "test-key"})


def build_components(stack: Any, users: ApiUsers) -> Any:
    """The app's components over the real stack's open store, index and embedder."""
    from api.app.auth import Authenticator, OidcConfig, OidcVerifier, UsersFile
    from api.app.components import AppComponents
    from api.backends import build_audit_log, build_free_text_redactor, build_timeline_builder

    settings = stack.settings.model_copy(
        update={
            "users_path": users.path,
            "oidc_issuer": ISSUER,
            "oidc_audience": AUDIENCE,
            "oidc_jwks_path": users.jwks_path,
        }
    )
    oidc = OidcVerifier(OidcConfig(issuer=ISSUER, audience=AUDIENCE, jwks_path=users.jwks_path))
    return AppComponents(
        settings=settings,
        store=stack.store,
        policy=stack.policy,
        authenticator=Authenticator(UsersFile(users.path), stack.policy, oidc),
        # Signed with the stack's audit key, as the app's log is: a later `audit verify`
        # of the same store (the CLI tests) finds every entry signed.
        audit=build_audit_log(settings, stack.store),
        answer_service_factory=lambda: stack.service(reidentify=True),
        overview_factory=lambda: stack.overview(reidentify=True),
        timeline_factory=lambda: build_timeline_builder(
            stack.settings,
            embedder=stack.embedder,
            vectors=stack.vectors,
            store=stack.store,
        ),
        redactor_factory=lambda: build_free_text_redactor(stack.settings, stack.store),
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(app: Any) -> Iterator[str]:
    """uvicorn serving ``app`` on 127.0.0.1 in a thread; yields the base URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def parse_sse(text: str) -> list[tuple[str, dict[str, Any]]]:
    """``[(event name, JSON payload)]`` from a text/event-stream body."""
    events = []
    for block in text.split("\n\n"):
        name, data = "message", ""
        for line in block.splitlines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].strip()
        if data:
            events.append((name, json.loads(data)))
    return events
