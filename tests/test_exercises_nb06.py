"""Notebook 06's checkers: the stub is 'not attempted', common wrong answers get their own
hint, the right answer passes, and must_pass turns anything but a pass into an error."""

import math
import re
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import torch
from checker_testing import feedback, rejected

import relu_lib as rl


def stub(*args): ...


def not_implemented(*args):
    raise NotImplementedError


# --- exercise 1: dead units of layer 2 -------------------------------------------------------


def dead_units(w1, b1, w2, b2, x):
    h = np.maximum(x @ w1.T + b1, 0)
    return (h @ w2.T + b2 <= 0).all(axis=0)


def z2(w1, b1, w2, b2, x):
    return np.maximum(x @ w1.T + b1, 0) @ w2.T + b2


WRONG_DEAD = {
    "apply the ReLU between the layers": lambda w1, b1, w2, b2, x: (
        (x @ w1.T + b1) @ w2.T + b2 <= 0
    ).all(axis=0),
    "sign of the bias alone": lambda w1, b1, w2, b2, x: b2 <= 0,
    "not .any": lambda w1, b1, w2, b2, x: (z2(w1, b1, w2, b2, x) <= 0).any(axis=0),
    "negative mean pre-activation": lambda w1, b1, w2, b2, x: z2(w1, b1, w2, b2, x).mean(0) <= 0,
    "z2 <= 0, not z2 < 0": lambda w1, b1, w2, b2, x: (z2(w1, b1, w2, b2, x) < 0).all(axis=0),
    "input is layer 1's output": lambda w1, b1, w2, b2, x: (x @ w2.T + b2 <= 0).all(axis=0),
    "you judged the units of layer 1": lambda w1, b1, w2, b2, x: (x @ w1.T + b1 <= 0).all(0),
    "units that are alive": lambda w1, b1, w2, b2, x: (z2(w1, b1, w2, b2, x) > 0).any(axis=0),
    "you reduced over the units": lambda w1, b1, w2, b2, x: (z2(w1, b1, w2, b2, x) <= 0).all(1),
    "you returned a single value": lambda w1, b1, w2, b2, x: (z2(w1, b1, w2, b2, x) <= 0).all(),
    "one answer per row and unit": lambda w1, b1, w2, b2, x: z2(w1, b1, w2, b2, x) <= 0,
    "boolean array": lambda w1, b1, w2, b2, x: (z2(w1, b1, w2, b2, x) <= 0).all(0).astype(int),
    "raised ValueError": lambda w1, b1, w2, b2, x: (np.maximum(x @ w1 + b1, 0) @ w2 + b2 <= 0).all(
        axis=0
    ),
    # Mistakes the cases were not built for still get a hint, never a traceback:
    "compute h = relu(x @ w1.T + b1)": lambda w1, b1, w2, b2, x: np.zeros(len(w2), dtype=bool),
    "not an array of booleans": lambda w1, b1, w2, b2, x: [[True], [True, False]],
    "that is not an array": lambda w1, b1, w2, b2, x: {"dead": True},
    "Hint: one answer per unit": lambda w1, b1, w2, b2, x: np.zeros(10**6, dtype=bool),
    "every path through your function": lambda w1, b1, w2, b2, x: (
        None if len(w2) == 1 else dead_units(w1, b1, w2, b2, x)
    ),
}


@pytest.mark.parametrize("hint", WRONG_DEAD)
def test_check_dead_units_rejects_wrong_answers_with_their_hint(hint, capsys):
    rejected(capsys, rl.check_dead_units, WRONG_DEAD[hint], re.escape(hint))


def test_the_mistakes_are_told_apart_by_the_cases_not_by_luck():
    """Each mistake's hint is reached because a case separates it from the right answer."""
    from relu_lib.exercises import nb06

    right = nb06._answers(nb06._dead)
    for mistake, hint in nb06._DEAD_MISTAKES:
        assert not all(map(nb06._same, nb06._answers(mistake), right)), hint


def as_tensors(*arrays):
    return [torch.as_tensor(a) for a in arrays]


RIGHT_DEAD = {
    "numpy": dead_units,
    "torch": lambda w1, b1, w2, b2, x: (
        lambda w1, b1, w2, b2, x: (torch.relu(x @ w1.T + b1) @ w2.T + b2 <= 0).all(dim=0)
    )(*as_tensors(w1, b1, w2, b2, x)),
    "a list": lambda w1, b1, w2, b2, x: [
        bool((np.maximum(x @ w1.T + b1, 0) @ w2[j] + b2[j] <= 0).all()) for j in range(len(w2))
    ],
    "relu then == 0": lambda w1, b1, w2, b2, x: (np.maximum(z2(w1, b1, w2, b2, x), 0) == 0).all(0),
    "max <= 0": lambda w1, b1, w2, b2, x: z2(w1, b1, w2, b2, x).max(axis=0) <= 0,
    "float32": lambda w1, b1, w2, b2, x: dead_units(
        *(a.astype(np.float32) for a in (w1, b1, w2, b2, x))
    ),
    "rl.relu": lambda w1, b1, w2, b2, x: (rl.relu(x @ w1.T + b1) @ w2.T + b2 <= 0).all(axis=0),
}


