"""``caselens ehcp``: draft an EHCP from a child's SEND advice, review, sign off, export.

``draft --child LP-… --user U [--json | --docx FILE]`` drafts sections A–K (every sentence
cited to the advice; I and J left for the local authority), stores the draft and prints
its id, sections and quality gates. ``review``, ``sign-off``, ``reassign`` and ``export`` act
on a stored draft. Every step is audited. The terminal shows pseudonymised text; the .docx is
re-identified through the vault for the officer (needs ``CASELENS_VAULT_KEY``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api import backends
from api.settings import Settings, load_settings

if TYPE_CHECKING:
    from assistant.ehcp.model import EhcpDraft
    from assistant.ehcp.service import EhcpService
    from retrieval.principal import Principal

app = typer.Typer(help="EHCP drafts: cited sections A–K for an officer to finish and sign off.")

UserOption = Annotated[str, typer.Option("--user", help="User name in the users file.")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"Cannot continue: {message}", err=True)
    return typer.Exit(code=2)


def _principal(settings: Settings, user: str) -> Principal:
    from retrieval.principal import UnknownUserError

    try:
        principal = backends.load_users(settings).principal(user, None)
        backends.load_policy(settings).role(principal.role)
    except (FileNotFoundError, UnknownUserError, ValueError, KeyError) as exc:
        raise _fail(str(exc)) from exc
    return principal


@contextmanager
def _service(settings: Settings, user: str) -> Iterator[tuple[EhcpService, Principal]]:
    principal = _principal(settings, user)
    store = backends.open_case_store(settings)
    try:
        yield backends.build_ehcp_service(settings, store), principal
    finally:
        store.close()


def _summary(draft: EhcpDraft) -> str:
    lines = [f"EHCP draft {draft.draft_id} for {draft.child} ({draft.status}, AI-assisted)"]
    for s in draft.sections:
        lines.append(
            f"  {s.section:<3} {s.status:<12} {s.review_state:<9} "
            f"{len(s.sentences):>3} sentence(s)  {s.title}"
        )
    if draft.gates:
        lines.append("Quality gates:")
        lines += [f"  [{g.section}] {g.kind}: {g.message}" for g in draft.gates]
    return "\n".join(lines)


def _write_docx(service: EhcpService, principal: Principal, draft_id: str, path: Path) -> None:
    from assistant.ehcp.export import export_docx
    from redaction.vault import VaultLockedError

    if not service.reidentifies:
        raise _fail(
            "no vault configured: drafts can only be shown pseudonymised "
            "(set CASELENS_VAULT_KEY; see `caselens vault keygen`)"
        )
    try:
        shown = service.view(principal, draft_id, step="export")
    except VaultLockedError as exc:
        raise _fail("the vault key does not open this draft's advice") from exc
    export_docx(shown.draft, path)
    typer.echo(f"Wrote {path}")


@app.command("draft")
def draft_command(
    user: UserOption,
    child: Annotated[str, typer.Option("--child", help="The child's linked person id (LP-…).")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the draft as JSON.")] = False,
    docx: Annotated[
        Path | None, typer.Option("--docx", help="Also write the re-identified draft as .docx.")
    ] = None,
) -> None:
    """Draft sections A–K from the child's permitted SEND advice."""
    from assistant.ehcp.service import NoAdvice

    settings = load_settings()
    with _service(settings, user) as (service, principal):
        try:
            draft = service.draft(principal, child)
        except (PermissionError, ValueError, NoAdvice) as exc:
            raise _fail(str(exc)) from exc
        if docx is not None:
            _write_docx(service, principal, draft.draft_id, docx)
    typer.echo(draft.model_dump_json(indent=2) if json_output else _summary(draft))


