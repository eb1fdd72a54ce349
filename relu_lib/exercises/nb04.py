"""Checkers for notebook 04, "The graphs"."""

import ast
import builtins
import functools
import inspect
import re
import textwrap
import types

import numpy as np
import torch

from .core import NOT_ATTEMPTED, check_number, is_stub, numeric_answer, scalar_answer, verdict

__all__ = ["check_sigmoid_half_peak", "check_ramp", "check_kink_count"]


# sigmoid'(x) = 1/8, half its peak, where sigmoid(x) = (1 + sqrt(1/2)) / 2: x = log of s / (1 - s).
SIGMOID_HALF_PEAK_X = float(np.log((1 + np.sqrt(0.5)) / (1 - np.sqrt(0.5))))  # 1.7627...
SIGMOID_AT_HALF_PEAK = ((1 + np.sqrt(0.5)) / 2, (1 - np.sqrt(0.5)) / 2)  # 0.854 and 0.146
TANH_HALF_PEAK_X = float(np.arccosh(np.sqrt(2)))  # tanh'(x) = 1/2 at 0.8814...
# The classic confusion of the sigmoid with its derivative: sigmoid(x) = 7/8 (or sigmoid(-x) =
# 1/8) at x = ln 7 = 1.9459..., only 0.18 from the answer.
SIGMOID_SEVEN_EIGHTHS_X = float(np.log(7))
# Read off Figure 2 (gridlines every 2 in x and 0.2 in y, about 26 pixels per unit of x), the
# crossing can honestly come out up to about 0.2 away from 1.76, and ln 7 lies within that.
# So the exercise asks for the exact value to two decimals: 1.76, with room for the last digit.
READING_TOLERANCE = 0.2
EXACT_TOLERANCE = 0.01


def check_sigmoid_half_peak(value, must_pass=False):
    """Notebook 04, exercise 1: the positive x where sigmoid' has fallen to half its peak (1/8),
    estimated on the derivative plot, then solved exactly to two decimals: x = 1.7627...

    A reading within 0.2 is told it is close and asked for the exact value; ln 7 = 1.95, where
    the sigmoid itself is 7/8, gets the hint for confusing the sigmoid with its derivative."""
    value = _one_number(value)
    x = numeric_answer(value, "half_peak_x", must_pass)
    if x is None:
        return
    if abs(x - SIGMOID_HALF_PEAK_X) <= EXACT_TOLERANCE:
        return verdict(
            True,
            f"sigmoid' = 1/8 at x = log((1 + sqrt(1/2)) / (1 - sqrt(1/2))) = "
            f"{SIGMOID_HALF_PEAK_X:.2f}: beyond |x| of about 1.8 a sigmoid unit passes less than "
            f"half of its best slope, itself only 1/4. tanh' halves sooner, at "
            f"{TANH_HALF_PEAK_X:.2f}, from a peak of 1.",
            must_pass,
        )
    if abs(abs(x) - SIGMOID_SEVEN_EIGHTHS_X) <= EXACT_TOLERANCE:
        sign, level = ("", "7/8") if x > 0 else ("-", "1/8")
        hint = (
            f"{sign}ln 7 = {sign}{SIGMOID_SEVEN_EIGHTHS_X:.2f} is where the sigmoid itself is "
            f"{level}, not its derivative. sigmoid' is s (1 - s) with s = sigmoid(x): solve "
            "s (1 - s) = 1/8 for s, then x = log(s / (1 - s))."
        )
    elif min(abs(x - s) for s in SIGMOID_AT_HALF_PEAK) < 0.005:
        hint = (
            "that solves s (1 - s) = 1/8 for s = sigmoid(x): it is the sigmoid's value there, not "
            "x. Invert the sigmoid: x = log(s / (1 - s))."
        )
    elif abs(x + SIGMOID_HALF_PEAK_X) <= READING_TOLERANCE:
        hint = "sigmoid' is symmetric, so that point has a mirror image: give the positive x."
    elif x in (0.125, 0.25):
        hint = "that is a height on the y axis. The question asks at which x the curve is 1/8 high."
    elif abs(x) <= READING_TOLERANCE:
        hint = (
            "at x = 0 sigmoid' is at its peak, 1/4. Follow the curve to the right until it is "
            "half as high."
        )
    elif abs(x - TANH_HALF_PEAK_X) <= READING_TOLERANCE:
        hint = (
            f"near there it is tanh' that falls to half its peak (1/2, at x = "
            f"{TANH_HALF_PEAK_X:.2f}). Read the sigmoid's curve, the lower and wider one, at "
            "height 1/8."
        )
    elif abs(x - SIGMOID_HALF_PEAK_X) <= READING_TOLERANCE:
        hint = (
            "close: within 0.2, a fair reading of Figure 2 (or a computation rounded too "
            "early), but the exercise asks for two decimals. Solve it exactly: sigmoid' is "
            "s (1 - s) with s = sigmoid(x), so s (1 - s) = 1/8 is a quadratic in s; keep four "
            "digits of s, then x = log(s / (1 - s))."
        )
    elif x > 3:
        hint = (
            "by then sigmoid' is far below half its peak (at x = 5 it is 2.7% of it). Look "
            "closer to 0, where the curve is 1/8 high."
        )
    else:
        hint = (
            "draw a horizontal line at 1/8 = 0.125 in the derivative panel and read the x where "
            "the sigmoid's curve crosses it on the right; then solve s (1 - s) = 1/8 for "
            "s = sigmoid(x)."
        )
    return verdict(False, f"half_peak_x = {value!r} is not it. Hint: {hint}", must_pass)


