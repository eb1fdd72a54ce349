"""Checkers for notebook 03, "The formula and the derivative"."""

import torch

from .core import NOT_ATTEMPTED, call_learner, check_number, is_stub, scalar_answer, verdict

__all__ = [
    "check_clamp_identity_grad_at_zero",
    "check_maximum_backward",
    "check_central_difference_near_kink",
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


def check_central_difference_near_kink(value, must_pass=False):
    """Notebook 03, exercise 3: the central difference of ReLU at x = 2.5e-4 with h = 1e-3. The
    stencil straddles the kink, so it is (x + h) / (2h) = 5/8."""
    return check_number(
        scalar_answer(value),
        "central_near_kink",
        0.625,
        "the stencil [x - h, x + h] reaches below 0, so relu(x - h) = 0 and the quotient is "
        "(x + h) / (2h) = 1.25e-3 / 2e-3 = 0.625: neither slope 0 nor slope 1. With x = h/4 it "
        "is 5/8 whatever h; near a kink a central difference measures the stencil, not the "
        "derivative.",
        must_pass,
        rtol=1e-2,  # 0.62 and 0.63, 0.625 rounded by hand, pass; 0.6 and 0.75 do not
        wrong=(
            (
                1.0,
                "1 is ReLU's derivative at x > 0 (and the forward difference). The central "
                "difference also looks left, to x - h = -7.5e-4, where ReLU is 0.",
            ),
            (
                0.5,
                "1/2 is the central difference at exactly 0. Here x = 2.5e-4 = h/4: the stencil "
                "is not centred on the kink.",
            ),
            (
                0.75,
                "0.75 is the value at x = h/2, the case worked out in the notebook. Here x = h/4.",
            ),
            (
                0.25,
                "0.25 is the backward difference (relu(x) - relu(x - h)) / h. The central "
                "difference is (relu(x + h) - relu(x - h)) / (2h).",
            ),
            (0.0, "x = 2.5e-4 is positive, and the stencil reaches x + h > 0, where ReLU rises."),
            (1.25e-3, "that is relu(x + h) - relu(x - h); divide by 2h."),
        ),
        hint="compute (relu(x + h) - relu(x - h)) / (2 * h) with x = 2.5e-4 and h = 1e-3: x - h is "
        "negative, so relu(x - h) = 0.",
    )
