"""``caselens ask`` and ``caselens subjects`` end to end on the real stack, with display-time
re-identification from the sealed vault (real names only where the role may see the record)."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from real_stack import DEMO_QUESTION
from typer.testing import CliRunner

from assistant.display import VaultReidentifier

_PLACEHOLDER = re.compile(r"\[[A-Z][^\[\]\n]{0,40}\]")


def _names(real_stack, family: str) -> set[str]:
    people = real_stack.store.family_people(family).members.values()
    return {n for persons in people for p in persons for n in (p.given_name, p.family_name) if n}


@pytest.fixture
def cli(real_stack, tmp_path, monkeypatch):
    """The CLI over a copy of the stack's data dir (the live Edge shard stays with the
    session); the session's embedding model is reused instead of a second load."""
    from api import backends

    real_stack.vectors.flush()
    data = tmp_path / "data"
    shutil.copytree(real_stack.settings.data_dir, data)
    monkeypatch.setenv("CASELENS_PROFILE", "test")
    monkeypatch.setenv("CASELENS_DATA_DIR", str(data))
    monkeypatch.setenv("CASELENS_USERS_PATH", str(real_stack.users_path))
    monkeypatch.setenv("CASELENS_VAULT_KEY", real_stack.settings.vault_key.get_secret_value())
    monkeypatch.setattr(backends, "build_embedder", lambda settings: real_stack.embedder)
    from api.cli import app

    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_ask_json_shows_real_names_to_a_role_that_may_see_the_records(real_stack, cli):
    family = real_stack.family("FAM-00001")
    run = cli("ask", "--user", "demo-social-worker", "--subject", family, DEMO_QUESTION, "--json")
    assert run.exit_code == 0, run.output
    answer = json.loads(run.stdout)
    facts = [s for s in answer["sentences"] if s["kind"] == "fact" and s["supported"]]
    assert len(facts) >= 2 and all(s["citations"] for s in facts)
    assert answer["subject"] == family and not answer["refused"]
    numbers = {c["n"] for c in answer["citations"]}
    # Every citation belongs to a shown sentence: the answer's facts or its related records.
    shown = [s for s in answer["sentences"] if s["kind"] in ("fact", "closest") and s["supported"]]
    assert {n for s in facts for n in s["citations"]} <= numbers
    assert {n for s in shown for n in s["citations"]} == numbers
    text = " ".join(s["text"] for s in facts)
    assert any(name in text for name in _names(real_stack, family))


def test_ask_without_the_vault_key_stays_pseudonymised(real_stack, cli, monkeypatch):
    monkeypatch.delenv("CASELENS_VAULT_KEY")
    family = real_stack.family("FAM-00001")
    run = cli("ask", "--user", "demo-social-worker", "--subject", family, DEMO_QUESTION, "--json")
    assert run.exit_code == 0, run.output
    answer = json.loads(run.stdout)
    text = " ".join(s["text"] for s in answer["sentences"])
    assert _PLACEHOLDER.search(text)
    assert not [n for n in _names(real_stack, family) if re.search(rf"\b{re.escape(n)}\b", text)]
    assert "pseudonyms" in run.stderr


def test_ask_prints_a_readable_answer(real_stack, cli):
    run = cli(
        "ask",
        "--user",
        "demo-social-worker",
        "--subject",
        real_stack.family("FAM-00001"),
        DEMO_QUESTION,
    )
    assert run.exit_code == 0, run.output
    assert run.stdout.startswith("Q: What is the history")
    assert re.search(r"^- \d{4}-\d\d-\d\d: .+ \[1\]", run.stdout, re.M)
    assert "Sources:" in run.stdout and "Systems searched:" in run.stdout


def test_ask_follow_ups_say_what_they_were_answered_as(real_stack, cli):
    """Several questions are one conversation; a follow-up prints the question it was
    answered as, and ``--json`` gives one Answer per question with ``resolved_question``."""
    asked = (
        "ask",
        "--user",
        "demo-social-worker",
        "--subject",
        real_stack.family("FAM-00001"),
        "What is recorded about school attendance?",
        "And since the move?",
    )
    resolved = "What is recorded about school attendance since the latest house move?"
    run = cli(*asked)
    assert run.exit_code == 0, run.output
    assert run.stdout.count("Answered as:") == 1
    assert f"Q: And since the move?\nAnswered as: {resolved}\n" in run.stdout
    first, follow_up = json.loads(cli(*asked, "--json").stdout)
    assert first["question"] == "What is recorded about school attendance?"
    assert first["resolved_question"] is None
    assert follow_up["question"] == "And since the move?"
    assert follow_up["resolved_question"] == resolved


