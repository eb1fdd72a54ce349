import math

import numpy as np
import pytest
import torch
from torch import nn

import relu_lib as rl

# --- make_mlp -------------------------------------------------------------------------------


def test_structure_and_no_activation_after_the_last_layer():
    m = rl.make_mlp([4, 8, 8, 3], activation="tanh")
    kinds = [type(layer).__name__ for layer in m]
    assert kinds == ["Linear", "Tanh", "Linear", "Tanh", "Linear"]
    assert [lin.out_features for lin in rl.linear_layers(m)] == [8, 8, 3]


@pytest.mark.parametrize("name", sorted(rl.ACTIVATIONS))
def test_every_activation_name_builds_and_runs(name):
    m = rl.make_mlp([3, 5, 2], activation=name, seed=0)
    assert m(torch.randn(4, 3)).shape == (4, 2)


def test_prelu_is_channel_wise():
    assert rl.make_mlp([3, 7, 2], activation="prelu")[1].weight.shape == (7,)
    assert rl.make_mlp([3, 7, 2], activation="prelu_shared")[1].weight.shape == (1,)


def test_same_seed_same_weights_and_global_rng_untouched():
    torch.manual_seed(123)
    expected_next = torch.rand(1)
    torch.manual_seed(123)
    a = rl.make_mlp([10, 20, 5], seed=7)
    assert torch.rand(1) == expected_next
    b = rl.make_mlp([10, 20, 5], seed=7)
    c = rl.make_mlp([10, 20, 5], seed=8)
    assert torch.equal(a[0].weight, b[0].weight) and not torch.equal(a[0].weight, c[0].weight)


@pytest.mark.parametrize(
    "init, variance",
    [
        ("he", lambda n_in, n_out: 2 / n_in),
        ("xavier", lambda n_in, n_out: 2 / (n_in + n_out)),
        ("torch", lambda n_in, n_out: 1 / (3 * n_in)),
        (4.0, lambda n_in, n_out: 4 / n_in),
    ],
)
def test_init_variances(init, variance):
    m = rl.make_mlp([400, 200, 10], init=init, seed=0)
    w = m[0].weight
    assert w.var().item() == pytest.approx(variance(400, 200), rel=0.03)
    if init != "torch":
        assert (m[0].bias == 0).all()
    else:
        assert (m[0].bias != 0).any()


def test_bias_false():
    assert all(lin.bias is None for lin in rl.linear_layers(rl.make_mlp([3, 4, 2], bias=False)))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"sizes": [3]}, ValueError, "sizes"),
        ({"sizes": [3, 0, 2]}, ValueError, "sizes"),
        ({"sizes": [3, 2.5, 2]}, TypeError, "sizes"),
        ({"activation": "softplus"}, ValueError, "unknown activation 'softplus'"),
        ({"init": "kaiming"}, ValueError, "unknown init 'kaiming'"),
        ({"init": -1.0}, ValueError, "init must be"),
        ({"seed": 1.5}, TypeError, "seed"),
    ],
)
def test_bad_arguments_are_errors_naming_the_argument(kwargs, error, match):
    args = {"sizes": [3, 4, 2], **kwargs}
    with pytest.raises(error, match=match):
        rl.make_mlp(**args)


# --- StackedMLP -----------------------------------------------------------------------------


def test_stacked_forward_equals_the_separate_models():
    models = [rl.make_mlp([5, 6, 6, 3], seed=s) for s in range(4)]
    stacked = rl.StackedMLP(models)
    x = torch.randn(7, 5)
    out = stacked(x)
    assert out.shape == (4, 7, 3)
    for k, m in enumerate(models):
        assert torch.allclose(out[k], m(x), atol=1e-6)


def test_stacked_training_gives_each_model_its_own_training():
    data = rl.spirals(n_per_class=30, seed=0)
    models = [rl.make_mlp([2, 16, 16, 3], seed=s) for s in range(3)]
    stacked = rl.StackedMLP([m for m in models])
    together = rl.train(stacked, data, optimizer="adam", lr=0.01, epochs=5, batch_size=16)
    for k, m in enumerate(models):
        alone = rl.train(m, data, optimizer="adam", lr=0.01, epochs=5, batch_size=16)
        np.testing.assert_allclose(together.loss[:, k], alone.loss, rtol=1e-4)
        for a, b in zip(rl.linear_layers(stacked.unstack()[k]), rl.linear_layers(m), strict=True):
            assert torch.allclose(a.weight, b.weight, atol=1e-5)


