"""How ``caselens serve`` runs the app on uvicorn: graceful stop, and an access log that
never holds what was typed.

uvicorn's access log writes each request line with its query string, and a query string
can hold personal data (a name typed into the subject search, a purpose with an NHS
number). ``MaskQueryValues`` keeps the parameter names and replaces every value with
``*``. On SIGTERM uvicorn stops accepting, lets answers in flight finish for
``shutdown_grace_s`` seconds, then cancels them (``api.app.answers``) and exits.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl

from api.settings import Settings

MASK = "*"


def mask_query(path: str) -> str:
    """``/subjects?q=smith&purpose=x`` -> ``/subjects?q=…&purpose=…`` (names kept)."""
    base, sep, query = path.partition("?")
    if not sep:
        return path
    names = [name for name, _ in parse_qsl(query, keep_blank_values=True)]
    return f"{base}?{'&'.join(f'{name[:40]}={MASK}' for name in names)}" if names else base


class MaskQueryValues(logging.Filter):
    """A filter for ``uvicorn.access``: its third argument is the request path."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], mask_query(args[2]), *args[3:])
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's own logging configuration with the masking filter on the access log."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {
        **LOGGING_CONFIG,
        "filters": {"mask_query": {"()": MaskQueryValues}},
        "handlers": {name: dict(h) for name, h in LOGGING_CONFIG["handlers"].items()},
    }
    config["handlers"]["access"]["filters"] = ["mask_query"]
    return config


def uvicorn_config(app: Any, settings: Settings, host: str, port: int) -> Any:
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="info",
        log_config=log_config(),
        timeout_graceful_shutdown=settings.shutdown_grace_s,
        timeout_keep_alive=settings.keep_alive_s,
    )