# The grid the learner's ramp is called on: -2 to 3 in steps of 0.01, with 0 and 1 on it exactly.
RAMP_GRID = np.arange(-200, 301) / 100


def _relu(x):
    return np.maximum(x, 0.0)


# Ramps a learner may build by mistake, each with what it gets wrong.
_RAMP_MISTAKES = [
    (
        lambda x: _relu(x) + _relu(x - 1),
        "beyond x = 1 your line climbs with slope 2. The second ReLU must cancel the first "
        "one's slope there: subtract relu(x - 1) instead of adding it.",
    ),
    (
        lambda x: _relu(x) - _relu(x + 1),
        "relu(x + 1) switches on at x = -1 (where x + 1 = 0), so your line bends there. To bend "
        "it at x = 1, use relu(x - 1).",
    ),
    (
        lambda x: _relu(x) - 2 * _relu(x - 1),
        "beyond x = 1 your line falls with slope -1: subtracting relu(x - 1) once already "
        "cancels the slope 1.",
    ),
    (
        _relu,
        "ReLU alone keeps rising past x = 1. Subtract a second ReLU that switches on at x = 1, "
        "so that the slopes cancel beyond it.",
    ),
    (
        lambda x: _relu(x - 1),
        "relu(x - 1) is 0 up to x = 1 and rises after it; the ramp rises between 0 and 1 and is "
        "flat after. Start from relu(x) and subtract relu(x - 1).",
    ),
    (
        lambda x: np.minimum(x, 1.0),
        "for x < 0 the ramp is 0, not x. min(x, 1) caps the top only; relu(x) - relu(x - 1) "
        "also flattens the left.",
    ),
    (
        lambda x: _relu(x) - _relu(x - 1) - 1,
        "your ramp runs from -1 to 0: it is shifted down by 1.",
    ),
]


# Exercise 2 asks for the construction, a sum of ReLUs; a ramp can also be had in one call that
# caps the line at 1 (np.clip(x, 0, 1), np.minimum(relu(x), 1), np.where(x > 1, 1, ...)). The
# checker reads the source of ramp, and of the functions it calls from the same notebook, and
# calls such a ramp a shortcut. ReLU itself may be spelled with these functions, provided it
# compares with 0 only: np.maximum(x, 0), x.clip(min=0), np.where(x > 0, x, 0) and Python's
# max(v, 0) are ReLUs, and min(v, 0) is -relu(-v).
_CAPS = {"clip", "clip_", "clamp", "clamp_", "hardtanh", "hardtanh_"}  # a ReLU if every bound is 0
_BINARY = {"maximum", "minimum", "fmax", "fmin", "max", "min"}  # a ReLU if one side is 0
_SELECT = {"where"}  # a ReLU if it tests against 0 and one branch is 0
_ALWAYS = {"select", "piecewise", "interp", "heaviside"}  # never a ReLU
_ZERO_MAKERS = {"zeros", "zeros_like", "zero_"}
_CONVERTERS = {"tensor", "array", "asarray", "as_tensor", "float", "float32", "float64", "int"}
_UNKNOWN = object()  # a name the reader cannot resolve (a local variable, say)


