"""Notebook 04's checkers: the stub is 'not attempted', common wrong answers get their own hint,
the right answer passes, and must_pass turns anything but a pass into an AssertionError."""

import functools
import re

import numpy as np
import pytest
import torch
from checker_testing import feedback, rejected

import relu_lib as rl

CHECKERS = [rl.check_sigmoid_half_peak, rl.check_ramp, rl.check_kink_count]


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


@pytest.mark.parametrize(
    "value", [exact_half_peak(), 1.76, 1.763, 1.7627, 1.77, 1.753, np.float32(1.7627)]
)
def test_sigmoid_half_peak_accepts_the_exact_value_to_two_decimals(value, capsys):
    assert feedback(capsys, rl.check_sigmoid_half_peak, value).startswith("✓ Correct")
    rl.check_sigmoid_half_peak(value, must_pass=True)


def hand_computed_half_peak(digits):
    """x = log(s / (1 - s)) with s = (1 + sqrt(1/2)) / 2 rounded to ``digits`` decimals, as a
    learner computes it by hand."""
    s = round((1 + 0.5**0.5) / 2, digits)
    return float(np.log(s / (1 - s)))


@pytest.mark.parametrize("digits", [4, 5, 6])
def test_a_hand_computation_keeping_four_digits_of_the_sigmoid_passes(digits, capsys):
    assert abs(hand_computed_half_peak(digits) - 1.76) < 0.01
    assert feedback(capsys, rl.check_sigmoid_half_peak, hand_computed_half_peak(digits)).startswith(
        "✓ Correct"
    )


def test_ln_7_the_sigmoid_mixed_up_with_its_derivative_is_what_the_hint_says():
    """ln 7 is where sigmoid = 7/8 and -ln 7 where it is 1/8, and both lie within the 0.2 a
    reading of the plot may be off: why the exercise asks for two decimals."""
    from relu_lib.exercises.nb04 import READING_TOLERANCE, SIGMOID_HALF_PEAK_X

    x = torch.tensor([np.log(7), -np.log(7)], dtype=torch.float64)
    assert torch.allclose(torch.sigmoid(x), torch.tensor([7 / 8, 1 / 8], dtype=torch.float64))
    assert abs(np.log(7) - SIGMOID_HALF_PEAK_X) < READING_TOLERANCE


@pytest.mark.parametrize(
    "value, hint",
    [
        (np.log(7), "ln 7 = 1.95 is where the sigmoid itself is 7/8"),
        (1.95, "ln 7 = 1.95 is where the sigmoid itself is 7/8"),
        (1.946, "ln 7 = 1.95 is where the sigmoid itself is 7/8"),
        (-1.95, "-ln 7 = -1.95 is where the sigmoid itself is 1/8"),
        (-1.76, "give the positive x"),
        (0.125, "a height on the y axis"),
        (0.25, "a height on the y axis"),
        (0, "at its peak, 1/4"),
        (0.88, "it is tanh' that falls to half its peak (1/2, at x = 0.88)"),
        (1.0, "it is tanh' that falls to half its peak (1/2, at x = 0.88)"),
        (0.8536, "it is the sigmoid's value there, not x"),
        (0.85, "it is the sigmoid's value there, not x"),
        (0.146, "it is the sigmoid's value there, not x"),
        (1.8, "a fair reading of Figure 2"),
        (1.6, "a fair reading of Figure 2"),
        (1.9, "a fair reading of Figure 2"),
        (hand_computed_half_peak(2), "keep four digits of s"),
        (float("nan"), "draw a horizontal line at 1/8"),
        (5.0, "far below half its peak"),
        (1.3, "draw a horizontal line at 1/8"),
        (2.1, "draw a horizontal line at 1/8"),
        ("1.76", "should be a number"),
        (True, "should be a number"),
    ],
)
def test_sigmoid_half_peak_rejects_wrong_readings(value, hint, capsys):
    rejected(capsys, rl.check_sigmoid_half_peak, value, re.escape(hint))


def test_tanh_really_halves_near_one_and_not_at_one():
    """The hint for 1.0 must not say tanh' is half its peak there: tanh'(1) = 0.42."""
    t = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    torch.tanh(t).backward()
    assert abs(t.grad.item() - 0.42) < 0.005


# --- exercise 2: a ramp from two ReLUs ----------------------------------------------------------


def ramp(x):
    return rl.relu(x) - rl.relu(x - 1)


def _my_relu(v):
    return np.where(v < 0, 0.0, v)


def _documented_ramp(x):
    """min(x, 1) would do it in one call, but this builds it from two ReLUs."""
    first = rl.relu(x)
    return first - rl.relu(x - 1)


