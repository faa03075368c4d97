"""Group scored pairs into people, never putting two records of one system together.

Splink's connected components would chain A~B~C into one cluster even when A and C are
two different people of the same source system (a parent and child linked through a
weak third record). Here edges are accepted strongest first and an edge that would put two
people of one system into one cluster is refused; the refused edges are returned so they
can go to clerical review instead.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Node = TypeVar("Node", bound=Hashable)


@dataclass(frozen=True)
class Edge(Generic[Node]):
    left: Node
    right: Node
    probability: float


class _Groups(Generic[Node]):
    """Union-find that also tracks which source systems each group already holds."""

    def __init__(self, nodes: Iterable[Node], system_of: Callable[[Node], str] | None) -> None:
        self.parent: dict[Node, Node] = {n: n for n in nodes}
        self.systems: dict[Node, set[str]] = {
            n: ({system_of(n)} if system_of else set()) for n in self.parent
        }

    def find(self, node: Node) -> Node:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: Node, b: Node) -> bool:
        """Merge; False (and no change) if the groups share a source system."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.systems[ra] & self.systems[rb]:
            return False
        if len(self.systems[ra]) < len(self.systems[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.systems[ra] |= self.systems.pop(rb)
        return True


def cluster_edges(
    nodes: Sequence[Node],
    edges: Iterable[Edge[Node]],
    system_of: Callable[[Node], str] | None = None,
) -> tuple[list[list[Node]], list[Edge[Node]]]:
    """Clusters (singletons included, sorted) and the edges refused by the system rule.

    With ``system_of=None`` this is plain connected components (used for FEBRL, one
    source). Edges are taken in descending probability, ties broken by node order, so the
    result does not depend on input order.
    """
    groups: _Groups[Node] = _Groups(nodes, system_of)
    refused: list[Edge[Node]] = []
    ordered = sorted(
        edges, key=lambda e: (-e.probability, str(min(e.left, e.right, key=str)), str(e))
    )
    for edge in ordered:
        if edge.left not in groups.parent or edge.right not in groups.parent:
            raise ValueError("an edge refers to a node that is not in the input")
        if not groups.union(edge.left, edge.right):
            refused.append(edge)
    members: dict[Node, list[Node]] = {}
    for node in nodes:
        members.setdefault(groups.find(node), []).append(node)
    clusters = sorted((sorted(m, key=str) for m in members.values()), key=lambda m: str(m[0]))
    return clusters, refused
