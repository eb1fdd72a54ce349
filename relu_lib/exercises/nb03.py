"""Checkers for notebook 03, "The formula and the derivative"."""

import torch

from .core import NOT_ATTEMPTED, check_number, is_stub, verdict

__all__ = ["check_clamp_grad_at_zero", "check_relu_backward", "check_central_difference_near_kink"]


def check_clamp_grad_at_zero(value, must_pass=False):
    """Notebook 03, exercise 1: the gradient autograd gives ``x.clamp(min=0)`` at x = 0."""
    return check_number(
        value,
        "clamp_grad_at_zero",
        1.0,
        "clamp(min=0) passes the gradient wherever x >= min, the boundary included: 1 at x = 0, "
        "where torch.relu gives 0. Same function, different gradient.",
        must_pass,
        wrong=(
            (
                0.0,
                "0 is what torch.relu gives at 0. clamp has its own backward: it lets the "
                "gradient through wherever x is inside [min, max], the boundary included. "
                "Measure it: x = torch.tensor(0.0, requires_grad=True), then "
                "x.clamp(min=0).backward() and look at x.grad.",
            ),
            (
                0.5,
                "0.5 is torch.maximum's answer: at a tie it splits the gradient between its "
                "two arguments. clamp is a different operation with a different backward.",
            ),
        ),
        hint="measure it: x = torch.tensor(0.0, requires_grad=True); x.clamp(min=0).backward(); "
        "x.grad.",
    )


def _relu_backward_cases():
    """(grad_output, output, hint) triples; the expected gradient is torch.relu's."""
    return [
        (
            torch.tensor([1.5, -2.0, 0.5]),
            torch.tensor([2.0, 0.25, 3.0]),
            "where the output is positive the incoming gradient passes unchanged. Multiply "
            "grad_output by a mask; do not return the mask alone.",
        ),
        (
            torch.tensor([1.0, 2.0, 3.0]),
            torch.tensor([0.0, -0.0, 5.0]),
            "an output of exactly 0 (or -0.0) means x <= 0, where PyTorch's gradient is 0: test "
            "`output > 0`, not `output >= 0`.",
        ),
        (
            torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64),
            torch.tensor([[0.0, 1.0], [7.0, 0.0]], dtype=torch.float64),
            "the result has the shape and dtype of grad_output.",
        ),
        (
            torch.tensor([2.0, 3.0, 4.0]),
            torch.tensor([float("nan"), float("inf"), 0.0]),
            "PyTorch zeroes the gradient only where output <= 0. NaN <= 0 is False, so a NaN "
            "output lets the gradient through: use grad_output.masked_fill(output <= 0, 0) "
            "(or torch.where(output <= 0, 0, grad_output)) rather than grad_output * (output > 0).",
        ),
    ]


def check_relu_backward(fn, must_pass=False):
    """Notebook 03, exercise 2: ReLU's backward from its output, ``fn(grad_output, output)``,
    equal to what autograd gives ``torch.relu`` (NaN outputs included)."""
    if not callable(fn):
        return verdict(
            False, f"relu_backward should be a function; got {type(fn).__name__}.", must_pass
        )
    for grad_output, output, hint in _relu_backward_cases():
        expected = grad_output.masked_fill(output <= 0, 0)
        try:
            got = fn(grad_output.clone(), output.clone())
        except NotImplementedError:
            got = None
        except Exception as err:  # a learner's bug: feedback, not a traceback
            return verdict(
                False,
                f"relu_backward raised {type(err).__name__}: {err}. Hint: {hint}",
                must_pass,
            )
        if is_stub(got):
            return verdict(
                NOT_ATTEMPTED, "fill in relu_backward above, then run this cell again.", must_pass
            )
        if not isinstance(got, torch.Tensor):
            return verdict(
                False,
                f"relu_backward should return a torch.Tensor; got {type(got).__name__}.",
                must_pass,
            )
        if got.shape != expected.shape or got.dtype != expected.dtype:
            return verdict(
                False,
                f"for an output of shape {tuple(output.shape)} and dtype {output.dtype} you "
                f"returned shape {tuple(got.shape)}, dtype {got.dtype}. Hint: {hint}",
                must_pass,
            )
        if not torch.equal(got, expected):
            return verdict(
                False,
                f"for grad_output={grad_output.tolist()} and output={output.tolist()} you "
                f"returned {got.tolist()}, autograd gives {expected.tolist()}. Hint: {hint}",
                must_pass,
            )
    return verdict(
        True,
        "your backward matches torch.relu's: 0 where the output is <= 0, the incoming gradient "
        "elsewhere, NaN included.",
        must_pass,
    )


def check_central_difference_near_kink(value, must_pass=False):
    """Notebook 03, exercise 3: the central difference of ReLU at x = 2.5e-4 with h = 1e-3. The
    stencil straddles the kink, so it is (x + h) / (2h) = 5/8."""
    return check_number(
        value,
        "central_near_kink",
        0.625,
        "the stencil [x - h, x + h] reaches below 0, so relu(x - h) = 0 and the quotient is "
        "(x + h) / (2h) = 1.25e-3 / 2e-3 = 0.625: neither slope 0 nor slope 1. With x = h/4 it "
        "is 5/8 whatever h; near a kink a central difference measures the stencil, not the "
        "derivative.",
        must_pass,
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
