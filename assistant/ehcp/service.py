"""EHCP drafting as the API and CLI use it: permission check, draft, store, audit.

Every step (draft, each review, sign-off, refused sign-off, view/export) is appended to
the audit log with the records involved, never their text. The audit log is any object
with ``append(...)`` like ``api.audit.AuditLog`` (kept a Protocol so the assistant does
not import the API layer); a failed write raises and nothing is shown.

Access, in one place for the API and the CLI: ``view`` always checks the role (SEND
advice) and the caseload, audits, and re-identifies only when a re-identifier is
configured (``ShownDraft.reidentified`` says which); ``review`` and ``sign_off`` also need
an editing role and the draft's owner (the officer who drafted it, or whom they handed it
to with ``reassign``); ``draft`` needs a real child with advice the principal may see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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


class NoAdvice(LookupError):
    """No SEND advice this principal may see for that child (or no such child)."""


@dataclass(frozen=True)
class ShownDraft:
    draft: EhcpDraft
    #: False when no vault key is configured: the text shows placeholders ([Child 1]).
    reidentified: bool


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
        if not advice:
            self._log(principal, "denied", None, child, outcome="no_advice", step="ehcp_draft")
            raise NoAdvice("no SEND advice you may see for this child")
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

    @property
    def reidentifies(self) -> bool:
        """Whether drafts can be shown with names (a vault key is configured)."""
        return self._reidentifier is not None

    def _checked(self, principal: Principal, draft_id: str, step: str) -> EhcpDraft:
        """The draft, if the principal's role sees SEND advice and the child is on their
        caseload (or glass is broken); a refusal is audited and raised."""
        draft = self.drafts.get(draft_id)
        try:
            self._checked_for(principal, draft)
        except PermissionError:
            self._log(principal, "denied", draft, draft.child, outcome="denied", step=step)
            raise
        return draft

    def _checked_for(self, principal: Principal, draft: EhcpDraft) -> None:
        """``PermissionError`` unless the principal may see this draft's child's advice."""
        families: set[str] = set()
        for source in draft.sources:
            found = self._case_store.get_pseudonymised(source.source_system, source.record_id)
            if found is not None:
                families.update(found[0].family_ids)
        family = self._case_store.family_of(draft.child)
        if family is not None:
            families.add(family.family_id)
        check_may_draft(principal, self._policy, draft.child, families)

    def owner(self, draft: EhcpDraft) -> str:
        """Who may change the draft: the officer who drafted it, or whom it was handed to."""
        return draft.owner or draft.created_by

    def reassign(self, principal: Principal, draft_id: str, to: Principal) -> EhcpDraft:
        """Hand the draft to another officer (``to``, from the users file): only its owner
        may, and ``to`` must hold an editing role and may see this child's advice."""
        draft = self._editable(principal, draft_id, "ehcp_reassign")
        try:
            if to.role not in self._sign_off_roles:
                raise PermissionError(f"role {to.role!r} may not own an EHCP draft")
            self._checked_for(to, draft)
        except PermissionError:
            self._log(
                principal,
                "denied",
                draft,
                draft.child,
                outcome="denied",
                step="ehcp_reassign",
                to_user=to.user,
            )
            raise
        draft.owner = to.user
        self.drafts.save(draft)
        self.drafts.add_event(draft.draft_id, "reassign", principal.user, principal.role)
        self._log(
            principal,
            "draft",
            draft,
            draft.child,
            step="ehcp_reassign",
            from_user=principal.user,
            to_user=to.user,
        )
        return draft

    def _editable(self, principal: Principal, draft_id: str, step: str) -> EhcpDraft:
        """``_checked`` plus: an editing role, and the draft's owner."""
        draft = self._checked(principal, draft_id, step)
        if principal.role not in self._sign_off_roles:
            reason = f"role {principal.role!r} may not change an EHCP draft"
        elif principal.user != self.owner(draft):
            reason = "only the officer who owns this draft may change it"
        else:
            return draft
        self._log(principal, "denied", draft, draft.child, outcome="not_owner", step=step)
        raise PermissionError(reason)

    def review(
        self,
        principal: Principal,
        draft_id: str,
        section_id: str,
        action: ReviewAction,
        text: str | None = None,
        reason: str | None = None,
    ) -> EhcpSection:
        draft = self._editable(principal, draft_id, f"ehcp_{action}")
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
        """Sign off: the owner, in a sign-off role, every section reviewed. Another role is
        refused by ``review.sign_off`` (audited as a refused sign-off)."""
        if principal.role in self._sign_off_roles:
            draft = self._editable(principal, draft_id, "ehcp_sign_off")
        else:
            draft = self._checked(principal, draft_id, "ehcp_sign_off")
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

    def view(
        self, principal: Principal, draft_id: str, *, step: str = "view", reidentify: bool = True
    ) -> ShownDraft:
        """The draft for this principal, checked and audited as a view: re-identified for
        them when a vault is configured (and ``reidentify``), else pseudonymised."""
        draft = self._checked(principal, draft_id, f"ehcp_{step}")
        reidentifier = self._reidentifier if reidentify else None
        named = reidentifier is not None
        shown = reidentifier.for_officer(draft, principal) if reidentifier is not None else draft
        self._log(
            principal, "record_view", draft, draft.child, step=f"ehcp_{step}", reidentified=named
        )
        return ShownDraft(shown, named)

    def for_display(self, principal: Principal, draft_id: str, *, step: str = "view") -> EhcpDraft:
        """``view(...).draft``."""
        return self.view(principal, draft_id, step=step).draft
