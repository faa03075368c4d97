"""The ``caselens`` command line: one Typer app composed from per-area command modules.

This is the composition root for the terminal; each area's commands live in
``api/commands/<area>.py`` and build their components through ``api.backends``.
"""

from __future__ import annotations

import typer

from api.commands import (
    ask,
    audit,
    bench,
    conversations,
    ehcp,
    estate,
    evals,
    index,
    ingest,
    leaks,
    link,
    overview,
    redact,
    search,
    serve,
    users,
    vault,
)
from api.commands.digest import digest_command
from api.commands.feedback import app as feedback_app

app = typer.Typer(
    name="caselens",
    help="Cited, permission-aware search over children's and family case records.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(estate.app, name="estate")
app.add_typer(evals.app, name="evals")
app.add_typer(leaks.app, name="leaks")
app.add_typer(redact.app, name="redact")
app.add_typer(vault.app, name="vault")
app.add_typer(index.app, name="index")
app.add_typer(ehcp.app, name="ehcp")
app.add_typer(audit.app, name="audit")
app.add_typer(users.app, name="users")
app.add_typer(link.app, name="link")
app.add_typer(conversations.app, name="conversations")
app.command("ingest")(ingest.ingest_command)
app.command("search")(search.search_command)
app.command("ask")(ask.ask_command)
app.command("bench")(bench.bench_command)
app.command("serve")(serve.serve_command)
app.command("subjects")(ask.subjects_command)
app.command("overview")(overview.overview_command)
app.command("digest")(digest_command)
app.add_typer(feedback_app, name="feedback")


def main() -> None:
    """The console script: the app behind the one CLI error boundary (``api.cli_errors``)."""
    from api.cli_errors import run

    run(app)


if __name__ == "__main__":
    main()
