"""Checkers for notebook 04, "The graphs"."""

import numpy as np
import torch

from .core import NOT_ATTEMPTED, check_number, is_stub, numeric_answer, scalar_answer, verdict

__all__ = ["check_sigmoid_half_peak", "check_ramp", "check_kink_count"]


# sigmoid'(x) = 1/8, half its peak, where sigmoid(x) = (1 + sqrt(1/2)) / 2: x = log of s / (1 - s).
SIGMOID_HALF_PEAK_X = float(np.log((1 + np.sqrt(0.5)) / (1 - np.sqrt(0.5))))  # 1.7627...
SIGMOID_AT_HALF_PEAK = ((1 + np.sqrt(0.5)) / 2, (1 - np.sqrt(0.5)) / 2)  # 0.854 and 0.146
TANH_HALF_PEAK_X = float(np.arccosh(np.sqrt(2)))  # tanh'(x) = 1/2 at 0.8814...
READING_TOLERANCE = 0.2


def check_sigmoid_half_peak(value, must_pass=False):
    """Notebook 04, exercise 1: the positive x where sigmoid' has fallen to half its peak (1/8),
    read off the derivative plot (within 0.2) or solved exactly: x = 1.7627..."""
    value = _one_number(value)
    x = numeric_answer(value, "half_peak_x", must_pass)
    if x is None:
        return
    if abs(x - SIGMOID_HALF_PEAK_X) <= READING_TOLERANCE:
        return verdict(
            True,
            f"sigmoid' = 1/8 at x = log((1 + sqrt(1/2)) / (1 - sqrt(1/2))) = "
            f"{SIGMOID_HALF_PEAK_X:.2f}: beyond |x| of about 1.8 a sigmoid unit passes less than "
            f"half of its best slope, itself only 1/4. tanh' halves sooner, at "
            f"{TANH_HALF_PEAK_X:.2f}, from a peak of 1.",
            must_pass,
        )
    if min(abs(x - s) for s in SIGMOID_AT_HALF_PEAK) < 0.005:
        hint = (
            "that solves s (1 - s) = 1/8 for s = sigmoid(x): it is the sigmoid's value there, not "
            "x. Invert the sigmoid: x = log(s / (1 - s))."
        )
    elif abs(x + SIGMOID_HALF_PEAK_X) <= READING_TOLERANCE:
        hint = "sigmoid' is symmetric, so that point has a mirror image: give the positive x."
    elif x in (0.125, 0.25):
        hint = "that is a height on the y axis. The question asks at which x the curve is 1/8 high."
    elif abs(x) <= READING_TOLERANCE:
        hint = (
            "at x = 0 sigmoid' is at its peak, 1/4. Follow the curve to the right until it is "
            "half as high."
        )
    elif abs(x - TANH_HALF_PEAK_X) <= READING_TOLERANCE:
        hint = (
            "that is where tanh' falls to half its peak (1/2). Read the sigmoid's curve, the "
            "lower and wider one, at height 1/8."
        )
    elif x > 3:
        hint = (
            "by then sigmoid' is far below half its peak (at x = 5 it is 2.7% of it). Look "
            "closer to 0, where the curve is 1/8 high."
        )
    else:
        hint = (
            "draw a horizontal line at 1/8 = 0.125 in the derivative panel and read the x where "
            "the sigmoid's curve crosses it on the right; or solve s (1 - s) = 1/8 for "
            "s = sigmoid(x)."
        )
    return verdict(False, f"half_peak_x = {value!r} is not it. Hint: {hint}", must_pass)


# The grid the learner's ramp is called on: -2 to 3 in steps of 0.01, with 0 and 1 on it exactly.
RAMP_GRID = np.arange(-200, 301) / 100


def _relu(x):
    return np.maximum(x, 0.0)


# Ramps a learner may build by mistake, each with what it gets wrong.
_RAMP_MISTAKES = [
    (
        lambda x: _relu(x) + _relu(x - 1),
        "beyond x = 1 your line climbs with slope 2. The second ReLU must cancel the first "
        "one's slope there: subtract relu(x - 1) instead of adding it.",
    ),
    (
        lambda x: _relu(x) - _relu(x + 1),
        "relu(x + 1) switches on at x = -1 (where x + 1 = 0), so your line bends there. To bend "
        "it at x = 1, use relu(x - 1).",
    ),
    (
        lambda x: _relu(x) - 2 * _relu(x - 1),
        "beyond x = 1 your line falls with slope -1: subtracting relu(x - 1) once already "
        "cancels the slope 1.",
    ),
    (
        _relu,
        "ReLU alone keeps rising past x = 1. Subtract a second ReLU that switches on at x = 1, "
        "so that the slopes cancel beyond it.",
    ),
    (
        lambda x: _relu(x - 1),
        "relu(x - 1) is 0 up to x = 1 and rises after it; the ramp rises between 0 and 1 and is "
        "flat after. Start from relu(x) and subtract relu(x - 1).",
    ),
    (
        lambda x: np.minimum(x, 1.0),
        "for x < 0 the ramp is 0, not x. min(x, 1) caps the top only; relu(x) - relu(x - 1) "
        "also flattens the left.",
    ),
    (
        lambda x: _relu(x) - _relu(x - 1) - 1,
        "your ramp runs from -1 to 0: it is shifted down by 1.",
    ),
]


