"""The language of a text, where the input does not give it: ISO 639-1 codes from py3langid
(a naive Bayes model over byte n-grams, 97 languages, bundled with the package: nothing is
downloaded). A text the model is unsure of (probability under ``MIN_PROBABILITY``), or too short
to tell, has no language (None) rather than a guess.
"""

from __future__ import annotations

from functools import cache
from typing import Any

MIN_PROBABILITY = 0.9
"""Below this normalised probability a language is not reported."""
MIN_CHARS = 40
"""Texts shorter than this (a headline, a caption) are too short to tell."""
MAX_CHARS = 5000
"""Only the first characters are read: enough for the model, bounded for long documents."""


@cache
def _identifier() -> Any:
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:  # an installation without it: no language is reported
        return None
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def available() -> bool:
    """Whether languages can be detected here (py3langid is installed)."""
    return _identifier() is not None


def detect(text: str) -> str | None:
    """The language of ``text`` (``"en"``, ``"ru"``, ...), or None where it cannot be told.

    >>> detect("The minister said on Tuesday that the bridge would open in May.")
    'en'
    >>> detect("Der Minister sagte am Dienstag, die Brücke werde im Mai eröffnet.")
    'de'
    >>> detect("OK") is None
    True
    """
    identifier = _identifier()
    sample = text[:MAX_CHARS]
    if identifier is None or len(sample.strip()) < MIN_CHARS:
        return None
    code, probability = identifier.classify(sample)
    return str(code) if probability >= MIN_PROBABILITY else None
