"""Hybrid search with the practice glossary: an abbreviation finds the long form and back.

Real Qdrant Edge, real policy filter and BM25; dense vectors are seeded random unit vectors
(the model is not what is tested), so which records the sparse side finds decides the top.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from api.settings import default_policy_path
from retrieval.glossary import default_glossary
from retrieval.index import Bm25Encoder, HybridSearcher, IndexPoint
from retrieval.index.edge import EdgeVectorStore
from retrieval.policy import InformationSharingPolicy
from retrieval.principal import Principal

DIM = 16
FAMILY = "FAM-0001"
RECORDS = {
    "R1": "Police attended following domestic violence at the address; [Mother] had a cut lip.",
    "R2": "DA incident reported overnight, NFA by police.",
    "R3": "[Child 1] attendance at school is 84% with several lates this term.",
    "R4": "Housing officer visited: damp and mould in the back bedroom.",
    "R5": "GP appointment for immunisations was missed; rebooked for next week.",
    "R6": "Family support worker completed a budgeting plan with [Mother].",
}


def _unit(text: str) -> list[float]:
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")
    vector = np.random.default_rng(seed).standard_normal(DIM)
    return (vector / np.linalg.norm(vector)).tolist()


class RecordingEmbedder:
    """Seeded random query vectors; remembers what it was asked to embed."""

    dimension = DIM

    def __init__(self) -> None:
        self.asked: list[str] = []

    def embed_query(self, text: str) -> list[float]:
        self.asked.append(text)
        return _unit(text)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EdgeVectorStore]:
    sparse = Bm25Encoder()
    store = EdgeVectorStore(tmp_path_factory.mktemp("glossary") / "index", DIM)
    points = [
        IndexPoint(
            id=f"00000000-0000-0000-0000-{n:012d}",
            dense=_unit(text),
            sparse=sparse.document(text),
            payload={
                "record_key": f"LCS:{rid}",
                "record_id": rid,
                "source_system": "LCS",
                "record_type": "case_note",
                "sensitivity": "standard",
                "policy_tags": [],
                "linked_person_ids": [f"LP-{FAMILY[4:]}-1"],
                "family_ids": [FAMILY],
                "chunk_index": 0,
                "chunk_count": 1,
                "source_hash": "h",
                "occurred_ts": 1_700_000_000 + n,
                "recorded_ts": 1_700_000_000 + n,
                "text": text,
            },
        )
        for n, (rid, text) in enumerate(RECORDS.items(), start=1)
    ]
    store.upsert(points)
    store.flush()
    yield store
    store.close()


def _searcher(store: EdgeVectorStore, **kw: object) -> tuple[HybridSearcher, RecordingEmbedder]:
    embedder = RecordingEmbedder()
    policy = InformationSharingPolicy.load(default_policy_path())
    return HybridSearcher(store, embedder, Bm25Encoder(), policy, **kw), embedder  # type: ignore[arg-type]


def _top(searcher: HybridSearcher, question: str) -> str:
    who = Principal.with_caseload("u1", "social_worker", [FAMILY])
    result = searcher.search(who, FAMILY, question, limit=3)
    return result.hits[0].record_id


def _shares_terms(question: str, record: str) -> bool:
    sparse = Bm25Encoder()
    return bool(set(sparse.query(question).indices) & set(sparse.document(record).indices))


def test_abbreviation_in_the_question_finds_the_long_form(store: EdgeVectorStore) -> None:
    # Without the glossary the question shares no BM25 term with the record at all.
    assert not _shares_terms("any DV?", RECORDS["R1"])
    searcher, embedder = _searcher(store, glossary=default_glossary())
    assert _top(searcher, "any DV?") == "R1"
    # The dense query spells the abbreviation out.
    assert embedder.asked[-1] == "any DV (domestic violence)?"


def test_long_form_in_the_question_finds_the_abbreviation(store: EdgeVectorStore) -> None:
    question = "Has there been any domestic abuse?"
    searcher, embedder = _searcher(store, glossary=default_glossary())
    top = _top(searcher, question)
    assert top in {"R1", "R2"}
    who = Principal.with_caseload("u1", "social_worker", [FAMILY])
    found = searcher.search(who, FAMILY, question, limit=2).record_keys()
    assert set(found) == {("LCS", "R1"), ("LCS", "R2")}
    # No abbreviation in the question: the dense query is the question as asked.
    assert embedder.asked[-1] == question
    assert _top(searcher, "was the outcome no further action?") == "R2"


def test_without_a_glossary_queries_are_unchanged(store: EdgeVectorStore) -> None:
    searcher, embedder = _searcher(store)
    dense, sparse = searcher._queries("any DV?")
    assert dense == "any DV?"
    assert sparse == Bm25Encoder().query("any DV?")
    searcher.search(Principal.with_caseload("u1", "social_worker", [FAMILY]), FAMILY, "any DV?")
    assert embedder.asked == ["any DV?"]


def test_expansion_terms_weigh_less_than_the_question(store: EdgeVectorStore) -> None:
    searcher, _ = _searcher(store, glossary=default_glossary(), expansion_weight=0.25)
    _, sparse = searcher._queries("any DV?")
    plain = Bm25Encoder().query("any DV?")
    weights = dict(zip(sparse.indices, sparse.values, strict=True))
    assert all(weights[i] == v for i, v in zip(plain.indices, plain.values, strict=True))
    assert sorted(set(weights.values())) == [0.25, 1.0]
    assert list(sparse.indices) == sorted(sparse.indices)


def test_glossary_file_ships_with_the_package() -> None:
    from importlib import resources

    text = resources.files("retrieval").joinpath("data/glossary.yaml").read_text("utf-8")
    assert "term: DA" in text
    assert Path(str(resources.files("retrieval"))).joinpath("data", "glossary.yaml").is_file()
