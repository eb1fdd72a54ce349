"""Notebook 07's checkers: the stub is 'not attempted', wrong answers are rejected with their
hint, the right answers pass, and must_pass turns anything but a pass into an AssertionError."""

from fractions import Fraction

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from checker_testing import feedback, rejected

import relu_lib as rl


def stub_1(x, alpha): ...


def not_implemented(*args):
    raise NotImplementedError


# ----------------------------------------------------------- exercise 1: Leaky ReLU


def piecewise(x, alpha):
    return np.where(x > 0, x, alpha * x)


def torch_leaky(x, alpha):
    return F.leaky_relu(torch.from_numpy(x), negative_slope=alpha).numpy()


WRONG_LEAKY = {
    "only for alpha <= 1": lambda x, alpha: np.maximum(alpha * x, x),
    "use the alpha you are given": lambda x, alpha: np.where(x > 0, x, 0.01 * x),
    "x for x > 0 and alpha \\* x": lambda x, alpha: np.where(x > 0, x, alpha * x / 2),
    "-inf \\* 0 = NaN": lambda x, alpha: x * (x > 0) + alpha * x * (x <= 0),
    "float32 should stay float32": lambda x, alpha: np.where(x > 0, x, np.float64(alpha) * x),
    "raised ZeroDivisionError": lambda x, alpha: 1 / 0,
    "branches are swapped": lambda x, alpha: np.where(x > 0, alpha * x, x),
    "the two branches are swapped": lambda x, alpha: np.where(x < 0, x, alpha * x),
    "that is ReLU": lambda x, alpha: np.maximum(x, 0),
    "not the constant alpha": lambda x, alpha: np.where(x > 0, x, alpha),
    "not PyTorch's default 0.01": lambda x, alpha: F.leaky_relu(torch.from_numpy(x)).numpy(),
    "keep the shape of x": lambda x, alpha: np.where(x > 0, x, alpha * x).sum(),
    "should return an array of numbers; got str": lambda x, alpha: "leaky",
    "should return an array of numbers; got list": lambda x, alpha: [[1.0], [1.0, 2.0]],
    "right values but dtype float64": lambda x, alpha: np.where(x > 0, x, alpha * x).astype(float),
}


@pytest.mark.parametrize("hint", WRONG_LEAKY)
def test_check_leaky_relu_rejects_wrong_answers_with_their_hint(hint, capsys):
    rejected(capsys, rl.check_leaky_relu, WRONG_LEAKY[hint], hint)


def from_relus(x, alpha):
    return np.maximum(x, 0) - alpha * np.maximum(-x, 0)


def as_tensor_with_grad(x, alpha):
    t = torch.from_numpy(x).requires_grad_(True)
    return F.leaky_relu(t, negative_slope=alpha)  # a tensor that requires grad


def in_place(x, alpha):
    x[x <= 0] *= alpha
    return x


@pytest.mark.parametrize(
    "fn", [piecewise, torch_leaky, rl.leaky_relu, from_relus, as_tensor_with_grad, in_place]
)
def test_check_leaky_relu_accepts_right_answers(fn, capsys):
    assert feedback(capsys, rl.check_leaky_relu, fn).startswith("✓ Correct")
    rl.check_leaky_relu(fn, must_pass=True)


@pytest.mark.parametrize("fn", [stub_1, not_implemented])
def test_check_leaky_relu_stub_is_not_attempted(fn, capsys):
    assert feedback(capsys, rl.check_leaky_relu, fn).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_leaky_relu(fn, must_pass=True)


def test_check_leaky_relu_wants_a_function(capsys):
    assert "should be a function" in feedback(capsys, rl.check_leaky_relu, 0.01)


def test_the_mask_answer_gets_its_hint_without_a_numpy_warning(recwarn, capsys):
    rl.check_leaky_relu(WRONG_LEAKY["-inf \\* 0 = NaN"])
    capsys.readouterr()
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


# ------------------------ exercise 2: the paper's slopes below 11/48 (a prediction)


@pytest.mark.parametrize(
    "value, hint",
    [
        (0.5, "PyTorch's fraction"),
        (1 / 2, "divisor a is uniform, not the slope"),
        (3 / 11, "slopes ABOVE 11/48"),
        (0.27, "slopes ABOVE 11/48"),
        (72.7, "looks like a percentage"),
        (0.7, "not to two digits"),
        (0.75, "not to two digits"),
        (0.2, "what fraction of U\\(3, 8\\) lies above 48/11"),
        (-0.73, "between 0 and 1"),
        (3.0, "between 0 and 1"),
        (float("nan"), "finite number between 0 and 1"),
        (float("inf"), "finite number between 0 and 1"),
        (10**400, "beyond the range of float64"),
        ([0.727], "one number, not a list"),
        ("0.727", "should be a number"),
        (True, "should be a number"),
        (np.array([0.7, 0.7]), "should be a number"),
    ],
)
def test_check_rrelu_fraction_below_rejects_wrong_values_with_their_hint(value, hint, capsys):
    rejected(capsys, rl.check_rrelu_fraction_below, value, hint)


