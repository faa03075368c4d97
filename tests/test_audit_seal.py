"""The sealed audit log: tail deletion, total deletion, re-chaining and forged appends are
all found by ``caselens audit verify`` (exit 1), and an unreadable log is exit 2, not 1.

Each attack is what someone with database rights but not the audit key can do: drop the
append-only triggers, then delete, edit and re-hash, or insert rows with correct hashes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from sqlalchemy import insert, text
from typer.testing import CliRunner

from api.audit import GENESIS_HASH, AuditLog, entry_hash
from api.audit.seal import AuditSeal, SealError
from retrieval.store import CaseStore
from retrieval.store.audit_store import AUDIT


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("CASELENS_DATA_DIR", str(folder))
    monkeypatch.setenv("CASELENS_PROFILE", "test")
    return folder


@pytest.fixture
def store(data: Path) -> Iterator[CaseStore]:
    opened = CaseStore.open(f"sqlite:///{(data / 'casestore.sqlite3').resolve()}")
    yield opened
    opened.close()


def _sealed(store: CaseStore, data: Path) -> AuditLog:
    seal = AuditSeal.open(data / "audit.key", data / "audit-checkpoints.jsonl")
    return AuditLog(store.audit_rows, seal)


def _fill(log: AuditLog, n: int) -> None:
    for i in range(n):
        log.append(user=f"u{i}", role="social_worker", action="record_view", subject="FAM-1")


def _attack(store: CaseStore, *statements: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        conn.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
        for sql in statements:
            conn.execute(text(sql))


def _rechain_from(store: CaseStore, log: AuditLog, seq: int, change: Callable[[dict], None]):
    """Edit entry ``seq`` and re-hash it and every later entry: a consistent chain."""
    rows = [asdict(e) for e in log.entries()]
    _attack(store, f"DELETE FROM audit_log WHERE seq >= {seq}")
    prev = rows[seq - 2]["entry_hash"] if seq > 1 else GENESIS_HASH
    with store.engine.begin() as conn:
        for row in rows[seq - 1 :]:
            if row["seq"] == seq:
                change(row)
            row["prev_hash"] = prev
            row["entry_hash"] = prev = entry_hash(row)
            conn.execute(insert(AUDIT).values(**row))


def _verify(args: tuple[str, ...] = ()) -> tuple[int, str]:
    from api.cli import app

    result = CliRunner().invoke(app, ["audit", "verify", *args])
    return result.exit_code, result.output


def test_sealed_log_verifies_and_its_files_are_owner_only(store, data) -> None:
    log = _sealed(store, data)
    _fill(log, 5)
    assert log.verify().ok
    code, output = _verify()
    assert code == 0 and "intact: 5 entries" in output, output
    for name in ("audit.key", "audit-checkpoints.jsonl"):
        assert oct((data / name).stat().st_mode & 0o777) == "0o600"
    lines = (data / "audit-checkpoints.jsonl").read_text().splitlines()
    assert [json.loads(x)["kind"] for x in lines] == ["start"] + ["entry", "commit"] * 5


@pytest.mark.parametrize(
    ("where", "expected"),
    [("seq = 6", "entries 6..6 were deleted"), ("seq > 3", "entries 4..6 were deleted")],
)
def test_tail_deletion_is_found(store, data, where: str, expected: str) -> None:
    _fill(_sealed(store, data), 6)
    _attack(store, f"DELETE FROM audit_log WHERE {where}")
    code, output = _verify()
    assert code == 1 and expected in output, output


def test_deleting_every_entry_is_found(store, data) -> None:
    _fill(_sealed(store, data), 4)
    _attack(store, "DELETE FROM audit_log")
    code, output = _verify()
    assert code == 1 and "entries 1..4 were deleted" in output, output


def test_an_edit_with_the_chain_rebuilt_is_found(store, data) -> None:
    log = _sealed(store, data)
    _fill(log, 5)
    _rechain_from(store, log, 2, lambda row: row.update(user="someone-else"))
    assert AuditLog(store.audit_rows).verify().ok  # the chain alone cannot see it
    code, output = _verify()
    assert code == 1 and "BROKEN at entry 2" in output
    assert "differs from its signed checkpoint" in output


def test_a_forged_append_with_a_valid_hash_is_found(store, data) -> None:
    log = _sealed(store, data)
    _fill(log, 3)
    head = list(log.entries())[-1]
    forged = {**asdict(head), "seq": 4, "user": "intruder", "prev_hash": head.entry_hash}
    forged["entry_hash"] = entry_hash(forged)
    with store.engine.begin() as conn:
        conn.execute(insert(AUDIT).values(**forged))
    assert AuditLog(store.audit_rows).verify().ok  # the chain alone cannot see it
    code, output = _verify()
    assert code == 1 and "entry 4 is not signed" in output, output


def test_a_forged_checkpoint_is_found(store, data) -> None:
    log = _sealed(store, data)
    _fill(log, 3)
    _attack(store, "DELETE FROM audit_log WHERE seq = 3")
    path = data / "audit-checkpoints.jsonl"
    lines = path.read_text().splitlines()[:-1]  # drop the checkpoint of entry 3 too...
    lines.append(json.dumps({"kind": "entry", "seq": 2, "hash": "0" * 64, "mac": "f" * 64}))
    path.write_text("\n".join(lines) + "\n")
    code, output = _verify()
    assert code == 1 and "not signed by the audit key" in output, output


def test_a_removed_checkpoint_file_is_found(store, data) -> None:
    _fill(_sealed(store, data), 2)
    (data / "audit-checkpoints.jsonl").unlink()
    _fill(_sealed(store, data), 1)  # the service goes on writing
    code, output = _verify()
    assert code == 1 and "no start line" in output, output


def test_entries_before_the_seal_are_covered_by_its_start(store, data) -> None:
    _fill(AuditLog(store.audit_rows), 3)  # written before the key existed (an upgrade)
    log = _sealed(store, data)
    _fill(log, 2)
    assert log.verify().ok and log.verify().sealed_from_seq == 3
    _rechain_from(store, log, 1, lambda row: row.update(user="someone-else"))
    report = log.verify()
    assert not report.ok and "signed start checkpoint" in (report.problem or "")


#: A writer process that appends three entries, then is killed with SIGKILL inside the
#: fourth append at the named step of the real ``AuditLog.append``.
_KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from api.audit import AuditLog
from api.audit.seal import AuditSeal
from retrieval.store import CaseStore

data, step = Path(sys.argv[1]), sys.argv[2]
store = CaseStore.open(f"sqlite:///{(data / 'casestore.sqlite3').resolve()}")
seal = AuditSeal.open(data / "audit.key", data / "audit-checkpoints.jsonl")
log = AuditLog(store.audit_rows, seal)
for i in range(3):
    log.append(user=f"u{i}", role="social_worker", action="record_view", subject="FAM-1")
real = getattr(seal, step)
def then_die(seq, entry_hash):
    if step == "sign":
        real(seq, entry_hash)  # signed; the transaction has not committed
    os.kill(os.getpid(), signal.SIGKILL)  # "committed": killed before its commit line
setattr(seal, step, then_die)
log.append(user="u3", role="social_worker", action="record_view", subject="FAM-1")
"""


