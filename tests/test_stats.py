"""Tests of relu_lib.stats: Holm's adjustment of p-values (holm), the smallest difference a paired
t-test detects (detectable_difference) and the exact sign-flip test (sign_flip_test), checked
against scipy, simulation and brute force."""

import itertools
import math

import numpy as np
import pytest
from scipy import stats

import relu_lib as rl

# --- holm -------------------------------------------------------------------------------------


def test_holm_adjusts_in_the_original_order():
    p = [0.03, 0.2, 0.5, 0.01, 0.04, 0.9]
    # sorted: 0.01 x6, 0.03 x5, 0.04 x4, 0.2 x3, 0.5 x2, 0.9 x1, then a running maximum
    expected = [0.15, 0.6, 1.0, 0.06, 0.16, 1.0]
    np.testing.assert_allclose(rl.holm(p), expected)


def test_holm_is_monotone_capped_and_never_below_the_raw_p():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=20) ** 3
    adjusted = rl.holm(p)
    order = np.argsort(p)
    assert (np.diff(adjusted[order]) >= 0).all()
    assert (adjusted >= p).all() and (adjusted <= 1).all()
    assert adjusted[order[0]] == pytest.approx(min(1.0, 20 * p.min()))  # Bonferroni for the first


def test_holm_of_one_test_is_the_p_value_and_ties_get_the_same_value():
    assert rl.holm([0.03]).tolist() == [0.03]
    assert rl.holm(np.array([0.02, 0.02])).tolist() == [0.04, 0.04]
    assert rl.holm([]).shape == (0,)


def test_holm_keeps_nan_and_leaves_it_out_of_the_count():
    adjusted = rl.holm([0.01, np.nan, 0.04])
    assert math.isnan(adjusted[1])
    np.testing.assert_allclose(adjusted[[0, 2]], [0.02, 0.04])


@pytest.mark.parametrize(
    "bad, error, match",
    [
        ("0.1", TypeError, "pvalues"),
        (0.05, TypeError, "pvalues"),
        ([0.1, "a"], TypeError, "pvalues"),
        ([[0.1, 0.2]], ValueError, "one-dimensional"),
        ([0.1, 1.5], ValueError, r"\[0, 1\]"),
        ([-0.1], ValueError, r"\[0, 1\]"),
    ],
)
def test_holm_names_bad_input(bad, error, match):
    with pytest.raises(error, match=match):
        rl.holm(bad)


# --- detectable_difference --------------------------------------------------------------------


def test_detectable_difference_has_the_power_asked_for_by_simulation():
    rng = np.random.default_rng(1)
    n, alpha, sd = 5, 0.05 / 6, 0.5
    delta = rl.detectable_difference(sd, n, alpha=alpha, power=0.8)
    samples = rng.normal(delta, sd, size=(40_000, n))
    rejected = stats.ttest_1samp(samples, 0.0, axis=1).pvalue <= alpha
    assert rejected.mean() == pytest.approx(0.8, abs=0.01)
    at_zero = stats.ttest_1samp(rng.normal(0, sd, size=(40_000, n)), 0.0, axis=1).pvalue <= alpha
    assert at_zero.mean() == pytest.approx(alpha, abs=0.003)


def test_detectable_difference_approaches_the_normal_formula_and_scales_with_sd():
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    assert rl.detectable_difference(1.0, 2000) * math.sqrt(2000) == pytest.approx(z, rel=2e-3)
    assert rl.detectable_difference(3.0, 5) == pytest.approx(3 * rl.detectable_difference(1.0, 5))
    assert rl.detectable_difference(0.0, 5) == 0.0


def test_detectable_difference_grows_with_fewer_pairs_a_stricter_level_and_more_power():
    base = rl.detectable_difference(1.0, 5)
    assert rl.detectable_difference(1.0, 4) > base > rl.detectable_difference(1.0, 10)
    assert rl.detectable_difference(1.0, 5, alpha=0.01) > base
    assert rl.detectable_difference(1.0, 5, power=0.9) > base
    # t-test, 5 pairs, two-sided 5%, 80% power: about 1.68 standard deviations
    assert base == pytest.approx(1.68, abs=0.01)


