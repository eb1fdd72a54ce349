"""Checkers for notebook 07, "ReLU variants"."""

from fractions import Fraction

import numpy as np

from .core import NOT_ATTEMPTED, call_learner, is_stub, numeric_answer, scalar_answer, verdict

__all__ = ["check_leaky_relu", "check_rrelu_fraction_below", "check_prelu_slope_grad"]

RUN_ON = " Run on: the Going deeper section below measures it."
READ_ON = " Read on: the next cells derive it and check it against autograd."


def _as_array(got):
    """``got`` as a NumPy array (a torch tensor, with or without grad, a list, a scalar), or
    None when it cannot be one (a ragged list, an object NumPy cannot convert)."""
    if hasattr(got, "detach") and hasattr(got, "cpu"):
        got = got.detach().cpu().numpy()
    try:
        return np.asarray(got)
    except Exception:  # any failure to convert is the learner's, and gets feedback instead
        return None


def _short(value):
    return np.array2string(np.asarray(value), precision=4, threshold=12)


# ------------------------------------------------------------ Leaky ReLU, piecewise

MAX_FORM_HINT = (
    "that is max(alpha * x, x), which is Leaky ReLU only for alpha <= 1; for alpha > 1 it keeps "
    "alpha * x on the positive side. Write it piecewise: x where x > 0, alpha * x elsewhere."
)
MASK_HINT = (
    "-inf must give -inf and NaN must stay NaN. Multiplying by a mask, "
    "x * (x > 0) + alpha * x * (x <= 0), computes -inf * 0 = NaN: use np.where."
)


def _leaky_mistakes(x, alpha):
    """(what a classic mistake returns for (x, alpha), the hint naming it)."""
    with np.errstate(all="ignore"):  # the mask mistake computes inf * 0 on purpose
        return [
            (np.maximum(alpha * x, x), MAX_FORM_HINT),
            (
                np.where(x > 0, alpha * x, x),
                "the two branches are swapped: x where x > 0, alpha * x elsewhere.",
            ),
            (
                np.where(x > 0, x, 0.01 * x),
                "use the alpha you are given, not PyTorch's default 0.01.",
            ),
            (
                np.maximum(x, 0),
                "that is ReLU: the negative side is alpha * x, not 0.",
            ),
            (
                np.where(x > 0, x, alpha + 0 * x),
                "the negative side is alpha * x, a line through 0, not the constant alpha.",
            ),
            (x * (x > 0) + alpha * x * (x <= 0), MASK_HINT),
        ]


def check_leaky_relu(fn, must_pass=False):
    """Notebook 07, exercise 3: ``my_leaky_relu(x, alpha)``, Leaky ReLU written piecewise, that
    agrees with ``torch.nn.functional.leaky_relu`` for any slope. A wrong answer gets the hint
    of the classic mistake it reproduces (max form, swapped branches, a fixed 0.01, ReLU, a
    constant, a mask product, float64), else the hint of the case it failed."""
    if not callable(fn):
        return verdict(
            False, f"my_leaky_relu should be a function; got {type(fn).__name__}.", must_pass
        )
    cases = [
        (np.array([-3.0, -0.5, 0.0, 0.5, 3.0]), 0.01, "x for x > 0 and alpha * x for x <= 0."),
        (np.array([-2.0, 3.0]), 0.2, "use the alpha you are given."),
        (np.array([-2.0, 3.0]), 2.0, MAX_FORM_HINT),
        (np.array([-np.inf, np.inf, np.nan]), 0.01, MASK_HINT),
        (
            np.array([-1.5, 2.5], dtype=np.float32),
            0.1,
            "float32 should stay float32: multiply by the plain Python float alpha, not by "
            "np.float64(alpha) or a float64 array.",
        ),
    ]
    for x, alpha, hint in cases:
        expected = np.where(x > 0, x, x * x.dtype.type(alpha))
        call = f"my_leaky_relu({_short(x)}, {alpha})"
        with np.errstate(all="ignore"):  # the hint explains an inf * 0, not a warning
            got, error = call_learner(fn, call, x.copy(), alpha)
        if error:
            return verdict(False, f"{error} Hint: {hint}", must_pass)
        if is_stub(got):
            return verdict(
                NOT_ATTEMPTED, "fill in my_leaky_relu above, then run this cell again.", must_pass
            )
        arr = _as_array(got)
        if arr is None or arr.dtype.kind not in "iuf":
            return verdict(
                False,
                f"{call} should return an array of numbers; got {type(got).__name__}.",
                must_pass,
            )
        if arr.shape != x.shape:
            return verdict(
                False,
                f"{call} returned shape {arr.shape}; it should keep the shape of x, {x.shape}: "
                "one output per input element.",
                must_pass,
            )
        if np.array_equal(arr, expected, equal_nan=True):
            if arr.dtype == expected.dtype:
                continue
            hint = cases[-1][2] if x.dtype == np.float32 else f"return {x.dtype}, as x is."
            return verdict(
                False,
                f"{call} has the right values but dtype {arr.dtype}, expected {expected.dtype}. "
                f"Hint: {hint}",
                must_pass,
            )
        hint = next(
            (
                h
                for value, h in _leaky_mistakes(x, alpha)
                if not np.array_equal(value, expected, equal_nan=True)
                and np.array_equal(arr.astype(np.float64), value, equal_nan=True)
            ),
            hint,
        )
        return verdict(
            False,
            f"{call} returned {_short(arr)}, expected {_short(expected)}. Hint: {hint}",
            must_pass,
        )
    return verdict(
        True,
        "your Leaky ReLU agrees with F.leaky_relu for slopes below and above 1, on "
        "infinities and NaN, and keeps float32.",
        must_pass,
    )


