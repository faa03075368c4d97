"""``create_app(settings)``: the FastAPI app, with everything it needs built from settings.

No module-level state: each app holds its own components (``app.state.components``), so
tests build as many apps as they like. The chat panel is served from ``api/web``.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from api.app.components import AppComponents
from api.app.docs import add_local_docs
from api.app.ehcp_routes import ServiceFactory
from api.app.ehcp_routes import build_router as build_ehcp_router
from api.app.guards import BodyLimit, ErrorBoundary, SecurityHeaders, validation_failed
from api.app.routes import (
    audit,
    chat,
    conversations,
    health,
    linkage,
    overview,
    records,
    subjects,
)
from api.app.routes.panel import PANEL_ROUTERS
from api.settings import Settings, load_settings

DESCRIPTION = """Cited, permission-aware answers about one child or family.

Sign in with `Authorization: Bearer <token>`: an OIDC JWT (issuer, audience and JWKS from
settings) or a caselens API token from the users file. Every question, answer, record view
and subject search is written to the tamper-evident audit log first; if it cannot be
written, nothing is shown (503).
"""


def web_dir() -> Path:
    return Path(str(resources.files("api").joinpath("web")))


def settle_heap() -> None:
    """Move everything loaded so far (models, name lists, vocabularies: about half a
    million objects) out of the garbage collector's view. Without this, every full
    collection walks all of it while an answer waits: 0.5-1.3 s pauses at random, the
    slowest first answers and the worst latencies under load. Objects made afterwards are
    collected as usual; ``gc.unfreeze`` at shutdown hands the loaded ones back."""
    gc.collect()
    gc.freeze()


def create_app(
    settings: Settings | None = None,
    *,
    components: AppComponents | None = None,
    ehcp_service_factory: ServiceFactory | None = None,
) -> FastAPI:
    """The app. Pass ``components`` to share ones already built (tests); otherwise they are
    built from ``settings`` and closed when the app shuts down."""
    from api import backends

    settings = settings if settings is not None else load_settings()
    owned = components is None
    comps = components if components is not None else backends.build_api_components(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if owned:
            # Load the models now (embedding model, request bank, glossary), so the first
            # question is answered as fast as any other.
            await anyio.to_thread.run_sync(comps.warm)
            settle_heap()
        yield
        if owned:
            comps.close()
            gc.unfreeze()

    app = FastAPI(
        title="caselens",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # /docs is served below from local files; ReDoc needs a CDN
        redoc_url=None,
    )
    app.state.components = comps
    app.add_exception_handler(RequestValidationError, validation_failed)
    app.add_middleware(BodyLimit, max_bytes=comps.settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ErrorBoundary)  # added last: outermost
    for router in (
        health.router,
        chat.router,
        conversations.router,
        subjects.router,
        overview.router,
        records.router,
        audit.router,
        linkage.router,
        *PANEL_ROUTERS,
    ):
        app.include_router(router)
    app.include_router(build_ehcp_router(ehcp_service_factory))
    static = web_dir()
    app.mount("/static", StaticFiles(directory=static), name="static")

    add_local_docs(app)

    @app.get("/", include_in_schema=False)
    def panel() -> FileResponse:
        """The chat panel (``/?subject=FAM-…`` opens it on one child or family)."""
        return FileResponse(static / "index.html", headers={"Cache-Control": "no-store"})

    return app
