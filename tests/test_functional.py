"""relu_lib.functional against torch: values, dtypes, the value at 0, NaN, bad input."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import relu_lib as rl

EDGE = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, -1.0, 1.0, 1e-45, -1e-45, 1e30, -1e30])
RNG = np.random.default_rng(0)
RANDOM = RNG.normal(scale=3.0, size=200)

# (relu_lib function, its derivative, torch function)
PAIRS = {
    "relu": (rl.relu, rl.relu_grad, torch.relu),
    "leaky_relu": (rl.leaky_relu, rl.leaky_relu_grad, F.leaky_relu),
    "sigmoid": (rl.sigmoid, rl.sigmoid_grad, torch.sigmoid),
    "tanh": (rl.tanh, rl.tanh_grad, torch.tanh),
}


def torch_value_and_grad(fn, x):
    t = torch.tensor(x, requires_grad=True)
    y = fn(t)
    (g,) = torch.autograd.grad(y.sum(), t)
    return y.detach().numpy(), g.numpy()


@pytest.mark.parametrize("name", PAIRS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_values_and_derivatives_match_torch(name, dtype):
    f, df, tf = PAIRS[name]
    x = np.concatenate([EDGE, RANDOM]).astype(dtype)
    value, grad = torch_value_and_grad(tf, x)
    assert f(x).dtype == dtype and df(x).dtype == dtype
    np.testing.assert_allclose(f(x), value, rtol=2e-7 if dtype == np.float64 else 2e-6)
    finite = ~np.isnan(x)  # at NaN relu_lib says NaN on purpose (checked below)
    np.testing.assert_allclose(
        df(x)[finite], grad[finite], rtol=1e-6, atol=1e-12 if dtype == np.float64 else 1e-6
    )


@pytest.mark.parametrize("name", PAIRS)
def test_nan_stays_nan_in_value_and_derivative(name):
    f, df, _ = PAIRS[name]
    x = np.array([np.nan, 1.0, -1.0])
    assert np.isnan(f(x)[0]) and np.isnan(df(x)[0])
    assert not np.isnan(f(x)[1:]).any() and not np.isnan(df(x)[1:]).any()


def test_torch_passes_a_gradient_through_nan_where_relu_lib_does_not():
    _, grad = torch_value_and_grad(torch.relu, np.array([np.nan]))
    assert grad[0] == 1.0
    assert np.isnan(rl.relu_grad([np.nan])[0])


def test_derivatives_at_exactly_zero_are_torch_conventions():
    zeros = np.array([0.0, -0.0])
    assert rl.relu_grad(zeros).tolist() == [0.0, 0.0]
    assert rl.leaky_relu_grad(zeros, alpha=0.2).tolist() == [0.2, 0.2]
    assert rl.sigmoid_grad(zeros).tolist() == [0.25, 0.25]
    assert rl.tanh_grad(zeros).tolist() == [1.0, 1.0]


def test_relu_is_bitwise_torch_including_the_sign_of_zero():
    ours = rl.relu(EDGE)
    theirs = torch.relu(torch.tensor(EDGE)).numpy()
    assert np.array_equal(ours, theirs, equal_nan=True)
    assert np.array_equal(np.signbit(ours), np.signbit(theirs))


def test_a_nan_eating_relu_would_be_caught():
    nan_eater = np.where(EDGE > 0, EDGE, 0.0)
    assert not np.array_equal(rl.relu(EDGE), nan_eater, equal_nan=True)


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8])
def test_relu_keeps_integer_dtypes(dtype):
    x = np.array([-3, 0, 5], dtype=np.int64).clip(np.iinfo(dtype).min).astype(dtype)
    out = rl.relu(x)
    assert out.dtype == dtype
    assert out.tolist() == [max(v, 0) for v in x.tolist()]


def test_relu_keeps_float16():
    assert rl.relu(np.array([-1.0, 2.0], dtype=np.float16)).dtype == np.float16


def test_integers_become_float64_where_the_result_is_not_an_integer():
    for f in (
        rl.relu_grad,
        rl.leaky_relu,
        rl.leaky_relu_grad,
        rl.sigmoid,
        rl.sigmoid_grad,
        rl.tanh,
        rl.tanh_grad,
    ):
        assert f(np.array([-2, 0, 3])).dtype == np.float64, f.__name__
    np.testing.assert_array_equal(rl.leaky_relu([-2, 0, 3], alpha=0.5), [-1.0, 0.0, 3.0])


@pytest.mark.parametrize("shape", [(0,), (2, 0), (0, 3, 1)])
def test_empty_arrays_keep_their_shape(shape):
    for f in (rl.relu, rl.relu_grad, rl.leaky_relu, rl.sigmoid, rl.tanh_grad):
        assert f(np.zeros(shape)).shape == shape


def test_scalars_and_lists_are_accepted():
    assert rl.relu(-2.0) == 0.0 and rl.relu(3) == 3
    assert rl.relu([[-1, 2]]).tolist() == [[0, 2]]


def test_sigmoid_never_warns_and_saturates_exactly():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = rl.sigmoid(np.array([-1e4, -800.0, 0.0, 800.0, 1e4]))
        g = rl.sigmoid_grad(np.array([-1e4, 1e4]))
    assert s.tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert g.tolist() == [0.0, 0.0]


def test_saturating_derivatives_are_bounded():
    x = np.linspace(-10, 10, 2001)
    assert rl.sigmoid_grad(x).max() == pytest.approx(0.25)
    assert rl.tanh_grad(x).max() == pytest.approx(1.0)
    assert (rl.tanh_grad(x[x != 0]) < 1).all()


@pytest.mark.parametrize("alpha", [0.01, 0.3, 1.0, 2.0, -0.5])
def test_leaky_relu_is_piecewise_for_every_alpha(alpha):
    x = np.linspace(-3, 3, 13)
    expected = F.leaky_relu(torch.tensor(x), negative_slope=alpha).numpy()
    np.testing.assert_allclose(rl.leaky_relu(x, alpha), expected)


def test_max_formula_differs_from_leaky_relu_when_alpha_exceeds_one():
    x = np.array([-1.0, 1.0])
    assert not np.allclose(np.maximum(2.0 * x, x), rl.leaky_relu(x, alpha=2.0))


BAD_INPUTS = {
    "complex numbers": np.array([1 + 2j]),
    "strings": np.array(["a", "b"]),
    "Python objects": np.array([1.0, None], dtype=object),
    "booleans": np.array([True, False]),
}


@pytest.mark.parametrize("what", BAD_INPUTS)
@pytest.mark.parametrize("f", [rl.relu, rl.relu_grad, rl.leaky_relu, rl.sigmoid, rl.tanh_grad])
def test_bad_input_is_a_type_error_naming_it(f, what):
    with pytest.raises(TypeError, match=what):
        f(BAD_INPUTS[what])


def test_ragged_input_is_a_type_error():
    with pytest.raises(TypeError, match="real numbers"):
        rl.relu([[1, 2], [3]])


@pytest.mark.parametrize(
    "alpha, error, match",
    [
        (float("nan"), ValueError, "alpha must be finite"),
        (float("inf"), ValueError, "alpha must be finite"),
        ("0.1", TypeError, "alpha must be a real number"),
        (True, TypeError, "alpha must be a real number"),
        (1j, TypeError, "alpha must be a real number"),
    ],
)
def test_bad_alpha_is_named(alpha, error, match):
    for f in (rl.leaky_relu, rl.leaky_relu_grad):
        with pytest.raises(error, match=match):
            f([1.0], alpha=alpha)


# From notebook 04: the derivatives its Figures 1 and 2 plot are autograd's at every plotted
# point, 0 included. exp and tanh are float64 code of NumPy's and of PyTorch's own, so their last
# bit or two may differ (about 1e-16 below 1): 1e-14 leaves about a hundred such units.
@pytest.mark.parametrize(
    "derivative, function, grid, tolerance",
    [
        (rl.relu_grad, torch.relu, np.linspace(-3, 3, 601), 0.0),
        (rl.relu_grad, torch.relu, np.linspace(-5, 5, 1001), 0.0),
        (rl.sigmoid_grad, torch.sigmoid, np.linspace(-5, 5, 1001), 1e-14),
        (rl.tanh_grad, torch.tanh, np.linspace(-5, 5, 1001), 1e-14),
    ],
    ids=["figure 1 ReLU", "figure 2 ReLU", "figure 2 sigmoid", "figure 2 tanh"],
)
def test_the_plotted_derivatives_are_autograds_at_every_plotted_point(
    derivative, function, grid, tolerance
):
    assert 0.0 in grid
    x = torch.tensor(grid, requires_grad=True)
    function(x).sum().backward()  # elementwise: the gradient of the sum is f'(x) at each point
    deviation = np.abs(derivative(grid) - x.grad.numpy()).max()
    assert deviation == 0 if tolerance == 0 else deviation < tolerance
