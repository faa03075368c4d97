"""README's command lines are checked against the real CLI (`--help`), so the docs stay true."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"


def _readme_commands() -> list[list[str]]:
    text = README.read_text()
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    commands: list[list[str]] = []
    for block in blocks:
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith("export ") and "$(caselens" in line:
                line = line[line.index("$(") + 2 : line.rindex(")")]
            if not line.startswith("caselens "):
                continue
            words = shlex.split(line.replace("[", " ").replace("]", " ").replace("…", "X"))
            commands.append(words[1:])
    return commands


COMMANDS = _readme_commands()


def test_readme_documents_commands() -> None:
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize("words", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_readme_command_and_options_exist(words: list[str]) -> None:
    path = []
    for word in words:
        if word.startswith("-") or not re.fullmatch(r"[a-z][a-z-]*", word):
            break
        path.append(word)
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, f"caselens {' '.join(path)} --help failed: {result.output}"
    for option in (w.split("=", 1)[0] for w in words if w.startswith("--")):
        assert option in result.output, f"README uses {option} not offered by {path}"
