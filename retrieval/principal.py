"""Who is asking: user, role, caseload and an optional break-glass reason.

Retrieval builds its permission filter from a Principal and the policy only, never from
the question text. Users come from a small YAML file (``settings.users_path``):

    users:
      alice:
        role: family_worker
        caseload: [FAM-0123abcd4567, LP-89ab01cd23ef]   # family or linked person ids
        token_hash: "scrypt$16384$8$1$<salt>$<hash>"   # optional: hashed API token

``token_hash`` (optional) is a salted scrypt hash of the user's API token, written by
``caselens users``; the token itself is never stored (see ``api.app.tokens``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from retrieval.files import warn_if_shared

FAMILY_PREFIX = "FAM-"
PERSON_PREFIX = "LP-"


class UnknownUserError(KeyError):
    """The user is not in the users file (fail closed: no principal, no search)."""


@dataclass(frozen=True)
class Principal:
    """The person searching. ``caseload_*`` are the subjects they have a legitimate tie to."""

    user: str
    role: str
    caseload_people: frozenset[str] = frozenset()
    caseload_families: frozenset[str] = frozenset()
    #: A recorded reason to look beyond the caseload (goes to the audit log).
    break_glass_reason: str | None = None

    def __post_init__(self) -> None:
        if not self.user or not self.role:
            raise ValueError("a principal needs a user and a role")
        if self.break_glass_reason is not None and not self.break_glass_reason.strip():
            raise ValueError("a break-glass reason must not be blank")

    @classmethod
    def with_caseload(
        cls, user: str, role: str, caseload: Iterable[str], break_glass_reason: str | None = None
    ) -> Principal:
        """Split caseload ids into families (``FAM-``) and linked people (``LP-``)."""
        people, families = split_caseload(caseload)
        return cls(user, role, people, families, break_glass_reason)

    def breaking_glass(self, reason: str) -> Principal:
        return Principal(self.user, self.role, self.caseload_people, self.caseload_families, reason)


def split_caseload(ids: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(people, families) from mixed ids; an id of neither kind is an error."""
    people: set[str] = set()
    families: set[str] = set()
    for raw in ids:
        ident = str(raw).strip()
        if ident.startswith(FAMILY_PREFIX):
            families.add(ident)
        elif ident.startswith(PERSON_PREFIX):
            people.add(ident)
        else:
            raise ValueError(
                f"caseload id {ident!r} is neither a family ({FAMILY_PREFIX}…) "
                f"nor a linked person ({PERSON_PREFIX}…)"
            )
    return frozenset(people), frozenset(families)


@dataclass(frozen=True)
class UserDirectory:
    """The users file, parsed: user name -> role and caseload."""

    users: Mapping[str, Principal]
    #: user -> salted hash of their API token (only users who have one).
    token_hashes: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> UserDirectory:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"users file not found: {path}")
        warn_if_shared(path)
        return cls.parse(yaml.safe_load(path.read_text(encoding="utf-8")) or {})

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> UserDirectory:
        unknown = set(data) - {"users"}
        if unknown:
            raise ValueError(f"users file: unknown top-level keys {sorted(unknown)}")
        users: dict[str, Principal] = {}
        token_hashes: dict[str, str] = {}
        for name, entry in (data.get("users") or {}).items():
            if not isinstance(entry, Mapping) or "role" not in entry:
                raise ValueError(f"users file: user {name!r} needs a role")
            extra = set(entry) - {"role", "caseload", "token_hash"}
            if extra:
                raise ValueError(f"users file: user {name!r} has unknown keys {sorted(extra)}")
            users[str(name)] = Principal.with_caseload(
                str(name), str(entry["role"]), entry.get("caseload") or []
            )
            if entry.get("token_hash"):
                token_hashes[str(name)] = str(entry["token_hash"])
        return cls(users, token_hashes)

    def principal(self, user: str, break_glass_reason: str | None = None) -> Principal:
        if user not in self.users:
            raise UnknownUserError(f"unknown user {user!r}")
        found = self.users[user]
        return found.breaking_glass(break_glass_reason) if break_glass_reason else found
