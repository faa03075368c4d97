"""Prompt templates as versioned files: loading, versions, rendering, malformed files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.contracts import NumberedSource, RetrievedChunk
from assistant.generators.ollama import OllamaGenerator
from assistant.prompt_files import PromptError, load_prompt, parse_prompt, prompt_versions


def test_shipped_answer_prompt_loads_with_its_version() -> None:
    prompt = load_prompt("answer_question")
    assert (prompt.name, prompt.version, prompt.ref) == ("answer_question", 1, "answer_question.v1")
    assert [role for role, _ in prompt.sections] == ["system", "user"]
    assert prompt.placeholders == {"sources", "history", "question", "max_sentences"}
    assert "answer_question" in prompt_versions()


def test_render_fills_every_placeholder_once_without_re_expanding_values() -> None:
    prompt = load_prompt("answer_question", 1)
    messages = prompt.render(
        sources="[1] (LCS case_note 2024-01-01) costs $question and [user]",
        history="(none)",
        question="What is recorded?",
        max_sentences="5",
    )
    system, user = messages
    assert "At most 5 sentences" in system["content"]
    assert "$" not in system["content"]
    # "$question" inside a source stays literal text; the real question appears once.
    assert "costs $question and [user]" in user["content"]
    assert user["content"].count("What is recorded?") == 1


def test_render_names_missing_and_unknown_values() -> None:
    prompt = load_prompt("answer_question")
    with pytest.raises(PromptError, match=r"missing values \['history', 'max_sentences'"):
        prompt.render(sources="", question="q")
    with pytest.raises(PromptError, match=r"unknown values \['colour'\]"):
        prompt.render(sources="", question="q", history="", max_sentences="3", colour="red")


def test_highest_version_is_the_default_and_old_versions_stay_loadable(tmp_path: Path) -> None:
    (tmp_path / "summary.v1.txt").write_text("[system]\nOld $x\n")
    (tmp_path / "summary.v2.txt").write_text("# comment\n[system]\nNew $x\n[user]\n$y\n")
    (tmp_path / "notes.md").write_text("not a prompt")
    assert prompt_versions(tmp_path) == {"summary": [1, 2]}
    latest = load_prompt("summary", directory=tmp_path)
    assert latest.ref == "summary.v2"
    assert latest.render(x="A", y="B") == [
        {"role": "system", "content": "New A"},
        {"role": "user", "content": "B"},
    ]
    assert load_prompt("summary", 1, directory=tmp_path).render(x="A") == [
        {"role": "system", "content": "Old A"}
    ]
    with pytest.raises(PromptError, match="no version 3"):
        load_prompt("summary", 3, directory=tmp_path)
    with pytest.raises(PromptError, match="no prompt file"):
        load_prompt("absent", directory=tmp_path)
    with pytest.raises(PromptError, match="bad prompt name"):
        load_prompt("../etc/passwd", directory=tmp_path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no section here\n", "before the first section"),
        ("# only comments\n", "no \\[system\\]"),
        ("[system]\n\n[user]\nhi\n", "empty \\[system\\]"),
        ("[system]\ncosts $5 a day\n", "bad \\$placeholder"),
    ],
)
def test_malformed_prompt_files_are_refused(text: str, problem: str) -> None:
    with pytest.raises(PromptError, match=problem):
        parse_prompt("task", 1, text)


def test_generator_sends_exactly_what_the_prompt_file_says(tmp_path: Path) -> None:
    """Change the file, change the prompt: no prompt text is hidden in the Python code."""
    (tmp_path / "answer_question.v7.txt").write_text(
        "[system]\nHouse rules, at most $max_sentences.\n[user]\n$sources|$history|$question\n"
    )
    prompt = load_prompt("answer_question", directory=tmp_path)
    generator = OllamaGenerator(url="http://127.0.0.1:9", model="m", prompt=prompt)
    source = NumberedSource(
        1,
        RetrievedChunk("c", "LCS", "R1", "case_note", date(2024, 1, 2), "", "Seen.", "https://x/1"),
    )
    assert generator.build_messages("Q?", [source]) == [
        {"role": "system", "content": "House rules, at most 12."},
        {"role": "user", "content": "[1] (LCS case_note 2024-01-02) Seen.|(none)|Q?"},
    ]
