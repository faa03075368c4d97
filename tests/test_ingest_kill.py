"""An ingest process killed with SIGKILL, then re-run, equals one clean ingest."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from api.settings import default_policy_path
from retrieval.store import CaseStore

# Runs ingest in a child process and SIGKILLs itself: after a committed batch ("batch")
# or in the middle of a transaction, after some row inserts ("statement").
CHILD = r"""
import os, signal, sys
from pathlib import Path
from sqlalchemy import event
from retrieval.ingest import Ingestor
from retrieval.policy import load_policy
from retrieval.store import CaseStore

url, policy_path, estate, qdir, mode, when = sys.argv[1:7]
when = int(when)
store = CaseStore.open(url)
state = {"n": 0}

def after_batch(number):
    if mode == "batch" and number == when:
        os.kill(os.getpid(), signal.SIGKILL)

@event.listens_for(store.engine, "after_execute")
def after_execute(conn, clauseelement, multiparams, params, execution_options, result):
    if mode == "statement" and "INSERT INTO source_records" in str(clauseelement):
        state["n"] += 1
        if state["n"] == when:
            os.kill(os.getpid(), signal.SIGKILL)

Ingestor(store, load_policy(policy_path), Path(qdir), batch_size=7,
         after_batch=after_batch).ingest(Path(estate))
"""


@pytest.fixture
def estate(tmp_path: Path, make_record, make_person) -> Path:
    root = tmp_path / "estate" / "extracts"
    for system, prefix in (("LCS", "L"), ("POLICE", "P"), ("SEND", "S")):
        (root / system).mkdir(parents=True)
        people = [make_person(f"{prefix}-{i}", system) for i in range(5)]
        records = [
            make_record(f"{prefix}{i}", system, person_ids=[f"{prefix}-{i % 5}"]) for i in range(30)
        ]
        records.append(make_record(f"{prefix}-sealed", system, sensitivity="sealed"))
        for name, items in (("people", people), ("records", records)):
            text = "\n".join(x.model_dump_json() for x in items) + "\n"
            (root / system / f"{name}.jsonl").write_text(text)
    return root.parent


def _run_child(tmp_path: Path, url: str, estate: Path, mode: str, when: int) -> int:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    args = [url, str(default_policy_path()), str(estate), str(tmp_path / "q"), mode, str(when)]
    proc = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=120
    )
    return proc.returncode


def _contents(store: CaseStore) -> str:
    records = sorted(r.model_dump_json() for r in store.iter_records())
    people = sorted(p.model_dump_json() for p in store.iter_people())
    return json.dumps([records, people])


# batch 5 = the people batch + 4 record batches of 7 committed; statement 4 = killed inside
# the 4th record batch's transaction, so only the 3 batches before it are stored.
@pytest.mark.parametrize(("mode", "when", "committed"), [("batch", 5, 28), ("statement", 4, 21)])
def test_sigkill_then_rerun_matches_clean_ingest(tmp_path, estate, mode, when, committed) -> None:
    clean_url = f"sqlite:///{tmp_path / 'clean.sqlite3'}"
    assert _run_child(tmp_path, clean_url, estate, "none", 0) == 0
    killed_url = f"sqlite:///{tmp_path / 'killed.sqlite3'}"
    assert _run_child(tmp_path, killed_url, estate, mode, when) == -signal.SIGKILL

    killed = CaseStore.open(killed_url)
    assert killed.count_records() == committed
    assert killed.list_runs()[0].status == "running"  # the killed run never finished
    assert _run_child(tmp_path, killed_url, estate, "none", 0) == 0
    clean = CaseStore.open(clean_url)
    assert killed.count_records() == clean.count_records() == 90
    assert killed.count_people() == clean.count_people() == 15
    assert _contents(killed) == _contents(clean)
    assert killed.list_runs()[0].status == "succeeded"
    killed.close()
    clean.close()
