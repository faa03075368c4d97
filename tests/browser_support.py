"""What the browser tests share: Debian's Chromium and how it is launched, where
screenshots go, and axe-core's accessibility check (installed by ``make test``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
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

#: Mark a browser test module: skipped, saying why, where Chromium is not installed.
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium is not installed (apt-get install chromium)"
)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page (id and up to five nodes each)."""
    if not AXE.is_file():
        pytest.skip(f"axe-core not installed at {AXE} (npm install --prefix build/axe axe-core)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@contextmanager
def served_panel(stack: Any, users_dir: Path) -> Iterator[dict[str, Any]]:
    """The app over the real stack on a real uvicorn, and one headless Chromium: a module
    fixture yields this so its tests share one server and one browser. Keys: ``base`` (the
    URL), ``browser``, ``users`` (``ApiUsers``: a user per role), ``families`` (store family
    ids, the first on every caseload role's caseload), ``comps`` and ``stack``."""
    from api_support import build_components, running_server, write_users
    from playwright.sync_api import sync_playwright

    from api.app import create_app

    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    families = sorted(set(stack.corpus.subject_of.values()))
    users = write_users(users_dir, stack.policy, families)
    comps = build_components(stack, users)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with (
        running_server(create_app(comps.settings, components=comps)) as base,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield {
                "base": base,
                "browser": browser,
                "users": users,
                "families": families,
                "comps": comps,
                "stack": stack,
            }
        finally:
            browser.close()