@app.command("children")
def children_command(
    user: UserOption,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Children with SEND advice this user may draft for (ids only, no names); audited."""
    from assistant.ehcp.advice import eligible_children

    settings = load_settings()
    principal = _principal(settings, user)
    policy = backends.load_policy(settings)
    store = backends.open_case_store(settings)
    try:
        found = eligible_children(store.iter_pseudonymised(), principal, policy)
        backends.build_audit_log(settings, store).append(
            user=principal.user,
            role=principal.role,
            action="subject_search",
            purpose="EHC needs assessment",
            detail={"ehcp_children": [f.child for f in found]},
        )
    finally:
        store.close()
    if json_output:
        typer.echo(json.dumps([asdict(f) for f in found], indent=2))
        return
    for f in found:
        typer.echo(f"{f.child}  {', '.join(f.family_ids)}  {f.advice_reports} advice report(s)")
    if not found:
        typer.echo("No children with SEND advice on your caseload.")


@app.command("show")
def show_command(
    user: UserOption,
    draft_id: Annotated[str, typer.Argument(help="Draft id (EHCP-…).")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the draft as JSON.")] = False,
) -> None:
    """Show a stored draft (pseudonymised) with its review state and gates; audited."""
    from assistant.ehcp.store import DraftNotFound

    settings = load_settings()
    with _service(settings, user) as (service, principal):
        try:
            draft = service.view(principal, draft_id, reidentify=False).draft
        except DraftNotFound as exc:
            raise _fail(f"no draft {draft_id}") from exc
        except PermissionError as exc:
            raise _fail(str(exc)) from exc
    typer.echo(draft.model_dump_json(indent=2) if json_output else _summary(draft))


@app.command("review")
def review_command(
    user: UserOption,
    draft_id: Annotated[str, typer.Argument(help="Draft id (EHCP-…).")],
    section: Annotated[str, typer.Option("--section", help="Section id: A…K, H1, H2.")],
    accept: Annotated[bool, typer.Option("--accept", help="Accept the AI text.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="Reject the section.")] = False,
    edit_file: Annotated[
        Path | None, typer.Option("--edit-file", help="Replace the text with this file's.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why the section is rejected (required).")
    ] = None,
) -> None:
    """Accept, edit or reject one section (the edit diff is kept; a rejection needs a
    reason). I and J are only ever edited: the local authority writes them."""
    from assistant.ehcp.review import ReviewError
    from assistant.ehcp.store import DraftNotFound

    chosen = [
        name
        for name, on in (("accept", accept), ("reject", reject), ("edit", edit_file is not None))
        if on
    ]
    if len(chosen) != 1:
        raise _fail("give exactly one of --accept, --reject, --edit-file")
    text = edit_file.read_text(encoding="utf-8") if edit_file is not None else None
    settings = load_settings()
    with _service(settings, user) as (service, principal):
        try:
            done = service.review(
                principal,
                draft_id,
                section,
                chosen[0],  # type: ignore[arg-type]
                text,
                reason=reason,
            )
        except (DraftNotFound, KeyError, ReviewError, PermissionError) as exc:
            raise _fail(str(exc)) from exc
    typer.echo(
        f"Section {done.section}: {done.review_state} by {done.editor} "
        f"(similarity to AI draft {done.similarity})"
    )


@app.command("reassign")
def reassign_command(
    user: UserOption,
    draft_id: Annotated[str, typer.Argument(help="Draft id (EHCP-…).")],
    to: Annotated[str, typer.Option("--to", help="The officer who takes the draft over.")],
) -> None:
    """Hand a draft to another EHCP officer (its owner only); audited."""
    from assistant.ehcp.store import DraftNotFound

    settings = load_settings()
    target = _principal(settings, to)
    with _service(settings, user) as (service, principal):
        try:
            draft = service.reassign(principal, draft_id, target)
        except (DraftNotFound, PermissionError) as exc:
            raise _fail(str(exc)) from exc
    typer.echo(f"Draft {draft.draft_id} is now {draft.owner}'s.")


@app.command("sign-off")
def sign_off_command(
    user: UserOption,
    draft_id: Annotated[str, typer.Argument(help="Draft id (EHCP-…).")],
    reason: Annotated[
        list[str] | None,
        typer.Option(
            "--reason",
            help="SECTION=why, for a section signed off although rejected, without text or "
            "with conflicting advice open (repeat per section; printed in the document).",
        ),
    ] = None,
) -> None:
    """Sign the plan off: EHCP officer role only, every section reviewed, sections A–H with
    agreed text and no conflicting advice open (or a reason recorded for each)."""
    from assistant.ehcp.review import ReviewError
    from assistant.ehcp.store import DraftNotFound

    reasons: dict[str, str] = {}
    for item in reason or []:
        section, sep, why = item.partition("=")
        if not sep or not why.strip():
            raise _fail(f"--reason takes SECTION=why, got {item!r}")
        reasons[section.strip().upper()] = why.strip()
    settings = load_settings()
    with _service(settings, user) as (service, principal):
        try:
            draft = service.sign_off(principal, draft_id, reasons)
        except (DraftNotFound, ReviewError, PermissionError) as exc:
            raise _fail(str(exc)) from exc
    typer.echo(f"Draft {draft.draft_id} signed off by {draft.signed_off_by}.")


@app.command("export")
def export_command(
    user: UserOption,
    draft_id: Annotated[str, typer.Argument(help="Draft id (EHCP-…).")],
    docx: Annotated[Path, typer.Option("--docx", help="Where to write the .docx.")],
) -> None:
    """Write the draft (re-identified for this officer) as a Word document."""
    from assistant.ehcp.store import DraftNotFound

    settings = load_settings()
    with _service(settings, user) as (service, principal):
        try:
            _write_docx(service, principal, draft_id, docx)
        except (DraftNotFound, PermissionError) as exc:
            raise _fail(str(exc)) from exc
