"""Notebook 08's checkers: the stub is 'not attempted', wrong answers are rejected with their
hint, the right answer passes, and must_pass turns anything but a pass into an AssertionError."""

import itertools
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from checker_testing import feedback, rejected
from torch import nn

import relu_lib as rl
from relu_lib.exercises.nb08 import INPLACE_CASES

NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "08_pytorch_relu.ipynb"

# --- exercise 1: which in-place ReLUs fail -------------------------------------------------


def test_the_cases_fail_as_the_notebook_says():
    """The truth is measured by the checker; pin it, so a change in torch shows up here."""
    fails = set()
    for n, (_, make_input, _) in INPLACE_CASES.items():
        x = torch.randn(4, requires_grad=True)
        try:
            F.relu(make_input(x), inplace=True).sum().backward()
        except RuntimeError:
            fails.add(n)
    assert fails == {1, 3, 4}


def test_each_case_runs_the_operation_its_code_shows():
    """The checker measures which cases fail by running each case's operation, while the
    learner reads its code: both must be the same operation, or the checker grades another
    question than the one asked."""
    x = torch.randn(5, generator=torch.Generator().manual_seed(0))
    for code, make_input, _ in INPLACE_CASES.values():
        assert torch.equal(make_input(x), eval(code, {"torch": torch}, {"x": x})), code


