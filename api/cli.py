"""The ``caselens`` command line: one Typer app composed from per-area command modules.

This is the composition root for the terminal; each area's commands live in
``api/commands/<area>.py`` and build their components through ``api.backends``.
"""

from __future__ import annotations

import typer

from api.commands import estate, ingest, link

app = typer.Typer(
    name="caselens",
    help="Cited, permission-aware search over children's and family case records.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(estate.app, name="estate")
app.command("ingest")(ingest.ingest_command)
app.command("link")(link.link_command)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
