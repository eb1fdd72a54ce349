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


@pytest.mark.parametrize("checker", [rl.check_clamp_identity_grad_at_zero])
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


def output_of(x):
    return torch.maximum(x, torch.zeros_like(x))


READ_OFF_THE_OUTPUT = {
    "the rule applied to the output": lambda g, x: torch.where(
        output_of(x) > 0, g, torch.where(output_of(x) == 0, g / 2, torch.zeros_like(g))
    ),
    "the worked solution applied to the output": lambda g, x: reference(g, output_of(x)),
    "half wherever the output is not positive": lambda g, x: torch.where(
        output_of(x) > 0, g, g / 2
    ),
    "all of it wherever the output is >= 0": lambda g, x: g * (output_of(x) >= 0),
}


@pytest.mark.parametrize("fn", READ_OFF_THE_OUTPUT.values(), ids=READ_OFF_THE_OUTPUT)
def test_a_backward_read_off_the_output_is_told_why_it_needs_x(fn, capsys):
    """Such a backward gives x < 0 and x = 0 the same share (the output is 0 for both): its
    hint says so, and not the NaN or x < 0 hints meant for masks built from x."""
    rejected(capsys, rl.check_maximum_backward, fn, re.escape("as a rule read off the output"))
    out = feedback(capsys, rl.check_maximum_backward, fn)
    assert "Build the masks from x, not from the output" in out
    assert "NaN < 0 and NaN == 0" not in out and "the maximum is the constant 0" not in out, out


def test_relus_own_rule_on_the_output_is_named_as_relus_choice(capsys):
    """threshold_backward on the output is torch.relu's backward: 0 at the tie and below, the
    same as from x, so it hears about the tie, not about reading the output."""
    fn = lambda g, x: torch.ops.aten.threshold_backward(g, output_of(x), 0.0)  # noqa: E731
    out = feedback(capsys, rl.check_maximum_backward, fn)
    assert "torch.relu's choice" in out and "read off the output" not in out, out


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


# --- exercise 3: where the central difference misses the derivative by 0.1 -------------------


def central_difference(x, h=1e-3):
    return (rl.relu(x + h) - rl.relu(x - h)) / (2 * h)


def off_by(x, h=1e-3):
    """How far the central difference at x is from ReLU's derivative (0 at x = 0, PyTorch's)."""
    return abs(central_difference(x, h) - rl.relu_grad(x))


def test_the_two_answers_are_where_the_central_difference_is_off_by_a_tenth():
    """The expected answers, measured: ±0.8h miss by 0.1, and no other x on a fine grid over
    and beyond the stencil's reach does (the miss is 0.1 only where the grid crosses them)."""
    h = 1e-3
    for x in (0.8 * h, -0.8 * h):
        assert np.isclose(off_by(np.float64(x)), 0.1, rtol=1e-9)
    grid = np.linspace(-2 * h, 2 * h, 40001)
    miss = off_by(grid) - 0.1
    crossings = grid[:-1][np.sign(miss[:-1]) != np.sign(miss[1:])]
    assert np.allclose(np.sort(crossings), [-0.8 * h, 0.8 * h], atol=2 * (grid[1] - grid[0]))


H = 1e-3
RIGHT_TENTHS = {
    "list": [0.8 * H, -0.8 * H],
    "tuple, other order": (-8e-4, 8e-4),
    "set": {8e-4, -8e-4},
    "NumPy array": np.array([8e-4, -8e-4]),
    "tensor (float32)": torch.tensor([8e-4, -8e-4]),
    "one-element tensors": [torch.tensor(8e-4), torch.tensor([-8e-4])],
    "np.float32": [np.float32(8e-4), np.float32(-8e-4)],
    "solved on the computer": [
        (0.9 * 2 * H) - H,  # (x + h) / (2h) = 0.9
        (0.1 * 2 * H) - H,  # (x + h) / (2h) = 0.1
    ],
    "found by a search, to 0.05%": [8.004e-4, -7.996e-4],
    "a duplicate": [8e-4, -8e-4, 8e-4],
}


@pytest.mark.parametrize("answer", RIGHT_TENTHS.values(), ids=RIGHT_TENTHS)
def test_off_by_a_tenth_accepts_both_answers_in_any_form(answer, capsys):
    out = feedback(capsys, rl.check_central_difference_off_by_a_tenth, answer)
    assert out.startswith("✓ Correct"), out
    rl.check_central_difference_off_by_a_tenth(answer, must_pass=True)


@pytest.mark.parametrize(
    "answer, hint",
    [
        ([8e-4], "is one of them, and there is another.*x < 0, where ReLU's derivative is 0"),
        (8e-4, "is one of them, and there is another.*x < 0"),
        ([-8e-4], "is one of them, and there is another.*x > 0, where ReLU's derivative is 1"),
        ([0.8, -0.8], "0.8 in units of h"),
        ([-0.8], "0.8 in units of h"),
        ([9e-4, -8e-4], "backward difference"),
        ([8e-4, -9e-4], "forward difference"),
        ([2e-4, -2e-4], "0.1 away from 1/2, its value at the kink"),
        ([0.0, 8e-4, -8e-4], "at x = 0 the quotient is .* = 1/2"),
        ([1e-3], "for \\|x\\| >= h the stencil"),
        ([-5e-3, 8e-4], "for \\|x\\| >= h the stencil"),
        ([5e-4], "\\(x \\+ h\\) / \\(2h\\) = 0.75 and ReLU's derivative is 1: off by 0.25"),
        ([-5e-4], "= 0.25 and ReLU's derivative is 0: off by 0.25"),
        ([7.9e-4, -8e-4], "off by 0.105, not 0.1"),
        ([8e-4, -8e-4, 12345], "for \\|x\\| >= h"),
        ([np.nan, 8e-4], "NaN is no place on the x axis"),
        (10**400, "x = inf is not one"),
        ([], "empty, but there are such x"),
    ],
)
def test_off_by_a_tenth_wrong_answers_get_their_hint(answer, hint, capsys):
    rejected(capsys, rl.check_central_difference_off_by_a_tenth, answer, hint)


@pytest.mark.parametrize(
    "answer, said",
    [
        (None, "○ Not attempted"),
        (..., "○ Not attempted"),
        ("8e-4", "should be a list of numbers, such as \\[0.001\\]; got str"),
        ([True, False], "got a list holding bool"),
        (["8e-4"], "got a list holding str"),
        ([1j], "got a list holding complex"),
        (np.zeros((2, 2)), "got a ndarray of shape \\(2, 2\\)"),
        ({"x": 8e-4}, "got dict"),
    ],
)
def test_off_by_a_tenth_stub_and_wrong_types_get_feedback(answer, said, capsys):
    out = feedback(capsys, rl.check_central_difference_off_by_a_tenth, answer)
    assert re.search(said, out) and len(out) < 400, out
    if not said.startswith("○"):
        rejected(capsys, rl.check_central_difference_off_by_a_tenth, answer, said)


def test_off_by_a_tenth_stub_under_must_pass_is_not_attempted():
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_central_difference_off_by_a_tenth(..., must_pass=True)


@pytest.mark.parametrize("checker", [rl.check_clamp_identity_grad_at_zero])
def test_an_int_beyond_float64_gets_feedback_not_a_traceback(checker, capsys):
    rejected(capsys, checker, 10**309, "beyond the range of float64")
