"""``caselens digest --user U [--since DATE] [--json]``: What's new on a worker's caseload.

The same digest as the panel's What's new (``GET /whats-new``): for each child or family
on the caseload, the records added or changed since ``--since`` (a date or date and time;
default: when the worker last looked, in the panel or here), each with its own first
sentences and its reference. Only records the worker's role may see; written to the audit
log like the panel's view, so it also counts as "last looked".
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from api import backends
from api.commands.ask import JsonOption, UserOption, _principal_or_exit
from api.settings import load_settings

if TYPE_CHECKING:
    from assistant.whatsnew import Digest


def digest_command(
    user: UserOption,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="A date (2026-12-01) or date and time; default: when you last looked.",
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """What was added or changed on your caseload since you last looked; each item cited."""
    from fastapi import HTTPException

    from api.app.caseload import caseload_subjects
    from api.app.routes.whatsnew import since_moment
    from assistant.whatsnew import WhatsNew
    from redaction.vault import VaultKeyError

    settings = load_settings()
    principal = replace(_principal_or_exit(settings, user, None), break_glass_reason=None)
    stack = backends.open_stack(settings)
    try:
        audit = backends.build_audit_log(settings, stack.store)
        last = audit.latest(principal.user, "whats_new")
        try:
            moment = since_moment(since, last[0].at if last else None, settings.whats_new_days)
        except HTTPException as exc:
            typer.echo(f"Cannot show what's new: {exc.detail}", err=True)
            raise typer.Exit(code=2) from exc
        subjects = caseload_subjects(stack.store, principal, stack.policy.role(principal.role))
        try:
            timeline = backends.build_timeline_builder(
                settings, embedder=stack.embedder, vectors=stack.vectors, store=stack.store
            )
        except VaultKeyError as exc:
            typer.echo(f"Cannot show what's new: {exc}", err=True)
            raise typer.Exit(code=2) from exc
        digest = WhatsNew(timeline, stack.store.changes).digest(principal, subjects, moment)
        audit.append(
            action="whats_new",
            user=principal.user,
            role=principal.role,
            purpose="direct case work",
            record_ids=digest.record_ids(),
            detail={"since": digest.since, "subjects": len(subjects), "via": "cli"},
        )
    finally:
        stack.close()
    if settings.vault_key is None:
        typer.echo("Names are shown as pseudonyms: CASELENS_VAULT_KEY is not set.", err=True)
    if json_output:
        typer.echo(json.dumps(digest.as_dict(), indent=2))
        return
    typer.echo(render_digest(digest))


def render_digest(digest: Digest) -> str:
    """The digest as plain text for a terminal."""
    out = [
        f"What's new for {digest.user} ({digest.role}) since {digest.since}: "
        f"{digest.records} records added or changed"
    ]
    if not digest.subjects:
        out.append("  Nobody is on your caseload.")
    for news in digest.subjects:
        out.append(f"\n{news.label} ({news.subject})")
        if not news.items:
            out.append("  Nothing new in the records you may see.")
        for item in news.items:
            r = item.record
            role = f", {r.author_role}" if r.author_role else ""
            out.append(
                f"  {item.change} {item.changed_at[:16].replace('T', ' ')}: {r.title} "
                f"[{r.source_system} {r.record_type} {r.record_id}, {r.occurred_at}{role}]"
            )
            out.extend(f"    - {s}" for s in item.sentences)
    return "\n".join(out)
