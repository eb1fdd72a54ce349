"""Checkers for notebook 06, "ReLU's disadvantages"."""

import numpy as np

from .core import NOT_ATTEMPTED, check_number, is_stub, verdict

__all__ = ["check_dead_units", "check_born_dead_width_one", "check_gradient_signs"]


def _call(fn, name, args):
    """``fn(*args)`` on copies; returns ``(result, None)`` or ``(None, feedback for an error)``."""
    try:
        return fn(*(a.copy() for a in args)), None
    except NotImplementedError:
        return None, None
    except Exception as err:  # a learner's bug: report it as feedback, not a traceback
        return None, f"{name}(...) raised {type(err).__name__}: {err}."


# Inputs of the dead-unit cases: 3 rows, 2 features. Each case isolates one common mistake.
_ROWS = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
_DEAD_CASES = [
    (
        # z = (0.5, 0.5, 1.5): alive despite a negative bias; z = (-0.5, -0.5, -1.5): dead
        # despite a positive bias.
        np.array([[1.0, 1.0], [-1.0, -1.0]]),
        np.array([-0.5, 0.5]),
        np.array([False, True]),
        "the sign of the bias alone does not decide: a negative bias can be outweighed by w.x, "
        "and a positive one can be outweighed the other way. Compute z = x @ w.T + b.",
    ),
    (
        # z = (1.5, -0.5, 0.5): silent on one row only, alive.
        np.array([[1.0, -1.0]]),
        np.array([0.5]),
        np.array([False]),
        "a unit that fires on at least one row is alive (it is merely sparse); dead means "
        "z <= 0 on every row: reduce with .all over the rows, not .any.",
    ),
    (
        # z = (0.5, -2.5, -0.5): mean z < 0, yet it fires on row 0.
        np.array([[2.0, -1.0]]),
        np.array([-1.5]),
        np.array([False]),
        "a negative mean pre-activation does not make a unit dead: it fires on row 0. Dead "
        "means z <= 0 on every row.",
    ),
    (
        # z = (-1, -1, 0): the largest z is exactly 0.
        np.array([[1.0, 1.0]]),
        np.array([-2.0]),
        np.array([True]),
        "z = 0 counts as silent: relu(0) = 0, and PyTorch's derivative of ReLU at 0 is 0, so "
        "no gradient flows there either. Use z <= 0, not z < 0.",
    ),
]


def check_dead_units(fn, must_pass=False):
    """Notebook 06, exercise 1: ``dead_units(w, b, x)``, a boolean array with one entry per unit,
    True where the unit's pre-activation ``x @ w.T + b`` is <= 0 on every row of ``x``."""
    if not callable(fn):
        return verdict(
            False, f"dead_units should be a function; got {type(fn).__name__}.", must_pass
        )
    for w, b, expected, hint in _DEAD_CASES:
        got, error = _call(fn, "dead_units", (w, b, _ROWS))
        if error:
            return verdict(False, f"{error} Hint: {hint}", must_pass)
        if is_stub(got):
            return verdict(
                NOT_ATTEMPTED, "fill in dead_units above, then run this cell again.", must_pass
            )
        got = np.asarray(got)
        if got.shape != expected.shape:
            return verdict(
                False,
                f"dead_units returned shape {got.shape} for {len(w)} units and {len(_ROWS)} rows. "
                "Hint: one answer per unit: reduce over the rows (axis 0 of z = x @ w.T + b).",
                must_pass,
            )
        if got.dtype != bool:
            return verdict(
                False,
                f"dead_units returned dtype {got.dtype}. Hint: return a boolean array "
                "(True = dead), e.g. the result of a comparison reduced with .all.",
                must_pass,
            )
        if not np.array_equal(got, expected):
            return verdict(
                False,
                f"for w = {w.tolist()}, b = {b.tolist()} on x = {_ROWS.tolist()} you returned "
                f"{got.tolist()}, expected {expected.tolist()}. Hint: {hint}",
                must_pass,
            )
    return verdict(
        True,
        "a unit is dead on a data set when z = w.x + b <= 0 for every row; then its output "
        "and every gradient through it are 0.",
        must_pass,
    )


