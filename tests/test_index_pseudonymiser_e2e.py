"""End to end through the real pseudonymiser: estate -> ingest -> link -> redact -> index
-> ``caselens search``. Hits are pseudonymised, scoped to the subject and find planted facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.estate import generate_estate
from evals.questions import generate_questions, store_family_resolver, store_subject_resolver


def test_search_over_the_real_pseudonymised_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api import backends
    from api.cli import app
    from api.settings import load_settings
    from redaction.vault import generate_vault_key
    from retrieval.linkage.evaluate import gold_linkage

    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("CASELENS_PROFILE", "test")
    monkeypatch.setenv("CASELENS_DATA_DIR", str(data))
    monkeypatch.setenv("CASELENS_USERS_PATH", str(tmp_path / "users.yaml"))
    estate = tmp_path / "estate"
    generate_estate(estate, families=3, seed=5)
    settings = load_settings(vault_key=generate_vault_key(), progress=False)
    stack = backends.open_stack(settings)
    try:
        stack.ingest(estate)
        stack.store.replace_linkage(gold_linkage(estate))  # search judged apart from linkage
        stack.redact()
        store = stack.store
        questions = generate_questions(
            estate, store_subject_resolver(store, estate), store_family_resolver(store)
        )
        people = list(store.iter_people())
    finally:
        stack.close()

    runner = CliRunner()
    run = runner.invoke(app, ["index", "sync", "--json"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout)["added"] > 30

    asked = [q for q in questions if q.type == "history" and q.subject.startswith("FAM-")]
    assert asked
    found = 0
    for q in asked:
        (tmp_path / "users.yaml").write_text(
            f"users:\n  sw:\n    role: social_worker\n    caseload: [{q.subject}]\n"
        )
        run = runner.invoke(
            app, ["search", "--user", "sw", "--subject", q.subject, q.question, "--json"]
        )
        assert run.exit_code == 0, run.output
        result = json.loads(run.stdout)
        keys = {(h["source_system"], h["record_id"]) for h in result["hits"]}
        found += len(keys & set(q.expected_record_keys))
        for hit in result["hits"]:
            for person in people:  # pseudonymised text only: no full names of the family
                assert f"{person.given_name} {person.family_name}" not in hit["text"]
    assert found >= 0.8 * sum(min(10, len(q.expected_record_keys)) for q in asked)
