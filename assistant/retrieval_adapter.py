"""Adapter from retrieval's hybrid search (``retrieval.index``) to the assistant's Retriever.

The searcher builds its filter from the principal, the policy and the subject only; this
adapter just reshapes its hits into ``RetrievedChunk`` objects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

from assistant.contracts import RetrievalResult, RetrievedChunk
from retrieval.principal import Principal


class _Searcher(Protocol):
    def search(
        self, principal: Principal, subject: Any, query: str, limit: int = 10, narrow: Any = None
    ) -> Any: ...

    def explain_withheld(
        self, principal: Principal, subject: Any
    ) -> tuple[dict[str, int], dict[str, list[str]]]: ...


def _when(value: str | date | datetime | None) -> date | datetime:
    if isinstance(value, date | datetime):
        return value
    if not value:
        raise ValueError("a search hit has no occurred_at")
    return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)


class SearchRetriever:
    """``Retriever`` over ``retrieval.index.HybridSearcher``."""

    def __init__(self, searcher: _Searcher) -> None:
        self._searcher = searcher

    def retrieve(
        self, principal: Principal, subject: str, query: str, k: int, narrow: Any = None
    ) -> RetrievalResult:
        """``narrow``: an ``assistant.timeline.RecordFilter``, turned into index conditions."""
        spec = narrow.spec() if narrow is not None else None
        result = self._searcher.search(principal, subject, query, limit=k, narrow=spec)
        chunks = [
            RetrievedChunk(
                chunk_id=f"{hit.source_system}:{hit.record_id}:{hit.chunk_index}",
                source_system=hit.source_system,
                record_id=hit.record_id,
                record_type=hit.record_type,
                occurred_at=_when(hit.occurred_at),
                title=hit.title or "",
                text=hit.text,
                source_url=hit.source_url or "",
                score=float(hit.score),
                author_role=hit.author_role,
                last_refreshed=_when(hit.recorded_at) if hit.recorded_at else None,  # type: ignore[arg-type]
                person_ids=tuple(hit.linked_person_ids),
                family_ids=tuple(hit.family_ids),
                lead_in=hit.lead_in or "",
            )
            for hit in result.hits
        ]
        searched = list(result.searched_systems)
        if narrow is not None and narrow.systems:  # say only what the worker's filter searched
            searched = [s for s in searched if s in narrow.systems]
        return RetrievalResult(chunks, searched, result.withheld_records)

    def explain_withheld(
        self, principal: Principal, subject: str
    ) -> tuple[dict[str, int], dict[str, list[str]]]:
        return self._searcher.explain_withheld(principal, subject)