def test_the_cases_are_not_run_in_the_lesson_above_them():
    """Exercise 1 asks about operations the lesson does not show: none of the cases' code
    appears in a code cell before the exercise."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    stub = next(i for i, c in enumerate(nb.cells) if "rl.check_inplace_failures(fails)" in c.source)
    lesson = "\n".join(c.source for c in nb.cells[:stub] if c.cell_type == "code")
    for code, _, _ in INPLACE_CASES.values():
        assert f"F.relu({code}, inplace=True)" not in lesson
    for op in ("tanh", "sin(", "x ** 2", "x[:2]"):
        assert op not in lesson, op


def _text_above(marker):
    """Every source and output text of the notebook above the cell that contains ``marker``."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    until = next(i for i, c in enumerate(nb.cells) if marker in c.source)
    texts = []
    for cell in nb.cells[:until]:
        texts.append(cell.source)
        for out in cell.get("outputs", []):
            texts.append(out.get("text", "") + out.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


@pytest.mark.parametrize(
    "marker, answers",
    [
        ("rl.check_inplace_failures(fails)", ["{1, 3, 4}", "[1, 3, 4]"]),
        ("rl.check_inplace_saving(saved_bytes)", ["1,600,000", "1600000", "1.6e6", "1.526"]),
    ],
)
def test_no_answer_is_printed_above_its_exercise(marker, answers):
    above = _text_above(marker)
    for answer in answers:
        assert answer not in above


@pytest.mark.parametrize(
    "answer",
    [
        {1, 3, 4},
        [4, 3, 1],
        (1, 3, 4),
        frozenset({1, 3, 4}),
        [1, 3, 3, 4],
        np.array([1, 3, 4]),
        np.flatnonzero([True, False, True, True, False, False]) + 1,
        np.array([1.0, 3.0, 4.0], dtype=np.float32),
        torch.tensor([1, 3, 4]),
        [np.int64(1), torch.tensor(3), 4.0],
        (n for n in (1, 3, 4)),
    ],
)
def test_inplace_failures_right_answer(answer, capsys):
    assert feedback(capsys, rl.check_inplace_failures, answer).startswith("✓ Correct")


def test_inplace_failures_must_pass(capsys):
    rl.check_inplace_failures({1, 3, 4}, must_pass=True)
    assert capsys.readouterr().out.startswith("✓ Correct")


@pytest.mark.parametrize(
    "answer, hint",
    [
        # The classic confusions get their own hint.
        ({2, 5, 6}, "are the ones that run fine: `fails` should hold the cases that raise"),
        ({1, 2, 3, 4, 5, 6}, "Not every in-place ReLU breaks autograd"),
        ({2, 5}, "The rule is the other way round"),
        ({2, 4, 5}, "The rule is the other way round"),
        # Otherwise every misclassified case, with why.
        ({1, 4}, "Case 3 (torch.relu(x)) raises: ReLU saves its output"),
        ({1, 3}, "Case 4 (x[:2]) raises: x[:2] is a view"),
        ({3, 4}, "Case 1 (torch.tanh(x)) raises: tanh's derivative"),
        ({1, 2, 3, 4}, "Case 2 (x ** 2) runs fine: the derivative of x^2 is 2x"),
        ({1, 3, 4, 5}, "Case 5 (torch.sin(x)) runs fine"),
        ({1, 3, 4, 6}, "Case 6 (x * 3) runs fine"),
        ({1, 6}, "Case 3 (torch.relu(x)) raises.*Case 4 (x[:2]) raises.*Case 6 (x * 3) runs"),
        (set(), "Case 1 .* raises.*Case 3 .* raises.*Case 4 .* raises"),
        # Not a collection of case numbers.
        ({0, 1}, "numbered 1 to 6; got [0]"),
        ([7], "numbered 1 to 6; got [7]"),
        ("134", "a set of case numbers"),
        (134, "a set of case numbers"),
        (3, "or {3} for one case; got 3"),
        (torch.tensor(3), "a set of case numbers"),
        ({True}, "whole numbers"),
        ({"1", "3"}, "whole numbers"),
        ([2.5], "whole numbers"),
        ([float("nan")], "whole numbers"),
        ({1: True, 3: True}, "not a dict"),
        (range(10**12), "only 6 cases"),
        (torch.zeros(10**6), "only 6 cases"),
        (np.zeros((3, 3)), "only 6 cases"),
        (object(), "got a value of type object"),
        ("x" * 10**6, "a set of case numbers"),
    ],
)
def test_inplace_failures_wrong_answers(answer, hint, capsys):
    rejected(capsys, rl.check_inplace_failures, answer, re.escape(hint).replace(r"\.\*", ".*"))


def test_inplace_failures_endless_iterator(capsys):
    rejected(capsys, rl.check_inplace_failures, itertools.count(1), "only 6 cases")


@pytest.mark.parametrize("stub", [None, ...])
def test_inplace_failures_stub(stub, capsys):
    assert feedback(capsys, rl.check_inplace_failures, stub).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_inplace_failures(stub, must_pass=True)


# --- exercise 2: the bytes in-place ReLU saves when the peak moves ---------------------------


def _two_layer_peaks():
    x = torch.randn(1000, 200)
    peaks = {}
    for inplace in (False, True):
        net = nn.Sequential(
            nn.Linear(200, 600),
            nn.ReLU(inplace=inplace),
            nn.Linear(600, 200),
            nn.ReLU(inplace=inplace),
        )
        peaks[inplace] = rl.count_tensor_memory(net, x)[1].peak
    return peaks


def test_the_saving_is_measured_as_the_checker_says():
    peaks = _two_layer_peaks()
    assert peaks == {False: 2 * 600 * 4000, True: (600 + 200) * 4000}
    assert peaks[False] - peaks[True] == 1_600_000


@pytest.mark.parametrize(
    "answer",
    [
        1_600_000,
        1.6e6,
        (2 * 600 - (600 + 200)) * 1000 * 4,
        np.int64(1_600_000),
        np.float32(1.6e6),
        np.array([1.6e6], dtype=np.float32),
        torch.tensor(1_600_000),
        torch.tensor([1.6e6]),
        [1_600_000],
        (1_600_000,),
        1_600_001,  # within the tolerance: a float rounding, not a different count
    ],
)
def test_inplace_saving_right_answer(answer, capsys):
    assert feedback(capsys, rl.check_inplace_saving, answer).startswith("✓ Correct")


def test_inplace_saving_must_pass(capsys):
    rl.check_inplace_saving(_two_layer_peaks()[False] - _two_layer_peaks()[True], must_pass=True)
    assert capsys.readouterr().out.startswith("✓ Correct")


@pytest.mark.parametrize(
    "answer, hint",
    [
        (2_400_000, "its own peak comes later, at the second Linear"),
        (800_000, "that is the second pre-activation, 200 wide"),
        (3_200_000, "every pre-activation (one per layer), and also the whole in-place peak"),
        (4_800_000, "the whole out-of-place peak"),
        (0, "in place they are one tensor"),
        (400_000, "that counts elements"),
        (1.526, "in MiB or MB"),
        (1.6, "in MiB or MB"),
        (-1_600_000, "the saving is positive"),
        (1_200_000, "find the moment of the peak in each version"),
        (1_600_010, "find the moment of the peak"),
        (float("nan"), "find the moment of the peak"),
        (float("inf"), "find the moment of the peak"),
        ("1600000", "should be a number"),
        ([1_600_000, 0], "should be a number"),
        ([[1_600_000]], "should be a number"),
        (torch.zeros(10**6), "should be a number"),
        (torch.tensor(1.6e6, dtype=torch.complex64), "should be a number"),
        (True, "should be a number"),
        (10**400, "beyond the range of float64"),
        (torch.tensor(2_400_000), "its own peak comes later"),
    ],
)
def test_inplace_saving_wrong_answers(answer, hint, capsys):
    rejected(capsys, rl.check_inplace_saving, answer, re.escape(hint))


def test_inplace_saving_stub(capsys):
    assert feedback(capsys, rl.check_inplace_saving, ...).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_inplace_saving(..., must_pass=True)


# --- exercise 3: x + relu(x) without touching x, and trainable ------------------------------


def _clone_then_add(x):
    out = x.clone()
    return out.add_(F.relu(x))  # in place on a fresh tensor nothing saved: allowed


def _two_subgradients(x):
    """x + relu(x) with a gradient of 1 at -0.0 and 2 at +0.0: both subgradients."""
    plus_zero = (x == 0) & ~torch.signbit(x)
    return torch.where(plus_zero, x + x.clamp(min=0), x + F.relu(x))


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: x + torch.relu(x),
        lambda x: x + F.relu(x.clone(), inplace=True),
        lambda x: torch.add(x, F.relu(x)),
        lambda x: nn.ReLU()(x) + x,
        lambda x: rl.ReLU()(x) + x,
        lambda x: torch.where(x > 0, 2 * x, x),
        _clone_then_add,
    ],
)
def test_residual_relu_right_answers(fn, capsys):
    out = feedback(capsys, rl.check_residual_relu, fn)
    assert out.startswith("✓ Correct") and "backward gives 1 + 1[x > 0]: 2 for x > 0" in out
    assert "at x = 0" not in out
    rl.check_residual_relu(fn, must_pass=True)


