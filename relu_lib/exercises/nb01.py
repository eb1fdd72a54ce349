"""Checkers for notebook 01, "What is ReLU?"."""

import builtins
import dis
import math
from collections.abc import Set

import numpy as np
import torch

from .core import NOT_ATTEMPTED, call_learner, is_stub, numeric_answer, scalar_answer, verdict

__all__ = ["check_nan_inf_prediction", "check_full_wave", "check_abs_formula_breaks_at"]


# --- exercise 1: predict which formulas break on NaN or ±inf ----------------------------------

FIVE_FORMULAS = (
    "np.maximum(x, 0)",
    "np.clip(x, 0, None)",
    "np.where(x > 0, x, 0)",
    "x * (x > 0)",
    "(x + abs(x)) / 2",
)
BREAK_ON_NAN_OR_INF = {"np.where(x > 0, x, 0)", "x * (x > 0)", "(x + abs(x)) / 2"}
LEFT_OUT = {
    "np.where(x > 0, x, 0)": "You left out np.where(x > 0, x, 0): what is NaN > 0, and which "
    "branch does NaN then take?",
    "x * (x > 0)": "You left out x * (x > 0): what is -inf * 0?",
    "(x + abs(x)) / 2": "You left out (x + abs(x)) / 2: what is -inf + abs(-inf)?",
}
WRONGLY_IN = {
    "np.maximum(x, 0)": "np.maximum(x, 0) keeps NaN (NumPy's maximum propagates NaN; np.fmax "
    "is the one that drops it) and gives maximum(-inf, 0) = 0, as torch.relu does.",
    "np.clip(x, 0, None)": "np.clip(x, 0, None) leaves NaN as NaN and raises -inf to 0, as "
    "torch.relu does.",
}


def _formula_key(name):
    """A formula's name without spaces, ``np.abs`` read as ``abs``, so that "x*(x>0)" and
    "(x + np.abs(x)) / 2" name the formulas they mean."""
    return name.replace(" ", "").replace("np.abs(", "abs(")


_BY_KEY = {_formula_key(name): name for name in FIVE_FORMULAS}


def check_nan_inf_prediction(names, must_pass=False):
    """Notebook 01, exercise 1 (a prediction, posed before the edge-case table): the set of the
    five formulas that give something other than ``torch.relu`` on NaN, +inf or -inf."""
    if is_stub(names):
        return verdict(
            NOT_ATTEMPTED,
            "set `breaks_on_nan_or_inf` to your prediction, then run this cell again.",
            must_pass,
        )
    if isinstance(names, str) or not isinstance(names, Set | list | tuple):  # Set: dict keys too
        return verdict(
            False,
            f"breaks_on_nan_or_inf should be a set of formula names, such as "
            f'{{"np.maximum(x, 0)"}} or set() for none; got {type(names).__name__}.',
            must_pass,
        )
    chosen = set()
    for name in names:
        if not isinstance(name, str) or _formula_key(name) not in _BY_KEY:
            shown = repr(name) if len(repr(name)) <= 40 else repr(name)[:37] + "..."
            return verdict(
                False,
                f"{shown} is not one of the five formulas. Hint: copy their names from the table "
                'above, as strings, e.g. "np.clip(x, 0, None)".',
                must_pass,
            )
        chosen.add(_BY_KEY[_formula_key(name)])
    if chosen == BREAK_ON_NAN_OR_INF:
        return verdict(
            True,
            "np.where(x > 0, x, 0) turns NaN into 0; x * (x > 0) and (x + abs(x)) / 2 turn -inf "
            "into NaN; np.maximum and np.clip get all three right. Run on: the edge-case table "
            "below measures it.",
            must_pass,
        )
    mistakes = [LEFT_OUT[name] for name in FIVE_FORMULAS if name in BREAK_ON_NAN_OR_INF - chosen]
    mistakes += [WRONGLY_IN[name] for name in FIVE_FORMULAS if name in chosen - BREAK_ON_NAN_OR_INF]
    return verdict(
        False,
        "your prediction is not it. Hint: "
        + " ".join(mistakes)
        + " Run on and compare with the edge-case table below.",
        must_pass,
    )


# --- exercise 2: a full-wave rectifier from ReLUs ----------------------------------------------


