"""Checkers for notebook 02, "Why ReLU?"."""

import numpy as np
import torch

from .core import NOT_ATTEMPTED, call_learner, is_stub, numeric_answer, scalar_answer, verdict

__all__ = ["check_relu_xavier_prediction", "check_leaky_variance"]

XAVIER_RELU_RATIO_29 = 2.0**-14.5  # (gain 1 x rms relu' sqrt(1/2))^29, about 4.3e-5


def check_relu_xavier_prediction(value, must_pass=False):
    """Notebook 02, exercise 1, a prediction made before the experiment: the ratio of the
    backward signal's norm, hidden layer 1 / hidden layer 30, in a ReLU network with Xavier
    initialisation (layers of equal width, half of the units active): 29 factors of
    1 x sqrt(1/2), 2^-14.5 = 4.3e-5.

    The tolerance, 15%, accepts every correct hand computation: 4.3e-5, 4e-5 (7% low), 2^-14.5
    estimated from 2^10 ≈ 10^3 (4.4e-5), 0.707^29 and 0.71^29 (1/sqrt(2) rounded to three or
    two digits: 0.4% low, 13% high), and the measured median 4.4e-5. It rejects 28 or 30
    factors (41% and 29% off), 0.7^29 (26% low) and the other confusions below, each with its
    own hint."""
    value = _one_number(value)
    x = numeric_answer(value, "relu_xavier_ratio", must_pass)
    if x is None:
        return None
    hint = (
        "per layer, the norm is multiplied by Xavier's gain (table of section 2) times the root "
        "mean square of relu' over the units. Multiply over the layers between hidden layer 30 "
        "and hidden layer 1."
    )
    if 0.5 < x / XAVIER_RELU_RATIO_29 < 2:
        hint = (
            "close, but not within 15% of the theory's value, the product of the 29 per-layer "
            "factors, each 1/sqrt(2). If you rounded 1/sqrt(2) before raising it to the 29th "
            "power, keep at least two digits; a single seed's measurement varies too."
        )
    if np.isclose(x, XAVIER_RELU_RATIO_29, rtol=0.15, atol=0):
        return verdict(
            True,
            "(1/sqrt(2))^29 = 2^-14.5 ≈ 4.3e-5: gain 1 times rms relu' = sqrt(1/2) per layer, 29 "
            "layers. Now run on: the table below measures it (row ReLU + Xavier, column dL/dh).",
            must_pass,
        )
    # The known mistake nearest to the answer, if within 3% of it (0.7^29 and 2^-15 are 5% apart).
    if x > 0:
        distance, known_hint = min(
            (abs(np.log(x / known)), known_hint) for known, known_hint in _RATIO_MISTAKES
        )
        if distance < np.log(1.03):
            hint = known_hint
    return verdict(False, f"relu_xavier_ratio = {value!r} is not it. Hint: {hint}", must_pass)


_RATIO_MISTAKES = [
    (
        0.7**29,
        "0.7^29 rounds 1/sqrt(2) = 0.7071 to one digit, and the 29th power turns that "
        "1% into 26%. Keep three digits (0.707^29), or write (1/sqrt(2))^29 = 2^-14.5.",
    ),
    (
        2.0**-15,
        "that is 30 factors. From hidden layer 30 down to hidden layer 1 the signal "
        "crosses 29 layers (each a weight matrix and a ReLU): 29 factors.",
    ),
    (
        2.0**-14,
        "that is 28 factors. From hidden layer 30 down to hidden layer 1 the signal "
        "crosses 29 layers (each a weight matrix and a ReLU): 29 factors.",
    ),
    (
        2.0**-29,
        "that is 1/2 per layer: the factor on the squared norm (the mean of relu'^2), or the "
        "mean of relu'. A gradient vector multiplied elementwise by relu' keeps about "
        "sqrt(1/2) of its norm: the root mean square, not the mean.",
    ),
    (
        1.0,
        "Xavier's gain is 1, but it was derived for activations with slope 1 near 0, "
        "such as tanh. ReLU passes no gradient through about half of the units.",
    ),
    (2.0**-0.5, "that is one layer. The signal crosses 29 of them."),
    (
        6.0**-14.5,
        "(1/6)^14.5 is PyTorch's default initialisation, gain sqrt(1/3). Xavier's gain "
        "in layers of equal width is 1.",
    ),
    (
        0.25**29,
        "1/4 is sigmoid's largest derivative. ReLU's derivative is 1 on the active units "
        "and 0 on the others.",
    ),
]


# (n_in, alpha) pairs the learner's function is called with; alpha = 0 is ReLU (He).
LEAKY_CASES = [(128, 0.0), (128, 0.5), (64, 1.0), (100, 0.1), (256, 0.25)]

