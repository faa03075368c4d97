"""``caselens overview --user U --subject S [--json]``: one child or family at a glance.

Who is involved (per source system: roles, first and latest record, latest contact,
whether current), what has happened (key events newest first), strengths beside concerns,
the child's own words and where to look next, each item with the record it came from. The
same permissions as ``caselens ask``; names only where the role may see the record.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api import backends
from api.commands.ask import JsonOption, UserOption, _principal_or_exit
from api.settings import load_settings

if TYPE_CHECKING:
    from assistant.overview import Fact, Overview, RecordRef


def overview_command(
    user: UserOption,
    subject: Annotated[
        str, typer.Option("--subject", help="Linked person (LP-…) or family (FAM-…) id.")
    ],
    break_glass: Annotated[
        str | None,
        typer.Option("--break-glass", help="Recorded reason to look outside the caseload."),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Show one child or family at a glance; every item cites its record."""
    from redaction.vault import VaultKeyError
    from retrieval.index import Subject

    settings = load_settings()
    principal = _principal_or_exit(settings, user, break_glass)
    try:
        Subject.parse(subject)
    except ValueError as exc:
        typer.echo(f"Cannot show the overview: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    store = backends.open_case_store(settings)
    vectors: Any = None
    builder: Any = None
    try:
        embedder = backends.build_embedder(settings)
        vectors = backends.open_vector_store(settings, embedder.dimension)
        try:
            builder = backends.build_overview_builder(
                settings, embedder=embedder, vectors=vectors, store=store
            )
        except VaultKeyError as exc:
            typer.echo(f"Cannot show the overview: {exc}", err=True)
            raise typer.Exit(code=2) from exc
        shown = builder.build(principal, subject)
    finally:
        if builder is not None:
            builder.close()
        if vectors is not None:
            vectors.close()
        store.close()
    if settings.vault_key is None:
        typer.echo("Names are shown as pseudonyms: CASELENS_VAULT_KEY is not set.", err=True)
    if json_output:
        typer.echo(json.dumps(shown.as_dict(), indent=2))
        return
    typer.echo(render_overview(shown))


def _cite(ref: RecordRef) -> str:
    role = f", {ref.author_role}" if ref.author_role else ""
    return f"[{ref.source_system} {ref.record_type} {ref.record_id}, {ref.occurred_at}{role}]"


def _fact(fact: Fact) -> str:
    topics = f" ({', '.join(fact.topics)})" if fact.topics else ""
    line = f'  - "{fact.text}"{topics}: {fact.reliability_label} {_cite(fact.record)}'
    if fact.reliability == "third_party_allegation":
        line += f"\n    Outcome: {fact.outcome or 'no outcome recorded in this record'}"
    return line


def render_overview(overview: Overview) -> str:
    """The overview as plain text for a terminal."""
    out = [
        f"Overview of {overview.subject} for {overview.user} ({overview.role}), {overview.as_of}"
    ]
    out.append(overview.facts_only)
    out.append(f"\nWho is involved ({overview.records_shown} records you may see)")
    if not overview.involvement:
        out.append("  No records you may see.")
    for i in overview.involvement:
        now = "current" if i.current else "not recent"
        roles = ", ".join(i.roles) or "role not recorded"
        out.append(
            f"  {i.source_system}: {i.records} records, {i.first_recorded} to "
            f"{i.latest_recorded} ({now}); {roles}"
        )
        out.append(f"    Latest contact: {i.latest_contact.title} {_cite(i.latest_contact)}")
    out.append("\nWhat has happened")
    if overview.event_kinds:
        out.append(
            "  "
            + "; ".join(f"{k.label}: {k.count} (latest {k.latest})" for k in overview.event_kinds)
        )
    for e in overview.events:
        out.append(f'  {e.date} {e.label}: "{e.quote}" {_cite(e.record)}')
    if not overview.events:
        out.append("  No key events recorded in the records you may see.")
    for title, facts in (
        ("Strengths and protective factors", overview.strengths),
        ("Concerns", overview.concerns),
        ("In the child's own words", overview.child_voice),
    ):
        out.append(f"\n{title}")
        out.extend(_fact(f) for f in facts)
        if not facts:
            out.append("  Nothing recorded in the records you may see.")
    out.append("\nHousehold")
    for m in overview.household:
        kind = "child" if m.is_child else "adult"
        reach = "" if m.may_open else " (not on your caseload)"
        out.append(f"  {m.label} ({kind}): caselens overview --subject {m.linked_person_id}{reach}")
    if not overview.household:
        out.append("  No linked family recorded.")
    out.append("\nWhere to look next")
    if not overview.withheld:
        out.append("  Nothing about this subject is withheld from your role.")
    for w in overview.withheld:
        who = ", ".join(w.visible_to_roles) or "no other role"
        out.append(
            f"  {w.source_system}: {w.records} records withheld from your role; visible to {who}"
        )
    return "\n".join(out)