@pytest.mark.parametrize(
    ("step", "entries", "unfinished"),
    [("sign", 3, 4), ("committed", 4, None)],
    ids=["between-sign-and-commit", "between-commit-and-its-line"],
)
def test_a_writer_killed_mid_append_is_not_tampering(
    store, data, step: str, entries: int, unfinished: int | None
) -> None:
    """kill -9 between signing an entry and committing it leaves a signed entry that never
    reached the table: reported as an incomplete write (exit 0), not as a deletion; the
    next entry takes its number. Killed after the commit, the entry is simply intact."""
    import subprocess
    import sys

    data.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, str(data), step], cwd=Path(__file__).parents[1]
    )
    assert run.returncode == -9
    report = _sealed(store, data).verify()
    assert report.ok and report.entries == entries and report.unfinished_seq == unfinished
    assert report.state == ("incomplete" if unfinished else "intact")
    code, output = _verify()
    assert code == 0 and ("incomplete: entry 4" in output) == bool(unfinished), output
    log = _sealed(store, data)
    _fill(log, 1)  # the service goes on: the next entry is written after the unfinished one
    after = log.verify()
    assert after.ok and after.state == "intact" and after.head_seq == entries + 1
    _attack(store, f"DELETE FROM audit_log WHERE seq = {entries + 1}")
    assert log.verify().state == "tampered"  # a committed entry deleted is still found


def test_hosts_sharing_a_checkpoint_folder_verify_together(store, data, monkeypatch) -> None:
    """Two hosts on one database, each appending to its own file in a shared folder
    (``CASELENS_AUDIT_HOST``): the interleaved log verifies from either host; a host's file
    removed, or the last entry deleted, is still tampering."""
    folder = data / "shared-checkpoints"
    hosts = {
        name: AuditLog(store.audit_rows, AuditSeal.open(data / "audit.key", folder, host=name))
        for name in ("app-1", "app-2")
    }
    for name in ("app-1", "app-2", "app-2", "app-1", "app-2"):
        _fill(hosts[name], 1)
    assert sorted(p.name for p in folder.iterdir()) == ["app-1.jsonl", "app-2.jsonl"]
    assert all(log.verify().state == "intact" for log in hosts.values())
    assert _sealed(store, data).verify().state == "tampered"  # one host's file is not enough
    monkeypatch.setenv("CASELENS_AUDIT_HOST", "app-1")
    monkeypatch.setenv("CASELENS_AUDIT_CHECKPOINT_PATH", str(folder))
    code, output = _verify()
    assert code == 0 and "intact: 5 entries" in output, output
    _attack(store, "DELETE FROM audit_log WHERE seq = 5")
    code, output = _verify()
    assert code == 1 and "entries 5..5 were deleted" in output, output
    (folder / "app-2.jsonl").unlink()
    assert "is not signed" in (hosts["app-1"].verify().problem or "")
    with pytest.raises(SealError, match="host name"):
        AuditSeal.open(data / "audit.key", folder, host="../elsewhere")


def test_cannot_read_is_exit_2_not_tampered(store, data) -> None:
    _fill(_sealed(store, data), 2)
    key = data / "audit.key"
    secret = key.read_text()
    key.write_text("not hex\n")
    code, output = _verify()
    assert code == 2 and "cannot be read" in output and secret.strip() not in output
    key.unlink()  # a lost key is never replaced silently while checkpoints exist
    code, output = _verify()
    assert code == 2 and "restore the key" in output
    with pytest.raises(SealError):
        _sealed(store, data)
