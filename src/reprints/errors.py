"""Typed errors raised at the edges of the pipeline."""

from __future__ import annotations


class ReprintsError(Exception):
    """Base class of every error reprints raises on purpose."""


class InputError(ReprintsError):
    """A problem with one input: names the place (file, line or document) and the problem.

    >>> str(InputError("corpus.jsonl:3", "malformed JSON"))
    'corpus.jsonl:3: malformed JSON'
    >>> import pickle; str(pickle.loads(pickle.dumps(InputError("a.jsonl", "gone"))))
    'a.jsonl: gone'
    """

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # raised in a worker process, it crosses back to the main one by pickle: rebuilt from
        # its two parts (the default would call it with the joined message alone, and fail)
        return (type(self), (self.where, self.problem))


class ConfigError(ReprintsError):
    """An invalid setting."""


class CapacityError(ReprintsError):
    """A corpus past what one machine's engine holds (says what to do instead)."""


class OutputError(ReprintsError):
    """A problem with the output location: names the path and the problem."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (self.where, self.problem))


class WorkerError(ReprintsError):
    """A worker process ended without its result (killed by the system, out of memory): the
    run stops and writes nothing rather than wait for a result that will not come."""
