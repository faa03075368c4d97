"""The overview of a child or family (issue 23) on the real stack: what a worker would
notice. Which systems are listed, what is withheld and from whom, events in date order
typed by the data file, every item cited to a record the role may see and quoted word for
word; the same through ``GET /subjects/{id}/overview`` (audited) and ``caselens overview``."""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest
from api_support import build_components, write_users
from typer.testing import CliRunner

from assistant.overview import EventKinds, default_event_kinds


def _truth(real_stack: Any, family: str, role_name: str) -> tuple[dict[Any, Any], int]:
    """The family's records the role may see (by the policy, read from the case store, not
    the index), and how many of its records it may not."""
    store = real_stack.store
    role = real_stack.policy.role(role_name)
    visible: dict[Any, Any] = {}
    hidden = 0
    for record in store.iter_records():
        linked = sorted(
            set(store.linked_ids_of(record.source_system, list(record.person_ids)).values())
        )
        families = {f for f in store.family_ids_of(linked).values() if f}
        if family not in families:
            continue
        if role.may_see(record) and store.get_pseudonymised(*record.key) is not None:
            visible[record.key] = record
        else:
            hidden += 1
    return visible, hidden


def _cited(overview: Any) -> list[tuple[str, str]]:
    refs = [i.first for i in overview.involvement] + [
        i.latest_contact for i in overview.involvement
    ]
    refs += [e.record for e in overview.events]
    refs += [f.record for f in overview.strengths + overview.concerns + overview.child_voice]
    return [(r.source_system, r.record_id) for r in refs]


@pytest.fixture(scope="module")
def builder(real_stack: Any) -> Any:
    built = real_stack.overview(reidentify=False)
    yield built
    built.close()


@pytest.mark.parametrize("user", ["demo-social-worker", "fw-one"])
def test_every_system_with_a_visible_record_is_listed_and_no_other(
    real_stack: Any, builder: Any, user: str
) -> None:
    family = real_stack.family("FAM-00001")
    principal = real_stack.principal(user)
    overview = builder.build(principal, family)
    visible, hidden = _truth(real_stack, family, principal.role)
    assert {i.source_system for i in overview.involvement} == {k[0] for k in visible}
    assert overview.records_shown == len(visible)
    for item in overview.involvement:
        mine = [r for k, r in visible.items() if k[0] == item.source_system]
        assert item.records == len(mine)
        assert item.latest_recorded == max(str(r.occurred_at)[:10] for r in mine)
        assert item.first_recorded == min(str(r.occurred_at)[:10] for r in mine)
        assert item.latest_contact.occurred_at == item.latest_recorded
    # Nothing shown from a record the role may not see; withheld records counted, not shown.
    assert set(_cited(overview)) <= set(visible)
    assert overview.withheld_records == hidden


def test_a_family_worker_is_told_where_to_look_next(real_stack: Any, builder: Any) -> None:
    family = real_stack.family("FAM-00001")
    worker = builder.build(real_stack.principal("fw-one"), family)
    social = builder.build(real_stack.principal("demo-social-worker"), family)
    police = [i for i in social.involvement if i.source_system == "POLICE"]
    assert police, "the generated family is expected to have police records"
    assert "POLICE" not in {i.source_system for i in worker.involvement}
    withheld = {w.source_system: w for w in worker.withheld}
    assert withheld["POLICE"].records == police[0].records
    assert "social_worker" in withheld["POLICE"].visible_to_roles
    assert worker.withheld_records == sum(w.records for w in worker.withheld)


def test_events_are_newest_first_typed_by_the_data_file_and_dated_by_their_record(
    real_stack: Any, builder: Any
) -> None:
    family = real_stack.family("FAM-00001")
    overview = builder.build(real_stack.principal("demo-social-worker"), family)
    kinds = default_event_kinds()
    assert overview.events, "the family's referrals, incidents and assessments are events"
    dates = [e.date for e in overview.events]
    assert dates == sorted(dates, reverse=True)
    for event in overview.events:
        record = real_stack.store.get_record(event.record.source_system, event.record.record_id)
        assert kinds.by_type[record.record_type][0] == event.kind
        assert str(record.occurred_at)[:10] == event.date
    counted = {k.kind: k.count for k in overview.event_kinds}
    assert counted == {kind: sum(1 for e in overview.events if e.kind == kind) for kind in counted}
    assert overview.facts_only and "no scores" in overview.facts_only


