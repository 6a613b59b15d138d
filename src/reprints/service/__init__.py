"""An HTTP API over a persistent index (:mod:`reprints.service.app`)."""

DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
"""The largest request body the service reads (bytes)."""
DEFAULT_MAX_DOCUMENTS = 10_000
"""The most documents (or ids) one request may carry."""
