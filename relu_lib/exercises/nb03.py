"""Checkers for notebook 03, "The formula and the derivative"."""

from collections.abc import Set

import numpy as np
import torch

from .core import NOT_ATTEMPTED, call_learner, check_number, is_stub, scalar_answer, verdict

__all__ = [
    "check_clamp_identity_grad_at_zero",
    "check_maximum_backward",
    "check_central_difference_off_by_a_tenth",
]

RUN_ON = " Run on: the next cell measures it."


def check_clamp_identity_grad_at_zero(value, must_pass=False):
    """Notebook 03, exercise 1 (a prediction, posed before the cell that measures it): the
    gradient autograd gives ``x.clamp(min=0) - (-x).clamp(min=0)``, which equals x, at x = 0.
    clamp's backward uses s = 1 at its boundary, once per term: s + s = 2."""
    return check_number(
        scalar_answer(value),  # x.grad itself, a one-element tensor, is an answer
        "clamp_identity_grad_at_zero",
        2.0,
        "each clamp is differentiated on its own with clamp's value at its boundary, s = 1: "
        "the first term gives s, the second -s * (-1) = s, and autograd returns 2 for a function "
        "whose derivative is 1." + RUN_ON,
        must_pass,
        wrong=(
            (
                1.0,
                "1 is the true derivative of x, but autograd never sees x: it differentiates each "
                "clamp separately, with clamp's gradient at its boundary (1, measured above), and "
                "adds the two terms by the chain rule." + RUN_ON,
            ),
            (
                0.0,
                "0 comes from s - s: the second term is -clamp(-x), and the chain rule multiplies "
                "its gradient by the derivative of -x, which is -1, so it contributes "
                "-s * (-1) = +s. (0 is also what torch.relu would give: its s is 0; clamp's is 1.)"
                + RUN_ON,
            ),
            (
                0.5,
                "1/2 is torch.maximum's value at a tie, for one term. clamp uses 1 at its "
                "boundary, and there are two terms." + RUN_ON,
            ),
            (
                -2.0,
                "the sign: the second term is -clamp(-x); two minus signs, -1 from the "
                "subtraction and -1 from the inner -x, multiply to +1." + RUN_ON,
            ),
        ),
        hint="call s = 1 clamp's gradient at its boundary (measured above). The first term "
        "contributes s; the chain rule gives the second, -clamp(-x), -s * (-1)." + RUN_ON,
    )


def _maximum_backward_cases():
    """(grad_output, x) pairs: a different incoming gradient per element, so that a wrong mask
    cannot hide; the expected gradient is what autograd gives torch.maximum(x, zeros)."""
    return [
        (torch.tensor([1.5, -2.0, 0.5, 3.0]), torch.tensor([2.0, -1.0, 0.25, -0.5])),
        (torch.tensor([1.0, 2.0, 3.0, 4.0]), torch.tensor([0.0, -0.0, 5.0, -5.0])),
        (
            torch.tensor([2.0, 3.0, 4.0, 5.0]),
            torch.tensor([float("nan"), float("inf"), -float("inf"), 0.0]),
        ),
        (
            torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64),
            torch.tensor([[0.0, 1.0], [-7.0, 0.0]], dtype=torch.float64),
        ),
    ]


def maximum_backward_by_autograd(grad_output, x):
    """The gradient autograd sends to ``x`` through ``torch.maximum(x, torch.zeros_like(x))``."""
    x = x.detach().clone().requires_grad_()
    torch.maximum(x, torch.zeros_like(x)).backward(grad_output)
    return x.grad


