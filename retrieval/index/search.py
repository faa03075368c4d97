"""Subject-scoped, role-filtered hybrid search (dense + BM25, fused with RRF).

The filter comes from the principal, the role policy and the subject only; the query
text only ranks inside it. Results say how many of the subject's records the policy
withheld (a count, never which).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from retrieval.index.embeddings import QueryEmbedder
from retrieval.index.filters import (
    FIRST_CHUNK,
    FieldMatch,
    FilterSpec,
    permitted_filter,
    subject_filter,
)
from retrieval.index.sparse import Bm25Encoder, SparseVec
from retrieval.index.store import VectorStore
from retrieval.index.subject import Subject
from retrieval.policy.model import InformationSharingPolicy
from retrieval.principal import Principal

if TYPE_CHECKING:
    from retrieval.glossary import Glossary

#: Payload fields returned with a hit (bookkeeping fields stay inside the index).
HIT_FIELDS = (
    "record_id",
    "source_system",
    "record_type",
    "occurred_at",
    "recorded_at",
    "sensitivity",
    "author_role",
    "title",
    "source_url",
    "chunk_index",
    "text",
    "linked_person_ids",
    "family_ids",
    "lead_in",
)


@dataclass(frozen=True)
class SearchHit:
    rank: int
    score: float
    record_id: str
    source_system: str
    record_type: str
    occurred_at: str
    recorded_at: str
    sensitivity: str
    author_role: str | None
    title: str
    source_url: str
    chunk_index: int
    text: str  # pseudonymised
    #: Linked people and families the record is about (ids, never names).
    linked_person_ids: list[str] = field(default_factory=list)
    family_ids: list[str] = field(default_factory=list)
    #: The record's text just before this chunk (pseudonymised; None in an index built
    #: before chunks kept it): the section the chunk stands in.
    lead_in: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.source_system, self.record_id)


@dataclass
class SearchResult:
    subject: str
    user: str
    role: str
    hits: list[SearchHit] = field(default_factory=list)
    #: The subject's records in the index that this principal may not see.
    withheld_records: int = 0
    #: Source systems the role may search (the answer names them when nothing is found).
    searched_systems: list[str] = field(default_factory=list)
    break_glass: bool = False

    def record_keys(self) -> list[tuple[str, str]]:
        """Distinct records in rank order."""
        return list(dict.fromkeys(h.key for h in self.hits))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class HybridSearcher:
    def __init__(
        self,
        store: VectorStore,
        embedder: QueryEmbedder,
        sparse: Bm25Encoder,
        policy: InformationSharingPolicy,
        prefetch_limit: int = 50,
        glossary: Glossary | None = None,
        expansion_weight: float = 0.5,
        expand_topics: bool = False,
    ) -> None:
        """``glossary`` (default none) expands the question with practice language: the
        BM25 query gets the long forms of its abbreviations and the abbreviations of its
        long forms ("DV" <-> "domestic violence"; with ``expand_topics`` also its topics'
        phrases), each at ``expansion_weight`` of a question word; the dense query spells
        abbreviations out ("any DV (domestic violence)?") when it has any."""
        self.store = store
        self.embedder = embedder
        self.sparse = sparse
        self.policy = policy
        self.prefetch_limit = prefetch_limit
        self.glossary = glossary
        self.expansion_weight = expansion_weight
        self.expand_topics = expand_topics

    def _queries(self, query: str) -> tuple[str, SparseVec]:
        """The dense query text and the sparse query vector (glossary-expanded if set)."""
        sparse = self.sparse.query(query)
        if self.glossary is None:
            return query, sparse
        extra = self.glossary.expansions(query, topics=self.expand_topics)
        if extra:
            weights = dict(zip(sparse.indices, sparse.values, strict=True))
            added = self.sparse.query("; ".join(extra))
            for index, value in zip(added.indices, added.values, strict=True):
                weights.setdefault(index, value * self.expansion_weight)
            ordered = sorted(weights)
            sparse = SparseVec(tuple(ordered), tuple(weights[i] for i in ordered))
        dense = self.glossary.expand_note(query) if self.glossary.has_abbreviation(query) else query
        return dense, sparse

    def search(
        self,
        principal: Principal,
        subject: Subject | str,
        query: str,
        limit: int = 10,
        narrow: FilterSpec | None = None,
    ) -> SearchResult:
        """The best ``limit`` chunks for ``query`` among the records the principal may see;
        ``narrow`` (``narrowing_filter``: systems, types, dates the worker chose) is AND-ed
        onto the permission filter. Withheld counts are the policy's, not the narrowing's."""
        if not query.strip():
            raise ValueError("query must not be empty")
        if limit < 1:
            raise ValueError("limit must be at least 1")
        subject = Subject.parse(subject) if isinstance(subject, str) else subject
        role = self.policy.role(principal.role)
        flt = permitted_filter(principal, role, subject)
        result = SearchResult(
            subject=subject.id,
            user=principal.user,
            role=principal.role,
            searched_systems=sorted(role.systems),
            break_glass=principal.break_glass_reason is not None,
        )
        in_scope = self.store.count(subject_filter(subject).and_(FIRST_CHUNK))
        if flt is None:
            result.withheld_records = in_scope
            return result
        visible = self.store.count(flt.and_(FIRST_CHUNK))
        result.withheld_records = max(0, in_scope - visible)
        if not visible:
            return result
        dense_query, sparse_query = self._queries(query)
        stored = self.store.hybrid_search(
            self.embedder.embed_query(dense_query),
            sparse_query,
            flt if narrow is None else flt.and_(narrow),
            limit=limit,
            prefetch_limit=max(self.prefetch_limit, limit),
        )
        for rank, hit in enumerate(stored, start=1):
            p = hit.payload
            fields = {k: p.get(k) for k in HIT_FIELDS}
            fields["linked_person_ids"] = list(fields["linked_person_ids"] or [])
            fields["family_ids"] = list(fields["family_ids"] or [])
            result.hits.append(SearchHit(rank=rank, score=hit.score, **fields))  # type: ignore[arg-type]
        return result

    def subject_records(
        self, principal: Principal, subject: Subject | str
    ) -> tuple[list[SearchHit], int]:
        """Every chunk of the subject's records this principal may see (the same filter as
        ``search``, no query, in no particular order) and how many of the subject's records
        it withholds. For an overview of the whole subject rather than an answer."""
        subject = Subject.parse(subject) if isinstance(subject, str) else subject
        flt = permitted_filter(principal, self.policy.role(principal.role), subject)
        in_scope = self.store.count(subject_filter(subject).and_(FIRST_CHUNK))
        if flt is None:
            return [], in_scope
        hits: list[SearchHit] = []
        for payload in self.store.payloads(flt, list(HIT_FIELDS)):
            fields = {k: payload.get(k) for k in HIT_FIELDS}
            fields["linked_person_ids"] = list(fields["linked_person_ids"] or [])
            fields["family_ids"] = list(fields["family_ids"] or [])
            hits.append(SearchHit(rank=0, score=0.0, **fields))  # type: ignore[arg-type]
        visible = len({h.key for h in hits})
        return hits, max(0, in_scope - visible)

    def explain_withheld(
        self, principal: Principal, subject: Subject | str
    ) -> tuple[dict[str, int], dict[str, list[str]]]:
        """The subject's records this principal may not see, counted per source system,
        with the other case-work roles whose filter would show more of them there (a
        worker is told whom to ask, never an auditor or evaluator; counts of the
        index's own bookkeeping; no record is read). Asked only when an answer has to say
        what was withheld, since it costs a few counts per system."""
        subject = Subject.parse(subject) if isinstance(subject, str) else subject
        flt = permitted_filter(principal, self.policy.role(principal.role), subject)
        by_system: dict[str, int] = {}
        visible_to: dict[str, list[str]] = {}
        mine = principal.role
        for system in sorted(self.policy.processing.enabled_systems):
            only = FilterSpec(must=(FieldMatch("source_system", (system,)), FIRST_CHUNK))
            total = self.store.count(subject_filter(subject).and_(only))
            if not total:
                continue
            seen = self.store.count(flt.and_(only)) if flt is not None else 0
            if total <= seen:
                continue
            by_system[system] = total - seen
            others: list[str] = []
            for name in self.policy.role_names:
                if name == mine or not self.policy.role(name).does_case_work:
                    continue
                other = replace(principal, role=name, break_glass_reason=None)
                other_flt = permitted_filter(other, self.policy.role(name), subject)
                if other_flt is not None and self.store.count(other_flt.and_(only)) > seen:
                    others.append(name)
            visible_to[system] = others
        return by_system, visible_to