# ---------------------------------------- RReLU: the paper's slopes below 11/48

FRACTION_BELOW = 8 / 11  # slope 1/a < 11/48  <=>  a > 48/11, for a ~ U(3, 8): (8 - 48/11) / 5


def check_rrelu_fraction_below(value, must_pass=False):
    """Notebook 07, exercise 2 (a prediction, posed before the cell that measures it): in Xu et
    al.'s convention the divisor a is uniform on [3, 8] and the slope is 1/a; which fraction
    of the training slopes lies below PyTorch's evaluation slope 11/48? The slope is below
    11/48 exactly when a > 48/11, so (8 - 48/11) / 5 = 8/11 ≈ 0.727. A fraction, given to 2
    digits (within 0.01: 0.72, 0.73 and 0.727 pass; 0.7 gets a hint to be exact); a
    percentage gets its own hint."""
    if isinstance(value, Fraction):
        value = float(value)
    value = scalar_answer(value)
    if isinstance(value, list | tuple) and len(value) == 1:
        return verdict(
            False,
            "fraction_below should be one number, not a list: write the number itself.",
            must_pass,
        )
    number = numeric_answer(value, "fraction_below", must_pass)
    if number is None:
        return
    if abs(number - FRACTION_BELOW) <= 0.01:
        return verdict(
            True,
            "the slope 1/a is below 11/48 exactly when a > 48/11; a is uniform on [3, 8], so "
            "the fraction is (8 - 48/11) / 5 = 8/11 ≈ 0.727, where PyTorch's uniform slopes "
            "give 1/2." + RUN_ON,
            must_pass,
        )
    close = [
        (
            0.5,
            "1/2 is PyTorch's fraction: its slopes are uniform, so half lie below their mean "
            "11/48. In the paper the divisor a is uniform, not the slope: the slope 1/a is below "
            "11/48 exactly when a > 48/11.",
        ),
        (
            3 / 11,
            "3/11 is the fraction of a below 48/11, i.e. of slopes ABOVE 11/48: a smaller "
            "divisor gives a larger slope.",
        ),
    ]
    hint = next(
        (h for known, h in close if abs(number - known) <= 0.01),
        "the slope 1/a is below 11/48 exactly when a > 48/11; what fraction of U(3, 8) lies "
        "above 48/11?",
    )
    if not np.isfinite(number) or not 0 <= number <= 100:
        hint = "a fraction is a finite number between 0 and 1. " + hint[0].upper() + hint[1:]
    elif number > 1:
        hint = (
            "that looks like a percentage: give the fraction, between 0 and 1."
            if abs(number / 100 - FRACTION_BELOW) <= 0.01
            else "a fraction lies between 0 and 1. " + hint[0].upper() + hint[1:]
        )
    elif abs(number - FRACTION_BELOW) <= 0.05:
        hint = (
            "close, but not to two digits: work it out exactly (a fraction of integers) "
            "before you round."
        )
    return verdict(False, f"fraction_below = {value!r:.40} is not it. Hint: {hint}", must_pass)


# ----------------------------------------------- PReLU: the gradient on its slopes


def _other_axes(x):
    return tuple(axis for axis in range(x.ndim) if axis != 1)


