"""Notebook 02's checkers: the stub is 'not attempted', every answer a correct hand computation
gives passes in every type a solution produces, each classic mistake gets its own hint, and
anything else gets feedback, never a traceback."""

import re

import numpy as np
import pytest
import torch
from checker_testing import feedback, rejected

import relu_lib as rl

# --- exercise 1: predict ReLU + Xavier's backward ratio over 29 layers ------------------------


@pytest.mark.parametrize("stub", [..., None])
@pytest.mark.parametrize("checker", [rl.check_relu_xavier_prediction, rl.check_leaky_variance])
def test_the_stub_is_not_attempted(checker, stub, capsys):
    assert feedback(capsys, checker, stub).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        checker(stub, must_pass=True)


def test_the_predicted_ratio_is_what_the_theory_and_a_network_give():
    """2^-14.5 is (gain 1 x sqrt(1/2))^29, and a 30-layer ReLU + Xavier net measures it within
    the checker's tolerance (the notebook's table shows the median of 10 seeds)."""
    from relu_lib.exercises.nb02 import XAVIER_RELU_RATIO_29

    assert XAVIER_RELU_RATIO_29 == pytest.approx((1.0 * np.sqrt(0.5)) ** 29, rel=1e-12)
    data = rl.digits()
    x, y = data.x_train[:256], data.y_train[:256]
    ratios = []
    for seed in range(3):
        net = rl.make_mlp([64] + [128] * 30 + [10], "relu", "xavier", seed=seed)
        signal = rl.activation_grad_norms(net, x, y)
        ratios.append(signal[0] / signal[-1])
    assert 0.5 < np.median(ratios) / XAVIER_RELU_RATIO_29 < 2


HAND_COMPUTED = [
    2.0**-14.5,
    4.3e-5,
    4e-5,
    4.4e-5,
    0.707**29,
    0.7071**29,
    0.71**29,
    (1 / 2**0.5) ** 29,
]


@pytest.mark.parametrize("value", HAND_COMPUTED)
def test_every_hand_computed_ratio_passes(value, capsys):
    assert feedback(capsys, rl.check_relu_xavier_prediction, value).startswith("✓ Correct")
    rl.check_relu_xavier_prediction(value, must_pass=True)


@pytest.mark.parametrize(
    "wrap",
    [
        float,
        np.float64,
        np.float32,
        torch.tensor,
        lambda v: torch.tensor([v], dtype=torch.float32),
        lambda v: torch.tensor(v, requires_grad=True),
        lambda v: np.array([v], dtype=np.float32),
        lambda v: [v],
    ],
    ids=["float", "float64", "float32", "tensor", "float32 tensor", "grad", "array", "list"],
)
def test_the_ratio_in_every_natural_type_passes(wrap, capsys):
    assert feedback(capsys, rl.check_relu_xavier_prediction, wrap(2.0**-14.5)).startswith(
        "✓ Correct"
    )


@pytest.mark.parametrize(
    "value, hint",
    [
        (0.7**29, "rounds 1/sqrt(2) = 0.7071 to one digit"),
        (3.2e-5, "rounds 1/sqrt(2) = 0.7071 to one digit"),
        (2.0**-15, "that is 30 factors"),
        (3e-5, "that is 30 factors"),
        (2.0**-14, "that is 28 factors"),
        (6e-5, "that is 28 factors"),
        (2.0**-29, "the root mean square, not the mean"),
        (1, "derived for activations with slope 1"),
        (2**-0.5, "that is one layer"),
        (6.0**-14.5, "PyTorch's default initialisation"),
        (0.25**29, "sigmoid's largest derivative"),
        (5.2e-5, "close, but not within 15%"),
        (1e-3, "Multiply over the layers"),
        (0.0, "Multiply over the layers"),
        (-4.3e-5, "Multiply over the layers"),
        (float("nan"), "Multiply over the layers"),
    ],
)
def test_each_wrong_ratio_gets_the_hint_for_its_mistake(value, hint, capsys):
    rejected(capsys, rl.check_relu_xavier_prediction, value, re.escape(hint))


@pytest.mark.parametrize("factors", [27, 31])
def test_a_ratio_a_factor_of_two_off_is_not_called_close(factors, capsys):
    """27 or 31 factors of sqrt(1/2) is 2^-13.5 or 2^-15.5, exactly twice or half the answer:
    "close" is for answers strictly within a factor of 2 of it, so these get the hint to
    multiply over the layers."""
    value = 2.0 ** (-factors / 2)
    rejected(capsys, rl.check_relu_xavier_prediction, value, "Multiply over the layers")
    assert "close" not in feedback(capsys, rl.check_relu_xavier_prediction, value)


