"""Notebook 08's checkers: the stub is 'not attempted', wrong answers are rejected with their
hint, the right answer passes, and must_pass turns anything but a pass into an AssertionError."""

import re

import pytest
import torch
import torch.nn.functional as F
from checker_testing import feedback, rejected
from torch import nn

import relu_lib as rl
from relu_lib.exercises.nb08 import INPLACE_CASES

# --- exercise 1: which in-place ReLUs fail -------------------------------------------------


def test_the_cases_fail_as_the_notebook_says():
    """The truth is measured by the checker; pin it, so a change in torch shows up here."""
    fails = set()
    for n, (make_input, _) in INPLACE_CASES.items():
        x = torch.randn(4, requires_grad=True)
        try:
            F.relu(make_input(x), inplace=True).sum().backward()
        except RuntimeError:
            fails.add(n)
    assert fails == {1, 3, 5}


@pytest.mark.parametrize("answer", [{1, 3, 5}, [5, 3, 1], (1, 3, 5), frozenset({1, 3, 5})])
def test_inplace_failures_right_answer(answer, capsys):
    assert feedback(capsys, rl.check_inplace_failures, answer).startswith("✓ Correct")
    rl.check_inplace_failures(answer, must_pass=True)


@pytest.mark.parametrize(
    "answer, hint",
    [
        ({3, 5}, "case 1 raises a RuntimeError. Hint: x is a leaf"),
        ({1, 5}, "case 3 raises a RuntimeError. Hint: sigmoid's derivative"),
        ({1, 3}, "case 5 raises a RuntimeError. Hint: exp's derivative"),
        ({1, 3, 4, 5}, "case 4 runs fine. Hint: sin's backward needs cos(x)"),
        ({1, 3, 5, 6}, "case 6 runs fine. Hint: Linear's backward"),
        ({1, 2, 3, 5}, "case 2 runs fine"),
        ({1, 2, 3, 4, 5, 6}, "case 2 runs fine"),
        (set(), "case 1 raises"),
        ({0, 1}, "numbered 1 to 6"),
        ("135", "a set of case numbers"),
        (135, "a set of case numbers"),
        ({True}, "a set of case numbers"),
    ],
)
def test_inplace_failures_wrong_answers(answer, hint, capsys):
    rejected(capsys, rl.check_inplace_failures, answer, re.escape(hint))


@pytest.mark.parametrize("stub", [None, ...])
def test_inplace_failures_stub(stub, capsys):
    assert feedback(capsys, rl.check_inplace_failures, stub).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_inplace_failures(stub, must_pass=True)


# --- exercise 2: the bytes in-place ReLU saves ---------------------------------------------


def test_the_saving_is_one_activation_as_measured():
    x = torch.randn(1000, 300)
    peaks = []
    for inplace in (False, True):
        layers = [m for _ in range(6) for m in (nn.Linear(300, 300), nn.ReLU(inplace=inplace))]
        peaks.append(rl.count_tensor_memory(nn.Sequential(*layers), x)[1].peak)
    assert peaks[0] - peaks[1] == 1000 * 300 * 4


def test_inplace_saving_right_answer(capsys):
    for answer in (1_200_000, 1.2e6, 1000 * 300 * 4):
        assert feedback(capsys, rl.check_inplace_saving, answer).startswith("✓ Correct")
    rl.check_inplace_saving(1_200_000, must_pass=True)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (7_200_000, "not one per layer"),
        (2_400_000, "only the pre-activation"),
        (300_000, "a float32 is 4 bytes"),
        (0, "alive together"),
        (14_400_000, "alive at the same time"),
        (123, "how many elements"),
        ("1200000", "should be a number"),
    ],
)
def test_inplace_saving_wrong_answers(answer, hint, capsys):
    rejected(capsys, rl.check_inplace_saving, answer, re.escape(hint))


def test_inplace_saving_stub(capsys):
    assert feedback(capsys, rl.check_inplace_saving, ...).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_inplace_saving(..., must_pass=True)


# --- exercise 3: x + relu(x) without touching x --------------------------------------------


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: x + torch.relu(x),
        lambda x: F.relu(x).add_(x),
        lambda x: x + F.relu(x.clone(), inplace=True),
    ],
)
def test_residual_relu_right_answers(fn, capsys):
    assert feedback(capsys, rl.check_residual_relu, fn).startswith("✓ Correct")
    rl.check_residual_relu(fn, must_pass=True)


def _overwrites(x):
    y = x.clone()
    F.relu(x, inplace=True)
    return y + x


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda x: x + F.relu(x, inplace=True), "the sum sees relu(x) twice"),
        (lambda x: x + nn.ReLU(inplace=True)(x), "the sum sees relu(x) twice"),
        (_overwrites, "it overwrites its input"),
        (lambda x: x - torch.relu(x), "add x and relu(x)"),
        (lambda x: torch.relu(x), "add x and relu(x)"),
        (lambda x: (x + torch.relu(x)).numpy(), "return a tensor"),
        (lambda x: 1 / 0, "raised ZeroDivisionError"),
        (torch.zeros(3), "should be a function"),
    ],
)
def test_residual_relu_wrong_answers(fn, hint, capsys):
    rejected(capsys, rl.check_residual_relu, fn, re.escape(hint))


def stub(x): ...


def not_implemented(x):
    raise NotImplementedError


@pytest.mark.parametrize("fn", [stub, not_implemented])
def test_residual_relu_stubs(fn, capsys):
    assert feedback(capsys, rl.check_residual_relu, fn).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_residual_relu(fn, must_pass=True)
