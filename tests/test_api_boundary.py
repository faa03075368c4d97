"""The HTTP boundary over the real stack: security headers, size limits, errors and logs
that never carry what the request held."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from api_support import build_components, write_users
from fastapi.testclient import TestClient

NAME = "Jolene Quarrington"  # a made-up name typed into a search


@pytest.fixture(scope="module")
def boundary(real_stack: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from api.app import create_app

    families = sorted(set(real_stack.corpus.subject_of.values()))
    users = write_users(tmp_path_factory.mktemp("boundary-users"), real_stack.policy, families)
    comps = build_components(real_stack, users)
    app = create_app(comps.settings, components=comps)
    return {"client": TestClient(app), "users": users, "families": families, "app": app}


def _auth(api: dict[str, Any], role: str = "social_worker") -> dict[str, str]:
    return {"Authorization": f"Bearer {api['users'].tokens['api-' + role]}"}


def test_security_headers_on_pages_and_personal_data(boundary: dict[str, Any]) -> None:
    client = boundary["client"]
    for url, headers in (("/", {}), ("/ehcp/review", {}), ("/me", _auth(boundary))):
        got = client.get(url, headers=headers)
        assert got.status_code == 200, url
        csp = got.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert "frame-ancestors 'none'" in csp
        assert got.headers["x-frame-options"] == "DENY"
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["cache-control"] == "no-store", url
    subjects = client.get("/subjects?q=", headers=_auth(boundary))
    assert subjects.headers["cache-control"] == "no-store"
    family = boundary["families"][0]
    chat = client.post(
        "/chat", headers=_auth(boundary), json={"subject": family, "question": "Any school?"}
    )
    assert chat.headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/static/app.js").headers.get("cache-control", "")


def test_the_pages_have_no_inline_script_or_handlers() -> None:
    """What the CSP relies on: scripts only from /static, no on* attributes, no inline
    style attributes."""
    from api.app.factory import web_dir

    for page in web_dir().glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", html, flags=re.I):
            assert re.search(r'\bsrc="/static/[\w.-]+\.js"', tag), (page.name, tag)
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html, flags=re.I), page.name
        assert not re.search(r"\son[a-z]+\s*=", html, flags=re.I), page.name
        assert not re.search(r"\sstyle\s*=", html, flags=re.I), page.name


def test_break_glass_header_is_capped_like_the_body_field(boundary: dict[str, Any]) -> None:
    client = boundary["client"]
    long_reason = "Duty cover " + "z" * 1200
    got = client.get("/me", headers={**_auth(boundary), "X-Break-Glass-Reason": long_reason})
    assert got.status_code == 422 and "zzzz" not in got.text
    ok = client.get("/me", headers={**_auth(boundary), "X-Break-Glass-Reason": "Duty cover"})
    assert ok.status_code == 200


def test_oversize_body_is_413_unread(boundary: dict[str, Any]) -> None:
    client = boundary["client"]
    body = b'{"subject": "FAM-x", "question": "' + b"q" * 300_000 + b'"}'
    got = client.post(
        "/chat", headers={**_auth(boundary), "Content-Type": "application/json"}, content=body
    )
    assert got.status_code == 413 and "qqqq" not in got.text


def test_validation_errors_name_the_field_not_the_input(boundary: dict[str, Any]) -> None:
    client = boundary["client"]
    got = client.post(
        "/chat",
        headers=_auth(boundary),
        json={"subject": boundary["families"][0], "question": NAME * 200},
    )
    assert got.status_code == 422
    assert NAME not in got.text
    (problem,) = got.json()["detail"]
    assert problem["loc"] == ["body", "question"] and problem["type"] == "string_too_long"


def test_unexpected_errors_are_500_and_logged_by_type_only(
    boundary: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """A failure with the request's text in its message: the response and the log hold
    only the route and the exception type."""
    app = boundary["app"]

    @app.get("/_boom_for_test", include_in_schema=False)
    def boom(q: str = "") -> None:
        raise RuntimeError(f"failed on {q}")

    client = TestClient(app, raise_server_exceptions=False)
    with caplog.at_level(logging.DEBUG):
        got = client.get("/_boom_for_test", params={"q": NAME})
    assert got.status_code == 500 and NAME not in got.text
    assert NAME not in caplog.text
    assert "RuntimeError" in caplog.text and "/_boom_for_test" in caplog.text


def test_access_log_masks_query_values(tmp_path: Path) -> None:
    """uvicorn's access log, configured as ``caselens serve`` configures it."""
    import logging.config

    from api.app.serving import log_config, mask_query

    assert mask_query(f"/subjects?q={NAME}&purpose=x") == "/subjects?q=*&purpose=*"
    assert mask_query("/records/LCS/R1") == "/records/LCS/R1"
    out = tmp_path / "access.log"
    config = log_config()
    config["handlers"]["access"] = {
        **config["handlers"]["access"],
        "class": "logging.FileHandler",
        "filename": str(out),
    }
    config["handlers"]["access"].pop("stream")
    logging.config.dictConfig(config)
    try:
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1:5000",
            "GET",
            "/subjects?q=Jolene%20Quarrington&purpose=NHS%20943%20476%205919",
            "1.1",
            200,
        )
    finally:
        for handler in logging.getLogger("uvicorn.access").handlers:
            handler.close()
        logging.getLogger("uvicorn.access").handlers.clear()
    line = out.read_text(encoding="utf-8")
    assert "/subjects?q=*&purpose=*" in line
    assert "Jolene" not in line and "943" not in line