@pytest.mark.parametrize(
    "value",
    ["4e-5", True, [1e-5, 2e-5], torch.tensor([1.0, 2.0]), np.array([]), 1j, int, 10**400],
    ids=["str", "bool", "list of two", "two elements", "empty", "complex", "a type", "huge int"],
)
def test_other_types_get_feedback_not_a_traceback(value, capsys):
    out = feedback(capsys, rl.check_relu_xavier_prediction, value)
    assert out.startswith("✗ Not yet") and "relu_xavier_ratio" in out


# --- exercise 2: leaky_variance(n_in, alpha) ---------------------------------------------------


def right(n_in, alpha):
    return 2 / ((1 + alpha**2) * n_in)


RIGHT_FUNCTIONS = {
    "formula": right,
    "torch's gain": lambda n, a: torch.nn.init.calculate_gain("leaky_relu", a) ** 2 / n,
    "float32 tensor": lambda n, a: torch.tensor(right(n, a), dtype=torch.float32),
    "one-element array": lambda n, a: np.array([right(n, a)], dtype=np.float32),
    "numpy scalar": lambda n, a: np.float32(2) / ((1 + np.float32(a) ** 2) * n),
    "one-element list": lambda n, a: [right(n, a)],
}


@pytest.mark.parametrize("fn", RIGHT_FUNCTIONS.values(), ids=RIGHT_FUNCTIONS)
def test_every_right_variance_function_passes(fn, capsys):
    assert feedback(capsys, rl.check_leaky_variance, fn).startswith("✓ Correct")
    rl.check_leaky_variance(fn, must_pass=True)


def test_the_right_variance_keeps_a_leaky_network_s_backward_signal():
    """With alpha = 0.5 the answer, Var[W] = 1.6 / n, keeps the backward signal's norm through
    30 Leaky ReLU layers within a factor 2; He's 2 / n, the answer without alpha, does not
    (1.25^14.5 = 25)."""
    data = rl.digits()
    x, y = data.x_train[:256], data.y_train[:256]

    def ratio(g):
        torch.manual_seed(0)
        layers = []
        for n_in, n_out in zip([64] + [128] * 30, [128] * 30 + [10], strict=True):
            linear = torch.nn.Linear(n_in, n_out)
            torch.nn.init.normal_(linear.weight, std=(g / n_in) ** 0.5)
            torch.nn.init.zeros_(linear.bias)
            layers += [linear, torch.nn.LeakyReLU(0.5)]
        net = torch.nn.Sequential(*layers[:-1])
        signal = rl.activation_grad_norms(net, x, y)
        return signal[0] / signal[-1]

    assert 0.5 < ratio(128 * right(128, 0.5)) < 2
    assert ratio(2.0) > 10


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda n, a: 2 / n, "it ignores alpha"),
        (lambda n, a: 2 / ((1 + a) * n), "square the slopes"),
        (lambda n, a: (2 / ((1 + a**2) * n)) ** 0.5, "standard deviation"),
        (lambda n, a: (1 + a**2) / (2 * n), "upside down"),
        (lambda n, a: 2 / (1 + a**2), "Divide by n_in"),
        (lambda n, a: 1 / n, "Xavier's variance"),
        (lambda n, a: 4 / ((1 + a**2) * n), r"squared norm by .* = 2, not 1"),
        (lambda n, a: 12345, "returned 12345"),
        (lambda n, a: float("nan"), "finite positive number"),
        (lambda n, a: 1 / 0, "raised ZeroDivisionError"),
        (lambda n: 2 / n, "raised TypeError"),
        (lambda n, a: "0.01", "should return one number; got str"),
        (lambda n, a: np.ones(3), r"one number; got a ndarray of shape \(3,\)"),
        (lambda n, a: True, "should return one number; got bool"),
        (lambda n, a: 10**400, "should return one number"),
        (3, "should be a function; got int"),
        ("2 / n", "should be a function; got str"),
    ],
)
def test_each_wrong_function_gets_the_hint_for_its_mistake(fn, hint, capsys):
    rejected(capsys, rl.check_leaky_variance, fn, hint)


def test_a_function_that_raises_not_implemented_is_not_attempted(capsys):
    def leaky_variance(n_in, alpha):
        raise NotImplementedError

    assert feedback(capsys, rl.check_leaky_variance, leaky_variance).startswith("○ Not attempted")
