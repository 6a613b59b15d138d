"""Boilerplate learned from the corpus: text that recurs across documents that otherwise differ.

Navigation bars, cookie notices, copyright footers and the "latest news" teasers of the day recur
on many pages. A shingle is *boilerplate in a document* when it occurs in far more documents than
that document's own text does:

    df(shingle) >= max(min_df, ratio * base_df(doc))

where ``base_df(doc)`` is a low quantile (default 10%) of the document frequencies of the
document's shingles: the frequency of its own text (a changed word inside recurring text, a
typo or an OCR error, is not its own text: :func:`own_levels`). A reprinted article's text
recurs about as often as its copies; a teaser recurs on every page of the day. A document
whose every shingle recurs (a teaser page copied whole) keeps its text as content. The run at a
page's bottom meets a lower bar, ``edge_ratio`` (2) times its own text's frequency: a rail or a
footer sits there, and where an article has as many copies as a site has pages, the rail of its
page recurs only two or three times as often as the article does.

Document frequencies are known exactly for the sampled shingles (1 in ``sample_rate``, counted
by the containment index over every document, saturating at 255). A shingle between two sampled
ones gets the lower of their two frequencies: recurring passages are runs of consecutive
shingles, so a run shared by many pages is boilerplate throughout, and its edges stay content.

**Where a passage sits.** Frequency alone cannot tell a template block from a widely reprinted
passage: a press release quoted by twenty outlets recurs like a navigation bar. Position can. A
page's template sits at its top and bottom (header, navigation, cookie notice; rails run into the
footer) and comes wherever the template comes: blocks in the middle of the page that recur as
often as its header or footer (newsletter boxes, "story continues below") are template too, as is
text recurring even more often (stock lines shared across sites). A recurring run of at least
``min_passage`` shingles with the page's own text on both sides, recurring on far fewer pages than
the page's header and footer, is a *passage*: a lead also carried in rails, a reprinted release, a
quotation (a page with no recurring top or bottom has no template to compare with: any such run
in it is a passage). It stays content (:func:`passage_runs`), so reuse is found however many
documents repeat it, while the same lead inside another page's rail (a run that reaches the
footer) stays boilerplate there: a page is never a reprint of a text in its template block.

The same passage can be boilerplate in one page and content in another: the lead of an article is
a teaser on other pages but the start of the article in its copies. :func:`anchor_content` puts
such passages back into a document's content when a document strongly linked to it by content
also holds them, and :func:`reprints.evidence.verify.continue_passages` where the recurring text
runs on from a passage two documents share, in both (a widely quoted opening).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from reprints.config import BoilerplateConfig
from reprints.sketch.kernel import compiled_module
from reprints.sketch.shingles import sample_keys, sample_mask

KEY_MASK = np.uint64((1 << 47) - 1)
DEFAULT_MODEL = BoilerplateConfig()
CHANGED_SPAN = 4
"""Sampling intervals (``sample_rate`` positions each) between the recurring samples around a
stretch of unique ones, at most, for the stretch to be a changed word inside recurring text
(:func:`own_levels`): its five shingles and about a sample's spacing on either side (16
positions at the default rate of 4)."""


def _compiled() -> Any:
    return compiled_module("evidence._compiled")


class SampledBlock(NamedTuple):
    """A block of documents: ``shingles[offsets[i]:offsets[i+1]]`` are document ``i``'s
    shingles in document order, ``samples[sample_offsets[i]:sample_offsets[i+1]]`` its sorted
    sampled keys and ``sample_df`` their document frequencies."""

    shingles: np.ndarray
    offsets: np.ndarray
    sample_offsets: np.ndarray
    samples: np.ndarray
    sample_df: np.ndarray


def block_content(
    block: SampledBlock, rate: int, model: BoilerplateConfig = DEFAULT_MODEL
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted unique shingle keys and content flags of a block of documents, all at once.

    ``rate``: one shingle in ``rate`` is sampled; ``model`` the boilerplate settings. Returns the
    CSR table ``(offsets, unique keys, content, inner)``; a shingle occurring several times in a
    document is content if any of its occurrences is. ``inner``: the shingle is not in the
    recurring run at its page's top or bottom (it lies between the page's first and last
    content shingles, for one of its occurrences): where a template's header and footer sit
    (:func:`reprints.evidence.verify.anchor_content` never puts back a shared run at the edge
    of both pages).

    Keys are the low 47 bits of the shingle hashes (two documents' unrelated shingles collide
    with probability ``|A| |B| / 2**47``: about one in a billion for two 500-word documents); a
    block holds at most 65,536 documents.

    >>> sh = np.array([8, 3, 8, 5], dtype=np.uint64)  # one document; 8 is sampled (rate 4)
    >>> block = SampledBlock(sh, np.array([0, 4]), np.array([0, 1]),
    ...                      np.array([0], dtype=np.uint32), np.array([1], np.uint8))
    >>> o, u, c, inner = block_content(block, 4)
    >>> o.tolist(), u.tolist(), c.tolist(), inner.tolist()
    ([0, 3], [3, 5, 8], [True, True, True], [True, True, True])
    """
    compiled = _compiled()
    if compiled is not None:
        return compiled.block_content(  # type: ignore[no-any-return]
            np.ascontiguousarray(block.shingles, dtype=np.uint64),
            np.asarray(block.offsets, dtype=np.int64),
            np.asarray(block.sample_offsets, dtype=np.int64),
            np.asarray(block.samples, dtype=np.uint32),
            np.asarray(block.sample_df, dtype=np.uint8),
            np.uint64(rate - 1),
            int(model.min_df),
            float(model.df_ratio),
            float(model.quantile),
            float(model.min_content_share),
            int(model.min_passage),
            float(model.template_ratio),
            int(model.long_passage),
            float(model.edge_ratio),
            CHANGED_SPAN * rate,
        )
    return numpy_block_content(block, rate, model)


