"""Clustering verified pairs without chaining, and choosing each cluster's canonical member."""
