"""The built-in verifiers: exact copies, and shingle overlap (near_duplicate, containment,
partial) measured on full shingle sets read back from the store, boilerplate discounted."""

from __future__ import annotations

import numpy as np

from reprints.evidence.boilerplate import (
    KEY_MASK,
    SampledBlock,
    block_content,
    sample_frequencies,
)
from reprints.evidence.overlap import mark_shared
from reprints.evidence.pairs import PairTable
from reprints.evidence.scores import TextEvidence, canonical_evidence
from reprints.evidence.verifiers import DiscountedKeys, Verified, register_verifier
from reprints.evidence.verify import (
    anchor_content,
    continuation_suspects,
    continue_passages,
    mid_page_runs,
    rail_suspects,
    verify_pairs,
)
from reprints.index.sources import Workspace
from reprints.index.table import SketchTable, segment_sums, subset_rows
from reprints.relations import Relation
from reprints.sketch.shingles import sample_mask


def verify_exact(ws: Workspace, pairs: np.ndarray) -> Verified:
    """Exact copies (same 128-bit hash of the normalised token sequence): every measure is 1."""
    m = len(pairs)
    shared = ws.table.n_shingles[pairs[:, 0]] if m else np.zeros(0, dtype=np.int64)
    measures = dict.fromkeys(
        ("jaccard", "containment_a_in_b", "containment_b_in_a", "raw_jaccard"), np.ones(m)
    )
    code = np.full(m, Relation.EXACT.code, dtype=np.uint8)
    table = PairTable.build(pairs, code, shared=shared, shared_content=shared, **measures)
    return Verified(table, counters={"exact": m})


