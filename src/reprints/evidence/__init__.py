"""Verification: boilerplate learned from the corpus, and pair relations on real shingle sets."""
