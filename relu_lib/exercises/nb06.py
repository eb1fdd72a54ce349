"""Checkers for notebook 06, "ReLU's disadvantages"."""

import decimal
import fractions

import numpy as np

from .core import NOT_ATTEMPTED, call_learner, check_number, is_stub, scalar_answer, verdict

__all__ = ["check_dead_units", "check_born_dead_width_one", "check_kappa_uniform"]


def _plain_number(value):
    """The number a natural hand computation gives, as a Python number: a one-element tensor,
    array or list, a NumPy scalar, a Fraction or a Decimal; anything else unchanged."""
    if isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    value = scalar_answer(value)
    if isinstance(value, fractions.Fraction | decimal.Decimal):
        return float(value)
    return value


# --- exercise 1: which units of layer 2 are dead on a data set -------------------------------

# The inputs of every case: 3 rows, 2 features. Layer 1 of cases 0-2: z1 = (1, -2, -1) and
# (0, 1, 1), so its outputs h = relu(z1) are (1, 0, 0) and (0, 1, 1).
_ROWS = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
_W1, _B1 = np.array([[1.0, -2.0], [0.0, 1.0]]), np.array([0.0, 0.0])
_DEAD_CASES = [
    # z2 = -h0 = (-1, 0, 0): dead, but alive without the ReLU (-z1 = (-1, 2, 1)); z2 = h1 - 0.5 =
    # (-0.5, 0.5, 0.5): alive despite a negative bias.
    (_W1, _B1, np.array([[-1.0, 0.0], [0.0, 1.0]]), np.array([0.0, -0.5])),
    # z2 = (1.5, -2.5, -2.5): silent on two rows, mean < 0, yet alive.
    (_W1, _B1, np.array([[1.0, -3.0]]), np.array([0.5])),
    # z2 = (0, 0, 0): the largest z is exactly 0, dead.
    (_W1, _B1, np.array([[1.0, 1.0]]), np.array([-1.0])),
    # Three units in each layer (x @ w1 without .T fails): h2 = (0, 0, 0.5);
    # z2 = (1, 0, 0) alive, (-0.5, -0.5, 0) dead, (-1, -1, -1) dead.
    (
        np.array([[1.0, -2.0], [0.0, 1.0], [1.0, 1.0]]),
        np.array([0.0, 0.0, -1.5]),
        np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [-1.0, -1.0, 0.0]]),
        np.array([0.0, -0.5, 0.0]),
    ),
]


def _z2(w1, b1, w2, b2, x):
    return np.maximum(x @ w1.T + b1, 0) @ w2.T + b2


def _dead(w1, b1, w2, b2, x):
    return (_z2(w1, b1, w2, b2, x) <= 0).all(axis=0)


# The classic mistakes, each with the hint that names it. A learner's function whose answers
# agree with one of these on every case (failures included) gets that hint.
_DEAD_MISTAKES = [
    (
        lambda w1, b1, w2, b2, x: ((x @ w1.T + b1) @ w2.T + b2 <= 0).all(axis=0),
        "layer 2 receives relu(z1), not z1: apply the ReLU between the layers. Its inputs are "
        "all >= 0, which is why units die more easily there.",
    ),
    (
        lambda w1, b1, w2, b2, x: b2 <= 0,
        "the sign of the bias alone does not decide: a negative bias can be outweighed by w.h, "
        "and a positive one can be outweighed the other way. Compute z2 for every row.",
    ),
    (
        lambda w1, b1, w2, b2, x: (_z2(w1, b1, w2, b2, x) <= 0).any(axis=0),
        "a unit that fires on at least one row is alive (it is merely sparse); dead means "
        "z2 <= 0 on every row: reduce with .all over the rows, not .any.",
    ),
    (
        lambda w1, b1, w2, b2, x: _z2(w1, b1, w2, b2, x).mean(axis=0) <= 0,
        "a negative mean pre-activation does not make a unit dead: it may still fire on one row. "
        "Dead means z2 <= 0 on every row.",
    ),
    (
        lambda w1, b1, w2, b2, x: (_z2(w1, b1, w2, b2, x) < 0).all(axis=0),
        "z = 0 counts as silent: relu(0) = 0, and PyTorch's derivative of ReLU at 0 is 0, so "
        "no gradient flows there either. Use z2 <= 0, not z2 < 0.",
    ),
    (
        lambda w1, b1, w2, b2, x: (x @ w2.T + b2 <= 0).all(axis=0),
        "layer 2's input is layer 1's output h = relu(x @ w1.T + b1), not x.",
    ),
    (
        lambda w1, b1, w2, b2, x: (x @ w1.T + b1 <= 0).all(axis=0),
        "you judged the units of layer 1; the question asks about layer 2, whose pre-activation "
        "is z2 = relu(x @ w1.T + b1) @ w2.T + b2.",
    ),
    (
        lambda w1, b1, w2, b2, x: (_z2(w1, b1, w2, b2, x) > 0).any(axis=0),
        "you returned True for the units that are alive: dead means z2 <= 0 on every row.",
    ),
]