def _read_off_the_output(x, grad_output, got):
    """The hint for a backward that reads the output max(x, 0) instead of x: it gives x < 0
    and the tie x = 0, where the output is 0 alike, the same nonzero share of the incoming
    gradient; "" when that is not what happened. (A share of 0 at both is torch.relu's rule,
    which the tie hint names.)"""
    share = got / grad_output  # the cases have no zero in grad_output
    below, tie = share[x < 0], share[x == 0]
    if not (below.numel() and tie.numel()):
        return ""
    value = tie[0]
    same = torch.allclose(below, value, rtol=1e-6, atol=0.0) and torch.allclose(
        tie, value, rtol=1e-6, atol=0.0
    )
    if not same or value == 0 or value.isnan():
        return ""
    return (
        f"You gave x < 0 and the tie x = 0 the same share, {value.item():g} of the incoming "
        "gradient, as a rule read off the output max(x, 0) must: the output is 0 for both. "
        "That is why this backward takes x: half at x = 0, nothing where x < 0, all of it "
        "where x > 0 and at NaN. Build the masks from x, not from the output."
    )


def _where_wrong(x, grad_output, got, expected):
    """The hints for the kinds of input the learner's backward gets wrong: a tie at 0 (±0.0),
    NaN, x > 0, x < 0; each names what the learner's value there suggests. The arguments may
    be lists of tensors (one per case), so that every mistake made in any case is named."""
    if isinstance(x, list):
        x, grad_output = (
            torch.cat([t.ravel().double() for t in x]),
            torch.cat([t.ravel().double() for t in grad_output]),
        )
        got, expected = (
            torch.cat([t.ravel().double() for t in got]),
            torch.cat([t.ravel().double() for t in expected]),
        )
    factor = expected / grad_output  # the cases have no zero in grad_output
    if torch.allclose(got, factor, rtol=1e-6, atol=0.0):
        return (
            "You returned the factor (1, 1/2 or 0) alone: the gradient is grad_output times "
            "that factor."
        )
    wrong = ~torch.isclose(got, expected, rtol=1e-6, atol=0.0)
    hints = []
    from_output = _read_off_the_output(x, grad_output, got)
    if from_output:
        hints.append(from_output)
        if (wrong & (x > 0)).any():
            hints.append(
                "Where x > 0 (+inf included) the incoming gradient passes unchanged: x is the "
                "maximum there, with derivative 1."
            )
        return " ".join(hints)
    tie = wrong & (x == 0)
    if tie.any():
        g, y = grad_output[tie][0].item(), got[tie][0].item()
        if y == 0:
            what = f"0 of an incoming {g:g} (torch.relu's choice)"
        elif y == g:
            what = f"all of an incoming {g:g} (clamp's choice)"
        else:
            what = f"{y:g} of an incoming {g:g}"
        hints.append(
            f"At x = 0 (a tie between x and 0) you passed {what}: torch.maximum splits a tie, "
            "half to each argument, so x gets grad_output / 2."
        )
    if (wrong & x.isnan()).any():
        hints.append(
            "At x = NaN torch.maximum passes the gradient: NaN < 0 and NaN == 0 are both False, "
            "so zero where x < 0 and halve where x == 0 rather than keep where x > 0."
        )
    if (wrong & (x > 0)).any():
        hints.append(
            "Where x > 0 (+inf included) the incoming gradient passes unchanged: x is the "
            "maximum there, with derivative 1."
        )
    if (wrong & (x < 0)).any():
        hints.append("Where x < 0 the maximum is the constant 0, so x gets gradient 0.")
    return " ".join(hints)


