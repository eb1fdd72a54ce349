"""relu_lib.prelu, prelu_grad and rrelu against torch: values, derivatives, shapes, the alpha
rules of F.prelu, the slopes RReLU draws, and bad input."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import stats
from test_functional import BAD_INPUTS

import relu_lib as rl

EDGE = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, -1.0, 1.0, 1e-45, -1e-45, 1e30, -1e30])
RNG = np.random.default_rng(0)


def torch_prelu(x, alpha):
    """F.prelu's value, its gradient with respect to x and to the weight (loss: sum)."""
    t = torch.tensor(x, requires_grad=True)
    w = torch.tensor(np.asarray(alpha, dtype=x.dtype), requires_grad=True)
    y = F.prelu(t, w)
    gx, gw = torch.autograd.grad(y.sum(), (t, w))
    return y.detach().numpy(), gx.numpy(), gw.numpy()


# (input shape, alpha): shared and channel-wise slopes on inputs of 0 to 4 dims.
SHAPES = [
    ((), [0.25]),
    ((), 0.3),
    ((7,), [0.25]),
    ((5, 3), [0.25]),
    ((5, 3), [0.1, -0.2, 0.7]),
    ((4, 3, 6), [0.1, 0.5, 2.0]),
    ((2, 3, 4, 5), [0.0, 0.25, 1.0]),
    ((2, 1, 4), [0.4]),
    ((2, 3), np.array(0.6)),
    ((0, 3), [0.1, 0.2, 0.3]),
    ((2, 0), [0.5]),
]


