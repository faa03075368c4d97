"""``caselens search --user U --subject S "query"``: ranked, permitted, pseudonymised chunks.

The user's role and caseload come from the users file; the subject (``LP-…`` linked
person or ``FAM-…`` family) and the filter never come from the query text.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from api import backends
from api.settings import load_settings


def search_command(
    query: Annotated[str, typer.Argument(help="The question or keywords.")],
    user: Annotated[str, typer.Option("--user", help="User name in the users file.")],
    subject: Annotated[
        str, typer.Option("--subject", help="Linked person (LP-…) or family (FAM-…) id.")
    ],
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 10,
    break_glass: Annotated[
        str | None,
        typer.Option("--break-glass", help="Recorded reason to search outside the caseload."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search one subject's permitted records (hybrid dense + keyword, RRF)."""
    from retrieval.index import Subject
    from retrieval.principal import UnknownUserError

    settings = load_settings()
    try:
        principal = backends.load_users(settings).principal(user, break_glass)
        parsed = Subject.parse(subject)
        policy = backends.load_policy(settings)
        policy.role(principal.role)
    except (FileNotFoundError, UnknownUserError, ValueError, KeyError) as exc:
        typer.echo(f"Cannot search: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    backends.configure_llama_index()
    embedder = backends.build_embedder(settings)
    vectors = backends.open_vector_store(settings, embedder.dimension)
    try:
        searcher = backends.build_searcher(vectors, embedder, policy)
        result = searcher.search(principal, parsed, query, limit=limit)
    finally:
        vectors.close()
    if json_output:
        typer.echo(json.dumps(result.as_dict(), indent=2))
        return
    typer.echo(
        f"{len(result.hits)} chunks; {result.withheld_records} records withheld by policy; "
        f"searched {', '.join(result.searched_systems)}"
    )
    for hit in result.hits:
        typer.echo(
            f"{hit.rank:>3}. {hit.score:.4f} {hit.source_system}:{hit.record_id} "
            f"{hit.record_type} {hit.occurred_at[:10]}  {hit.title}"
        )
