"""What's new and ``caselens digest`` over a real estate re-ingested with changes (issue 20).

A small generated estate (2 families) goes through the production path (ingest, Splink
linkage, Presidio pseudonymisation, Qdrant Edge with the real embedder). Then the source
extracts change: one LCS case note is edited, a new EHM note and a new POLICE incident are
added, and the estate is ingested, pseudonymised and indexed again. A social worker and a
family worker with the same family on their caseload then ask what is new since just
before the re-ingest: both see the edited and the new EHM note, only the social worker sees
the police incident, nobody sees a record that did not change, and the family worker's
view never names a police record.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

EDITED_FACT = "The family worker noted that the new kitchen boiler was fitted on Tuesday."
EHM_FACT = "Mother attended the parenting group for the third week running."
POLICE_FACT = "Officers attended after a neighbour reported shouting at the address."


@dataclass
class ChangedEstate:
    settings: Any
    store: Any
    embedder: Any
    family: str
    before: datetime
    edited: str  # SYSTEM:record_id
    added_visible: str
    added_police: str
    unchanged: str
    users_path: Path


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _new(base: dict[str, Any], record_id: str, record_type: str, title: str, text: str) -> Any:
    url = base["source_url"].rsplit("/", 1)[0] + "/" + record_id
    return dict(
        base,
        record_id=record_id,
        record_type=record_type,
        title=title,
        text=text,
        sensitivity="standard",
        source_url=url,
        occurred_at="2026-12-01",
        recorded_at="2026-12-01T10:00:00Z",
    )


def _build(settings: Any, embedder: Any, estate: Path) -> None:
    """ingest -> link -> redact -> index, as ``caselens`` runs them (``backends.open_stack``)."""
    from api import backends

    stack = backends.open_stack(settings, backends.Models(embedder=embedder))
    try:
        stack.ingest(estate)
        stack.link()
        stack.redact()
        stack.index()
    finally:
        stack.close()  # its store and the index (one process holds an embedded index)


#: Systems a family worker sees, then one only a social worker sees.
SYSTEMS = ("LCS", "EHM", "SCHOOL", "POLICE")


def _plain(record: dict[str, Any]) -> bool:
    """A standard case note or incident with no policy tags (indexed, shown to both)."""
    return (
        record.get("sensitivity", "standard") == "standard"
        and not record.get("policy_tags")
        and record["record_type"] in ("case_note", "incident", "attendance", "assessment")
    )


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory, shared_embedder: Any) -> Iterator[Any]:
    from api import backends
    from api.settings import load_settings
    from evals.estate import generate_estate
    from redaction.vault import generate_vault_key

    root = tmp_path_factory.mktemp("whats-new")
    estate = root / "estate"
    generate_estate(estate, families=2, seed=3)
    users_path = root / "users.yaml"
    settings = load_settings(
        data_dir=root / "data",
        users_path=users_path,
        vault_key=generate_vault_key(),
        progress=False,
    )
    settings.data_dir.mkdir(parents=True)
    store = backends.open_case_store(settings)
    try:
        _build(settings, shared_embedder, estate)
        # A family with police records, and records about it a family worker may see.
        rows = {name: _lines(estate / f"extracts/{name}/records.jsonl") for name in SYSTEMS}
        police_base = next(r for r in rows["POLICE"] if _plain(r))
        family = _family(store, "POLICE", police_base)
        assert family is not None, "the police record was not linked to a family"
        visible = [
            (name, r)
            for name in SYSTEMS[:-1]
            for r in rows[name]
            if _plain(r) and _family(store, name, r) == family
        ]
        (edit_system, note), (_, unchanged), (add_system, add_base) = (
            visible[0],
            visible[1],
            visible[-1],
        )
        users_path.write_text(
            "users:\n"
            f"  sw-new:\n    role: social_worker\n    caseload: [{family}]\n"
            f"  fw-new:\n    role: family_worker\n    caseload: [{family}]\n",
            encoding="utf-8",
        )
        before = datetime.now(UTC)
        # The sources change overnight: one note edited, two records added.
        note["text"] = note["text"] + " " + EDITED_FACT
        note["updated_at"] = "2026-12-02T08:00:00Z"
        rows[add_system].append(_new(add_base, "NEW-1", "case_note", "Parenting group", EHM_FACT))
        rows["POLICE"].append(_new(police_base, "POL-NEW-1", "incident", "Call out", POLICE_FACT))
        for name, changed_rows in rows.items():
            _write(estate / f"extracts/{name}/records.jsonl", changed_rows)
        _build(settings, shared_embedder, estate)
        yield ChangedEstate(
            settings=settings,
            store=store,
            embedder=shared_embedder,
            family=family,
            before=before,
            edited=f"{edit_system}:{note['record_id']}",
            added_visible=f"{add_system}:NEW-1",
            added_police="POLICE:POL-NEW-1",
            unchanged=f"{visible[1][0]}:{unchanged['record_id']}",
            users_path=users_path,
        )
    finally:
        store.close()


def _family(store: Any, system: str, record: dict[str, Any]) -> str | None:
    """The store family of a record's first person."""
    linked = store.linked_person_of(system, record["person_ids"][0])
    found = store.family_of(linked) if linked else None
    return found.family_id if found else None


