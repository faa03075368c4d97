"""The overview in the chat panel (issue 23), in Debian's Chromium (Playwright): a family
worker and a social worker choose a family and see who is involved, what has happened and
where to look next; a record link opens the source view by keyboard; axe-core reports no
violations at desktop width and at 390 px. Screenshots go to build/screenshots/."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from api_support import build_components, running_server, write_users

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
AXE = Path(os.environ.get("CASELENS_AXE_JS", ROOT / "build/axe/node_modules/axe-core/axe.min.js"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium is not installed (apt-get install chromium)"
)


def _axe(page: Any) -> list[dict[str, Any]]:
    if not AXE.is_file():
        pytest.skip(f"axe-core not installed at {AXE} (npm install --prefix build/axe axe-core)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def test_overview_opens_with_the_family_for_two_roles(real_stack: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from api.app import create_app

    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    families = sorted(set(real_stack.corpus.subject_of.values()))
    users = write_users(tmp_path, real_stack.policy, families)
    comps = build_components(real_stack, users)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with (
        running_server(create_app(comps.settings, components=comps)) as base,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            for user, width in (("api-family_worker", 1366), ("api-social_worker", 390)):
                page = browser.new_page(viewport={"width": width, "height": 800})
                page.goto(f"{base}/?subject={families[0]}")
                page.get_by_label("Your caselens access token").fill(users.tokens[user])
                page.get_by_role("button", name="Sign in").click()
                overview = page.locator("#overview")
                expect(overview).to_be_visible()
                expect(overview).to_contain_text("Who is involved", timeout=60_000)
                expect(page.locator("#overview-note")).to_contain_text("no scores")
                systems = overview.locator("section").first.inner_text()
                if user == "api-family_worker":
                    assert "POLICE:" not in systems
                    expect(overview).to_contain_text("not shown to your role")
                else:
                    assert "POLICE:" in systems
                name = "overview-family-worker" if width > 400 else "overview-social-worker-390"
                page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
                assert _axe(page) == []
                link = overview.locator(".record-ref").first
                link.focus()
                page.keyboard.press("Enter")
                expect(page.locator("#record")).to_be_visible()
                expect(page.locator("#record-provenance")).to_contain_text("Source system")
                assert page.locator("#record-text").inner_text().strip()
                assert _axe(page) == []
                page.set_viewport_size({"width": 390 if width > 400 else 1366, "height": 800})
                assert _axe(page) == []
                page.close()
        finally:
            browser.close()