def test_stacking_refuses_mismatched_models():
    with pytest.raises(ValueError, match="same layer sizes"):
        rl.StackedMLP([rl.make_mlp([2, 3, 1]), rl.make_mlp([2, 4, 1])])
    with pytest.raises(ValueError, match="same activation"):
        rl.StackedMLP([rl.make_mlp([2, 3, 1]), rl.make_mlp([2, 3, 1], activation="tanh")])
    with pytest.raises(ValueError, match="cannot be stacked"):
        rl.StackedMLP([rl.make_mlp([2, 3, 1], activation="prelu")])


# --- probes ---------------------------------------------------------------------------------


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


# --- training and data ----------------------------------------------------------------------


def test_training_is_deterministic_and_learns():
    data = rl.digits()
    runs = [
        rl.train(rl.make_mlp([64, 32, 10], seed=0), data, lr=0.1, epochs=8, batch_size=64, seed=1)
        for _ in range(2)
    ]
    np.testing.assert_array_equal(runs[0].loss, runs[1].loss)
    h = runs[0]
    assert h.loss.shape == (9,) and h.dead.shape == (9, 1)
    assert h.train_acc[-1] > 0.9 and h.test_acc[-1] > 0.85
    assert h.steps_per_epoch == math.ceil(len(data.x_train) / 64)


def test_first_epoch_below():
    data = rl.spirals(n_per_class=20)
    h = rl.train(rl.make_mlp([2, 8, 3], seed=0), data, epochs=2)
    assert h.first_epoch_below(1.0) == 0 and h.first_epoch_below(-1.0) == -1


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"optimizer": "rmsprop"}, ValueError, "unknown optimizer 'rmsprop'"),
        ({"lr": 0}, ValueError, "lr must be positive"),
        ({"epochs": -1}, ValueError, "epochs"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 2.5}, TypeError, "batch_size must be an int"),
        ({"optimizer": "adam", "momentum": 0.9}, ValueError, "momentum applies to sgd"),
    ],
)
def test_training_refuses_bad_settings(kwargs, error, match):
    with pytest.raises(error, match=match):
        rl.train(rl.make_mlp([2, 3, 3]), rl.spirals(n_per_class=10), **kwargs)


def test_training_needs_a_dataset():
    with pytest.raises(TypeError, match="Dataset"):
        rl.train(rl.make_mlp([2, 3, 3]), (torch.zeros(3, 2), torch.zeros(3)))


def test_digits_split_is_standardised_with_training_statistics_only():
    d = rl.digits(seed=0)
    assert d.x_train.shape == (1348, 64) and d.x_test.shape == (449, 64)
    assert d.n_classes == 10 and d.x_train.dtype == torch.float32
    assert d.x_train.mean(0).abs().max() < 1e-5
    assert d.x_test.mean(0).abs().max() > 1e-3
    assert torch.equal(rl.digits(seed=0).x_train, d.x_train)
    assert not torch.equal(rl.digits(seed=1).x_train, d.x_train)
    assert len(rl.digits(n_train=100).x_train) == 100


def test_spirals_and_bad_data_arguments():
    s = rl.spirals(n_per_class=50, n_classes=4)
    assert s.n_features == 2 and s.n_classes == 4 and len(s.x_train) + len(s.x_test) == 200
    with pytest.raises(ValueError, match="test_fraction"):
        rl.digits(test_fraction=1.5)
    with pytest.raises(ValueError, match="n_train"):
        rl.digits(n_train=5000)
    with pytest.raises(ValueError, match="spirals"):
        rl.spirals(n_classes=1)


def test_the_h200_measurements_ship_with_relu_lib():
    cost = rl.load_measurements("h200_activation_cost")
    relu = next(r for r in cost if r["op"] == "relu" and r["dtype"] == "float32")
    assert relu["device"] == "NVIDIA H200" and 0.9 < relu["fwd_vs_copy"] < 1.1
    copy = next(r for r in cost if r["op"] == "copy" and r["dtype"] == "float32")
    assert copy["fwdbwd_ms"] is None
    memory = rl.load_measurements("h200_inplace_relu_memory")
    assert [r["inplace"] for r in memory] == [False, True]
    assert memory[0]["fwd_peak_MiB"] == 1185.0
    with pytest.raises(ValueError, match="unknown measurements"):
        rl.load_measurements("h100")


