"""Writing results: pairs and clusters as JSONL, the deduplicated corpus, the terminal summary."""
