"""Group scored pairs into people, never putting two records of one system together.

Splink's connected components would chain A~B~C into one cluster even when A and C are
two different people of the same source system (a parent and child linked through a
weak third record). Here edges are accepted strongest first and an edge that would put two
people of one system into one cluster is refused; the refused edges are returned so they
can go to clerical review instead.

Two further rules: records a source system relates to each other (``apart``: a parent and
child, twins recorded as siblings) never share a cluster, whatever chain of edges would
join them; and an edge marked ``same_system_ok`` (a household link, see
``retrieval.linkage.household``) may join groups that share a source system only when
``may_share_system`` accepts every same-system pair it would bring together.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Node = TypeVar("Node", bound=Hashable)


@dataclass(frozen=True)
class Edge(Generic[Node]):
    left: Node
    right: Node
    probability: float
    #: A household link: taken after every scored edge, may join one system's records
    #: when ``may_share_system`` allows it.
    same_system_ok: bool = False


class _Groups(Generic[Node]):
    """Union-find that also tracks members and the source systems each group holds."""

    def __init__(
        self,
        nodes: Iterable[Node],
        system_of: Callable[[Node], str] | None,
        apart: Mapping[Node, set[Node]],
    ) -> None:
        self.parent: dict[Node, Node] = {n: n for n in nodes}
        self.systems: dict[Node, set[str]] = {
            n: ({system_of(n)} if system_of else set()) for n in self.parent
        }
        self.members: dict[Node, list[Node]] = {n: [n] for n in self.parent}
        self.system_of = system_of
        self.apart = apart

    def find(self, node: Node) -> Node:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def _kept_apart(self, ra: Node, rb: Node) -> bool:
        if not self.apart:
            return False
        other = set(self.members[rb])
        return any(self.apart.get(m, set()) & other for m in self.members[ra])

    def _same_system_pairs(self, ra: Node, rb: Node) -> list[tuple[Node, Node]]:
        assert self.system_of is not None
        shared = self.systems[ra] & self.systems[rb]
        return [
            (a, b)
            for a in self.members[ra]
            for b in self.members[rb]
            if self.system_of(a) in shared and self.system_of(a) == self.system_of(b)
        ]

    def union(
        self,
        a: Node,
        b: Node,
        may_share_system: Callable[[Node, Node], bool] | None = None,
    ) -> bool:
        """Merge; False (and no change) if a rule keeps the groups apart."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self._kept_apart(ra, rb):
            return False
        if self.systems[ra] & self.systems[rb]:
            if may_share_system is None:
                return False
            if not all(may_share_system(x, y) for x, y in self._same_system_pairs(ra, rb)):
                return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.systems[ra] |= self.systems.pop(rb)
        self.members[ra].extend(self.members.pop(rb))
        return True


def cluster_edges(
    nodes: Sequence[Node],
    edges: Iterable[Edge[Node]],
    system_of: Callable[[Node], str] | None = None,
    *,
    apart: Mapping[Node, set[Node]] | None = None,
    may_share_system: Callable[[Node, Node], bool] | None = None,
) -> tuple[list[list[Node]], list[Edge[Node]]]:
    """Clusters (singletons included, sorted) and the edges refused by the rules.

    With ``system_of=None`` this is plain connected components (used for FEBRL, one
    source). Edges are taken in descending probability (household edges after all scored
    ones), ties broken by node order, so the result does not depend on input order.
    """
    groups: _Groups[Node] = _Groups(nodes, system_of, apart or {})
    refused: list[Edge[Node]] = []
    ordered = sorted(
        edges,
        key=lambda e: (
            e.same_system_ok,
            -e.probability,
            str(min(e.left, e.right, key=str)),
            str(e),
        ),
    )
    for edge in ordered:
        if edge.left not in groups.parent or edge.right not in groups.parent:
            raise ValueError("an edge refers to a node that is not in the input")
        allow = may_share_system if edge.same_system_ok and system_of else None
        if not groups.union(edge.left, edge.right, allow):
            refused.append(edge)
    members: dict[Node, list[Node]] = {}
    for node in nodes:
        members.setdefault(groups.find(node), []).append(node)
    clusters = sorted((sorted(m, key=str) for m in members.values()), key=lambda m: str(m[0]))
    return clusters, refused
