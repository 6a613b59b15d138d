"""An HTTP API over a persistent index (:mod:`reprints.service.app`)."""
