"""Notebook 01's checkers: the stub is 'not attempted', each classic wrong answer gets the hint
that names its mistake, every right answer passes in the types a natural solution produces,
and any other input gets feedback, never a traceback."""

import re

import numpy as np
import pytest
import torch
from checker_testing import feedback, rejected

import relu_lib as rl
from relu_lib import relu
from relu_lib.exercises.nb01 import FIVE_FORMULAS

# --- exercise 1: which formulas break on NaN or ±inf (a prediction) -----------------------------

FORMULAS = {
    "np.maximum(x, 0)": lambda x: np.maximum(x, 0),
    "np.clip(x, 0, None)": lambda x: np.clip(x, 0, None),
    "np.where(x > 0, x, 0)": lambda x: np.where(x > 0, x, 0),
    "x * (x > 0)": lambda x: x * (x > 0),
    "(x + abs(x)) / 2": lambda x: (x + np.abs(x)) / 2,
}


def measured_breakers():
    """The formulas that differ from torch.relu on NaN, +inf or -inf, measured now."""
    x = np.array([np.nan, np.inf, -np.inf])
    want = torch.relu(torch.from_numpy(x)).numpy()
    with np.errstate(invalid="ignore"):
        return {
            name: f
            for name, f in FORMULAS.items()
            if not np.array_equal(f(x), want, equal_nan=True)
        }


def test_the_prediction_checker_knows_the_five_formulas_by_their_names():
    assert set(FIVE_FORMULAS) == set(FORMULAS)


@pytest.mark.parametrize(
    "answer",
    [
        set(measured_breakers()),
        list(measured_breakers()),
        tuple(measured_breakers()),
        frozenset(measured_breakers()),
        measured_breakers().keys(),
        {"np.where(x>0,x,0)", "x*(x>0)", "(x + np.abs(x)) / 2"},
    ],
    ids=["set", "list", "tuple", "frozenset", "dict keys", "spaced differently, np.abs"],
)
def test_the_measured_answer_passes(answer, capsys):
    out = feedback(capsys, rl.check_nan_inf_prediction, answer)
    assert out.startswith("✓ Correct") and "Run on" in out
    rl.check_nan_inf_prediction(answer, must_pass=True)


BREAKERS = ["np.where(x > 0, x, 0)", "x * (x > 0)", "(x + abs(x)) / 2"]


@pytest.mark.parametrize(
    "answer, names, not_named",
    [
        (
            {"x * (x > 0)", "(x + abs(x)) / 2"},
            ["what is NaN > 0"],
            ["-inf \\* 0", "np.maximum", "np.clip"],
        ),
        (
            {"np.where(x > 0, x, 0)", "(x + abs(x)) / 2"},
            ["what is -inf \\* 0"],
            ["NaN > 0", "-inf \\+ abs"],
        ),
        ({"np.where(x > 0, x, 0)", "x * (x > 0)"}, ["-inf \\+ abs\\(-inf\\)"], ["NaN > 0"]),
        (set(BREAKERS) | {"np.maximum(x, 0)"}, ["maximum propagates NaN"], ["left out"]),
        (set(BREAKERS) | {"np.clip(x, 0, None)"}, ["np.clip\\(x, 0, None\\) leaves NaN"], ["left"]),
        (set(), ["NaN > 0", "-inf \\* 0", "-inf \\+ abs"], ["np.clip"]),
        (set(FIVE_FORMULAS), ["maximum propagates NaN", "np.clip"], ["left out"]),
        ({"np.maximum(x, 0)"}, ["NaN > 0", "-inf \\* 0", "maximum propagates NaN"], ["np.clip"]),
    ],
)
def test_a_wrong_prediction_gets_a_hint_for_each_mistake_and_none_other(
    answer, names, not_named, capsys
):
    for pattern in names:
        rejected(capsys, rl.check_nan_inf_prediction, answer, pattern)
    out = feedback(capsys, rl.check_nan_inf_prediction, answer)
    assert "compare with the edge-case table" in out
    for pattern in not_named:
        assert not re.search(pattern, out), (pattern, out)