def own_levels(
    docs: np.ndarray, values: np.ndarray, positions: np.ndarray, span: int
) -> np.ndarray:
    """The sampled frequencies ``values`` (of documents ``docs``, at ``positions``, in document
    order) as a document's own level is read from them: a stretch of unique samples (1) lying
    between two recurring ones of its document at most ``span`` positions apart takes the lower
    of the two. A changed word inside recurring text (a typo, an OCR error, a respelling: five
    unique shingles) is not the document's own text; counted as such, a noisy copy of a story
    reprinted five times or more had its level at 1 and the story read as boilerplate in it.

    >>> docs = np.zeros(7, dtype=np.int64)
    >>> own_levels(docs, np.array([6, 6, 1, 1, 6, 1, 1]), np.array([0, 4, 7, 9, 14, 40, 44]), 16)
    array([6, 6, 6, 6, 6, 1, 1])
    """
    out = values.astype(np.int64)
    at = np.flatnonzero(out == 1)
    if not len(at):
        return out
    n = len(out)
    # maximal stretches of unique samples within one document: first and last index of each
    new = np.ones(len(at), dtype=bool)
    new[1:] = (np.diff(at) != 1) | (docs[at[1:]] != docs[at[:-1]])
    first = at[new]
    last = at[np.append(np.flatnonzero(new)[1:] - 1, len(at) - 1)]
    before, after = np.clip(first - 1, 0, n - 1), np.clip(last + 1, 0, n - 1)
    flanked = (first > 0) & (last < n - 1)
    flanked &= (docs[before] == docs[first]) & (docs[after] == docs[last])
    flanked &= (out[before] >= 2) & (out[after] >= 2)
    flanked &= positions[after] - positions[before] <= span
    sizes = last - first + 1
    fill = np.repeat(flanked, sizes)
    out[at[fill]] = np.repeat(np.minimum(out[before], out[after]), sizes)[fill]
    return out


