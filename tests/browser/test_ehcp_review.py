"""The EHCP review page in Debian's Chromium (Playwright), as an officer uses it: pick the
child by name, draft, open a citation (the advice panel takes focus beside the draft),
edit a section (the officer's text replaces the AI text), reject one with a reason, try
to sign off and read why it is refused where the button is, sign off with a reason,
download the Word document and check its structure with python-docx. axe-core (from npm,
``npm install --prefix build/axe axe-core``) must report no violations on the page.
Screenshots go to build/screenshots/."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from api_support import build_components, running_server, write_users
from browser_support import ARGS, CHROMIUM, SHOTS, axe_violations, needs_chromium
from docx import Document

pytestmark = needs_chromium


def test_officer_journey_on_the_review_page(real_stack: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from api.app import create_app
    from api.app.subject_search import find_subjects
    from api.backends import build_ehcp_service

    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    store = real_stack.store
    advice = next(
        r
        for r in store.iter_pseudonymised()
        if r.source_system == "SEND" and r.record_type == "advice_report"
    )
    child = advice.linked_person_ids[0]
    family = store.family_of(child).family_id
    others = sorted(set(real_stack.corpus.subject_of.values()) - {family})
    users = write_users(tmp_path, real_stack.policy, [family, *others])
    comps = build_components(real_stack, users)
    officer_policy = real_stack.policy.role("send_officer")
    from retrieval.principal import Principal

    officer = Principal.with_caseload("api-send_officer", "send_officer", [family])
    member = next(
        m
        for f in find_subjects(store, officer, officer_policy, "")
        for m in f.members
        if m.id == child
    )
    first_name = member.label.split()[0]
    app = create_app(
        comps.settings,
        components=comps,
        ehcp_service_factory=lambda c: build_ehcp_service(
            c.settings, c.store, embedder=real_stack.embedder
        ),
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    with running_server(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 1366, "height": 768}, bypass_csp=True, accept_downloads=True
            )
            page = context.new_page()
            page.goto(f"{base}/ehcp/review")
            # Nothing to act on before a draft exists.
            expect(page.locator("#sign-off")).to_be_hidden()
            expect(page.locator("#download")).to_be_hidden()
            page.get_by_label("Your caselens access token").fill(users.tokens["api-send_officer"])
            page.get_by_role("button", name="Sign in").click()
            page.get_by_label("Child's name").fill(first_name.lower())
            page.get_by_role("button", name="Find").click()
            card = page.locator("#children li.child").filter(has_text=member.label)
            expect(card).to_have_count(1)
            assert "LP-" not in page.locator("#children").inner_text()
            assert axe_violations(page) == []
            card.get_by_role("button", name="Draft from advice").click()
            expect(page.locator("#draft-title")).to_contain_text(member.label, timeout=60_000)
            assert "LP-" not in page.locator("#draft-title").inner_text()
            assert member.label in page.title()
            page.screenshot(path=str(SHOTS / "ehcp-draft.png"), full_page=True)

            # Cite: the advice panel beside the draft shows the passage and takes focus.
            cite = page.locator("#section-F .cite").first
            cite.click()
            expect(page.locator("#advice h3")).to_be_visible()
            focused = page.evaluate("document.activeElement.closest('.advice-panel') !== null")
            assert focused, "focus stayed on the citation"
            box = page.locator("#advice-title").bounding_box()
            assert box is not None and 0 <= box["y"] < 768, box
            expect(page.locator("#advice mark")).to_have_count(1)
            page.screenshot(path=str(SHOTS / "ehcp-cited-advice.png"))

            # Edit B: the officer's text replaces the AI text on the page.
            section_b = page.locator("#section-B")
            section_b.get_by_role("button", name="Edit").click()
            page.get_by_label("Text for section B").fill("Officer's own words for section B.")
            section_b.get_by_role("button", name="Save the text").click()
            expect(page.locator("#section-status-B")).to_contain_text("Section B edited")
            expect(page.locator("#section-B h4").first).to_have_text("Officer's text")
            expect(page.locator("#section-B details")).not_to_have_attribute("open", "")

            # I and J: for the local authority, nothing to accept or reject.
            section_i = page.locator("#section-I")
            expect(section_i.get_by_role("button", name="Accept")).to_have_count(0)
            expect(section_i.get_by_role("button", name="Reject")).to_have_count(0)

            # Reject D with a reason; accept the rest.
            section_d = page.locator("#section-D")
            section_d.get_by_role("button", name="Reject").click()
            section_d.get_by_role("button", name="Confirm rejection").click()
            expect(page.locator("#section-status-D")).to_contain_text("Give a reason")
            page.get_by_label("Why are you rejecting section D?").fill("Advice is out of date.")
            section_d.get_by_role("button", name="Confirm rejection").click()
            expect(page.locator("#section-status-D")).to_contain_text("Section D rejected")
            for sid in ("A", "C", "E", "F", "G", "H1", "H2", "K"):
                section = page.locator(f"#section-{sid}")
                section.get_by_role("button", name="Accept").click()
                expect(page.locator(f"#section-status-{sid}")).to_contain_text(
                    f"Section {sid} accepted"
                )

            # Sign-off refused, and why, where the officer is looking.
            page.get_by_role("button", name="Sign off the plan").click()
            status = page.locator("#finish-status")
            expect(status).to_contain_text("Not signed off")
            expect(status).to_contain_text("section D rejected")
            assert page.evaluate("document.activeElement.id") == "finish-status"
            reason_d = page.get_by_label("Reason for signing off section D as it is")
            expect(reason_d).to_be_visible()
            for field in page.locator("#reasons input").all():
                field.fill("Agreed at the EHCP panel.")
            page.screenshot(path=str(SHOTS / "ehcp-sign-off-refused.png"), full_page=True)
            assert axe_violations(page) == []
            page.get_by_role("button", name="Sign off the plan").click()
            expect(status).to_contain_text("Signed off")
            expect(page.locator("#draft-mark")).to_contain_text("Signed off by api-send_officer")

            with page.expect_download() as download:
                page.get_by_role("button", name="Download Word document").click()
            data = Path(download.value.path()).read_bytes()
            doc = Document(io.BytesIO(data))
            body = "\n".join(p.text for p in doc.paragraphs)
            assert "Signed off by api-send_officer" in body
            assert "Section D: Agreed at the EHCP panel." in body
            assert "Officer's own words for section B." in body
            assert doc.core_properties.author == "api-send_officer"
            assert "PAGE" in doc.sections[0].footer.paragraphs[0]._p.xml
            assert doc.tables and doc.tables[0].rows[0].cells[0].text == "Need"

            # The child's drafts are listed: the next visit continues, not redrafts.
            page.get_by_role("button", name="Find").click()
            expect(card.get_by_role("button", name="Open")).to_have_count(1)
            expect(card.get_by_role("button", name="Start a new draft version")).to_have_count(1)
        finally:
            browser.close()
