"""The checks the overview, timeline, feedback and export routes share: a case-work role,
a subject the worker may ask about (refusals audited), and an answer the worker was shown.

An answer is "shown" when the audit log holds this user's ``answer`` entry for its id; its
entry names the records the answer cited, so feedback and exports never reach a record the
worker was not shown.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException

from api.app.access import may_ask_about
from api.app.components import AppComponents
from api.app.deps import require_case_records, require_case_work, role_of
from api.audit import AuditError
from api.audit.log import AuditEntry
from retrieval.index.subject import Subject
from retrieval.principal import Principal

#: How many of a user's latest answers feedback and exports look through.
RECENT_ANSWERS = 500

NOT_ON_CASELOAD = (
    "This child or family is not on your caseload. If you need to look, give a "
    "break-glass reason; it is recorded."
)


def checked_subject(
    comps: AppComponents, principal: Principal, subject: str, purpose: str
) -> tuple[Subject, dict[str, Any]]:
    """The parsed subject and the audit fields every entry about it carries; 403 for a role
    that sees no case records, 403 (audited) when the worker may not ask about this child
    or family, 503 when that cannot be recorded. The overview, timeline and What's new
    share it."""
    require_case_records(principal, role_of(comps, principal))
    try:
        parsed = Subject.parse(subject)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    common: dict[str, Any] = {
        "user": principal.user,
        "role": principal.role,
        "subject": parsed.id,
        "purpose": purpose,
        "break_glass_reason": principal.break_glass_reason,
    }
    if not may_ask_about(principal, role_of(comps, principal), comps.store, parsed):
        try:
            comps.audit.append(action="denied", outcome="not_on_caseload", **common)
        except AuditError as exc:
            raise HTTPException(503, "audit log unavailable: nothing was shown") from exc
        raise HTTPException(403, NOT_ON_CASELOAD)
    return parsed, common


def shown_answer(comps: AppComponents, principal: Principal, answer_id: str) -> AuditEntry:
    """The audit entry of an answer this worker was shown; 404 when there is none."""
    require_case_work(principal)
    for entry in comps.audit.latest(principal.user, "answer", RECENT_ANSWERS):
        if entry.detail.get("answer_id") == answer_id:
            return entry
    raise HTTPException(
        404, "That answer is not one of your recent answers. Ask the question again."
    )
