"""The chat panel's routes beyond the question itself (issue 20): the timeline, What's new,
feedback on answers, and copying or downloading an answer."""

from __future__ import annotations

from api.app.routes import exports, feedback, timeline, whatsnew

PANEL_ROUTERS = (timeline.router, whatsnew.router, feedback.router, exports.router)
