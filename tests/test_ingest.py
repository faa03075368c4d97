"""Ingestion into a real SQLite case store: counts, quarantine, policy, snapshots, resume."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from retrieval.ingest import IngestError, Ingestor
from retrieval.store import CaseStore


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    """Write dicts/models as JSON lines; strings are written as they are (bad lines)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = []
    for line in lines:
        if isinstance(line, str):
            out.append(line)
        elif isinstance(line, dict):
            out.append(json.dumps(line))
        else:
            out.append(line.model_dump_json())
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def make_ingestor(store: CaseStore, policy, tmp_path: Path, **kwargs: Any) -> Ingestor:
    kwargs.setdefault("batch_size", 3)
    return Ingestor(store, policy, quarantine_dir=tmp_path / "quarantine", **kwargs)


@pytest.fixture
def estate(tmp_path: Path, make_record, make_person) -> Path:
    """A small two-system estate: 7 LCS records, 2 SCHOOL records, people in both."""
    root = tmp_path / "estate"
    write_jsonl(
        root / "extracts/LCS/people.jsonl",
        [make_person("LCS-P1"), make_person("LCS-P2", given_name="Jo")],
    )
    write_jsonl(
        root / "extracts/LCS/records.jsonl",
        [make_record(f"L{i}", person_ids=["LCS-P1"]) for i in range(7)],
    )
    write_jsonl(
        root / "extracts/SCHOOL/people.jsonl",
        [make_person("SCH-1", source_system="SCHOOL")],
    )
    write_jsonl(
        root / "extracts/SCHOOL/records.jsonl",
        [
            make_record("S1", source_system="SCHOOL", person_ids=["SCH-1"]),
            make_record("S2", source_system="SCHOOL", person_ids=["SCH-1"]),
        ],
    )
    return root


def counts(report, system: str, kind: str = "records") -> dict[str, Any]:
    return report.to_dict()["systems"][system][kind]


def test_first_ingest_inserts_everything(case_store, default_policy, estate, tmp_path) -> None:
    report = make_ingestor(case_store, default_policy, tmp_path).ingest(estate)
    assert counts(report, "LCS")["read"] == 7 and counts(report, "LCS")["inserted"] == 7
    assert counts(report, "SCHOOL")["inserted"] == 2
    assert counts(report, "LCS", "people")["inserted"] == 2
    assert case_store.count_records() == 9 and case_store.count_people() == 3
    assert report.quarantine_file is None
    run = case_store.get_run(report.run_id)
    assert run.status == "succeeded"
    assert run.counts["totals"]["records"]["inserted"] == 9


def test_extracts_folder_can_be_given_directly(case_store, default_policy, estate, tmp_path):
    report = make_ingestor(case_store, default_policy, tmp_path).ingest(estate / "extracts")
    assert report.totals().records.inserted == 9


def test_reingest_is_incremental(case_store, default_policy, estate, tmp_path, make_record):
    ingestor = make_ingestor(case_store, default_policy, tmp_path)
    ingestor.ingest(estate)
    lines = [make_record(f"L{i}", person_ids=["LCS-P1"]) for i in range(7)]
    lines[1] = make_record("L1", person_ids=["LCS-P1"], version=2, text="Amended.")
    del lines[2]  # L2 deleted at source
    lines.append(make_record("L9", person_ids=["LCS-P1"]))
    write_jsonl(estate / "extracts/LCS/records.jsonl", lines)
    report = ingestor.ingest(estate)
    lcs = counts(report, "LCS")
    assert (lcs["inserted"], lcs["updated"], lcs["unchanged"], lcs["deleted"]) == (1, 1, 5, 1)
    assert counts(report, "SCHOOL")["unchanged"] == 2
    assert case_store.get_record("LCS", "L2") is None
    assert case_store.get_record("LCS", "L1").text == "Amended."
    assert case_store.count_records(source_system="LCS") == 7