def test_detectable_difference_keeps_nan():
    assert math.isnan(rl.detectable_difference(float("nan"), 5))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"sd": "1", "n": 5}, TypeError, "sd"),
        ({"sd": -1.0, "n": 5}, ValueError, "sd"),
        ({"sd": 1.0, "n": 5.0}, TypeError, "n must be an int"),
        ({"sd": 1.0, "n": True}, TypeError, "n must be an int"),
        ({"sd": 1.0, "n": 1}, ValueError, "at least 2"),
        ({"sd": 1.0, "n": 5, "alpha": 0.0}, ValueError, "alpha"),
        ({"sd": 1.0, "n": 5, "alpha": 1.0}, ValueError, "alpha"),
        ({"sd": 1.0, "n": 5, "power": 1.0}, ValueError, "power"),
        ({"sd": 1.0, "n": 5, "alpha": 0.5, "power": 0.4}, ValueError, "power must exceed alpha"),
    ],
)
def test_detectable_difference_names_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        rl.detectable_difference(**kwargs)


# --- sign_flip_test ---------------------------------------------------------------------------


def test_five_positive_differences_give_one_over_32_the_smallest_p_five_can_give():
    d = [0.062, 0.112, 0.093, 0.003, 0.047]
    assert rl.sign_flip_test(d) == 1 / 32
    assert rl.sign_flip_test(d, alternative="less") == 1.0
    assert rl.sign_flip_test(d, alternative="two-sided") == 2 / 32
    assert rl.sign_flip_test([-v for v in d], alternative="less") == 1 / 32
    rng = np.random.default_rng(0)
    assert min(rl.sign_flip_test(rng.normal(size=5)) for _ in range(200)) >= 1 / 32


@pytest.mark.parametrize("n", [2, 5, 8, 11])
@pytest.mark.parametrize("alternative", ["greater", "less", "two-sided"])
def test_sign_flip_test_equals_scipys_exact_permutation_test(n, alternative):
    d = np.random.default_rng(n).normal(0.3, 1.0, size=n)
    expected = stats.permutation_test(
        (d,), np.mean, permutation_type="samples", alternative=alternative, n_resamples=np.inf
    ).pvalue
    assert rl.sign_flip_test(d, alternative=alternative) == pytest.approx(expected, abs=1e-12)


def test_sign_flip_test_counts_every_pattern_as_brute_force_does():
    d = np.random.default_rng(5).normal(0.2, 1.0, size=14)
    sums = np.array([np.dot(s, np.abs(d)) for s in itertools.product([1, -1], repeat=14)])
    tol = 1e-9 * np.abs(d).sum()
    assert rl.sign_flip_test(d) == (sums >= d.sum() - tol).mean()
    assert rl.sign_flip_test(d, alternative="less") == (sums <= d.sum() + tol).mean()
    two = (np.abs(sums) >= abs(d.sum()) - tol).mean()
    assert rl.sign_flip_test(d, alternative="two-sided") == two


def test_sign_flip_test_counts_sums_equal_up_to_rounding_and_zero_differences():
    # 0.1 + 0.2 != 0.3 in floating point, but flipping 0.3 against 0.1 and 0.2 ties the observed sum
    assert rl.sign_flip_test([0.1, 0.2, -0.3]) == rl.sign_flip_test([1, 2, -3]) == 0.625
    assert rl.sign_flip_test([1.0, 0.0]) == 0.5  # a zero counts as either sign
    assert rl.sign_flip_test([0.0, 0.0, 0.0], alternative="two-sided") == 1.0


def test_sign_flip_test_is_exact_for_forty_pairs():
    d = np.ones(40)
    assert rl.sign_flip_test(d) == 2.0**-40
    d[0] = -1
    assert rl.sign_flip_test(d) == 41 * 2.0**-40  # the observed pattern or one with all positive


@pytest.mark.parametrize(
    "differences, kwargs, error, match",
    [
        ("0.1", {}, TypeError, "differences"),
        (0.5, {}, TypeError, "differences"),
        ([0.1, "a"], {}, TypeError, "differences"),
        ([[0.1, 0.2]], {}, ValueError, "one-dimensional"),
        ([], {}, ValueError, "1 to 40"),
        (np.ones(41), {}, ValueError, "1 to 40"),
        ([0.1, np.nan], {}, ValueError, "finite"),
        ([0.1, np.inf], {}, ValueError, "finite"),
        ([0.1], {"alternative": "bigger"}, ValueError, "alternative"),
        ([0.1], {"alternative": 1}, ValueError, "alternative"),
    ],
)
def test_sign_flip_test_names_bad_arguments(differences, kwargs, error, match):
    with pytest.raises(error, match=match):
        rl.sign_flip_test(differences, **kwargs)