@pytest.mark.parametrize(
    "fn, at_zero",
    [
        (lambda x: x + x.clamp(min=0), "and 2 at x = 0, where 1 + 1[x > 0] would give 1"),
        (lambda x: x + torch.maximum(x, torch.zeros_like(x)), "and 1.5 at x = 0"),
        (lambda x: torch.where(x == 0, 1.5 * x, x + F.relu(x)), "and 1.5 at x = 0"),
        (_two_subgradients, "and 1 and 2 at x = 0"),
    ],
)
def test_residual_relu_accepts_any_subgradient_at_zero_and_says_which(fn, at_zero, capsys):
    """The exercise accepts any subgradient at 0 and says so; the feedback names the one the
    learner's code gives, never 1 + 1[x > 0] when the code gives something else."""
    out = feedback(capsys, rl.check_residual_relu, fn)
    assert out.startswith("✓ Correct") and at_zero in out
    assert "every value from 1 to 2 is a subgradient" in out
    assert "backward gives 1 + 1[x > 0]" not in out
    rl.check_residual_relu(fn, must_pass=True)


def test_the_subgradients_the_feedback_names_are_what_autograd_gives():
    """clamp(min=0) passes 1 at 0, torch.maximum(x, 0) 1/2, torch.relu 0 (notebook 03)."""
    at_zero = {}
    for name, op in {
        "relu": torch.relu,
        "clamp": lambda t: t.clamp(min=0),
        "maximum": lambda t: torch.maximum(t, torch.zeros_like(t)),
    }.items():
        t = torch.zeros(1, requires_grad=True)
        (t + op(t)).sum().backward()
        at_zero[name] = t.grad.item()
    assert at_zero == {"relu": 1.0, "clamp": 2.0, "maximum": 1.5}


def test_the_old_worked_solution_breaks_backward_as_the_checker_says():
    """F.relu(x).add_(x) is right in the forward and raises in the backward."""
    x = torch.tensor(rl.exercises.nb08.RESIDUAL_INPUT)
    assert torch.equal(F.relu(x).add_(x), x + F.relu(x))
    leaf = x.clone().requires_grad_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        F.relu(leaf).add_(leaf).sum().backward()


def _overwrites(x):
    y = x.clone()
    F.relu(x, inplace=True)
    return y + x


def _adds_into_relu(x):
    r = F.relu(x)
    r += x
    return r


def _touches_input(x):
    x += 0  # same values, but written in place
    return x.clone() + F.relu(x)


