"""Files caselens creates are owner-only, and opening a shared one warns (issue 15, F12).

The process umask here is the usual 022, under which a plain ``open``/``mkdir`` gives
0644/0755: what `make demo` produced before.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from retrieval.principal import UserDirectory
from retrieval.store import CaseStore


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_new_store_and_its_data_dir_are_owner_only(tmp_path: Path, make_record) -> None:
    data = tmp_path / "srv" / "data"
    store = CaseStore.open(f"sqlite:///{data / 'casestore.sqlite3'}")
    store.upsert_records([make_record("R1")])  # writes the -wal and -shm files too
    assert mode(data) == "0o700" and mode(data.parent) == "0o700"
    for path in data.iterdir():
        assert mode(path) == "0o600", path.name
    store.close()


def test_opening_a_world_readable_store_warns(tmp_path: Path, caplog) -> None:
    path = tmp_path / "casestore.sqlite3"
    CaseStore.open(f"sqlite:///{path}").close()
    os.chmod(path, 0o644)
    with caplog.at_level(logging.WARNING):
        CaseStore.open(f"sqlite:///{path}").close()
    assert f"{path} is readable by group or others (mode 644)" in caplog.text
    assert f"chmod 600 {path}" in caplog.text


def test_users_files_are_written_owner_only_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    from api.cli import app

    users = tmp_path / "users.yaml"
    users.write_text(yaml.safe_dump({"users": {"ann": {"role": "social_worker"}}}))
    assert mode(users) == "0o644"
    with caplog.at_level(logging.WARNING):
        UserDirectory.load(users)
    assert "users.yaml is readable by group or others" in caplog.text
    result = CliRunner().invoke(app, ["users", "token", "ann", "--file", str(users)])
    assert result.exit_code == 0, result.output
    assert mode(users) == "0o600"  # rewriting it makes it owner-only


def test_quarantine_audit_key_and_export_are_owner_only(
    tmp_path: Path, make_record, default_policy
) -> None:
    from api.audit import AuditLog
    from api.audit.seal import AuditSeal
    from retrieval.ingest import Ingestor

    store = CaseStore.open(f"sqlite:///{tmp_path / 'cs.sqlite3'}")
    extracts = tmp_path / "x" / "LCS"
    extracts.mkdir(parents=True)
    (extracts / "records.jsonl").write_text("not json\n")
    report = Ingestor(store, default_policy, tmp_path / "data" / "quarantine").ingest(
        tmp_path / "x"
    )
    assert mode(report.quarantine_file.parent) == "0o700"
    keys = tmp_path / "keys"
    log = AuditLog(store.audit_rows, AuditSeal.open(keys / "audit.key", keys / "checkpoints.jsonl"))
    entry = log.append(user="ann", role="social_worker", action="record_view")
    assert mode(keys) == "0o700" and mode(keys / "audit.key") == "0o600"
    out = tmp_path / "exports" / "audit.csv"
    log.export_month(entry.at[:7], out)
    assert mode(out) == "0o600"
    store.close()


def test_make_demo_writes_owner_only() -> None:
    """Every demo step that writes runs under umask 077 (shell redirections included)."""
    makefile = (Path(__file__).parent.parent / "Makefile").read_text()
    recipe = makefile.split("\ndemo: install\n", 1)[1].split("\n\n", 1)[0]
    steps = [
        line
        for line in recipe.splitlines()
        if line.startswith("\t") and not line.startswith("\t ") and "caselens" in line
    ]
    assert steps
    for step in steps:
        assert step.startswith(("\t$(U) ", "\t@")) or "umask 077" in step, step
    assert "U   = umask 077 &&" in makefile