@pytest.mark.parametrize("kind", RIGHT_DEAD)
def test_check_dead_units_accepts_the_answer_and_flags_stubs(kind, capsys):
    assert feedback(capsys, rl.check_dead_units, RIGHT_DEAD[kind]).startswith("✓ Correct")
    rl.check_dead_units(RIGHT_DEAD[kind], must_pass=True)
    capsys.readouterr()
    for fn in (stub, not_implemented):
        assert feedback(capsys, rl.check_dead_units, fn).startswith("○ Not attempted yet")
        with pytest.raises(AssertionError, match="Not attempted"):
            rl.check_dead_units(fn, must_pass=True)
    assert "should be a function" in feedback(capsys, rl.check_dead_units, np.zeros(3))


def test_check_dead_units_agrees_with_torch_on_a_real_network():
    """The reference answer is what dead_unit_fraction measures on layer 2 of a real MLP."""
    model = rl.make_mlp([5, 40, 40, 2], seed=3)
    with torch.no_grad():
        model[2].bias[:10] -= 10.0
    x = torch.randn(200, 5, generator=torch.Generator().manual_seed(0))
    w1, b1, w2, b2 = [p.detach().double().numpy() for p in list(model.parameters())[:4]]
    ours = dead_units(w1, b1, w2, b2, x.double().numpy())
    assert ours.mean() == pytest.approx(rl.dead_unit_fraction(model, x)[1])
    assert ours[:10].all()


# --- exercise 2: born dead at width 1 -------------------------------------------------------


@pytest.mark.parametrize(
    "value, hint",
    [
        (1 - 2.0**-5, "the first layer is different"),
        (1 - 2.0**-3, "count the layers again"),
        (2.0**-4, "probability that the net is alive"),
        (2.0**-5, "one layer too many"),
        (0.5, "survives only if every later"),
        (1.0, "not certain at depth 5"),
        (1, "not certain at depth 5"),
        (0.8, "Which layers"),
        (0.93, "Which layers"),
        (0.9, "at least two decimals"),
        (93.75, "looks like a percentage"),
        (94, "looks like a percentage"),
        (12345, "between 0 and 1"),
        (-0.9375, "between 0 and 1"),
        (float("nan"), "Which layers"),
        (torch.tensor([0.5, 0.5]), "should be a number; got Tensor"),
        ([0.9, 0.0375], "should be a number; got list"),
        ("0.9375", "should be a number; got str"),
        (True, "should be a number; got bool"),
        (10**400, "beyond the range of float64"),
    ],
)
def test_check_born_dead_width_one_rejects_wrong_answers(value, hint, capsys):
    rejected(capsys, rl.check_born_dead_width_one, value, re.escape(hint))


@pytest.mark.parametrize(
    "value",
    [
        15 / 16,
        1 - 0.5**4,
        0.94,
        0.937,
        0.938,
        np.float32(1 - 0.5**4),
        np.float64(0.9375),
        torch.tensor(0.9375),
        torch.tensor([0.9375], requires_grad=True),
        np.array([0.9375], dtype=np.float32),
        [0.9375],
        Fraction(15, 16),
        Decimal("0.9375"),
    ],
    ids=repr,
)
def test_check_born_dead_width_one_accepts_every_form_of_the_answer(value, capsys):
    assert feedback(capsys, rl.check_born_dead_width_one, value).startswith("✓ Correct")
    rl.check_born_dead_width_one(value, must_pass=True)


def test_check_born_dead_width_one_flags_the_stub(capsys):
    assert feedback(capsys, rl.check_born_dead_width_one, ...).startswith("○ Not attempted yet")


def test_the_width_one_answer_matches_a_simulation():
    """1 - 2^-(L-1), by Monte Carlo, bias-free, inputs on both sides of 0."""
    gen = np.random.default_rng(0)
    n, depth = 200_000, 5
    weights = gen.normal(size=(n, depth))
    # Input x = +1 and x = -1; the net is dead when both outputs are 0.
    h = np.stack([np.ones(n), -np.ones(n)], axis=1)
    for layer in range(depth):
        h = np.maximum(h * weights[:, layer : layer + 1], 0)
    dead = (h == 0).all(axis=1).mean()
    assert dead == pytest.approx(1 - 2.0**-4, abs=0.003)


# --- exercise 3: the condition number for inputs uniform on [0, 1] --------------------------


def kappa_uniform(n):
    return 1 + 3 * n


def kappa_by_eigenvalues(n, dtype=np.float64):
    h = np.eye(n, dtype=dtype) / 12 + np.full((n, n), 0.25, dtype=dtype)
    eigenvalues = np.linalg.eigvalsh(h)
    return eigenvalues[-1] / eigenvalues[0]


