"""The HTTP boundary: security headers on every response, and errors that never echo
what the request carried.

- ``SecurityHeaders``: a Content-Security-Policy with no inline script (the panel and the
  EHCP page load only their own ``/static`` files), ``X-Frame-Options: DENY``,
  ``nosniff``, no referrer, and ``Cache-Control: no-store`` unless a route chose its own
  (the API's answers, records and drafts hold personal data; only ``/static`` is cached).
  The interactive API docs (``/docs``, ``/redoc``) hold no case data and keep FastAPI's
  own page, which needs inline script.
- ``ErrorBoundary``: an unexpected exception becomes a plain 500 and one log line naming
  the route and the exception type, never its message or traceback (they can hold the
  question, a record's text or SQL parameters).
- ``BodyLimit``: a request body over ``max_request_bytes`` gets 413 without being read
  whole (the longest field, an EHCP section edit, is 20,000 characters).
- ``validation_failed``: 422 bodies list where and what was wrong, never the input
  (FastAPI's default echoes it, so a 1 MB question came back whole).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("caselens.http")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
_DOC_PATHS = ("/docs", "/redoc")


def _headers_for(path: str) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]
    if not path.startswith(_DOC_PATHS):
        headers.append((b"content-security-policy", CSP.encode("ascii")))
    return headers


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        extra = _headers_for(path)
        cacheable = path.startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in extra if k not in names]
                if not cacheable and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(scope, receive, send)


class _TooLarge(Exception):
    pass


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse({"detail": "request body too large"}, status_code=413)
    await response(scope, receive, send)


class ErrorBoundary:
    """Outermost: an exception that escaped every handler -> 500, logged by type only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            log.error(
                "request failed: %s %s (%s)",
                scope.get("method", ""),
                scope.get("path", ""),
                type(exc).__name__,
            )
            if started:
                return  # the response is under way; the connection just ends
            response = JSONResponse({"detail": "internal error"}, status_code=500)
            await response(scope, receive, send)


async def validation_failed(request: Request, exc: Exception) -> JSONResponse:
    """422 without the input: location, message and error type of each problem."""
    errors: list[dict[str, Any]] = []
    if isinstance(exc, RequestValidationError):
        for error in exc.errors()[:20]:
            errors.append(
                {
                    "loc": [str(part)[:64] for part in error.get("loc", ())],
                    "msg": str(error.get("msg", ""))[:200],
                    "type": str(error.get("type", "")),
                }
            )
    return JSONResponse({"detail": errors}, status_code=422)
