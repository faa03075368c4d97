"""``caselens estate generate`` writes an estate, prints counts, refuses to overwrite."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from api.commands.estate import app

runner = CliRunner()


def test_generate_prints_a_summary_and_writes_the_layout(tmp_path: Path) -> None:
    out = tmp_path / "estate"
    result = runner.invoke(app, ["generate", "--families", "3", "--seed", "9", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "LCS" in result.output and "PII spans" in result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["families"] == 3 and manifest["seed"] == 9
    assert (out / "extracts" / "LCS" / "records.jsonl").stat().st_size > 0
    for name in ("persons", "links", "families", "facts", "pii_spans", "policy"):
        assert (out / "gold" / f"{name}.jsonl").exists()


def test_refuses_a_non_empty_directory_without_force(tmp_path: Path) -> None:
    out = tmp_path / "estate"
    assert runner.invoke(app, ["generate", "-n", "2", "--out", str(out)]).exit_code == 0
    before = (out / "extracts" / "LCS" / "records.jsonl").read_bytes()
    refused = runner.invoke(app, ["generate", "-n", "2", "--seed", "5", "--out", str(out)])
    assert refused.exit_code == 2
    assert (out / "extracts" / "LCS" / "records.jsonl").read_bytes() == before
    forced = runner.invoke(
        app, ["generate", "-n", "2", "--seed", "5", "--out", str(out), "--force", "--json"]
    )
    assert forced.exit_code == 0, forced.output
    summary = json.loads(forced.output)
    assert summary["seed"] == 5 and summary["families"] == 2
    assert (out / "extracts" / "LCS" / "records.jsonl").read_bytes() != before
