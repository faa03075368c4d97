"""The chat panel's timeline, What's new, copy, download, print and feedback in Debian's
Chromium (Playwright), walked as workers use them (issue 20, part B).

A family worker at desktop width opens the family's timeline (no police line), filters it
to one system, opens a line's record, narrows their questions to that system (the answer
cites only it), copies the answer for case notes (clipboard text with numbered
references), downloads it as .docx, and says it was not useful with a reason and a comment
naming someone (the name is replaced). A social worker at 390 px, by keyboard only, opens
What's new and the timeline and prints nothing but the answer. A SEND officer sees the
timeline of their caseload child. axe-core reports no WCAG 2.2 AA violation in any state.
Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import SHOTS, axe_violations, needs_chromium, served_panel

pytestmark = needs_chromium

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
WAIT = 90_000
QUESTION = "What is recorded about school attendance?"


@pytest.fixture(scope="module")
def panel(real_stack: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One served app and one Chromium for the module."""
    with served_panel(real_stack, tmp_path_factory.mktemp("tools-users")) as served:
        yield served


def _open(panel: dict[str, Any], user: str, viewport: dict[str, int], subject: str = "") -> Any:
    from playwright.sync_api import expect

    context = panel["browser"].new_context(viewport=viewport, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=panel["base"])
    page = context.new_page()
    page.goto(panel["base"] + (f"/?subject={subject}" if subject else "/"))
    token = page.get_by_label("Your caselens access token")
    token.fill(panel["users"].tokens[user])
    token.press("Enter")
    expect(page.locator("#who-text")).to_contain_text(user)
    return page


def _clean(page: Any, state: str) -> None:
    assert axe_violations(page) == [], state


def _show_timeline(page: Any) -> Any:
    from playwright.sync_api import expect

    toggle = page.locator("#timeline-toggle")
    expect(toggle).to_have_text("Show the timeline", timeout=WAIT)
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_have_text("Hide the timeline")
    lines = page.locator("#timeline-list li")
    expect(lines.first).to_be_visible(timeout=WAIT)
    return lines


def test_family_worker_timeline_narrowed_question_copy_download_feedback(
    panel: dict[str, Any],
) -> None:
    from playwright.sync_api import expect

    page = _open(panel, "api-family_worker", DESKTOP, panel["families"][0])
    lines = _show_timeline(page)
    every = lines.count()
    assert every > 3
    assert "police" not in page.locator("#timeline-list").inner_text().lower()
    expect(page.locator("#timeline-status")).to_contain_text("not shown to your role")
    _clean(page, "timeline")
    # One system only.
    first_system = page.locator("#timeline-systems .check label").first
    system_name = first_system.inner_text()
    first_system.click()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#timeline-status")).to_contain_text(f"of {every} match")
    texts = page.locator("#timeline-list li").all_inner_texts()
    assert texts and all(system_name in t for t in texts)
    page.screenshot(path=str(SHOTS / "timeline-family-worker.png"), full_page=True)
    page.locator("#timeline").screenshot(path=str(SHOTS / "timeline-section.png"))
    _clean(page, "timeline filtered")
    # A line opens its record; closing it returns focus to the line.
    line = page.locator("#timeline-list li button").first
    line.click()
    expect(page.locator("#record")).to_be_visible()
    expect(page.locator("#record-provenance")).to_contain_text(
        system_name.split(" (")[0], ignore_case=True
    )
    _clean(page, "record from timeline")
    page.get_by_role("button", name="Close record").click()
    # The same filter narrows the next question.
    page.get_by_role("button", name="Use these filters for my questions").click()
    expect(page.locator("#question-narrowed")).to_contain_text(system_name)
    box = page.get_by_label("Your question")
    box.fill(QUESTION)
    box.press("Enter")
    turn = page.locator("#thread .turn").last
    expect(turn).to_have_attribute("data-answer-id", re.compile(r"\w+"), timeout=WAIT)
    sources = turn.locator(".sources li").all_inner_texts()
    assert all(system_name.split(" (")[0].lower() in s.lower() for s in sources), sources
    _clean(page, "narrowed answer")
    # Copy for case notes: the clipboard holds the answer with numbered references.
    actions = turn.locator(".answer-actions")
    actions.get_by_role("button", name="Copy for case notes").click()
    expect(actions.locator(".status").first).to_contain_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "References" in copied and re.search(r"^\[1\] ", copied, re.M)
    assert "Check each reference" in copied
    # Download as Word.
    with page.expect_download() as download:
        actions.get_by_role("button", name="Download (.docx)").click()
    assert download.value.suggested_filename.endswith(".docx")
    # Feedback: No, a reason, a comment naming someone (replaced before it is kept).
    actions.get_by_role("button", name="No", exact=True).click()
    expect(actions.get_by_role("button", name="No", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    actions.get_by_label("Something is missing").check()
    actions.get_by_label("Anything else? (optional)").fill(
        "Ask Mrs Patricia Okonkwo about the school visit."
    )
    _clean(page, "feedback form")
    actions.get_by_role("button", name="Send feedback").click()
    expect(actions.locator(".feedback .status")).to_contain_text("replaced")
    assert "Okonkwo" not in actions.get_by_label("Anything else? (optional)").input_value()
    page.screenshot(path=str(SHOTS / "answer-actions-family-worker.png"), full_page=True)
    turn.screenshot(path=str(SHOTS / "answer-actions-turn.png"))
    _clean(page, "feedback sent")
    page.close()


def test_social_worker_whats_new_and_timeline_by_keyboard_at_390(panel: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    page = _open(panel, "api-social_worker", PHONE, panel["families"][0])
    # What's new: reach the button by Tab alone and press Enter.
    show = page.get_by_role("button", name="Show what\u2019s new")
    page.locator("#whats-new-since").focus()
    for _ in range(4):  # the date field's day, month and year, then the button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "whats-new-show":
            break
    assert page.evaluate("document.activeElement.id") == "whats-new-show"
    page.keyboard.press("Enter")
    expect(page.locator("#whats-new-status")).to_contain_text(
        "added or changed since", timeout=WAIT
    )
    items = page.locator(".news-item")
    expect(items.first).to_be_visible()
    assert page.locator(".news-quote").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "whats-new-social-worker-390.png"), full_page=True)
    _clean(page, "what's new at 390")
    # Looking again: since the last look, so nothing new.
    show.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#whats-new-status")).to_contain_text("since you last looked")
    expect(page.locator("#whats-new-status")).to_contain_text("0 records")
    # The timeline by keyboard; police records are there for a social worker.
    lines = _show_timeline(page)
    assert "police" in page.locator("#timeline-list").inner_text().lower()
    lines.first.locator("button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#record")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "timeline-social-worker-390.png"), full_page=True)
    _clean(page, "timeline at 390")
    # Print: only the conversation, no forms or buttons.
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Show the timeline").is_visible()
    assert not page.locator("#ask-form").is_visible()
    page.emulate_media(media="screen")
    page.close()


def test_send_officer_sees_a_timeline_of_their_child(panel: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    page = _open(panel, "api-send_officer", DESKTOP, panel["families"][0])
    toggle = page.get_by_role("button", name="Show the timeline")
    expect(toggle).to_be_visible(timeout=WAIT)
    toggle.click()
    expect(page.locator("#timeline-status")).not_to_be_empty(timeout=WAIT)
    assert "police" not in page.locator("#timeline-list").inner_text().lower()
    _clean(page, "send officer timeline")
    page.close()
