"""Compare two texts: the relation reprints concludes, its figures and the aligned passages.

Behind ``reprints compare A B``. The shingle relations (exact, near_duplicate, containment,
partial) are measured as a scan measures them, on full word 5-gram sets (two documents alone have
no boilerplate to discount); when none of the joining ones holds, the passage alignment of
:mod:`reprints.evidence.align` decides whether one text is a rewrite of the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from reprints.config import VerifyConfig
from reprints.evidence.align import (
    AlignConfig,
    Alignment,
    align_texts,
    closely_reworded,
    decide,
    evidence,
)
from reprints.evidence.embed import pair_embedder
from reprints.evidence.verify import classify, only_sources
from reprints.relations import Relation
from reprints.text.lang import detect
from reprints.text.tokens import tokenize

JOINING = ("exact", "near_duplicate", "containment")


@dataclass(frozen=True, slots=True)
class Comparison:
    """What :func:`compare_texts` concludes about texts ``a`` and ``b``."""

    relation: str  # exact, near_duplicate, containment, rewrite, translation, partial or none
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float
    shared_shingles: int
    alignment: Alignment
    why: str

    def to_dict(self) -> dict[str, Any]:
        al = self.alignment
        return {
            "relation": self.relation,
            "why": self.why,
            "jaccard": round(self.jaccard, 4),
            "containment_a_in_b": round(self.containment_a_in_b, 4),
            "containment_b_in_a": round(self.containment_b_in_a, 4),
            "shared_shingles": self.shared_shingles,
            **evidence(al),
            "coverage_a": round(al.coverage_a, 4),
            "coverage_b": round(al.coverage_b, 4),
            "order": round(al.order, 4),
        }


def _shingle_relation(a: str, b: str, verify: VerifyConfig, k: int) -> tuple[str, list[float]]:
    ta, tb = tokenize(a), tokenize(b)
    if len(ta) and np.array_equal(ta.hashes, tb.hashes):
        return "exact", [1.0, 1.0, 1.0, float(len(np.unique(ta.shingle_hashes(k))))]
    sa, sb = np.unique(ta.shingle_hashes(k)), np.unique(tb.shingle_hashes(k))
    shared = len(np.intersect1d(sa, sb, assume_unique=True))
    union = len(sa) + len(sb) - shared
    jac = shared / union if union else 0.0
    c_ab = shared / len(sa) if len(sa) else 0.0
    c_ba = shared / len(sb) if len(sb) else 0.0
    ratios = np.array([c_ab]), np.array([c_ba])
    codes = classify(np.array([jac]), *ratios, np.array([shared]), verify)
    # of two texts, each is the other's only source (as in a scan of the two)
    flat = np.concatenate([sa, sb])
    offsets = np.array([0, len(sa), len(flat)])
    pair = np.array([[0, 1]])
    content = np.ones(len(flat), dtype=bool)
    codes[only_sources(offsets, flat, content, pair, codes, *ratios, verify)] = (
        Relation.CONTAINMENT.code
    )
    code = int(codes[0])
    name = str(Relation.from_code(code)) if code >= 0 else "none"
    return name, [jac, c_ab, c_ba, float(shared)]


def compare_texts(
    a: str,
    b: str,
    verify: VerifyConfig | None = None,
    aligner: AlignConfig | None = None,
    shingle_size: int = 5,
    names: tuple[str, str] = ("A", "B"),
) -> Comparison:
    """The relation of text ``a`` to text ``b``, its figures, and the passage alignment (with
    the configured embedder, texts in two languages are compared as translations)."""
    verify = verify or VerifyConfig()
    aligner = aligner or AlignConfig()
    relation, (jac, c_ab, c_ba, shared) = _shingle_relation(a, b, verify, shingle_size)
    languages = (detect(a), detect(b))
    embedder = pair_embedder(verify.embedder, languages)
    alignment = align_texts(a, b, aligner, embedder=embedder, languages=languages)
    na, nb = names
    n = len(alignment.aligned)
    reworded = sum(x.kind == "reworded" for x in alignment.aligned)
    if relation in JOINING:
        why = {
            "exact": "identical text after normalisation",
            "near_duplicate": f"near duplicates: word 5-gram Jaccard {jac:.2f}",
            "containment": (
                f"{max(c_ab, c_ba):.0%} of {na if c_ab >= c_ba else nb}'s word 5-grams are in "
                f"{nb if c_ab >= c_ba else na}"
                + (
                    " (most of it, and the only other text)"
                    if max(c_ab, c_ba) < verify.containment_threshold
                    else ""
                )
            ),
        }[relation]
    elif decide(alignment, aligner):
        covering = (
            f"covering {alignment.coverage_a:.0%} of {na} and {alignment.coverage_b:.0%} of {nb}"
        )
        if alignment.translated:
            relation = "translation"
            why = (
                f"{n} passages aligned on multilingual sentence embeddings (the texts are in two "
                f"languages), in the same order for {alignment.order:.0%} of them, {covering}"
            )
        else:
            relation = "rewrite"
            close = len(closely_reworded(alignment, aligner))
            how = (
                f"{n} sentences rewritten from sentences of the other text ({reworded} "
                f"reworded, {close} closely), in its order"
                if alignment.unit == "sentence"
                else f"{n} passages aligned ({reworded} reworded), in the same order for "
                f"{alignment.order:.0%} of them"
            )
            why = f"{how}, {covering}; word 5-gram Jaccard only {jac:.2f}"
    elif relation == "partial":
        why = f"share {int(shared)} word 5-grams (a passage) but neither holds most of the other"
    else:
        why = f"unrelated: {n} passages aligned, word 5-gram Jaccard {jac:.2f}"
    return Comparison(relation, jac, c_ab, c_ba, int(shared), alignment, why)
