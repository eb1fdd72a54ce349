"""Checkers for notebook 01, "What is ReLU?"."""

import numpy as np

from .core import check_function, numeric_answer, verdict

__all__ = ["check_relu", "check_relu_from_abs", "check_abs_formula_breaks_at"]


def check_relu(fn, must_pass=False):
    """Notebook 01, exercise 1: a NumPy ``relu`` that agrees with ``torch.relu`` everywhere."""
    cases = [
        (
            np.array([-2.0, -0.5, 0.5, 3.0]),
            np.array([0.0, 0.0, 0.5, 3.0]),
            "ReLU is 0 for negative inputs and x itself for positive inputs.",
        ),
        (np.array([0.0]), np.array([0.0]), "relu(0) is 0."),
        (
            np.array([np.nan, -1.0]),
            np.array([np.nan, 0.0]),
            "NaN must stay NaN. `x > 0` is False for NaN, so np.where(x > 0, x, 0) turns NaN "
            "into 0; ask `x < 0` instead.",
        ),
        (
            np.array([np.inf, -np.inf]),
            np.array([np.inf, 0.0]),
            "relu(-inf) is 0. Multiplying by a mask, x * (x > 0), gives -inf * 0 = NaN.",
        ),
        (
            np.array([-1.5, 2.5], dtype=np.float32),
            np.array([0.0, 2.5], dtype=np.float32),
            "float32 should stay float32: avoid mixing in float64 constants.",
        ),
        (
            np.array([-3, 0, 4]),
            np.array([0, 0, 4]),
            "Integers should stay integers: compare and replace with an integer 0, not 0.0 "
            "(np.maximum(x, 0.0) returns floats).",
        ),
        (
            np.zeros((2, 0)),
            np.zeros((2, 0)),
            "An empty array gives an empty array of the same shape.",
        ),
        (
            np.array([[-1.0, 2.0], [3.0, -4.0]]),
            np.array([[0.0, 2.0], [3.0, 0.0]]),
            "The output has the shape of the input.",
        ),
    ]
    return check_function(
        fn, "my_relu", cases, "your ReLU agrees with torch.relu on every edge case.", must_pass
    )


def check_relu_from_abs(fn, must_pass=False):
    """Notebook 01, exercise 2: ReLU built from ``abs`` and arithmetic only."""
    x = np.array([-3.0, -1.0, -0.25, 0.0, 0.25, 1.0, 3.0])
    cases = [
        (
            x,
            np.maximum(x, 0.0),
            "Add x and |x|: for x > 0 that is 2x, for x < 0 it is 0. Then halve it.",
        ),
        (np.array([np.nan]), np.array([np.nan]), "NaN in should give NaN out."),
    ]
    return check_function(
        fn,
        "relu_from_abs",
        cases,
        "(x + |x|) / 2 equals max(0, x) on ordinary numbers (exercise 3 finds where it does not).",
        must_pass,
    )


def check_abs_formula_breaks_at(value, must_pass=False):
    """Notebook 01, exercise 3: a float64 input where (x + |x|) / 2 differs from ReLU."""
    if numeric_answer(value, "breaks_at", must_pass) is None:
        return
    x = np.float64(value)
    with np.errstate(over="ignore", invalid="ignore"):
        doubled = x + np.abs(x)
        by_abs = doubled / 2
    reference = np.float64(0.0) if x < 0 else x
    if not np.array_equal(by_abs, reference, equal_nan=True):
        why = (
            "(-inf + inf) / 2 is NaN"
            if x == -np.inf
            else f"x + |x| overflows to {float(doubled)!r}, and halving it cannot bring it back"
        )
        return verdict(
            True, f"at x = {value!r}, {why}, but relu(x) is {float(reference)!r}.", must_pass
        )
    if np.isnan(x):
        hint = "NaN goes in and NaN comes out, both ways. Try an infinity."
    elif x == np.inf:
        hint = "(inf + inf) / 2 is inf, and relu(inf) is inf: they agree. Try the other infinity."
    else:
        hint = (
            "for ordinary numbers both agree. Think about what x + |x| does to an infinity, "
            "or to a number close to the largest float64 (about 1.8e308)."
        )
    return verdict(False, f"at x = {value!r} the two agree. Hint: {hint}", must_pass)