# Functions a learner may write by mistake, each with what it gets wrong.
_LEAKY_MISTAKES = [
    (
        lambda n, a: 2 / n,
        "it ignores alpha. On the negative half Leaky ReLU's slope is alpha, not 0, so the mean "
        "of f'(z)^2 over the units is (1 + alpha^2) / 2, not 1/2.",
    ),
    (
        lambda n, a: 2 / ((1 + a) * n),
        "it uses the mean of f'(z), (1 + alpha) / 2. The norm follows the mean of f'(z)^2, "
        "(1 + alpha^2) / 2: square the slopes.",
    ),
    (
        lambda n, a: np.sqrt(2 / ((1 + a**2) * n)),
        "that is the standard deviation of the weights. Return the variance, its square.",
    ),
    (
        lambda n, a: (1 + a**2) / (2 * n),
        "it is upside down: n_in Var[W] times (1 + alpha^2) / 2 must equal 1, so Var[W] "
        "= 2 / ((1 + alpha^2) n_in).",
    ),
    (
        lambda n, a: 2 / (1 + a**2),
        "that is the g in Var[W] = g / n_in. Divide by n_in.",
    ),
    (
        lambda n, a: 1 / n,
        "1 / n_in is Xavier's variance in layers of equal width, right for slope 1 everywhere "
        "(alpha = 1) only.",
    ),
]


def check_leaky_variance(fn, must_pass=False):
    """Notebook 02, exercise 2 (code): ``fn(n_in, alpha)`` returns the variance of the weights
    that keeps the back-propagated gradient's norm constant through Leaky ReLU layers of equal
    width with negative slope ``alpha``: Var[W] = 2 / ((1 + alpha^2) n_in), PyTorch's
    ``calculate_gain("leaky_relu", alpha) ** 2 / n_in``.

    Each case must match within a relative 1e-5 (float32 arithmetic passes). A wrong function
    is compared with the mistakes above on every case; any other gets the per-layer factor on
    the squared norm that its variance gives, n_in Var[W] (1 + alpha^2) / 2, instead of 1."""
    if is_stub(fn):
        return verdict(
            NOT_ATTEMPTED, "write leaky_variance above, then run this cell again.", must_pass
        )
    if not callable(fn):
        return verdict(
            False, f"leaky_variance should be a function; got {type(fn).__name__}.", must_pass
        )
    answers = []
    for n_in, alpha in LEAKY_CASES:
        call = f"leaky_variance({n_in}, {alpha})"
        got, error = call_learner(fn, call, n_in, alpha)
        if error:
            return verdict(False, error, must_pass)
        if is_stub(got):
            return verdict(
                NOT_ATTEMPTED, "write leaky_variance above, then run this cell again.", must_pass
            )
        got = _one_number(got)
        if not _is_number(got):
            return verdict(
                False,
                f"{call} should return one number; got {_describe(got)}.",
                must_pass,
            )
        try:
            got = float(got)
        except OverflowError:  # a Python int beyond float64's range
            return verdict(
                False,
                f"{call} should return one number within float64's range; got an int of about "
                f"{int(abs(got).bit_length() * 0.30103) + 1} digits.",
                must_pass,
            )
        if not np.isfinite(got):
            return verdict(
                False,
                f"{call} returned {got}: a variance is a finite positive number.",
                must_pass,
            )
        answers.append(got)
    expected = [2 / ((1 + a**2) * n) for n, a in LEAKY_CASES]
    if np.allclose(answers, expected, rtol=1e-5, atol=0):
        return verdict(
            True,
            "Var[W] = 2 / ((1 + alpha^2) n_in): half of the units pass slope 1, half slope "
            "alpha, so the mean of f'(z)^2 is (1 + alpha^2) / 2, and n_in Var[W] must undo it. "
            "alpha = 0 gives He's 2 / n_in, alpha = 1 (no activation) 1 / n_in.",
            must_pass,
        )
    for mistake, hint in _LEAKY_MISTAKES:
        if np.allclose(answers, [mistake(n, a) for n, a in LEAKY_CASES], rtol=1e-5, atol=0):
            return verdict(False, f"leaky_variance is not it yet: {hint}", must_pass)
    i = next(
        i
        for i, (g, e) in enumerate(zip(answers, expected, strict=True))
        if not np.isclose(g, e, rtol=1e-5, atol=0)
    )
    n_in, alpha = LEAKY_CASES[i]
    factor = n_in * answers[i] * (1 + alpha**2) / 2
    return verdict(
        False,
        f"leaky_variance({n_in}, {alpha}) returned {answers[i]:.6g}. With it, each layer would "
        f"multiply the gradient's squared norm by n_in Var[W] (1 + alpha^2) / 2 = {factor:.4g}, "
        "not 1. Hint: half of the units pass slope 1 and half slope alpha; choose Var[W] so "
        "that this product is 1.",
        must_pass,
    )


def _one_number(value):
    """A one-element list, tuple, array or tensor as its number; anything else unchanged."""
    if isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    return scalar_answer(value)


def _describe(value):
    if isinstance(value, torch.Tensor | np.ndarray):
        return f"a {type(value).__name__} of shape {tuple(value.shape)}"
    return type(value).__name__


def _is_number(value):
    return not isinstance(value, bool) and isinstance(value, int | float | np.integer | np.floating)
