"""Leak scanner: planted identifiers in logs and exports are found, located, typed and masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redaction.leaks import LeakScanner, PathTarget, mask
from retrieval.records import Person

#: The planted person's raw values: none of them may ever appear in a report.
RAW_VALUES = (
    "Mary Ellison",
    "MARY ELLISON",
    "Ellison, Mary",
    "9434765919",
    "943 476 5919",
    "07700 900123",
    "+44 7700 900 123",
    "mary.ellison@example.net",
    "12th March 2015",
    "12/03/2015",
    "14 Orchard Road",
    "14 Orchard Rd",
    "LS6 2AB",
    "LS62AB",
    "QQ 12 34 56 C",
)


@pytest.fixture
def person(make_person) -> Person:
    return make_person(
        "LCS-P1",
        "LCS",
        given_name="Mary",
        family_name="Ellison",
        known_as=["Molly"],
        dob="2015-03-12",
        identifiers={"nhs_number": "9434765919", "upn": "A123456789012", "ni_number": "QQ123456C"},
        address={"line1": "14 Orchard Road", "town": "Oldcastle", "postcode": "LS6 2AB"},
        phone="07700 900123",
        email="mary.ellison@example.net",
    )


@pytest.fixture
def scanner(person: Person, make_person) -> LeakScanner:
    # A second person whose given name is an everyday word, and one with an apostrophe.
    will = make_person(
        "EHM-9", "EHM", given_name="Will", family_name="Tanaka", known_as=["Bill"], dob="1990-01-01"
    )
    obrien = make_person("EHM-7", "EHM", given_name="Siobhan", family_name="O'Brien")
    return LeakScanner.from_people([person, will, obrien])


@pytest.fixture
def leaky_files(tmp_path: Path) -> Path:
    root = tmp_path / "exports"
    root.mkdir()
    (root / "app.log").write_text(
        "INFO request served in 12ms\n"
        "INFO answer built subject=MARY ELLISON role=social_worker\n"
        "DEBUG lookup nhs=943 476 5919 ok\n"
        "DEBUG callback +44 7700 900 123 requested\n"
        "WARN bounce for mary.ellison@example.net\n"
        "INFO prompt: child DOB: 12th March 2015, attends school\n"
        "INFO done\n",
        encoding="utf-8",
    )
    rows = [
        {"id": 1, "note": "No identifiers here, only [Child 1] and [Mother]."},
        {"id": 2, "note": "Seen Ellison, Mary at 14 Orchard Rd, LS62AB", "dob": "12/03/2015"},
        {"id": 3, "ni": "QQ 12 34 56 C"},
    ]
    (root / "export.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    (root / "image.bin").write_bytes(b"\x00\x01Mary Ellison")  # binary: skipped
    return root


def _found(scanner: LeakScanner, target: PathTarget) -> set[tuple[str, str, str]]:
    report = scanner.scan([target])
    return {(h.location, h.kind, h.strength) for h in report.hits}


def test_planted_identifiers_found_with_location_kind_and_mask(
    scanner: LeakScanner, leaky_files: Path
) -> None:
    report = scanner.scan([PathTarget([leaky_files])])
    found = {(Path(h.location).name, h.kind, h.strength) for h in report.hits}
    assert found == {
        ("app.log:2", "full_name", "strong"),
        ("app.log:3", "nhs_number", "strong"),
        ("app.log:4", "phone", "strong"),
        ("app.log:5", "email", "strong"),
        ("app.log:6", "dob", "strong"),
        ("export.jsonl:2", "full_name", "strong"),
        ("export.jsonl:2", "address", "strong"),
        ("export.jsonl:2", "postcode", "strong"),
        ("export.jsonl:2", "dob", "strong"),  # a "dob" field is a birth cue
        ("export.jsonl:3", "ni_number", "strong"),
    }
    assert report.strong == 10 and report.weak == 0 and not report.clean
    assert {h.owners for h in report.hits} == {("LCS:LCS-P1",)}
    assert report.by_kind[("full_name", "strong")] == 2
    masked = {h.kind: h.masked for h in report.hits if "app.log" in h.location}
    assert masked["full_name"] == "M*** E******"
    assert masked["phone"] == "+44 **** *** 123"
    assert masked["email"] == "m***.*******@e******.net"
    dumped = json.dumps(report.to_dict())
    for raw in RAW_VALUES:
        assert raw.lower() not in dumped.lower()


def test_clean_file_has_no_hits(scanner: LeakScanner, tmp_path: Path) -> None:
    clean = tmp_path / "trace.jsonl"
    clean.write_text(
        json.dumps({"prompt": "[Child 1] was seen by the [Social Worker] on 2024-05-04."})
        + "\nINFO 2 records, 0.4s, ids LCS-R1 LCS-R2\n"
    )
    report = scanner.scan([PathTarget([clean])])
    assert report.hits == [] and report.clean and report.texts == 2


def test_single_names_are_weak_and_case_sensitive(scanner: LeakScanner) -> None:
    hits = scanner.find("Mary attended. mary-go-round. Ellison family visited.")
    assert [(h.kind, h.strength, h.column) for h in hits] == [
        ("given_name", "weak", 1),
        ("family_name", "weak", 31),
    ]
    # An everyday-word given name is not searched alone; the full name still is.
    assert scanner.find("Will attend the meeting.") == []
    assert [h.kind for h in scanner.find("Seen WILL TANAKA today")] == ["full_name"]
    assert scanner.find("Bill paid.") == []
    assert [h.kind for h in scanner.find("Bill Tanaka paid.")] == ["full_name"]
    # A known-as name is the person's own alias: strong.
    assert [(h.kind, h.strength) for h in scanner.find("Molly said no")] == [("known_as", "strong")]


def test_dates_are_strong_only_after_a_birth_cue(scanner: LeakScanner) -> None:
    bare = scanner.find("Meeting held on 12 Mar 15 at school")
    assert [(h.kind, h.strength) for h in bare] == [("dob", "weak")]
    for cue in ("born 12.03.2015", "d.o.b. 2015-03-12", "date of birth: March 12, 2015"):
        assert [(h.kind, h.strength) for h in scanner.find(cue)] == [("dob", "strong")], cue


def test_word_boundaries_and_overlaps(scanner: LeakScanner) -> None:
    assert scanner.find("Maryellison ELLISONS 19434765919 9434765919X") == []
    assert scanner.find("write to anne.mary.ellison@example.net") == []
    # The full name hides its parts: one hit, not three.
    assert len(scanner.find("Mary Ellison")) == 1
    # Digits-only phone matching whatever the spacing; a longer number is not a match.
    assert [h.kind for h in scanner.find("tel 0770 090 0123.")] == ["phone"]
    assert scanner.find("tel 077009001234") == []


def test_escaped_names_in_json_and_html_are_found(scanner: LeakScanner, tmp_path: Path) -> None:
    (tmp_path / "t.jsonl").write_text(json.dumps({"q": "about Siobhan O\u2019Brien"}) + "\n")
    (tmp_path / "p.html").write_text("<p>Siobhan O&#39;Brien</p>\n")
    found = _found(scanner, PathTarget([tmp_path]))
    assert {(Path(loc).name, kind) for loc, kind, _ in found} == {
        ("t.jsonl:1", "full_name"),
        ("p.html:1", "full_name"),
    }


def test_the_street_alone_is_an_address_leak(scanner: LeakScanner, tmp_path: Path) -> None:
    (tmp_path / "index.jsonl").write_text('{"text": "[Child 1] moved from Orchard Rd in May"}\n')
    assert {kind for _, kind, _ in _found(scanner, PathTarget([tmp_path]))} == {"address"}


def test_masks_hide_the_value() -> None:
    assert mask("Mary Ellison", "full_name") == "M*** E******"
    assert mask("07700 900123", "phone") == "07*** ***123"
    assert mask("LS6 2AB", "postcode") == "LS* ***"
    assert mask("12/03/2015", "dob") == "**/**/**15"
    assert mask("QQ123456C", "ni_number") == "Q******6C"


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        PathTarget([tmp_path / "nope.log"])


# --- the command line ---------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, person: Person) -> Path:
    from retrieval.store import CaseStore

    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("CASELENS_PROFILE", "test")
    monkeypatch.setenv("CASELENS_DATA_DIR", str(data))
    with CaseStore.open(f"sqlite:///{data / 'casestore.sqlite3'}") as store:
        store.upsert_people([person])
    (data / "logs").mkdir()
    (data / "logs" / "api.log").write_text("INFO ok\n")
    return data


def _run(*args: str):
    from api.cli import app

    return CliRunner().invoke(app, ["leaks", "scan", *args])


def test_cli_default_scan_is_clean_then_fails_on_a_planted_leak(data_dir: Path) -> None:
    result = _run("--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["clean"] and report["texts"] >= 1
    assert any(t.endswith("logs)") for t in report["targets"])

    (data_dir / "logs" / "api.log").write_text("INFO ok\nERROR failed for 943-476-5919\n")
    result = _run()
    assert result.exit_code == 1
    assert "nhs_number" in result.stdout and "api.log:2" in result.stdout
    assert "94*-***-*919" in result.stdout
    assert "943-476-5919" not in result.stdout


def test_cli_path_option_and_errors(data_dir: Path, leaky_files: Path, tmp_path: Path) -> None:
    result = _run("--path", str(leaky_files / "export.jsonl"), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["strong"] == 5 and len(report["targets"]) == 1
    for raw in RAW_VALUES:
        assert raw.lower() not in result.stdout.lower()

    assert _run("--path", str(tmp_path / "missing.log")).exit_code == 2


def test_cli_refuses_without_people(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASELENS_PROFILE", "test")
    monkeypatch.setenv("CASELENS_DATA_DIR", str(tmp_path / "empty"))
    result = _run()
    assert result.exit_code == 2
    assert "no people" in result.output


def test_index_payloads_are_scanned_point_by_point(scanner: LeakScanner, tmp_path: Path) -> None:
    """A raw name that slipped into a Qdrant Edge payload is found at its point and field."""
    import uuid

    from redaction.leaks import IndexPayloadTarget
    from retrieval.index.edge import EdgeVectorStore
    from retrieval.index.sparse import SparseVec
    from retrieval.index.store import IndexPoint

    store = EdgeVectorStore(tmp_path / "index", 4)
    clean_id, leaky_id = str(uuid.uuid4()), str(uuid.uuid4())
    sparse = SparseVec((1,), (1.0,))
    store.upsert(
        [
            IndexPoint(clean_id, [0.1, 0.2, 0.3, 0.4], sparse, {"text": "[Mother] attended."}),
            IndexPoint(
                leaky_id,
                [0.4, 0.3, 0.2, 0.1],
                sparse,
                {"text": "Seen at home.", "title": "Visit to Mary Ellison"},
            ),
        ]
    )
    store.flush()
    report = scanner.scan([IndexPayloadTarget(store)])
    strong = [(h.location, h.kind) for h in report.hits if h.strength == "strong"]
    assert strong == [(f"index:{leaky_id}:title", "full_name")]
    assert report.strong == 1
    store.close()


# --- URL-encoded values and Word exports (issue 15, F6 and the .docx finding) -------------


def test_url_encoded_identifiers_in_access_logs_are_found(
    scanner: LeakScanner, tmp_path: Path
) -> None:
    (tmp_path / "access.log").write_text(
        '127.0.0.1 "GET /subjects?q=Mary%20Ellison HTTP/1.1" 200\n'
        '127.0.0.1 "GET /subjects?q=Mary+Ellison&role=x HTTP/1.1" 200\n'
        '127.0.0.1 "POST /chat?purpose=check%20nhs%20943%20476%205919" 200\n'
        '127.0.0.1 "GET /r?email=mary.ellison%40example.net" 200\n'
        '127.0.0.1 "GET /r?q=Mary%2520Ellison" 200\n'
        "callback +44 7700 900 123 requested\n"
        '127.0.0.1 "GET /subjects?q=%5BChild%201%5D" 200\n',
        encoding="utf-8",
    )
    found = {(Path(loc).name, kind) for loc, kind, _ in _found(scanner, PathTarget([tmp_path]))}
    assert found == {
        ("access.log:1", "full_name"),
        ("access.log:2", "full_name"),
        ("access.log:3", "nhs_number"),
        ("access.log:4", "email"),
        ("access.log:5", "full_name"),
        ("access.log:6", "phone"),
    }


def _docx(path: Path) -> Path:
    from docx import Document

    document = Document()
    paragraph = document.add_paragraph("Draft for ")
    paragraph.add_run("Ma")  # Word splits text into runs; the name spans two
    paragraph.add_run("ry Ellison").bold = True
    document.add_table(rows=1, cols=1).cell(0, 0).text = "NHS 943 476 5919"
    document.add_paragraph("Needs: [Child 1] benefits from visual timetables.")
    document.core_properties.author = "Mary Ellison"
    document.save(str(path))
    return path


def test_word_exports_are_scanned_body_tables_and_properties(
    scanner: LeakScanner, tmp_path: Path
) -> None:
    _docx(tmp_path / "ehcp-draft.docx")
    report = scanner.scan([PathTarget([tmp_path])])
    where = {(h.location.split(":")[1], h.kind) for h in report.hits}
    assert ("word/document.xml", "full_name") in where
    assert ("word/document.xml", "nhs_number") in where
    assert ("docProps/core.xml", "full_name") in where
    assert not report.clean
    assert "Ellison" not in json.dumps(report.to_dict())


def test_cli_default_scan_covers_a_word_export_in_the_data_dir(data_dir: Path) -> None:
    assert _run().exit_code == 0
    _docx(data_dir / "ehcp-draft.docx")
    result = _run("--json")
    assert result.exit_code == 1
    assert any("ehcp-draft.docx" in h["location"] for h in json.loads(result.stdout)["hits"])
