"""Stand-ins at the answer service's boundaries for tests that are about the service's own
rules (requests, off-topic, who a question names), not about search or generation: one
permitted chunk whatever is asked, a generator that quotes it, and one family's people."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from assistant.contracts import DraftSentence, NumberedSource, RetrievalResult, RetrievedChunk
from retrieval.store.redaction_store import FamilyPeople


class OneChunkRetriever:
    """``chunk`` whatever is asked; remembers every query."""

    def __init__(self, chunk: RetrievedChunk) -> None:
        self.chunk = chunk
        self.queries: list[str] = []

    def explain_withheld(
        self, principal: Any, subject: str
    ) -> tuple[dict[str, int], dict[str, list[str]]]:
        return {}, {}

    def retrieve(self, principal: Any, subject: str, query: str, k: int) -> RetrievalResult:
        self.queries.append(query)
        return RetrievalResult(chunks=[self.chunk], searched_systems=[self.chunk.source_system])


class QuotingGenerator:
    """Cites the first source verbatim."""

    name = "quoting"
    model = None
    prompt = None

    def build_messages(self, question: str, sources: Sequence[NumberedSource]) -> object:
        return {"sources": [s.chunk.chunk_id for s in sources]}

    def generate(
        self,
        question: str,
        sources: Sequence[NumberedSource],
        *,
        history: Sequence[str] = (),
        about: frozenset[str] = frozenset(),
    ) -> Iterator[DraftSentence]:
        for source in sources[:1]:
            yield DraftSentence(source.chunk.text, (source.n,))


class OneFamily:
    """The two store lookups the question pseudonymiser uses, over one family."""

    def __init__(self, people: FamilyPeople) -> None:
        self.people = people

    def family_ids_of(self, linked_ids: Any) -> dict[str, str | None]:
        return {
            i: (self.people.family_id if i in self.people.members else None) for i in linked_ids
        }

    def family_people(self, family_id: str) -> FamilyPeople:
        assert family_id == self.people.family_id
        return self.people
