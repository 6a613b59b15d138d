"""The seams: a toy relation joins clusters at a test level with no change to the engine, and
configuration errors are typed."""

import numpy as np
import pytest

import reprints
from reprints.config import ScanConfig
from reprints.errors import ConfigError
from reprints.evidence.pairs import PairTable
from reprints.evidence.verifiers import VERIFIERS, Verified, register_verifier
from reprints.index.sources import SOURCES, register_source
from reprints.relations import Level, Relation, register_level, register_relation
from tests.conftest import write_jsonl

# three unrelated texts; "t1" and "t2" have the same number of tokens (300), nothing else
TEXTS = {
    "t1": " ".join(f"Harbour council meeting {i} voted on the new ferry plan." for i in range(30)),
    "t2": " ".join(
        f"Mountain railway report {i} explains the long winter closing today." for i in range(30)
    ),
    "t3": " ".join(f"Orchard growers say apples {i} ripened late this year." for i in range(31)),
}


def same_length_pairs(ws):
    """Toy source: representatives with the same number of tokens."""
    reps = ws.representatives
    lengths = ws.table.n_tokens[reps]
    pairs = [
        (int(reps[i]), int(reps[j]))
        for i in range(len(reps))
        for j in range(i + 1, len(reps))
        if lengths[i] == lengths[j]
    ]
    return np.array(pairs, dtype=np.int64).reshape(-1, 2), {"same_length": len(pairs)}


def verify_same_length(ws, pairs):
    code = Relation.parse("same_length").code
    table = PairTable.build(pairs, np.full(len(pairs), code), jaccard=np.full(len(pairs), 0.5))
    return Verified(table, counters={"same_length": len(pairs)})


@pytest.fixture(scope="module")
def toy_level():
    if "same_length" not in SOURCES:
        register_source("same_length", same_length_pairs)
        register_verifier("same_length", verify_same_length)
        register_relation(Relation("same_length", ("same_length",), "same_length"))
        register_level("toy", ("exact", "near_duplicate", "containment", "same_length"))
    return Level.parse("toy")


def test_a_registered_relation_joins_at_its_level_only(tmp_path, toy_level):
    corpus = write_jsonl(tmp_path / "x.jsonl", [{"id": k, "text": v} for k, v in TEXTS.items()])
    near = reprints.scan([corpus], level="near")
    assert near.clusters == [] and near.pairs == []  # costly relations run only where they join
    toy = reprints.scan([corpus], level=toy_level)
    assert [c.members for c in toy.clusters] == [["t1", "t2"]]
    assert [(p.a, p.b, str(p.relation)) for p in toy.pairs] == [("t1", "t2", "same_length")]
    assert toy.pairs[0].relation is Relation.parse("same_length")
    assert "verify.same_length" in toy.stats.stages  # timed as a stage of its own
    assert "same_length" in VERIFIERS


def test_registering_twice_is_an_error(toy_level):
    with pytest.raises(ConfigError):
        register_source("same_length", same_length_pairs)
    with pytest.raises(ConfigError):
        register_level("toy", ("exact",))


def test_unknown_and_conflicting_settings_are_config_errors(seeds):
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        reprints.scan([seeds], colour="red")
    with pytest.raises(ConfigError, match="conflicts"):
        reprints.scan([seeds], level="exact", config=ScanConfig(level="near"))
    with pytest.raises(ConfigError, match="unknown level"):
        reprints.scan([seeds], level="sideways")
    with pytest.raises(ConfigError, match="jaccard_threshold"):
        ScanConfig.from_settings(jaccard_threshold=1.5)
    with pytest.raises(ConfigError, match="on_error"):
        ScanConfig.from_settings(on_error="ignore")
    config = ScanConfig.from_settings(level="exact", workers=3, min_df=7)
    assert (config.level.label, config.workers, config.boilerplate.min_df) == ("exact", 3, 7)
    assert reprints.scan([seeds], config=ScanConfig(level="exact")).level == "exact"


def test_every_tuned_constant_is_documented():
    import dataclasses
    import inspect

    from reprints import config as cfg

    for section in (
        cfg.SketchConfig,
        cfg.CandidateConfig,
        cfg.BoilerplateConfig,
        cfg.VerifyConfig,
        cfg.ClusterConfig,
        cfg.ReadConfig,
    ):
        source = inspect.getsource(section)
        for f in dataclasses.fields(section):
            after = source.split(f"    {f.name}:", 1)[1].split("\n", 2)[1]
            assert after.strip().startswith('"""'), f"{section.__name__}.{f.name} has no docstring"
