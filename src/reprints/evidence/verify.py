"""Verify candidate pairs on the real shingle sets and name their relation.

Each candidate pair is measured on its documents' full sorted shingle sets, with boilerplate
discounted: ``containment_a_in_b`` is the share of ``a``'s content shingles found in ``b``'s
content, ``jaccard`` the Jaccard similarity of the two content sets. No pair is reported from a
sketch alone, so a bucket collision can never become a false positive.

Relations, first match wins:

- ``near_duplicate``: ``jaccard >= jaccard_threshold``;
- ``containment``: one holds at least ``containment_threshold`` of the other, or most
  (``majority_share``) of the other where it is the other's only source (:func:`only_sources`);
- ``partial``: they share at least ``partial_min_shingles`` content shingles (a whole passage) but
  neither holds most of the other. Reported, never used to join clusters.
"""

from __future__ import annotations

import numpy as np

from reprints.config import VerifyConfig
from reprints.evidence.overlap import mark_shared, overlaps
from reprints.evidence.pairs import PairTable
from reprints.index.table import segment_sums
from reprints.relations import Relation


def classify(
    jaccard: np.ndarray,
    c_ab: np.ndarray,
    c_ba: np.ndarray,
    shared_content: np.ndarray,
    config: VerifyConfig,
) -> np.ndarray:
    """Relation code implied by measured overlaps, ``-1`` where the pair is unrelated.

    >>> c = VerifyConfig()
    >>> codes = classify(np.array([0.51, 0.1, 0.01]), np.array([0.93, 0.2, 0.02]),
    ...                  np.array([0.52, 0.15, 0.01]), np.array([600, 40, 3]), c)
    >>> [str(Relation.from_code(k)) if k >= 0 else None for k in codes.tolist()]
    ['containment', 'partial', None]
    """
    out = np.full(len(jaccard), -1, dtype=np.int64)
    out[shared_content >= config.partial_min_shingles] = Relation.PARTIAL.code
    out[np.maximum(c_ab, c_ba) >= config.containment_threshold] = Relation.CONTAINMENT.code
    out[jaccard >= config.jaccard_threshold] = Relation.NEAR_DUPLICATE.code
    return out


