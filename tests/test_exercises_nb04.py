"""Notebook 04's checkers: the stub is 'not attempted', common wrong answers get their own hint,
the right answer passes, and must_pass turns anything but a pass into an AssertionError."""

import re

import numpy as np
import pytest
import torch
from checker_testing import feedback, rejected

import relu_lib as rl

CHECKERS = [rl.check_sigmoid_half_peak, rl.check_slope_one_at_two, rl.check_kink_count]


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("stub", [None, ...])
def test_stubs_are_not_attempted(checker, stub, capsys):
    assert feedback(capsys, checker, stub).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        checker(stub, must_pass=True)


# --- exercise 1: where sigmoid' falls to half its peak, read off the plot -------------------------


def exact_half_peak():
    """Solve sigmoid'(x) = 1/8 numerically with autograd, by bisection on x > 0."""

    def slope(x):
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        torch.sigmoid(t).backward()
        return t.grad.item()

    lo, hi = 0.0, 5.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if slope(mid) > 1 / 8 else (lo, mid)
    return lo


def test_the_expected_point_is_where_autograd_gives_one_eighth():
    from relu_lib.exercises.nb04 import SIGMOID_HALF_PEAK_X, TANH_HALF_PEAK_X

    assert abs(exact_half_peak() - SIGMOID_HALF_PEAK_X) < 1e-9
    t = torch.tensor(TANH_HALF_PEAK_X, dtype=torch.float64, requires_grad=True)
    torch.tanh(t).backward()
    assert abs(t.grad.item() - 0.5) < 1e-12


@pytest.mark.parametrize("value", [exact_half_peak(), 1.76, 1.6, 1.95, np.float32(1.8)])
def test_sigmoid_half_peak_accepts_a_reading_near_1_76(value, capsys):
    assert feedback(capsys, rl.check_sigmoid_half_peak, value).startswith("✓ Correct")
    rl.check_sigmoid_half_peak(value, must_pass=True)


@pytest.mark.parametrize(
    "value, hint",
    [
        (-1.76, "give the positive x"),
        (0.125, "a height on the y axis"),
        (0.25, "a height on the y axis"),
        (0, "at its peak, 1/4"),
        (0.88, "where tanh' falls to half its peak"),
        (5.0, "far below half its peak"),
        (1.3, "draw a horizontal line at 1/8"),
        (2.1, "draw a horizontal line at 1/8"),
        ("1.76", "should be a number"),
        (True, "should be a number"),
    ],
)
def test_sigmoid_half_peak_rejects_wrong_readings(value, hint, capsys):
    rejected(capsys, rl.check_sigmoid_half_peak, value, re.escape(hint))


# --- exercise 2: which curves have slope 1 at x = 2 -------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        {"relu", "leaky_relu"},
        ["ReLU", "Leaky ReLU"],
        ("relu", "leakyrelu", "relu"),
        {"LEAKY-RELU", "Relu"},
    ],
)
def test_slope_one_accepts_relu_and_leaky_relu(answer, capsys):
    assert feedback(capsys, rl.check_slope_one_at_two, answer).startswith("✓ Correct")
    rl.check_slope_one_at_two(answer, must_pass=True)


def test_slope_one_answer_is_what_autograd_measures():
    fns = {
        "relu": torch.relu,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "leaky_relu": lambda x: torch.nn.functional.leaky_relu(x, 0.1),
    }
    measured = set()
    for name, f in fns.items():
        x = torch.tensor(2.0, requires_grad=True)
        f(x).backward()
        if x.grad.item() == 1.0:
            measured.add(name)
    rl.check_slope_one_at_two(measured, must_pass=True)


@pytest.mark.parametrize(
    "answer, hint",
    [
        ({"relu"}, "Leaky ReLU only changes the negative side"),
        ("relu", "Leaky ReLU only changes the negative side"),
        ({"relu", "leaky_relu", "tanh"}, "tanh' reaches 1 only at x = 0"),
        ({"relu", "tanh"}, "tanh' reaches 1 only at x = 0"),
        ({"sigmoid", "relu", "leaky_relu"}, "never exceeds 1/4"),
        ({"leaky_relu"}, "ReLU is x for every x > 0"),
        (set(), "Leaky ReLU only changes"),
        ({"relu", "elu"}, "unknown name"),
        (3, "should be a set of names"),
        ([1, 2], "should be a set of names"),
    ],
)
def test_slope_one_rejects_wrong_sets_with_their_hint(answer, hint, capsys):
    rejected(capsys, rl.check_slope_one_at_two, answer, re.escape(hint))


# --- exercise 3: kinks of relu(x + 1) - 2 relu(x) + relu(x - 1) --------------------------------


def measured_kinks():
    """Count the candidate points where the one-sided slopes differ."""

    def f(x):
        return rl.relu(x + 1) - 2 * rl.relu(x) + rl.relu(x - 1)

    h = 1e-3
    return sum(
        not np.isclose((f(c + h) - f(c)) / h, (f(c) - f(c - h)) / h) for c in (-1.0, 0.0, 1.0)
    )


@pytest.mark.parametrize("value", [3, 3.0, np.int64(3), measured_kinks()])
def test_kink_count_accepts_three(value, capsys):
    assert feedback(capsys, rl.check_kink_count, value).startswith("✓ Correct")
    rl.check_kink_count(value, must_pass=True)


@pytest.mark.parametrize(
    "value, hint",
    [
        (1, "there are three ReLUs"),
        (2, "x = 0 included"),
        (0, "not smooth in general"),
        (4, "compare the one-sided slopes"),
        (2.9, "compare the one-sided slopes"),
        (True, "should be a number"),
    ],
)
def test_kink_count_rejects_wrong_counts(value, hint, capsys):
    rejected(capsys, rl.check_kink_count, value, re.escape(hint))