def test_a_system_missing_from_the_delivery_is_left_alone(
    case_store, default_policy, estate, tmp_path
) -> None:
    ingestor = make_ingestor(case_store, default_policy, tmp_path)
    ingestor.ingest(estate)
    (estate / "extracts/SCHOOL/records.jsonl").unlink()
    report = ingestor.ingest(estate)
    assert counts(report, "SCHOOL")["deleted"] == 0
    assert case_store.count_records(source_system="SCHOOL") == 2


def test_bad_lines_are_quarantined_and_the_rest_ingested(
    case_store, default_policy, tmp_path, make_record, caplog
) -> None:
    good = make_record("L1", text="Secret-ish synthetic text")
    missing_text = make_record("L2").model_dump(mode="json")
    del missing_text["text"]
    bad_url = {**make_record("L3").model_dump(mode="json"), "source_url": "Jane Doe's file"}
    path = write_jsonl(
        tmp_path / "x/LCS/records.jsonl",
        [good, '{"record_id": "L4", "text": "truncat', missing_text, "", bad_url, "[1, 2]"],
    )
    with caplog.at_level(logging.WARNING):
        report = make_ingestor(case_store, default_policy, tmp_path).ingest(path.parent.parent)
    lcs = counts(report, "LCS")
    assert (lcs["read"], lcs["inserted"], lcs["quarantined"]) == (5, 1, 4)
    entries = [json.loads(x) for x in report.quarantine_file.read_text().splitlines()]
    assert [(e["file"], e["line"]) for e in entries] == [
        ("LCS/records.jsonl", 2),
        ("LCS/records.jsonl", 3),
        ("LCS/records.jsonl", 5),
        ("LCS/records.jsonl", 6),
    ]
    assert entries[0]["errors"][0]["error"].startswith("invalid JSON")
    assert entries[1]["errors"] == [{"field": "text", "error": "Field required"}]
    assert entries[2]["errors"][0]["field"] == "source_url"
    assert "Jane Doe" in entries[2]["raw"]  # the raw line is kept, for the data steward
    # ...but values never reach errors or log lines.
    assert "Jane Doe" not in json.dumps([e["errors"] for e in entries])
    assert "Jane Doe" not in caplog.text and "truncat" not in caplog.text
    assert "LCS/records.jsonl line 5" in caplog.text
    assert oct(report.quarantine_file.stat().st_mode & 0o777) == "0o600"


def test_quarantined_line_with_readable_id_is_not_deleted(
    case_store, default_policy, estate, tmp_path
) -> None:
    ingestor = make_ingestor(case_store, default_policy, tmp_path)
    ingestor.ingest(estate)
    path = estate / "extracts/LCS/records.jsonl"
    lines = path.read_text().splitlines()
    broken_l3 = json.loads(lines[3])
    broken_l3["occurred_at"] = "not a date"
    lines[3] = json.dumps(broken_l3)
    lines[4] = lines[4][:40]  # truncated, id still readable
    lines[5] = "garbage without any id"
    path.write_text("\n".join(lines) + "\n")
    report = ingestor.ingest(estate)
    lcs = counts(report, "LCS")
    assert lcs["quarantined"] == 3
    # L5's line has no readable id: it might be L5, so no LCS record is deleted this run.
    assert (lcs["deleted"], lcs["deletions_held"]) == (0, 1)
    assert case_store.get_record("LCS", "L3") is not None
    assert case_store.get_record("LCS", "L4") is not None
    assert case_store.get_record("LCS", "L5") is not None
    # The operator who has checked the file allows the deletion.
    report = ingestor.ingest(estate, allow_deletions=True)
    assert (counts(report, "LCS")["deleted"], counts(report, "LCS")["deletions_held"]) == (1, 0)
    assert case_store.get_record("LCS", "L5") is None


def test_records_in_the_wrong_system_folder_are_quarantined(
    case_store, default_policy, tmp_path, make_record
) -> None:
    root = tmp_path / "x"
    write_jsonl(root / "LCS/records.jsonl", [make_record("L1"), make_record("E1", "EHM")])
    report = make_ingestor(case_store, default_policy, tmp_path).ingest(root)
    assert counts(report, "LCS")["quarantined"] == 1
    entry = json.loads(report.quarantine_file.read_text())
    assert entry["errors"][0]["field"] == "source_system"
    assert case_store.record_keys("EHM") == set()


