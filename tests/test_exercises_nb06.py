"""Notebook 06's checkers: the stub is 'not attempted', common wrong answers get their own
hint, the right answer passes, and must_pass turns anything but a pass into an error."""

import re

import numpy as np
import pytest
from checker_testing import feedback, rejected

import relu_lib as rl


def stub(*args): ...


def not_implemented(*args):
    raise NotImplementedError


# --- exercise 1: dead units -----------------------------------------------------------------


def dead_units(w, b, x):
    return (x @ w.T + b <= 0).all(axis=0)


WRONG_DEAD = {
    "sign of the bias alone": lambda w, b, x: b <= 0,
    "not .any": lambda w, b, x: (x @ w.T + b <= 0).any(axis=0),
    "negative mean pre-activation": lambda w, b, x: (x @ w.T + b).mean(axis=0) <= 0,
    "z <= 0, not z < 0": lambda w, b, x: (x @ w.T + b < 0).all(axis=0),
    "reduce over the rows": lambda w, b, x: (x @ w.T + b <= 0).all(axis=1),
    "boolean array": lambda w, b, x: (x @ w.T + b <= 0).all(axis=0).astype(int),
    "raised ValueError": lambda w, b, x: (x @ w.T[:1] + b <= 0).all(axis=0),
}


@pytest.mark.parametrize("hint", WRONG_DEAD)
def test_check_dead_units_rejects_wrong_answers_with_their_hint(hint, capsys):
    rejected(capsys, rl.check_dead_units, WRONG_DEAD[hint], re.escape(hint))


def test_check_dead_units_accepts_the_answer_and_flags_stubs(capsys):
    assert feedback(capsys, rl.check_dead_units, dead_units).startswith("✓ Correct")
    rl.check_dead_units(dead_units, must_pass=True)
    capsys.readouterr()
    for fn in (stub, not_implemented):
        assert feedback(capsys, rl.check_dead_units, fn).startswith("○ Not attempted yet")
        with pytest.raises(AssertionError, match="Not attempted"):
            rl.check_dead_units(fn, must_pass=True)
    assert "should be a function" in feedback(capsys, rl.check_dead_units, np.zeros(3))


def test_check_dead_units_agrees_with_torch_on_a_real_layer():
    """The reference answer is what dead_unit_fraction measures on a one-layer net."""
    import torch

    model = rl.make_mlp([5, 40, 2], seed=3)
    with torch.no_grad():
        model[0].bias[:10] -= 10.0
    x = torch.randn(200, 5, generator=torch.Generator().manual_seed(0))
    w, b = model[0].weight.detach().numpy(), model[0].bias.detach().numpy()
    ours = dead_units(w.astype(np.float64), b.astype(np.float64), x.numpy().astype(np.float64))
    assert ours.mean() == pytest.approx(rl.dead_unit_fraction(model, x)[0])
    assert ours[:10].all()


# --- exercise 2: born dead at width 1 -------------------------------------------------------


@pytest.mark.parametrize(
    "value, hint",
    [
        (1 - 2.0**-5, "the first layer is different"),
        (2.0**-4, "probability that the net is alive"),
        (0.5, "survives only if every later"),
        (1.0, "not certain at depth 5"),
        (0.8, "Which layers"),
    ],
)
def test_check_born_dead_width_one_rejects_wrong_answers(value, hint, capsys):
    rejected(capsys, rl.check_born_dead_width_one, value, re.escape(hint))


def test_check_born_dead_width_one_accepts_the_answer_and_flags_the_stub(capsys):
    assert feedback(capsys, rl.check_born_dead_width_one, 15 / 16).startswith("✓ Correct")
    rl.check_born_dead_width_one(1 - 0.5**4, must_pass=True)
    capsys.readouterr()
    assert feedback(capsys, rl.check_born_dead_width_one, ...).startswith("○ Not attempted yet")
    assert "should be a number" in feedback(capsys, rl.check_born_dead_width_one, "0.9375")


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


# --- exercise 3: the signs of a one-sample gradient -----------------------------------------


def gradient_signs(delta, a):
    return np.sign(np.outer(delta, a))


WRONG_SIGNS = {
    "transpose": lambda delta, a: np.sign(np.outer(a, delta)),
    "np.sign of the gradient": lambda delta, a: np.outer(delta, a),
    "contributes nothing": lambda delta, a: np.sign(delta)[:, None] * np.ones_like(a),
    "row j has the sign of delta": lambda delta, a: (
        np.sign(a)[None, :] * np.ones_like(delta)[:, None]
    ),
    "outer product": lambda delta, a: np.sign(delta * a.sum()),
    "raised ValueError": lambda delta, a: np.sign(delta[:, None] * a[:, None]),
}


@pytest.mark.parametrize("hint", WRONG_SIGNS)
def test_check_gradient_signs_rejects_wrong_answers_with_their_hint(hint, capsys):
    rejected(capsys, rl.check_gradient_signs, WRONG_SIGNS[hint], re.escape(hint))


def test_check_gradient_signs_accepts_right_answers_and_flags_stubs(capsys):
    for right in (gradient_signs, lambda d, a: np.sign(d)[:, None] * (a > 0)):
        assert feedback(capsys, rl.check_gradient_signs, right).startswith("✓ Correct")
        rl.check_gradient_signs(right, must_pass=True)
        capsys.readouterr()
    for fn in (stub, not_implemented):
        assert feedback(capsys, rl.check_gradient_signs, fn).startswith("○ Not attempted yet")
        with pytest.raises(AssertionError, match="Not attempted"):
            rl.check_gradient_signs(fn, must_pass=True)


def test_the_sign_rule_is_what_autograd_computes():
    import torch

    a = torch.relu(torch.randn(6, generator=torch.Generator().manual_seed(1)))
    w = torch.randn(4, 6, requires_grad=True, generator=torch.Generator().manual_seed(2))
    target = torch.randn(4, generator=torch.Generator().manual_seed(3))
    z = w @ a
    loss = ((z - target) ** 2).sum()
    (grad,) = torch.autograd.grad(loss, [w])
    delta = 2 * (z - target).detach()
    assert np.array_equal(np.sign(grad.numpy()), gradient_signs(delta.numpy(), a.numpy()))
