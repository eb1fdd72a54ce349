"""Notebook 05's checkers: the stub is 'not attempted', wrong answers are rejected with their
hint, the right answer passes, and must_pass turns anything but a pass into an AssertionError."""

import numpy as np
import pytest
import torch
from checker_testing import feedback, rejected

import relu_lib as rl

N_BF16 = 2048 * 11008  # exercise 3's elements
GAIN_RMS = (25 / 9 * (25 / 18) ** 19) ** 0.5  # exercise 1: 37.77
NUMBER_CHECKERS = [rl.check_tanh_gain_output_rms, rl.check_memory_bound_time]
CHECKERS = [*NUMBER_CHECKERS, rl.check_race_function]


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("stub", [..., None])
def test_stubs_are_not_attempted(checker, stub, capsys):
    assert feedback(capsys, checker, stub).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        checker(stub, must_pass=True)


@pytest.mark.parametrize("checker", NUMBER_CHECKERS)
@pytest.mark.parametrize("bad", ["0.5", True, [1.0]])
def test_non_numbers_are_rejected(checker, bad, capsys):
    assert "should be a number" in feedback(capsys, checker, bad)


RIGHT = {
    rl.check_tanh_gain_output_rms: [
        GAIN_RMS,
        37.8,
        38,  # an int
        (2.78 * 1.39**19) ** 0.5,  # n Var(w) and b rounded to 3 digits: 38.08
        5 / 3 * (25 / 18) ** 9.5,
        np.float32(GAIN_RMS),
        torch.tensor(25 / 9 * (25 / 18) ** 19, dtype=torch.float32).sqrt(),
        np.array([37.77]),
    ],
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
    (rl.check_tanh_gain_output_rms, (25 / 18) ** 9.5, "leaves out the first layer"),
    (rl.check_tanh_gain_output_rms, 5 / 3 * (25 / 18) ** 10, "counts 20 ReLUs"),
    (rl.check_tanh_gain_output_rms, 25 / 9 * (25 / 18) ** 19, "square root"),
    (rl.check_tanh_gain_output_rms, (25 / 9) ** 10, "zeroes about half"),
    (rl.check_tanh_gain_output_rms, (5 / 3 * (5 / 6) ** 19) ** 0.5, "standard\\s+deviation"),
    (rl.check_tanh_gain_output_rms, (2.8 * 1.4**19) ** 0.5, "rounds n Var\\(w\\) to 2.8"),
    (rl.check_tanh_gain_output_rms, 41, "rounds n Var\\(w\\) to 2.8"),
    (rl.check_tanh_gain_output_rms, 2**0.5, "He initialisation"),
    (rl.check_tanh_gain_output_rms, 2**-9.5, "Xavier"),
    (rl.check_tanh_gain_output_rms, 36.2, "std = \\(5/3\\)"),  # a simulation of 200 networks
    (rl.check_tanh_gain_output_rms, float("nan"), "std = \\(5/3\\)"),
    (rl.check_tanh_gain_output_rms, 10**400, "beyond the range of float64"),
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


@pytest.mark.parametrize("checker", NUMBER_CHECKERS)
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


def test_exercise_1_wrong_answers_are_distinct():
    """Each known mistake of exercise 1 is more than the tolerance (3%) away from the answer and
    from the others, so each gets its own hint."""
    values = [v for c, v, _ in WRONG if c is rl.check_tanh_gain_output_rms][:9]
    values.remove(41)
    values.append(GAIN_RMS)
    for i, a in enumerate(values):
        for b in values[i + 1 :]:
            assert not np.isclose(a, b, rtol=0.03), (a, b)


def test_exercise_1_is_not_on_the_notebooks_rms_figure():
    """The figure and table of section 2 show He (b = 1), Xavier (1/2), PyTorch's default (1/6)
    and variance 4/n (2): the exercise's b = 25/18 is none of them."""
    for n_var in (2, 1, 1 / 3, 4):
        for layers in range(1, 31):
            printed = (n_var * (n_var / 2) ** (layers - 1)) ** 0.5
            assert not np.isclose(printed, GAIN_RMS, rtol=0.03)


# Exercise 2 (code): fair_race_ratio(table), right solutions as learners write them.
def fewest_ratio(race):
    fewest = {name: min(s for s in row.values() if s is not None) for name, row in race.items()}
    return fewest["tanh"] / fewest["relu"]


def with_numpy(race):
    best = {
        k: np.nanmin([np.nan if s is None else s for s in row.values()]) for k, row in race.items()
    }
    return best["tanh"] / best["relu"]


def with_torch(race):
    best = {
        k: torch.tensor([float("inf") if s is None else s for s in row.values()]).min()
        for k, row in race.items()
    }
    return best["tanh"] / best["relu"]  # a one-element float32 tensor


def with_loops(race):
    best = {}
    for name in ("relu", "tanh"):
        best[name] = None
        for steps in race[name].values():
            if steps is not None and (best[name] is None or steps < best[name]):
                best[name] = steps
    return best["tanh"] / best["relu"]


def popping_nones(race):  # edits its argument: the checker hands it copies
    for row in race.values():
        for rate in [r for r, s in row.items() if s is None]:
            row.pop(rate)
    return min(race["tanh"].values()) / min(race["relu"].values())


@pytest.mark.parametrize("fn", [fewest_ratio, with_numpy, with_torch, with_loops, popping_nones])
def test_right_race_functions_pass(fn, capsys):
    assert feedback(capsys, rl.check_race_function, fn).startswith("✓ Correct")
    rl.check_race_function(fn, must_pass=True)


def stub(race): ...


def not_implemented(race):
    raise NotImplementedError


@pytest.mark.parametrize("fn", [stub, not_implemented, ..., None])
def test_the_race_stub_is_not_attempted(fn, capsys):
    assert feedback(capsys, rl.check_race_function, fn).startswith("○ Not attempted yet")


def no_skip(race):
    return min(race["tanh"].values()) / min(race["relu"].values())


def none_as_zero(race):
    return min(s or 0 for s in race["tanh"].values()) / min(s or 0 for s in race["relu"].values())


def inverted(race):
    return fewest_ratio(race) ** -1


def at_relus_best_rate(race):
    steps = {r: s for r, s in race["relu"].items() if s is not None}
    rate = min(steps, key=steps.get)
    return race["tanh"][rate] / race["relu"][rate]


def at_tanhs_best_rate(race):
    steps = {r: s for r, s in race["tanh"].items() if s is not None}
    rate = min(steps, key=steps.get)
    return race["tanh"][rate] / race["relu"][rate]


def slowest(race):
    worst = {k: max(s for s in row.values() if s is not None) for k, row in race.items()}
    return worst["tanh"] / worst["relu"]


def rate_ratio(race):
    best = {k: min((s, r) for r, s in row.items() if s is not None)[1] for k, row in race.items()}
    return best["tanh"] / best["relu"]


def by_position(race):
    first, second = list(race.values())[:2]
    return fewest_ratio({"relu": first, "tanh": second})


def the_notebooks_number(race):
    return 0.54


def returns_text(race):
    return "1.25"


def returns_a_list(race):
    return [fewest_ratio(race)]


def returns_a_bool(race):
    return True


def returns_a_huge_int(race):
    return 10**400


def returns_two_numbers(race):
    return torch.tensor([1.25, 1.25])


def wrong_key(race):
    return race["ReLU"]


def index_error(race):
    return list(race)[5]


RACE_WRONG = [
    (no_skip, "raised TypeError.*skip the None"),
    (none_as_zero, "raised ZeroDivisionError.*not 0 steps"),
    (inverted, "ReLU's steps over tanh's"),
    (at_relus_best_rate, "at ReLU's best learning rate"),
    (at_tanhs_best_rate, "raised TypeError.*own best rate"),
    (slowest, "FEWEST steps"),
    (rate_ratio, "divides the best learning rates"),
    (by_position, "returned 1.429, expected 5. Hint: take the fewest"),
    (the_notebooks_number, "returned 0.54, expected 1.25"),
    (returns_text, "should return a number; it returned a str"),
    (returns_a_list, "returned a list"),
    (returns_a_bool, "returned a bool"),
    (returns_a_huge_int, "too large for a float"),
    (returns_two_numbers, "returned a Tensor"),
    (wrong_key, "raised KeyError.*by name"),
    (index_error, "raised IndexError.*fewest steps in each row"),
    (1.25, "should be a function; got float"),
    ("def f(race): ...", "should be a function; got str"),
]


@pytest.mark.parametrize("fn, hint", RACE_WRONG, ids=[str(i) for i in range(len(RACE_WRONG))])
def test_wrong_race_functions_get_their_hint(fn, hint, capsys):
    rejected(capsys, rl.check_race_function, fn, hint)


def test_the_race_tables_tell_every_mistake_from_the_right_answer():
    """On every table the notebook's printout does not answer (tables 1 and 3 are not in it), and
    each mistaken rule differs from the right one on at least one table."""
    from relu_lib.exercises.nb05 import RACE_MISTAKES, RACE_TABLES, _race_right

    for mistake, _ in RACE_MISTAKES:
        differs = []
        for table in RACE_TABLES:
            try:
                value = mistake(table)
            except TypeError:
                value = None
            differs.append(value is None or not np.isclose(value, _race_right(table)))
        assert any(differs)