def test_strengths_concerns_and_the_childs_words_are_quoted_from_their_record(
    real_stack: Any, builder: Any
) -> None:
    shown = 0
    for gold in sorted(set(real_stack.corpus.subject_of)):
        overview = builder.build(real_stack.principal("evaluator"), real_stack.family(gold))
        for fact in overview.strengths + overview.concerns + overview.child_voice:
            found = real_stack.store.get_pseudonymised(
                fact.record.source_system, fact.record.record_id
            )
            assert found is not None
            assert fact.text in found[0].text
            assert fact.reliability_label
            if fact.outcome:
                assert fact.outcome in found[0].text
            shown += 1
        assert all(f.topics for f in overview.concerns)
        # A strength is not listed again as a concern.
        assert not {f.text for f in overview.strengths} & {f.text for f in overview.concerns}
        assert len(overview.strengths) <= builder.max_facts
    assert shown, "the generated estate records strengths and concerns"


def test_the_household_lists_the_family_by_pseudonym_each_openable_on_the_caseload(
    real_stack: Any, builder: Any
) -> None:
    family = real_stack.family("FAM-00001")
    members = set(real_stack.store.family_people(family).members)
    for user in ("demo-social-worker", "fw-one"):
        whole = builder.build(real_stack.principal(user), family)
        assert {m.linked_person_id for m in whole.household} == members
        assert all(m.may_open for m in whole.household)
        assert all(m.label.startswith("[") for m in whole.household), "pseudonyms only"
        child = next(m for m in whole.household if m.is_child)
        one = builder.build(real_stack.principal(user), child.linked_person_id)
        assert {m.linked_person_id for m in one.household} == members
    other = next(f for f in sorted(set(real_stack.corpus.subject_of.values())) if f != family)
    outside = builder.build(real_stack.principal("fw-one"), other)
    assert outside.household and not any(m.may_open for m in outside.household)
    assert outside.records_shown == 0 and not outside.involvement


def test_a_record_type_under_two_kinds_is_refused() -> None:
    with pytest.raises(ValueError, match="two kinds"):
        EventKinds.from_mapping(
            {
                "kinds": {
                    "a": {"label": "A", "record_types": ["incident"]},
                    "b": {"label": "B", "record_types": ["incident"]},
                }
            }
        )


def test_overview_over_http_is_audited_and_keeps_to_the_caseload(
    real_stack: Any, tmp_path: Any
) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    families = sorted(set(real_stack.corpus.subject_of.values()))
    users = write_users(tmp_path, real_stack.policy, families)
    comps = build_components(real_stack, users)
    app = create_app(comps.settings, components=comps)
    start = comps.audit.count()
    worker = {"Authorization": f"Bearer {users.tokens['api-family_worker']}"}
    with TestClient(app) as client:
        resp = client.get(f"/subjects/{families[0]}/overview", headers=worker)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["subject"] == families[0] and body["role"] == "family_worker"
        assert "POLICE" not in {i["source_system"] for i in body["involvement"]}
        for fact in body["strengths"] + body["concerns"] + body["child_voice"]:
            assert fact["record"]["source_url"].startswith("https://")
        outside = client.get(f"/subjects/{users.outside_family}/overview", headers=worker)
        assert outside.status_code == 403
        assert client.get("/subjects/nobody/overview", headers=worker).status_code == 422
    entries = list(comps.audit.entries())[start:]
    assert [e.action for e in entries] == ["overview", "denied"]
    shown = {
        f"{i['source_system']}:{i['latest_contact']['record_id']}" for i in body["involvement"]
    }
    assert shown <= set(entries[0].record_ids)
    assert entries[0].detail["withheld_count"] == body["withheld_records"]
    comps.close()


def test_cli_overview_names_people_only_from_records_the_role_may_see(
    real_stack: Any, tmp_path: Any, monkeypatch: Any
) -> None:
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

    family = real_stack.family("FAM-00001")
    runner = CliRunner()
    run = runner.invoke(app, ["overview", "--user", "fw-one", "--subject", family, "--json"])
    assert run.exit_code == 0, run.output
    shown = json.loads(run.stdout)
    assert shown["subject"] == family and shown["involvement"]
    people = real_stack.store.family_people(family).members.values()
    names = {n for persons in people for p in persons for n in (p.given_name, p.family_name) if n}
    text = run.stdout
    assert any(name in text for name in names), "names are put back for a role that may see them"
    plain = runner.invoke(app, ["overview", "--user", "fw-one", "--subject", family])
    assert plain.exit_code == 0, plain.output
    assert "Who is involved" in plain.stdout and "Where to look next" in plain.stdout
    assert "POLICE" in plain.stdout.split("Where to look next")[1]
