"""Checkers for notebook 07, "ReLU variants"."""

import numpy as np

from .core import NOT_ATTEMPTED, check_number, is_stub, verdict

__all__ = ["check_leaky_relu", "check_rrelu_test_slope", "check_max_form_is_leaky"]

MAX_FORM_HINT = (
    "max(alpha * x, x) is Leaky ReLU only for alpha <= 1; for alpha > 1 it keeps alpha * x "
    "on the positive side. Write it piecewise: x where x > 0, alpha * x elsewhere."
)


def _same(got, expected):
    got = np.asarray(got)
    return (
        got.shape == expected.shape
        and got.dtype == expected.dtype
        and np.array_equal(got, expected, equal_nan=True)
    )


def check_leaky_relu(fn, must_pass=False):
    """Notebook 07, exercise 1: ``my_leaky_relu(x, alpha)``, Leaky ReLU written piecewise, that
    agrees with ``torch.nn.functional.leaky_relu`` for any slope."""
    if not callable(fn):
        return verdict(
            False, f"my_leaky_relu should be a function; got {type(fn).__name__}.", must_pass
        )
    cases = [
        (np.array([-3.0, -0.5, 0.0, 0.5, 3.0]), 0.01, "x for x > 0 and alpha * x for x <= 0."),
        (np.array([-2.0, 3.0]), 0.2, "use the alpha you are given."),
        (np.array([-2.0, 3.0]), 2.0, MAX_FORM_HINT),
        (
            np.array([-np.inf, np.inf, np.nan]),
            0.01,
            "-inf must give -inf and NaN must stay NaN. Multiplying by a mask, "
            "x * (x > 0) + alpha * x * (x <= 0), computes -inf * 0 = NaN: use np.where.",
        ),
        (
            np.array([-1.5, 2.5], dtype=np.float32),
            0.1,
            "float32 should stay float32: multiply by the plain Python float alpha, not by "
            "np.float64(alpha) or a float64 array.",
        ),
    ]
    for x, alpha, hint in cases:
        expected = np.where(x > 0, x, x * x.dtype.type(alpha))
        try:
            with np.errstate(all="ignore"):  # the hint explains an inf * 0, not a warning
                got = fn(x.copy(), alpha)
        except NotImplementedError:
            got = None
        except Exception as err:  # a learner's bug: report it as feedback, not a traceback
            return verdict(
                False,
                f"my_leaky_relu({x!r}, {alpha}) raised {type(err).__name__}: {err}. Hint: {hint}",
                must_pass,
            )
        if is_stub(got):
            return verdict(
                NOT_ATTEMPTED, "fill in my_leaky_relu above, then run this cell again.", must_pass
            )
        if not _same(got, expected):
            return verdict(
                False,
                f"my_leaky_relu({x!r}, {alpha}) returned {np.asarray(got)!r}, expected "
                f"{expected!r}. Hint: {hint}",
                must_pass,
            )
    return verdict(
        True,
        "your Leaky ReLU agrees with F.leaky_relu for slopes below and above 1, on "
        "infinities and NaN, and keeps float32.",
        must_pass,
    )


def check_rrelu_test_slope(value, must_pass=False):
    """Notebook 07, exercise 2: the test-time slope in Xu et al.'s convention when the divisor
    is drawn from U(2, 6) during training."""
    return check_number(
        value,
        "test_slope",
        1 / 4,
        "the paper divides by the mean divisor, (2 + 6) / 2 = 4, so the slope is 1/4. "
        "PyTorch's nn.RReLU(1/6, 1/2) would use the mean slope, 1/3, instead.",
        must_pass,
        rtol=1e-3,
        wrong=[
            (
                1 / 3,
                "that is the mean of the slopes 1/6 and 1/2, PyTorch's convention. The paper "
                "averages the divisor a and divides by it.",
            ),
            (4.0, "4 is the mean divisor; the slope that multiplies x is its reciprocal."),
            (
                np.log(3) / 4,
                "that is the mean training slope E[1/a] for a ~ U(2, 6). The paper does not use "
                "it: it divides by the mean divisor, x / ((l + u) / 2).",
            ),
        ],
        hint="in the paper's convention a negative input is divided by a; at test time a is "
        "replaced by its mean (l + u) / 2.",
    )


def check_max_form_is_leaky(fn, must_pass=False):
    """Notebook 07, exercise 3: ``max_form_is_leaky(alpha)``, True exactly when
    max(alpha x, x) equals Leaky ReLU with slope alpha for every real x."""
    if not callable(fn):
        return verdict(
            False, f"max_form_is_leaky should be a function; got {type(fn).__name__}.", must_pass
        )
    cases = [
        (0.01, "the article's own case: for 0 <= alpha <= 1 the two agree."),
        (0.5, "for 0 <= alpha <= 1 the two agree."),
        (
            1.0,
            "at alpha = 1 both formulas are the identity x, so they agree: the boundary is "
            "included.",
        ),
        (0.0, "at alpha = 0 both are ReLU."),
        (
            -0.5,
            "try a negative alpha: for x < 0, alpha * x > 0 > x, so the max is alpha * x; for "
            "x > 0, alpha * x < 0 < x, so it is x. Both formulas give the same function.",
        ),
        (-3.0, "a negative alpha, however large, still gives the same function both ways."),
        (
            2.0,
            "at alpha = 2 and x = 1, max(2, 1) = 2 but Leaky ReLU gives 1: the max keeps the "
            "steeper line on the positive side.",
        ),
        (1.5, "any alpha > 1 makes max(alpha * x, x) = alpha * x for x > 0."),
        (100.0, "any alpha > 1 makes max(alpha * x, x) = alpha * x for x > 0."),
    ]
    for alpha, hint in cases:
        expected = alpha <= 1
        try:
            got = fn(alpha)
        except NotImplementedError:
            got = None
        except Exception as err:  # a learner's bug: report it as feedback, not a traceback
            return verdict(
                False,
                f"max_form_is_leaky({alpha}) raised {type(err).__name__}: {err}.",
                must_pass,
            )
        if is_stub(got):
            return verdict(
                NOT_ATTEMPTED,
                "fill in max_form_is_leaky above, then run this cell again.",
                must_pass,
            )
        if not isinstance(got, bool | np.bool_):
            return verdict(
                False,
                f"max_form_is_leaky({alpha}) should return True or False; got "
                f"{type(got).__name__}.",
                must_pass,
            )
        if bool(got) != expected:
            return verdict(
                False,
                f"max_form_is_leaky({alpha}) returned {bool(got)}, but the two formulas "
                f"{'agree' if expected else 'differ'} there. Hint: {hint}",
                must_pass,
            )
    return verdict(
        True,
        "max(alpha x, x) is Leaky ReLU exactly when alpha <= 1, negative slopes included.",
        must_pass,
    )
