"""``caselens ingest`` end to end through Typer, with settings from the environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from api.commands.ingest import ingest_command


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("CASELENS_PROFILE", "test")
    monkeypatch.setenv("CASELENS_DATA_DIR", str(tmp_path / "data"))
    app = typer.Typer()
    app.command("ingest")(ingest_command)
    app.command("noop")(lambda: None)  # keep "ingest" a sub-command, as in api.cli
    return app


@pytest.fixture
def extracts(tmp_path: Path, make_record, make_person) -> Path:
    root = tmp_path / "estate" / "extracts"
    (root / "EHM").mkdir(parents=True)
    (root / "EHM/people.jsonl").write_text(make_person("EHM-1", "EHM").model_dump_json() + "\n")
    lines = [make_record(f"E{i}", "EHM", person_ids=["EHM-1"]).model_dump_json() for i in range(4)]
    lines.append(make_record("E9", "EHM", sensitivity="sealed").model_dump_json())
    lines.append('{"record_id": "E10", "source_system": "EHM"}')
    (root / "EHM/records.jsonl").write_text("\n".join(lines) + "\n")
    return root.parent


def test_ingest_json_report(cli, extracts: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(extracts), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    ehm = report["systems"]["EHM"]["records"]
    assert (ehm["read"], ehm["inserted"], ehm["quarantined"]) == (6, 4, 1)
    assert ehm["skipped_by_policy"] == {"sensitivity:sealed": 1}
    assert report["systems"]["EHM"]["people"]["inserted"] == 1
    quarantine = Path(report["quarantine_file"])
    assert quarantine.parent == tmp_path / "data" / "quarantine"
    assert (tmp_path / "data" / "casestore.sqlite3").is_file()

    again = json.loads(CliRunner().invoke(cli, ["ingest", str(extracts), "--json"]).stdout)
    assert again["systems"]["EHM"]["records"]["unchanged"] == 4
    assert again["run_id"] == report["run_id"] + 1


def test_ingest_table_report(cli, extracts: Path) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(extracts)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "TOTAL" in result.stdout and "EHM" in result.stdout
    assert "sensitivity:sealed" in result.stdout
    assert "quarantined" in result.stdout


def test_invalid_policy_refuses_to_ingest(cli, extracts: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["ingest", str(extracts)],
        env={"CASELENS_POLICY_PATH": str(tmp_path / "missing.yaml")},
    )
    assert result.exit_code == 2
    assert "Refusing to ingest" in result.output
    assert not (tmp_path / "data" / "casestore.sqlite3").exists()


def test_missing_folder_is_a_clear_error(cli, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "not a folder" in result.output


def test_empty_extract_needs_allow_deletions(cli, extracts: Path) -> None:
    assert CliRunner().invoke(cli, ["ingest", str(extracts)]).exit_code == 0
    (extracts / "extracts/EHM/records.jsonl").write_text("\n")
    result = CliRunner().invoke(cli, ["ingest", str(extracts), "--json"])
    assert result.exit_code == 2
    assert "EHM/records.jsonl holds 0 line(s)" in result.output
    assert "--allow-deletions" in result.output
    allowed = CliRunner().invoke(cli, ["ingest", str(extracts), "--json", "--allow-deletions"])
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(allowed.stdout)["systems"]["EHM"]["records"]["deleted"] == 4
