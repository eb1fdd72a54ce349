"""Notebook 07's checkers: the stub is 'not attempted', wrong answers are rejected with their
hint, the right answers pass, and must_pass turns anything but a pass into an AssertionError."""

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
    "x for x > 0 and alpha \\* x": lambda x, alpha: np.where(x > 0, x, 0.0),
    "-inf \\* 0 = NaN": lambda x, alpha: x * (x > 0) + alpha * x * (x <= 0),
    "float32 should stay float32": lambda x, alpha: np.where(x > 0, x, np.float64(alpha) * x),
    "raised ZeroDivisionError": lambda x, alpha: 1 / 0,
}


@pytest.mark.parametrize("hint", WRONG_LEAKY)
def test_check_leaky_relu_rejects_wrong_answers_with_their_hint(hint, capsys):
    rejected(capsys, rl.check_leaky_relu, WRONG_LEAKY[hint], hint)


@pytest.mark.parametrize("fn", [piecewise, torch_leaky, rl.leaky_relu])
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


# ----------------------------------------------- exercise 2: RReLU's test-time slope


@pytest.mark.parametrize(
    "value, hint",
    [
        (1 / 3, "PyTorch's convention"),
        (0.3333, "PyTorch's convention"),
        (4, "reciprocal"),
        (4.0, "reciprocal"),
        (np.log(3) / 4, "mean training slope"),
        (2 / 11, "replaced by its mean"),
        (11 / 48, "replaced by its mean"),
    ],
)
def test_check_rrelu_test_slope_rejects_wrong_values_with_their_hint(value, hint, capsys):
    rejected(capsys, rl.check_rrelu_test_slope, value, hint)


@pytest.mark.parametrize("value", [0.25, 1 / 4, np.float32(0.25), 2 / (2 + 6)])
def test_check_rrelu_test_slope_accepts_a_quarter(value, capsys):
    assert feedback(capsys, rl.check_rrelu_test_slope, value).startswith("✓ Correct")
    rl.check_rrelu_test_slope(value, must_pass=True)


@pytest.mark.parametrize("value, out", [(..., "○ Not attempted"), (None, "○ Not attempted")])
def test_check_rrelu_test_slope_stub(value, out, capsys):
    assert feedback(capsys, rl.check_rrelu_test_slope, value).startswith(out)
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_rrelu_test_slope(value, must_pass=True)


@pytest.mark.parametrize("value", ["0.25", True, [0.25]])
def test_check_rrelu_test_slope_wants_a_number(value, capsys):
    assert "should be a number" in feedback(capsys, rl.check_rrelu_test_slope, value)


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
    "should return numbers": lambda x, g: "dL/da",
    "raised ZeroDivisionError": lambda x, g: 1 / 0,
}


@pytest.mark.parametrize("hint", WRONG_SLOPE_GRADS)
def test_check_prelu_slope_grad_rejects_wrong_answers_with_their_hint(hint, capsys):
    rejected(capsys, rl.check_prelu_slope_grad, WRONG_SLOPE_GRADS[hint], hint)


@pytest.mark.parametrize("fn", [slope_grad, via_autograd, with_where])
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
