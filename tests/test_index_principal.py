"""Users file -> Principal, and subject parsing (both fail closed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.index import Subject
from retrieval.principal import Principal, UnknownUserError, UserDirectory


def test_users_file_gives_role_and_caseload(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    path.write_text("users:\n  ann:\n    role: family_worker\n    caseload: [FAM-1, LP-2]\n")
    ann = UserDirectory.load(path).principal("ann")
    assert ann.role == "family_worker"
    assert ann.caseload_families == {"FAM-1"} and ann.caseload_people == {"LP-2"}
    assert UserDirectory.load(path).principal("ann", "court order").break_glass_reason
    with pytest.raises(UnknownUserError):
        UserDirectory.load(path).principal("bob")


@pytest.mark.parametrize(
    "text",
    [
        "users:\n  ann:\n    caseload: [FAM-1]\n",
        "users:\n  ann:\n    role: x\n    caseload: [alice]\n",
        "users:\n  ann:\n    role: x\n    admin: true\n",
        "people: {}\n",
    ],
)
def test_bad_users_file_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "users.yaml"
    path.write_text(text)
    with pytest.raises(ValueError):
        UserDirectory.load(path)


def test_subject_and_principal_validation() -> None:
    assert Subject.parse("LP-abc") == Subject("person", "LP-abc")
    assert Subject.parse("FAM-abc").payload_key == "family_ids"
    for bad in ("Liam Atkinson", "LP-", ""):
        with pytest.raises(ValueError):
            Subject.parse(bad)
    with pytest.raises(ValueError):
        Principal("u", "social_worker", break_glass_reason="  ")