RIGHT_RAMPS = {
    "rl.relu": ramp,
    "np.maximum": lambda x: np.maximum(x, 0) - np.maximum(x - 1, 0),
    "torch.relu (tensor in, tensor out)": lambda x: torch.relu(x) - torch.relu(x - 1),
    "float32 tensor out": lambda x: (
        torch.relu(torch.as_tensor(x, dtype=torch.float32))
        - torch.relu(torch.as_tensor(x, dtype=torch.float32) - 1)
    ),
    "float32 array": lambda x: ramp(x.astype(np.float32)),
    "list of ReLUs": lambda x: [max(v, 0.0) - max(v - 1, 0.0) for v in x],
    "np.maximum with 0 first": lambda x: np.maximum(0, x) - np.maximum(0, x - 1),
    "clip at 0 only": lambda x: x.clip(min=0) - np.clip(x - 1, 0, None),
    "clip to infinity": lambda x: np.clip(x, 0, np.inf) - np.clip(x - 1, 0, np.inf),
    "torch.clamp(min=0)": lambda x: torch.clamp(x, min=0) - torch.clamp(x - 1, min=0),
    "np.where as ReLU": lambda x: np.where(x > 0, x, 0) - np.where(x - 1 > 0, x - 1, 0),
    "torch.maximum with zeros": lambda x: (
        torch.maximum(x, torch.zeros_like(x)) - torch.maximum(x - 1, torch.tensor(0.0))
    ),
    "ReLU of a ReLU": lambda x: 1 - rl.relu(1 - rl.relu(x)),
    "min with 0 is minus a ReLU": lambda x: rl.relu(x) + np.minimum(1 - x, 0),
    "a helper ReLU of one's own": lambda x: _my_relu(x) - _my_relu(x - 1),
    "a function with a docstring": _documented_ramp,
}


@pytest.mark.parametrize("fn", RIGHT_RAMPS.values(), ids=RIGHT_RAMPS)
def test_every_right_ramp_passes(fn, capsys):
    assert feedback(capsys, rl.check_ramp, fn).startswith("✓ Correct")
    rl.check_ramp(fn, must_pass=True)


def test_the_ramp_is_what_the_checker_expects_at_the_corners():
    from relu_lib.exercises.nb04 import RAMP_GRID

    assert {0.0, 1.0, -2.0, 3.0} <= set(RAMP_GRID.tolist())
    corners = ramp(np.array([-1.0, 0.0, 0.5, 1.0, 2.0]))
    assert corners.tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda x: rl.relu(x) + rl.relu(x - 1), "subtract relu(x - 1) instead of adding it"),
        (lambda x: rl.relu(x) - rl.relu(x + 1), "relu(x + 1) switches on at x = -1"),
        (lambda x: rl.relu(x) - 2 * rl.relu(x - 1), "falls with slope -1"),
        (rl.relu, "ReLU alone keeps rising past x = 1"),
        (lambda x: rl.relu(x - 1), "relu(x - 1) is 0 up to x = 1"),
        (lambda x: np.minimum(x, 1), "min(x, 1) caps the top only"),
        (lambda x: ramp(x) - 1, "shifted down by 1"),
        (lambda x: rl.relu(x) - rl.relu(x - 2), "at x = 1.01 it gives 1.01. Hint: for x >= 1"),
        (
            lambda x: ramp(x) + (x < 0) * 0.5,
            "at x = -2 it gives 0.5. Hint: for x <= 0 the ramp is 0",
        ),
        (lambda x: 2 * ramp(x), "at x = 0.01 it gives 0.02. Hint: for 0 <= x <= 1 the ramp is x"),
        (lambda x: max(0, x), "Python's max"),
        (lambda x: 12345, "returned shape (). Hint: it returned a single number"),
        (lambda x: x[:5], "returned shape (5,)"),
        (lambda x: "ramp", "should return an array of numbers; got str"),
        (lambda x: [object()] * 501, "should return an array of numbers; got list"),
        (lambda x: 1 / 0, "raised ZeroDivisionError"),
        (lambda: 0, "raised TypeError"),
        (5, "should be a function; got int"),
        ({"relu"}, "should be a function; got set"),
    ],
)
def test_each_wrong_ramp_gets_the_hint_for_its_mistake(fn, hint, capsys):
    rejected(capsys, rl.check_ramp, fn, re.escape(hint))


_clip = np.clip  # an alias: the checker looks through it


def _cap(v):
    return np.minimum(v, 1.0)


def _capped_by_a_helper(x):
    return _cap(rl.relu(x))


