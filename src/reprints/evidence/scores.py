"""Text evidence for the canonical choice: how strongly a document looks like the original."""

from __future__ import annotations

import numpy as np

from reprints.index.table import segment_sums


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
