"""``caselens ask --user U --subject S "question" [--json]``: a cited answer in the terminal.

Retrieval is the subject-scoped, role-filtered hybrid search; the generator is the
configured one (extractive by default); every sentence goes through the citation verifier.
Text stays pseudonymised (display-time re-identification is the API's job with the vault).
"""

from __future__ import annotations

from typing import Annotated

import typer

from api import backends
from api.settings import load_settings


def ask_command(
    question: Annotated[str, typer.Argument(help="The question, in plain English.")],
    user: Annotated[str, typer.Option("--user", help="User name in the users file.")],
    subject: Annotated[
        str | None, typer.Option("--subject", help="Linked person (LP-…) or family (FAM-…) id.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
) -> None:
    """Ask a question about one subject; every sentence cites its source records."""
    from assistant.embedder import SentenceEmbedder
    from assistant.generators.extractive import ExtractiveGenerator
    from assistant.render import render_answer
    from assistant.retrieval_adapter import SearchRetriever
    from assistant.service import AnswerService
    from assistant.verifier import CitationVerifier
    from retrieval.index import Bm25Encoder, HybridSearcher
    from retrieval.principal import UnknownUserError

    settings = load_settings()
    if not subject:
        typer.echo("Cannot answer: --subject (LP-… or FAM-…) is required.", err=True)
        raise typer.Exit(code=2)
    try:
        principal = backends.load_users(settings).principal(user, None)
        policy = backends.load_policy(settings)
        policy.role(principal.role)
    except (FileNotFoundError, UnknownUserError, ValueError, KeyError) as exc:
        typer.echo(f"Cannot answer: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    backends.configure_llama_index()
    embedder = backends.build_embedder(settings)
    vectors = backends.open_vector_store(settings, embedder.dimension)
    try:
        sentences = SentenceEmbedder(settings.embedding_model_path or None)
        generator = backends.build_generator(settings, lambda: ExtractiveGenerator(sentences))
        service = AnswerService(
            SearchRetriever(HybridSearcher(vectors, embedder, Bm25Encoder(), policy)),
            generator,
            CitationVerifier(sentences),
        )
        try:
            answer = service.ask(principal, subject, question)
        except (PermissionError, ValueError) as exc:
            typer.echo(f"Cannot answer: {exc}", err=True)
            raise typer.Exit(code=2) from exc
    finally:
        vectors.close()
    if json_output:
        typer.echo(answer.model_dump_json(indent=2))
    else:
        typer.echo(render_answer(answer))