def check_maximum_backward(fn, must_pass=False):
    """Notebook 03, exercise 2: ``fn(grad_output, x)``, the gradient ``torch.maximum(x, 0)``
    sends to ``x``, equal (rtol 1e-6) to autograd's, with grad_output's shape and dtype, on
    ordinary values, ±0.0, NaN and ±inf."""
    if not callable(fn):
        return verdict(
            False, f"maximum_backward should be a function; got {type(fn).__name__}.", must_pass
        )
    mismatches = []  # every case is run, so that the hint names every kind of mistake
    for grad_output, x in _maximum_backward_cases():
        expected = maximum_backward_by_autograd(grad_output, x)
        got, error = call_learner(fn, "maximum_backward", grad_output.clone(), x.clone())
        if error:
            return verdict(
                False,
                f"{error} Hint: grad_output and x are torch tensors of the same shape; "
                "torch.where and masks such as (x == 0) work on them elementwise.",
                must_pass,
            )
        if is_stub(got):
            return verdict(
                NOT_ATTEMPTED,
                "fill in maximum_backward above, then run this cell again.",
                must_pass,
            )
        if not isinstance(got, torch.Tensor):
            try:
                got = torch.as_tensor(got)
            except Exception:  # strings, ragged lists: feedback, not a traceback
                got = None
        if got is None or not (got.is_floating_point() or got.dtype in (torch.int64, torch.bool)):
            return verdict(
                False, "maximum_backward should return a tensor of gradients.", must_pass
            )
        if got.shape != expected.shape or got.dtype != expected.dtype:
            return verdict(
                False,
                f"for grad_output of shape {tuple(grad_output.shape)} and dtype "
                f"{grad_output.dtype} you returned shape {tuple(got.shape)}, dtype {got.dtype}. "
                "Hint: the gradient has grad_output's shape and dtype; build it from "
                "grad_output (grad_output * factor, or torch.where(..., grad_output)).",
                must_pass,
            )
        if not torch.allclose(got, expected, rtol=1e-6, atol=0.0):
            mismatches.append((grad_output, x, got, expected))
    if mismatches:
        grad_output, x, got, expected = mismatches[0]
        grads, xs, gots, expecteds = (list(column) for column in zip(*mismatches, strict=True))
        hints = _where_wrong(xs, grads, gots, expecteds)
        return verdict(
            False,
            f"for grad_output={grad_output.tolist()} and x={x.tolist()} you returned "
            f"{got.tolist()}, autograd gives {expected.tolist()}. {hints}",
            must_pass,
        )
    return verdict(
        True,
        "your backward matches torch.maximum's: 0 where x < 0, half the incoming gradient at the "
        "tie x = 0, all of it where x > 0 and at NaN. It needs x itself: from the output alone, "
        "x = 0 and x = -1 look the same.",
        must_pass,
    )


STEP = 1e-3  # h in exercise 3
OFF_BY_A_TENTH = (-0.8 * STEP, 0.8 * STEP)  # where the central difference is off by 0.1
TENTH_RTOL = 1e-3  # a value found numerically, to 0.1%, passes; 7.9e-4 does not
KNOWN_WRONG = (
    (
        (0.8, -0.8),
        "that is 0.8 in units of h. x itself is 0.8h, with h = 1e-3.",
    ),
    (
        (0.9 * STEP,),
        "x = 0.9h comes from the quotient x/h, the backward difference (relu(x) - "
        "relu(x - h)) / h. The central difference is (relu(x + h) - relu(x - h)) / (2h), which "
        "near the kink is (x + h) / (2h).",
    ),
    (
        (-0.9 * STEP,),
        "x = -0.9h comes from the quotient (x + h) / h, the forward difference (relu(x + h) - "
        "relu(x)) / h. The central difference divides relu(x + h) - relu(x - h) by 2h.",
    ),
    (
        (0.2 * STEP, -0.2 * STEP),
        "there the quotient is 0.1 away from 1/2, its value at the kink. The miss is measured "
        "from ReLU's derivative: 1 for x > 0, 0 for x < 0.",
    ),
    (
        (0.0,),
        "at x = 0 the quotient is (h - 0) / (2h) = 1/2: off by 1/2 from either slope.",
    ),
)


