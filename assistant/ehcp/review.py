"""The officer's review: accept, edit or reject each section; sign-off by an EHCP officer.

Why this shape: the AI only ever produces ``ai_draft`` sections and a ``draft`` status;
the only way to ``signed_off`` is ``sign_off`` with a principal whose role may sign off,
after every section has been reviewed. Each review keeps a unified diff between the AI
text and the text the plan will say, and how similar they are (how useful the draft was).

Sign-off protects the statutory plan: it is refused while any of sections A–H (views,
needs, outcomes, provision) is rejected or has no text, or a blocking finding (advice
that conflicts) is open, unless the officer records a reason for each such section; the
reasons are kept on the draft, audited and printed in the document. A rejection needs a
reason. I and J are the local authority's to write (an edit), never accepted or
rejected. An edit re-runs the quality gates on the text the plan now says.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Literal

from assistant.ehcp.gates import review_gates
from assistant.ehcp.model import LA_SECTIONS, EhcpDraft, EhcpSection
from assistant.text import split_sentences
from retrieval.principal import Principal

ReviewAction = Literal["accept", "edit", "reject"]
#: Roles that may sign an EHCP off (the policy's EHCP officer role).
SIGN_OFF_ROLES: frozenset[str] = frozenset({"send_officer"})
#: Sections the plan must say something in: views, needs, outcomes and provision.
PLAN_SECTIONS: tuple[str, ...] = ("A", "B", "C", "D", "E", "F", "G", "H1", "H2")
#: Findings that block sign-off until the officer records a decision.
BLOCKING_GATES: frozenset[str] = frozenset({"conflict"})


class ReviewError(ValueError):
    """A review step that makes no sense (unknown section, empty edit, already signed off)."""


class SignOffRefused(PermissionError):
    """Sign-off by a role that may not sign off, or with sections not yet reviewed."""


def edit_diff(before: str, after: str) -> tuple[str, float]:
    """(unified diff sentence by sentence, similarity 0..1) from AI text to final text."""
    a = split_sentences(before) or ([before] if before else [])
    b = split_sentences(after) or ([after] if after else [])
    diff = "\n".join(difflib.unified_diff(a, b, fromfile="ai_draft", tofile="final", lineterm=""))
    ratio = difflib.SequenceMatcher(None, before, after, autojunk=False).ratio()
    return diff, (1.0 if not before and not after else round(ratio, 4))


def review_section(
    draft: EhcpDraft,
    principal: Principal,
    section_id: str,
    action: ReviewAction,
    text: str | None = None,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> EhcpSection:
    """Record one review step on ``draft`` (changed in place); returns the section."""
    if draft.status == "signed_off":
        raise ReviewError(f"draft {draft.draft_id} is signed off; start a new draft to change it")
    section = draft.section(section_id)
    if section_id in LA_SECTIONS and action != "edit":
        raise ReviewError(
            f"section {section_id} is for the local authority to decide: write it with an "
            "edit; there is no AI text to accept or reject"
        )
    reason = (reason or "").strip() or None
    if action == "reject" and reason is None:
        raise ReviewError("a rejection needs a reason")
    if action == "edit":
        if text is None or not text.strip():
            raise ReviewError("an edit needs the new section text")
        section.edited_text = text.strip()
        section.review_state = "edited"
    elif action == "accept":
        section.edited_text = None
        section.review_state = "accepted"
    elif action == "reject":
        section.edited_text = None
        section.review_state = "rejected"
    else:
        raise ReviewError(f"unknown review action {action!r}; use accept, edit or reject")
    section.review_reason = reason if action == "reject" else None
    section.editor = principal.user
    section.reviewed_at = now or datetime.now(UTC)
    section.diff, section.similarity = edit_diff(section.ai_text, section.final_text)
    draft.gates = review_gates(draft)
    return section


def unreviewed(draft: EhcpDraft) -> list[str]:
    """Sections still as the AI drafted them (I and J are never reviewed: the local
    authority writes them, or leaves "for the local authority to decide")."""
    return [
        s.section
        for s in draft.sections
        if s.review_state == "ai_draft" and s.section not in LA_SECTIONS
    ]


def sign_off_problems(draft: EhcpDraft) -> dict[str, str]:
    """Section -> why the plan is not complete there (rejected, no text, conflicting
    advice open); empty when the plan may be signed off without reasons."""
    problems: dict[str, list[str]] = {}
    for sid in PLAN_SECTIONS:
        section = draft.section(sid)
        if section.review_state == "rejected":
            problems.setdefault(sid, []).append(
                f"rejected ({section.review_reason})" if section.review_reason else "rejected"
            )
        elif not section.final_text.strip() or (
            section.status == "empty" and section.review_state != "edited"
        ):
            problems.setdefault(sid, []).append("has no agreed text")
    for gate in draft.gates:
        if gate.kind in BLOCKING_GATES:
            problems.setdefault(gate.section, []).append("conflicting advice is not resolved")
    return {sid: "; ".join(dict.fromkeys(why)) for sid, why in problems.items()}


def sign_off(
    draft: EhcpDraft,
    principal: Principal,
    *,
    roles: Iterable[str] = SIGN_OFF_ROLES,
    reasons: dict[str, str] | None = None,
    now: datetime | None = None,
) -> EhcpDraft:
    """Mark the draft signed off; refuses other roles, drafts with unreviewed sections,
    and incomplete plans (``sign_off_problems``) unless ``reasons`` has a reason for each
    such section."""
    if principal.role not in set(roles):
        raise SignOffRefused(f"role {principal.role!r} may not sign off an EHCP")
    if draft.status == "signed_off":
        raise ReviewError(f"draft {draft.draft_id} is already signed off")
    pending = unreviewed(draft)
    if pending:
        raise SignOffRefused(f"sections not yet reviewed: {', '.join(pending)}")
    given = {k: v.strip() for k, v in (reasons or {}).items() if v and v.strip()}
    problems = sign_off_problems(draft)
    missing = {sid: why for sid, why in problems.items() if sid not in given}
    if missing:
        listed = "; ".join(f"section {sid} {why}" for sid, why in missing.items())
        raise SignOffRefused(
            f"the plan is not complete: {listed}. Finish these sections, or record a reason "
            "for each to sign off anyway"
        )
    draft.sign_off_reasons = {sid: given[sid] for sid in problems}
    draft.status = "signed_off"
    draft.signed_off_by = principal.user
    draft.signed_off_at = now or datetime.now(UTC)
    return draft


def usefulness(draft: EhcpDraft) -> dict[str, float]:
    """Similarity of final to AI text per reviewed section (1.0 = kept as drafted), plus
    ``mean`` over drafted sections: the measure of how useful drafts are."""
    scores = {
        s.section: s.similarity
        for s in draft.sections
        if s.similarity is not None and s.status == "drafted"
    }
    out: dict[str, float] = {k: float(v) for k, v in scores.items() if v is not None}
    if out:
        out["mean"] = round(sum(out.values()) / len(out), 4)
    return out
