"""Checkers for notebook 04, "The graphs"."""

import numpy as np

from .core import NOT_ATTEMPTED, check_number, is_stub, numeric_answer, verdict

__all__ = ["check_sigmoid_half_peak", "check_slope_one_at_two", "check_kink_count"]


# sigmoid'(x) = 1/8, half its peak, where sigmoid(x) = (1 + sqrt(1/2)) / 2: x = log of s / (1 - s).
SIGMOID_HALF_PEAK_X = float(np.log((1 + np.sqrt(0.5)) / (1 - np.sqrt(0.5))))  # 1.7627...
TANH_HALF_PEAK_X = float(np.arccosh(np.sqrt(2)))  # tanh'(x) = 1/2 at 0.8814...
READING_TOLERANCE = 0.2


def check_sigmoid_half_peak(value, must_pass=False):
    """Notebook 04, exercise 1: the positive x where sigmoid' has fallen to half its peak (1/8),
    read off the derivative plot (within 0.2) or solved exactly: x = 1.7627..."""
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
    if abs(x + SIGMOID_HALF_PEAK_X) <= READING_TOLERANCE:
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


_NAMES = {"relu": "relu", "sigmoid": "sigmoid", "tanh": "tanh", "leakyrelu": "leaky_relu"}
_SLOPE_ONE_AT_TWO = {"relu", "leaky_relu"}


def _normalise(name):
    return _NAMES.get("".join(ch for ch in name.lower() if ch.isalnum()))


def check_slope_one_at_two(answer, must_pass=False):
    """Notebook 04, exercise 2: which of relu, sigmoid, tanh, leaky_relu have derivative 1 at 2."""
    if is_stub(answer):
        return verdict(
            NOT_ATTEMPTED,
            "set `slope_one_at_two` to your answer, then run this cell again.",
            must_pass,
        )
    if isinstance(answer, str):
        answer = [answer]
    try:
        names = list(answer)
    except TypeError:
        names = None
    if names is None or not all(isinstance(n, str) for n in names):
        return verdict(
            False,
            'slope_one_at_two should be a set of names, e.g. {"relu", "tanh"}; got '
            f"{type(answer).__name__}.",
            must_pass,
        )
    unknown = [n for n in names if _normalise(n) is None]
    if unknown:
        return verdict(
            False,
            f'unknown name(s) {unknown}: choose among "relu", "sigmoid", "tanh", "leaky_relu".',
            must_pass,
        )
    chosen = {_normalise(n) for n in names}
    if chosen == _SLOPE_ONE_AT_TWO:
        return verdict(
            True,
            "ReLU and Leaky ReLU are both the identity for x > 0, so their slope at 2 is exactly "
            "1; tanh'(2) is about 0.07 and sigmoid'(2) about 0.10.",
            must_pass,
        )
    if "tanh" in chosen:
        hint = (
            "tanh'(2) = 1 - tanh(2)^2 is about 0.07: tanh' reaches 1 only at x = 0, and has "
            "nearly saturated by x = 2."
        )
    elif "sigmoid" in chosen:
        hint = "sigmoid' never exceeds 1/4 (its peak, at 0); at 2 it is about 0.10."
    elif "leaky_relu" not in chosen:
        hint = (
            "Leaky ReLU only changes the negative side: for x > 0 it is x, with slope 1, "
            "exactly like ReLU."
        )
    else:
        hint = "ReLU is x for every x > 0, so its slope at 2 is 1."
    return verdict(False, f"{sorted(chosen)} is not it. Hint: {hint}", must_pass)


def check_kink_count(value, must_pass=False):
    """Notebook 04, exercise 3: the points where relu(x+1) - 2 relu(x) + relu(x-1) has no
    derivative (the 'hat' function: slopes 0, 1, -1, 0)."""
    return check_number(
        value,
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