def _off_by_a_tenth_values(answer):
    """The learner's x values as floats (a single number counts as a one-element list; an int
    beyond float64's range becomes ±inf), or the feedback for an answer that is not a list of
    numbers."""
    if isinstance(answer, torch.Tensor | np.ndarray):
        if answer.ndim > 1:
            return f"got a {type(answer).__name__} of shape {tuple(answer.shape)}"
        answer = answer.tolist()  # Python numbers (bools, complex: refused below)
    if isinstance(answer, int | float | np.integer | np.floating):
        answer = [answer]
    if isinstance(answer, str | bytes) or not isinstance(answer, list | tuple | Set):
        return f"got {type(answer).__name__}"
    values = []
    for v in answer:
        v = scalar_answer(v)  # one-element tensors and arrays too
        if isinstance(v, bool | np.bool_) or not isinstance(
            v, int | float | np.integer | np.floating
        ):
            return f"got a {type(answer).__name__} holding {type(v).__name__}"
        try:
            values.append(float(v))
        except OverflowError:  # a Python int such as 10**400
            values.append(float("inf") if v > 0 else -float("inf"))
    return values


def _close(a, b):
    return np.isclose(a, b, rtol=TENTH_RTOL, atol=0.0)


def _why_not_off_by_a_tenth(v):
    """The hint for x = v, which is not one of the two answers."""
    for known, hint in KNOWN_WRONG:
        if any(_close(v, k) for k in known):
            return hint
    if np.isnan(v):
        return "NaN is no place on the x axis: give the x values as numbers."
    if abs(v) >= STEP:
        return (
            "for |x| >= h the stencil [x - h, x + h] lies on one side of the kink, where ReLU "
            "is a straight line: the quotient is exact, off by 0."
        )
    quotient = (v + STEP) / (2 * STEP)
    slope = 1.0 if v > 0 else 0.0
    return (
        f"there the quotient is (x + h) / (2h) = {quotient:.4g} and ReLU's derivative is "
        f"{slope:g}: off by {abs(quotient - slope):.4g}, not 0.1. Set the miss, 1 - (x + h) / "
        "(2h) for x > 0 and (x + h) / (2h) for x < 0, equal to 0.1."
    )


def check_central_difference_off_by_a_tenth(answer, must_pass=False):
    """Notebook 03, exercise 3: every x at which the central difference of ReLU with h = 1e-3
    misses ReLU's derivative by exactly 0.1. Within the stencil's reach of the kink, |x| < h,
    it is (x + h) / (2h); it misses the slope 1 by 0.1 at x = 0.8h and the slope 0 by 0.1 at
    x = -0.8h, so the answer is the two values ±8e-4 (to 0.1%), in any order, as a list, tuple,
    set, array or tensor."""
    name = "off_by_a_tenth_at"
    if is_stub(answer):
        return verdict(
            NOT_ATTEMPTED, f"set `{name}` to your answer, then run this cell again.", must_pass
        )
    values = _off_by_a_tenth_values(answer)
    if isinstance(values, str):
        return verdict(
            False, f"{name} should be a list of numbers, such as [0.001]; {values}.", must_pass
        )
    if not values:
        return verdict(
            False,
            f"{name} is empty, but there are such x. Hint: as x goes from -h to h the quotient "
            "slides from 0 to 1; where is it 0.1 away from the slope on its side?",
            must_pass,
        )
    for v in values:
        if not any(_close(v, k) for k in OFF_BY_A_TENTH):
            return verdict(
                False, f"x = {v!r} is not one. Hint: {_why_not_off_by_a_tenth(v)}", must_pass
            )
    missing = [k for k in OFF_BY_A_TENTH if not any(_close(v, k) for v in values)]
    if missing:
        found = values[0]
        side = (
            "x < 0, where ReLU's derivative is 0"
            if missing[0] < 0
            else "x > 0, where ReLU's derivative is 1"
        )
        return verdict(
            False,
            f"x = {found!r} is one of them, and there is another. Hint: look on the other side "
            f"of the kink, {side}.",
            must_pass,
        )
    return verdict(
        True,
        "x = 8e-4 and x = -8e-4, that is ±0.8h. There the stencil straddles the kink and the "
        "quotient is (x + h) / (2h): 0.9 at x = 0.8h, where ReLU's slope is 1, and 0.1 at "
        "x = -0.8h, where it is 0. Closer to the kink than 0.8h the central difference is off "
        "by more than 0.1, at 0 by 1/2: near a kink it measures the stencil, not the derivative.",
        must_pass,
    )
