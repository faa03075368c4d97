"""Information-sharing policy: default file, decisions, role visibility, fail-closed loading."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from api.backends import load_policy
from api.settings import default_policy_path, load_settings
from retrieval.policy import InformationSharingPolicy, PolicyError


def _default_data() -> dict:
    return yaml.safe_load(default_policy_path().read_text())


def _write(tmp_path: Path, data: dict | str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data))
    return path


def test_settings_default_policy_loads_with_the_expected_roles() -> None:
    policy = load_policy(load_settings())
    assert policy.role_names == [
        "auditor",
        "camhs_practitioner",
        "data_steward",
        "evaluator",
        "family_worker",
        "send_officer",
        "social_worker",
    ]


def test_processing_decisions_name_the_rule(default_policy, make_record) -> None:
    permits = default_policy.permits_processing
    assert permits(make_record()).permitted
    assert permits(make_record(sensitivity="restricted", record_type="camhs_clinical")).permitted
    sealed = permits(make_record(sensitivity="sealed"))
    assert (sealed.permitted, sealed.reason) == (False, "sensitivity:sealed")
    tagged = permits(make_record(policy_tags=["legal", "no_ai_processing"]))
    assert (tagged.permitted, tagged.reason) == (False, "policy_tag:no_ai_processing")
    assert permits(make_record(policy_tags=["adoption"])).reason == "policy_tag:adoption"
    assert (
        permits(make_record(record_type="adoption_record")).reason == "record_type:adoption_record"
    )
    unknown = permits(make_record(source_system="LIBRARY"))
    assert (unknown.permitted, unknown.reason) == (False, "system_not_in_policy:LIBRARY")


def test_a_system_can_be_switched_off(tmp_path: Path, make_record) -> None:
    data = _default_data()
    data["processing"]["systems"]["HOUSING"] = False
    policy = InformationSharingPolicy.load(_write(tmp_path, data))
    decision = policy.permits_processing(make_record(source_system="HOUSING"))
    assert (decision.permitted, decision.reason) == (False, "system_disabled:HOUSING")
    assert "HOUSING" not in policy.role("social_worker").systems
    assert not policy.role("social_worker").may_see(make_record(source_system="HOUSING"))


def test_roles_see_only_their_systems_and_sensitivities(default_policy, make_record) -> None:
    family_worker = default_policy.role("family_worker")
    social_worker = default_policy.role("social_worker")
    police = make_record(source_system="POLICE", record_type="incident")
    restricted = make_record(sensitivity="restricted")
    assert not family_worker.may_see(police) and social_worker.may_see(police)
    assert not family_worker.may_see(restricted) and social_worker.may_see(restricted)
    assert not family_worker.may_see(make_record(record_type="strategy_discussion"))
    assert family_worker.caseload_scoped and not default_policy.role("evaluator").caseload_scoped


def test_camhs_clinical_detail_only_for_camhs_practitioners(default_policy, make_record) -> None:
    clinical = make_record(
        source_system="HEALTH", record_type="camhs_clinical", sensitivity="restricted"
    )
    allowed = [
        name for name in default_policy.role_names if default_policy.role(name).may_see(clinical)
    ]
    assert allowed == ["camhs_practitioner"]


def test_may_see_accepts_index_payload_dicts(default_policy) -> None:
    role = default_policy.role("send_officer")
    payload = {"source_system": "SEND", "record_type": "advice_report", "sensitivity": "standard"}
    assert role.may_see(payload)
    assert not role.may_see({**payload, "policy_tags": ["no_ai_processing"]})
    assert not role.may_see({**payload, "source_system": "POLICE"})
    # Rules are plain data, ready to become index filter conditions.
    assert role.systems == frozenset({"SEND", "SCHOOL", "HEALTH", "EHM", "LCS"})
    assert "camhs_clinical" in role.excluded_record_types


def test_unknown_role_is_an_error(default_policy) -> None:
    with pytest.raises(KeyError, match="unknown role"):
        default_policy.role("headteacher")


def _broken(data: dict, change) -> dict:
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(extra_section=True), "extra_section"),
        (lambda d: d["roles"]["family_worker"].update(can_export=True), "can_export"),
        (lambda d: d["processing"].update(sensitivity=["standard"]), "sensitivity"),
        (
            lambda d: d["restricted_record_types"].update(camhs_clinical=["camhs_nurse"]),
            "camhs_nurse",
        ),
        (lambda d: d["roles"]["send_officer"].update(systems=["SEND", "SCHOOLS"]), "SCHOOLS"),
        (lambda d: d["roles"]["send_officer"].update(systems=[]), "systems"),
        (lambda d: d["processing"].update(systems={}), "systems"),
        (lambda d: d["processing"].update(sensitivities=[]), "sensitivities"),
        (lambda d: d["processing"]["sensitivities"].append("sealed"), "sealed"),
        (lambda d: d["roles"]["auditor"]["sensitivities"].append("sealed"), "sealed"),
        (lambda d: d["processing"].update(excluded_policy_tags=["adoption"]), "no_ai_processing"),
        (lambda d: d["processing"].update(systems={"LCS": False}), "no source system is enabled"),
        (lambda d: d.update(roles={}), "roles"),
        (lambda d: d.pop("processing"), "processing"),
        (lambda d: d.update(version=2), "version"),
    ],
)
def test_invalid_policies_fail_closed(tmp_path: Path, change, message: str) -> None:
    path = _write(tmp_path, _broken(_default_data(), change))
    with pytest.raises(PolicyError, match=message):
        InformationSharingPolicy.load(path)


def test_missing_empty_and_malformed_files_fail_closed(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="not found"):
        InformationSharingPolicy.load(tmp_path / "absent.yaml")
    with pytest.raises(PolicyError, match="empty"):
        InformationSharingPolicy.load(_write(tmp_path, ""))
    with pytest.raises(PolicyError, match="not valid YAML"):
        InformationSharingPolicy.load(_write(tmp_path, "roles: [unclosed"))


def test_duplicate_keys_are_rejected_not_silently_overwritten(tmp_path: Path) -> None:
    text = default_policy_path().read_text() + "\nroles:\n  auditor: {systems: [LCS]}\n"
    with pytest.raises(PolicyError, match="duplicate key 'roles'"):
        InformationSharingPolicy.load(_write(tmp_path, text))
