"""Append-only, hash-chained audit log of every question, answer, record view and sign-off."""

from api.audit.chain import GENESIS_HASH, canonical_json, entry_hash
from api.audit.log import ACTIONS, AuditEntry, AuditError, AuditLog, VerifyReport, parse_month

__all__ = [
    "ACTIONS",
    "GENESIS_HASH",
    "AuditEntry",
    "AuditError",
    "AuditLog",
    "VerifyReport",
    "canonical_json",
    "entry_hash",
    "parse_month",
]
