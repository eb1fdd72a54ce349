"""Checkers for notebook 08, "ReLU in PyTorch"."""

import itertools
import numbers
import reprlib
from collections.abc import Iterable

import numpy as np
import torch
import torch.nn.functional as F

from .core import NOT_ATTEMPTED, is_stub, numeric_answer, scalar_answer, verdict

__all__ = ["check_inplace_failures", "check_inplace_saving", "check_residual_relu"]


# Exercise 1: F.relu(<case>, inplace=True), then .sum().backward(), with
# x = torch.randn(4, requires_grad=True). None of these is run in the lesson above it.
# Number -> (the operation's code, the operation, why an in-place ReLU on its result fails or
# not).
INPLACE_CASES = {
    1: (
        "torch.tanh(x)",
        torch.tanh,
        "tanh's derivative 1 - tanh(x)^2 is computed from its output, which autograd saves; "
        "the in-place ReLU overwrites it.",
    ),
    2: (
        "x ** 2",
        lambda x: x**2,
        "the derivative of x^2 is 2x, computed from the input: pow saves its input, not its "
        "output, so overwriting the output is safe.",
    ),
    3: (
        "torch.relu(x)",
        torch.relu,
        "ReLU saves its output for its backward. A second ReLU in place changes no value "
        "(ReLU is idempotent) but bumps the tensor's version, and autograd checks versions, "
        "not values.",
    ),
    4: (
        "x[:2]",
        lambda x: x[:2],
        "x[:2] is a view: it shares x's memory, and x is a leaf that requires grad. "
        "Overwriting it through a view is refused too, already in the forward.",
    ),
    5: (
        "torch.sin(x)",
        torch.sin,
        "sin's backward needs cos(x), computed from its input x, not from its output: "
        "overwriting the output is safe.",
    ),
    6: (
        "x * 3",
        lambda x: x * 3,
        "multiplying by a constant saves nothing of its output (its gradient is the constant "
        "3), so overwriting the output is safe.",
    ),
}
OUTPUT_SAVERS = {1, 3}  # what the learner swaps when reading the rule backwards
INPUT_SAVERS = {2, 5}


def _fails(make_input):
    x = torch.randn(4, requires_grad=True, generator=torch.Generator().manual_seed(0))
    try:
        F.relu(make_input(x), inplace=True).sum().backward()
    except RuntimeError:
        return True
    return False


def _case_number(item):
    """The case number an item of the answer stands for, or None."""
    item = scalar_answer(item)
    if isinstance(item, bool):
        return None
    if isinstance(item, numbers.Integral):
        return int(item)
    if isinstance(item, numbers.Real) and float(item).is_integer():
        return int(item)  # 3.0, e.g. from a float array
    return None


def _shown(value):
    """A short picture of a learner's value, without memory addresses."""
    if isinstance(value, numbers.Number | str | bytes | torch.Tensor | np.ndarray):
        return reprlib.repr(value)
    return f"a value of type {type(value).__name__}"


def _case_numbers(answer):
    """(the set of case numbers in ``answer``, None) or (None, what is wrong with it)."""
    example = "like {2, 4}, or {3} for one case"
    if isinstance(answer, dict):
        return None, f"give the set of case numbers that raise, {example}; not a dict."
    too_many = f"there are only {len(INPLACE_CASES)} cases; your answer has more items."
    if isinstance(answer, torch.Tensor | np.ndarray):
        size = answer.numel() if isinstance(answer, torch.Tensor) else answer.size
        if size > len(INPLACE_CASES):
            return None, too_many
        if answer.ndim == 1:
            answer = answer.tolist()  # e.g. np.flatnonzero(raised) + 1
    if isinstance(answer, str | bytes) or not isinstance(answer, Iterable):
        return None, f"answer with a set of case numbers, {example}; got {_shown(answer)}."
    try:
        items = list(itertools.islice(iter(answer), len(INPLACE_CASES) + 1))
    except Exception:  # e.g. a 0-d tensor, which refuses to be iterated
        return None, f"answer with a set of case numbers, {example}; got {_shown(answer)}."
    if len(items) > len(INPLACE_CASES):
        return None, too_many
    chosen = [_case_number(item) for item in items]
    if None in chosen:
        bad = items[chosen.index(None)]
        return None, f"the case numbers are whole numbers, {example}; got {_shown(bad)}."
    unknown = sorted(set(chosen) - set(INPLACE_CASES))
    if unknown:
        return (
            None,
            f"the cases are numbered 1 to {len(INPLACE_CASES)}; got {reprlib.repr(unknown)}.",
        )
    return set(chosen), None


