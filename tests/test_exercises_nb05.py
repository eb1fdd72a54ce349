"""Notebook 05's checkers: the stub is 'not attempted', wrong answers are rejected with their
hint, the right answer passes, and must_pass turns anything but a pass into an AssertionError."""

import re

import numpy as np
import pytest
from checker_testing import feedback

import relu_lib as rl
from relu_lib.exercises import nb05

CHECKERS = [rl.check_xavier_output_rms, rl.check_race_ratio, rl.check_memory_bound_time]


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("stub", [..., None])
def test_stubs_are_not_attempted(checker, stub, capsys):
    assert feedback(capsys, checker, stub).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        checker(stub, must_pass=True)


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("bad", ["0.5", True, [1.0]])
def test_non_numbers_are_rejected(checker, bad, capsys):
    assert "should be a number" in feedback(capsys, checker, bad)


RIGHT = {
    rl.check_xavier_output_rms: [2**-9.5, 0.00138, np.float32(2**-9.5)],
    rl.check_race_ratio: [1.25, 150 / 120],
    rl.check_memory_bound_time: [2 * 4 * 2**28 / 4.1e12 * 1e3, 0.52, 0.5238],
}


@pytest.mark.parametrize("checker, value", [(c, v) for c, vs in RIGHT.items() for v in vs])
def test_right_answers_pass(checker, value, capsys):
    assert feedback(capsys, checker, value).startswith("✓ Correct")
    checker(value, must_pass=True)


WRONG = [
    (rl.check_xavier_output_rms, 2**-10, "counts 20 ReLUs"),
    (rl.check_xavier_output_rms, 2**-19, "square root"),
    (rl.check_xavier_output_rms, 2**-20, "take the square root"),
    (rl.check_xavier_output_rms, 1.0, "zeroes about half"),
    (rl.check_xavier_output_rms, 2**0.5, "He initialisation"),
    (rl.check_xavier_output_rms, 0.25, "count the ReLUs, then take a square root"),
    (rl.check_race_ratio, 330 / 120, "ReLU's best learning rate"),
    (rl.check_race_ratio, 120 / 150, "ReLU's steps over tanh's"),
    (rl.check_race_ratio, 2700 / 900, "same learning rate \\(0.01\\)"),
    (rl.check_race_ratio, 750 / 300, "same learning rate \\(0.03\\)"),
    (rl.check_race_ratio, 6.0, "fewest steps in each row"),
    (rl.check_memory_bound_time, 4 * 2**28 / 4.1e12 * 1e3, "read but not written"),
    (rl.check_memory_bound_time, 2 * 2**28 / 4.1e12 * 1e3, "one byte per element"),
    (rl.check_memory_bound_time, 2**28 / 4.1e12 * 1e3, "a float32 is 4 bytes"),
    (rl.check_memory_bound_time, 2 * 4 * 2**28 / 4.1e12, "in seconds"),
    (rl.check_memory_bound_time, 10.0, "bytes moved"),
]


@pytest.mark.parametrize("checker, value, hint", WRONG)
def test_wrong_answers_get_their_hint(checker, value, hint, capsys):
    out = feedback(capsys, checker, value)
    assert out.startswith("✗ Not yet")
    assert re.search(hint, out)
    with pytest.raises(AssertionError, match=hint):
        checker(value, must_pass=True)


def test_the_race_numbers_have_distinct_wrong_answers():
    """Every same-learning-rate ratio is more than the tolerance away from the right answer and
    from each other, so each wrong answer gets its own hint."""
    relu, tanh = nb05.RACE_EXERCISE["relu"], nb05.RACE_EXERCISE["tanh"]
    ratios = [tanh[r] / relu[r] for r in relu if relu[r] is not None] + [150 / 120, 120 / 150]
    for i, a in enumerate(ratios):
        for b in ratios[i + 1 :]:
            assert not np.isclose(a, b, rtol=0.01)