def _answers(fn):
    """The answers ``fn`` gives on every case, as arrays; None where it fails."""
    outputs = []
    for case in _DEAD_CASES:
        try:
            got = fn(*(a.copy() for a in case), _ROWS.copy())
            if hasattr(got, "detach"):
                got = got.detach().cpu().numpy()
            outputs.append(None if got is None else np.asarray(got))
        except Exception:
            outputs.append(None)
    return outputs


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and np.array_equal(a, b)


def _dead_units_hint(fn):
    """The hint for ``fn``: that of the classic mistake which gives the same answers on every
    case, else a general one."""
    answers = _answers(fn)
    for mistake, hint in _DEAD_MISTAKES:
        if all(_same(m, a) for m, a in zip(_answers(mistake), answers, strict=True)):
            return hint
    return (
        "compute h = relu(x @ w1.T + b1), then z2 = h @ w2.T + b2 (shape rows x units); a unit "
        "of layer 2 is dead when z2 <= 0 on every row."
    )


def _shape_hint(fn, shape, w1, w2, rows):
    if shape == (rows, len(w2)):
        return "you returned one answer per row and unit: reduce over the rows with .all(axis=0)."
    hint = _dead_units_hint(fn)
    if hint in dict(_DEAD_MISTAKES).values():
        return hint
    if shape == ():
        return (
            "you returned a single value: reduce over the rows only (axis 0), one answer per unit."
        )
    if shape == (rows,):
        return "you reduced over the units: reduce over the rows (axis 0 of z2)."
    return "one answer per unit of layer 2: reduce z2 (shape rows x units) over the rows."


def check_dead_units(fn, must_pass=False):
    """Notebook 06, exercise 1: ``dead_units(w1, b1, w2, b2, x)`` for a two-layer ReLU network, a
    boolean array with one entry per unit of layer 2, True where its pre-activation
    ``relu(x @ w1.T + b1) @ w2.T + b2`` is <= 0 on every row of ``x``."""
    if not callable(fn):
        return verdict(
            False, f"dead_units should be a function; got {type(fn).__name__}.", must_pass
        )
    for case, (w1, b1, w2, b2) in enumerate(_DEAD_CASES):
        expected = _dead(w1, b1, w2, b2, _ROWS)
        got, error = call_learner(
            fn, "dead_units(w1, b1, w2, b2, x)", *(a.copy() for a in (w1, b1, w2, b2, _ROWS))
        )
        if error:
            return verdict(
                False,
                f"{error} Hint: w1 has one row per unit of layer 1 and w2 one per unit of layer "
                "2: z2 = relu(x @ w1.T + b1) @ w2.T + b2, shape (rows, units).",
                must_pass,
            )
        if is_stub(got) and case == 0:
            return verdict(
                NOT_ATTEMPTED, "fill in dead_units above, then run this cell again.", must_pass
            )
        described = (
            f"w1 = {w1.tolist()}, b1 = {b1.tolist()}, w2 = {w2.tolist()}, b2 = {b2.tolist()}"
        )
        raw = got
        try:
            if hasattr(raw, "detach"):  # a torch tensor, wherever it lives
                raw = raw.detach().cpu().numpy()
            got = np.asarray(raw)
        except Exception:  # a ragged list, or something NumPy cannot read
            got = np.asarray(None)
        if raw is None:
            return verdict(
                False,
                f"dead_units returned None for {described}. Hint: does every path through your "
                "function end with a return?",
                must_pass,
            )
        if got.dtype == object:
            return verdict(
                False,
                f"dead_units returned a {type(raw).__name__} that is not an array of booleans. "
                "Hint: return the comparison z2 <= 0, reduced over the rows.",
                must_pass,
            )
        if got.shape != expected.shape:
            return verdict(
                False,
                f"dead_units returned shape {got.shape} for {len(w2)} units in layer 2 and "
                f"{len(_ROWS)} rows. Hint: {_shape_hint(fn, got.shape, w1, w2, len(_ROWS))}",
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
                f"for {described} on x = {_ROWS.tolist()} you returned {got.tolist()}, expected "
                f"{expected.tolist()}. Hint: {_dead_units_hint(fn)}",
                must_pass,
            )
    return verdict(
        True,
        "a unit of layer 2 is dead on a data set when z2 = w2.relu(z1) + b2 <= 0 on every row; its "
        "inputs are all >= 0, so weights and bias all <= 0 are enough to kill it on any data.",
        must_pass,
    )