def _digest(changed: ChangedEstate, user: str, since: datetime) -> Any:
    from api import backends
    from api.app.caseload import caseload_subjects
    from assistant.whatsnew import WhatsNew

    principal = backends.load_users(changed.settings).principal(user)
    role = backends.load_policy(changed.settings).role(principal.role)
    subjects = caseload_subjects(changed.store, principal, role)
    # The index is opened for each digest: one process holds an embedded index at a time,
    # and ``caselens digest`` opens it too.
    vectors = backends.open_vector_store(changed.settings, changed.embedder.dimension)
    try:
        timeline = backends.build_timeline_builder(
            changed.settings, embedder=changed.embedder, vectors=vectors, store=changed.store
        )
        return WhatsNew(timeline, changed.store.changes).digest(principal, subjects, since)
    finally:
        vectors.close()


def test_whats_new_lists_what_changed_since_the_moment_and_only_what_the_role_may_see(
    changed: ChangedEstate,
) -> None:
    social = _digest(changed, "sw-new", changed.before)
    assert [s.subject for s in social.subjects] == [changed.family]
    items = {f"{i.record.source_system}:{i.record.record_id}": i for i in social.subjects[0].items}
    assert set(items) == {changed.edited, changed.added_visible, changed.added_police}
    assert items[changed.edited].change == "changed"
    assert items[changed.added_visible].change == "added"
    # Each item is summarised by its own sentences, names put back for the worker.
    assert any("parenting group" in s for s in items[changed.added_visible].sentences)
    assert any("neighbour reported shouting" in s for s in items[changed.added_police].sentences)

    family = _digest(changed, "fw-new", changed.before)
    shown = {f"{i.record.source_system}:{i.record.record_id}" for i in family.subjects[0].items}
    assert shown == {changed.edited, changed.added_visible}
    assert "POLICE" not in json.dumps(family.as_dict())

    # Before the first ingest everything is new; after the re-ingest nothing is.
    everything = _digest(changed, "sw-new", changed.before - timedelta(days=1))
    assert changed.unchanged in everything.record_ids()
    assert _digest(changed, "sw-new", datetime.now(UTC)).records == 0


def test_caselens_digest_prints_the_same_and_remembers_when_the_worker_looked(
    changed: ChangedEstate, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.cli import app

    s = changed.settings
    monkeypatch.setenv("CASELENS_DATA_DIR", str(s.data_dir))
    monkeypatch.setenv("CASELENS_USERS_PATH", str(changed.users_path))
    monkeypatch.setenv("CASELENS_VAULT_KEY", s.vault_key.get_secret_value())
    since = changed.before.isoformat()
    runner = CliRunner()
    result = runner.invoke(app, ["digest", "--user", "fw-new", "--since", since])
    assert result.exit_code == 0, result.output
    assert "NEW-1 " in result.output.replace(",", " ") and "parenting group" in result.output
    assert changed.edited.split(":")[1] in result.output
    assert "POL-NEW-1" not in result.output and "POLICE" not in result.output
    assert changed.unchanged.split(":")[1] not in result.output
    # Without --since: since the worker last looked (just now), so nothing is new.
    again = runner.invoke(app, ["digest", "--user", "fw-new", "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["records"] == 0
