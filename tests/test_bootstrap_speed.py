"""The quantile bootstrap's fast path gives exactly the numbers of the generic one.

`bootstrap_quantile_interval` (and `clustered_quantile`, which uses it) must equal, to the last
bit, resampling whole groups, concatenating them and calling `np.quantile` once per resample, as
`bootstrap_interval` did for every estimate. The reference below is that code, kept here.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis import summaries
from sim.analysis.summaries import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    CONFIDENCE,
    bootstrap_interval,
    bootstrap_quantile_interval,
    clustered_quantile,
    quantile_resamples,
)


def reference_resamples(groups, q, rows=slice(None)):
    """The old code's estimate for each resample (only the resamples `rows`, to keep big cases
    quick: the picks are drawn in full all the same)."""
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    picks = rng.integers(0, len(groups), size=(BOOTSTRAP_RESAMPLES, len(groups)))
    return np.array(
        [np.quantile(np.concatenate([groups[i] for i in pick]), q) for pick in picks[rows]]
    )


def some_rows(groups, budget=400_000):
    """Every resample for small groups, a spread of them for big ones (about `budget` values
    concatenated by the reference in all)."""
    pooled = sum(len(g) for g in groups)
    return slice(None, None, max(1, pooled * BOOTSTRAP_RESAMPLES // budget))


def reference_interval(groups, q, confidence=CONFIDENCE):
    alpha = (1 - confidence) / 2
    low, high = np.quantile(reference_resamples(groups, q), [alpha, 1 - alpha], axis=0)
    return low, high


def random_groups(rng, count, largest):
    kind = rng.integers(0, 4)
    groups = []
    for _ in range(count):
        size = int(rng.choice([0, 1, 2, 3, rng.integers(0, largest + 1)]))
        if kind == 0:  # many ties: whole days
            values = rng.integers(0, 30, size).astype(float)
        elif kind == 1:
            values = rng.exponential(40.0, size)
        elif kind == 2:  # ties and a few distinct values
            values = np.round(rng.gamma(2.0, 10.0, size), 1)
        else:  # one value everywhere
            values = np.full(size, 17.25)
        groups.append(values)
    groups = [g for g in groups if len(g)]
    while len(groups) < 2:
        groups.append(rng.exponential(40.0, int(rng.integers(1, 4))))
    return groups


@pytest.mark.parametrize("seed", range(6))
def test_every_resample_equals_np_quantile_of_the_concatenation(seed):
    rng = np.random.default_rng(seed)
    for _ in range(4 if seed < 3 else 2):
        groups = random_groups(rng, int(rng.integers(2, 41)), 5000 if seed < 3 else 60)
        for q in (0.5, 0.9):
            rows = some_rows(groups)
            expected = reference_resamples(groups, q, rows)
            got = quantile_resamples(groups, q)
            assert len(got) == BOOTSTRAP_RESAMPLES
            np.testing.assert_array_equal(got[rows], expected)


def test_big_groups_and_many_groups_equal_the_reference():
    rng = np.random.default_rng(99)
    for count, size in ((2, 5000), (40, 5000), (40, 1), (3, 1)):
        groups = [rng.exponential(30.0, size) for _ in range(count)]
        rows = some_rows(groups)
        for q in (0.5, 0.9):
            np.testing.assert_array_equal(quantile_resamples(groups, q)[rows],
                                          reference_resamples(groups, q, rows))  # fmt: skip


@pytest.mark.parametrize("q", [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0])
def test_any_q_and_confidence(q):
    rng = np.random.default_rng(7)
    groups = random_groups(rng, 7, 300)
    np.testing.assert_array_equal(quantile_resamples(groups, q), reference_resamples(groups, q))
    for confidence in (0.8, CONFIDENCE):
        assert bootstrap_quantile_interval(groups, q, confidence) == reference_interval(
            groups, q, confidence
        )


def test_clustered_quantile_and_generic_path_agree():
    rng = np.random.default_rng(3)
    groups = random_groups(rng, 5, 800)
    point, low, high = clustered_quantile(groups, 0.9)
    assert point == np.quantile(np.concatenate(groups), 0.9)
    assert (low, high) == reference_interval(groups, 0.9)
    generic = bootstrap_interval(groups, lambda pooled: np.quantile(pooled, 0.9))
    assert (low, high) == generic


def test_non_finite_or_non_float_groups_take_the_generic_path():
    groups = [np.array([1.0, np.nan, 3.0]), np.array([2.0, np.inf])]
    with np.errstate(invalid="ignore"):  # inf - inf in the interpolation, in both paths
        got = bootstrap_quantile_interval(groups, 0.5)
        expected = reference_interval(groups, 0.5)
    np.testing.assert_array_equal(np.array(got), np.array(expected))
    ints = [np.array([1, 5, 9]), np.array([2, 2])]
    assert bootstrap_quantile_interval(ints, 0.5) == reference_interval(ints, 0.5)
    floats = [np.array([1.5, 5.25, 9.0]), np.array([2.0, 2.5, 3.0, 7.75])]
    q32 = np.float32(0.9)  # np.quantile rounds its index in float32: the generic path
    assert bootstrap_quantile_interval(floats, q32) == reference_interval(floats, q32)


def test_small_chunks_give_the_same_numbers(monkeypatch):
    rng = np.random.default_rng(11)
    groups = random_groups(rng, 9, 400)
    expected = reference_resamples(groups, 0.5)
    monkeypatch.setattr(summaries, "_CHUNK_CELLS", 37)
    np.testing.assert_array_equal(quantile_resamples(groups, 0.5), expected)


@pytest.mark.parametrize("seed", range(12))
def test_kaplan_meier_resamples_equal_estimating_each_resample_alone(seed, monkeypatch):
    """`km_resamples` (every resample at once, from per-replication counts) gives, bit for
    bit, `km_quantiles` of each resample's concatenated rows, with ties, censoring, empty
    groups and groups with no event; also in small chunks."""
    from sim.analysis import survival

    rng = np.random.default_rng(seed)
    groups = []
    for _ in range(int(rng.integers(2, 9))):
        size = int(rng.choice([0, 1, 3, rng.integers(0, 60)]))
        days = rng.integers(1, 40, size).astype(float) if seed % 2 else rng.gamma(2, 15, size)
        filled = rng.random(size) < rng.choice([0.0, 0.3, 0.8, 1.0])
        groups.append(np.column_stack([days, filled.astype(float)]))
    qs = [0.5, 0.9]
    weights = summaries.bootstrap_weights(len(groups))
    picks = np.random.default_rng(BOOTSTRAP_SEED).integers(
        0, len(groups), size=(BOOTSTRAP_RESAMPLES, len(groups))
    )
    rows = slice(None, None, 7)
    expected = np.array([
        survival._beyond_as_infinite(survival.km_quantiles(
            np.concatenate([groups[i] for i in pick]), qs))
        for pick in picks[rows]
    ])  # fmt: skip
    np.testing.assert_array_equal(survival.km_resamples(groups, qs, weights)[rows], expected)
    monkeypatch.setattr(survival, "_CHUNK_CELLS", 5)
    np.testing.assert_array_equal(survival.km_resamples(groups, qs, weights)[rows], expected)