def _clipped_through_an_alias(x):
    return _clip(x, 0, 1)


def _capped_by_a_closure():
    top = 1.0
    return lambda x: np.minimum(rl.relu(x), top)


def _with_an_if(x):
    out = rl.relu(x)
    return out if False else np.fmin(out, 1)


SHORTCUT_RAMPS = {
    "np.clip": (lambda x: np.clip(x, 0, 1), "`np.clip(x, 0, 1)` caps the line"),
    "x.clip": (lambda x: x.clip(0, 1), "`x.clip(0, 1)` caps"),
    "np.minimum of a ReLU": (lambda x: np.minimum(rl.relu(x), 1), "`np.minimum(rl.relu(x), 1)`"),
    "np.where at 1": (lambda x: np.where(x > 1, 1, rl.relu(x)), "`np.where(x > 1, 1, rl.relu(x))`"),
    "Python min and max": (
        lambda x: [min(max(v, 0.0), 1.0) for v in x],
        "`min(max(v, 0.0), 1.0)`",
    ),
    "torch.clamp": (lambda x: torch.clamp(x, 0, 1), "`torch.clamp(x, 0, 1)`"),
    "F.hardtanh": (lambda x: torch.nn.functional.hardtanh(x, 0.0, 1.0), "hardtanh"),
    "np.interp": (lambda x: np.interp(x, [0, 1], [0, 1]), "`np.interp(x, [0, 1], [0, 1])`"),
    "np.fmin": (_with_an_if, "`np.fmin(out, 1)`"),
    "a helper that caps": (_capped_by_a_helper, "`np.minimum(v, 1.0)`"),
    "an alias of np.clip": (_clipped_through_an_alias, "`_clip(x, 0, 1)`"),
    "a closure's bound": (_capped_by_a_closure(), "`np.minimum(rl.relu(x), top)`"),
    "functools.partial": (functools.partial(np.clip, a_min=0, a_max=1), "partial(clip, ...)"),
}


@pytest.mark.parametrize("fn, hint", SHORTCUT_RAMPS.values(), ids=SHORTCUT_RAMPS)
def test_a_ramp_that_caps_the_line_in_one_call_is_told_to_build_it(fn, hint, capsys):
    """Right values, but the construction skipped: the feedback says so and asks for ReLUs."""
    assert np.allclose(np.asarray(rl.exercises.nb04._call_ramp(fn)[0], dtype=float), _target())
    rejected(capsys, rl.check_ramp, fn, re.escape(hint) + ".*building it from ReLUs")


def _target():
    from relu_lib.exercises.nb04 import RAMP_GRID

    return np.clip(RAMP_GRID, 0, 1)


def test_a_ramp_whose_source_cannot_be_read_is_judged_by_its_values(capsys):
    """A ramp compiled from a string has no source to read: the values decide."""
    namespace = {"rl": rl}
    exec(
        compile("def ramp(x):\n    return rl.relu(x) - rl.relu(x - 1)\n", "<none>", "exec"),
        namespace,
    )
    assert feedback(capsys, rl.check_ramp, namespace["ramp"]).startswith("✓ Correct")


def test_a_ramp_that_returns_none_or_raises_not_implemented_is_not_attempted(capsys):
    def unfinished(x):
        raise NotImplementedError

    for fn in (lambda x: None, unfinished):
        assert feedback(capsys, rl.check_ramp, fn).startswith("○ Not attempted")


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


# --- every numeric answer: a one-element tensor or array is a number --------------------------


@pytest.mark.parametrize(
    "checker, value",
    [
        (rl.check_sigmoid_half_peak, torch.tensor(1.76)),
        (rl.check_sigmoid_half_peak, np.array([1.7627], dtype=np.float32)),
        (rl.check_kink_count, torch.tensor(3)),
        (rl.check_kink_count, np.array([3.0])),
        (rl.check_kink_count, [3]),
        (rl.check_sigmoid_half_peak, [1.76]),
        (rl.check_sigmoid_half_peak, (np.float32(1.7627),)),
    ],
)
def test_one_element_tensors_and_arrays_are_numbers(checker, value, capsys):
    assert feedback(capsys, checker, value).startswith("✓ Correct")
    checker(value, must_pass=True)


@pytest.mark.parametrize("checker", [rl.check_sigmoid_half_peak, rl.check_kink_count])
@pytest.mark.parametrize("value", [torch.tensor([3.0, 3.0]), torch.tensor(True), np.array([])])
def test_other_arrays_are_rejected_with_feedback(checker, value, capsys):
    rejected(capsys, checker, value, "should be a number")
