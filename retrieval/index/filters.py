"""Backend-neutral filters, built only from the principal, the role policy and the subject.

Each vector store translates a ``FilterSpec`` into its own filter type, so the Edge and
server backends enforce exactly the same conditions.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.index.subject import Subject
from retrieval.policy.model import RolePolicy
from retrieval.principal import Principal


@dataclass(frozen=True)
class FieldMatch:
    """The payload field ``key`` holds (one of) ``values``."""

    key: str
    values: tuple[str | int, ...]

    def match_values(self) -> list[str] | list[int]:
        """The values as one list of one type: Qdrant matches all strings or all integers."""
        if all(isinstance(v, int) for v in self.values):
            return [int(v) for v in self.values]
        return [str(v) for v in self.values]


@dataclass(frozen=True)
class FieldRange:
    """The integer payload field ``key`` lies within ``gte``..``lte`` (either may be open)."""

    key: str
    gte: int | None = None
    lte: int | None = None


@dataclass(frozen=True)
class FilterSpec:
    """must: all hold; must_not: none holds; should: at least one holds (if any given)."""

    must: tuple[FieldMatch | FieldRange | FilterSpec, ...] = ()
    must_not: tuple[FieldMatch, ...] = ()
    should: tuple[FieldMatch, ...] = ()

    def and_(self, *conditions: FieldMatch | FieldRange | FilterSpec) -> FilterSpec:
        return FilterSpec(self.must + conditions, self.must_not, self.should)


#: Restrict counts to one point per record (chunk 0 carries the record's bookkeeping).
FIRST_CHUNK = FieldMatch("chunk_index", (0,))


def subject_filter(subject: Subject) -> FilterSpec:
    """Only the subject's records, whatever the role (used to count what is withheld)."""
    return FilterSpec(must=(FieldMatch(subject.payload_key, (subject.id,)),))


def permitted_filter(principal: Principal, role: RolePolicy, subject: Subject) -> FilterSpec | None:
    """The subject's records this principal may see; ``None`` when nothing can be permitted.

    Derived from the one permission rule, ``retrieval.index.scope.Scope`` (caseload-scoped
    roles see only records tied to a person or family on their caseload, unless a
    break-glass reason is recorded).
    """
    from retrieval.index.scope import Scope  # scope builds on this module's FilterSpec

    return Scope(principal, role, subject).record_filter()


def narrowing_filter(
    systems: tuple[str, ...] = (),
    record_types: tuple[str, ...] = (),
    occurred_from: int | None = None,
    occurred_to: int | None = None,
) -> FilterSpec | None:
    """Conditions a worker chose to narrow a question (source systems, record types, a
    range of ``occurred_ts``); ``None`` when nothing was chosen. Only ever AND-ed onto
    ``permitted_filter``, so it can remove records, never add one."""
    must: list[FieldMatch | FieldRange | FilterSpec] = []
    if systems:
        must.append(FieldMatch("source_system", tuple(sorted(systems))))
    if record_types:
        must.append(FieldMatch("record_type", tuple(sorted(record_types))))
    if occurred_from is not None or occurred_to is not None:
        must.append(FieldRange("occurred_ts", occurred_from, occurred_to))
    return FilterSpec(must=tuple(must)) if must else None
