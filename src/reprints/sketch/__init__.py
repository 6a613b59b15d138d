"""Fingerprinting: shingle hashes, exact hashes and MinHash signatures of normalised tokens."""