def test_policy_skips_and_removes_records(
    case_store, default_policy, tmp_path, make_record, make_person
) -> None:
    root = tmp_path / "x"
    path = root / "LCS/records.jsonl"
    write_jsonl(
        path,
        [
            make_record("L1"),
            make_record("L2", sensitivity="sealed", policy_tags=["adoption"]),
            make_record("L3", policy_tags=["no_ai_processing"]),
            make_record("L4", sensitivity="restricted"),
            make_record("L5"),
        ],
    )
    ingestor = make_ingestor(case_store, default_policy, tmp_path)
    report = ingestor.ingest(root)
    lcs = counts(report, "LCS")
    assert lcs["inserted"] == 3
    assert lcs["skipped_by_policy"] == {"policy_tag:no_ai_processing": 1, "sensitivity:sealed": 1}
    assert case_store.get_record("LCS", "L2") is None
    # The source now marks L5 as not for AI processing: it is removed from the store.
    write_jsonl(
        path,
        [
            make_record("L1"),
            make_record("L4", sensitivity="restricted"),
            make_record("L5", policy_tags=["no_ai_processing"], version=2),
        ],
    )
    report = ingestor.ingest(root)
    lcs = counts(report, "LCS")
    assert (lcs["removed_by_policy"], lcs["deleted"], lcs["unchanged"]) == (1, 0, 2)
    assert case_store.record_keys("LCS") == {("LCS", "L1"), ("LCS", "L4")}


def test_disabled_system_people_and_records_are_not_kept(
    case_store, tmp_path, make_record, make_person
) -> None:
    import yaml

    from api.settings import default_policy_path
    from retrieval.policy import InformationSharingPolicy

    data = yaml.safe_load(default_policy_path().read_text())
    data["processing"]["systems"]["HOUSING"] = False
    policy_path = tmp_path / "policy.yaml"
    policy_path.write_text(yaml.safe_dump(data))
    policy = InformationSharingPolicy.load(policy_path)
    root = tmp_path / "x"
    write_jsonl(root / "HOUSING/people.jsonl", [make_person("H-1", "HOUSING")])
    write_jsonl(root / "HOUSING/records.jsonl", [make_record("H1", "HOUSING", person_ids=["H-1"])])
    report = make_ingestor(case_store, policy, tmp_path).ingest(root)
    assert counts(report, "HOUSING", "people")["skipped_by_policy"] == {
        "system_disabled:HOUSING": 1
    }
    assert case_store.count_records() == 0 and case_store.count_people() == 0


def test_snapshot_deletes_people_absent_from_it(
    case_store, default_policy, estate, tmp_path, make_person
) -> None:
    ingestor = make_ingestor(case_store, default_policy, tmp_path)
    ingestor.ingest(estate)
    write_jsonl(estate / "extracts/LCS/people.jsonl", [make_person("LCS-P1")])
    report = ingestor.ingest(estate)
    assert counts(report, "LCS", "people")["deleted"] == 1
    assert case_store.get_person("LCS", "LCS-P2") is None


def test_deletions_file_deletes_after_reading(case_store, default_policy, estate, tmp_path):
    ingestor = make_ingestor(case_store, default_policy, tmp_path)
    ingestor.ingest(estate)
    deletions = write_jsonl(
        tmp_path / "deletions.jsonl",
        [
            {"source_system": "SCHOOL", "record_id": "S1"},
            {"source_system": "LCS", "record_id": "L0"},
            {"source_system": "LCS", "record_id": "never-existed"},
            {"record_id": "no system"},
        ],
    )
    (estate / "extracts/LCS/records.jsonl").unlink()  # a delivery of SCHOOL only
    report = ingestor.ingest(estate, deletions=deletions)
    assert counts(report, "SCHOOL")["deleted"] == 1
    assert counts(report, "LCS")["deleted"] == 1
    assert report.deletions_quarantined == 1
    assert case_store.record_keys("SCHOOL") == {("SCHOOL", "S2")}
    assert case_store.count_records(source_system="LCS") == 6