# From notebook 02, which compares initialisations network by network on the same draws.
NB02_SIZES = [64] + [128] * 30 + [10]  # notebook 02's networks


@pytest.mark.parametrize("seed", [0, 9])
@pytest.mark.parametrize("other", ["xavier", 64.0])
def test_make_mlp_same_seed_draws_the_same_weights_for_every_normal_init_up_to_one_scale_per_layer(
    seed, other
):
    he = rl.linear_layers(rl.make_mlp(NB02_SIZES, "relu", "he", seed=seed))
    scaled = rl.linear_layers(rl.make_mlp(NB02_SIZES, "relu", other, seed=seed))
    for he_layer, other_layer in zip(he, scaled, strict=True):
        ratio = other_layer.weight / he_layer.weight
        # one constant per layer: the ratio's spread is below 1e-6 of its size (float32 rounding)
        assert (ratio.std() / ratio.mean()).item() < 1e-6
        # and that one constant is the ratio of the standard deviations the two inits ask for
        n_in = he_layer.in_features
        variance = 2 / (n_in + he_layer.out_features) if other == "xavier" else other / n_in
        assert ratio.mean().item() == pytest.approx((variance / (2 / n_in)) ** 0.5, rel=1e-5)


def test_make_mlp_different_seeds_draw_different_weights_not_a_rescaled_copy():
    a = rl.linear_layers(rl.make_mlp(NB02_SIZES[:3], "relu", "he", seed=0))[0].weight
    b = rl.linear_layers(rl.make_mlp(NB02_SIZES[:3], "relu", "xavier", seed=1))[0].weight
    assert (b / a).std().item() > 1e-2
    assert not torch.allclose(a, b)


# Notebook 05 kills units (incoming weights 0, bias -1) and says that relu_lib's plain SGD
# leaves them dead: checked here.
def killed_network(fraction, seed=0, sizes=(64, 32, 32, 10)):
    net = rl.make_mlp(list(sizes), activation="relu", init="he", seed=seed)
    with torch.no_grad():
        for layer in rl.linear_layers(net)[:2]:  # both hidden layers, as in the notebook
            k = round(fraction * layer.out_features)
            layer.weight[:k] = 0.0
            layer.bias[:k] = -1.0
    return net


@pytest.fixture(scope="module")
def digits_200():
    return rl.digits(n_train=200)


@pytest.mark.parametrize("fraction", [1 / 2, 3 / 4])
def test_train_with_plain_sgd_leaves_killed_units_dead(digits_200, fraction):
    stack = rl.StackedMLP([killed_network(fraction, seed=s) for s in range(3)])
    rl.train(stack, digits_200, lr=0.1, epochs=5, batch_size=50, probe=False)
    inputs = torch.cat([digits_200.x_train, digits_200.x_test])
    dead = rl.dead_unit_fraction(stack, inputs)  # (networks, hidden layers)
    assert np.all(dead >= fraction - 1e-9)


def test_train_with_plain_sgd_does_not_move_the_killed_units_parameters(digits_200):
    net = killed_network(1 / 2)
    rl.train(net, digits_200, lr=0.1, epochs=3, batch_size=50, probe=False)
    for layer in rl.linear_layers(net)[:2]:
        k = layer.out_features // 2
        assert torch.equal(layer.weight[:k], torch.zeros_like(layer.weight[:k]))
        assert torch.equal(layer.bias[:k], torch.full_like(layer.bias[:k], -1.0))


def test_weight_decay_would_move_them_so_the_check_can_fail(digits_200):
    # The same kill with weight decay: the bias decays toward 0, so the parameters do change.
    # (This is why the notebook uses plain SGD; a training loop that always applied decay or
    # momentum from other units' history would fail the test above.)
    net = killed_network(1 / 2)
    rl.train(net, digits_200, lr=0.1, epochs=3, batch_size=50, probe=False, weight_decay=0.1)
    layer = rl.linear_layers(net)[0]
    k = layer.out_features // 2
    assert not torch.equal(layer.bias[:k], torch.full_like(layer.bias[:k], -1.0))
