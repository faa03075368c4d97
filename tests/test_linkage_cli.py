"""``caselens link``: reads people from the case store, stores clusters, prints counts only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from test_linkage_linker import evans_family
from typer.testing import CliRunner

from api.commands.link import link_command
from api.settings import load_settings
from retrieval.store import CaseStore


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("link")(link_command)
    return app


@pytest.fixture
def store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CASELENS_PROFILE", "test")
    monkeypatch.setenv("CASELENS_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()
    return tmp_path


def _write_gold(estate: Path) -> None:
    (estate / "gold").mkdir(parents=True)
    rows = [
        {"true_person_id": truth, "source_system": p.source_system, "person_id": p.person_id}
        for p, truth in evans_family()
    ]
    lines = [json.dumps(row) for row in rows]
    (estate / "gold" / "links.jsonl").write_text("\n".join(lines) + "\n")


def test_link_stores_clusters_and_scores_against_gold(store_env: Path) -> None:
    settings = load_settings()
    with CaseStore.open(settings.resolved_database_url) as store:
        store.upsert_people([p for p, _ in evans_family()])
    estate = store_env / "estate"
    _write_gold(estate)

    run = CliRunner().invoke(_app(), ["--estate", str(estate), "--json"])
    assert run.exit_code == 0, run.output
    report = json.loads(run.output)
    assert report["people"] == 16
    assert report["linked_persons"] == 7
    assert report["merged_clusters"] == 6
    assert report["gold"]["precision"] == 1.0
    assert report["gold"]["recall"] == 1.0
    for person, _ in evans_family():
        assert person.given_name not in run.output  # counts only, never names

    with CaseStore.open(settings.resolved_database_url) as store:
        mum = store.linked_person_of("LCS", "L-M")
        assert mum is not None
        assert store.linked_person_of("HEALTH", "H-M") == mum
        assert store.linked_person_of("LCS", "L-F") != mum


def test_link_table_output_and_empty_store(store_env: Path) -> None:
    run = CliRunner().invoke(_app(), [])
    assert run.exit_code == 1
    assert "no people" in run.output

    settings = load_settings()
    with CaseStore.open(settings.resolved_database_url) as store:
        store.upsert_people([p for p, _ in evans_family()])
    run = CliRunner().invoke(_app(), [])
    assert run.exit_code == 0, run.output
    assert "merged_clusters" in run.output