def _no_grad(x):
    with torch.no_grad():
        return x + F.relu(x)


def _numpy_inside(x):
    return torch.from_numpy(x.numpy()) + F.relu(x)


def _zero_slope_three(x):
    return x + torch.where(x == 0, 2 * x, F.relu(x))


def _list_when_tracked(x):
    return [0.0] if x.requires_grad else x + F.relu(x)


def _sparse_when_tracked(x):
    out = x + F.relu(x)
    return out.to_sparse() if x.requires_grad else out


def _needs_clone(x):
    if x.requires_grad:
        raise ValueError("boom")
    return x + F.relu(x)


def _zeroes_a_saved_sigmoid(x):
    s = torch.sigmoid(x)
    s.mul_(0)  # sigmoid saved its output for backward
    return x + F.relu(x) + s


class _NoBackward(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x + F.relu(x)

    @staticmethod
    def backward(ctx, grad):
        raise ValueError("no backward here")


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda x: x + F.relu(x, inplace=True), "the sum sees relu(x) twice"),
        (lambda x: x + nn.ReLU(inplace=True)(x), "the sum sees relu(x) twice"),
        (_overwrites, "it overwrites its input"),
        (_touches_input, "it overwrites its input"),
        # Right values, but backward overwrites what ReLU saved: the old worked solution.
        (lambda x: F.relu(x).add_(x), "F.relu saves its output relu(x) for its backward"),
        (_adds_into_relu, "overwrites that saved output"),
        # Right values, cut off from autograd.
        (lambda x: (x + F.relu(x)).detach(), "its result carries no gradient"),
        (_no_grad, "its result carries no gradient"),
        (lambda x: torch.tensor((x + F.relu(x)).tolist()), "its result carries no gradient"),
        (lambda x: x + F.relu(x).detach(), "only the x term passes a gradient"),
        (lambda x: x + F.relu(x.data), "only the x term passes a gradient"),
        (lambda x: x.detach() + F.relu(x), "only the relu(x) term passes a gradient"),
        (_zero_slope_three, "At x = 0 any value in [1, 2] is right"),
        (_zeroes_a_saved_sigmoid, "an in-place operation overwrote a tensor that autograd saved"),
        (_NoBackward.apply, "backward fails with ValueError: no backward here"),
        # Right gradient, wrong value at -inf: arithmetic stand-ins for ReLU.
        (lambda x: x + x * (x > 0), "-inf * 0 = nan"),
        (lambda x: x + (x + x.abs()) / 2, "-inf + inf = nan"),
        (lambda x: x + x * (x > 0).float(), "it returns nan at x = [-inf]"),
        # Other wrong answers.
        (lambda x: x - torch.relu(x), "add x and relu(x)"),
        (lambda x: torch.relu(x), "add x and relu(x)"),
        (lambda x: (x + torch.relu(x)).double(), "keep the input's dtype"),
        (lambda x: torch.cat([x, F.relu(x)]), "it returned shape (16,)"),
        (lambda x: (x + torch.relu(x)).numpy(), "return a tensor"),
        (lambda x: 1 / 0, "raised ZeroDivisionError"),
        (_numpy_inside, "on an input that requires grad (as in a network being trained) it raises"),
        (_needs_clone, "raises ValueError: boom"),
        (_list_when_tracked, "does not return a tensor of the input's shape"),
        (lambda x: (x + F.relu(x)).to_sparse(), "torch.sparse_coo (not dense) tensor"),
        (lambda x: torch.nested.nested_tensor([x], layout=torch.jagged), "a nested tensor"),
        (lambda x: torch.empty(8, device="meta"), "on the meta device"),
        (_sparse_when_tracked, "does not return a tensor of the input's shape"),
        (torch.zeros(3), "should be a function"),
        ("x + relu(x)", "should be a function"),
    ],
)
def test_residual_relu_wrong_answers(fn, hint, capsys):
    rejected(capsys, rl.check_residual_relu, fn, re.escape(hint))


def stub(x): ...


def not_implemented(x):
    raise NotImplementedError


@pytest.mark.parametrize("fn", [stub, not_implemented])
def test_residual_relu_stubs(fn, capsys):
    assert feedback(capsys, rl.check_residual_relu, fn).startswith("○ Not attempted yet")
    with pytest.raises(AssertionError, match="Not attempted"):
        rl.check_residual_relu(fn, must_pass=True)