def _full_wave_mistakes(x, got):
    """What is wrong with the learner's full-wave rectifier, named by what its output is on the
    negative and on the positive half of x."""

    def near(values, part):
        return np.allclose(got[part], values[part], rtol=0, atol=1e-6)

    def at(point):
        return f"{got[np.argmin(np.abs(x - point))]:.6g}"

    neg, pos = x < 0, x > 0
    if near(x, neg | pos):
        return (
            "your output is x itself: relu(x) - relu(-x) = x. The flipped negative half, "
            "relu(-x), must be added, not subtracted."
        )
    if near(-np.abs(x), neg | pos):
        return "your wave is upside down, -|x|: both halves should come out positive."
    mistakes = []
    if near(np.zeros_like(x), neg):
        mistakes.append(
            "For x < 0 you give 0: that is the half-wave rectifier. A full-wave one flips the "
            "negative half up, to -x, which is what relu(-x) gives there."
        )
    elif near(x, neg):
        mistakes.append(
            "For x < 0 you give x, still negative: the negative half must be flipped up to -x."
        )
    elif not near(-x, neg):
        mistakes.append(f"For x < 0 the full wave is -x; yours gives f(-2) = {at(-2)}.")
    if near(np.zeros_like(x), pos):
        mistakes.append(
            "For x > 0 you give 0: the positive half passes unchanged, as relu(x) does."
        )
    elif near(-x, pos):
        mistakes.append("For x > 0 you give -x: the positive half passes unchanged, as x.")
    elif not near(x, pos):
        mistakes.append(f"For x > 0 the full wave is x; yours gives f(2) = {at(2)}.")
    if not mistakes:  # both halves are right, so what is wrong is x = 0 itself
        mistakes.append(f"At x = 0 the full wave is |0| = 0; yours gives f(0) = {at(0)}.")
    return " ".join(mistakes)


# What a full wave built from ReLUs may do to x besides handing it to rl.relu: scale it, negate
# it, add and subtract. Any other NumPy operation applied to x, or to what is computed from x
# this way (np.abs, abs, np.sign, np.sqrt of x**2, np.maximum(x, -x), the comparison inside
# np.where(x < 0, -x, x), ...), computes |x| itself instead of building it from half waves.
LINEAR_UFUNCS = {"add", "subtract", "negative", "positive", "multiply", "divide", "true_divide"}
COMPARISONS = {"less", "less_equal", "greater", "greater_equal", "equal", "not_equal"}
# Functions that give |x| or the sign of x directly, found in the function's own code when they
# are applied to something other than x's NumPy array (a list, a tensor, np.asarray(x)).
ABS_ATTRIBUTES = {"abs", "absolute", "fabs", "__abs__", "sign", "sgn", "copysign", "norm"}
ABS_FUNCTIONS = (
    builtins.abs,
    np.absolute,
    np.fabs,
    np.sign,
    np.copysign,
    np.linalg.norm,
    math.fabs,
    math.copysign,
    torch.abs,
    torch.absolute,
    torch.sign,
    torch.sgn,
    torch.norm,
    torch.linalg.norm,
)


def _watched(x):
    """``x`` as an array that records the name of every NumPy ufunc applied to it or to an
    array computed from it (``np.abs(x)``, ``abs(x)``, ``x < 0``, ``np.sqrt(x * x)``, ...),
    and the set it records into. rl.relu reads it with ``np.asarray``, so what happens inside
    rl.relu is not recorded."""
    used = set()

    class Watched(np.ndarray):
        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            used.add(ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}")
            plain = [a.view(np.ndarray) if isinstance(a, Watched) else a for a in inputs]
            if "out" in kwargs:
                kwargs["out"] = tuple(
                    a.view(np.ndarray) if isinstance(a, Watched) else a for a in kwargs["out"]
                )
            result = getattr(ufunc, method)(*plain, **kwargs)
            if isinstance(result, tuple):
                return tuple(r.view(Watched) if isinstance(r, np.ndarray) else r for r in result)
            return result.view(Watched) if isinstance(result, np.ndarray) else result

    return x.copy().view(Watched), used


def _abs_in_code(fn):
    """The names in ``fn``'s code (nested lambdas, comprehensions and functions included) that
    give |x| or a sign directly: an attribute such as ``np.abs``, ``x.abs()``, ``torch.sign``,
    or a global such as ``abs`` that is one of those functions."""
    code = getattr(fn, "__code__", None)
    if code is None:  # a builtin or a callable object: nothing to read
        return []
    scope = getattr(fn, "__globals__", {})
    found, todo = [], [code]
    while todo:
        code = todo.pop()
        todo.extend(c for c in code.co_consts if hasattr(c, "co_code"))
        for ins in dis.get_instructions(code):
            name = ins.argval
            if ins.opname in ("LOAD_ATTR", "LOAD_METHOD") and name in ABS_ATTRIBUTES:
                found.append(name)
            elif ins.opname in ("LOAD_GLOBAL", "LOAD_NAME") and isinstance(name, str):
                obj = scope.get(name, getattr(builtins, name, None))
                if any(obj is f for f in ABS_FUNCTIONS):
                    found.append(name)
    return sorted(set(found))


def _ufunc_in_words(name):
    if name in COMPARISONS:
        return "a comparison (x < 0 or the like)"
    return "np.abs" if name == "absolute" else f"np.{name}"


def _shortcut(fn, x):
    """How ``fn`` computes |x| without ReLUs, in words; "" when it builds it from them."""
    watched, used = _watched(x)
    call_learner(fn, "full_wave(x)", watched)
    applied = {_ufunc_in_words(u) for u in used - LINEAR_UFUNCS}
    if applied:
        return f"it applies {', '.join(sorted(applied))} to x"
    named = _abs_in_code(fn)
    if named:
        return "its code calls " + ", ".join(named)
    return ""


