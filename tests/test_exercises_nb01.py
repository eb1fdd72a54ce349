"""Every checker: the stub is 'not attempted', wrong answers are rejected with a hint, the
reference answer passes, and must_pass turns anything but a pass into an AssertionError."""

import re

import numpy as np
import pytest
from checker_testing import feedback, rejected

import relu_lib as rl


def stub(x): ...


def not_implemented(x):
    raise NotImplementedError


def reference_relu(x):
    return np.where(x < 0, x.dtype.type(0), x)


WRONG_RELUS = {
    "NaN must stay NaN": lambda x: np.where(x > 0, x, 0).astype(x.dtype),
    "relu\\(-inf\\) is 0": lambda x: x * (x > 0),
    "Integers should stay integers": lambda x: np.maximum(x, 0.0),
    "float32 should stay float32": lambda x: np.where(x < 0, np.float64(0), x),
    "0 for negative inputs": lambda x: np.abs(x),
    "raised ZeroDivisionError": lambda x: 1 / 0,
    "same shape": lambda x: reference_relu(x).ravel(),
}


@pytest.mark.parametrize("hint", WRONG_RELUS)
def test_check_relu_rejects_wrong_answers_with_their_hint(hint, capsys):
    out = feedback(capsys, rl.check_relu, WRONG_RELUS[hint])
    assert out.startswith("✗ Not yet")
    assert re.search(hint, out)
    with pytest.raises(AssertionError, match=hint):
        rl.check_relu(WRONG_RELUS[hint], must_pass=True)


@pytest.mark.parametrize("fn", [stub, not_implemented])
def test_stubs_are_not_attempted(fn, capsys):
    assert feedback(capsys, rl.check_relu, fn).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_relu(fn, must_pass=True)


@pytest.mark.parametrize("fn", [reference_relu, rl.relu])
def test_check_relu_accepts_right_answers(fn, capsys):
    assert feedback(capsys, rl.check_relu, fn).startswith("✓ Correct")
    rl.check_relu(fn, must_pass=True)


def test_a_non_function_is_rejected(capsys):
    assert "should be a function" in feedback(capsys, rl.check_relu, np.zeros(3))


@pytest.mark.parametrize(
    "wrong",
    [
        lambda x: (x - np.abs(x)) / 2,
        lambda x: np.abs(x),
        lambda x: np.nan_to_num((x + np.abs(x)) / 2),
    ],
)
def test_check_relu_from_abs_rejects_wrong_formulas(wrong, capsys):
    out = feedback(capsys, rl.check_relu_from_abs, wrong)
    assert out.startswith("✗ Not yet") and "Hint" in out


def test_check_relu_from_abs_accepts_the_formula_and_flags_the_stub(capsys):
    assert feedback(capsys, rl.check_relu_from_abs, lambda x: (x + np.abs(x)) / 2).startswith("✓")
    assert feedback(capsys, rl.check_relu_from_abs, stub).startswith("○ Not attempted yet")


@pytest.mark.parametrize("value", [-np.inf, float("-inf"), 1e308, np.finfo(np.float64).max])
def test_breaks_at_accepts_real_disagreements(value, capsys):
    assert feedback(capsys, rl.check_abs_formula_breaks_at, value).startswith("✓ Correct")
    rl.check_abs_formula_breaks_at(value, must_pass=True)


@pytest.mark.parametrize(
    "value, hint",
    [
        (np.nan, "NaN goes in"),
        (np.inf, "other infinity"),
        (0.0, "largest float64"),
        (-5, "largest float64"),
        (1e300, "largest float64"),
    ],
)
def test_breaks_at_rejects_values_where_both_agree(value, hint, capsys):
    rejected(capsys, rl.check_abs_formula_breaks_at, value, re.escape(hint))


@pytest.mark.parametrize(
    "value, out",
    [
        (None, "○ Not attempted"),
        (..., "○ Not attempted"),
        ("-inf", "should be a number"),
        (True, "should be a number"),
    ],
)
def test_breaks_at_stub_and_wrong_types(value, out, capsys):
    assert out in feedback(capsys, rl.check_abs_formula_breaks_at, value)
