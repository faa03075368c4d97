"""What one running app holds: store, policy, sign-in, audit log and the answer service.

Built from settings by ``api.backends.build_api_components``; tests may build it directly.
The answer service loads models, so it is built on first use (``/health`` and sign-in
never wait for it); answers run concurrently on ``answers`` (``api.app.answers``), at
most one per core at a time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from api.app.answers import AnswerPool
from api.app.auth import Authenticator
from api.audit import AuditLog
from api.settings import Settings
from assistant.contracts import Answer
from assistant.conversation import ConversationState
from retrieval.policy import InformationSharingPolicy
from retrieval.store import CaseStore
from retrieval.store.conversations import ConversationStore

_CONVERSATIONS = 512


@dataclass
class AppComponents:
    settings: Settings
    store: CaseStore
    policy: InformationSharingPolicy
    authenticator: Authenticator
    audit: AuditLog
    answer_service_factory: Callable[[], Any]
    closers: list[Callable[[], None]] = field(default_factory=list)
    #: Builds the overview of a subject (``assistant.overview.OverviewBuilder``) on first use.
    overview_factory: Callable[[], Any] | None = None
    _overview: Any = None
    #: Builds the EHCP service (``assistant.ehcp.service.EhcpService``) on first use, on the
    #: answer service's embedding model.
    ehcp_service_factory: Callable[[], Any] | None = None
    _ehcp: Any = None
    #: Builds the timeline of a subject (``assistant.timeline.TimelineBuilder``) on first use.
    timeline_factory: Callable[[], Any] | None = None
    _timeline: Any = None
    #: Builds the free-text redactor for feedback comments ((text, subject id) ->
    #: (pseudonymised text, how many replaced)); ``api.backends.build_free_text_redactor``.
    redactor_factory: Callable[[], Callable[[str, str], tuple[str, int]]] | None = None
    _redactor: Callable[[str, str], tuple[str, int]] | None = None
    _service: Any = None
    _service_lock: threading.Lock = field(default_factory=threading.Lock)
    _answers: AnswerPool | None = None
    _conversations: OrderedDict[tuple[str, str], ConversationState] = field(
        default_factory=OrderedDict
    )

    def answer_service(self) -> Any:
        with self._service_lock:
            if self._service is None:
                self._service = self.answer_service_factory()
            return self._service

    def overview(self) -> Any:
        """The overview builder (``/subjects/{id}/overview``); built on first use."""
        if self.overview_factory is None:
            raise RuntimeError("this app was built without an overview")
        with self._service_lock:
            if self._overview is None:
                self._overview = self.overview_factory()
            return self._overview

    def ehcp_service(self) -> Any:
        """The EHCP service (``/ehcp/...``); built on first use."""
        if self.ehcp_service_factory is None:
            raise RuntimeError("this app was built without an EHCP service")
        with self._service_lock:
            if self._ehcp is None:
                self._ehcp = self.ehcp_service_factory()
            return self._ehcp

    def timeline(self) -> Any:
        """The timeline builder (``/subjects/{id}/timeline``, What's new); built on first use."""
        if self.timeline_factory is None:
            raise RuntimeError("this app was built without a timeline")
        with self._service_lock:
            if self._timeline is None:
                self._timeline = self.timeline_factory()
            return self._timeline

    def free_text_redactor(self) -> Callable[[str, str], tuple[str, int]]:
        """Presidio over free text a worker typed (feedback comments); built on first use."""
        if self.redactor_factory is None:
            raise RuntimeError("this app was built without a free-text redactor")
        with self._service_lock:
            if self._redactor is None:
                self._redactor = self.redactor_factory()
            return self._redactor

    def whats_new(self) -> Any:
        """What's new (``assistant.whatsnew``) over the timeline and the store's changes."""
        from assistant.whatsnew import WhatsNew

        return WhatsNew(self.timeline(), self.store.changes)

    @property
    def answers(self) -> AnswerPool:
        """The answer pool, sized by ``answer_workers`` and ``answer_queue``."""
        with self._service_lock:
            if self._answers is None:
                self._answers = AnswerPool(self.settings.answer_workers, self.settings.answer_queue)
            return self._answers

    def warm(self) -> None:
        """Build the answer service and run its models once on a fixed text (no case
        data), and build the overview (its source-of-knowledge parser), so neither the
        first question nor the first overview pays a loading cost."""
        service = self.answer_service()
        service.warm()
        if self.overview_factory is not None:
            self.overview()

    @property
    def kept_conversations(self) -> ConversationStore:
        """Conversations kept per user in the case store (``retrieval.store.conversations``)."""
        return self.store.conversations

    def conversation(self, user: str, conversation_id: str | None) -> ConversationState | None:
        """The user's conversation state (bounded, in memory; a kept conversation that is
        not in memory is replayed from its stored questions); None for a one-off question."""
        if not conversation_id:
            return None
        key = (user, conversation_id)
        with self._service_lock:
            state = self._conversations.pop(key, None)
        if state is None:
            state = ConversationState()
            kept = self.kept_conversations.get(user, conversation_id)
            if kept is not None:
                subject, turns = kept
                for turn in turns:
                    asked = Answer.model_validate(turn.answer)
                    state.record(state.resolve(asked.resolved_question or asked.question, subject))
        with self._service_lock:
            self._conversations[key] = state
            while len(self._conversations) > _CONVERSATIONS:
                self._conversations.popitem(last=False)
            return state

    def forget_conversation(self, user: str, conversation_id: str) -> None:
        """Drop the in-memory state of a deleted conversation."""
        with self._service_lock:
            self._conversations.pop((user, conversation_id), None)

    def refresh_schedule(self, source_system: str) -> str:
        schedule = self.settings.source_refresh
        return schedule.get(source_system) or schedule.get("*") or "not recorded"

    def close(self) -> None:
        answers, self._answers = self._answers, None
        if answers is not None:
            answers.close()
        service, self._service = self._service, None
        if service is not None and hasattr(service, "close"):
            service.close()
        overview, self._overview = self._overview, None
        if overview is not None:
            overview.close()
        closers, self.closers = self.closers, []
        for close in reversed(closers):
            close()