def check_full_wave(fn, must_pass=False):
    """Notebook 01, exercise 2: a full-wave rectifier, ``|x|``, built from ReLUs (relu(x) +
    relu(-x)) for a float64 array ``x``; right when its values agree within 1e-6 everywhere and
    it gets them from ReLUs: a function that applies np.abs, np.sign, a comparison or any other
    NumPy operation but +, -, * and / to x (see :func:`_watched`), or calls abs, sign or norm
    in its code, has skipped the construction and is told so."""
    if not callable(fn):
        return verdict(
            False, f"full_wave should be a function; got {type(fn).__name__}.", must_pass
        )
    x = np.linspace(-3.0, 3.0, 61)
    got, error = call_learner(fn, "full_wave(x)", x.copy())
    if error:
        return verdict(
            False,
            f"{error} Hint: x is a NumPy array of float64; rl.relu works on it elementwise.",
            must_pass,
        )
    if is_stub(got):
        return verdict(
            NOT_ATTEMPTED, "fill in full_wave above, then run this cell again.", must_pass
        )
    try:
        returned = np.asarray(got)
    except Exception:  # a ragged list, a tensor that requires grad: feedback, not a traceback
        returned = np.asarray(None)
    if returned.dtype.kind not in "biuf":
        return verdict(
            False,
            f"full_wave should return an array of real numbers; got {type(got).__name__}"
            + (f" of dtype {returned.dtype}." if returned.dtype != object else "."),
            must_pass,
        )
    if returned.shape != x.shape:
        return verdict(
            False,
            f"full_wave should return one value per input: x has shape {x.shape}, the result "
            f"has shape {returned.shape}. Hint: apply rl.relu to the whole array, as in "
            "rl.relu(x).",
            must_pass,
        )
    got = returned.astype(np.float64)
    if np.allclose(got, np.abs(x), rtol=0, atol=1e-6):
        shortcut = _shortcut(fn, x)
        if shortcut:
            return verdict(
                False,
                f"your full_wave gives |x|, but not from rl.relu: {shortcut}. The exercise asks "
                "for |x| built from half-wave rectifiers, rl.relu, with only +, - and constants "
                "besides. Hint: relu(x) keeps the positive half of x; which input makes rl.relu "
                "keep the negative half, flipped up?",
                must_pass,
            )
        return verdict(
            True,
            "relu(x) + relu(-x) = |x|: a full-wave rectifier is two half-wave ones, the second "
            "fed -x. (relu(x) - relu(-x) gives back x itself.)",
            must_pass,
        )
    return verdict(False, "not a full wave yet. Hint: " + _full_wave_mistakes(x, got), must_pass)


# --- exercise 3: a finite number where (x + |x|) / 2 breaks -------------------------------------


def check_abs_formula_breaks_at(value, must_pass=False):
    """Notebook 01, exercise 3: a *finite* float64 input where (x + |x|) / 2 and ReLU differ as
    numbers. The table shows -inf; the finite answers are the x >= 2**1023, where x + |x|
    overflows to inf."""
    value = scalar_answer(value)  # a one-element array or tensor is an answer too
    if numeric_answer(value, "breaks_at", must_pass) is None:
        return
    x = np.float64(value)
    shown = repr(float(x))  # not repr(value): a Python int can have hundreds of digits
    if np.isnan(x):
        return verdict(
            False,
            "breaks_at = nan is not a finite number, and NaN gives NaN both ways. Hint: look for "
            "a finite x.",
            must_pass,
        )
    if np.isinf(x):
        return verdict(
            False,
            f"breaks_at = {shown} is not finite: the table already shows what the infinities do. "
            "Hint: find a finite x.",
            must_pass,
        )
    with np.errstate(over="ignore"):
        doubled = x + np.abs(x)
    by_abs = doubled / 2
    if by_abs != max(x, 0.0):
        return verdict(
            True,
            f"at x = {shown}, x + |x| overflows to {float(doubled)!r} (the largest float64 is "
            "about 1.8e308), and halving cannot bring it back; relu(x) is x. Every x from "
            "2**1023 (about 9e307) up breaks the formula this way.",
            must_pass,
        )
    if x == 0 and np.signbit(x):
        hint = (
            "at -0.0 the two differ only in the sign of zero (the table's -0.0 column); they are "
            "equal as numbers. Find an x where they differ as numbers."
        )
    elif x == 0:
        hint = "at 0 both give 0. Find an x where they differ as numbers."
    elif x < 0:
        hint = (
            "for x < 0, x and |x| cancel exactly: x + |x| is 0 with no rounding at all, so "
            "nothing can go wrong on this side. Look at large positive x."
        )
    elif doubled == np.finfo(np.float64).max:
        hint = "x + |x| is exactly the largest float64 here: it still fits. Go a little higher."
    else:
        hint = (
            f"x + |x| = {float(doubled)!r} still fits in float64. What happens to x + |x| when "
            "it exceeds the largest float64, about 1.8e308?"
        )
    return verdict(False, f"at x = {shown} the two agree. Hint: {hint}", must_pass)
