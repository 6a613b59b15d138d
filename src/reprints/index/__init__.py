"""Indexing and candidate search: the sketch table, LSH banding and the sampled-shingle index."""
