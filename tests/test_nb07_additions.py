"""What notebook 07 adds to relu_lib and relies on: Holm's adjustment and the smallest detectable
difference of a paired t-test (relu_lib.stats), and that rl.train_steps takes exactly the
optimiser steps rl.train takes, so the notebook can time convergence step by step."""

import math

import numpy as np
import pytest
import torch
from scipy import stats

import relu_lib as rl


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


@pytest.mark.parametrize("activation", ["relu", "prelu"])
def test_train_steps_takes_the_steps_train_takes(activation):
    data = rl.digits(n_train=300)
    sizes = [64, 16, 16, 10]
    a = rl.make_mlp(sizes, activation=activation, seed=3)
    b = rl.make_mlp(sizes, activation=activation, seed=3)
    history = rl.train(
        a, data, "sgd", lr=0.05, momentum=0.9, epochs=3, batch_size=128, seed=0, probe=False
    )
    steps = 3 * history.steps_per_epoch
    record = rl.train_steps(b, data, lr=0.05, steps=steps, batch_size=128, momentum=0.9, seed=0)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    # with every=1, the records at the ends of the epochs are train's per-epoch errors
    per_epoch = record.train_error[:: history.steps_per_epoch]
    np.testing.assert_allclose(per_epoch, history.train_error)
