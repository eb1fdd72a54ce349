"""Notebook 03's checkers: the stub is 'not attempted', common wrong answers get their own hint,
the right answer passes, and must_pass turns anything but a pass into an AssertionError."""

import re

import numpy as np
import pytest
import torch
from checker_testing import feedback, rejected

import relu_lib as rl


def measured_clamp_grad_at_zero():
    x = torch.tensor(0.0, requires_grad=True)
    x.clamp(min=0).backward()
    return x.grad.item()


# --- exercise 1: the gradient of clamp(min=0) at 0 -------------------------------------------


def test_clamp_answer_is_what_torch_measures(capsys):
    value = measured_clamp_grad_at_zero()
    assert feedback(capsys, rl.check_clamp_grad_at_zero, value).startswith("✓ Correct")
    rl.check_clamp_grad_at_zero(value, must_pass=True)
    rl.check_clamp_grad_at_zero(torch.tensor(1.0).item(), must_pass=True)


@pytest.mark.parametrize(
    "value, hint",
    [(0.0, "torch.relu gives at 0"), (0.5, "torch.maximum"), (2.0, "measure it"), (-1, "measure")],
)
def test_clamp_wrong_answers_get_their_hint(value, hint, capsys):
    rejected(capsys, rl.check_clamp_grad_at_zero, value, re.escape(hint))


@pytest.mark.parametrize(
    "checker", [rl.check_clamp_grad_at_zero, rl.check_central_difference_near_kink]
)
def test_number_stubs_and_non_numbers(checker, capsys):
    assert feedback(capsys, checker, ...).startswith("○ Not attempted yet")
    assert feedback(capsys, checker, None).startswith("○ Not attempted yet")
    assert "should be a number" in feedback(capsys, checker, "0.5")
    assert "should be a number" in feedback(capsys, checker, True)
    with pytest.raises(AssertionError, match="Not attempted"):
        checker(..., must_pass=True)


# --- exercise 2: ReLU's backward from its output ----------------------------------------------


def stub(grad_output, output): ...


def not_implemented(grad_output, output):
    raise NotImplementedError


def reference(grad_output, output):
    return grad_output.masked_fill(output <= 0, 0)


def by_where(grad_output, output):
    return torch.where(output <= 0, 0, grad_output)


def by_autograd(grad_output, output):
    # Recover an input with the same output (output itself), and let autograd do it.
    x = output.clone().requires_grad_()
    torch.relu(x).backward(grad_output)
    return x.grad


WRONG_BACKWARDS = {
    "do not return the mask alone": lambda g, y: (y > 0).to(g.dtype),
    "not `output >= 0`": lambda g, y: g * (y >= 0),
    "NaN <= 0 is False": lambda g, y: g * (y > 0),
    "shape and dtype": lambda g, y: (g * (y > 0)).float(),
    "raised ZeroDivisionError": lambda g, y: 1 / 0,
    "should return a torch.Tensor": lambda g, y: (g * (y > 0)).numpy(),
}


@pytest.mark.parametrize("hint", WRONG_BACKWARDS)
def test_relu_backward_rejects_wrong_answers_with_their_hint(hint, capsys):
    rejected(capsys, rl.check_relu_backward, WRONG_BACKWARDS[hint], re.escape(hint))


@pytest.mark.parametrize("fn", [reference, by_where, by_autograd])
def test_relu_backward_accepts_right_answers(fn, capsys):
    assert feedback(capsys, rl.check_relu_backward, fn).startswith("✓ Correct")
    rl.check_relu_backward(fn, must_pass=True)


@pytest.mark.parametrize("fn", [stub, not_implemented])
def test_relu_backward_stubs_are_not_attempted(fn, capsys):
    assert feedback(capsys, rl.check_relu_backward, fn).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_relu_backward(fn, must_pass=True)


def test_relu_backward_rejects_a_non_function(capsys):
    assert "should be a function" in feedback(capsys, rl.check_relu_backward, torch.zeros(3))


def test_the_expected_backward_is_torch_relus_own():
    """The checker's expectation is what autograd really gives torch.relu, NaN included."""
    from relu_lib.exercises.nb03 import _relu_backward_cases

    for grad_output, output, _ in _relu_backward_cases():
        assert torch.equal(by_autograd(grad_output, output), reference(grad_output, output))


def test_the_learner_function_cannot_corrupt_the_cases(capsys):
    def in_place(grad_output, output):
        return grad_output.masked_fill_(output <= 0, 0)

    assert feedback(capsys, rl.check_relu_backward, in_place).startswith("✓ Correct")


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
