"""Clustering never puts two people of one source system into one linked person."""

from __future__ import annotations

import pytest

from retrieval.linkage.clustering import Edge, cluster_edges
from retrieval.linkage.result import PersonKey

LCS_A = PersonKey("LCS", "A")
LCS_B = PersonKey("LCS", "B")
SCH_1 = PersonKey("SCHOOL", "1")
HLT_9 = PersonKey("HEALTH", "9")


def _system(key: PersonKey) -> str:
    return key.source_system


def test_chain_through_a_third_record_cannot_merge_two_people_of_one_system() -> None:
    nodes = [LCS_A, LCS_B, SCH_1, HLT_9]
    edges = [Edge(LCS_A, SCH_1, 0.999), Edge(LCS_B, SCH_1, 0.995), Edge(SCH_1, HLT_9, 0.998)]
    clusters, refused = cluster_edges(nodes, edges, system_of=_system)
    assert sorted(clusters) == sorted([[HLT_9, LCS_A, SCH_1], [LCS_B]])
    assert refused == [Edge(LCS_B, SCH_1, 0.995)]


def test_result_does_not_depend_on_edge_order() -> None:
    nodes = [LCS_A, LCS_B, SCH_1, HLT_9]
    edges = [Edge(LCS_B, SCH_1, 0.995), Edge(SCH_1, HLT_9, 0.998), Edge(LCS_A, SCH_1, 0.999)]
    forward = cluster_edges(nodes, edges, system_of=_system)
    backward = cluster_edges(list(reversed(nodes)), list(reversed(edges)), system_of=_system)
    assert forward == backward


def test_without_systems_it_is_connected_components() -> None:
    clusters, refused = cluster_edges(
        ["a", "b", "c", "d"], [Edge("a", "b", 1.0), Edge("b", "c", 1.0)]
    )
    assert clusters == [["a", "b", "c"], ["d"]]
    assert refused == []


def test_edge_to_unknown_node_is_an_error() -> None:
    with pytest.raises(ValueError, match="not in the input"):
        cluster_edges(["a"], [Edge("a", "zz", 0.9)])
