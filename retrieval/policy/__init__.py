"""The information-sharing policy: which records AI may process, and which roles see what."""

from retrieval.policy.loader import PolicyError, load_policy
from retrieval.policy.model import (
    Decision,
    InformationSharingPolicy,
    ProcessingRules,
    RolePolicy,
    RoleRules,
)

__all__ = [
    "Decision",
    "InformationSharingPolicy",
    "PolicyError",
    "ProcessingRules",
    "RolePolicy",
    "RoleRules",
    "load_policy",
]
