"""Notebook 02's checkers: the stub is 'not attempted', common wrong answers get their own
hint, the right answer passes, and must_pass turns anything but a pass into an error."""

import re

import numpy as np
import pytest
from checker_testing import feedback

import relu_lib as rl

CHECKERS = {
    "sigmoid_best_case": (
        rl.check_sigmoid_best_case,
        0.25**20,
        [
            (5.0, "multiplies the layers' factors"),
            (0.5**20, "sigmoid\\(0\\), the function's value"),
            (1.0, "largest derivative of tanh"),
            (0.25, "one layer's factor"),
            (0.25**19, "count the factors again"),
            (1e-6, "multiply the largest value"),
        ],
    ),
    "relu_variance_gain": (
        rl.check_relu_variance_gain,
        2.0,
        [
            (1.0, "halves the squared norm"),
            (2**0.5, "gain on the standard deviation"),
            (4.0, "explodes"),
            (0.5, "must double it"),
            (3.0, "Choose g so that the product is 1"),
        ],
    ),
    "relu_xavier_shrink": (
        rl.check_relu_xavier_shrink,
        1 / 1024,
        [
            (2.0**-20, "factor on the squared norm"),
            (1.0, "Xavier keeps the scale for activations with slope 1"),
            (2**-0.5, "that is one layer"),
            (0.5, "one layer's factor on the squared norm"),
            (0.25**20, "sigmoid's largest derivative"),
            (0.1, "Take the square root"),
            (2.0**-9.5, "that is 19 factors"),
            (1.0e-3, "the theory's value"),
            (1.1e-3, "the theory's value"),
        ],
    ),
}
WRONG = [(name, value, hint) for name, (_, _, cases) in CHECKERS.items() for value, hint in cases]


@pytest.mark.parametrize("name", CHECKERS)
@pytest.mark.parametrize("stub", [..., None])
def test_the_stub_is_not_attempted(name, stub, capsys):
    checker = CHECKERS[name][0]
    assert feedback(capsys, checker, stub).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        checker(stub, must_pass=True)


@pytest.mark.parametrize("name, value, hint", WRONG)
def test_wrong_answers_get_their_hint(name, value, hint, capsys):
    checker = CHECKERS[name][0]
    out = feedback(capsys, checker, value)
    assert out.startswith("✗ Not yet") and "Hint" in out
    assert re.search(hint, out), out
    with pytest.raises(AssertionError, match="Not yet"):
        checker(value, must_pass=True)


@pytest.mark.parametrize("name", CHECKERS)
def test_the_right_answer_passes(name, capsys):
    checker, right, _ = CHECKERS[name]
    for value in (right, np.float64(right), np.float32(right)):
        assert feedback(capsys, checker, value).startswith("✓ Correct")
        checker(value, must_pass=True)
        assert capsys.readouterr().out.startswith("✓ Correct")


def test_integer_answers_are_numbers():
    rl.check_relu_variance_gain(2, must_pass=True)


@pytest.mark.parametrize("name", CHECKERS)
@pytest.mark.parametrize("value", ["2", True, [2.0]])
def test_non_numbers_are_rejected(name, value, capsys):
    assert "should be a number" in feedback(capsys, CHECKERS[name][0], value)
