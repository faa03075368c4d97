"""EHCP drafting as the API and CLI use it: permission check, draft, store, audit.

Every step (draft, each review, sign-off, refused sign-off, re-identified view/export)
is appended to the audit log with the records involved, never their text. The audit
log is any object with ``append(...)`` like ``api.audit.AuditLog`` (kept a Protocol so
the assistant does not import the API layer).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from assistant.ehcp.advice import PseudonymisedStore, advice_from_store, check_may_draft
from assistant.ehcp.drafter import EhcpDrafter
from assistant.ehcp.model import EhcpDraft, EhcpSection
from assistant.ehcp.reidentify import DraftReidentifier
from assistant.ehcp.review import (
    SIGN_OFF_ROLES,
    ReviewAction,
    SignOffRefused,
    review_section,
    sign_off,
)
from assistant.ehcp.store import EhcpDraftStore
from retrieval.policy import InformationSharingPolicy
from retrieval.principal import Principal

PURPOSE = "EHC needs assessment"


class AuditSink(Protocol):
    def append(
        self,
        *,
        user: str,
        role: str,
        action: str,
        subject: str | None = None,
        purpose: str | None = None,
        record_ids: Sequence[str] = (),
        break_glass_reason: str | None = None,
        question: str | None = None,
        outcome: str = "ok",
        detail: dict[str, Any] | None = None,
    ) -> Any: ...


class EhcpService:
    def __init__(
        self,
        case_store: PseudonymisedStore,
        drafts: EhcpDraftStore,
        policy: InformationSharingPolicy,
        drafter: EhcpDrafter,
        audit: AuditSink,
        *,
        reidentifier: DraftReidentifier | None = None,
        sign_off_roles: frozenset[str] = SIGN_OFF_ROLES,
    ) -> None:
        self._case_store = case_store
        self.drafts = drafts
        self._policy = policy
        self._drafter = drafter
        self._audit = audit
        self._reidentifier = reidentifier
        self._sign_off_roles = sign_off_roles

    def _log(
        self,
        principal: Principal,
        action: str,
        draft: EhcpDraft | None,
        child: str,
        outcome: str = "ok",
        **detail: Any,
    ) -> None:
        records = [f"{s.source_system}:{s.record_id}" for s in draft.sources] if draft else []
        self._audit.append(
            user=principal.user,
            role=principal.role,
            action=action,
            subject=child,
            purpose=PURPOSE,
            record_ids=records,
            break_glass_reason=principal.break_glass_reason,
            outcome=outcome,
            detail={"draft_id": draft.draft_id if draft else None, **detail},
        )

    def draft(self, principal: Principal, child: str) -> EhcpDraft:
        """Draft A–K from the child's permitted advice; stored and audited."""
        try:
            advice = advice_from_store(self._case_store, principal, self._policy, child)
        except PermissionError:
            self._log(principal, "denied", None, child, outcome="denied", step="ehcp_draft")
            raise
        draft = self._drafter.draft(child, advice, created_by=principal.user)
        self.drafts.save(draft)
        self._log(
            principal,
            "draft",
            draft,
            child,
            step="ehcp_draft",
            generator=draft.generator,
            gates=len(draft.gates),
            dropped=sum(draft.dropped.values()),
        )
        return draft

    def _checked(self, principal: Principal, draft_id: str) -> EhcpDraft:
        draft = self.drafts.get(draft_id)
        families: set[str] = set()
        for source in draft.sources:
            found = self._case_store.get_pseudonymised(source.source_system, source.record_id)
            if found is not None:
                families.update(found[0].family_ids)
        try:
            check_may_draft(principal, self._policy, draft.child, families)
        except PermissionError:
            self._log(principal, "denied", draft, draft.child, outcome="denied")
            raise
        return draft

    def review(
        self,
        principal: Principal,
        draft_id: str,
        section_id: str,
        action: ReviewAction,
        text: str | None = None,
        reason: str | None = None,
    ) -> EhcpSection:
        draft = self._checked(principal, draft_id)
        section = review_section(draft, principal, section_id, action, text, reason=reason)
        self.drafts.save(draft)
        self.drafts.add_event(draft.draft_id, action, principal.user, principal.role, section)
        self._log(
            principal,
            "draft",
            draft,
            draft.child,
            step=f"ehcp_{action}",
            section=section_id,
            similarity=section.similarity,
        )
        return section

    def sign_off(
        self, principal: Principal, draft_id: str, reasons: dict[str, str] | None = None
    ) -> EhcpDraft:
        draft = self._checked(principal, draft_id)
        try:
            sign_off(draft, principal, roles=self._sign_off_roles, reasons=reasons)
        except SignOffRefused as exc:
            self._log(principal, "sign_off", draft, draft.child, outcome="refused", reason=str(exc))
            raise
        self.drafts.save(draft)
        self.drafts.add_event(draft.draft_id, "sign_off", principal.user, principal.role)
        self._log(
            principal,
            "sign_off",
            draft,
            draft.child,
            sections_with_reasons=sorted(draft.sign_off_reasons),
        )
        return draft

    def for_display(self, principal: Principal, draft_id: str, *, step: str = "view") -> EhcpDraft:
        """The draft re-identified for this officer (needs the vault); audited as a view."""
        if self._reidentifier is None:
            raise RuntimeError("no vault configured: drafts can only be shown pseudonymised")
        draft = self._checked(principal, draft_id)
        shown = self._reidentifier.for_officer(draft, principal)
        self._log(principal, "record_view", draft, draft.child, step=f"ehcp_{step}")
        return shown