def _value_kind(value):
    """'zero', 'none' (no bound: None or an infinity) or 'other' for a value the code names."""
    if value is None:
        return "none"
    if isinstance(value, int | float | np.number) and not isinstance(value, bool):
        return "zero" if value == 0 else "none" if np.isinf(value) else "other"
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray) and value.size and value.dtype.kind in "iuf":
        return "zero" if bool((value == 0).all()) else "other"
    return "other"


class _ShortcutFinder:
    """Walks the source of a learner's function (and of the functions of its own module that
    it names) for a call that caps the ramp instead of building it from ReLUs."""

    def __init__(self, fn):
        self.module = getattr(fn, "__module__", None)
        self.seen = set()

    def resolve(self, node, env):
        """The object an ast.Name or a dotted ast.Attribute names in ``env``, or a marker."""
        if isinstance(node, ast.Name):
            if node.id in env:
                return env[node.id]
            return getattr(builtins, node.id, _UNKNOWN)
        if isinstance(node, ast.Attribute):
            owner = self.resolve(node.value, env)
            if owner is not _UNKNOWN and isinstance(owner, types.ModuleType):
                return getattr(owner, node.attr, _UNKNOWN)
        return _UNKNOWN

    def kind(self, node, env):
        """'zero', 'none' or 'other' for an argument in the source."""
        if isinstance(node, ast.Constant):
            return _value_kind(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            return self.kind(node.operand, env)
        if isinstance(node, ast.Call):
            name = self.call_name(node, env)
            if name in _ZERO_MAKERS:
                return "zero"
            if name in _CONVERTERS and node.args:
                return self.kind(node.args[0], env)
            return "other"
        if isinstance(node, ast.Name | ast.Attribute):
            value = self.resolve(node, env)
            if value is not _UNKNOWN and not callable(value):
                return _value_kind(value)
        return "other"

    def call_name(self, call, env):
        """The name of the function a call calls: its own __name__ when the learner's code
        names it through an alias (c = np.clip), else the name written."""
        target = self.resolve(call.func, env)
        name = getattr(target, "__name__", None) if target is not _UNKNOWN else None
        if isinstance(name, str):
            return name
        if isinstance(call.func, ast.Attribute):
            return call.func.attr
        return call.func.id if isinstance(call.func, ast.Name) else None

    def operands(self, call, env):
        """The call's arguments, keyword values included, and for a method (x.clip(0, 1)) the
        object it is called on."""
        values = list(call.args) + [k.value for k in call.keywords if k.arg != "out"]
        if isinstance(call.func, ast.Attribute):
            owner = self.resolve(call.func.value, env)
            if not isinstance(owner, types.ModuleType | type):
                values.insert(0, call.func.value)
        return values

    def is_shortcut(self, call, env):
        name = self.call_name(call, env)
        if name in _ALWAYS:
            return True
        kinds = [self.kind(v, env) for v in self.operands(call, env)]
        if name in _CAPS:
            return "zero" not in kinds or kinds.count("other") > 1
        if name in _BINARY:
            return len(kinds) > 1 and "zero" not in kinds
        if name in _SELECT:
            tests_zero = any(
                isinstance(v, ast.Compare)
                and any(self.kind(c, env) == "zero" for c in [v.left, *v.comparators])
                for v in call.args[:1]
            )
            return not (tests_zero and "zero" in kinds[1:])
        return False

    def find(self, fn):
        """The source text of the first shortcut in ``fn``, or None."""
        if isinstance(fn, functools.partial):
            name = getattr(fn.func, "__name__", None)
            kinds = [_value_kind(v) for v in [*fn.args, *fn.keywords.values()]]
            if name in _ALWAYS | _CAPS | _SELECT or (name in _BINARY and "zero" not in kinds):
                return f"functools.partial({name}, ...)"
            return self.find(fn.func)
        if not isinstance(fn, types.FunctionType) or fn.__code__ in self.seen:
            return None
        self.seen.add(fn.__code__)
        tree = _function_tree(fn)
        if tree is None:
            return None
        env = dict(fn.__globals__)
        closure = zip(fn.__code__.co_freevars, fn.__closure__ or (), strict=True)
        for var, cell in closure:
            try:
                env[var] = cell.cell_contents
            except ValueError:  # a cell not yet filled
                pass
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and self.is_shortcut(node, env):
                return ast.unparse(node)
        for node in ast.walk(tree):  # the learner's own helpers, defined beside ramp
            if isinstance(node, ast.Name) and node.id in env:
                helper = env[node.id]
                if getattr(helper, "__module__", None) == self.module:
                    found = self.find(helper)
                    if found:
                        return found
        return None


def _function_tree(fn):
    """The AST of ``fn``'s definition, or None when its source cannot be read. A lambda's
    source is the whole line around it: the lambda whose code is ``fn``'s is cut out of it."""
    try:
        source = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        return None
    if fn.__name__ != "<lambda>":
        try:
            return ast.parse(source)
        except SyntaxError:
            return None
    for start in [m.start() for m in re.finditer(r"\blambda\b", source)]:
        for end in range(len(source), start, -1):
            try:
                tree = ast.parse(source[start:end], mode="eval")
            except SyntaxError:
                continue
            if isinstance(tree.body, ast.Lambda) and _same_names(tree, fn.__code__):
                return tree
    return None


def _same_names(tree, code):
    """Whether the lambda in ``tree`` names what ``code`` names (a closure's variables become
    global names once the lambda is compiled alone)."""
    try:
        compiled = compile(tree, "<ramp>", "eval")
    except (SyntaxError, ValueError):
        return False
    (inner,) = [c for c in compiled.co_consts if isinstance(c, types.CodeType)]
    return inner.co_varnames == code.co_varnames and set(inner.co_names) == set(
        code.co_names
    ) | set(code.co_freevars)


def _ramp_shortcut(fn):
    """The code of a call in ``fn`` that caps the ramp instead of building it, or None."""
    try:
        return _ShortcutFinder(fn).find(fn)
    except Exception:  # code the reader does not understand: the values alone decide
        return None


def _call_ramp(fn):
    """``fn`` on the grid as a NumPy array; if that raises, on the grid as a float64 tensor
    (for a ramp written with torch.relu). Returns (output, None) or (None, error message)."""
    try:
        return fn(RAMP_GRID.copy()), None
    except NotImplementedError:
        return None, None
    except Exception as numpy_err:  # a learner's bug: feedback, not a traceback
        try:
            return fn(torch.tensor(RAMP_GRID)), None
        except Exception:
            text = str(numpy_err)[:200]
            hint = "x is a NumPy array of 501 floats: use functions that work elementwise."
            if "truth value" in text:
                hint = (
                    "Python's max (and `if x > 0`) cannot compare a whole array with 0. Use "
                    "rl.relu, or np.maximum(x, 0), which work elementwise."
                )
            return None, f"ramp(x) raised {type(numpy_err).__name__}: {text}. Hint: {hint}"


def check_ramp(fn, must_pass=False):
    """Notebook 04, exercise 2 (code): ``fn(x)`` is the ramp, 0 for x <= 0, x between 0 and 1, 1
    for x >= 1, built from ReLUs: relu(x) - relu(x - 1).

    The checker calls ``fn`` on a NumPy grid from -2 to 3 (a float64 tensor if that raises) and
    accepts any array or tensor of the grid's shape within 1e-6 of the ramp (float32 passes),
    unless its source caps the line in one call instead of building it from ReLUs (np.clip(x,
    0, 1), np.minimum(relu(x), 1), ...: see ``_ShortcutFinder``). A wrong ramp is compared with
    the mistakes above; any other is told the first grid point where it is off."""
    if is_stub(fn):
        return verdict(NOT_ATTEMPTED, "write ramp above, then run this cell again.", must_pass)
    if not callable(fn):
        return verdict(False, f"ramp should be a function; got {type(fn).__name__}.", must_pass)
    got, error = _call_ramp(fn)
    if error is not None:
        return verdict(False, error, must_pass)
    if is_stub(got):
        return verdict(NOT_ATTEMPTED, "write ramp above, then run this cell again.", must_pass)
    if isinstance(got, torch.Tensor):
        got = got.detach().cpu().numpy()
    try:
        values = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        values = None
    if values is None or isinstance(got, str):
        return verdict(
            False,
            f"ramp(x) should return an array of numbers; got {type(got).__name__}.",
            must_pass,
        )
    if values.shape != RAMP_GRID.shape:
        hint = "return one value per point of x, computed elementwise."
        if values.ndim == 0:
            hint = (
                "it returned a single number. Apply the ReLUs to the whole array x (rl.relu works "
                "elementwise) and return the result."
            )
        return verdict(
            False,
            f"ramp(x) for x of shape {RAMP_GRID.shape} returned shape {values.shape}. Hint: {hint}",
            must_pass,
        )
    expected = np.clip(RAMP_GRID, 0.0, 1.0)
    if np.allclose(values, expected, rtol=0, atol=1e-6):
        shortcut = _ramp_shortcut(fn)
        if shortcut is not None:
            code = shortcut if len(shortcut) <= 60 else shortcut[:57] + "..."
            return verdict(
                False,
                f"ramp gives the right values, but `{code}` caps the line in one call instead "
                "of building it from ReLUs. Hint: that construction is the exercise: start from "
                "relu(x), which bends the line up at 0, and subtract a second ReLU that switches "
                "on at x = 1, so that its slope cancels the first one's (a ReLU compares with 0 "
                "only).",
                must_pass,
            )
        return verdict(
            True,
            "relu(x) - relu(x - 1): the first ReLU bends the line up at 0, the second, switching "
            "on at 1, cancels its slope. Two ReLUs, two kinks; more of them make any broken line.",
            must_pass,
        )
    for mistake, hint in _RAMP_MISTAKES:
        if np.allclose(values, mistake(RAMP_GRID), rtol=0, atol=1e-6):
            return verdict(False, f"ramp is not it yet. Hint: {hint}", must_pass)
    off = ~np.isclose(values, expected, rtol=0, atol=1e-6)
    i = int(np.flatnonzero(off)[0])
    x0 = RAMP_GRID[i]
    part = "x <= 0" if x0 <= 0 else "0 <= x <= 1" if x0 <= 1 else "x >= 1"
    should = "0" if x0 <= 0 else "x itself" if x0 <= 1 else "1"
    return verdict(
        False,
        f"ramp is not it yet: at x = {x0:g} it gives {values[i]:.6g}. Hint: for {part} the ramp "
        f"is {should}. Check each piece of your sum there.",
        must_pass,
    )


def check_kink_count(value, must_pass=False):
    """Notebook 04, exercise 3: the points where relu(x+1) - 2 relu(x) + relu(x-1) has no
    derivative (the 'hat' function: slopes 0, 1, -1, 0)."""
    return check_number(
        _one_number(value),
        "kink_count",
        3,
        "three kinks, at x = -1, 0 and 1, where the slope goes 0 -> 1 -> -1 -> 0. Each ReLU "
        "adds a kink where its argument is 0, and none of the three cancels.",
        must_pass,
        rtol=0.0,
        atol=0.0,
        wrong=(
            (
                1,
                "there are three ReLUs, and each can bend the graph where its own argument is 0: "
                "x + 1 = 0, x = 0 and x - 1 = 0.",
            ),
            (
                2,
                "check every candidate, x = 0 included: compare the slope just left and just "
                "right of it (the -2 relu(x) term bends the graph there).",
            ),
            (
                0,
                "a sum of ReLUs is not smooth in general: each ReLU has a kink where its "
                "argument is 0. Compare the slopes on both sides of x = -1, 0 and 1.",
            ),
        ),
        hint="compare the one-sided slopes on both sides of each point where one of the ReLUs "
        "switches: x = -1, 0 and 1.",
    )


def _one_number(value):
    """A one-element list, tuple, array or tensor as its number; anything else unchanged."""
    if isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    return scalar_answer(value)
