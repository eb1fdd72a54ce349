"""Checkers for notebook 08, "ReLU in PyTorch"."""

import numbers

import torch
import torch.nn.functional as F

from .core import NOT_ATTEMPTED, check_number, is_stub, verdict

__all__ = ["check_inplace_failures", "check_inplace_saving", "check_residual_relu"]


def _linear(x):
    w = torch.randn(3, x.shape[-1], generator=torch.Generator().manual_seed(0))
    return F.linear(x, w.requires_grad_())


# Exercise 1: F.relu(<input>, inplace=True), then .sum().backward(), with
# x = torch.randn(4, requires_grad=True). Number -> (what is made in place, why).
INPLACE_CASES = {
    1: (
        lambda x: x,
        "x is a leaf tensor that requires grad: PyTorch refuses any in-place operation on it, "
        "already in the forward.",
    ),
    2: (
        lambda x: x * 3,
        "x * 3 saves nothing of its output for backward (its gradient is the constant 3), so "
        "overwriting the output is safe.",
    ),
    3: (
        torch.sigmoid,
        "sigmoid's derivative s(1 - s) is computed from its output s, which autograd saved; "
        "the in-place ReLU overwrites it.",
    ),
    4: (
        torch.sin,
        "sin's backward needs cos(x), computed from its input x, not from its output: "
        "overwriting the output is safe.",
    ),
    5: (
        torch.exp,
        "exp's derivative is exp(x) itself, so autograd saves exp's output and reuses it: "
        "the in-place ReLU overwrites it.",
    ),
    6: (
        _linear,
        "Linear's backward needs its input and its weight, not its output: this is why "
        "Linear followed by ReLU(inplace=True) is fine.",
    ),
}


def _fails(make_input):
    x = torch.randn(4, requires_grad=True, generator=torch.Generator().manual_seed(0))
    try:
        F.relu(make_input(x), inplace=True).sum().backward()
    except RuntimeError:
        return True
    return False


def check_inplace_failures(answer, must_pass=False):
    """Notebook 08, exercise 1: the set of cases in which ``F.relu(..., inplace=True)`` makes
    PyTorch raise (in the forward or in the backward). The truth is measured, not stored."""
    if is_stub(answer):
        return verdict(
            NOT_ATTEMPTED,
            "set `fails` to a set of case numbers, then run this cell again.",
            must_pass,
        )
    try:
        chosen = set(answer)
    except TypeError:
        chosen = None
    if chosen is None or not all(
        isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in chosen
    ):
        return verdict(
            False, f"answer with a set of case numbers, like {{2, 4}}; got {answer!r}.", must_pass
        )
    unknown = sorted(chosen - set(INPLACE_CASES))
    if unknown:
        return verdict(False, f"the cases are numbered 1 to 6; got {unknown}.", must_pass)
    truth = {n for n, (make_input, _) in INPLACE_CASES.items() if _fails(make_input)}
    for n in sorted(chosen - truth):
        return verdict(False, f"case {n} runs fine. Hint: {INPLACE_CASES[n][1]}", must_pass)
    for n in sorted(truth - chosen):
        return verdict(
            False, f"case {n} raises a RuntimeError. Hint: {INPLACE_CASES[n][1]}", must_pass
        )
    return verdict(
        True,
        f"cases {sorted(truth)} fail: a leaf that requires grad, and outputs that their own "
        "backward needs (sigmoid, exp). The others save their input, or nothing.",
        must_pass,
    )


def check_inplace_saving(value, must_pass=False):
    """Notebook 08, exercise 2: by how many bytes ``inplace=True`` lowers the forward peak of
    6 x (Linear(300, 300) + ReLU), batch 1000, float32: one activation, 1000 x 300 x 4."""
    activation = 1000 * 300 * 4
    return check_number(
        value,
        "saved_bytes",
        activation,
        "one activation, 1000 x 300 x 4 = 1,200,000 bytes: at any moment at most one "
        "pre-activation that nothing saved is alive beside its ReLU's output.",
        must_pass,
        wrong=[
            (
                6 * activation,
                "not one per layer. Out of place, each pre-activation is freed as soon as its "
                "ReLU has run (nothing saved it), so only one extra tensor is ever alive.",
            ),
            (
                2 * activation,
                "the ReLU's output exists in both versions (the next Linear saves it); only "
                "the pre-activation beside it is extra.",
            ),
            (
                12 * activation,
                "count only what in-place removes, and only what is alive at the same time.",
            ),
            (1000 * 300, "count bytes: a float32 is 4 bytes."),
            (0, "out of place, the pre-activation and the ReLU's output are alive together."),
        ],
        hint="how many elements does one activation have, how many bytes each, and how many "
        "extra activations are alive at once?",
    )


def check_residual_relu(fn, must_pass=False):
    """Notebook 08, exercise 3: ``x + relu(x)`` that leaves its input untouched."""
    if not callable(fn):
        return verdict(
            False, f"residual_relu should be a function; got {type(fn).__name__}.", must_pass
        )
    x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 3.0])
    expected = x + torch.relu(x)
    given = x.clone()
    try:
        got = fn(given)
    except NotImplementedError:
        got = None
    except Exception as err:  # a learner's bug: feedback, not a traceback
        return verdict(False, f"residual_relu raised {type(err).__name__}: {err}.", must_pass)
    if is_stub(got):
        return verdict(
            NOT_ATTEMPTED, "fill in residual_relu above, then run this cell again.", must_pass
        )
    if not isinstance(got, torch.Tensor):
        return verdict(False, f"return a tensor; got {type(got).__name__}.", must_pass)
    if got.shape == x.shape and torch.equal(got, 2 * torch.relu(x)):
        return verdict(
            False,
            "it returns 2 relu(x). Hint: Python reads the left operand `x` as a reference to "
            "the tensor, then the in-place ReLU overwrites that same tensor before the "
            "addition reads it: the sum sees relu(x) twice.",
            must_pass,
        )
    if not torch.equal(given, x):
        return verdict(
            False,
            "it overwrites its input: the caller's x is changed. Hint: an in-place ReLU on the "
            "input itself changes a tensor the caller may still use.",
            must_pass,
        )
    if got.shape != x.shape or not torch.equal(got, expected):
        return verdict(
            False,
            f"residual_relu({x.tolist()}) returned {got.tolist()}, expected "
            f"{expected.tolist()}. Hint: add x and relu(x).",
            must_pass,
        )
    return verdict(True, "x + relu(x), and the input is left as it was.", must_pass)