@pytest.mark.parametrize(
    "answer, said",
    [
        (None, "○ Not attempted"),
        (..., "○ Not attempted"),
        ("np.maximum(x, 0)", "should be a set of formula names"),
        (12345, "should be a set of formula names"),
        (np.array(["x * (x > 0)"]), "should be a set of formula names"),
        ({"rl.relu(x)"}, "not one of the five formulas"),
        ({"relu"}, "not one of the five formulas"),
        ([1, 2], "1 is not one of the five formulas"),
        ([["np.maximum(x, 0)"]], "not one of the five formulas"),
        ({"x" * 500}, "not one of the five formulas"),
    ],
)
def test_the_prediction_stub_and_wrong_types_get_feedback(answer, said, capsys):
    out = feedback(capsys, rl.check_nan_inf_prediction, answer)
    assert said in out and len(out) < 400


# --- exercise 2: a full-wave rectifier from ReLUs -----------------------------------------------


def stub(x): ...


def half_wave(v):
    return rl.relu(v)


sign = -1  # a global of that name must not make a right answer look like np.sign


def not_implemented(x):
    raise NotImplementedError


RIGHT_WAVES = {
    "two ReLUs": lambda x: rl.relu(x) + rl.relu(-x),
    "in torch, returning a tensor": lambda x: (
        torch.relu(torch.from_numpy(x)) + torch.relu(torch.from_numpy(-x))
    ),
    "in float32": lambda x: (rl.relu(x) + rl.relu(-x)).astype(np.float32),
    "as a list": lambda x: list(rl.relu(x) + rl.relu(-x)),
    "2 relu(x) - x": lambda x: 2 * rl.relu(x) - x,
    "relu imported by name": lambda x: relu(x) + relu(-x),
    "a helper for the half wave": lambda x: half_wave(x) + half_wave(0 - x),
    "a loop over the signs": lambda x: sum(rl.relu(sign * x) for sign in (1, -1)),
    "a global named sign": lambda x: rl.relu(x) + rl.relu(sign * x),
    "np.add, np.negative": lambda x: np.add(rl.relu(x), rl.relu(np.negative(x))),
    "torch.nn.functional.relu": lambda x: (
        torch.nn.functional.relu(torch.from_numpy(x)) + torch.nn.functional.relu(-torch.tensor(x))
    ),
}


@pytest.mark.parametrize("fn", RIGHT_WAVES.values(), ids=RIGHT_WAVES)
def test_full_wave_accepts_right_answers(fn, capsys):
    assert feedback(capsys, rl.check_full_wave, fn).startswith("✓ Correct")
    rl.check_full_wave(fn, must_pass=True)


WRONG_WAVES = {
    r"output is x itself: relu\(x\) - relu\(-x\) = x": lambda x: rl.relu(x) - rl.relu(-x),
    "For x < 0 you give 0: that is the half-wave rectifier": lambda x: rl.relu(x),
    "For x > 0 you give 0": lambda x: rl.relu(-x),
    "upside down": lambda x: -rl.relu(x) - rl.relu(-x),
    "For x < 0 you give x, still negative": lambda x: rl.relu(x) - rl.relu(-x) + 0 * x + (x > 0),
    "For x > 0 you give -x": lambda x: -x,
    r"For x < 0 the full wave is -x; yours gives f\(-2\) = 4": lambda x: (
        rl.relu(x) + 2 * rl.relu(-x)
    ),
    "raised ZeroDivisionError": lambda x: 1 / 0,
    "raised TypeError": lambda x: torch.relu(x),
    r"one value per input.*shape \(\)": lambda x: 12345,
    r"one value per input.*shape \(2,\)": lambda x: np.zeros(2),
    "real numbers; got str": lambda x: "full wave",
    "real numbers; got list": lambda x: [[0.0], [1.0, 2.0]],
    "real numbers; got ndarray of dtype complex128": lambda x: x.astype(complex),
    "real numbers; got Tensor": lambda x: torch.tensor(x, requires_grad=True),
}


@pytest.mark.parametrize("hint", WRONG_WAVES)
def test_full_wave_rejects_wrong_answers_with_the_hint_for_their_mistake(hint, capsys):
    rejected(capsys, rl.check_full_wave, WRONG_WAVES[hint], hint)


