"""Reading inputs and writing results: the thin I/O edges of the pipeline."""