def _call_ramp(fn):
    """``fn`` on the grid as a NumPy array; if that raises, on the grid as a float64 tensor
    (for a ramp written with torch.relu). Returns (output, None) or (None, error message)."""
    try:
        return fn(RAMP_GRID.copy()), None
    except NotImplementedError:
        return None, None
    except Exception as numpy_err:  # a learner's bug: feedback, not a traceback
        try:
            return fn(torch.tensor(RAMP_GRID)), None
        except Exception:
            text = str(numpy_err)[:200]
            hint = "x is a NumPy array of 501 floats: use functions that work elementwise."
            if "truth value" in text:
                hint = (
                    "Python's max (and `if x > 0`) cannot compare a whole array with 0. Use "
                    "rl.relu, or np.maximum(x, 0), which work elementwise."
                )
            return None, f"ramp(x) raised {type(numpy_err).__name__}: {text}. Hint: {hint}"


def check_ramp(fn, must_pass=False):
    """Notebook 04, exercise 2 (code): ``fn(x)`` is the ramp, 0 for x <= 0, x between 0 and 1, 1
    for x >= 1, built from ReLUs: relu(x) - relu(x - 1).

    The checker calls ``fn`` on a NumPy grid from -2 to 3 (a float64 tensor if that raises) and
    accepts any array or tensor of the grid's shape within 1e-6 of the ramp (float32 passes).
    A wrong ramp is compared with the mistakes above; any other is told the first grid point
    where it is off."""
    if is_stub(fn):
        return verdict(NOT_ATTEMPTED, "write ramp above, then run this cell again.", must_pass)
    if not callable(fn):
        return verdict(False, f"ramp should be a function; got {type(fn).__name__}.", must_pass)
    got, error = _call_ramp(fn)
    if error is not None:
        return verdict(False, error, must_pass)
    if is_stub(got):
        return verdict(NOT_ATTEMPTED, "write ramp above, then run this cell again.", must_pass)
    if isinstance(got, torch.Tensor):
        got = got.detach().cpu().numpy()
    try:
        values = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        values = None
    if values is None or isinstance(got, str):
        return verdict(
            False,
            f"ramp(x) should return an array of numbers; got {type(got).__name__}.",
            must_pass,
        )
    if values.shape != RAMP_GRID.shape:
        hint = "return one value per point of x, computed elementwise."
        if values.ndim == 0:
            hint = (
                "it returned a single number. Apply the ReLUs to the whole array x (rl.relu works "
                "elementwise) and return the result."
            )
        return verdict(
            False,
            f"ramp(x) for x of shape {RAMP_GRID.shape} returned shape {values.shape}. Hint: {hint}",
            must_pass,
        )
    expected = np.clip(RAMP_GRID, 0.0, 1.0)
    if np.allclose(values, expected, rtol=0, atol=1e-6):
        return verdict(
            True,
            "relu(x) - relu(x - 1): the first ReLU bends the line up at 0, the second, switching "
            "on at 1, cancels its slope. Two ReLUs, two kinks; more of them make any broken line.",
            must_pass,
        )
    for mistake, hint in _RAMP_MISTAKES:
        if np.allclose(values, mistake(RAMP_GRID), rtol=0, atol=1e-6):
            return verdict(False, f"ramp is not it yet. Hint: {hint}", must_pass)
    off = ~np.isclose(values, expected, rtol=0, atol=1e-6)
    i = int(np.flatnonzero(off)[0])
    x0 = RAMP_GRID[i]
    part = "x <= 0" if x0 <= 0 else "0 <= x <= 1" if x0 <= 1 else "x >= 1"
    should = "0" if x0 <= 0 else "x itself" if x0 <= 1 else "1"
    return verdict(
        False,
        f"ramp is not it yet: at x = {x0:g} it gives {values[i]:.6g}. Hint: for {part} the ramp "
        f"is {should}. Check each piece of your sum there.",
        must_pass,
    )


def check_kink_count(value, must_pass=False):
    """Notebook 04, exercise 3: the points where relu(x+1) - 2 relu(x) + relu(x-1) has no
    derivative (the 'hat' function: slopes 0, 1, -1, 0)."""
    return check_number(
        _one_number(value),
        "kink_count",
        3,
        "three kinks, at x = -1, 0 and 1, where the slope goes 0 -> 1 -> -1 -> 0. Each ReLU "
        "adds a kink where its argument is 0, and none of the three cancels.",
        must_pass,
        rtol=0.0,
        atol=0.0,
        wrong=(
            (
                1,
                "there are three ReLUs, and each can bend the graph where its own argument is 0: "
                "x + 1 = 0, x = 0 and x - 1 = 0.",
            ),
            (
                2,
                "check every candidate, x = 0 included: compare the slope just left and just "
                "right of it (the -2 relu(x) term bends the graph there).",
            ),
            (
                0,
                "a sum of ReLUs is not smooth in general: each ReLU has a kink where its "
                "argument is 0. Compare the slopes on both sides of x = -1, 0 and 1.",
            ),
        ),
        hint="compare the one-sided slopes on both sides of each point where one of the ReLUs "
        "switches: x = -1, 0 and 1.",
    )


def _one_number(value):
    """A one-element list, tuple, array or tensor as its number; anything else unchanged."""
    if isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    return scalar_answer(value)
