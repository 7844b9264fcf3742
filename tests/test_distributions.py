"""Delay distributions and the confidence-interval helpers, against samples and known answers.

Distributions: each is built the way a scenario file writes it, then
- its analytic `mean` and `var` equal an independent reference (scipy.stats, or numpy on the
  empirical values) and agree with a seeded sample of a million draws: the sample mean within 4
  standard errors sqrt(var / n); the sample variance within 5 standard errors
  sqrt((mu4 - var^2) / n), where mu4 is the reference's exact fourth central moment. The variance
  bound is looser because the sampling distribution of a variance is skewed for heavy tails
  (the lognormal by median 2 and p90 7 has kurtosis near 100); whatever its shape, Chebyshev
  caps the chance of a 5-SE miss at 4%, and near-normality makes it far smaller;
- the lognormal's `median` and `p90` are the sample's quantiles, within 4 asymptotic standard
  errors sqrt(p (1 - p) / n) / f(x_p);
- `draws(rng)` yields exactly what `sample(rng, BLOCK)` returns, block after block.
CI helpers (sim.analysis.summaries): t_interval covers a known mean at the nominal rate;
clustered_mean is the t-interval of group means when groups are equal and still covers with
unequal groups;
clustered_quantile's point is the pooled quantile and it resamples whole groups.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from pydantic import TypeAdapter
from scipy import stats

from sim.analysis.summaries import clustered_mean, clustered_quantile, t_interval
from sim.distributions import BLOCK, Distribution, Empirical, Exponential, Fixed, Lognormal

DRAWS = 1_000_000
DISTRIBUTION = TypeAdapter(Distribution)
EMPIRICAL_VALUES = [0, 1, 1, 2, 3, 5, 8, 13]


def _lognormal(mu: float, sigma: float):
    return stats.lognorm(sigma, scale=math.exp(mu))


def _median_p90(median: float, p90: float):
    return _lognormal(math.log(median), math.log(p90 / median) / stats.norm.ppf(0.9))


def _mean_sd(mean: float, sd: float):
    sigma2 = math.log(1 + (sd / mean) ** 2)
    return _lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2))


# (scenario form, reference with .mean() .var() and the fourth central moment)
CASES = {
    "fixed-number": (2.5, None),
    "fixed": ({"dist": "fixed", "value": 4}, None),
    "exponential": ({"dist": "exponential", "mean": 3}, stats.expon(scale=3)),
    "lognormal-median-p90": (
        {"dist": "lognormal", "median": 2, "p90": 7},
        _median_p90(2, 7),
    ),
    "lognormal-mean-sd": ({"dist": "lognormal", "mean": 3, "sd": 2}, _mean_sd(3, 2)),
    "gamma": ({"dist": "gamma", "mean": 4, "cv": 0.5}, stats.gamma(a=4, scale=1)),
    "gamma-cv-above-1": (
        {"dist": "gamma", "mean": 2, "cv": 1.5},
        stats.gamma(a=1 / 2.25, scale=4.5),
    ),
    "triangular": (
        {"dist": "triangular", "min": 1, "mode": 2, "max": 6},
        stats.triang(c=0.2, loc=1, scale=5),
    ),
    "triangular-mode-at-min": (
        {"dist": "triangular", "min": 0, "mode": 0, "max": 3},
        stats.triang(c=0.0, loc=0, scale=3),
    ),
    "uniform": ({"dist": "uniform", "min": 1, "max": 4}, stats.uniform(loc=1, scale=3)),
    "empirical": ({"dist": "empirical", "values": EMPIRICAL_VALUES}, "empirical"),
}
RANDOM = [name for name, (_, ref) in CASES.items() if ref is not None]


def build(name: str):
    return DISTRIBUTION.validate_python(CASES[name][0])


def reference_moments(name: str) -> tuple[float, float, float]:
    """(mean, variance, fourth central moment) from an independent implementation."""
    ref = CASES[name][1]
    if isinstance(ref, str):  # empirical: draws uniformly from the values
        values = np.asarray(EMPIRICAL_VALUES, dtype=float)
        centred = values - values.mean()
        return values.mean(), np.mean(centred**2), np.mean(centred**4)
    mean, var, excess_kurtosis = (float(m) for m in ref.stats(moments="mvk"))
    return mean, var, (excess_kurtosis + 3) * var**2


@pytest.fixture(scope="module")
def samples():
    """A million draws of each distribution, each from its own seeded generator."""
    return {
        name: build(name).sample(np.random.default_rng([2026, i]), DRAWS)
        for i, name in enumerate(CASES)
    }


def test_scenario_forms_pick_the_class():
    assert isinstance(build("fixed-number"), Fixed)
    assert build("fixed-number").value == 2.5
    assert isinstance(build("exponential"), Exponential)
    assert isinstance(build("lognormal-mean-sd"), Lognormal)
    assert isinstance(build("empirical"), Empirical)
    assert {name: build(name).dist for name in CASES} == {
        name: name.split("-")[0] for name in CASES
    }


@pytest.mark.parametrize("name", ["fixed-number", "fixed"])
def test_fixed_is_constant(name, samples):
    dist = build(name)
    assert dist.var == 0.0
    assert (samples[name] == dist.mean).all()
    assert dist.mean == {"fixed-number": 2.5, "fixed": 4.0}[name]


@pytest.mark.parametrize("name", RANDOM)
def test_analytic_moments_match_reference(name):
    mean, var, _ = reference_moments(name)
    dist = build(name)
    assert dist.mean == pytest.approx(mean, rel=1e-12)
    assert dist.var == pytest.approx(var, rel=1e-12)


@pytest.mark.parametrize("name", RANDOM)
def test_sample_mean_and_variance_agree_with_analytic(name, samples):
    dist, x = build(name), samples[name]
    _, _, mu4 = reference_moments(name)
    n = len(x)
    assert x.shape == (DRAWS,)
    assert (x >= 0).all(), "delays are days: never negative"
    mean_se = math.sqrt(dist.var / n)
    assert abs(x.mean() - dist.mean) <= 4 * mean_se, (x.mean(), dist.mean, mean_se)
    var_se = math.sqrt((mu4 - dist.var**2) / n)
    assert abs(x.var(ddof=1) - dist.var) <= 5 * var_se, (x.var(ddof=1), dist.var, var_se)


def test_lognormal_median_and_p90_are_the_sample_quantiles(samples):
    dist, x = build("lognormal-median-p90"), samples["lognormal-median-p90"]
    density = CASES["lognormal-median-p90"][1].pdf
    for p, stated in ((0.5, dist.median), (0.9, dist.p90)):
        se = math.sqrt(p * (1 - p) / len(x)) / density(stated)
        assert abs(np.quantile(x, p) - stated) <= 4 * se, (p, np.quantile(x, p), stated, se)
        # the same, free of the density: the share of draws below the stated quantile
        share = np.mean(x <= stated)
        assert abs(share - p) <= 4 * math.sqrt(p * (1 - p) / len(x)), (p, share)


def test_lognormal_forms_agree():
    """The same lognormal given both ways has the same moments and parameters."""
    by_quantiles = build("lognormal-median-p90")
    by_moments = DISTRIBUTION.validate_python(
        {"dist": "lognormal", "mean": by_quantiles.mean, "sd": math.sqrt(by_quantiles.var)}
    )
    assert by_moments.mu_sigma == pytest.approx(by_quantiles.mu_sigma, rel=1e-12)


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("seed", [0, 7])
def test_draws_yield_sample_in_blocks(name, seed):
    dist = build(name)
    count = 3 * BLOCK + 7  # into a fourth block
    drawn = list(itertools.islice(dist.draws(np.random.default_rng(seed)), count))
    rng = np.random.default_rng(seed)
    blocks = np.concatenate([dist.sample(rng, BLOCK) for _ in range(4)])[:count]
    assert all(type(value) is float for value in drawn)
    np.testing.assert_array_equal(np.array(drawn), blocks)


def test_fixed_draws_leave_the_stream_alone():
    rng = np.random.default_rng(3)
    before = rng.bit_generator.state
    assert list(itertools.islice(build("fixed").draws(rng), 1000)) == [4.0] * 1000
    assert rng.bit_generator.state == before


# -- confidence-interval helpers --------------------------------------------------------------


def binomial_band(trials: int, p: float, tail: float = 1e-4) -> tuple[int, int]:
    """Hit counts outside which a correct interval would land with probability < 2 * tail."""
    return int(stats.binom.ppf(tail, trials, p)), int(stats.binom.isf(tail, trials, p))


@pytest.mark.parametrize("confidence", [0.95, 0.8])
def test_t_interval_covers_at_the_nominal_rate(confidence):
    rng = np.random.default_rng(42)
    trials, n, mu = 1000, 20, 3.0
    hits = 0
    for _ in range(trials):
        _, low, high = t_interval(rng.normal(mu, 2.0, n), confidence)
        hits += low <= mu <= high
    low, high = binomial_band(trials, confidence)
    assert low <= hits <= high, f"{hits}/{trials} covered; band [{low}, {high}]"


def test_t_interval_is_the_textbook_interval():
    x = np.random.default_rng(1).gamma(2.0, 1.5, 12)
    expected = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    mean, low, high = t_interval(x)
    assert mean == pytest.approx(x.mean(), rel=1e-12)
    assert (low, high) == pytest.approx(expected, rel=1e-12)
    # NaNs are dropped; fewer than two values give no interval
    assert t_interval(np.append(x, np.nan)) == pytest.approx((mean, low, high), rel=1e-12)
    single = t_interval([5.0, np.nan])
    assert single[0] == 5.0 and np.isnan(single[1]) and np.isnan(single[2])
    assert all(np.isnan(t_interval([])))


def test_clustered_mean_is_t_interval_of_group_means_for_equal_groups():
    rng = np.random.default_rng(8)
    groups = [rng.lognormal(0.5, 0.8, 15) for _ in range(12)]
    expected = t_interval([g.mean() for g in groups])
    assert clustered_mean(groups) == pytest.approx(expected, rel=1e-12)
    assert clustered_mean(groups, 0.9) == pytest.approx(
        t_interval([g.mean() for g in groups], 0.9), rel=1e-12
    )


def test_clustered_mean_pools_unequal_groups():
    rng = np.random.default_rng(9)
    groups = [rng.exponential(2.0, k) for k in (3, 10, 40, 7, 0, 22)]
    mean, low, high = clustered_mean(groups)
    assert mean == pytest.approx(np.concatenate(groups).mean(), rel=1e-12)  # total / count
    assert low < mean < high
    assert clustered_mean([g for g in groups if len(g)]) == (mean, low, high)  # empty ignored
    alone = clustered_mean([groups[1]])
    assert alone[0] == pytest.approx(groups[1].mean()) and np.isnan(alone[1])


def test_clustered_mean_covers_with_unequal_groups():
    """The ratio (delta-method) interval covers about 95% with 20 groups of 5 to 40."""
    rng = np.random.default_rng(10)
    trials, hits = 1000, 0
    for _ in range(trials):
        groups = [rng.exponential(2.0, k) for k in rng.integers(5, 41, size=20)]
        _, low, high = clustered_mean(groups)
        hits += low <= 2.0 <= high
    low, high = binomial_band(trials, 0.95)
    assert low <= hits <= high, f"{hits}/{trials} covered; band [{low}, {high}]"


@pytest.mark.parametrize("q", [0.5, 0.9])
def test_clustered_quantile_point_is_the_pooled_quantile(q):
    rng = np.random.default_rng(11)
    groups = [rng.gamma(2.0, 3.0, k) for k in (30, 12, 25, 40, 18, 9, 33, 21)]
    point, low, high = clustered_quantile(groups, q)
    assert point == np.quantile(np.concatenate(groups), q)
    assert low <= point <= high
    assert clustered_quantile(groups, q) == (point, low, high)  # a fixed bootstrap seed
    alone = clustered_quantile(groups[:1], q)
    assert alone[0] == np.quantile(groups[0], q) and np.isnan(alone[1]) and np.isnan(alone[2])


def test_clustered_quantile_resamples_whole_groups():
    """Identical groups: every resample of whole groups is the same pool, so the interval
    collapses onto the point (resampling single values would not)."""
    group = np.random.default_rng(12).exponential(1.0, 25)
    point, low, high = clustered_quantile([group.copy() for _ in range(6)], 0.9)
    assert low == pytest.approx(point, rel=1e-12)
    assert high == pytest.approx(point, rel=1e-12)
