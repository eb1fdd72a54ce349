"""Tests of relu_lib.nets: make_mlp (its layers, every activation and initialisation, seeds and the
weights they draw, bad arguments), linear_layers, and StackedMLP, whose stack computes and trains
as its models do apart."""

import numpy as np
import pytest
import torch

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
