"""Star clustering: every member of a cluster is directly related to its canonical member.

Connected components chain: page A (article 1 plus a teaser of article 2) links article 1 with
article 2's copies, and a few such pages glue unrelated stories together. reprints never joins two
documents through a third. Documents are visited in canonical priority order (earliest date, then
the most reused clean text, then id); a document with a joining edge to an existing centre joins
the centre it overlaps most, otherwise it becomes a centre itself. So A~B and B~C put A and C
together only if one of them is B's cluster centre and the other has its own edge to that centre.
The centre of each cluster is its canonical member, and the rule that chose it is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reprints.index.table import segment_sums


@dataclass(frozen=True, slots=True)
class Priority:
    """Canonical priority of one document: lower sorts first."""

    has_date: bool
    date: str
    score: float
    doc_id: str

    def key(self) -> tuple[int, str, float, str]:
        return (0 if self.has_date else 1, self.date, -round(self.score, 9), self.doc_id)


def canonical_scores(
    offsets: np.ndarray,
    content: np.ndarray,
    reused: np.ndarray,
    cleanliness: np.ndarray,
) -> np.ndarray:
    """How strongly each document looks like the original of what it shares.

    ``cleanliness * (reused + 0.25 * own) - 0.5 * boilerplate``: text copied by others counts
    fully, the document's own further text a quarter (a complete article beats its truncated copy),
    and both are scaled by how finished its lines look (teasers cut mid-sentence and OCR lines
    broken mid-word lower it); recurring boilerplate counts against it.

    >>> canonical_scores(np.array([0, 4]), np.array([True, True, True, False]),
    ...                  np.array([True, True, False, False]), np.array([1.0])).tolist()
    [1.75]
    """
    content_n = segment_sums(offsets, content)
    reused_n = segment_sums(offsets, reused)  # reused positions are content in both documents
    own_n = content_n - reused_n
    boiler_n = np.diff(offsets) - content_n
    return cleanliness * (reused_n + 0.25 * own_n) - 0.5 * boiler_n


def star_clusters(
    n: int,
    edges: np.ndarray,
    weights: np.ndarray,
    order: np.ndarray,
    related: dict[tuple[int, int], float] | None = None,
    min_related: float = 0.6,
) -> np.ndarray:
    """Centre of each node (itself for centres and unlinked nodes).

    ``edges`` are joining pairs ``(i, j)``; ``weights`` their strength; ``order`` the nodes by
    canonical priority, best first.

    Second chance: a node left alone although it joins a *member* of a cluster (two pages that
    each carry the same article with different teasers, when the centre is one of the pages)
    joins that cluster if ``related`` (every verified pair ``(i, j)``, ``i < j``, with the share
    of the smaller document the other holds) links it to the centre by at least
    ``min_related``: still a direct relation to the centre, never a chain.

    >>> # 0~1 and 1~2, but 0 and 2 unrelated: no chaining
    >>> edges, weights = np.array([[0, 1], [1, 2]]), np.array([0.9, 0.8])
    >>> star_clusters(3, edges, weights, order=np.array([0, 2, 1])).tolist()
    [0, 0, 2]
    """
    neighbours: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for (i, j), w in zip(edges.tolist(), weights.tolist(), strict=True):
        neighbours[i].append((j, w))
        neighbours[j].append((i, w))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    centre = np.full(n, -1, dtype=np.int64)
    for node in order.tolist():
        best: tuple[float, int] | None = None
        for other, w in neighbours[node]:
            if centre[other] == other:
                candidate = (-w, int(rank[other]))
                if best is None or candidate < best:
                    best = candidate
        if best is None:
            centre[node] = node
        else:
            centre[node] = int(order[best[1]])
    if related:
        size = np.bincount(centre, minlength=n)
        for node in order.tolist():
            if centre[node] != node or size[node] > 1:
                continue
            choice: tuple[float, int] | None = None
            for other, w in neighbours[node]:
                hub = int(centre[other])
                if hub == other:
                    continue
                link = related.get((min(node, hub), max(node, hub)), 0.0)
                if link >= min_related and (choice is None or (-w, int(rank[hub])) < choice):
                    choice = (-w, int(rank[hub]))
            if choice is not None:
                hub = int(order[choice[1]])
                centre[node] = hub
                size[hub] += 1
                size[node] -= 1
    return centre
