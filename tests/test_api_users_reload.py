"""The users file on a running server (issue 15 F7): a rotated token, a removed user and a
changed caseload take effect with the next request; user names cannot be told apart by
how long a wrong token takes."""

from __future__ import annotations

import time
from typing import Any

import yaml
from api_support import build_components, write_users
from fastapi.testclient import TestClient
from typer.testing import CliRunner


def _client(real_stack: Any, tmp_path: Any) -> tuple[TestClient, Any, list[str]]:
    from api.app import create_app

    families = sorted(set(real_stack.corpus.subject_of.values()))
    users = write_users(tmp_path, real_stack.policy, families)
    comps = build_components(real_stack, users)
    return TestClient(create_app(comps.settings, components=comps)), users, families


def _me(client: TestClient, token: str) -> Any:
    return client.get("/me", headers={"Authorization": f"Bearer {token}"})


def test_rotation_removal_and_caseload_changes_apply_at_once(
    real_stack: Any, tmp_path: Any
) -> None:
    from api.cli import app as cli

    client, users, families = _client(real_stack, tmp_path)
    user = "api-family_worker"
    old = users.tokens[user]
    assert _me(client, old).status_code == 200  # checked once, then cached

    rotated = CliRunner().invoke(cli, ["users", "token", user, "--file", str(users.path)])
    assert rotated.exit_code == 0, rotated.output
    new = rotated.output.strip().splitlines()[-1]
    assert _me(client, old).status_code == 401
    assert _me(client, new).status_code == 200

    data = yaml.safe_load(users.path.read_text(encoding="utf-8"))
    data["users"][user]["caseload"] = families[1:3]
    users.path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert _me(client, new).json()["caseload"] == sorted(families[1:3])

    del data["users"][user]
    users.path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert _me(client, new).status_code in (401, 403)

    # A broken file signs nobody in (503), and the fixed file works again.
    other = users.tokens["api-social_worker"]
    users.path.write_text("users: [this is not a mapping", encoding="utf-8")
    assert _me(client, other).status_code == 503
    users.path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert _me(client, other).status_code == 200


def test_a_wrong_token_costs_the_same_for_unknown_and_known_users(
    real_stack: Any, tmp_path: Any
) -> None:
    """Timing: a known user's wrong token paid a scrypt check (~40 ms) and an unknown
    user's was refused in ~1 ms. Both now pay the check; the ratio has a wide margin."""
    client, users, _ = _client(real_stack, tmp_path)
    known = users.tokens["api-social_worker"][:-6] + "AAAAAA"
    unknown = "cl.no-such-user." + known.rsplit(".", 1)[1]

    def cost(token: str) -> float:
        best = float("inf")
        for _ in range(4):
            started = time.perf_counter()
            assert _me(client, token).status_code == 401
            best = min(best, time.perf_counter() - started)
        return best

    cost(known)  # warm up
    assert cost(unknown) > 0.4 * cost(known)
