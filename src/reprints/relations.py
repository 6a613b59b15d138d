"""The relation registry: how two documents can be related, and the levels that join clusters.

A :class:`Relation` names the candidate sources that propose pairs for it and the verifier that
decides it (both looked up by name in :mod:`reprints.index.sources` and
:mod:`reprints.evidence.verifiers`). A :class:`Level` is an ordered set of relations: the ones
that put two documents in one cluster. Adding a relation (``rewrite``, ``translation``) is one new
module that registers its source and verifier, and one :func:`register_relation` line here; the
engine and the clustering read the registry and need no change.

>>> Level.parse("near").joins(Relation.CONTAINMENT)
True
>>> Level.parse("exact").joins(Relation.NEAR_DUPLICATE)
False
>>> Relation.parse("partial").code, str(Relation.PARTIAL)
(3, 'partial')
"""

from __future__ import annotations

from typing import ClassVar

from reprints.errors import ConfigError


class Relation(str):
    """One kind of relation between two documents; it is its own name (a ``str``).

    ``code`` is its column value in the flat pair table; ``sources`` the candidate sources that
    propose pairs for it; ``verifier`` the verifier that measures those pairs and names the
    relation; ``always`` whether it is verified at every level (cheap relations, reported even
    where they do not join), or only at levels that join it (costly ones).
    """

    code: int
    sources: tuple[str, ...]
    verifier: str
    always: bool
    description: str

    _registry: ClassVar[dict[str, Relation]] = {}
    _by_code: ClassVar[list[Relation]] = []

    EXACT: ClassVar[Relation]
    NEAR_DUPLICATE: ClassVar[Relation]
    CONTAINMENT: ClassVar[Relation]
    PARTIAL: ClassVar[Relation]
    REWRITE: ClassVar[Relation]
    TRANSLATION: ClassVar[Relation]

    def __new__(
        cls,
        name: str,
        sources: tuple[str, ...],
        verifier: str,
        always: bool = False,
        description: str = "",
    ) -> Relation:
        self = super().__new__(cls, name)
        self.code = -1
        self.sources = tuple(sources)
        self.verifier = verifier
        self.always = always
        self.description = description
        return self

    def __reduce__(self) -> tuple[object, tuple[str]]:  # pickles as a registry lookup
        return (Relation.parse, (str(self),))

    @property
    def name(self) -> str:
        return str(self)

    @classmethod
    def parse(cls, name: str | Relation) -> Relation:
        """The registered relation of that name."""
        try:
            return cls._registry[str(name)]
        except KeyError:
            known = ", ".join(cls._registry)
            raise ConfigError(f"unknown relation {name!r}; known relations: {known}") from None

    @classmethod
    def from_code(cls, code: int) -> Relation:
        return cls._by_code[code]

    @classmethod
    def registered(cls) -> tuple[Relation, ...]:
        return tuple(cls._by_code)


def register_relation(relation: Relation) -> Relation:
    """Add a relation to the registry (its code is the next free one); returns it."""
    if str(relation) in Relation._registry:
        raise ConfigError(f"relation {str(relation)!r} is already registered")
    relation.code = len(Relation._by_code)
    Relation._registry[str(relation)] = relation
    Relation._by_code.append(relation)
    return relation


class Level:
    """Which relations join clusters: an ordered set, each built-in level a superset of the last.

    >>> Level.parse("near").label, [str(r) for r in Level.parse("near").relations]
    ('near', ['exact', 'near_duplicate', 'containment'])
    """

    _registry: ClassVar[dict[str, Level]] = {}
    EXACT: ClassVar[Level]
    NEAR: ClassVar[Level]
    REWRITE: ClassVar[Level]

    __slots__ = ("label", "relations")

    def __init__(self, label: str, relations: tuple[Relation, ...]) -> None:
        self.label = label
        self.relations = tuple(relations)

    def __repr__(self) -> str:
        return f"Level({self.label!r})"

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Level.parse, (self.label,))

    def joins(self, relation: Relation | str) -> bool:
        """True when ``relation`` puts two documents in one cluster at this level."""
        return str(relation) in {str(r) for r in self.relations}

    def verified(self) -> tuple[Relation, ...]:
        """Relations measured at this level: the joining ones and every ``always`` one."""
        out = [r for r in Relation.registered() if r.always or self.joins(r)]
        return tuple(out)

    @classmethod
    def parse(cls, name: str | Level) -> Level:
        if isinstance(name, Level):
            return name
        try:
            return cls._registry[name]
        except (KeyError, TypeError):
            known = ", ".join(cls._registry)
            raise ConfigError(f"unknown level {name!r}; known levels: {known}") from None

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(cls._registry)


def register_level(label: str, relations: tuple[str | Relation, ...]) -> Level:
    """Add a level joining the named relations (which must be registered); returns it."""
    if label in Level._registry:
        raise ConfigError(f"level {label!r} is already registered")
    level = Level(label, tuple(Relation.parse(r) for r in relations))
    Level._registry[label] = level
    return level


# The shingle-overlap relations (see reprints.evidence.verify), verified at every level.
_SHINGLES = ("lsh", "containment_index")
Relation.EXACT = register_relation(
    Relation("exact", ("exact_hash",), "exact_hash", True, "identical text after normalisation")
)
Relation.NEAR_DUPLICATE = register_relation(
    Relation("near_duplicate", _SHINGLES, "shingles", True, "most content shingles shared")
)
Relation.CONTAINMENT = register_relation(
    Relation("containment", _SHINGLES, "shingles", True, "one holds most of the other")
)
Relation.PARTIAL = register_relation(
    Relation("partial", _SHINGLES, "shingles", True, "a shared passage; never joins")
)

# The same text reworded: passages aligned in order (reprints.evidence.rewrite); costly, so
# verified only at levels that join it.
Relation.REWRITE = register_relation(
    Relation("rewrite", ("anchors", "neighbours"), "passages", False, "the same text reworded")
)
# The same text in another language: passages aligned on multilingual embeddings.
Relation.TRANSLATION = register_relation(
    Relation(
        "translation", ("anchors", "neighbours"), "passages", False, "the same text translated"
    )
)

Level.EXACT = register_level("exact", ("exact",))
Level.NEAR = register_level("near", ("exact", "near_duplicate", "containment"))
Level.REWRITE = register_level(
    "rewrite", ("exact", "near_duplicate", "containment", "rewrite", "translation")
)