# --- exercise 2: born dead at width 1 ---------------------------------------------------------

P_BORN_DEAD_WIDTH_ONE = 1 - 2.0**-4  # depth 5: the 4 units after the first must all pass


def check_born_dead_width_one(value, must_pass=False):
    """Notebook 06, exercise 2: the probability that a bias-free ReLU net of width 1 and depth 5
    (He or any symmetric initialisation) is born dead: 1 - 2^-(5-1) = 15/16.

    Accepted within 0.005, so 0.94, a simulation's 0.937 and float32 all pass, while the nearest
    classic confusion, 1 - 2^-5 = 0.969, does not."""
    value = _plain_number(value)
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        if 1 < value <= 100 and abs(value / 100 - P_BORN_DEAD_WIDTH_ONE) <= 0.005:
            return verdict(
                False,
                f"p_dead = {value!r} looks like a percentage. Hint: give a probability, between "
                "0 and 1.",
                must_pass,
            )
        if value == 0.9:
            return verdict(
                False,
                "p_dead = 0.9 is too coarse to tell the right reasoning from a wrong one. Hint: "
                "give at least two decimals.",
                must_pass,
            )
    hint = (
        "a width-1 net is dead as soon as one unit is silent on every input. Which layers can "
        "be, and with what probability does each stay alive?"
    )
    if isinstance(value, int | float | np.integer | np.floating) and not 0 <= value <= 1:
        hint = "a probability lies between 0 and 1. A" + hint[1:]
    return check_number(
        value,
        "p_dead",
        P_BORN_DEAD_WIDTH_ONE,
        "1 - (1/2)^4 = 0.9375: the first unit always fires on half of the inputs (x or -x "
        "makes w.x positive); each of the 4 later units sees an input >= 0 and passes it only "
        "if its weight is positive, with probability 1/2.",
        must_pass,
        rtol=0.0,
        atol=0.005,
        wrong=[
            (
                1 - 2.0**-5,
                "the first layer is different: its inputs take both signs, so whatever the "
                "sign of its weight it fires on half of them. Only the 4 later layers can die.",
            ),
            (
                1 - 2.0**-3,
                "count the layers again: of the 5 units, every one after the first can die, "
                "that is 4 of them.",
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
        hint=hint,
    )


# --- exercise 3: the condition number for inputs uniform on [0, 1] ----------------------------

_FAN_INS = (2, 3, 8, 64)  # with n = 1, H is a number and kappa = 1


def _kappa_uniform(n):
    # H = E[x x^T] = I/12 + mu mu^T with mu = (1/2, ..., 1/2): eigenvalues 1/12 (n - 1 times,
    # across mu) and 1/12 + n/4 (along mu).
    return 1 + 3 * n


# The classic mistakes, as functions of the fan-in n, each with the hint that names it.
_KAPPA_MISTAKES = [
    (
        lambda n: 1.0,
        "that is the condition number for centred inputs. The mean mu = (1/2, ..., 1/2) adds "
        "mu mu^T to H: what does it do to the largest eigenvalue?",
    ),
    (
        lambda n: 4.0,
        "kappa grows with n: mu mu^T has the eigenvalue |mu|^2 = n/4 along (1, ..., 1), not "
        "the one coordinate's mu^2 = 1/4.",
    ),
    (
        lambda n: 3.0 * n,
        "along mu the eigenvalue is sigma^2 + |mu|^2, not |mu|^2 alone: the variance is there too.",
    ),
    (
        lambda n: 1 + 0.75 * n,
        "the variance of U(0, 1) is 1/12; 1/3 is E[x^2], which already contains the mean.",
    ),
    (
        lambda n: 1 + 6 * n,
        "mu mu^T has the eigenvalue |mu|^2 = n (1/2)^2 = n/4, not n/2.",
    ),
    (
        lambda n: 1 + n * 0.25 / (1 / 12) ** 0.5,
        "kappa is a ratio of eigenvalues of H, which hold variances (1/12), not standard "
        "deviations.",
    ),
    (
        lambda n: (1 + 3 * n) ** 0.5,
        "kappa = lambda_max / lambda_min, the ratio of the eigenvalues themselves, not of their "
        "square roots.",
    ),
    (
        lambda n: 1 / (1 + 3 * n),
        "that is lambda_min / lambda_max; kappa = lambda_max / lambda_min >= 1.",
    ),
    (
        lambda n: 1 + n * (1 / (2 * np.pi)) / (0.5 - 1 / (2 * np.pi)),
        "that is the formula for ReLU outputs of a standard normal. For U(0, 1) the mean is 1/2 "
        "and the variance 1/12.",
    ),
]


def _is_real(value):
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def check_kappa_uniform(fn, must_pass=False):
    """Notebook 06, exercise 3: ``kappa_uniform(n)``, the condition number of H = E[x x^T] for
    n >= 2 independent inputs uniform on [0, 1]: (1/12 + n/4) / (1/12) = 1 + 3n.

    Accepted within a relative 1e-3 (float32 eigenvalues at n = 64 are within 1e-5); every
    classic confusion is off by more than 10% at some n."""
    if not callable(fn):
        return verdict(
            False, f"kappa_uniform should be a function; got {type(fn).__name__}.", must_pass
        )
    answers = []
    for n in _FAN_INS:
        got, error = call_learner(fn, f"kappa_uniform({n})", n)
        if error:
            return verdict(
                False,
                f"{error} Hint: n is a Python int; return one number.",
                must_pass,
            )
        if is_stub(got) and n == _FAN_INS[0]:
            return verdict(
                NOT_ATTEMPTED, "fill in kappa_uniform above, then run this cell again.", must_pass
            )
        got = _plain_number(got)
        if not _is_real(got):
            return verdict(
                False,
                f"kappa_uniform({n}) returned a {type(got).__name__}"
                + (f" of {np.size(got)} elements" if np.ndim(got) else "")
                + ". Hint: return one number, lambda_max / lambda_min of H.",
                must_pass,
            )
        try:
            answers.append(float(got))
        except OverflowError:  # an int beyond float64's range
            answers.append(float("inf"))
    expected = np.array([_kappa_uniform(n) for n in _FAN_INS], dtype=float)
    answers = np.array(answers)
    if np.allclose(answers, expected, rtol=1e-3, atol=0):
        return verdict(
            True,
            "kappa = (1/12 + n/4) / (1/12) = 1 + 3n: 7 for two inputs. The value measured in "
            "section 4 is a 2,000-sample estimate, which scatters by a few tenths around 7.",
            must_pass,
        )
    for mistake, hint in _KAPPA_MISTAKES:
        if np.allclose(answers, [mistake(n) for n in _FAN_INS], rtol=1e-3, atol=0):
            return verdict(
                False,
                f"kappa_uniform({_FAN_INS[0]}) = {answers[0]:.4g} is not it. Hint: {hint}",
                must_pass,
            )
    wrong = int(np.argmax(~np.isclose(answers, expected, rtol=1e-3, atol=0)))
    n, got = _FAN_INS[wrong], answers[wrong]
    if np.all(np.abs(answers[:2] / expected[:2] - 1) < 0.15):  # n = 2 and 3
        hint = (
            "close, but not exact: is it a sample estimate? A finite sample's covariance "
            "scatters around the true one, and its smallest eigenvalue runs low at large n (the "
            "optional part of section 4); derive kappa from the mean and variance of U(0, 1)."
        )
    elif not np.all(np.isfinite(answers)) or np.any(answers < 1):
        hint = "kappa = lambda_max / lambda_min is a finite number >= 1."
    else:
        hint = (
            "follow section 4's argument for this distribution: H = Sigma + mu mu^T, with the "
            "mean and the variance of U(0, 1); which eigenvalues does H have?"
        )
    return verdict(False, f"kappa_uniform({n}) = {got:.4g} is not it. Hint: {hint}", must_pass)
