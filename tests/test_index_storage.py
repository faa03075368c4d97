"""``index_storage=disk`` (compacted, mmapped segments) answers exactly like ``memory``.

Real Qdrant Edge, real policy filter and BM25; dense vectors are seeded random unit vectors
(the model is not what is tested). The disk store compacts after 1,200 points, so it is searched and
reopened with points (and deletes) both in an immutable on-disk segment and an appendable one.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from api.backends import open_vector_store
from api.settings import default_policy_path, load_settings
from retrieval.index import Bm25Encoder, HybridSearcher, IndexPoint
from retrieval.index.edge import EdgeVectorStore
from retrieval.policy import InformationSharingPolicy
from retrieval.principal import Principal

DIM, POINTS, PER_FAMILY, COMPACT = 16, 2_000, 40, 1_200
SYSTEMS = ["LCS", "EHM", "SCHOOL", "POLICE", "HEALTH", "HOUSING"]
TYPES = ["case_note", "assessment", "referral", "strategy_discussion"]
SENTENCES = [
    "Mum disclosed drinking most evenings and missed the appointment.",
    "The child was excluded for three days after a fight at school.",
    "Police attended following a report of an argument at the address.",
    "Referred to CAMHS for anxiety; first appointment offered.",
    "The family moved to a new flat; housing officer visited.",
]
DELETED = {"R7", "R1234"}  # one compacted by the time it is deleted, one not
QUESTIONS = ["alcohol misuse", "school exclusion", "anxiety support", "house move"]


class SeededEmbedder:
    """The same question always gets the same unit vector (on both stores)."""

    dimension = DIM

    def embed_query(self, text: str) -> list[float]:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")
        vector = np.random.default_rng(seed).standard_normal(DIM)
        return (vector / np.linalg.norm(vector)).tolist()


def _points(sparse: Bm25Encoder) -> Iterator[list[IndexPoint]]:
    rng, pick = np.random.default_rng(5), random.Random(5)
    for start in range(0, POINTS, 100):
        batch = []
        for i in range(start, start + 100):
            family = i // PER_FAMILY
            vector = rng.standard_normal(DIM)
            # The sentence repeated 1-8 times: no two BM25 scores in a family tie, so the
            # ranks (and fused scores) do not depend on how equal scores are ordered.
            text = " ".join([SENTENCES[i % len(SENTENCES)]] * (1 + (i // len(SENTENCES)) % 8))
            system = SYSTEMS[pick.randrange(len(SYSTEMS))]
            payload = {
                "record_key": f"{system}:R{i}",
                "record_id": f"R{i}",
                "source_system": system,
                "record_type": TYPES[pick.randrange(len(TYPES))],
                "sensitivity": "restricted" if pick.random() < 0.15 else "standard",
                "policy_tags": ["no_ai_processing"] if pick.random() < 0.05 else [],
                "linked_person_ids": [f"LP-{family:04d}-{pick.randrange(3)}"],
                "family_ids": [f"FAM-{family:04d}"],
                "chunk_index": 0,
                "chunk_count": 1,
                "source_hash": "h",
                "occurred_ts": 1_700_000_000 + i,
                "recorded_ts": 1_700_000_000 + i,
                "text": text,
            }
            batch.append(
                IndexPoint(
                    id=f"00000000-0000-0000-0000-{i:012d}",
                    dense=(vector / np.linalg.norm(vector)).tolist(),
                    sparse=sparse.document(text),
                    payload=payload,
                )
            )
        yield batch


def _build(store: EdgeVectorStore) -> EdgeVectorStore:
    gone = []
    for batch in _points(Bm25Encoder()):
        store.upsert(batch)
        gone += [p.payload["record_key"] for p in batch if p.payload["record_id"] in DELETED]
    store.delete_records(gone)  # deletes reach compacted segments too
    store.flush()
    return store


def _answers(store: EdgeVectorStore) -> list[tuple[object, ...]]:
    """Every scoped question for several roles: withheld count, every permitted hit with its
    fused score (limit above a family's size, so ties cannot change the set), top-10 scores."""
    policy = InformationSharingPolicy.load(default_policy_path())
    searcher = HybridSearcher(store, SeededEmbedder(), Bm25Encoder(), policy)
    out: list[tuple[object, ...]] = []
    for n, family in enumerate(["FAM-0000", "FAM-0007", "FAM-0023", "FAM-0049"]):
        for role in ("family_worker", "social_worker", "camhs_practitioner"):
            who = Principal.with_caseload("u", role, [family])
            for subject in (family, f"LP-{family[4:]}-1"):
                result = searcher.search(who, subject, QUESTIONS[n], limit=PER_FAMILY + 10)
                hits = sorted((h.key, round(h.score, 5)) for h in result.hits)
                top = [round(h.score, 5) for h in result.hits[:10]]
                out.append((role, subject, result.withheld_records, hits, top))
    return out


@pytest.fixture(scope="module")
def memory_answers(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[object, ...]]:
    store = _build(EdgeVectorStore(tmp_path_factory.mktemp("mem") / "idx", DIM))
    try:
        return _answers(store)
    finally:
        store.close()


def test_disk_storage_gives_the_same_scoped_results_and_reopens(
    tmp_path: Path, memory_answers: list[tuple[object, ...]]
) -> None:
    assert any(hits for *_, hits, _top in memory_answers), "questions must find something"
    assert any(withheld for _r, _s, withheld, *_ in memory_answers), "policy must withhold"
    path = tmp_path / "idx"
    store = _build(EdgeVectorStore(path, DIM, storage="disk", compact_every=COMPACT))
    try:
        assert store._shard.info().segments_count >= 2  # compacted once
        assert store.count() == POINTS - 2
        assert _answers(store) == memory_answers
    finally:
        store.close()
    reopened = EdgeVectorStore(path, DIM, storage="disk", compact_every=COMPACT)
    try:
        assert reopened.count() == POINTS - 2
        assert not {k.split(":")[1] for k in reopened.indexed_records()} & DELETED
        assert _answers(reopened) == memory_answers
    finally:
        reopened.close()
    segments = [p for p in (path / "segments").iterdir() if p.is_dir()]
    assert any((s / "id_tracker.e2i").exists() for s in segments), "no immutable segment"


def test_bad_storage_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="index storage"):
        EdgeVectorStore(tmp_path / "idx", DIM, storage="ram")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="index_storage"):
        load_settings(index_storage="ram")


@pytest.mark.parametrize("storage", ["memory", "disk"])
def test_the_setting_picks_the_layout(storage: str, tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, index_storage=storage)
    store = open_vector_store(settings, DIM)
    try:
        assert isinstance(store, EdgeVectorStore) and store.storage == storage
        assert store.path == settings.index_dir
    finally:
        store.close()
