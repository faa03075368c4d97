"""The caselens HTTP API and chat panel: ``create_app(settings)``."""

from api.app.factory import create_app

__all__ = ["create_app"]
