"""The command line's one error boundary (issue 15, F5/F11): a full disk, a read-only data
dir or any unexpected failure gives one line naming the path, never a traceback and never
a value from the records, even when every line of the input is full of identifiers.

The commands run as real ``caselens`` processes (``api.cli.main``): a file size limit
(``RLIMIT_FSIZE``) makes the disk "full" for the child, and a data dir the child's user
cannot write makes it read-only (as root, the child drops to ``nobody`` with setpriv).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.audit import AuditLog
from api.audit.seal import AuditSeal
from retrieval.store import CaseStore

#: Identifiers of every kind the estate has; none may appear in any output.
IDENTIFIERS = (
    "Zebedee-Okafor",
    "943 476 5919",
    "07700 900123",
    "14 Mill Lane",
    "LS6 2AB",
    "jane.okafor@example.com",
    "03/04/2015",
)
NOTE = (
    "Jane Zebedee-Okafor (DOB 03/04/2015, NHS 943 476 5919) lives at 14 Mill Lane, Leeds "
    "LS6 2AB; phone 07700 900123, email jane.okafor@example.com. "
) * 30

CHILD = r"""
import resource, signal, sys
limit = int(sys.argv[1])
if limit:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.argv = ["caselens", *sys.argv[2:]]
from api.cli import main
main()
"""


@pytest.fixture
def estate(tmp_path: Path, make_record) -> Path:
    records = tmp_path / "estate" / "LCS"
    records.mkdir(parents=True)
    lines = [make_record(f"L{i}", text=NOTE).model_dump_json() for i in range(400)]
    (records / "records.jsonl").write_text("\n".join(lines) + "\n")
    os.chmod(tmp_path, 0o755)
    for folder in (tmp_path / "estate", records):
        os.chmod(folder, 0o755)
    os.chmod(records / "records.jsonl", 0o644)
    return tmp_path / "estate"


def _caselens(data: Path, *args: str, limit: int = 0, user: list[str] | None = None):
    env = {**os.environ, "CASELENS_DATA_DIR": str(data), "CASELENS_PROFILE": "test"}
    return subprocess.run(
        [*(user or []), sys.executable, "-c", CHILD, str(limit), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=data.parent,
    )


def _assert_one_clean_line(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    for value in IDENTIFIERS:
        assert value not in output, value
    lines = [x for x in result.stderr.splitlines() if x.startswith("caselens:")]
    assert len(lines) == 1, result.stderr[-2000:]
    return lines[0]


def test_a_full_disk_during_ingest_is_one_line_naming_the_store(
    tmp_path: Path, estate: Path
) -> None:
    data = tmp_path / "data"
    CaseStore.open(f"sqlite:///{data / 'casestore.sqlite3'}").close()
    result = _caselens(data, "ingest", str(estate), limit=400_000)
    assert result.returncode == 2
    line = _assert_one_clean_line(result)
    assert str(data / "casestore.sqlite3") in line and "run the command again" in line
    # Nothing was lost: with room again, the same command finishes.
    again = _caselens(data, "ingest", str(estate), "--json")
    assert again.returncode == 0, again.stderr[-2000:]
    assert json.loads(again.stdout)["totals"]["records"]["read"] == 400


def _readonly_user(data: Path) -> list[str]:
    """Make ``data`` read-only for the child: chmod, and as root run the child as nobody."""
    if os.geteuid() != 0:
        user: list[str] = []
    elif shutil.which("setpriv"):
        user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        for path in [data, *data.rglob("*")]:
            os.chown(path, 65534, 65534)
    else:
        pytest.skip("running as root without setpriv: cannot make a folder read-only")
    for path in data.rglob("*"):
        os.chmod(path, 0o400)
    os.chmod(data, 0o500)
    return user


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder every user can reach (pytest's own is its owner's only), for the child."""
    with tempfile.TemporaryDirectory(prefix="caselens-ro-") as name:
        os.chmod(name, 0o755)
        yield Path(name)


def test_a_read_only_data_dir_is_one_line_and_verify_says_cannot_read(
    open_folder: Path, make_record
) -> None:
    data = open_folder / "data"
    store = CaseStore.open(f"sqlite:///{data / 'casestore.sqlite3'}")
    store.upsert_records([make_record("L1", text=NOTE)])
    seal = AuditSeal.open(data / "audit.key", data / "audit-checkpoints.jsonl")
    log = AuditLog(store.audit_rows, seal)
    log.append(user="ann", role="social_worker", action="record_view", question=NOTE[:200])
    store.close()
    estate = open_folder / "estate" / "LCS"
    estate.mkdir(parents=True)
    (estate / "records.jsonl").write_text(make_record("L2", text=NOTE).model_dump_json() + "\n")
    for path in (estate.parent, estate):
        os.chmod(path, 0o755)
    os.chmod(estate / "records.jsonl", 0o644)
    user = _readonly_user(data)
    try:
        ingest = _caselens(data, "ingest", str(estate.parent), user=user)
        assert ingest.returncode == 2
        line = _assert_one_clean_line(ingest)
        assert "cannot write" in line and str(data) in line
        verify = _caselens(data, "audit", "verify", user=user)
        assert verify.returncode == 2, verify.stdout + verify.stderr  # not 1: "tampered"
        assert "audit log cannot be read" in verify.stderr and str(data) in verify.stderr
        assert "Traceback" not in verify.stderr
    finally:
        os.chmod(data, 0o700)
        for path in data.rglob("*"):
            os.chmod(path, 0o600)


def test_indexing_on_a_nearly_full_disk_stops_with_a_message_not_a_bus_error(
    tmp_path: Path,
) -> None:
    """Qdrant Edge maps its WAL; writing it on a full disk killed the process with SIGBUS."""
    from api.cli_errors import describe
    from retrieval.index.edge import EdgeVectorStore

    folder = tmp_path / "index"
    needed = shutil.disk_usage(tmp_path).free + 2**40
    with pytest.raises(OSError) as caught:
        EdgeVectorStore(folder, 8, min_free_bytes=needed)
    assert not folder.exists()  # refused before Edge created (and mapped) anything
    line, code = describe(caught.value, lambda: "the case store")
    assert code == 2 and line.startswith(f"caselens: no space left writing {folder} (")


def test_a_database_error_quoting_a_note_prints_only_its_class(tmp_path: Path, make_record):
    """SQLAlchemy puts the failed statement's parameters in its message (F5 printed them)."""
    from sqlalchemy import insert

    from api.cli_errors import describe
    from retrieval.store.rows import record_values
    from retrieval.store.sql import RECORDS

    store = CaseStore.open(f"sqlite:///{tmp_path / 'cs.sqlite3'}")
    record = make_record("L1", text=NOTE)
    store.upsert_records([record])
    values = record_values(record)
    with pytest.raises(Exception) as caught, store.engine.begin() as conn:
        conn.execute(insert(RECORDS).values(**{**values, "original": {"text": NOTE}}))
    assert "Zebedee-Okafor" in str(caught.value)  # the library message quotes the note
    line, code = describe(caught.value, lambda: str(tmp_path / "cs.sqlite3"))
    assert code == 1 and line.startswith("caselens: failed with IntegrityError")
    assert not any(value in line for value in IDENTIFIERS)
    store.close()


def test_an_os_error_without_a_file_name_names_the_data_dir_not_the_store() -> None:
    import errno

    from api.cli_errors import describe

    full = OSError(errno.ENOSPC, "No space left on device")
    line, code = describe(full, lambda: "/d/casestore.sqlite3", lambda: "the data dir /d")
    assert code == 2 and line.startswith("caselens: no space left writing the data dir /d")
