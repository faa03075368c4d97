"""Prompt templates live as versioned text files in ``prompts/``; this module loads them.

Why files: a prompt is reviewed and changed like policy, not like code, and every trace
records which file (name + version) produced an answer. A file is named
``<task>.v<N>.txt`` and holds ``[system]`` / ``[user]`` sections with ``$placeholders``
(``string.Template``). Values are substituted in one pass, so source text that happens to
contain ``$question`` or a section header is never expanded or re-read as template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

#: ``answer_question.v1.txt`` -> ("answer_question", 1)
_FILE_NAME = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.txt$")
_SECTION = re.compile(r"^\[(?P<role>system|user|assistant)\]\s*$")
ROLES: tuple[str, ...] = ("system", "user", "assistant")


class PromptError(ValueError):
    """A prompt file is missing, malformed, or rendered with the wrong values."""


@dataclass(frozen=True)
class PromptFile:
    """One prompt file: its task name, version, and per-role templates in file order."""

    name: str
    version: int
    sections: tuple[tuple[str, str], ...]

    @property
    def ref(self) -> str:
        """``name.vN``: what traces and logs record."""
        return f"{self.name}.v{self.version}"

    @property
    def placeholders(self) -> frozenset[str]:
        names: set[str] = set()
        for _, text in self.sections:
            names.update(Template(text).get_identifiers())
        return frozenset(names)

    def render(self, **values: str) -> list[dict[str, str]]:
        """Chat messages ``[{"role", "content"}, ...]``; every placeholder must be given."""
        missing = sorted(self.placeholders - values.keys())
        extra = sorted(values.keys() - self.placeholders)
        if missing or extra:
            raise PromptError(
                f"prompt {self.ref}: missing values {missing or 'none'}, "
                f"unknown values {extra or 'none'}"
            )
        return [
            {"role": role, "content": Template(text).substitute(values)}
            for role, text in self.sections
        ]


def parse_prompt(name: str, version: int, text: str) -> PromptFile:
    """Split a prompt file into sections; leading ``#`` lines are comments."""
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        header = _SECTION.match(line)
        if header:
            sections.append((header.group("role"), []))
        elif sections:
            sections[-1][1].append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            raise PromptError(f"prompt {name}.v{version}: text before the first section")
    if not sections:
        raise PromptError(f"prompt {name}.v{version}: no [system] or [user] section")
    built = tuple((role, "\n".join(lines).strip("\n")) for role, lines in sections)
    for role, body in built:
        if not body.strip():
            raise PromptError(f"prompt {name}.v{version}: empty [{role}] section")
        if not Template(body).is_valid():
            raise PromptError(f"prompt {name}.v{version}: bad $placeholder in [{role}]")
    return PromptFile(name=name, version=version, sections=built)


def _prompt_dir(directory: Path | None) -> Path:
    if directory is not None:
        return directory
    return Path(str(resources.files("prompts")))


def prompt_versions(directory: Path | None = None) -> dict[str, list[int]]:
    """Every prompt task in ``directory`` (default: the ``prompts`` package) and its versions."""
    found: dict[str, list[int]] = {}
    for path in _prompt_dir(directory).iterdir():
        match = _FILE_NAME.match(path.name)
        if match:
            found.setdefault(match.group("name"), []).append(int(match.group("version")))
    return {name: sorted(versions) for name, versions in sorted(found.items())}


def load_prompt(name: str, version: int | None = None, directory: Path | None = None) -> PromptFile:
    """Load ``name.v<version>.txt``; ``version=None`` means the highest version present."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise PromptError(f"bad prompt name {name!r}: lower-case letters, digits, underscores")
    versions: Mapping[str, list[int]] = prompt_versions(directory)
    if name not in versions:
        raise PromptError(f"no prompt file for task {name!r} (known: {sorted(versions)})")
    chosen = versions[name][-1] if version is None else version
    if chosen not in versions[name]:
        raise PromptError(f"prompt {name!r} has no version {chosen} (have {versions[name]})")
    path = _prompt_dir(directory) / f"{name}.v{chosen}.txt"
    return parse_prompt(name, chosen, path.read_text(encoding="utf-8"))
