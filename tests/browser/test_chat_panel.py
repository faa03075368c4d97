"""The chat panel in Debian's Chromium (Playwright): sign in, ask, watch the answer stream,
hover a citation for provenance, open the source record beside the chat, ask a follow-up and
see what it was answered as, and see a family worker refused a record outside their caseload.
Screenshots go to build/screenshots/."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from api_support import build_components, running_server, write_users
from browser_support import ARGS, CHROMIUM, SHOTS, needs_chromium
from real_stack import DEMO_QUESTION

pytestmark = needs_chromium


def _outside_record(stack: Any, family: str) -> Any:
    for linked_id in stack.store.family_people(family).members:
        for rec in stack.store.records_for_linked_person(linked_id):
            if (rec.source_system, rec.sensitivity) == ("LCS", "standard"):
                return rec
    pytest.skip("no LCS record in the other family")


def test_chat_panel_flow(real_stack: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from api.app import create_app

    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    families = sorted(set(real_stack.corpus.subject_of.values()))
    users = write_users(tmp_path, real_stack.policy, families)
    comps = build_components(real_stack, users)
    SHOTS.mkdir(parents=True, exist_ok=True)
    outside = _outside_record(real_stack, users.outside_family)
    with (
        running_server(create_app(comps.settings, components=comps)) as base,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(f"{base}/?subject={families[0]}")
            page.get_by_label("Your caselens access token").fill(users.tokens["api-social_worker"])
            page.get_by_role("button", name="Sign in").click()
            expect(page.locator("#who-text")).to_contain_text("api-social_worker")
            expect(page.locator("#subject-chosen")).to_contain_text(families[0])
            page.get_by_label("Your question").fill(DEMO_QUESTION)
            page.get_by_role("button", name="Ask", exact=True).click()
            expect(page.locator("#status")).to_contain_text("Answer complete", timeout=60_000)
            assert page.locator("#answer .sentence").count() >= 1
            page.screenshot(path=str(SHOTS / "chat-answer.png"), full_page=True)

            cite = page.locator("#answer .cite").first
            cite.hover()
            tooltip = page.locator("#tooltip")
            expect(tooltip).to_be_visible()
            expect(tooltip).to_contain_text("Source system:")
            expect(tooltip).to_contain_text("Last refreshed from the source:")
            page.screenshot(path=str(SHOTS / "chat-provenance.png"))
            cite.focus()
            page.keyboard.press("Enter")  # keyboard-operable citation
            record = page.locator("#record")
            expect(record).to_be_visible()
            expect(page.locator("#record-provenance")).to_contain_text("Refreshes")
            expect(page.locator("#record-link")).to_have_attribute(
                "href", re.compile(r"^https?://")
            )
            assert page.locator("#record-text").inner_text().strip()
            page.screenshot(path=str(SHOTS / "chat-record.png"), full_page=True)

            # A follow-up in the same conversation says what it was answered as.
            answered_as = page.locator("#answered-as")
            expect(answered_as).to_be_hidden()  # the first question was answered as typed
            page.get_by_label("Your question").fill("And since the move?")
            page.get_by_role("button", name="Ask", exact=True).click()
            expect(answered_as).to_be_visible(timeout=60_000)
            expect(answered_as).to_contain_text("Answered as: What is the history of drug")
            expect(answered_as).to_contain_text("since the latest house move?")
            expect(page.locator("#status")).to_contain_text("Answer complete")
            page.screenshot(path=str(SHOTS / "chat-follow-up.png"), full_page=True)

            worker = browser.new_page(viewport={"width": 1366, "height": 768})
            worker.goto(base)
            worker.get_by_label("Your caselens access token").fill(
                users.tokens["api-family_worker"]
            )
            worker.get_by_role("button", name="Sign in").click()
            expect(worker.locator("#who-text")).to_contain_text("api-family_worker")
            worker.evaluate(f"window.caselens.openRecord('LCS', '{outside.record_id}')")
            expect(worker.locator("#record-status")).to_contain_text("not permitted")
            assert outside.text not in worker.locator("#record").inner_text()
            worker.screenshot(path=str(SHOTS / "family-worker-refused.png"), full_page=True)
        finally:
            browser.close()
