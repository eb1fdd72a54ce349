"""Notebook 07's checkers: the stub is 'not attempted', wrong answers are rejected with their
hint, the right answers pass, and must_pass turns anything but a pass into an AssertionError."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from checker_testing import feedback, rejected

import relu_lib as rl


def stub_1(x, alpha): ...


def stub_3(alpha): ...


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


# ----------------------------------------- exercise 3: when is max(alpha x, x) leaky?


WRONG_RULES = {
    "try a negative alpha": lambda alpha: 0 <= alpha <= 1,
    "the boundary is\\s+included": lambda alpha: alpha < 1,
    "the article's own case": lambda alpha: alpha > 1,
    "at alpha = 2 and x = 1": lambda alpha: True,
    "should return True or False": lambda alpha: "yes" if alpha <= 1 else "no",
    "raised ValueError": lambda alpha: np.sqrt(np.array([alpha])).item() < 1 or int("x"),
}


@pytest.mark.parametrize("hint", WRONG_RULES)
def test_check_max_form_rejects_wrong_rules_with_their_hint(hint, capsys):
    rejected(capsys, rl.check_max_form_is_leaky, WRONG_RULES[hint], hint)


def numerically(alpha):
    x = np.linspace(-5, 5, 101)
    return bool(np.array_equal(np.maximum(alpha * x, x), rl.leaky_relu(x, alpha)))


@pytest.mark.parametrize("fn", [lambda alpha: alpha <= 1, numerically, lambda a: np.bool_(a <= 1)])
def test_check_max_form_accepts_right_answers(fn, capsys):
    assert feedback(capsys, rl.check_max_form_is_leaky, fn).startswith("✓ Correct")
    rl.check_max_form_is_leaky(fn, must_pass=True)


@pytest.mark.parametrize("fn", [stub_3, not_implemented])
def test_check_max_form_stub_is_not_attempted(fn, capsys):
    assert feedback(capsys, rl.check_max_form_is_leaky, fn).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_max_form_is_leaky(fn, must_pass=True)


def test_check_max_form_wants_a_function(capsys):
    assert "should be a function" in feedback(capsys, rl.check_max_form_is_leaky, True)
