"""Checkers for notebook 07, "ReLU variants"."""

import numpy as np

from .core import NOT_ATTEMPTED, check_number, is_stub, verdict

__all__ = ["check_leaky_relu", "check_rrelu_test_slope", "check_prelu_slope_grad"]

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


def _other_axes(x):
    return tuple(axis for axis in range(x.ndim) if axis != 1)


def check_prelu_slope_grad(fn, must_pass=False):
    """Notebook 07, exercise 3: ``prelu_slope_grad(x, g)``, the gradient of the loss with
    respect to PReLU's channel-wise slopes, given the input ``x`` (channels on axis 1) and the
    incoming gradient ``g`` (same shape): ``sum over all axes but 1 of g * min(0, x)``."""
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
        try:
            got = fn(x.copy(), g.copy())
        except NotImplementedError:
            got = None
        except Exception as err:  # a learner's bug: report it as feedback, not a traceback
            return verdict(False, f"{call} raised {type(err).__name__}: {err}.", must_pass)
        if is_stub(got):
            return verdict(
                NOT_ATTEMPTED,
                "fill in prelu_slope_grad above, then run this cell again.",
                must_pass,
            )
        if hasattr(got, "detach"):  # a torch tensor is fine too
            got = got.detach().cpu().numpy()
        got = np.asarray(got)
        if got.dtype.kind not in "iuf":
            return verdict(False, f"{call} should return numbers; got {got!r:.80}.", must_pass)
        if got.shape != expected.shape:
            if got.size == 1:
                hint = (
                    "one number is the gradient of a single shared slope (nn.PReLU() with "
                    "num_parameters=1). Here each channel has its own slope: sum over every "
                    "axis except axis 1."
                )
            elif got.shape == x.shape:
                hint = (
                    "that is one term per element. The slope a_c is shared by every element of "
                    "channel c, so their contributions add up: sum over every axis except axis 1."
                )
            else:
                hint = (
                    f"one number per channel: shape ({x.shape[1]},), the size of axis 1. Sum "
                    "over every other axis (for a 3-D input, axes 0 and 2)."
                )
            return verdict(
                False,
                f"{call} has shape {got.shape}, expected {expected.shape}. Hint: {hint}",
                must_pass,
            )
        if np.allclose(got, expected, rtol=1e-9, atol=1e-12):
            continue
        wrong = [
            (
                np.minimum(x, 0).sum(axis=axes),
                "multiply by the incoming gradient g: by the chain rule each element adds "
                "g * df/da_c.",
            ),
            (
                (g * (x <= 0)).sum(axis=axes),
                "df/da_c is min(0, x), the negative input itself, not a 0/1 indicator: the "
                "slope multiplies x.",
            ),
            (
                (g * (x < 0)).sum(axis=axes),
                "df/da_c is min(0, x), the negative input itself, not a 0/1 indicator: the "
                "slope multiplies x.",
            ),
            (
                (g * x).sum(axis=axes),
                "only negative inputs go through the slope: use min(0, x), not x.",
            ),
            (
                (g * np.maximum(x, 0)).sum(axis=axes),
                "the slope acts on the negative side: min(0, x), not max(0, x).",
            ),
        ]
        hint = next(
            (h for value, h in wrong if np.allclose(got, value, rtol=1e-9, atol=1e-12)),
            "dL/da_c is the sum, over every element of channel c, of g * min(0, x).",
        )
        return verdict(
            False,
            f"{call} returned {np.round(got, 4)}, expected {np.round(expected, 4)}. Hint: {hint}",
            must_pass,
        )
    return verdict(
        True,
        "dL/da_c is the sum over channel c of g * min(0, x), for 2-D and 3-D inputs.",
        must_pass,
    )