@pytest.mark.parametrize("value", [11 / 8, 1.5, 2.0])
def test_check_rrelu_fraction_below_says_a_fraction_is_at_most_one_just_above_one_too(
    value, capsys
):
    """11/8 is the answer upside down: like 3.0, any number above 1 is told that a fraction
    lies between 0 and 1."""
    rejected(capsys, rl.check_rrelu_fraction_below, value, "a fraction lies between 0 and 1")


@pytest.mark.parametrize(
    "value",
    [
        8 / 11,
        (8 - 48 / 11) / 5,
        0.727,
        0.73,
        0.72,
        np.float32(8 / 11),
        np.float64(0.7273),
        torch.tensor(8 / 11),
        torch.tensor([8 / 11], dtype=torch.float32),
        np.array([0.727]),
        Fraction(8, 11),
        1 - Fraction(3, 11),
    ],
)
def test_check_rrelu_fraction_below_accepts_eight_elevenths(value, capsys):
    assert feedback(capsys, rl.check_rrelu_fraction_below, value).startswith("✓ Correct")
    rl.check_rrelu_fraction_below(value, must_pass=True)


def test_the_fraction_is_what_sampling_gives():
    slopes = 1 / np.random.default_rng(0).uniform(3, 8, size=200_000)
    assert abs((slopes < 11 / 48).mean() - 8 / 11) < 0.005


@pytest.mark.parametrize("value", [..., None])
def test_check_rrelu_fraction_below_stub(value, capsys):
    assert feedback(capsys, rl.check_rrelu_fraction_below, value).startswith("○ Not attempted")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_rrelu_fraction_below(value, must_pass=True)


# ------------------------------------- exercise 3: the gradient on PReLU's slopes


def other_axes(x):
    return tuple(i for i in range(x.ndim) if i != 1)


def slope_grad(x, g):
    return (g * np.minimum(x, 0)).sum(axis=other_axes(x))


def via_autograd(x, g):
    xt = torch.from_numpy(x)
    a = torch.full((x.shape[1],), 0.25, dtype=xt.dtype, requires_grad=True)
    (grad,) = torch.autograd.grad(F.prelu(xt, a), a, torch.from_numpy(g))
    return grad  # a tensor is accepted


def with_where(x, g):
    return np.where(x < 0, g * x, 0.0).sum(axis=other_axes(x))


WRONG_SLOPE_GRADS = {
    "multiply by the incoming gradient g": lambda x, g: np.minimum(x, 0).sum(axis=other_axes(x)),
    "not a 0/1 indicator": lambda x, g: (g * (x < 0)).sum(axis=other_axes(x)),
    "use min\\(0, x\\), not x": lambda x, g: (g * x).sum(axis=other_axes(x)),
    "not max\\(0, x\\)": lambda x, g: (g * np.maximum(x, 0)).sum(axis=other_axes(x)),
    "a single shared slope": lambda x, g: (g * np.minimum(x, 0)).sum(),
    "for a 3-D input, axes 0 and 2": lambda x, g: (g * np.minimum(x, 0)).sum(axis=0),
    "one term per element": lambda x, g: g * np.minimum(x, 0),
    "over every element of channel c, of g \\* min": lambda x, g: 2 * slope_grad(x, g),
    "should return an array of numbers; got str": lambda x, g: "dL/da",
    "raised ZeroDivisionError": lambda x, g: 1 / 0,
    "the sign": lambda x, g: -slope_grad(x, g),
    "a mean, not a sum": lambda x, g: (g * np.minimum(x, 0)).mean(axis=other_axes(x)),
    "summed over axis 1, the channel axis": lambda x, g: (g * np.minimum(x, 0)).sum(axis=1),
    "should return an array of numbers; got list": lambda x, g: [[1.0], [1.0, 2.0]],
}


@pytest.mark.parametrize("hint", WRONG_SLOPE_GRADS)
def test_check_prelu_slope_grad_rejects_wrong_answers_with_their_hint(hint, capsys):
    rejected(capsys, rl.check_prelu_slope_grad, WRONG_SLOPE_GRADS[hint], hint)


def in_float32(x, g):
    xt, gt = torch.tensor(x, dtype=torch.float32), torch.tensor(g, dtype=torch.float32)
    return (gt * xt.clamp(max=0)).sum(dim=[d for d in range(xt.dim()) if d != 1])


def as_list(x, g):
    return slope_grad(x, g).tolist()


@pytest.mark.parametrize("fn", [slope_grad, via_autograd, with_where, in_float32, as_list])
def test_check_prelu_slope_grad_accepts_right_answers(fn, capsys):
    assert feedback(capsys, rl.check_prelu_slope_grad, fn).startswith("✓ Correct")
    rl.check_prelu_slope_grad(fn, must_pass=True)


def stub_3(x, g): ...


@pytest.mark.parametrize("fn", [stub_3, not_implemented])
def test_check_prelu_slope_grad_stub_is_not_attempted(fn, capsys):
    assert feedback(capsys, rl.check_prelu_slope_grad, fn).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_prelu_slope_grad(fn, must_pass=True)


def test_check_prelu_slope_grad_wants_a_function(capsys):
    assert "should be a function" in feedback(capsys, rl.check_prelu_slope_grad, 0.25)
