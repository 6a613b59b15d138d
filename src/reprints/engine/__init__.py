"""Engines run the stage functions over a corpus: :mod:`reprints.engine.local` (a process pool on
one machine) now, a Spark engine later, each giving the same answer."""