def test_unusable_input_is_a_clear_error(case_store, default_policy, tmp_path) -> None:
    ingestor = make_ingestor(case_store, default_policy, tmp_path)
    with pytest.raises(IngestError, match="not a folder"):
        ingestor.ingest(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(IngestError, match="no <SYSTEM>"):
        ingestor.ingest(tmp_path / "empty")
    write_jsonl(tmp_path / "lower/lcs/records.jsonl", ["{}"])
    with pytest.raises(IngestError, match="not a source system code"):
        ingestor.ingest(tmp_path / "lower")
    write_jsonl(tmp_path / "ok/LCS/records.jsonl", ["{}"])
    with pytest.raises(IngestError, match="deletions file not found"):
        ingestor.ingest(tmp_path / "ok", deletions=tmp_path / "nope.jsonl")
    assert case_store.list_runs() == []  # refused before a run started


class _Interrupt(Exception):
    pass


def _snapshot(store: CaseStore) -> dict[str, Any]:
    records = {
        r.key: r.model_dump(mode="json") for s in ("LCS", "SCHOOL") for r in store.iter_records(s)
    }
    people = {p.key: p.model_dump(mode="json") for p in store.iter_people()}
    return {"records": records, "people": people}


def test_interrupted_ingest_resumes_without_duplicates_or_losses(
    default_policy, estate, tmp_path
) -> None:
    clean = CaseStore.open(f"sqlite:///{tmp_path / 'clean.sqlite3'}")
    make_ingestor(clean, default_policy, tmp_path, batch_size=2).ingest(estate)

    def stop_after_two(batch_number: int) -> None:
        if batch_number == 2:
            raise _Interrupt

    resumed = CaseStore.open(f"sqlite:///{tmp_path / 'resumed.sqlite3'}")
    interrupted = make_ingestor(
        resumed, default_policy, tmp_path, batch_size=2, after_batch=stop_after_two
    )
    with pytest.raises(_Interrupt):
        interrupted.ingest(estate)
    first_run = resumed.list_runs()[0]
    assert first_run.status == "failed" and first_run.error == "_Interrupt"
    assert 0 < resumed.count_records() + resumed.count_people() < 12
    report = make_ingestor(resumed, default_policy, tmp_path, batch_size=2).ingest(estate)
    assert report.totals().records.unchanged + report.totals().records.inserted == 9
    assert _snapshot(resumed) == _snapshot(clean)
    assert resumed.count_records() == 9 and resumed.count_people() == 3
    clean.close()
    resumed.close()


# --- nothing lost to bad input (issue 15, F10 and the ingest low findings) ---------------


def test_empty_snapshot_is_refused_and_nothing_is_deleted(
    case_store, default_policy, estate, tmp_path
) -> None:
    ingestor = make_ingestor(case_store, default_policy, tmp_path)
    ingestor.ingest(estate)
    (estate / "extracts/LCS/records.jsonl").write_text("")
    with pytest.raises(IngestError, match=r"LCS/records.jsonl holds 0 line.*--allow-deletions"):
        ingestor.ingest(estate)
    assert case_store.count_records(source_system="LCS") == 7
    assert case_store.list_runs()[0].status == "succeeded"  # refused before a run started
    report = ingestor.ingest(estate, allow_deletions=True)
    assert counts(report, "LCS")["deleted"] == 7
    assert case_store.count_records(source_system="LCS") == 0


def test_much_smaller_snapshot_is_refused_unless_allowed(
    case_store, default_policy, estate, tmp_path
) -> None:
    ingestor = make_ingestor(case_store, default_policy, tmp_path)
    ingestor.ingest(estate)
    path = estate / "extracts/LCS/records.jsonl"
    path.write_text("\n".join(path.read_text().splitlines()[:3]) + "\n")  # 3 of 7 lines
    with pytest.raises(IngestError, match="would delete up to 4"):
        ingestor.ingest(estate)
    assert case_store.count_records(source_system="LCS") == 7
    assert counts(ingestor.ingest(estate, allow_deletions=True), "LCS")["deleted"] == 4


def test_oversize_record_is_quarantined_and_the_stored_version_kept(
    case_store, default_policy, tmp_path, make_record
) -> None:
    path = write_jsonl(tmp_path / "x/LCS/records.jsonl", [make_record("L1"), make_record("L2")])
    ingestor = make_ingestor(case_store, default_policy, tmp_path, max_record_chars=1000)
    ingestor.ingest(path.parent.parent)
    huge = make_record("L2", version=2, text="Jane Doe said so. " * 100)
    write_jsonl(path, [make_record("L1"), huge])
    report = ingestor.ingest(path.parent.parent)
    assert counts(report, "LCS")["quarantined"] == 1 and counts(report, "LCS")["deleted"] == 0
    entry = json.loads(report.quarantine_file.read_text().splitlines()[0])
    assert entry["errors"] == [
        {"field": "text", "error": "longer than 1000 characters (the record limit)"}
    ]
    assert case_store.get_record("LCS", "L2").version == 1


def test_duplicate_ids_keep_the_newer_version_whatever_the_order(
    case_store, default_policy, tmp_path, make_record, caplog
) -> None:
    new, old = make_record("L1", version=3, text="Newer."), make_record("L1", version=2)
    later = make_record("L2", version=1, updated_at="2024-05-01T00:00:00Z", text="Later.")
    earlier = make_record("L2", version=1, updated_at="2024-04-01T00:00:00Z")
    path = write_jsonl(tmp_path / "x/LCS/records.jsonl", [new, later, old, earlier])
    with caplog.at_level(logging.WARNING):
        report = make_ingestor(case_store, default_policy, tmp_path).ingest(path.parent.parent)
    assert counts(report, "LCS")["duplicates"] == 2
    assert case_store.get_record("LCS", "L1").text == "Newer."
    assert case_store.get_record("LCS", "L2").text == "Later."
    assert "line 3 repeats the id of line 1" in caplog.text
    # The newer copy coming second replaces the older one.
    write_jsonl(path, [old, new])
    report = make_ingestor(case_store, default_policy, tmp_path).ingest(path.parent.parent)
    assert case_store.get_record("LCS", "L1").version == 3


def test_an_older_snapshot_never_reverts_a_stored_record(
    case_store, default_policy, tmp_path, make_record
) -> None:
    path = write_jsonl(tmp_path / "x/LCS/records.jsonl", [make_record("L1", version=5)])
    ingestor = make_ingestor(case_store, default_policy, tmp_path)
    ingestor.ingest(path.parent.parent)
    write_jsonl(path, [make_record("L1", version=4, text="Stale copy.")])
    report = ingestor.ingest(path.parent.parent)
    assert counts(report, "LCS")["older_versions"] == 1
    assert counts(report, "LCS")["deleted"] == 0
    assert case_store.get_record("LCS", "L1").version == 5


def test_a_run_left_running_by_a_killed_ingest_is_closed_by_the_next(
    case_store, default_policy, estate, tmp_path
) -> None:
    killed = case_store.start_run("/somewhere")  # a process died before finish_run
    report = make_ingestor(case_store, default_policy, tmp_path).ingest(estate)
    stale = case_store.get_run(killed)
    assert stale.status == "abandoned" and stale.finished_at is not None
    assert "killed" in stale.error
    assert case_store.get_run(report.run_id).status == "succeeded"


def test_two_ingests_take_turns_on_the_store_lock(
    case_store, default_policy, estate, tmp_path
) -> None:
    import threading

    waited = threading.Event()
    holder_in, release = threading.Event(), threading.Event()

    def hold() -> None:
        with case_store.ingest_lock():
            holder_in.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holder_in.wait(10)
    second = make_ingestor(case_store, default_policy, tmp_path, on_wait=waited.set)
    result: list[Any] = []
    runner = threading.Thread(target=lambda: result.append(second.ingest(estate)))
    runner.start()
    assert waited.wait(10)  # told it must wait...
    assert case_store.list_runs() == []  # ...and wrote nothing while waiting
    release.set()
    runner.join(30)
    holder.join(10)
    assert result and case_store.count_records() == 9