def passage_runs(
    keep: np.ndarray,
    estimate: np.ndarray,
    offsets: np.ndarray,
    min_passage: int,
    template_ratio: float,
    long_passage: int = 0,
) -> np.ndarray:
    """``keep`` (content flags in document order) with every *passage* put back as content.

    A run of recurring positions is a passage when it has the document's own text on both sides,
    is at least ``min_passage`` positions long, and recurs on far fewer pages than the template:
    its highest frequency is under ``1 / template_ratio`` of the highest frequency of the runs at
    the document's top and bottom (a page with no such runs: any frequency). Text recurring as
    often as the template or more (newsletter boxes, stock legal lines, phrases shared across
    sites) stays boilerplate, unless the run is ``long_passage`` positions or more (0: no such
    length) and recurs more than ``template_ratio`` times as often as the page's top and bottom:
    it is then no block of this site's template, and prose that long is no stock line (a press
    release reprinted by more outlets than a small site has pages). Frequencies saturate at 255,
    so on a site with that many pages in the corpus the rule cannot fire.

    >>> keep = np.array([0, 1, 0, 0, 0, 1, 0, 0, 1, 0], dtype=bool)
    >>> est = np.array([90, 1, 20, 20, 20, 1, 90, 90, 1, 90])
    >>> passage_runs(keep, est, np.array([0, 10]), 3, 2.0).astype(int).tolist()
    [0, 1, 1, 1, 1, 1, 0, 0, 1, 0]
    """
    m = len(keep)
    if m == 0:
        return keep
    nd = len(offsets) - 1
    doc = np.repeat(np.arange(nd), np.diff(offsets))
    bp = ~keep
    first = np.zeros(m, dtype=bool)
    first[0] = True
    first[offsets[1:-1][offsets[1:-1] < m]] = True
    starts = bp & (first | np.concatenate(([True], keep[:-1])))
    run = np.cumsum(starts) - 1
    where = np.flatnonzero(bp)
    if not len(where):
        return keep
    r_first = np.flatnonzero(starts)
    r_doc = doc[r_first]
    r_len = np.bincount(run[where], minlength=len(r_first))
    r_last = r_first + r_len - 1
    r_top = np.maximum.reduceat(estimate[where], np.searchsorted(where, r_first))
    at_top = r_first == offsets[:-1][r_doc]
    at_bottom = r_last == offsets[1:][r_doc] - 1
    template = np.zeros(nd, dtype=np.int64)
    edge = at_top | at_bottom
    np.maximum.at(template, r_doc[edge], r_top[edge])
    t = template[r_doc]
    with_template = (t > 0) & (template_ratio * r_top >= t)
    if long_passage > 0:  # long, and far more often than the page's template: reused prose
        long = (r_len >= long_passage) & (r_top > template_ratio * t)
        with_template &= ~long
    restore = ~edge & (r_len >= min_passage) & ~with_template
    out = keep.copy()
    out[where[restore[run[where]]]] = True
    return out


def sample_frequencies(
    rows: tuple[np.ndarray, np.ndarray, np.ndarray], row: np.ndarray, shingles: np.ndarray
) -> np.ndarray:
    """The document frequency of each sampled shingle, read from the sample row ``row`` of the
    table ``rows`` (``(offsets, sorted keys, frequencies)``, one row per document): 1 where
    the row does not hold its key.

    >>> rows = (np.array([0, 2, 3]), np.array([5, 9, 5], np.uint32), np.array([3, 7, 4], np.uint8))
    >>> keys = np.array([9, 5, 6], dtype=np.uint64) << np.uint64(32)
    >>> sample_frequencies(rows, np.array([0, 1, 1]), keys).tolist()
    [7, 4, 1]
    """
    offsets, samples, sample_df = rows
    table = (
        np.repeat(np.arange(len(offsets) - 1, dtype=np.uint64), np.diff(offsets)) << np.uint64(32)
    ) | samples.astype(np.uint64)
    query = (np.asarray(row).astype(np.uint64) << np.uint64(32)) | sample_keys(shingles)
    if not len(table):
        return np.ones(len(query), dtype=np.int64)
    found = np.minimum(np.searchsorted(table, query), len(table) - 1)
    return np.where(table[found] == query, sample_df[found], 1).astype(np.int64)