def test_ask_refuses_unknown_users_and_bad_subjects(real_stack, cli):
    family = real_stack.family("FAM-00001")
    assert cli("ask", "--user", "nobody", "--subject", family, "Any alcohol?").exit_code == 2
    assert (
        cli(
            "ask", "--user", "demo-social-worker", "--subject", "Jane Smith", "Any alcohol?"
        ).exit_code
        == 2
    )
    assert cli("ask", "--user", "demo-social-worker", "Any alcohol?").exit_code == 2


def _audit_entries(real_stack) -> list:
    import os

    from api import backends
    from api.settings import load_settings

    settings = load_settings(data_dir=os.environ["CASELENS_DATA_DIR"])
    with backends.open_case_store(settings) as store:
        log = backends.build_audit_log(settings, store)
        assert log.verify().ok
        return list(log.entries())


def test_ask_is_audited_like_the_api(real_stack, cli):
    """The question is recorded before it is answered and the answer's records before it
    is printed, with the purpose; the chain stays intact."""
    family = real_stack.family("FAM-00001")
    asked = ("ask", "--user", "sw-one", "--subject", family, DEMO_QUESTION, "--json")
    run = cli(*asked, "--purpose", "strategy discussion")
    assert run.exit_code == 0, run.output
    answer = json.loads(run.stdout)
    question, answered = _audit_entries(real_stack)[-2:]
    assert (question.action, question.user, question.question) == (
        "question",
        "sw-one",
        DEMO_QUESTION,
    )
    assert answered.action == "answer" and answered.subject == family
    assert answered.purpose == question.purpose == "strategy discussion"
    cited = {f"{c['source_system']}:{c['record_id']}" for c in answer["citations"]}
    assert cited and set(answered.record_ids) == cited
    assert answered.detail["answer_id"] == answer["answer_id"]


def test_ask_refuses_off_the_caseload_and_roles_that_see_no_records(
    real_stack, cli, tmp_path, monkeypatch
):
    other = real_stack.family("FAM-00002")
    run = cli("ask", "--user", "sw-one", "--subject", other, DEMO_QUESTION)
    assert run.exit_code == 2 and "not on your caseload" in run.stderr
    denied = _audit_entries(real_stack)[-1]
    assert (denied.action, denied.outcome, denied.subject) == ("denied", "not_on_caseload", other)
    users = tmp_path / "steward.yaml"
    users.write_text("users:\n  steward:\n    role: data_steward\n", encoding="utf-8")
    monkeypatch.setenv("CASELENS_USERS_PATH", str(users))
    before = len(_audit_entries(real_stack))
    run = cli("ask", "--user", "steward", "--subject", other, DEMO_QUESTION)
    assert run.exit_code == 2 and "sees no case records" in run.stderr
    assert len(_audit_entries(real_stack)) == before  # nothing was asked


def test_subjects_lists_the_caseload_with_pseudonyms_only(real_stack, cli):
    run = cli("subjects", "--user", "demo-social-worker", "--json")
    assert run.exit_code == 0, run.output
    families = json.loads(run.stdout)
    assert {f["family_id"] for f in families} == set(real_stack.corpus.subject_of.values())
    labels = [m["label"] for f in families for m in f["members"]]
    assert "[Child 1]" in labels and all(_PLACEHOLDER.fullmatch(label) for label in labels)
    assert all(m["linked_person_id"].startswith("LP-") for f in families for m in f["members"])
    names = set().union(*(_names(real_stack, f["family_id"]) for f in families))
    assert not [n for n in names if n in run.stdout]
    one = cli("subjects", "--user", "sw-one")
    assert one.exit_code == 0 and one.stdout.count("FAM-") == 1


def test_reidentifier_follows_the_role_policy_per_cited_record(real_stack):
    from api.backends import build_token_vault

    family = real_stack.family("FAM-00001")
    police = next(
        r
        for r in real_stack.corpus.records.values()
        if family in r.family_ids and r.source_system == "POLICE" and _PLACEHOLDER.search(r.text)
    )
    reidentify = VaultReidentifier(
        real_stack.store, build_token_vault(real_stack.settings), real_stack.policy
    )
    shown = reidentify(real_stack.principal("sw-one"), police.text, [police.key])
    withheld = reidentify(real_stack.principal("fw-one"), police.text, [police.key])
    assert shown != police.text  # social workers may see police records: names come back
    assert withheld == police.text  # family workers may not: pseudonyms stay
