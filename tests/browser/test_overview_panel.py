"""The overview in the chat panel (issue 23), in Debian's Chromium (Playwright): a family
worker and a social worker choose a family and see who is involved, what has happened and
where to look next; a record link opens the source view by keyboard; axe-core reports no
violations at desktop width and at 390 px. Screenshots go to build/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser_support import SHOTS, axe_violations, needs_chromium, served_panel

pytestmark = needs_chromium


def test_overview_opens_with_the_family_for_two_roles(real_stack: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with served_panel(real_stack, tmp_path) as served:
        browser, base, users, families = (
            served["browser"],
            served["base"],
            served["users"],
            served["families"],
        )
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
                assert "police:" not in systems
                expect(overview).to_contain_text("not shown to family workers")
            else:
                assert "police:" in systems
            name = "overview-family-worker" if width > 400 else "overview-social-worker-390"
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
            assert axe_violations(page) == []
            if width < 641:
                # On a phone the overview is one line and a button until opened.
                expect(page.locator("#overview-parts")).to_be_hidden()
                page.get_by_role("button", name="Show the overview").press("Enter")
            # Past the overview to the question box in one step, by keyboard: the link
            # comes before the overview's links in the page.
            to_question = page.get_by_role("link", name="Go to the question box")
            before = "([a, b]) => !!(a.compareDocumentPosition(b) & 4)"  # b follows a
            assert page.evaluate(before, [to_question.element_handle(), overview.element_handle()])
            to_question.focus()
            page.keyboard.press("Enter")
            expect(page.get_by_label("Your question")).to_be_focused()
            link = overview.locator(".record-ref").first
            link.focus()
            page.keyboard.press("Enter")
            expect(page.locator("#record")).to_be_visible()
            expect(page.locator("#record-provenance")).to_contain_text("Recorded in")
            assert page.locator("#record-text").inner_text().strip()
            assert axe_violations(page) == []
            page.set_viewport_size({"width": 390 if width > 400 else 1366, "height": 800})
            assert axe_violations(page) == []
            page.close()
