"""The audit log on a real SQLite case store: append-only, hash-chained, verified, exported."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from api.audit import AuditLog, entry_hash
from retrieval.store import CaseStore


def _fill(log: AuditLog, n: int = 5) -> None:
    for i in range(n):
        log.append(
            user=f"u{i}",
            role="social_worker",
            action="record_view",
            subject="FAM-1",
            purpose="case work",
            record_ids=[f"LCS:R{i}"],
        )


def _without_triggers(store: CaseStore) -> None:
    """What an attacker with database admin rights could do."""
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_chain_links_every_entry(case_store: CaseStore) -> None:
    log = AuditLog(case_store.audit_rows)
    _fill(log)
    entries = list(log.entries())
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.entry_hash
    report = log.verify()
    assert report.ok and report.entries == 5 and report.head_hash == entries[-1].entry_hash
    with pytest.raises(ValueError):
        log.append(user="u", role="r", action="not-an-action")


def test_database_refuses_update_and_delete(case_store: CaseStore) -> None:
    log = AuditLog(case_store.audit_rows)
    _fill(log, 2)
    for sql in ("UPDATE audit_log SET user = 'x' WHERE seq = 1", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), case_store.engine.begin() as conn:
            conn.execute(text(sql))
    assert log.verify().ok and log.count() == 2


def test_a_users_latest_entries_of_one_action_are_read_through_an_index(
    case_store: CaseStore,
) -> None:
    """'When did this worker last look' must not scan a log that only grows."""
    indexes = {
        ix["name"]: ix["column_names"] for ix in inspect(case_store.engine).get_indexes("audit_log")
    }
    assert indexes.get("ix_audit_log_user_action") == ["user", "action", "seq"]
    if case_store.engine.dialect.name != "sqlite":
        return
    query = (
        'EXPLAIN QUERY PLAN SELECT * FROM audit_log WHERE "user" = :user AND action = :action '
        "ORDER BY seq DESC LIMIT 3"
    )
    with case_store.engine.connect() as conn:
        plan = " ".join(
            str(row[-1]) for row in conn.execute(text(query), {"user": "u1", "action": "answer"})
        )
    assert "ix_audit_log_user_action" in plan and "TEMP B-TREE" not in plan, plan


def test_verify_finds_an_edited_entry(tmp_path: Path) -> None:
    store = CaseStore.open(f"sqlite:///{tmp_path / 'cs.sqlite3'}")
    log = AuditLog(store.audit_rows)
    _fill(log)
    _without_triggers(store)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET record_ids = '[\"LCS:OTHER\"]' WHERE seq = 3"))
    report = log.verify()
    assert not report.ok and report.first_broken_seq == 3 and "changed" in (report.problem or "")


def test_verify_finds_an_edit_with_a_recomputed_hash(tmp_path: Path) -> None:
    store = CaseStore.open(f"sqlite:///{tmp_path / 'cs.sqlite3'}")
    log = AuditLog(store.audit_rows)
    _fill(log)
    _without_triggers(store)
    row = {**vars(list(log.entries())[1]), "user": "someone-else"}
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET user = :u, entry_hash = :h WHERE seq = 2"),
            {"u": row["user"], "h": entry_hash(row)},
        )
    report = log.verify()
    assert report.first_broken_seq == 3  # entry 3 no longer follows entry 2
    assert "previous entry's hash" in (report.problem or "")


def test_verify_finds_a_deleted_entry(tmp_path: Path) -> None:
    store = CaseStore.open(f"sqlite:///{tmp_path / 'cs.sqlite3'}")
    log = AuditLog(store.audit_rows)
    _fill(log)
    _without_triggers(store)
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    report = log.verify()
    assert report.first_broken_seq == 2 and "missing" in (report.problem or "")


def test_cli_verify_and_monthly_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli import app

    data = tmp_path / "data"
    monkeypatch.setenv("CASELENS_DATA_DIR", str(data))
    monkeypatch.setenv("CASELENS_PROFILE", "test")
    store = CaseStore.open(f"sqlite:///{(data / 'casestore.sqlite3').resolve()}")
    log = AuditLog(store.audit_rows)
    _fill(log, 3)
    month = next(iter(log.entries())).at[:7]
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "intact: 3 entries" in ok.output
    out = tmp_path / "audit.csv"
    exported = runner.invoke(app, ["audit", "export", "--month", month, "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["seq"] for r in rows] == ["1", "2", "3"] and rows[0]["record_ids"] == "LCS:R0"
    empty = runner.invoke(app, ["audit", "export", "--month", "1999-01", "--out", str(out)])
    assert empty.exit_code == 0 and len(list(csv.reader(out.open()))) == 1
    bad = runner.invoke(app, ["audit", "export", "--month", "2026-13", "--out", str(out)])
    assert bad.exit_code == 2
    _without_triggers(store)
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "BROKEN at entry 2" in broken.output
    store.close()


def test_concurrent_appends_from_many_threads_all_land(
    case_store: CaseStore, tmp_path: Path
) -> None:
    """The API answers concurrently, and the EHCP service keeps its own ``AuditLog`` on the
    same database: 32 threads over two logs raced for sequence numbers and some appends
    ran out of retries (``AuditError``: a 503 for the user). Now every one lands, the chain
    and the signed checkpoints intact."""
    import threading

    from api.audit import AuditError
    from api.audit.seal import AuditSeal

    logs = [
        AuditLog(
            case_store.audit_rows, AuditSeal.open(tmp_path / "audit.key", tmp_path / "cp.jsonl")
        )
        for _ in range(2)
    ]
    failures: list[str] = []

    def write(n: int) -> None:
        for _ in range(40):
            try:
                logs[n % 2].append(user=f"u{n}", role="social_worker", action="question")
            except AuditError as exc:
                failures.append(type(exc.__cause__).__name__)

    for _ in range(3):  # three bursts: the race is timing-dependent
        threads = [threading.Thread(target=write, args=(n,)) for n in range(32)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
    assert logs[0].count() == 3 * 32 * 40
    assert logs[0].verify().ok