def check_born_dead_width_one(value, must_pass=False):
    """Notebook 06, exercise 2: the probability that a bias-free ReLU net of width 1 and depth 5
    (He or any symmetric initialisation) is born dead: 1 - 2^-(5-1) = 15/16."""
    return check_number(
        value,
        "p_dead",
        1 - 2.0**-4,
        "1 - (1/2)^4 = 0.9375: the first unit always fires on half of the inputs (x or -x "
        "makes w.x positive); each of the 4 later units sees an input >= 0 and passes it only "
        "if its weight is positive, with probability 1/2.",
        must_pass,
        rtol=1e-3,
        wrong=[
            (
                1 - 2.0**-5,
                "the first layer is different: its inputs take both signs, so whatever the "
                "sign of its weight it fires on half of them. Only the 4 later layers can die.",
            ),
            (
                2.0**-4,
                "that is the probability that the net is alive (all 4 later weights positive). "
                "The question asks for born dead.",
            ),
            (
                2.0**-5,
                "that is close to the probability of being alive, with one layer too many. "
                "The question asks for born dead.",
            ),
            (
                0.5,
                "one layer dies with probability 1/2, but the net survives only if every later "
                "layer does.",
            ),
            (
                1.0,
                "not certain at depth 5: with probability (1/2)^4 every weight after the first "
                "is positive, and the net passes its input through.",
            ),
        ],
        hint="a width-1 net is dead as soon as one unit is silent on every input. Which layers "
        "can be, and with what probability does each stay alive?",
    )


# Cases for the gradient-sign exercise: (delta, a). The inputs a are ReLU outputs (>= 0).
_SIGN_CASES = [
    (np.array([0.7, -0.2]), np.array([1.5, 0.3, 2.0])),
    (np.array([-0.4, 0.0, 0.9]), np.array([0.0, 1.2, 0.0, 0.5])),
]


def check_gradient_signs(fn, must_pass=False):
    """Notebook 06, exercise 3: ``gradient_signs(delta, a)``, the signs (-1, 0, 1) of
    dL/dW = outer(delta, a) for one sample, shape (len(delta), len(a))."""
    if not callable(fn):
        return verdict(
            False, f"gradient_signs should be a function; got {type(fn).__name__}.", must_pass
        )
    for delta, a in _SIGN_CASES:
        expected = np.sign(np.outer(delta, a))
        got, error = _call(fn, "gradient_signs", (delta, a))
        if error:
            return verdict(
                False, f"{error} Hint: dL/dW[j, i] = delta[j] * a[i], an outer product.", must_pass
            )
        if is_stub(got):
            return verdict(
                NOT_ATTEMPTED, "fill in gradient_signs above, then run this cell again.", must_pass
            )
        got = np.asarray(got)
        if got.shape != expected.shape:
            hint = (
                "you returned the transpose: rows are the units j (delta), columns the inputs i "
                "(a)."
                if got.shape == expected.T.shape
                else "one sign per weight: shape (len(delta), len(a)), an outer product."
            )
            return verdict(
                False, f"gradient_signs returned shape {got.shape}. Hint: {hint}", must_pass
            )
        if not np.issubdtype(got.dtype, np.number) or not np.isin(got, (-1, 0, 1)).all():
            return verdict(
                False,
                "gradient_signs should return only -1, 0 and 1. Hint: np.sign of the gradient.",
                must_pass,
            )
        if np.array_equal(got, expected):
            continue
        ignores_zero_inputs = np.array_equal(got, np.sign(delta)[:, None] * np.ones_like(a))
        hint = (
            "an input a[i] = 0 contributes nothing: delta[j] * 0 = 0, so those entries are 0."
            if ignores_zero_inputs
            else "dL/dW[j, i] = delta[j] * a[i] and a[i] >= 0, so row j has the sign of delta[j] "
            "wherever a[i] > 0, and 0 where a[i] = 0 or delta[j] = 0."
        )
        return verdict(
            False,
            f"for delta = {delta.tolist()}, a = {a.tolist()} you returned {got.tolist()}. "
            f"Hint: {hint}",
            must_pass,
        )
    return verdict(
        True,
        "for one sample every row of dL/dW has the sign of that unit's delta (or is 0): inputs "
        ">= 0 cannot give a unit's weights opposite updates.",
        must_pass,
    )
