"""Tests of relu_lib.probes: the gradient probes (layer_grad_norms, activation_grad_norms,
gradient_profile), the activation probes (activations, dead_unit_fraction, sparsity), dead units
counted by the gradient (zero_gradient_units, zero_gradient_fraction), and the regressions of issue
11 in probes: sparsity counts exact zeros only, and probes run in eval mode and leave each
module in its own mode."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import relu_lib as rl

# --- layer_grad_norms, dead_unit_fraction and sparsity ----------------------------------------


def test_layer_grad_norms_match_a_manual_backward_and_leave_grad_alone():
    m = rl.make_mlp([4, 6, 6, 3], seed=0)
    x, y = torch.randn(10, 4), torch.randint(0, 3, (10,))
    m[0].weight.grad = torch.full_like(m[0].weight, 7.0)
    norms = rl.layer_grad_norms(m, x, y)
    assert torch.equal(m[0].weight.grad, torch.full_like(m[0].weight, 7.0))
    assert m[2].weight.grad is None
    m.zero_grad(set_to_none=True)
    nn.functional.cross_entropy(m(x), y).backward()
    expected = [lin.weight.grad.norm().item() for lin in rl.linear_layers(m)]
    assert norms == pytest.approx(expected)


def test_layer_grad_norms_without_labels_use_the_mean_squared_output():
    m = rl.make_mlp([4, 5, 2], seed=0)
    x = torch.randn(6, 4)
    m(x).pow(2).mean().backward()
    assert rl.layer_grad_norms(m, x) == pytest.approx(
        [lin.weight.grad.norm().item() for lin in rl.linear_layers(m)]
    )


def test_probes_refuse_bad_input():
    m = rl.make_mlp([4, 5, 2])
    with pytest.raises(TypeError, match="integer class labels"):
        rl.layer_grad_norms(m, torch.randn(3, 4), torch.tensor([0.0, 1.0, 0.0]))
    with pytest.raises(TypeError, match="floating-point"):
        rl.dead_unit_fraction(m, np.zeros((3, 4)))
    with pytest.raises(ValueError, match="non-empty"):
        rl.sparsity(m, torch.zeros(0, 4))


def test_dead_units_and_sparsity_on_a_hand_built_network():
    m = rl.make_mlp([2, 4, 1], seed=0)
    with torch.no_grad():
        m[0].weight.copy_(torch.tensor([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]))
        m[0].bias.copy_(torch.tensor([0.0, 0.0, -1.0, 0.0]))
    x = torch.tensor([[1.0, 1.0], [2.0, -1.0]])
    # unit 0: 1, 2 (alive); unit 1: 0, 0 (dead); unit 2: always 0 (dead); unit 3: 1, 0
    assert rl.dead_unit_fraction(m, x) == [0.5]
    assert rl.sparsity(m, x) == [5 / 8]


def test_leaky_units_are_never_dead():
    m = rl.make_mlp([2, 4, 1], activation="leaky_relu", seed=0)
    with torch.no_grad():
        m[0].bias.fill_(-100.0)
    assert rl.dead_unit_fraction(m, torch.randn(5, 2)) == [0.0]
    relu = rl.make_mlp([2, 4, 1], seed=0)
    with torch.no_grad():
        relu[0].bias.fill_(-100.0)
    assert rl.dead_unit_fraction(relu, torch.randn(5, 2)) == [1.0]


def test_probes_leave_training_mode_and_handle_stacks():
    m = rl.make_mlp([3, 4, 4, 2], activation="rrelu", seed=0)
    m.train()
    rl.sparsity(m, torch.randn(5, 3))
    assert all(layer.training for layer in m.modules())
    stacked = rl.StackedMLP([rl.make_mlp([3, 4, 4, 2], seed=s) for s in range(3)])
    assert rl.dead_unit_fraction(stacked, torch.randn(5, 3)).shape == (3, 2)


# --- activation_grad_norms --------------------------------------------------------------------


def manual_activation_grads(model, x, loss_fn):
    """dL/dh for every activation output, by running the Sequential layer by layer."""
    h, outputs = x, []
    for layer in model:
        h = layer(h)
        if not isinstance(layer, nn.Linear):
            h.retain_grad()
            outputs.append(h)
    loss_fn(h).backward()
    return [o.grad.norm().item() for o in outputs]


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "leaky_relu"])
def test_activation_grad_norms_match_a_manual_backward(activation):
    m = rl.make_mlp([4, 6, 5, 6, 3], activation=activation, seed=0)
    x, y = torch.randn(10, 4), torch.randint(0, 3, (10,))
    norms = rl.activation_grad_norms(m, x, y)
    assert len(norms) == 3
    expected = manual_activation_grads(m, x, lambda out: nn.functional.cross_entropy(out, y))
    assert norms == pytest.approx(expected)


def test_activation_grad_norms_without_labels_use_the_mean_squared_output():
    m = rl.make_mlp([4, 5, 5, 2], activation="tanh", seed=1)
    x = torch.randn(6, 4)
    expected = manual_activation_grads(m, x, lambda out: out.pow(2).mean())
    assert rl.activation_grad_norms(m, x) == pytest.approx(expected)


@pytest.mark.parametrize("probe", [rl.activation_grad_norms, rl.gradient_profile])
def test_backward_probes_leave_grad_and_hooks_alone(probe):
    m = rl.make_mlp([4, 6, 3], seed=0)
    m[0].weight.grad = torch.full_like(m[0].weight, 7.0)
    probe(m, torch.randn(5, 4), torch.tensor([0, 1, 2, 0, 1]))
    assert torch.equal(m[0].weight.grad, torch.full_like(m[0].weight, 7.0))
    assert m[2].weight.grad is None
    assert all(not layer._forward_hooks for layer in m)


def test_the_last_layer_gradient_of_a_linear_net_is_the_output_gradient_through_w():
    # One hidden layer: dL/dh = dL/dout W2, worked out by hand.
    m = rl.make_mlp([3, 4, 2], activation="relu", seed=0)
    x = torch.randn(5, 3)
    out = m(x)
    d_out = 2 * out / out.numel()  # gradient of mean(out^2)
    expected = (d_out @ m[2].weight).norm().item()
    assert rl.activation_grad_norms(m, x) == pytest.approx([expected])


def test_activation_grad_norms_refuse_bad_input():
    with pytest.raises(ValueError, match="no activation layer"):
        rl.activation_grad_norms(nn.Sequential(nn.Linear(3, 2)), torch.randn(4, 3))
    with pytest.raises(TypeError, match="floating-point"):
        rl.activation_grad_norms(rl.make_mlp([3, 4, 2]), torch.zeros(4, 3, dtype=torch.int64))
    with pytest.raises(TypeError, match="integer class labels"):
        rl.activation_grad_norms(rl.make_mlp([3, 4, 2]), torch.randn(2, 3), torch.tensor([0.5, 1]))


# --- gradient_profile -------------------------------------------------------------------------


@pytest.mark.parametrize("activation, init", [("sigmoid", 16.0), ("tanh", "torch"), ("relu", "he")])
@pytest.mark.parametrize("labels", [True, False])
def test_gradient_profile_equals_the_separate_probes(activation, init, labels):
    m = rl.make_mlp([5, 7, 6, 7, 3], activation, init, seed=0)
    x = torch.randn(9, 5, generator=torch.Generator().manual_seed(1))
    y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2]) if labels else None
    profile = rl.gradient_profile(m, x, y)
    assert profile["weight"] == rl.layer_grad_norms(m, x, y)
    assert profile["backward"] == rl.activation_grad_norms(m, x, y)
    recorded = rl.activations(m, x)
    assert len(profile["outputs"]) == len(recorded) == 3
    for got, expected in zip(profile["outputs"], recorded, strict=True):
        assert torch.equal(got, expected) and not got.requires_grad


def test_gradient_profile_refuses_bad_input():
    with pytest.raises(ValueError, match="no activation layer"):
        rl.gradient_profile(nn.Sequential(nn.Linear(3, 2)), torch.randn(4, 3))
    with pytest.raises(ValueError, match="no nn.Linear layer"):
        rl.gradient_profile(nn.Sequential(nn.ReLU()), torch.randn(4, 3))
    with pytest.raises(TypeError, match="floating-point"):
        rl.gradient_profile(rl.make_mlp([3, 4, 2]), torch.zeros(4, 3, dtype=torch.int64))
    with pytest.raises(TypeError, match="integer class labels"):
        rl.gradient_profile(rl.make_mlp([3, 4, 2]), torch.randn(2, 3), torch.tensor([0.5, 1]))


# --- zero_gradient_units and zero_gradient_fraction -------------------------------------------


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


# --- regression: sparsity counts exact zeros only ---------------------------------------------
# Issue 11: a bug that once survived every test, caught by the tests below: ``sparsity`` counting
# outputs ``<= 0`` instead of exact zeros.


@pytest.mark.parametrize("activation", ["leaky_relu", "prelu", "tanh", "elu"])
def test_negative_outputs_are_not_zeros(activation):
    net = rl.make_mlp([2, 4, 1], activation=activation, seed=0)
    with torch.no_grad():
        net[0].bias.fill_(-5.0)  # every pre-activation negative: outputs negative, never 0
    x = 0.1 * torch.randn(6, 2, generator=torch.Generator().manual_seed(0))
    assert (rl.activations(net, x)[0] < 0).all()
    assert rl.sparsity(net, x) == [0.0]
    assert rl.dead_unit_fraction(net, x) == [0.0]


def test_the_same_negative_pre_activations_through_relu_are_all_zeros():
    net = rl.make_mlp([2, 4, 1], seed=0)
    with torch.no_grad():
        net[0].bias.fill_(-5.0)
    x = 0.1 * torch.randn(6, 2, generator=torch.Generator().manual_seed(0))
    assert rl.sparsity(net, x) == [1.0] and rl.dead_unit_fraction(net, x) == [1.0]


# --- regression: probes run in eval mode and restore each module's own mode -------------------
# Issue 11: bugs that once survived every test, caught by the tests below: ``activations``
# probing in training mode, or its eval-mode helper restoring ``training=True`` everywhere.


def test_activations_are_probed_in_eval_mode():
    # RReLU draws a random slope per element in training mode; in eval mode it is (l + u) / 2.
    net = rl.make_mlp([3, 50, 2], activation="rrelu", seed=0)
    net.train()
    x = torch.randn(20, 3, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = F.rrelu(net[0](x), training=False)
    (hidden,) = rl.activations(net, x)
    assert torch.equal(hidden, expected)
    assert rl.sparsity(net, x) == [(expected == 0).float().mean().item()]


@pytest.mark.parametrize("probe", [rl.activations, rl.sparsity, rl.dead_unit_fraction])
@pytest.mark.parametrize("modes", ["train", "eval", "mixed"])
def test_probes_leave_every_module_in_its_own_mode(probe, modes):
    net = rl.make_mlp([3, 4, 4, 2], activation="rrelu", seed=0)
    net.train(modes == "train")
    if modes == "mixed":
        net[1].train()  # one activation in training mode inside a model in eval mode
    before = [m.training for m in net.modules()]
    probe(net, torch.randn(5, 3))
    assert [m.training for m in net.modules()] == before