def numpy_block_content(
    block: SampledBlock, rate: int, model: BoilerplateConfig = DEFAULT_MODEL
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`block_content` in numpy (where numba is missing); the same numbers."""
    shingles, offsets, sample_offsets, samples, sample_df = block
    min_df, ratio, quantile = model.min_df, model.df_ratio, model.quantile
    m = len(shingles)
    nd = len(offsets) - 1
    sizes = np.diff(offsets)
    doc = np.repeat(np.arange(nd), sizes)
    sampled = sample_mask(shingles, rate)
    df = np.zeros(m, dtype=np.int64)
    df[sampled] = sample_frequencies(
        (sample_offsets, samples, sample_df), doc[sampled], shingles[sampled]
    )
    # frequency of every position: the lower of the nearest sampled ones in its document
    index = np.arange(m)
    first, stop = offsets[:-1][doc], offsets[1:][doc]
    before = np.maximum.accumulate(np.where(sampled, index, -1)) if m else index
    after = np.minimum.accumulate(np.where(sampled, index, m)[::-1])[::-1] if m else index
    big = np.iinfo(np.int64).max
    left = np.where(before >= first, df[np.clip(before, 0, max(m - 1, 0))], big)
    right = np.where(after < stop, df[np.clip(after, 0, max(m - 1, 0))], big)
    estimate = np.minimum(left, right)
    estimate[estimate == big] = 1
    # each document's own level: a low quantile of its sampled frequencies (numpy's "linear"),
    # a changed word inside recurring text taking the frequency around it
    s_doc = doc[sampled]
    s_df = own_levels(s_doc, df[sampled], np.flatnonzero(sampled), CHANGED_SPAN * rate)
    order = np.lexsort((s_df, s_doc))
    values = s_df[order].astype(np.float64)
    counts = np.bincount(s_doc, minlength=nd)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    has = counts > 0
    h = quantile * np.maximum(counts - 1, 0)
    lo = np.floor(h).astype(np.int64)
    hi = np.minimum(lo + 1, np.maximum(counts - 1, 0))
    base = np.ones(nd, dtype=np.float64)
    if len(values):
        at_lo = values[np.minimum(starts + lo, len(values) - 1)]
        at_hi = values[np.minimum(starts + hi, len(values) - 1)]
        base = np.where(has, at_lo + (h - lo) * (at_hi - at_lo), 1.0)
    top = np.zeros(nd, dtype=np.int64)
    if len(s_df):
        np.maximum.at(top, s_doc, df[sampled])
    threshold = np.maximum(float(min_df), ratio * base)
    keep = estimate < threshold[doc]
    if model.edge_ratio > 0:
        # the run at the page's bottom, against the lower bar (edge_ratio times its own text)
        low = np.maximum(float(min_df), model.edge_ratio * base)
        below = estimate < low[doc]
        last_own = np.full(nd, -1, dtype=np.int64)
        np.maximum.at(last_own, doc[below], np.flatnonzero(below))
        bottom = np.arange(m) > np.maximum(last_own[doc], offsets[:-1][doc] - 1)
        keep &= ~bottom
    if model.min_passage > 0:
        keep = passage_runs(
            keep, estimate, offsets, model.min_passage, model.template_ratio, model.long_passage
        )
    kept = np.bincount(doc, weights=keep, minlength=nd)
    apply = (top >= min_df) & (kept >= model.min_content_share * sizes)
    mask = np.where(apply[doc], keep, True)
    # inner: not in the recurring run at its page's top or bottom (between the page's first
    # and last content positions)
    pos = np.arange(m) - offsets[:-1][doc]
    first = np.full(nd, np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(nd, -1, dtype=np.int64)
    np.minimum.at(first, doc[mask], pos[mask])
    np.maximum.at(last, doc[mask], pos[mask])
    inside = (pos >= first[doc]) & (pos <= last[doc])
    # sorted unique shingles per document: one sort of (document, 47-bit key); a shingle is
    # content, or inner, if any of its occurrences is
    group = (doc.astype(np.uint64) << np.uint64(47)) | (shingles & KEY_MASK)
    order = np.argsort(group, kind="stable")
    group = group[order]
    starts = np.flatnonzero(np.concatenate(([True], group[1:] != group[:-1]))) if m else order
    unique = group[starts] & KEY_MASK
    content = np.logical_or.reduceat(mask[order], starts) if m else np.zeros(0, dtype=bool)
    inner = np.logical_or.reduceat(inside[order], starts) if m else np.zeros(0, dtype=bool)
    out_offsets = np.zeros(nd + 1, dtype=np.int64)
    np.cumsum(
        np.bincount((group[starts] >> np.uint64(47)).astype(np.int64), minlength=nd),
        out=out_offsets[1:],
    )
    return out_offsets, unique, content, inner
