"""What notebook 07 adds to relu_lib for issue 18: dead units counted by the gradient
(relu_lib.probes.zero_gradient_units / zero_gradient_fraction) and the exact sign-flip test
(relu_lib.stats.sign_flip_test)."""

import itertools

import numpy as np
import pytest
import torch
from scipy import stats
from torch import nn

import relu_lib as rl

# --- zero_gradient_units ----------------------------------------------------------------------


def _two_units(activation, dtype=torch.float32):
    """2 inputs -> 2 hidden units (the first far below zero, the second far above) -> 1 output."""
    net = nn.Sequential(nn.Linear(2, 2), activation, nn.Linear(2, 1)).to(dtype)
    with torch.no_grad():
        net[0].weight.copy_(torch.eye(2))
        net[0].bias.copy_(torch.tensor([-100.0, 100.0]))
    return net


X = torch.randn(7, 2, generator=torch.Generator().manual_seed(0))


@pytest.mark.parametrize("activation", [nn.ReLU(), nn.ReLU(inplace=True), rl.ReLU()])
def test_a_relu_unit_below_zero_everywhere_is_dead_and_one_above_is_not(activation):
    net = _two_units(activation)
    before = net(X).detach().clone()
    (mask,) = rl.zero_gradient_units(net, X)
    assert mask.tolist() == [True, False]
    assert rl.zero_gradient_fraction(net, X) == [0.5] == rl.dead_unit_fraction(net, X)
    assert torch.equal(net(X), before)  # an in-place ReLU did not change the model


@pytest.mark.parametrize(
    "activation", [nn.LeakyReLU(), nn.PReLU(2), nn.RReLU(), nn.ELU(), nn.SiLU(), nn.Sigmoid()]
)
def test_activations_with_a_nonzero_derivative_below_zero_have_no_dead_unit(activation):
    net = _two_units(activation)
    with torch.no_grad():
        net[0].bias.fill_(-20.0)
    assert rl.zero_gradient_units(net, X)[0].tolist() == [False, False]


def test_gelu_dies_in_float32_where_its_derivative_rounds_to_zero_but_not_in_float64():
    net = _two_units(nn.GELU())
    with torch.no_grad():
        net[0].bias.copy_(torch.tensor([-20.0, -1.0]))
    assert rl.zero_gradient_units(net, X)[0].tolist() == [True, False]
    assert rl.zero_gradient_units(net.double(), X.double())[0].tolist() == [False, False]


@pytest.mark.parametrize("activation", ["relu", "gelu", "leaky_relu", "prelu", "elu"])
def test_dead_units_are_exactly_the_rows_of_the_weight_gradient_that_are_zero(activation):
    x = rl.digits().x_train[:200]
    net = rl.make_mlp([64, 16, 10], activation=activation, seed=3)
    with torch.no_grad():
        net[0].bias.copy_(torch.linspace(-20, 2, 16))  # some units far below zero, some not
    y = torch.arange(200) % 10
    (w_grad,) = torch.autograd.grad(nn.functional.cross_entropy(net(x), y), net[0].weight)
    (mask,) = rl.zero_gradient_units(net, x)
    np.testing.assert_array_equal(mask, (w_grad == 0).all(dim=1).numpy())
    if activation in ("relu", "gelu"):
        assert 0 < mask.sum() < 16  # the comparison above is not all-or-nothing


def test_zero_gradient_units_leaves_modes_and_grads_as_it_found_them():
    net = rl.make_mlp([4, 3, 3, 2], activation="prelu", seed=0)
    net.train()
    rl.zero_gradient_units(net, torch.randn(5, 4))
    assert net.training and all(m.training for m in net.modules())
    assert all(p.grad is None for p in net.parameters())


def test_rrelu_is_measured_in_eval_mode_with_its_fixed_slope():
    net = _two_units(nn.RReLU(lower=0.0, upper=0.0))  # slope 0: a ReLU in eval and in training
    assert rl.zero_gradient_units(net, X)[0].tolist() == [True, False]


def test_a_nan_derivative_is_not_a_dead_unit():
    net = _two_units(nn.ReLU())
    x = X.clone()
    x[:, 0] = float("nan")
    assert rl.zero_gradient_units(net, x)[0].tolist() == [False, False]


def test_stacked_models_give_one_row_per_model_equal_to_each_model_alone():
    x = rl.digits().x_train[:100]
    models = [rl.make_mlp([64, 8, 8, 10], activation="gelu", seed=s) for s in range(3)]
    for m in models:
        with torch.no_grad():
            m[0].bias.normal_(-8.0, 4.0, generator=torch.Generator().manual_seed(1))
    stacked = rl.StackedMLP(models)
    masks = rl.zero_gradient_units(stacked, x)
    assert [m.shape for m in masks] == [(3, 8), (3, 8)]
    for k, model in enumerate(models):
        for layer, alone in enumerate(rl.zero_gradient_units(model, x)):
            np.testing.assert_array_equal(masks[layer][k], alone)
    fractions = rl.zero_gradient_fraction(stacked, x)
    assert fractions.shape == (3, 2)
    expected = np.array([[m[k].mean() for m in masks] for k in range(3)])
    np.testing.assert_allclose(fractions, expected)
    assert masks[0].any()  # the stack has dead units to compare


@pytest.mark.parametrize(
    "model, x, error, match",
    [
        ("net", torch.zeros(2, 2), TypeError, "model"),
        (None, np.zeros((2, 2)), TypeError, "x must be"),
        (None, torch.zeros(2, 2, dtype=torch.int64), TypeError, "x must be"),
        (None, torch.zeros(0, 2), ValueError, "non-empty"),
        (nn.Sequential(nn.Linear(2, 1)), torch.zeros(2, 2), ValueError, "activation"),
    ],
)
def test_zero_gradient_units_names_bad_arguments(model, x, error, match):
    model = _two_units(nn.ReLU()) if model is None else model
    with pytest.raises(error, match=match):
        rl.zero_gradient_units(model, x)
    with pytest.raises(error, match=match):
        rl.zero_gradient_fraction(model, x)


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