def load_candidates(
    ws: Workspace,
    docs: np.ndarray,
    samples: tuple[np.ndarray, np.ndarray, np.ndarray],
    block: int = 4096,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The CSR table ``(offsets, sorted unique shingle keys, content mask, inner mask)`` of
    the given documents, read back from the shingle store, boilerplate marked from their
    samples' frequencies (:func:`reprints.evidence.boilerplate.block_content`). ``samples`` is
    ``(offsets, keys, frequencies)``, one row per document."""
    table: SketchTable = ws.table
    sample_offsets, sample_keys, sample_df = samples
    bp = ws.config.boilerplate
    capacity = int(table.n_shingles[docs].sum())
    shingles = np.empty(capacity, dtype=np.uint64)
    content = np.empty(capacity, dtype=bool)
    inner = np.empty(capacity, dtype=bool)
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    at = 0
    for lo in range(0, len(docs), block):
        chunk = docs[lo : lo + block]
        part_offsets, flat = table.read_shingles(chunk)
        first, last = int(sample_offsets[lo]), int(sample_offsets[lo + len(chunk)])
        block_of = SampledBlock(
            flat,
            part_offsets,
            sample_offsets[lo : lo + len(chunk) + 1] - first,
            sample_keys[first:last],
            sample_df[first:last],
        )
        u_offsets, unique, mask, middle = block_content(block_of, ws.config.sketch.sample_rate, bp)
        shingles[at : at + len(unique)] = unique
        content[at : at + len(unique)] = mask
        inner[at : at + len(unique)] = middle
        offsets[lo + 1 : lo + len(chunk) + 1] = at + u_offsets[1:]
        at += len(unique)
    return offsets, shingles[:at], content[:at], inner[:at]


def rail_content(
    ws: Workspace,
    docs: np.ndarray,
    loaded: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    pairs: np.ndarray,
    samples: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> np.ndarray:
    """The content mask with recurring text put back where it sits in the middle of the page
    and recurs in the middle of few pages (:func:`reprints.evidence.verify.mid_page_runs`).

    Only the suspect pairs' documents (:func:`reprints.evidence.verify.rail_suspects`) are
    read again, in document order. Where a key sits on its other pages is read from the
    candidates paired with those documents (their ``inner`` flags): one holding it in its
    recurring top or bottom run holds it in its template; every other holder, one holding it
    inside its text or a page not read (``samples``: the candidates' sampled keys and their
    document frequencies, ``(offsets, keys, frequencies)``, give how many hold it), counts as
    a page holding it mid-page, so what is not known keeps the text discounted."""
    offsets, shingles, content, inner = loaded
    table: SketchTable = ws.table
    bp, config = ws.config.boilerplate, ws.config.verify
    rows = rail_suspects(offsets, shingles, content, inner, pairs, config)
    if not len(rows):
        return content
    flagged = np.zeros(len(shingles), dtype=bool)
    mark_shared(offsets, shingles, content | inner, pairs[rows], 1, flagged)
    flagged &= inner & ~content
    need = np.unique(np.searchsorted(offsets, np.flatnonzero(flagged), side="right") - 1)
    if not len(need):
        return content
    seq_offsets, flat = table.read_shingles(docs[need])
    key47 = flat & KEY_MASK
    # each position of the suspects' sequences: where it lies in its document's sorted keys
    owner = np.repeat(need, np.diff(seq_offsets))
    at = _positions(offsets, shingles, need, seq_offsets, key47)
    seq_flag = flagged[at] & (shingles[at] == key47)
    sampled = seq_flag & sample_mask(flat, ws.config.sketch.sample_rate)
    keys, first = np.unique(key47[sampled], return_index=True)
    if not len(keys):  # no sampled shingle in the runs: nothing tells where else they sit
        return content
    # each key's frequency, from the sample row of the document it was read in
    where = np.flatnonzero(sampled)[first]
    need_rows = subset_rows(samples[0], samples[1], need)
    need_df = subset_rows(samples[0], samples[2], need)[1]
    row = np.searchsorted(need, owner[where])
    df = sample_frequencies((*need_rows, need_df), row, flat[where])
    # the candidates paired with these documents that hold each key, and whether it lies
    # inside their text there (other holders are not read)
    hood = np.unique(pairs[np.isin(pairs, need).any(axis=1)])
    rate = ws.config.sketch.sample_rate
    hood_keys = subset_rows(offsets, shingles, hood)[1]
    hood_inner = subset_rows(offsets, inner, hood)[1]
    pick = sample_mask(hood_keys, rate)
    hood_keys, hood_inner = hood_keys[pick], hood_inner[pick]
    j = np.minimum(np.searchsorted(keys, hood_keys), len(keys) - 1)
    hit = keys[j] == hood_keys
    held = np.bincount(j[hit], minlength=len(keys))
    inside = np.bincount(j[hit], weights=hood_inner[hit], minlength=len(keys))
    # holders that are no candidates count as mid-page; a key on more pages than a posting
    # list holds (saturated frequencies among them) is no passage of a few pages
    mid = inside.astype(np.int64) + np.maximum(df - held, 0)
    mid[df > ws.config.candidates.max_postings] = np.iinfo(np.int64).max
    seq_mid = np.full(len(flat), -1, dtype=np.int64)
    seq_mid[sampled] = mid[np.searchsorted(keys, key47[sampled])]
    out = content.copy()
    for k in range(len(need)):
        part = slice(seq_offsets[k], seq_offsets[k + 1])
        back = mid_page_runs(seq_flag[part], seq_mid[part], bp.min_df, config.passage_gap)
        out[at[part][back]] = True
    return out


def _positions(
    offsets: np.ndarray,
    shingles: np.ndarray,
    need: np.ndarray,
    seq_offsets: np.ndarray,
    keys: np.ndarray,
) -> np.ndarray:
    """Where each key of the documents ``need``'s sequences lies in its document's sorted
    keys (the key itself where it is there)."""
    at = np.zeros(len(keys), dtype=np.int64)
    for k, d in enumerate(need.tolist()):
        lo, hi = int(offsets[d]), int(offsets[d + 1])
        part = slice(seq_offsets[k], seq_offsets[k + 1])
        at[part] = np.minimum(np.searchsorted(shingles[lo:hi], keys[part]), hi - lo - 1) + lo
    return at


def continued_content(
    ws: Workspace,
    docs: np.ndarray,
    loaded: tuple[np.ndarray, np.ndarray, np.ndarray],
    pairs: np.ndarray,
) -> np.ndarray:
    """The content mask with recurring text that continues a passage two candidates share put
    back (:func:`reprints.evidence.verify.continue_passages`); only the few pairs it could
    change have their documents read again in document order."""
    offsets, shingles, content = loaded
    config = ws.config.verify
    if config.passage_gap <= 0:
        return content
    suspects = pairs[continuation_suspects(offsets, shingles, content, pairs, config)]
    if not len(suspects):
        return content
    need = np.unique(suspects.ravel())
    seq_offsets, flat = ws.table.read_shingles(docs[need])
    sequences = (need, seq_offsets, flat & KEY_MASK)
    gap, seed = config.passage_gap, config.partial_min_shingles
    return continue_passages(offsets, shingles, content, suspects, sequences, gap, seed)


def verify_shingles(ws: Workspace, candidates: np.ndarray) -> Verified:
    """Read back the candidate documents only, discount boilerplate, measure every pair.

    Also gives each candidate document its evidence for the canonical choice: the text the
    documents it joins at this level hold, what it adds, whether it is a part of a larger one
    (see :mod:`reprints.evidence.scores`).
    """
    table = ws.table
    docs = np.unique(candidates.ravel())
    pairs = np.searchsorted(docs, candidates).reshape(-1, 2)
    # keep the samples of the candidate documents only, then read their shingles back
    cand_offsets, cand_samples = subset_rows(table.sample_offsets, table.samples, docs)
    sample_df = ws.artifacts.pop("sample_df", None)
    if sample_df is None:  # no containment index ran: every sample counts once
        sample_df = np.ones(len(table.samples), dtype=np.uint8)
    _, cand_df = subset_rows(table.sample_offsets, sample_df, docs)
    del sample_df
    if ws.release:
        table.release_samples()
    cand = (cand_offsets, cand_samples, cand_df)
    offsets, shingles, content, inner = load_candidates(ws, docs, cand)
    content = rail_content(ws, docs, (offsets, shingles, content, inner), pairs, cand)
    del cand, cand_offsets, cand_samples, cand_df
    content = continued_content(ws, docs, (offsets, shingles, content), pairs)
    content = anchor_content(offsets, shingles, content, pairs, ws.config.verify, inner)
    found = verify_pairs(offsets, shingles, content, pairs, ws.config.verify, inner)
    del inner

    level = ws.config.level
    joining = np.isin(found.relation, [r.code for r in level.relations])
    edges = np.stack([found.a[joining], found.b[joining]], axis=1)
    reused = np.zeros(len(shingles), dtype=bool)
    mark_shared(offsets, shingles, content, edges, 1, reused)
    score, tie, part = canonical_evidence(
        offsets,
        content,
        reused,
        table.cleanliness[docs],
        edges,
        found.shared_content[joining],
        found.jaccard[joining],
        # a joining edge holds its smaller side whole (70%) or, where it is its only source,
        # mostly: either way a text part_ratio times larger is what it is a part of
        min(ws.config.verify.containment_threshold, ws.config.verify.majority_share),
        ws.config.cluster.part_ratio,
    )
    evidence = TextEvidence(docs, score, tie, part)
    boiler = ~content
    boiler_offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(segment_sums(offsets, boiler), out=boiler_offsets[1:])
    discounted = DiscountedKeys(docs, boiler_offsets, shingles[boiler])
    return Verified(found.renumber(docs), evidence, {"documents": len(docs)}, discounted)


register_verifier("exact_hash", verify_exact)
register_verifier("shingles", verify_shingles)