SHORTCUTS = {
    "np.abs(x)": (lambda x: np.abs(x), "it applies np.abs to x"),
    "abs(x)": (lambda x: abs(x), "it applies np.abs to x"),
    "np.absolute(x)": (lambda x: np.absolute(x), "it applies np.abs to x"),
    "np.fabs(x)": (lambda x: np.fabs(x), "it applies np.fabs to x"),
    "abs in float32": (lambda x: np.abs(x).astype(np.float32), "it applies np.abs to x"),
    "np.sqrt(x**2)": (lambda x: np.sqrt(x**2), "np.sqrt, np.square"),
    "np.sqrt(x * x)": (lambda x: np.sqrt(x * x), "it applies np.sqrt to x"),
    "x * np.sign(x)": (lambda x: x * np.sign(x), "it applies np.sign to x"),
    "np.maximum(x, -x)": (lambda x: np.maximum(x, -x), "it applies np.maximum to x"),
    "np.maximum as ReLU": (
        lambda x: np.maximum(x, 0) + np.maximum(-x, 0),
        "it applies np.maximum to x",
    ),
    "np.where(x < 0, -x, x)": (lambda x: np.where(x < 0, -x, x), "a comparison"),
    "masks": (lambda x: x * (x > 0) - x * (x < 0), "a comparison"),
    "clip": (lambda x: x.clip(0) + (-x).clip(0), "it applies np.maximum to x"),
    "np.abs(np.asarray(x))": (lambda x: np.abs(np.asarray(x)), "its code calls abs"),
    "np.abs(np.array(x))": (lambda x: np.abs(np.array(x)), "its code calls abs"),
    "abs element by element": (lambda x: np.array([abs(v) for v in x]), "its code calls abs"),
    "torch.abs": (lambda x: torch.abs(torch.from_numpy(x)), "its code calls abs"),
    "tensor.abs()": (lambda x: torch.from_numpy(x).abs(), "its code calls abs"),
    "np.linalg.norm": (lambda x: np.linalg.norm(x[:, None], axis=1), "its code calls norm"),
    "sign of a list": (
        lambda x: np.array(x.tolist()) * np.sign(np.array(x.tolist())),
        "its code calls sign",
    ),
}


@pytest.mark.parametrize("name", SHORTCUTS)
def test_full_wave_rejects_a_shortcut_that_skips_the_relus(name, capsys):
    fn, how = SHORTCUTS[name]
    assert np.allclose(fn(np.linspace(-3, 3, 61)), np.abs(np.linspace(-3, 3, 61)))  # right values
    rejected(capsys, rl.check_full_wave, fn, "gives \\|x\\|, but not from rl.relu: ")
    out = feedback(capsys, rl.check_full_wave, fn)
    assert how in out and "Hint: relu(x) keeps the positive half" in out, out


def test_full_wave_shortcut_check_hands_rl_relu_a_plain_array(capsys):
    """What happens inside rl.relu is not the learner's doing: rl.relu reads the watched array
    as a plain one, so its own comparison x < 0 is not recorded as a shortcut."""
    seen = []

    def records(x):
        seen.append(type(rl.relu(x)))
        return rl.relu(x) + rl.relu(-x)

    assert feedback(capsys, rl.check_full_wave, records).startswith("✓ Correct")
    assert seen and all(t is np.ndarray for t in seen)


def test_full_wave_names_only_the_half_it_gets_wrong(capsys):
    out = feedback(capsys, rl.check_full_wave, lambda x: rl.relu(x))
    assert "x < 0" in out and "x > 0" not in out
    out = feedback(capsys, rl.check_full_wave, lambda x: rl.relu(-x))
    assert "x > 0" in out and "x < 0" not in out


@pytest.mark.parametrize("fn", [stub, not_implemented])
def test_full_wave_stubs_are_not_attempted(fn, capsys):
    assert feedback(capsys, rl.check_full_wave, fn).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_full_wave(fn, must_pass=True)


def test_full_wave_rejects_a_non_function(capsys):
    assert "should be a function" in feedback(capsys, rl.check_full_wave, np.zeros(3))


def test_full_wave_tolerance_lets_float32_through_and_rejects_an_offset(capsys):
    rl.check_full_wave(lambda x: (rl.relu(x) + rl.relu(-x)).astype(np.float32), must_pass=True)
    capsys.readouterr()
    rejected(capsys, rl.check_full_wave, lambda x: np.abs(x) + 1e-3, "For x < 0 the full wave")


