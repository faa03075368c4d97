"""The information-sharing policy: what may be processed by AI at all, and who may see what.

The policy is plain data (lists of systems, sensitivities, record types and tags) so the
retrieval layer can turn a role's rules straight into index filter conditions. It fails
closed: unknown keys, unknown roles or systems, empty permit lists, or a sealed/no-AI
permit are validation errors, and the service refuses to run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Sensitivity = Literal["standard", "restricted", "sealed"]

#: Tags whose meaning is "never process": they cannot be permitted by any policy file.
ALWAYS_EXCLUDED_TAGS: frozenset[str] = frozenset({"no_ai_processing"})


@dataclass(frozen=True)
class Decision:
    """Whether a record may be processed, and a short reason code safe to log and count."""

    permitted: bool
    reason: str


def _field(record: Any, name: str, default: Any = None) -> Any:
    """Read a field from a SourceRecord, an index payload dict or any object with attributes."""
    if isinstance(record, Mapping):
        return record.get(name, default)
    return getattr(record, name, default)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProcessingRules(_Strict):
    """Which records may enter the AI pipeline (redaction, index, LLM) at all."""

    #: Source system -> switched on (true) or off (false). Unlisted systems are refused.
    systems: dict[str, bool] = Field(min_length=1)
    sensitivities: list[Sensitivity] = Field(min_length=1)
    excluded_record_types: list[str] = Field(default_factory=list)
    excluded_policy_tags: list[str] = Field(default_factory=list)

    @field_validator("sensitivities")
    @classmethod
    def _never_sealed(cls, value: list[Sensitivity]) -> list[Sensitivity]:
        if "sealed" in value:
            raise ValueError("sealed records can never be permitted for AI processing")
        return value

    @field_validator("excluded_policy_tags")
    @classmethod
    def _no_ai_tag_excluded(cls, value: list[str]) -> list[str]:
        missing = ALWAYS_EXCLUDED_TAGS - set(value)
        if missing:
            raise ValueError(f"must exclude the tag(s) {sorted(missing)}")
        return value

    @model_validator(mode="after")
    def _something_enabled(self) -> ProcessingRules:
        if not any(self.systems.values()):
            raise ValueError("no source system is enabled: nothing could be processed")
        return self

    @property
    def enabled_systems(self) -> list[str]:
        return sorted(s for s, on in self.systems.items() if on)


class RoleRules(_Strict):
    """What one role may see, as written in the policy file."""

    description: str = ""
    #: Empty only for a role that sees no records at all (a data steward who reviews linkage).
    systems: list[str] = Field(default_factory=list)
    sensitivities: list[Sensitivity] = Field(default_factory=list)
    excluded_record_types: list[str] = Field(default_factory=list)
    #: True: only subjects on the user's caseload (the caseload comes from the principal).
    caseload_scoped: bool = True
    #: True: may decide clerical-review pairs of record linkage (``caselens link review``,
    #: ``/link/review``): sees the pairs' evidence in words, never a record.
    reviews_linkage: bool = False

    @model_validator(mode="after")
    def _sees_something_or_reviews(self) -> RoleRules:
        # Fail closed: an empty list is a mistake, except for a role that reads no record.
        if not self.reviews_linkage and not (self.systems and self.sensitivities):
            raise ValueError("a role needs systems and sensitivities (at least one each)")
        return self


@dataclass(frozen=True)
class RolePolicy:
    """The effective, resolved rules for one role: plain data, ready to become filters.

    ``may_see`` applies the processing rules too, so a record the pipeline may not
    process is never visible, whichever role asks.
    """

    name: str
    systems: frozenset[str]
    sensitivities: frozenset[str]
    excluded_record_types: frozenset[str]
    excluded_policy_tags: frozenset[str]
    caseload_scoped: bool
    reviews_linkage: bool = False

    @property
    def does_case_work(self) -> bool:
        """Works with children and families on a caseload: someone a worker can be told to
        ask about a record (not an auditor, an evaluator or a linkage reviewer)."""
        return self.caseload_scoped and not self.reviews_linkage

    def may_see(self, record: Any) -> bool:
        """``record`` is a SourceRecord, an index payload mapping or any object with fields."""
        if _field(record, "source_system") not in self.systems:
            return False
        if _field(record, "sensitivity", "standard") not in self.sensitivities:
            return False
        if _field(record, "record_type") in self.excluded_record_types:
            return False
        tags = _field(record, "policy_tags") or []
        return not any(tag in self.excluded_policy_tags for tag in tags)


class InformationSharingPolicy(_Strict):
    """The whole policy file. Load it with ``InformationSharingPolicy.load(path)``."""

    version: Literal[1]
    name: str = "information-sharing policy"
    processing: ProcessingRules
    roles: dict[str, RoleRules] = Field(min_length=1)
    #: Record type -> the only roles that may see it (e.g. CAMHS clinical detail).
    restricted_record_types: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _references_resolve(self) -> InformationSharingPolicy:
        for role_name, rules in self.roles.items():
            unknown = sorted(set(rules.systems) - set(self.processing.systems))
            if unknown:
                raise ValueError(f"role {role_name!r} names unknown source systems {unknown}")
            if "sealed" in rules.sensitivities:
                raise ValueError(f"role {role_name!r}: sealed records are never shown")
        for record_type, role_names in self.restricted_record_types.items():
            if not role_names:
                raise ValueError(f"restricted_record_types.{record_type} lists no roles")
            unknown = sorted(set(role_names) - set(self.roles))
            if unknown:
                raise ValueError(
                    f"restricted_record_types.{record_type} names unknown roles {unknown}"
                )
        return self

    @classmethod
    def load(cls, path: str | Any) -> InformationSharingPolicy:
        from retrieval.policy.loader import load_policy

        return load_policy(path)

    def permits_processing(self, record: Any) -> Decision:
        """May this record be redacted, indexed and shown to a model? Fails closed.

        Reason codes name the rule, never the record's content, e.g. ``sensitivity:sealed``.
        """
        rules = self.processing
        by_system = self.permits_system(_field(record, "source_system"))
        if not by_system.permitted:
            return by_system
        sensitivity = _field(record, "sensitivity", "standard")
        if sensitivity not in rules.sensitivities:
            return Decision(False, f"sensitivity:{sensitivity}")
        for tag in _field(record, "policy_tags") or []:
            if tag in rules.excluded_policy_tags:
                return Decision(False, f"policy_tag:{tag}")
        record_type = _field(record, "record_type")
        if record_type in rules.excluded_record_types:
            return Decision(False, f"record_type:{record_type}")
        return Decision(True, "permitted")

    def permits_system(self, system: str) -> Decision:
        """May anything from this source system be processed (its people included)?"""
        if system not in self.processing.systems:
            return Decision(False, f"system_not_in_policy:{system}")
        if not self.processing.systems[system]:
            return Decision(False, f"system_disabled:{system}")
        return Decision(True, "permitted")

    def role(self, name: str) -> RolePolicy:
        """The resolved rules of a role; an unknown role is an error (fail closed)."""
        if name not in self.roles:
            raise KeyError(f"unknown role {name!r}; the policy defines {sorted(self.roles)}")
        rules = self.roles[name]
        enabled = set(self.processing.enabled_systems)
        hidden_types = set(rules.excluded_record_types) | set(self.processing.excluded_record_types)
        hidden_types |= {
            t for t, roles in self.restricted_record_types.items() if name not in roles
        }
        return RolePolicy(
            name=name,
            systems=frozenset(set(rules.systems) & enabled),
            sensitivities=frozenset(set(rules.sensitivities) & set(self.processing.sensitivities)),
            excluded_record_types=frozenset(hidden_types),
            excluded_policy_tags=frozenset(self.processing.excluded_policy_tags),
            caseload_scoped=rules.caseload_scoped,
            reviews_linkage=rules.reviews_linkage,
        )

    @property
    def role_names(self) -> list[str]:
        return sorted(self.roles)
