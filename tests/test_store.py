"""Case store on a real SQLite file: migrations, upserts, round trips, deletion, runs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from retrieval.store import CaseStore, Outcome
from retrieval.store.engine import alembic_config, current_revision, head_revision, make_engine
from retrieval.store.models import Base


def test_open_creates_schema_by_migration_matching_the_models(tmp_path: Path) -> None:
    store = CaseStore.open(f"sqlite:///{tmp_path / 'cs.sqlite3'}")
    assert current_revision(store.engine) == head_revision()
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == [], f"models and migrations differ: {diffs}"
    store.close()
    # Opening again is a no-op upgrade, data untouched.
    again = CaseStore.open(f"sqlite:///{tmp_path / 'cs.sqlite3'}")
    assert current_revision(again.engine) == head_revision()
    again.close()


def test_migrated_schema_matches_the_models_on_every_backend(case_store: CaseStore) -> None:
    with case_store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == [], f"{case_store.engine.dialect.name}: models and migrations differ: {diffs}"


def test_migrations_downgrade_and_upgrade_cleanly(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'cs.sqlite3'}")
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        command.downgrade(config, "base")
    assert "source_records" not in inspect(engine).get_table_names()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    assert {"source_records", "people", "ingest_runs", "linked_people"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(case_store: CaseStore) -> None:
    if case_store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with case_store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_upsert_reports_inserted_updated_unchanged(case_store: CaseStore, make_record) -> None:
    first = [make_record("R1"), make_record("R2")]
    assert case_store.upsert_records(first) == [Outcome.INSERTED, Outcome.INSERTED]
    assert case_store.upsert_records(first) == [Outcome.UNCHANGED, Outcome.UNCHANGED]
    changed_text = make_record("R1", text="Corrected note.")
    new_version = make_record("R2", version=2)
    assert case_store.upsert_records([changed_text, new_version]) == [
        Outcome.UPDATED,
        Outcome.UPDATED,
    ]
    assert case_store.get_record("LCS", "R1").text == "Corrected note."
    assert case_store.count_records() == 2


def test_repeated_key_in_one_batch_keeps_the_later_copy(case_store: CaseStore, make_record):
    outcomes = case_store.upsert_records([make_record("R1"), make_record("R1", text="Later.")])
    assert outcomes == [Outcome.INSERTED, Outcome.UPDATED]
    assert case_store.count_records() == 1
    assert case_store.get_record("LCS", "R1").text == "Later."


def test_record_round_trips_with_unknown_fields_and_dates(case_store: CaseStore, make_record):
    record = make_record(
        "R9",
        occurred_at="2024-02-29",
        recorded_at="2024-03-01T10:00:00+01:00",
        advice_type="speech_and_language",
        policy_tags=["legal"],
        person_ids=["LCS-P1", "LCS-P2"],
    )
    case_store.upsert_records([record])
    stored = case_store.get_record("LCS", "R9")
    assert stored == record
    assert stored.advice_type == "speech_and_language"  # type: ignore[attr-defined]
    assert stored.occurred_at == date(2024, 2, 29)
    assert case_store.get_record("LCS", "missing") is None
    assert case_store.get_record("EHM", "R9") is None


def test_timestamps_are_utc_whatever_the_input_offset(case_store: CaseStore, make_record):
    case_store.upsert_records([make_record("R1", recorded_at="2024-06-01T12:00:00+02:00")])
    with case_store.engine.connect() as conn:
        recorded = conn.execute(text("SELECT recorded_at FROM source_records")).scalar()
    assert str(recorded).startswith("2024-06-01 10:00:00")
    refreshed = case_store.last_refreshed("LCS", "R1")
    assert refreshed is not None and refreshed.tzinfo is not None
    assert refreshed.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - refreshed).total_seconds()) < 60


def test_record_people_index_follows_updates(case_store: CaseStore, make_record) -> None:
    case_store.upsert_records([make_record("R1", person_ids=["LCS-P1", "LCS-P2"])])
    case_store.upsert_records([make_record("R1", person_ids=["LCS-P3"], version=2)])
    with case_store.engine.connect() as conn:
        rows = conn.execute(text("SELECT person_id FROM record_people")).scalars().all()
    assert rows == ["LCS-P3"]


def test_delete_record_keys_and_counts(case_store: CaseStore, make_record) -> None:
    case_store.upsert_records(
        [
            make_record("R1"),
            make_record("R2", record_type="referral", sensitivity="restricted"),
            make_record("S1", source_system="SCHOOL", person_ids=["SCH-1"]),
        ]
    )
    assert case_store.record_keys("LCS") == {("LCS", "R1"), ("LCS", "R2")}
    assert case_store.count_records(source_system="LCS") == 2
    assert case_store.count_records(record_type="referral") == 1
    assert case_store.count_records(sensitivity="restricted") == 1
    assert case_store.delete_records([("LCS", "R1"), ("LCS", "nope")]) == 1
    assert case_store.record_keys("LCS") == {("LCS", "R2")}
    with case_store.engine.connect() as conn:
        left = conn.execute(text("SELECT record_id FROM record_people")).scalars().all()
    assert sorted(left) == ["R2", "S1"]
    assert [r.record_id for r in case_store.iter_records("SCHOOL")] == ["S1"]


def test_people_upsert_relationships_and_iteration(case_store: CaseStore, make_person) -> None:
    child = make_person("LCS-P1", relationships=[{"person_id": "LCS-P2", "type": "mother"}])
    mother = make_person("LCS-P2", given_name="Jo", dob="1990-01-01", nickname_note="x")
    assert case_store.upsert_people([child, mother]) == [Outcome.INSERTED, Outcome.INSERTED]
    assert case_store.upsert_people([child]) == [Outcome.UNCHANGED]
    moved = make_person(
        "LCS-P1",
        address={"line1": "1 Test Row", "postcode": "ZZ1 1ZZ"},
        relationships=[{"person_id": "LCS-P2", "type": "mother"}],
    )
    assert case_store.upsert_people([moved]) == [Outcome.UPDATED]
    assert case_store.get_person("LCS", "LCS-P2") == mother
    assert {p.person_id for p in case_store.iter_people()} == {"LCS-P1", "LCS-P2"}
    assert case_store.count_people("LCS") == 2
    assert case_store.person_keys("LCS") == {
        ("LCS", "LCS-P1"),
        ("LCS", "LCS-P2"),
    }


def test_iter_people_pages_through_many(case_store: CaseStore, make_person) -> None:
    people = [make_person(f"LCS-P{i:05d}") for i in range(2300)]
    case_store.upsert_people(people)
    assert [p.person_id for p in case_store.iter_people()] == [p.person_id for p in people]


def test_ingest_runs_are_recorded(case_store: CaseStore) -> None:
    run_id = case_store.start_run("/data/estate")
    run = case_store.get_run(run_id)
    assert run is not None and run.status == "running" and run.finished_at is None
    case_store.finish_run(run_id, "succeeded", {"read": 3})
    run = case_store.get_run(run_id)
    assert run.status == "succeeded" and run.counts == {"read": 3}
    assert run.finished_at is not None and run.finished_at >= run.started_at
    assert [r.run_id for r in case_store.list_runs()] == [run_id]
    with pytest.raises(KeyError):
        case_store.finish_run(run_id + 100, "failed", {})


def test_in_memory_store_works_across_calls(make_record) -> None:
    store = CaseStore.open("sqlite://")
    store.upsert_records([make_record("R1")])
    assert store.count_records() == 1
    store.close()


def test_empty_url_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="database URL"):
        CaseStore.open("")


_OPEN_AT_ONCE = r"""
import sys, time
from retrieval.store import CaseStore
url, start = sys.argv[1], float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
CaseStore.open(url).close()
"""


def test_processes_opening_a_new_store_at_once_migrate_it_once(tmp_path: Path) -> None:
    """Two ingests started together on an empty store: one migrates, the others wait."""
    import subprocess
    import sys
    import time

    for attempt in range(3):
        url = f"sqlite:///{tmp_path / f'new{attempt}.sqlite3'}"
        start = time.time() + 2.0
        children = [
            subprocess.Popen(
                [sys.executable, "-c", _OPEN_AT_ONCE, url, str(start)],
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        errors = [child.communicate(timeout=120)[1] for child in children]
        assert [child.returncode for child in children] == [0] * 4, errors
        assert current_revision(make_engine(url)) == head_revision()


def test_a_lock_answered_at_once_is_waited_out_other_errors_are_not() -> None:
    """SQLite may answer "database is locked" without waiting out its busy timeout while
    another process opening the same new store switches it to WAL: opening tries again."""
    import sqlite3

    from retrieval.store.engine import _while_locked

    calls: list[int] = []

    def locked_twice() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")
        return "wal"

    assert _while_locked(locked_twice) == "wal" and len(calls) == 3

    def broken() -> str:
        calls.append(1)
        raise sqlite3.OperationalError("no such table: cases")

    calls.clear()
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        _while_locked(broken)
    assert len(calls) == 1


def test_ingest_lock_is_one_holder_at_a_time(case_store: CaseStore) -> None:
    import threading

    waits: list[int] = []

    def take_turn() -> None:
        with case_store.ingest_lock(lambda: waits.append(1)):
            pass

    with case_store.ingest_lock():
        other = threading.Thread(target=take_turn)
        other.start()
        other.join(0.5)
        assert other.is_alive() and waits == [1]  # waiting while held
    other.join(10)
    assert not other.is_alive()
