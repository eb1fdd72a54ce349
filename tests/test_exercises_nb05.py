"""Notebook 05's checkers: the stub is 'not attempted', wrong answers are rejected with their
hint, the right answer passes, and must_pass turns anything but a pass into an AssertionError."""

import numpy as np
import pytest
import torch
from checker_testing import feedback, rejected

import relu_lib as rl
from relu_lib.exercises import nb05

N_BF16 = 2048 * 11008  # exercise 3's elements
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
    rl.check_memory_bound_time: [
        2 * 2 * 2048 * 11008 / 256e9 * 1e3,
        0.352,
        0.35,
        np.float32(0.3523),
        torch.tensor(2 * 2 * 2048 * 11008) / 256e9 * 1e3,
        np.array([0.352]),
    ],
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
    (rl.check_memory_bound_time, 2 * 4 * N_BF16 / 256e9 * 1e3, "2 bytes each"),
    (rl.check_memory_bound_time, 2 * N_BF16 / 256e9 * 1e3, "AND writes"),
    (rl.check_memory_bound_time, N_BF16 / 256e9 * 1e3, "1 byte per element"),
    (rl.check_memory_bound_time, 2 * 2 * N_BF16 / 4.1e12 * 1e3, "H200's 4.1 TB/s"),
    (rl.check_memory_bound_time, 2 * 2 * N_BF16 / 256 / 2**30 * 1e3, "10\\^9 bytes"),
    (rl.check_memory_bound_time, 2 * 2 * N_BF16 / 256e9, "in seconds"),
    (rl.check_memory_bound_time, 2 * 2 * N_BF16 / 256e9 * 1e6, "in microseconds"),
    # the old exercise's answer (float32, 2^28 elements, H200): read off the notebook's table
    (rl.check_memory_bound_time, 2 * 4 * 2**28 / 4.1e12 * 1e3, "bytes moved"),
    (rl.check_memory_bound_time, 0.531, "bytes moved"),
    (rl.check_memory_bound_time, 10.0, "bytes moved"),
    (rl.check_memory_bound_time, float("nan"), "bytes moved"),
    (rl.check_memory_bound_time, float("inf"), "bytes moved"),
    (rl.check_memory_bound_time, torch.tensor([0.352, 0.352]), "should be a number"),
    (rl.check_memory_bound_time, 1 + 2j, "should be a number"),
]


@pytest.mark.parametrize("checker, value, hint", WRONG)
def test_wrong_answers_get_their_hint(checker, value, hint, capsys):
    rejected(capsys, checker, value, hint)


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize(
    "answer", [torch.tensor(1e-9), np.array(1e-9), torch.tensor([1e-9], requires_grad=True)]
)
def test_one_element_tensors_and_arrays_are_read_as_numbers(checker, answer, capsys):
    assert feedback(capsys, checker, answer).startswith("✗ Not yet")


@pytest.mark.parametrize("checker", CHECKERS)
def test_a_right_answer_as_a_tensor_passes(checker, capsys):
    right = RIGHT[checker][0]
    assert feedback(capsys, checker, torch.tensor(right)).startswith("✓ Correct")


def test_exercise_3_is_not_the_number_the_notebook_prints():
    """The notebook's H200 table shows 0.531 ms (ReLU) and 0.523 ms (copy): neither may pass."""
    expected = 2 * 2 * N_BF16 / 256e9 * 1e3
    for printed in (0.531, 0.523, 0.261, 0.293):
        assert not np.isclose(printed, expected, rtol=0.03)


def test_exercise_3_wrong_answers_are_distinct():
    """Each known mistake is more than the tolerance away from the answer and from the others,
    so each gets its own hint."""
    values = [v for c, v, _ in WRONG if c is rl.check_memory_bound_time][:7]
    values.append(2 * 2 * N_BF16 / 256e9 * 1e3)
    for i, a in enumerate(values):
        for b in values[i + 1 :]:
            assert not np.isclose(a, b, rtol=0.03)


def test_the_race_numbers_have_distinct_wrong_answers():
    """Every same-learning-rate ratio is more than the tolerance away from the right answer and
    from each other, so each wrong answer gets its own hint."""
    relu, tanh = nb05.RACE_EXERCISE["relu"], nb05.RACE_EXERCISE["tanh"]
    ratios = [tanh[r] / relu[r] for r in relu if relu[r] is not None] + [150 / 120, 120 / 150]
    for i, a in enumerate(ratios):
        for b in ratios[i + 1 :]:
            assert not np.isclose(a, b, rtol=0.01)