RIGHT_KAPPA = {
    "closed form, an int": kappa_uniform,
    "fractions": lambda n: (Fraction(1, 12) + Fraction(n, 4)) / Fraction(1, 12),
    "eigenvalues, float64": kappa_by_eigenvalues,
    "eigenvalues, float32": lambda n: kappa_by_eigenvalues(n, np.float32),
    "torch, one-element tensor": lambda n: 1 + 3 * torch.tensor([float(n)]),
    "torch eigenvalues, float32": lambda n: (lambda e: e[-1] / e[0])(
        torch.linalg.eigvalsh(torch.eye(n) / 12 + torch.full((n, n), 0.25))
    ),
    "a one-element list": lambda n: [1 + 3.0 * n],
}


@pytest.mark.parametrize("kind", RIGHT_KAPPA)
def test_check_kappa_uniform_accepts_every_natural_solution(kind, capsys):
    assert feedback(capsys, rl.check_kappa_uniform, RIGHT_KAPPA[kind]).startswith("✓ Correct")
    rl.check_kappa_uniform(RIGHT_KAPPA[kind], must_pass=True)


def test_check_kappa_uniform_flags_stubs(capsys):
    for fn in (stub, not_implemented):
        assert feedback(capsys, rl.check_kappa_uniform, fn).startswith("○ Not attempted yet")
        with pytest.raises(AssertionError, match="Not attempted"):
            rl.check_kappa_uniform(fn, must_pass=True)


def sample_estimate(n):
    x = np.random.default_rng(n).uniform(0, 1, size=(2000, n))
    eigenvalues = np.linalg.eigvalsh(x.T @ x / len(x))
    return eigenvalues[-1] / eigenvalues[0]


WRONG_KAPPA = {
    "condition number for centred inputs": lambda n: 1,
    "not the one coordinate's": lambda n: 4.0,
    "the variance is there too": lambda n: 3 * n,
    "1/3 is E[x^2]": lambda n: 1 + n * (1 / 4) / (1 / 3),
    "not n/2": lambda n: 1 + n * (1 / 2) / (1 / 12),
    "not standard deviations": lambda n: 1 + n * (1 / 4) / (1 / 12) ** 0.5,
    "not of their square roots": lambda n: math.sqrt(1 + 3 * n),
    "that is lambda_min / lambda_max": lambda n: 1 / (1 + 3 * n),
    "formula for ReLU outputs": lambda n: 1 + n * (1 / (2 * math.pi)) / (0.5 - 1 / (2 * math.pi)),
    "is it a sample estimate": sample_estimate,
    "a finite number >= 1": lambda n: float("inf"),
    "kappa_uniform(2) = inf": lambda n: 10**400,
    "follow section 4's argument": lambda n: 2 * n + 5,
    "returned a list of 2 elements": lambda n: [n, 1],
    "returned a ndarray of 64 elements": lambda n: np.full(n, 1 / 12) if n == 64 else 1 + 3 * n,
    "returned a str": lambda n: "193",
    "returned a NoneType": lambda n: None if n > 2 else 7,
    "raised ZeroDivisionError": lambda n: 1 / 0,
    "raised TypeError": lambda: 7,
}


@pytest.mark.parametrize("hint", WRONG_KAPPA)
def test_check_kappa_uniform_rejects_wrong_answers_with_their_hint(hint, capsys):
    rejected(capsys, rl.check_kappa_uniform, WRONG_KAPPA[hint], re.escape(hint))


def test_check_kappa_uniform_refuses_a_number_for_a_function(capsys):
    assert "should be a function" in feedback(capsys, rl.check_kappa_uniform, 7)


def test_the_exact_kappa_is_what_large_samples_converge_to():
    """1 + 3n is the condition number of E[x x^T] for x uniform on [0, 1]^n."""
    x = np.random.default_rng(0).uniform(0, 1, size=(400_000, 8))
    eigenvalues = np.linalg.eigvalsh(x.T @ x / len(x))
    assert eigenvalues[-1] / eigenvalues[0] == pytest.approx(kappa_uniform(8), rel=0.02)


def test_a_2000_sample_estimate_of_kappa_scatters_by_a_few_tenths_around_7():
    """What the checker's success message says about section 4's measurement."""
    gen = np.random.default_rng(0)
    estimates = []
    for _ in range(300):
        x = gen.uniform(0, 1, size=(2000, 2))
        eigenvalues = np.linalg.eigvalsh(x.T @ x / len(x))
        estimates.append(eigenvalues[-1] / eigenvalues[0])
    assert np.mean(estimates) == pytest.approx(kappa_uniform(2), abs=0.1)
    assert 0.1 < np.std(estimates) < 0.5


def test_call_learner_turns_an_error_into_one_short_line_and_a_stub_into_nothing():
    from relu_lib.exercises.core import call_learner

    assert call_learner(lambda a, b: a + b, "add(1, 2)", 1, 2) == (3, None)

    def stub(x):
        raise NotImplementedError

    assert call_learner(stub, "stub(1)", 1) == (None, None)

    def long_error(x):
        raise ValueError("x" * 500 + "\nsecond line")

    got, feedback = call_learner(long_error, "f(1)", 1)
    assert got is None and feedback.startswith("f(1) raised ValueError: xxx")
    assert "second line" not in feedback and feedback.endswith("....") and "\n" not in feedback