def _slope_grad_mistakes(x, g):
    axes = _other_axes(x)
    right = (g * np.minimum(x, 0)).sum(axis=axes)
    indicator = (
        "df/da_c is min(0, x), the negative input itself, not a 0/1 indicator: the slope "
        "multiplies x."
    )
    return [
        (
            np.minimum(x, 0).sum(axis=axes),
            "multiply by the incoming gradient g: by the chain rule each element adds g * df/da_c.",
        ),
        ((g * (x <= 0)).sum(axis=axes), indicator),
        ((g * (x < 0)).sum(axis=axes), indicator),
        (
            (g * x).sum(axis=axes),
            "only negative inputs go through the slope: use min(0, x), not x.",
        ),
        (
            (g * np.maximum(x, 0)).sum(axis=axes),
            "the slope acts on the negative side: min(0, x), not max(0, x).",
        ),
        (
            -right,
            "the sign: df/da_c = min(0, x), with no minus sign. The gradient is g * min(0, x) "
            "summed; the minus belongs to the SGD step, a <- a - lr * gradient.",
        ),
        (
            (g * np.minimum(x, 0)).mean(axis=axes),
            "a mean, not a sum: every element of channel c adds its own g * min(0, x) to the "
            "gradient of the one shared slope a_c.",
        ),
    ]


def check_prelu_slope_grad(fn, must_pass=False):
    """Notebook 07, exercise 1: ``prelu_slope_grad(x, g)``, the gradient of the loss with
    respect to PReLU's channel-wise slopes, given the input ``x`` (channels on axis 1) and the
    incoming gradient ``g`` (same shape): ``sum over all axes but 1 of g * min(0, x)``. float32
    answers and torch tensors are accepted (relative tolerance 1e-5)."""
    if not callable(fn):
        return verdict(
            False, f"prelu_slope_grad should be a function; got {type(fn).__name__}.", must_pass
        )
    rng = np.random.default_rng(7)
    x2, x3 = rng.normal(size=(6, 3)), rng.normal(size=(4, 3, 5))
    cases = [
        (x2, np.ones_like(x2)),
        (x2, rng.normal(size=x2.shape)),
        (x3, rng.normal(size=x3.shape)),
    ]
    for x, g in cases:
        axes = _other_axes(x)
        expected = (g * np.minimum(x, 0)).sum(axis=axes)
        call = f"prelu_slope_grad(x of shape {x.shape}, g)"
        got, error = call_learner(fn, call, x.copy(), g.copy())
        if error:
            return verdict(False, error, must_pass)
        if is_stub(got):
            return verdict(
                NOT_ATTEMPTED,
                "fill in prelu_slope_grad above, then run this cell again.",
                must_pass,
            )
        arr = _as_array(got)
        if arr is None or arr.dtype.kind not in "iuf":
            return verdict(
                False,
                f"{call} should return an array of numbers; got {type(got).__name__} "
                f"{str(got)[:60]!r}.",
                must_pass,
            )
        if arr.shape != expected.shape:
            if arr.size == 1:
                hint = (
                    "one number is the gradient of a single shared slope (nn.PReLU() with "
                    "num_parameters=1). Here each channel has its own slope: sum over every "
                    "axis except axis 1."
                )
            elif arr.shape == x.shape:
                hint = (
                    "that is one term per element. The slope a_c is shared by every element of "
                    "channel c, so their contributions add up: sum over every axis except axis 1."
                )
            elif arr.shape == x.shape[:1] + x.shape[2:]:
                hint = (
                    "you summed over axis 1, the channel axis: keep it, and sum over every "
                    "other axis."
                )
            else:
                hint = (
                    f"one number per channel: shape ({x.shape[1]},), the size of axis 1. Sum "
                    "over every other axis (for a 3-D input, axes 0 and 2)."
                )
            return verdict(
                False,
                f"{call} has shape {arr.shape}, expected {expected.shape}. Hint: {hint}",
                must_pass,
            )
        arr = arr.astype(np.float64)
        if np.allclose(arr, expected, rtol=1e-5, atol=1e-8):
            continue
        hint = next(
            (
                h
                for value, h in _slope_grad_mistakes(x, g)
                if np.allclose(arr, value, rtol=1e-5, atol=1e-8)
            ),
            "dL/da_c is the sum, over every element of channel c, of g * min(0, x).",
        )
        return verdict(
            False,
            f"{call} returned {_short(arr)}, expected {_short(expected)}. Hint: {hint}",
            must_pass,
        )
    return verdict(
        True,
        "dL/da_c is the sum over channel c of g * min(0, x), for 2-D and 3-D inputs." + READ_ON,
        must_pass,
    )
