"""``caselens redact`` and ``caselens vault keygen`` end to end on a tiny estate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from redaction.vault import TokenVault

runner = CliRunner()


@pytest.fixture(scope="module")
def estate_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A 3-family estate, ingested and linked through the CLI."""
    from evals.estate import generate_estate

    root = tmp_path_factory.mktemp("redact-cli")
    generate_estate(root / "estate", families=3, seed=9)
    env = {"CASELENS_PROFILE": "test", "CASELENS_DATA_DIR": str(root / "data")}
    assert runner.invoke(app, ["ingest", str(root / "estate")], env=env).exit_code == 0
    assert runner.invoke(app, ["link"], env=env).exit_code == 0
    return {**env, "ESTATE": str(root / "estate")}


def test_redact_all_without_a_key_says_how_to_make_one(estate_env: dict[str, str]) -> None:
    env = {**estate_env, "CASELENS_VAULT_KEY": ""}
    result = runner.invoke(app, ["redact", "all"], env=env)
    assert result.exit_code == 2
    assert "caselens vault keygen" in result.output


def test_keygen_then_redact_all_record_and_rerun(estate_env: dict[str, str]) -> None:
    keygen = runner.invoke(app, ["vault", "keygen"])
    assert keygen.exit_code == 0
    key = keygen.output.strip()
    TokenVault(key)  # a valid Fernet key
    env = {**estate_env, "CASELENS_VAULT_KEY": key}

    first = runner.invoke(app, ["redact", "all", "--json"], env=env)
    assert first.exit_code == 0, first.output
    counts = json.loads(first.output)
    assert counts["redacted_new"] == counts["records"] > 0
    again = json.loads(runner.invoke(app, ["redact", "all", "--json"], env=env).output)
    assert again["unchanged"] == counts["records"] and again["redacted_new"] == 0

    from retrieval.store import CaseStore

    store = CaseStore.open(f"sqlite:///{Path(env['CASELENS_DATA_DIR']) / 'casestore.sqlite3'}")
    try:
        system, record_id = sorted(store.pseudonymised_keys())[0]
        linked = store.linked_ids_of(system, store.get_record(system, record_id).person_ids)  # type: ignore[union-attr]
        family_id = next(iter(store.family_ids_of(linked.values()).values()))
        people = [p for ps in store.family_people(family_id).members.values() for p in ps]  # type: ignore[arg-type]
    finally:
        store.close()
    shown = runner.invoke(app, ["redact", "record", system, record_id, "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    payload = json.loads(shown.output)
    assert payload["family_ids"] and payload["spans"]
    assert people
    for person in people:
        for name in (person.given_name, person.family_name):
            assert name and name not in payload["text"]
    missing = runner.invoke(app, ["redact", "record", "LCS", "NOPE"], env=env)
    assert missing.exit_code == 1


def test_redact_text_reads_stdin_and_prints_spans(estate_env: dict[str, str]) -> None:
    result = runner.invoke(
        app,
        ["redact", "text", "--json"],
        input="Call Jane Brown on 07700 900123 or jane.brown@example.org about the visit.",
        env=estate_env,
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert "Jane Brown" not in payload["text"] and "07700" not in payload["text"]
    assert {s["entity_type"] for s in payload["spans"]} >= {"PERSON", "PHONE", "EMAIL"}


def test_redact_eval_reports_per_type_and_origin(estate_env: dict[str, str]) -> None:
    result = runner.invoke(
        app, ["redact", "eval", "--estate", estate_env["ESTATE"], "--json"], env=estate_env
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["direct_identifier_recall"]["rate"] >= 0.99
    assert report["recall_by_type"]["PERSON"]["total"] > 0
    assert report["direct_recall_by_name_origin"]


def test_redact_all_with_index_builds_the_index_sync_would(
    estate_env: dict[str, str], tmp_path: Path
) -> None:
    """`redact all --index` overlaps the two steps; a following `index sync` finds nothing."""
    env = {
        **estate_env,
        "CASELENS_DATA_DIR": str(tmp_path / "data"),
        "CASELENS_VAULT_KEY": runner.invoke(app, ["vault", "keygen"]).output.strip(),
    }
    assert runner.invoke(app, ["ingest", env["ESTATE"]], env=env).exit_code == 0
    assert runner.invoke(app, ["link"], env=env).exit_code == 0

    result = runner.invoke(app, ["redact", "all", "--index", "--json"], env=env)
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    index = counts["index"]
    assert index["records"] + index["final_sync"]["added"] == counts["redacted_new"] > 0
    assert index["chunks_written"] >= counts["redacted_new"]

    synced = runner.invoke(app, ["index", "sync", "--json"], env=env)
    assert synced.exit_code == 0, synced.output
    after = json.loads(synced.output)
    assert after["added"] == after["updated"] == after["deleted"] == 0
    assert after["unchanged"] == counts["redacted_new"]
    assert after["chunks_in_index"] == index["chunks_written"]
