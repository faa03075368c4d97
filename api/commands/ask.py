"""``caselens ask`` and ``caselens subjects``: cited answers, and what one may ask about.

``ask --user U --subject S "question" ["follow-up" …] [--json]`` answers through
``build_answer_service`` (scoped hybrid search, the configured generator, the citation
verifier); several questions are one conversation, and a follow-up shows the question it
was answered as ("Answered as: …", ``resolved_question`` in JSON). The same rules and
audit trail as ``POST /chat``: a role that sees no case records, or a subject off the
caseload without ``--break-glass``, is refused (the latter recorded as ``denied``); each
question is recorded before it is answered and each answer's records before it is printed,
and if the audit log cannot be written nothing is printed. Names are shown
only where the user's role may see the cited record (sealed vault, ``CASELENS_VAULT_KEY``);
everything else stays pseudonymised. ``subjects --user U`` lists the families and people
on the user's caseload by linked id, with pseudonym labels only.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api import backends
from api.settings import load_settings

if TYPE_CHECKING:
    from api.audit import AuditLog
    from assistant.contracts import Answer

UserOption = Annotated[str, typer.Option("--user", help="User name in the users file.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _principal_or_exit(settings: Any, user: str, break_glass: str | None) -> Any:
    from retrieval.principal import UnknownUserError

    try:
        principal = backends.load_users(settings).principal(user, break_glass)
        backends.load_policy(settings).role(principal.role)
    except (FileNotFoundError, UnknownUserError, ValueError, KeyError) as exc:
        typer.echo(f"Cannot answer: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    return principal


def ask_command(
    questions: Annotated[
        list[str],
        typer.Argument(
            help="The question, in plain English. Several are asked in turn as one "
            'conversation, so later ones may be follow-ups ("and since the move?").',
            metavar="QUESTION",
        ),
    ],
    user: UserOption,
    subject: Annotated[
        str | None, typer.Option("--subject", help="Linked person (LP-…) or family (FAM-…) id.")
    ] = None,
    break_glass: Annotated[
        str | None,
        typer.Option("--break-glass", help="Recorded reason to ask outside the caseload."),
    ] = None,
    purpose: Annotated[
        str, typer.Option("--purpose", help="Why you are asking (recorded in the audit log).")
    ] = "direct case work",
    json_output: JsonOption = False,
) -> None:
    """Ask a question about one subject; every sentence cites its source records.

    A follow-up is answered as the self-contained question it means, printed as
    "Answered as: …" (resolved_question in --json)."""
    from api.app.access import may_ask, may_ask_about
    from api.audit import AuditError
    from assistant.render import render_answer
    from retrieval.index import Subject

    settings = load_settings()
    if not subject:
        typer.echo(
            "Cannot answer: --subject (LP-… or FAM-…) is required "
            "(`caselens subjects --user U` lists them).",
            err=True,
        )
        raise typer.Exit(code=2)
    principal = _principal_or_exit(settings, user, break_glass)
    role = backends.load_policy(settings).role(principal.role)
    if not may_ask(principal, role):
        typer.echo(
            f"Cannot answer: the role {principal.role} does not ask about children or "
            "families (it reviews the audit log, or it sees no case records).",
            err=True,
        )
        raise typer.Exit(code=2)
    try:
        parsed = Subject.parse(subject)
    except ValueError as exc:
        typer.echo(f"Cannot answer: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    common = {
        "user": principal.user,
        "role": principal.role,
        "subject": parsed.id,
        "purpose": purpose,
        "break_glass_reason": principal.break_glass_reason,
    }
    with backends.open_case_store(settings) as store:
        audit = backends.build_audit_log(settings, store)
        try:
            if not may_ask_about(principal, role, store, parsed):
                audit.append(action="denied", outcome="not_on_caseload", **common)
                typer.echo(
                    "Cannot answer: this subject is not on your caseload; give a "
                    "--break-glass reason to proceed.",
                    err=True,
                )
                raise typer.Exit(code=2)
            answers = _answers(settings, store, audit, principal, parsed.id, questions, common)
        except AuditError as exc:
            typer.echo("Cannot answer: audit log unavailable: nothing was shown.", err=True)
            raise typer.Exit(code=2) from exc
    if settings.vault_key is None:
        typer.echo("Names are shown as pseudonyms: CASELENS_VAULT_KEY is not set.", err=True)
    if json_output:
        if len(answers) == 1:
            typer.echo(answers[0].model_dump_json(indent=2))
        else:
            typer.echo(json.dumps([a.model_dump(mode="json") for a in answers], indent=2))
        return
    typer.echo("\n\n".join(_readable(answer, render_answer(answer)) for answer in answers))


def _answers(
    settings: Any,
    store: Any,
    audit: AuditLog,
    principal: Any,
    subject: str,
    questions: list[str],
    common: dict[str, Any],
) -> list[Answer]:
    """Each question recorded, answered as one conversation, its answer's records recorded
    (``AuditError`` stops before anything is printed)."""
    from api.audit.answers import answer_entry
    from assistant.conversation import ConversationState
    from redaction.vault import VaultKeyError

    try:
        service = backends.build_answer_service(settings, store=store)
    except (ValueError, VaultKeyError) as exc:
        typer.echo(f"Cannot answer: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    conversation = ConversationState()
    answers: list[Answer] = []
    with service:
        for question in questions:
            audit.append(action="question", question=question, **common)
            try:
                answer = service.ask(principal, subject, question, conversation)
            except (PermissionError, ValueError) as exc:
                typer.echo(f"Cannot answer: {exc}", err=True)
                raise typer.Exit(code=2) from exc
            audit.append(action="answer", **common, **answer_entry(answer))
            answers.append(answer)
    return answers


def _readable(answer: Answer, rendered: str) -> str:
    """The rendered answer, saying under its question what a follow-up was answered as."""
    if not answer.resolved_question:
        return rendered
    asked, _, rest = rendered.partition("\n")
    return "\n".join(filter(None, (asked, f"Answered as: {answer.resolved_question}", rest)))


def subjects_command(user: UserOption, json_output: JsonOption = False) -> None:
    """List the families and people on a user's caseload (linked ids, pseudonyms only)."""
    from assistant.households import caseload_subjects

    settings = load_settings()
    principal = _principal_or_exit(settings, user, None)
    store = backends.open_case_store(settings)
    try:
        families = caseload_subjects(store, principal)
    finally:
        store.close()
    if json_output:
        typer.echo(json.dumps([f.as_dict() for f in families], indent=2))
        return
    if not families:
        typer.echo(
            f"No families or people on the caseload of user {user!r} (role {principal.role})."
        )
        return
    for family in families:
        typer.echo(family.family_id)
        for m in family.members:
            kind = "child" if m.is_child else "adult"
            typer.echo(f"  {m.linked_person_id}  {m.label}  ({kind})")
