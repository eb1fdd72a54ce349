"""Notebook 03's checkers: the stub is 'not attempted', each common wrong answer gets the hint
for its mistake, right answers pass in the types a natural solution produces, and must_pass turns
anything but a pass into an AssertionError."""

import re

import numpy as np
import pytest
import torch
from checker_testing import feedback, rejected

import relu_lib as rl
from relu_lib.exercises.nb03 import maximum_backward_by_autograd


def measured_clamp_identity_grad_at_zero():
    x = torch.tensor(0.0, requires_grad=True)
    (x.clamp(min=0) - (-x).clamp(min=0)).backward()
    return x.grad


# --- exercise 1: predict autograd's gradient of clamp(x) - clamp(-x) at 0 ----------------------


@pytest.mark.parametrize(
    "value",
    [
        measured_clamp_identity_grad_at_zero(),
        measured_clamp_identity_grad_at_zero().item(),
        2,
        np.float32(2.0),
        np.int64(2),
        torch.tensor([2.0], dtype=torch.float64),
        np.array(2.0),
    ],
    ids=["x.grad", "item", "int", "float32", "np.int64", "1-element tensor", "0-d array"],
)
def test_clamp_identity_answer_is_what_autograd_measures(value, capsys):
    out = feedback(capsys, rl.check_clamp_identity_grad_at_zero, value)
    assert out.startswith("✓ Correct") and "Run on" in out
    rl.check_clamp_identity_grad_at_zero(value, must_pass=True)


@pytest.mark.parametrize(
    "value, hint",
    [
        (1.0, "true derivative of x"),
        (0.0, "0 comes from s - s"),
        (0.5, "torch.maximum's value at a tie, for one term"),
        (-2, "the sign"),
        (3.0, "call s = 1"),
        (1.99, "call s = 1"),
        (torch.tensor(1.0), "true derivative"),
    ],
)
def test_clamp_identity_wrong_answers_get_their_hint(value, hint, capsys):
    rejected(capsys, rl.check_clamp_identity_grad_at_zero, value, re.escape(hint))
    assert "Run on" in feedback(capsys, rl.check_clamp_identity_grad_at_zero, value)


@pytest.mark.parametrize(
    "checker", [rl.check_clamp_identity_grad_at_zero, rl.check_central_difference_near_kink]
)
def test_number_stubs_and_non_numbers(checker, capsys):
    assert feedback(capsys, checker, ...).startswith("○ Not attempted yet")
    assert feedback(capsys, checker, None).startswith("○ Not attempted yet")
    assert "should be a number" in feedback(capsys, checker, "0.5")
    assert "should be a number" in feedback(capsys, checker, True)
    assert "should be a number" in feedback(capsys, checker, torch.ones(2))
    assert "should be a number" in feedback(capsys, checker, [2.0])
    with pytest.raises(AssertionError, match="Not attempted"):
        checker(..., must_pass=True)


# --- exercise 2: the backward of torch.maximum(x, 0) -------------------------------------------


def stub(grad_output, x): ...


def not_implemented(grad_output, x):
    raise NotImplementedError


def reference(grad_output, x):
    return torch.where(x == 0, grad_output / 2, grad_output).masked_fill(x < 0, 0)


RIGHT_BACKWARDS = {
    "where, then masked_fill": reference,
    "a factor from nested where": lambda g, x: (
        g * torch.where(x < 0, 0.0, torch.where(x == 0, 0.5, 1.0))
    ),
    "by autograd": lambda g, x: maximum_backward_by_autograd(g, x),
    "in place on grad_output": lambda g, x: g.masked_fill_(x < 0, 0).mul_(
        torch.where(x == 0, 0.5, 1.0).to(g.dtype)
    ),
    "returning a NumPy array": lambda g, x: reference(g, x).numpy(),
}


@pytest.mark.parametrize("fn", RIGHT_BACKWARDS.values(), ids=RIGHT_BACKWARDS)
def test_maximum_backward_accepts_right_answers(fn, capsys):
    assert feedback(capsys, rl.check_maximum_backward, fn).startswith("✓ Correct")
    rl.check_maximum_backward(fn, must_pass=True)


WRONG_BACKWARDS = {
    "passed 0 of an incoming 1 (torch.relu's choice)": lambda g, x: g * (x > 0),
    "passed all of an incoming 1 (clamp's choice)": lambda g, x: g * (x >= 0),
    "At x = NaN torch.maximum passes the gradient": lambda g, x: g * ((x > 0) + 0.5 * (x == 0)),
    "returned the factor (1, 1/2 or 0) alone": lambda g, x: torch.where(
        x < 0, 0.0, torch.where(x == 0, 0.5, 1.0)
    ).to(g.dtype),
    "Where x < 0 the maximum is the constant 0": lambda g, x: torch.where(x == 0, g / 2, g),
    "Where x > 0 (+inf included)": lambda g, x: (
        torch.where(x == 0, g / 2, 0 * g).masked_fill(x.isnan(), 0) + g * x.isnan()
    ),
    "grad_output's shape and dtype": lambda g, x: reference(g, x).float(),
    "shape (), dtype torch.int64": lambda g, x: 12345,
    "raised ZeroDivisionError": lambda g, x: 1 / 0,
    "should return a tensor of gradients": lambda g, x: "gradient",
}