@pytest.mark.parametrize("shape, alpha", SHAPES, ids=[f"{s}-{np.shape(a)}" for s, a in SHAPES])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_prelu_value_and_derivative_match_torch(shape, alpha, dtype):
    x = RNG.normal(scale=2.0, size=shape).astype(dtype)
    value, grad_x, _ = torch_prelu(x, alpha)
    ours = rl.prelu(x, alpha)
    assert ours.shape == value.shape == x.shape and ours.dtype == dtype
    np.testing.assert_allclose(ours, value, rtol=1e-6)
    grad = rl.prelu_grad(x, alpha)
    assert grad.shape == x.shape and grad.dtype == dtype
    np.testing.assert_allclose(grad, grad_x, rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_prelu_on_edge_values_and_the_derivative_at_zero(dtype):
    x = np.stack([EDGE, -EDGE]).T.astype(dtype)  # (11, 2): two channels
    alpha = [0.25, 0.7]
    value, grad_x, _ = torch_prelu(x, alpha)
    np.testing.assert_array_equal(rl.prelu(x, alpha), value)  # NaN where torch has NaN
    assert np.array_equal(np.signbit(rl.prelu(x, alpha)), np.signbit(value))
    finite = ~np.isnan(x)
    np.testing.assert_array_equal(rl.prelu_grad(x, alpha)[finite], grad_x[finite])
    # At 0 and -0.0 the derivative is the channel's slope, PyTorch's value.
    zeros = np.array([[0.0, -0.0], [-0.0, 0.0]], dtype=dtype)
    assert rl.prelu_grad(zeros, alpha).tolist() == np.array([alpha, alpha], dtype).tolist()


def test_prelu_nan_stays_nan_in_value_and_derivative():
    x = np.array([[np.nan, 1.0, -1.0]])
    assert np.isnan(rl.prelu(x, [0.2, 0.2, 0.2])[0, 0])
    assert np.isnan(rl.prelu_grad(x, [0.2])[0, 0])
    assert not np.isnan(rl.prelu_grad(x, [0.2])[0, 1:]).any()
    _, grad_x, _ = torch_prelu(np.array([np.nan]), [0.2])
    assert grad_x[0] == 0.2  # torch passes the slope through NaN; relu_lib says NaN


def test_the_weight_gradient_is_the_sum_of_min_0_x_per_channel():
    x = RNG.normal(size=(6, 3, 4))
    _, _, grad_w = torch_prelu(x, [0.1, 0.2, 0.3])
    np.testing.assert_allclose(grad_w, np.minimum(x, 0).sum(axis=(0, 2)), rtol=1e-12)


def test_prelu_equals_leaky_relu_with_a_shared_slope_and_relu_at_zero():
    x = RNG.normal(size=(8, 5))
    np.testing.assert_array_equal(rl.prelu(x, [0.01]), rl.leaky_relu(x, 0.01))
    np.testing.assert_array_equal(rl.prelu(x, [0.0]), rl.relu(x))


def test_prelu_accepts_integer_input_and_returns_float64():
    out = rl.prelu(np.array([[-2, 0, 3]]), [0.5])
    assert out.dtype == np.float64 and out.tolist() == [[-1.0, 0.0, 3.0]]


# (input shape, alpha shape): what torch refuses, relu_lib refuses with a ValueError.
BAD_SHAPES = [
    ((3,), (3,), r"single channel.*shape \(1,\); got shape \(3,\)"),
    ((), (3,), r"single channel.*got shape \(3,\)"),
    ((3,), (0,), r"single channel.*got shape \(0,\)"),
    ((2, 3), (2,), r"shape \(1,\) .* or \(3,\) .*got shape \(2,\)"),
    ((2, 4, 3), (3,), r"or \(4,\) .*got shape \(3,\)"),
    ((2, 3), (1, 3), r"must be 1-D.*got shape \(1, 3\)"),
    ((2, 3), (3, 1), r"must be 1-D.*got shape \(3, 1\)"),
    ((2, 3), (2, 3), r"must be 1-D.*got shape \(2, 3\)"),
]


@pytest.mark.parametrize("x_shape, a_shape, match", BAD_SHAPES)
def test_bad_alpha_shapes_are_refused_by_both(x_shape, a_shape, match):
    x, alpha = -np.ones(x_shape), np.full(a_shape, 0.25)
    with pytest.raises(RuntimeError):
        F.prelu(torch.tensor(x), torch.tensor(alpha))
    for f in (rl.prelu, rl.prelu_grad):
        with pytest.raises(ValueError, match=match):
            f(x, alpha)


@pytest.mark.parametrize(
    "alpha, error, match",
    [
        ([np.nan], ValueError, "alpha must be finite"),
        ([np.inf, 0.1], ValueError, "alpha must be finite"),
        ([0.1j], TypeError, "alpha must hold real numbers.*complex"),
        ([True], TypeError, "alpha must hold real numbers.*booleans"),
        (["0.1"], TypeError, "alpha must hold real numbers.*strings"),
    ],
)
def test_bad_alpha_values_are_named(alpha, error, match):
    with pytest.raises(error, match=match):
        rl.prelu(np.ones((2, 1)), alpha)


@pytest.mark.parametrize("what", BAD_INPUTS)
@pytest.mark.parametrize(
    "f",
    [
        lambda x: rl.prelu(x, [0.25]),
        lambda x: rl.prelu_grad(x, [0.25]),
        rl.rrelu,
        lambda x: rl.rrelu(x, training=True, rng=0),
    ],
    ids=["prelu", "prelu_grad", "rrelu_eval", "rrelu_train"],
)
def test_bad_input_is_a_type_error_naming_it(f, what):
    with pytest.raises(TypeError, match=what):
        f(BAD_INPUTS[what])


# ---------------------------------------------------------------------------- RReLU


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("lower, upper", [(1 / 8, 1 / 3), (0.0, 0.5), (0.3, 0.3), (0.0, 1.0)])
def test_rrelu_eval_matches_torch(lower, upper, dtype):
    x = np.concatenate([EDGE, RNG.normal(scale=3.0, size=100)]).astype(dtype)
    expected = F.rrelu(torch.tensor(x), lower, upper, training=False).numpy()
    ours = rl.rrelu(x, lower, upper)
    assert ours.dtype == dtype
    np.testing.assert_allclose(ours, expected, rtol=1e-6)
    assert np.array_equal(np.signbit(ours), np.signbit(expected))


def test_rrelu_eval_slope_is_11_over_48_not_2_over_11():
    assert rl.rrelu(np.array([-48.0]))[0] == pytest.approx(-11.0, rel=1e-15)
    assert not np.isclose(rl.rrelu(np.array([-1.0]))[0], -2 / 11)


def test_rrelu_training_keeps_positives_and_nan_and_scales_negatives_within_the_range():
    x = np.concatenate([EDGE, -np.abs(RNG.normal(size=1000)) - 0.01])
    out = rl.rrelu(x, training=True, rng=1)
    assert np.isnan(out[0]) and out[1] == np.inf and out[2] == -np.inf
    assert np.array_equal(np.signbit(out[3:5]), [True, False]) and not out[3:5].any()
    positive = x > 0
    np.testing.assert_array_equal(out[positive], x[positive])
    negative = (x < 0) & np.isfinite(x) & (x < -1e-30)
    slopes = out[negative] / x[negative]
    assert slopes.min() >= 1 / 8 and slopes.max() <= 1 / 3
    assert len(np.unique(slopes)) > 900, "one slope per element"


def test_rrelu_training_is_reproducible_from_the_seed_and_random_across_seeds():
    x = -np.ones(50)
    a = rl.rrelu(x, training=True, rng=np.random.default_rng(7))
    b = rl.rrelu(x, training=True, rng=np.random.default_rng(7))
    c = rl.rrelu(x, training=True, rng=7)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    assert not np.array_equal(a, rl.rrelu(x, training=True, rng=8))
    gen = np.random.default_rng(7)
    first, second = (rl.rrelu(x, training=True, rng=gen) for _ in range(2))
    assert not np.array_equal(first, second), "a Generator advances between calls"


def test_rrelu_training_keeps_float32():
    out = rl.rrelu(np.array([-1.0, 2.0], dtype=np.float32), training=True, rng=0)
    assert out.dtype == np.float32


def test_rrelu_degenerate_range_is_leaky_relu():
    x = RNG.normal(size=100)
    np.testing.assert_allclose(rl.rrelu(x, 0.2, 0.2, training=True, rng=0), rl.leaky_relu(x, 0.2))


def test_rrelu_sampled_slopes_match_torchs_distribution():
    n = 100_000
    ours = -rl.rrelu(-np.ones(n), training=True, rng=0)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        module = torch.nn.RReLU().train()
        theirs = (-module(-torch.ones(n, dtype=torch.float64))).numpy()
    for slopes in (ours, theirs):
        assert 1 / 8 <= slopes.min() < 1 / 8 + 1e-3 and 1 / 3 - 1e-3 < slopes.max() <= 1 / 3
        # Mean of U(1/8, 1/3) is 11/48, standard deviation (1/3 - 1/8) / sqrt(12).
        standard_error = (1 / 3 - 1 / 8) / np.sqrt(12) / np.sqrt(n)
        assert abs(slopes.mean() - 11 / 48) < 5 * standard_error
    # Same distribution: a two-sample Kolmogorov-Smirnov test does not tell them apart.
    assert stats.ks_2samp(ours, theirs).pvalue > 1e-3


def test_rrelu_training_without_rng_is_a_value_error_but_eval_needs_none():
    with pytest.raises(ValueError, match="pass rng"):
        rl.rrelu([-1.0], training=True)
    assert rl.rrelu([-1.0], training=False).tolist() == [-11 / 48]


@pytest.mark.parametrize("rng", [1.5, "0", True, np.random.RandomState(0)])
def test_rrelu_bad_rng_is_a_type_error(rng):
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        rl.rrelu([-1.0], training=True, rng=rng)


@pytest.mark.parametrize("rng", [-1, 2**32])
def test_rrelu_seed_out_of_range_is_a_value_error(rng):
    with pytest.raises(ValueError, match=r"rng must be .* an int seed in \[0, 2\*\*32 - 1\]"):
        rl.rrelu([-1.0], training=True, rng=rng)


@pytest.mark.parametrize(
    "lower, upper, error, match",
    [
        (0.5, 0.2, ValueError, "lower must not exceed upper; got lower=0.5 > upper=0.2"),
        (-0.1, 0.3, ValueError, "lower must be a slope in \\[0, 1\\]; got lower=-0.1"),
        (0.2, 1.5, ValueError, "upper must be a slope in \\[0, 1\\]; got upper=1.5"),
        (3, 8, ValueError, "lower must be a slope in \\[0, 1\\]; got lower=3"),
        (float("nan"), 0.3, ValueError, "lower must be finite"),
        (0.1, "0.3", TypeError, "upper must be a real number"),
    ],
)
@pytest.mark.parametrize("training", [False, True])
def test_bad_rrelu_ranges_are_named(lower, upper, error, match, training):
    with pytest.raises(error, match=match):
        rl.rrelu([-1.0], lower, upper, training=training, rng=0)


def test_rrelu_training_flag_must_be_a_bool():
    with pytest.raises(TypeError, match="training must be True or False"):
        rl.rrelu([-1.0], training="yes")


@pytest.mark.parametrize("shape", [(0,), (2, 0), (0, 3, 1)])
def test_empty_arrays_keep_their_shape(shape):
    assert rl.prelu(np.zeros(shape), [0.1]).shape == shape
    assert rl.rrelu(np.zeros(shape)).shape == shape
    assert rl.rrelu(np.zeros(shape), training=True, rng=0).shape == shape