@pytest.mark.parametrize(
    "point, fn",
    [(-2.0, lambda x: rl.relu(x) + 2 * rl.relu(-x)), (2.0, lambda x: 3 * rl.relu(x) + rl.relu(-x))],
    ids=["negative half doubled", "positive half tripled"],
)
def test_full_wave_hint_quotes_the_learners_value_at_the_point_it_names(point, fn, capsys):
    """The hint's "yours gives f(-2) = ..." is the learner's function at exactly -2, not at the
    nearest point of the checker's grid: they can check it by calling their function there."""
    out = feedback(capsys, rl.check_full_wave, fn).rstrip()
    assert out.endswith(f"yours gives f({point:g}) = {fn(np.array([point]))[0]:g}."), out


@pytest.mark.parametrize(
    "fn, value",
    [
        (lambda x: np.where(x == 0, np.nan, np.abs(x)), "nan"),  # x / sign(x), as a learner may
        (lambda x: np.abs(x) + (x == 0), "1"),
    ],
    ids=["NaN at 0", "1 at 0"],
)
def test_full_wave_right_on_both_halves_but_not_at_zero_gets_a_hint_about_zero(fn, value, capsys):
    out = feedback(capsys, rl.check_full_wave, fn).rstrip()
    assert out.startswith("✗ Not yet"), out
    assert out.endswith(f"At x = 0 the full wave is |0| = 0; yours gives f(0) = {value}."), out


# --- exercise 3: a finite number where (x + |x|) / 2 breaks -------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        2**1023,
        2.0**1023,
        9e307,
        1e308,
        np.finfo(np.float64).max,
        np.float64(1.5e308),
        torch.tensor(1e308, dtype=torch.float64),
        np.array([1e308]),
    ],
    ids=["int 2**1023", "2.0**1023", "9e307", "1e308", "max", "np.float64", "tensor", "array"],
)
def test_breaks_at_accepts_every_finite_x_that_overflows(value, capsys):
    assert feedback(capsys, rl.check_abs_formula_breaks_at, value).startswith("✓ Correct")
    rl.check_abs_formula_breaks_at(value, must_pass=True)


def test_the_boundary_is_2_to_the_1023():
    """Just below 2**1023, x + x still fits (it is the largest float64 itself); at 2**1023 it
    overflows: the checker is right on both sides of the boundary."""
    below = np.nextafter(2.0**1023, 0)
    assert below + below == np.finfo(np.float64).max
    with np.errstate(over="ignore"):
        assert np.isinf(np.float64(2.0**1023) + np.float64(2.0**1023))


@pytest.mark.parametrize(
    "value, hint",
    [
        (-np.inf, "not finite: the table already shows"),
        (np.inf, "not finite"),
        (torch.tensor(-float("inf")), "not finite"),
        (np.nan, "not a finite number"),
        (-0.0, "only in the sign of zero"),
        (0.0, "at 0 both give 0"),
        (-1e308, "x and \\|x\\| cancel exactly"),
        (-5, "x and \\|x\\| cancel exactly"),
        (1e300, "x \\+ \\|x\\| = 2e\\+300 still fits"),
        (np.float32(3e38), "still fits"),
        (8.988e307, "still fits"),
        (np.nextafter(2.0**1023, 0), "exactly the largest float64 here"),
        (np.finfo(np.float64).max / 2, "exactly the largest float64 here"),
    ],
)
def test_breaks_at_rejects_values_where_both_agree_naming_why(value, hint, capsys):
    rejected(capsys, rl.check_abs_formula_breaks_at, value, hint)


@pytest.mark.parametrize(
    "value, said",
    [
        (None, "○ Not attempted"),
        (..., "○ Not attempted"),
        ("1e308", "should be a number"),
        (True, "should be a number"),
        ([1e308], "should be a number"),
        (np.zeros(2), "should be a number"),
        (10**309, "beyond the range of float64"),
        (10**5000, "beyond the range of float64"),
    ],
    ids=["None", "Ellipsis", "str", "bool", "list", "two-element array", "1e309", "1e5000"],
)
def test_breaks_at_stub_and_wrong_types_get_feedback(value, said, capsys):
    out = feedback(capsys, rl.check_abs_formula_breaks_at, value)
    assert said in out and len(out) < 400