@pytest.mark.parametrize("hint", WRONG_BACKWARDS)
def test_maximum_backward_rejects_wrong_answers_with_their_hint(hint, capsys):
    rejected(capsys, rl.check_maximum_backward, WRONG_BACKWARDS[hint], re.escape(hint))


def test_maximum_backward_names_only_the_mistakes_made(capsys):
    out = feedback(capsys, rl.check_maximum_backward, lambda g, x: g * (x > 0))
    assert "At x = 0" in out and "NaN" in out and "Where x > 0" not in out
    out = feedback(capsys, rl.check_maximum_backward, lambda g, x: g * ((x > 0) + 0.5 * (x == 0)))
    assert "At x = 0" not in out and "Where x" not in out


@pytest.mark.parametrize("fn", [stub, not_implemented])
def test_maximum_backward_stubs_are_not_attempted(fn, capsys):
    assert feedback(capsys, rl.check_maximum_backward, fn).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_maximum_backward(fn, must_pass=True)


def test_maximum_backward_rejects_a_non_function(capsys):
    assert "should be a function" in feedback(capsys, rl.check_maximum_backward, torch.zeros(3))


def test_the_expected_backward_is_torch_maximums_rule():
    """The expectation (autograd now) is the rule the notebook states: 0 below 0, half at a
    tie (±0.0), all of it above 0 and at NaN; each case has x values of every kind."""
    from relu_lib.exercises.nb03 import _maximum_backward_cases

    kinds = set()
    for grad_output, x in _maximum_backward_cases():
        assert torch.equal(maximum_backward_by_autograd(grad_output, x), reference(grad_output, x))
        assert (grad_output != 0).all()  # a zero incoming gradient would hide a wrong factor
        kinds |= {
            "tie" if v == 0 else "nan" if v != v else "neg" if v < 0 else "pos"
            for v in x.ravel().tolist()
        }
    assert kinds == {"tie", "nan", "neg", "pos"}


# --- exercise 3: the central difference next to the kink --------------------------------------


def test_central_difference_answer(capsys):
    x, h = 2.5e-4, 1e-3
    value = (rl.relu(x + h) - rl.relu(x - h)) / (2 * h)
    assert feedback(capsys, rl.check_central_difference_near_kink, value).startswith("✓ Correct")
    rl.check_central_difference_near_kink(float(value), must_pass=True)
    rl.check_central_difference_near_kink(5 / 8, must_pass=True)
    torch_value = (torch.relu(torch.tensor(x + h)) - torch.relu(torch.tensor(x - h))) / (2 * h)
    rl.check_central_difference_near_kink(torch_value.item(), must_pass=True)


@pytest.mark.parametrize(
    "value, hint",
    [
        (1.0, "forward difference"),
        (0.5, "central difference at exactly 0"),
        (0.75, "x = h/2"),
        (0.25, "backward difference"),
        (0.0, "where ReLU rises"),
        (1.25e-3, "divide by 2h"),
        (np.float64(0.6), "x - h is negative"),
    ],
)
def test_central_difference_wrong_answers(value, hint, capsys):
    rejected(capsys, rl.check_central_difference_near_kink, value, re.escape(hint))


@pytest.mark.parametrize(
    "checker", [rl.check_clamp_identity_grad_at_zero, rl.check_central_difference_near_kink]
)
def test_an_int_beyond_float64_gets_feedback_not_a_traceback(checker, capsys):
    rejected(capsys, checker, 10**309, "beyond the range of float64")


def test_central_difference_accepts_float32_and_one_element_tensors(capsys):
    x, h = 2.5e-4, 1e-3
    in_float32 = (torch.relu(torch.tensor(x + h)) - torch.relu(torch.tensor(x - h))) / (2 * h)
    assert in_float32.dtype == torch.float32
    rl.check_central_difference_near_kink(in_float32, must_pass=True)
    rl.check_central_difference_near_kink(np.float32(0.625), must_pass=True)
    rl.check_central_difference_near_kink(np.array([0.625]), must_pass=True)
    rl.check_central_difference_near_kink(0.63, must_pass=True)  # 0.625 rounded by hand
    rl.check_central_difference_near_kink(0.62, must_pass=True)
    capsys.readouterr()
    rejected(capsys, rl.check_central_difference_near_kink, 0.6, re.escape("x - h is negative"))
    rejected(capsys, rl.check_central_difference_near_kink, 0.64, re.escape("x - h is negative"))