def _links(
    offsets: np.ndarray, shingles: np.ndarray, content: np.ndarray, pairs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(shared, shared_content, linked, bound)`` of each pair ``(a, b)``: the shingles and
    the content shingles they share; the larger share of either side's content that the shared
    content is (how strongly they are linked), and that share counting every shared shingle
    (the most they could be linked if all of them were content)."""
    sizes = np.maximum(segment_sums(offsets, content), 1)
    shared, shared_content = overlaps(offsets, shingles, content, pairs)
    size_a, size_b = sizes[pairs[:, 0]], sizes[pairs[:, 1]]
    linked = np.maximum(shared_content / size_a, shared_content / size_b)
    bound = np.maximum(shared / size_a, shared / size_b)
    return shared, shared_content, linked, bound


def anchor_content(
    offsets: np.ndarray,
    shingles: np.ndarray,
    content: np.ndarray,
    pairs: np.ndarray,
    config: VerifyConfig,
    inner: np.ndarray | None = None,
) -> np.ndarray:
    """Content mask (updated in place) with recurring passages put back where a strongly linked
    document holds them.

    Two documents are strongly linked when one holds at least ``anchor_containment`` of the other's
    content, or ``whole_containment`` of all its shingles (a story syndicated so widely that its
    text recurs like boilerplate). Then every shingle of one that is boilerplate there but present
    in the other becomes content: the passage belongs to the text they share (an article's lead,
    which other pages carry as a teaser), not to a page template. Except, for pairs linked by
    content, a shared run that sits in the recurring run at the top or bottom of *both* pages
    (``inner`` false in both, :func:`reprints.evidence.boilerplate.block_content`): that is
    where a template's header and footer sit, and two sites of one publisher share their
    footer (a lead-only copy would otherwise reach the containment bar inside an aggregator
    page that carries its lead, through the footer). ``inner`` not given: every shingle is.
    """
    pairs = pairs.reshape(-1, 2)
    shared, shared_content, linked, _ = _links(offsets, shingles, content, pairs)
    raw_sizes = np.maximum(np.diff(offsets), 1)
    strong = (shared_content > 0) & (linked >= config.anchor_containment)
    # a text copied so widely that it looks like boilerplate: one document lies almost whole
    # inside the other, counting every shingle: all it shares comes back
    whole = np.maximum(shared / raw_sizes[pairs[:, 0]], shared / raw_sizes[pairs[:, 1]])
    whole = whole >= config.whole_containment
    # in place: marking reads no content flag, and the strong pairs are already chosen
    if inner is None:
        inner = np.ones(len(content), dtype=bool)
    mark_shared(offsets, shingles, content, pairs[whole], 0, content)
    mark_shared(offsets, shingles, inner, pairs[strong & ~whole], 2, content)
    return content


def rail_suspects(
    offsets: np.ndarray,
    shingles: np.ndarray,
    content: np.ndarray,
    inner: np.ndarray,
    pairs: np.ndarray,
    config: VerifyConfig,
) -> np.ndarray:
    """Rows of ``pairs`` where one document discounts, inside its own text, recurring text the
    other holds: a lead that other pages carry in their rails, discounted in its article as
    boilerplate although it sits between the article's own paragraphs.

    A pair qualifies when the shingles they share that are content or ``inner`` (not in the
    recurring run at the page's top or bottom) in both, less those content in both, make a
    passage (``partial_min_shingles``), and counting them would link the pair strongly
    (``anchor_containment``). Only those can change relation, so only their documents are read
    again (:func:`mid_page_runs` decides what comes back).

    >>> # a lead-only copy (keys 0-39, all content) and its article, which discounts keys 10-39
    >>> # between its own text (keys 100-199)
    >>> lead = np.arange(40, dtype=np.uint64)
    >>> sh = np.concatenate([lead, lead, 100 + np.arange(100, dtype=np.uint64)])
    >>> content = np.concatenate([np.ones(40, bool), np.arange(40) < 10, np.ones(100, bool)])
    >>> inner = np.ones(180, dtype=bool)
    >>> offsets, pair = np.array([0, 40, 180]), np.array([[0, 1]])
    >>> rail_suspects(offsets, sh, content, inner, pair, VerifyConfig()).tolist()
    [0]
    >>> # the same run at the article's edge (a rail reaching the footer): no suspect
    >>> inner2 = np.concatenate([np.ones(40, bool), np.arange(40) < 10, np.ones(100, bool)])
    >>> rail_suspects(offsets, sh, content, inner2, pair, VerifyConfig()).tolist()
    []
    """
    pairs = pairs.reshape(-1, 2)
    # only a document discounting a passage's length inside its text can be one (most pairs
    # are ruled out here, before any merge)
    inside = np.diff(np.searchsorted(np.flatnonzero(inner & ~content), offsets))
    some = inside >= config.partial_min_shingles
    rows = np.flatnonzero(some[pairs[:, 0]] | some[pairs[:, 1]])
    if not len(rows):
        return rows
    discounted = np.diff(np.searchsorted(np.flatnonzero(~content), offsets))  # sparse: fast
    sizes = np.maximum(np.diff(offsets) - discounted, 1)
    _, shared_content = overlaps(offsets, shingles, content, pairs[rows])
    _, held = overlaps(offsets, shingles, content | inner, pairs[rows])
    smaller = np.minimum(sizes[pairs[rows, 0]], sizes[pairs[rows, 1]])
    return rows[
        (held - shared_content >= config.partial_min_shingles)
        & (held >= config.anchor_containment * smaller)
    ]


def mid_page_runs(flagged: np.ndarray, mid: np.ndarray, min_df: int, gap: int) -> np.ndarray:
    """Positions of one document (in document order) to put back as content: the runs of
    ``flagged`` positions (discounted text inside the page, shared with a suspect partner: see
    :func:`rail_suspects`; at most ``gap`` positions apart) whose sampled positions recur in the
    middle of fewer than ``min_df`` pages (``mid``: how many documents hold the shingle
    between their own text, -1 where the position is not sampled), by the median.

    Boilerplate is where a passage sits: an article's lead that the rail of every page of a site
    carries recurs on twenty pages, but in the middle of two (the article and a paywalled copy
    of it); in the others it sits in the recurring run at the page's bottom, their template. A
    newsletter box or a stock line recurs in the middle of every page that carries it and stays
    boilerplate.

    >>> flagged = np.array([0, 1, 1, 1, 1, 0, 0, 1, 1, 1], dtype=bool)
    >>> mid = np.array([-1, 2, -1, 3, -1, -1, -1, 30, -1, 30])
    >>> mid_page_runs(flagged, mid, 5, 1).astype(int).tolist()
    [0, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    """
    out = np.zeros(len(flagged), dtype=bool)
    at = np.flatnonzero(flagged)
    if not len(at):
        return out
    breaks = np.flatnonzero(np.diff(at) > gap + 1) + 1
    for run in np.split(at, breaks):
        known = mid[run[0] : run[-1] + 1]
        known = known[(known >= 0) & flagged[run[0] : run[-1] + 1]]
        if len(known) and float(np.median(known)) < min_df:
            out[run] = True
    return out


def continuation_suspects(
    offsets: np.ndarray,
    shingles: np.ndarray,
    content: np.ndarray,
    pairs: np.ndarray,
    config: VerifyConfig,
) -> np.ndarray:
    """Rows of ``pairs`` whose shared *recurring* text might continue a passage they share.

    A pair qualifies when it shares a seed of content (``partial_min_shingles``: a passage
    neither side discounts), is not strongly linked yet (``anchor_containment``), and could be
    if every shingle it shares counted. Only those can change relation, so only their documents
    are read again in document order (:func:`continue_passages`).

    >>> # both: 40 shared keys (16 content, 24 recurring), then 36 content keys of their own
    >>> shared = np.arange(40, dtype=np.uint64)
    >>> sh = np.concatenate([shared, 100 + shared[:36], shared, 200 + shared[:36]])
    >>> content = np.tile(np.arange(76) < 16, 2) | np.tile(np.arange(76) >= 40, 2)
    >>> offsets = np.array([0, 76, 152])
    >>> continuation_suspects(offsets, sh, content, np.array([[0, 1]]), VerifyConfig()).tolist()
    [0]
    >>> # the same pair with 200 own content keys each: even counting every shared key, neither
    >>> # would hold half of the other, so no rereading can change it
    >>> big = np.concatenate([shared, 1000 + np.arange(200, dtype=np.uint64)])
    >>> sh2 = np.concatenate([big, shared, 2000 + np.arange(200, dtype=np.uint64)])
    >>> mask = np.tile(np.arange(240) < 16, 2) | np.tile(np.arange(240) >= 40, 2)
    >>> continuation_suspects(np.array([0, 240, 480]), sh2, mask, np.array([[0, 1]]),
    ...                       VerifyConfig()).tolist()
    []
    """
    pairs = pairs.reshape(-1, 2)
    shared, shared_content, linked, bound = _links(offsets, shingles, content, pairs)
    return np.flatnonzero(
        (shared_content >= config.partial_min_shingles)
        & (shared > shared_content)
        & (linked < config.anchor_containment)
        & (bound >= config.anchor_containment)
    )


def continued_keys(
    sequence: np.ndarray,
    own: tuple[np.ndarray, np.ndarray],
    other: tuple[np.ndarray, np.ndarray],
    gap: int,
    seed: int,
) -> np.ndarray:
    """Recurring keys of one document that continue a passage it shares with another.

    ``sequence``: the document's shingle keys in document order; ``own`` and ``other``: the two
    documents' sorted unique keys and content flags. The shingles shared with the other document
    form stretches (at most ``gap`` unshared shingles apart: one changed word breaks as many
    shingles as a shingle has words); a stretch holding at least ``seed`` shingles that are
    content in both is a passage they share, and its shared shingles that either side discounts
    are returned: text quoted more widely than the rest of the passage is still the passage.

    >>> seq = np.array([1, 2, 3, 4, 9, 5, 6], dtype=np.uint64)
    >>> keys = np.array([1, 2, 3, 4, 5, 6, 9], dtype=np.uint64)
    >>> own = (keys, np.array([1, 1, 1, 0, 0, 1, 1], dtype=bool))  # 4 and 5 recur widely
    >>> other = (np.array([1, 2, 3, 4, 5, 6], dtype=np.uint64), np.ones(6, bool))
    >>> continued_keys(seq, own, other, gap=1, seed=3).tolist()
    [4, 5]
    >>> # two unshared shingles (9, 9) before 5 and 6: farther than the gap, a stretch apart
    >>> seq2 = np.array([1, 2, 3, 4, 9, 9, 5, 6], dtype=np.uint64)
    >>> continued_keys(seq2, own, other, gap=1, seed=3).tolist()
    [4]
    """
    own_keys, own_content = own
    other_keys, other_content = other
    if not len(sequence) or not len(other_keys):
        return np.zeros(0, dtype=np.uint64)
    mine = own_content[np.searchsorted(own_keys, sequence)]
    at = np.minimum(np.searchsorted(other_keys, sequence), len(other_keys) - 1)
    pos = np.flatnonzero(other_keys[at] == sequence)
    if not len(pos):
        return np.zeros(0, dtype=np.uint64)
    both = mine[pos] & other_content[at[pos]]
    stretch = np.concatenate(([0], np.cumsum(np.diff(pos) > gap + 1)))
    seeds = np.bincount(stretch, weights=both)
    keep = (seeds[stretch] >= seed) & ~both
    return np.unique(sequence[pos[keep]])


def continue_passages(
    offsets: np.ndarray,
    shingles: np.ndarray,
    content: np.ndarray,
    pairs: np.ndarray,
    sequences: tuple[np.ndarray, np.ndarray, np.ndarray],
    gap: int,
    seed: int,
) -> np.ndarray:
    """Content mask (updated in place) with the recurring text that continues a shared passage
    put back, in both documents of each pair.

    A widely quoted passage recurs like boilerplate and is discounted, yet where two documents
    share a passage and the recurring text runs on from it in both (:func:`continued_keys`, seen
    from each side), it is the same passage, quoted more often than its neighbours: a Wikipedia
    definition five answers copy, the lead of a press release. A template block never continues
    a shared passage in both documents: it sits beside each page's own text. ``sequences`` is
    ``(docs, offsets, keys)``: the pairs' documents (sorted local indices) and their shingle
    keys in document order.
    """
    seq_docs, seq_offsets, seq_keys = sequences

    def view(d: int) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        row = int(np.searchsorted(seq_docs, d))
        lo, hi = offsets[d], offsets[d + 1]
        seq = seq_keys[seq_offsets[row] : seq_offsets[row + 1]]
        return seq, (shingles[lo:hi], content[lo:hi])

    restore: list[np.ndarray] = []  # every pair is read on the mask as it came: no pair order
    for a, b in pairs.reshape(-1, 2).tolist():
        seq_a, own_a = view(a)
        seq_b, own_b = view(b)
        back = np.intersect1d(
            continued_keys(seq_a, own_a, own_b, gap, seed),
            continued_keys(seq_b, own_b, own_a, gap, seed),
            assume_unique=True,
        )
        for d in (a, b):
            lo = offsets[d]
            restore.append(lo + np.searchsorted(shingles[lo : offsets[d + 1]], back))
    if restore:
        content[np.concatenate(restore)] = True
    return content


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.zeros(len(num), dtype=np.float64)
    np.divide(num, den, out=out, where=den > 0)
    return out


def only_sources(
    offsets: np.ndarray,
    shingles: np.ndarray,
    content: np.ndarray,
    pairs: np.ndarray,
    relation: np.ndarray,
    c_ab: np.ndarray,
    c_ba: np.ndarray,
    config: VerifyConfig,
    inner: np.ndarray | None = None,
) -> np.ndarray:
    """Rows of ``pairs`` (``partial`` in ``relation``) where one document holds most of the
    other's content (``majority_share``), and of its page (its shingles but the recurring run
    at its top and bottom, where ``inner`` is false: its site's template; all of them where
    ``inner`` is not given), and is its only source: no
    third document related to it shares a passage (``partial_min_shingles``) of the rest of its
    content. One dominant
    source per document: the text that makes up most of it is what it is a copy of; a page
    whose other passages come from other documents (an aggregator's leads) has none.

    >>> # 0: 10 shingles, 6 of them in 1 (of 26); 2 holds 5 others of 0 (a second source)
    >>> sh = [np.arange(10), np.r_[0:6, 20:40], np.r_[5:10, 40:60]]
    >>> offsets = np.cumsum([0] + [len(x) for x in sh])
    >>> flat = np.concatenate(sh).astype(np.uint64)
    >>> content = np.ones(len(flat), dtype=bool)
    >>> pairs, partial = np.array([[0, 1], [0, 2]]), Relation.PARTIAL.code
    >>> rel, c_ab, c_ba = np.array([partial, partial]), np.array([0.6, 0.5]), np.array([0.2, 0.2])
    >>> config = VerifyConfig(partial_min_shingles=3)
    >>> only_sources(offsets, flat, content, pairs, rel, c_ab, c_ba, config).tolist()
    [False, False]
    >>> # without document 2, document 1 is the only source of the 60% it holds
    >>> only_sources(offsets, flat, content, pairs[:1], rel[:1], c_ab[:1], c_ba[:1], config)
    array([ True])
    """
    pairs = pairs.reshape(-1, 2)
    out = np.zeros(len(pairs), dtype=bool)
    share = np.maximum(c_ab, c_ba)
    rows = np.flatnonzero(
        (relation == Relation.PARTIAL.code)
        & (share >= config.majority_share)
        & (share < config.containment_threshold)
    )
    if not len(rows):
        return out
    # only the pairs of the documents these rows measure are read (not the whole table)
    touched = np.isin(pairs, np.unique(pairs[rows])).any(axis=1)
    partners: dict[int, set[int]] = {}
    for i, j in pairs[touched & (relation >= 0)].tolist():
        partners.setdefault(i, set()).add(j)
        partners.setdefault(j, set()).add(i)
    # the documents that copy each document: joined to it, or mostly from it
    copies: set[tuple[int, int]] = set()
    # a document another holds whole (containment) has its dominant source: a second one that
    # holds only most of it is its only source too where it is the same text (it joins that
    # container: two copies of one wire story), not where it merely carries it (an aggregator
    # page carrying the lead an article begins with)
    held: dict[int, list[int]] = {}
    joined: set[tuple[int, int]] = set()
    for (i, j), code, x, y in zip(
        pairs[touched].tolist(),
        relation[touched].tolist(),
        c_ab[touched].tolist(),
        c_ba[touched].tolist(),
        strict=True,
    ):
        joins = code in (Relation.NEAR_DUPLICATE.code, Relation.CONTAINMENT.code)
        if joins or x >= config.majority_share:
            copies.add((i, j))
        if joins or y >= config.majority_share:
            copies.add((j, i))
        if joins:
            joined.update(((i, j), (j, i)))
        if code == Relation.CONTAINMENT.code:  # the one held whole has its source already
            if x >= y:  # both ways where the two are alike in size: not by their order
                held.setdefault(i, []).append(j)
            if y >= x:
                held.setdefault(j, []).append(i)
    for row in rows.tolist():
        a, b = pairs[row].tolist()
        # each side the other holds most of is read (both where the two are alike in size:
        # the answer does not depend on the order of the pair)
        sides = [
            (doc, source)
            for doc, source, share in ((a, b, c_ab[row]), (b, a, c_ba[row]))
            if share >= config.majority_share
            and (doc not in held or any((source, t) in joined for t in held[doc]))
        ]
        out[row] = any(
            _only_source(offsets, shingles, content, doc, source, partners, copies, config, inner)
            for doc, source in sides
        )
    return out


MAX_PARTNERS = 256
"""A document related to more documents than this is never given an only source (its many
partners are the evidence of a widely shared text, and reading them all would cost their
square): its majority pairs stay ``partial``."""


def _only_source(
    offsets: np.ndarray,
    shingles: np.ndarray,
    content: np.ndarray,
    doc: int,
    source: int,
    partners: dict[int, set[int]],
    copies: set[tuple[int, int]],
    config: VerifyConfig,
    inner: np.ndarray | None = None,
) -> bool:
    """Whether ``source`` is ``doc``'s only source (see :func:`only_sources`)."""

    def table(docs: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        local = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(np.diff(offsets)[docs], out=local[1:])
        keys = np.concatenate([shingles[offsets[d] : offsets[d + 1]] for d in docs])
        flags = np.concatenate([content[offsets[d] : offsets[d + 1]] for d in docs])
        return local, keys, flags

    # most of the document however it is counted: with the furniture inside its page too
    # (two paywalled stubs of one site share header, notice and footer, which only two pages
    # carry, and not the leads that their site's rail discounts), but without its site's
    # template, the recurring run at its top and bottom (``inner`` false), which no page of
    # another site holds (a lead-only copy, whose header, menus and footer outweigh its lead)
    own = slice(offsets[doc], offsets[doc + 1])
    page = np.ones(own.stop - own.start, dtype=bool) if inner is None else content[own] | inner[own]
    held = np.isin(shingles[own][page], shingles[offsets[source] : offsets[source + 1]])
    if int(held.sum()) < config.majority_share * int(page.sum()):
        return False
    # its other partners, less its own copies (a mirror of it holds all of it, source or not)
    others = sorted(t for t in partners.get(doc, set()) - {doc, source} if (t, doc) not in copies)
    if not others:
        return True
    if len(others) > MAX_PARTNERS:
        return False
    local, keys, flags = table([doc, source, *others])
    held = np.zeros(len(keys), dtype=bool)
    mark_shared(local, keys, flags, np.array([[0, 1]]), 1, held)
    mine = held[: local[1]].copy()
    rest = np.stack([np.zeros(len(others), dtype=np.int64), np.arange(2, len(others) + 2)], 1)
    # who else holds the part the source holds: a document holding all of it but under a
    # passage (the whole article beside the page that carries its lead; a block of teasers
    # that many pages carry) leaves it no one source, unless that document copies the source.
    # One holding less, a passage short of the source, is no rival: the source holds more of
    # the document than it does (two answers that each quote the source's first sentence)
    flags[: local[1]] = flags[: local[1]] & mine
    _, also = overlaps(local, keys, flags, rest)
    held_by_source = int(mine.sum())
    if any(  # (the half test matters only for a part under two passages)
        held_by_source - n < config.partial_min_shingles
        and 2 * n >= held_by_source
        and (t, source) not in copies
        for t, n in zip(others, also.tolist(), strict=True)
    ):
        return False
    # and whether the rest has another source (an aggregator page's other leads)
    flags[: local[1]] = content[offsets[doc] : offsets[doc + 1]] & ~mine
    _, elsewhere = overlaps(local, keys, flags, rest)
    return bool((elsewhere < config.partial_min_shingles).all())


def verify_pairs(
    offsets: np.ndarray,
    shingles: np.ndarray,
    content: np.ndarray,
    pairs: np.ndarray,
    config: VerifyConfig,
    inner: np.ndarray | None = None,
) -> PairTable:
    """Measure every candidate pair on the full sets; return the related ones as a table
    (``inner``: see :func:`only_sources`)."""
    pairs = pairs.reshape(-1, 2)
    content_sizes = segment_sums(offsets, content)
    sizes = np.diff(offsets)
    shared, shared_content = overlaps(offsets, shingles, content, pairs)
    keep = np.flatnonzero(shared > 0)
    pairs, shared, sc = pairs[keep], shared[keep].astype(np.int64), shared_content[keep]
    sc = sc.astype(np.int64)
    ca, cb = content_sizes[pairs[:, 0]], content_sizes[pairs[:, 1]]
    c_ab, c_ba = _ratio(sc, ca), _ratio(sc, cb)
    jaccard = _ratio(sc, ca + cb - sc)
    relation = classify(jaccard, c_ab, c_ba, sc, config)
    only = only_sources(offsets, shingles, content, pairs, relation, c_ab, c_ba, config, inner)
    relation[only] = Relation.CONTAINMENT.code
    related = relation >= 0
    raw_union = sizes[pairs[:, 0]] + sizes[pairs[:, 1]] - shared
    return PairTable.build(
        pairs[related],
        relation[related],
        jaccard=jaccard[related],
        containment_a_in_b=c_ab[related],
        containment_b_in_a=c_ba[related],
        raw_jaccard=_ratio(shared, raw_union)[related],
        shared=shared[related],
        shared_content=sc[related],
    )