def _listed(cases):
    names = [f"{n} ({INPLACE_CASES[n][0]})" for n in sorted(cases)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def check_inplace_failures(answer, must_pass=False):
    """Notebook 08, exercise 1: the set of cases in which ``F.relu(..., inplace=True)`` makes
    PyTorch raise (in the forward or in the backward). The truth is measured, not stored.
    Any collection of whole numbers is accepted (set, list, tuple, array, tensor)."""
    if is_stub(answer):
        return verdict(
            NOT_ATTEMPTED,
            "set `fails` to a set of case numbers, then run this cell again.",
            must_pass,
        )
    chosen, problem = _case_numbers(answer)
    if problem:
        return verdict(False, problem, must_pass)
    truth = {n for n, (_, make_input, _) in INPLACE_CASES.items() if _fails(make_input)}
    if chosen == truth:
        return verdict(
            True,
            f"cases {sorted(truth)} fail: outputs that their own backward needs (tanh, relu), "
            "and a view of a leaf that requires grad. The others saved their input, or nothing.",
            must_pass,
        )
    runs = set(INPLACE_CASES) - truth
    if chosen == runs:
        hint = (
            f"Cases {_listed(runs)} are the ones that run fine: `fails` should hold the cases that "
            "raise a RuntimeError."
        )
    elif chosen == set(INPLACE_CASES):
        hint = (
            f"Not every in-place ReLU breaks autograd: {_listed(runs)} run fine. It raises only "
            "when it overwrites a leaf that requires grad (or a view of one), or a tensor that "
            "a backward saved."
        )
    elif INPUT_SAVERS <= chosen and not chosen & OUTPUT_SAVERS:
        hint = (
            "The rule is the other way round. The in-place ReLU overwrites the operation's "
            "output, so backward breaks when the operation saved its output (tanh: "
            "1 - tanh^2; relu), not its input (x ** 2: 2x; sin: cos x)."
        )
    else:
        hint = " ".join(
            f"Case {n} ({INPLACE_CASES[n][0]}) {'raises' if n in truth else 'runs fine'}: "
            f"{INPLACE_CASES[n][2]}"
            for n in sorted(chosen ^ truth)
        )
    return verdict(False, f"{sorted(chosen)} is not it. {hint}", must_pass)


# Exercise 2: nn.Sequential(Linear(200, 600), ReLU, Linear(600, 200), ReLU), batch 1000,
# float32. Out of place the forward peak is at the first ReLU (h1 and y1, 600 wide each); in
# place it is at the second Linear (y1, 600 wide, and h2, 200 wide). The widths are chosen so
# that no wrong answer in bytes equals another one in elements.
SAVING_BATCH, SAVING_WIDTHS, FLOAT32_BYTES = 1000, (600, 200), 4


def _saving_bytes(width):
    return SAVING_BATCH * width * FLOAT32_BYTES


def _as_bytes(value):
    if np.isfinite(value) and value == round(value) and abs(value) < 1e15:
        return f"{value:,.0f}"
    return f"{value:g}"


def check_inplace_saving(value, must_pass=False):
    """Notebook 08, exercise 2: by how many bytes ``inplace=True`` lowers the forward peak of
    Linear(200, 600) + ReLU + Linear(600, 200) + ReLU, batch 1000, float32: 1,600,000.
    A number, a one-element tensor or array, or a one-element list."""
    wide, narrow = (_saving_bytes(w) for w in SAVING_WIDTHS)
    plain_peak, inplace_peak = 2 * wide, wide + narrow
    expected = plain_peak - inplace_peak
    if isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    value = numeric_answer(scalar_answer(value), "saved_bytes", must_pass)
    if value is None:
        return
    if np.isclose(value, expected, rtol=1e-6):
        return verdict(
            True,
            f"{plain_peak:,} - {inplace_peak:,} = {expected:,} bytes. Out of place the peak "
            "is at the first ReLU (h1 and its output, 600 wide each); in place it moves to the "
            "second Linear (the 600-wide output kept for backward, and the 200-wide h2).",
            must_pass,
        )
    wrong = {
        wide: "in place does remove the 600-wide h1 at the first ReLU, but its own peak comes "
        "later, at the second Linear, when the kept 600-wide activation and the 200-wide h2 "
        "are alive together: the saving is the difference of the two peaks.",
        narrow: "that is the second pre-activation, 200 wide, the one the lesson's network "
        "would lose at its last ReLU. Here the out-of-place peak is earlier: at the first "
        "ReLU, where the 600-wide h1 and its output are alive together.",
        wide + narrow: "that is every pre-activation (one per layer), and also the whole "
        "in-place peak. Out of place, h1 is freed before h2 exists: count only what is alive "
        "at the same moment, and subtract the in-place peak from the out-of-place one.",
        plain_peak: "that is the whole out-of-place peak; subtract the in-place peak.",
        0: "out of place, the first ReLU's input and output are alive together; in place "
        "they are one tensor.",
    }
    for known, hint in wrong.items():
        if np.isclose(value, known, rtol=1e-6):
            return verdict(
                False, f"saved_bytes = {_as_bytes(value)} is not it. Hint: {hint}", must_pass
            )
    if np.isclose(value, expected / FLOAT32_BYTES, rtol=1e-6):
        hint = "that counts elements; give bytes (a float32 is 4 bytes)."
    elif np.isclose(value * 2**20, expected, rtol=5e-3) or np.isclose(
        value * 1e6, expected, rtol=5e-3
    ):
        hint = "that is the right amount in MiB or MB; give it in bytes."
    elif value < 0:
        hint = (
            "in place lowers the peak, so the saving is positive: the out-of-place peak minus "
            "the in-place peak."
        )
    else:
        hint = (
            "find the moment of the peak in each version: which tensors are alive together, "
            "how many elements each (batch x width), 4 bytes each. Then subtract."
        )
    return verdict(False, f"saved_bytes = {_as_bytes(value)} is not it. Hint: {hint}", must_pass)


# Exercise 3's input: both infinities, both zeros, and ordinary numbers on each side of 0.
RESIDUAL_INPUT = (float("-inf"), -2.0, -0.5, -0.0, 0.0, 0.5, 3.0, float("inf"))


def _first_line(err):
    return str(err).splitlines()[0] if str(err) else type(err).__name__


def _residual_values_hint(x, got, expected):
    """The hint for a wrong value of residual_relu(x), or None when the values are right."""
    if got.dtype != x.dtype:
        return (
            f"it returned {got.dtype}, for a {x.dtype} input. Hint: keep the input's dtype; "
            "x + relu(x) needs no conversion."
        )
    new_nan = got.isnan() & ~expected.isnan()
    finite = x.isfinite()
    if new_nan.any() and torch.equal(got[finite], expected[finite]):
        where = x[new_nan].tolist()
        return (
            f"it returns nan at x = {where}, where x + relu(x) is {expected[new_nan].tolist()}. "
            "Hint: an arithmetic stand-in for ReLU breaks at the infinities: x * (x > 0) "
            "computes -inf * 0 = nan, (x + |x|) / 2 computes -inf + inf = nan. ReLU selects "
            "(it keeps x or writes 0, no arithmetic): use F.relu(x) or torch.where."
        )
    if not torch.equal(got, expected):
        return (
            f"residual_relu({x.tolist()}) returned {got.tolist()}, expected "
            f"{expected.tolist()}. Hint: add x and relu(x)."
        )
    return None


def _unusual_tensor(t, x):
    """What makes ``t`` other than an ordinary (dense) tensor on ``x``'s device, or None."""
    if t.is_nested or t.layout != torch.strided:
        kind = "a nested" if t.is_nested else f"a {t.layout} (not dense)"
        return f"it returned {kind} tensor. Hint: x + relu(x) is an ordinary tensor like x."
    if t.device != x.device:
        return (
            f"it returned a tensor on the {t.device} device, for an input on {x.device}. Hint: "
            "x + relu(x) needs no move."
        )
    return None


def _residual_gradient_hint(fn, x):
    """Run fn on x as a network would (an input that requires grad), backpropagate the sum and
    compare the gradient with 1 + 1[x > 0]; any value in [1, 2], the subgradients, at x = 0.
    Returns (hint or None, the gradient at 0)."""
    leaf = x.clone().requires_grad_()
    try:
        out = fn(leaf)
    except Exception as err:  # a learner's bug: feedback, not a traceback
        if "leaf Variable" in str(err):
            return (
                "on an input that requires grad (as in a network being trained) it raises "
                f"RuntimeError: {_first_line(err)} Hint: it writes into its input in place "
                "(x += ..., x.relu_(), F.relu(x, inplace=True)); leave x unchanged.",
                None,
            )
        return (
            "on an input that requires grad (as in a network being trained) it raises "
            f"{type(err).__name__}: {_first_line(err)}",
            None,
        )
    if not isinstance(out, torch.Tensor) or _unusual_tensor(out, x) or out.shape != x.shape:
        return (
            "on an input that requires grad it does not return a tensor of the input's shape. "
            "Hint: compute x + relu(x) with torch operations, the same way for every input.",
            None,
        )
    if not out.requires_grad:
        return (
            "its result carries no gradient: it is cut off from x (by detach(), .data, "
            "torch.no_grad() or a tensor rebuilt from values), so a network could not train "
            "through this block. Hint: return x + F.relu(x) itself.",
            None,
        )
    try:
        (grad,) = torch.autograd.grad(out.sum(), leaf, allow_unused=True)
    except Exception as err:  # a learner's bug: feedback, not a traceback
        message = str(err)
        if "modified by an inplace operation" in message and "of Relu" in message:
            return (
                "backward fails: one of the variables needed for gradient computation has been "
                "modified by an inplace operation. Hint: F.relu saves its output relu(x) for "
                "its backward, and an in-place addition into it (F.relu(x).add_(x), "
                "r += x) overwrites that saved output. Let the addition make a new tensor: "
                "x + F.relu(x).",
                None,
            )
        if "modified by an inplace operation" in message:
            return (
                f"backward fails: {_first_line(err)} Hint: an in-place operation overwrote a "
                "tensor that autograd saved for backward; use the out-of-place version.",
                None,
            )
        return (f"backward fails with {type(err).__name__}: {_first_line(err)}", None)
    if grad is None:
        return ("no gradient reaches x: its result does not depend on x for autograd.", None)
    expected = 1.0 + (x > 0).to(grad.dtype)
    at_zero = x == 0
    away_ok = torch.equal(grad[~at_zero], expected[~at_zero])
    zero_ok = bool(((grad[at_zero] >= 1) & (grad[at_zero] <= 2)).all())
    if away_ok and zero_ok:
        return None, grad[at_zero]
    seen = (
        f"the gradient of residual_relu(x).sum() at x = {x.tolist()} is {grad.tolist()}, "
        f"expected 1 + 1[x > 0] = {expected.tolist()}."
    )
    if away_ok:
        return (
            f"{seen} At x = 0 any value in [1, 2] is right (a subgradient); yours is "
            f"{grad[at_zero].tolist()}. Hint: compute relu with F.relu.",
            None,
        )
    off = ~at_zero
    if torch.equal(grad[off], torch.ones_like(grad[off])):
        return (
            f"{seen} Hint: only the x term passes a gradient: the relu(x) term is cut off from "
            "x (detach(), .data or torch.no_grad()).",
            None,
        )
    if torch.equal(grad[off], expected[off] - 1):
        return (
            f"{seen} Hint: only the relu(x) term passes a gradient: the x term is cut off "
            "(x.detach() or x.data).",
            None,
        )
    return (f"{seen} Hint: every part of the sum must stay connected to x for autograd.", None)


def check_residual_relu(fn, must_pass=False):
    """Notebook 08, exercise 3: ``x + relu(x)`` that leaves its input untouched and that a
    network can train through: on an input that requires grad, backward must run and give
    1 + 1[x > 0] away from 0; at x = 0, where x + relu(x) has no derivative, any subgradient in
    [1, 2] passes, and the feedback names the one the learner's code gives. The inputs include
    +-inf and +-0."""
    if not callable(fn):
        return verdict(
            False, f"residual_relu should be a function; got {type(fn).__name__}.", must_pass
        )
    x = torch.tensor(RESIDUAL_INPUT)
    expected = x + torch.relu(x)
    given = x.clone()
    try:
        got = fn(given)
    except NotImplementedError:
        got = None
    except Exception as err:  # a learner's bug: feedback, not a traceback
        return verdict(
            False, f"residual_relu raised {type(err).__name__}: {_first_line(err)}.", must_pass
        )
    if is_stub(got):
        return verdict(
            NOT_ATTEMPTED, "fill in residual_relu above, then run this cell again.", must_pass
        )
    if not isinstance(got, torch.Tensor):
        return verdict(False, f"return a tensor; got {type(got).__name__}.", must_pass)
    unusual = _unusual_tensor(got, x)
    if unusual:
        return verdict(False, unusual, must_pass)
    if got.shape != x.shape:
        return verdict(
            False,
            f"it returned shape {tuple(got.shape)} for an input of shape {tuple(x.shape)}. "
            "Hint: x + relu(x) is elementwise.",
            must_pass,
        )
    if torch.equal(got, 2 * torch.relu(x)):
        return verdict(
            False,
            "it returns 2 relu(x). Hint: Python reads the left operand `x` as a reference to "
            "the tensor, then the in-place ReLU overwrites that same tensor before the "
            "addition reads it: the sum sees relu(x) twice.",
            must_pass,
        )
    if not torch.equal(given, x) or given._version != 0:
        return verdict(
            False,
            "it overwrites its input: the caller's x is changed. Hint: an in-place ReLU on the "
            "input itself changes a tensor the caller may still use.",
            must_pass,
        )
    hint = _residual_values_hint(x, got, expected)
    if hint is None:
        hint, grad_at_zero = _residual_gradient_hint(fn, x)
    if hint is not None:
        return verdict(False, hint, must_pass)
    chosen = " and ".join(f"{g:g}" for g in sorted({g.item() for g in grad_at_zero}))
    if chosen == "1":
        said = (
            "backward gives 1 + 1[x > 0]: 2 for x > 0, 1 for x <= 0 (torch.relu's gradient at "
            "0 is 0)."
        )
    else:
        said = (
            f"backward gives 2 for x > 0, 1 for x < 0 and {chosen} at x = 0, where 1 + 1[x > 0] "
            "would give 1. x + relu(x) has no derivative at 0, and every value from 1 to 2 is a "
            "subgradient there: the x term gives 1, and the relu term 0 with torch.relu, 1 with "
            "x.clamp(min=0), 1/2 with torch.maximum(x, 0) (notebook 03)."
        )
    return verdict(
        True,
        "x + relu(x), the input left as it was, and " + said,
        must_pass,
    )
