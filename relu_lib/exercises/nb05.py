"""Checkers for notebook 05, "The advantages of ReLU"."""

import copy
import math

import numpy as np

from .core import NOT_ATTEMPTED, check_number, is_stub, verdict

__all__ = ["check_tanh_gain_output_rms", "check_race_function", "check_memory_bound_time"]


def _plain_number(value):
    """A one-element torch tensor or NumPy array as a Python number (a hand computation done
    with tensors gives one); anything else unchanged, for ``check_number`` to judge."""
    if hasattr(value, "detach") and hasattr(value, "numel") and value.numel() == 1:
        return value.detach().cpu().item()
    if isinstance(value, np.ndarray) and value.size == 1:
        return value.item()
    return value


# Exercise 1: a bias-free ReLU MLP of 20 Linear layers, width 100 everywhere, initialised with
# torch.nn.init.kaiming_normal_(w, nonlinearity="tanh"): std = gain / sqrt(n) with tanh's gain 5/3,
# so n Var(w) = 25/9 and b = n Var(w) / 2 = 25/18 per ReLU. Inputs have mean square 1. The output
# z_20 has mean square n Var(w) b^19 (the first layer sees the raw input, 19 ReLUs follow).
# No initialisation the notebook plots or tabulates has this b, so no printout gives the answer.
TANH_GAIN = 5 / 3
GAIN_LAYERS = 20


def _gain_rms(n_var, relus, first_layer=True):
    """The theory's output rms: sqrt(n Var(w) * b^relus), b = n Var(w) / 2."""
    return math.sqrt((n_var if first_layer else 1.0) * (n_var / 2) ** relus)


def check_tanh_gain_output_rms(value, must_pass=False):
    """Notebook 05, exercise 1: the output's rms after 20 ReLU layers initialised with
    kaiming_normal_(nonlinearity="tanh"), by He et al.'s theory."""
    value = _plain_number(value)
    n_var, relus = TANH_GAIN**2, GAIN_LAYERS - 1
    expected = _gain_rms(n_var, relus)
    return check_number(
        value,
        "output_rms",
        expected=expected,
        success=(
            f"n Var(w) = (5/3)^2 = 25/9, b = 25/18 per ReLU, so the rms is "
            f"sqrt(25/9 x (25/18)^19) = {expected:.1f}: tanh's gain explodes a ReLU network, "
            f"by about 18% per layer."
        ),
        must_pass=must_pass,
        rtol=0.03,
        wrong=[
            (
                _gain_rms(n_var, relus, first_layer=False),
                "that leaves out the first layer: z_1 = W_1 x already has mean square "
                "n Var(w) = 25/9, before any ReLU.",
            ),
            (
                _gain_rms(n_var, relus + 1),
                "that counts 20 ReLUs; there is none after the last Linear layer.",
            ),
            (
                n_var * (n_var / 2) ** relus,
                "that is the mean square (the second moment); the rms is its square root.",
            ),
            (
                math.sqrt(n_var**20),
                "that multiplies by n Var(w) = 25/9 per layer; a ReLU zeroes about half of its "
                "inputs, so each layer multiplies the mean square by b = n Var(w) / 2 = 25/18.",
            ),
            (
                _gain_rms(TANH_GAIN, relus),
                "that takes the gain 5/3 as n Var(w); the gain multiplies the standard "
                "deviation, so n Var(w) = (5/3)^2 = 25/9.",
            ),
            (
                _gain_rms(2.8, relus),
                "that rounds n Var(w) to 2.8 (b = 1.4); over 19 layers the rounding compounds "
                "to 8%. Keep 25/9 and 25/18 exact.",
            ),
            (
                math.sqrt(2.0),
                "sqrt(2) is what He initialisation gives (gain sqrt(2)), not tanh's gain.",
            ),
            (
                2.0 ** (-relus / 2),
                "2^(-19/2) is what Xavier gives (n Var(w) = 1), not tanh's gain.",
            ),
        ],
        hint=(
            "std = (5/3) / sqrt(100), so n Var(w) = (5/3)^2 = 25/9; the first layer gives mean "
            "square 25/9, each of the 19 ReLU + Linear pairs multiplies it by b = n Var(w) / 2; "
            "then take the square root."
        ),
    )


# Exercise 2 (code): a function that reads a race table (median steps to 5% training error per
# learning rate, None: never got there) and returns tanh's steps over ReLU's, each activation at
# its own best learning rate. The checker runs it on several tables, none printed in the
# notebook, and recognises the classic mistakes by what they return on all of them.
RACE_TABLES = [
    {
        "relu": {0.01: 900, 0.03: 300, 0.1: 120, 0.3: None},
        "tanh": {0.01: 2700, 0.03: 750, 0.1: 330, 0.3: 150},
    },
    {
        "relu": {0.0625: 135, 0.125: 80, 0.25: 65, 0.5: 75, 1.0: None},
        "tanh": {0.0625: 145, 0.125: 80, 0.25: 55, 0.5: 35, 1.0: 40},
    },
    {
        "sigmoid": {0.5: None, 1.0: 400, 2.0: 210},
        "tanh": {0.5: 300, 1.0: None, 2.0: None},
        "relu": {0.5: None, 1.0: 60, 2.0: 100},
    },
]


def _fewest(row):
    return min(s for s in row.values() if s is not None)


def _best_rate(row):
    return min((s, rate) for rate, s in row.items() if s is not None)[1]


def _same_rate(table, rate):
    tanh, relu = table["tanh"][rate], table["relu"][rate]
    return None if tanh is None or relu is None else tanh / relu


# (what the mistaken function returns on a table, the hint naming that mistake)
RACE_MISTAKES = [
    (
        lambda t: _fewest(t["relu"]) / _fewest(t["tanh"]),
        "it returns ReLU's steps over tanh's; the question asks how many times ReLU's steps "
        "tanh needs: tanh's fewest over ReLU's fewest.",
    ),
    (
        lambda t: _same_rate(t, _best_rate(t["relu"])),
        "it compares both at ReLU's best learning rate. A fair race gives each activation its "
        "own best rate: take the fewest steps in each row separately.",
    ),
    (
        lambda t: _same_rate(t, _best_rate(t["tanh"])),
        "it compares both at tanh's best learning rate. A fair race gives each activation its "
        "own best rate: take the fewest steps in each row separately.",
    ),
    (
        lambda t: (
            max(s for s in t["tanh"].values() if s is not None)
            / max(s for s in t["relu"].values() if s is not None)
        ),
        "it takes the most steps in each row (the slowest rate); the best rate is the one "
        "with the FEWEST steps.",
    ),
    (
        lambda t: _best_rate(t["tanh"]) / _best_rate(t["relu"]),
        "it divides the best learning rates; the race compares the numbers of steps at those "
        "rates.",
    ),
]
RACE_HINT = "take the fewest steps in each row (skipping None), then divide tanh's by ReLU's."


def _race_right(table):
    return _fewest(table["tanh"]) / _fewest(table["relu"])


def _error_hint(err):
    if isinstance(err, TypeError) and "NoneType" in str(err):
        return (
            "a None (never got there) reached your arithmetic: skip the None entries, and "
            "compare each activation at its own best rate."
        )
    if isinstance(err, ZeroDivisionError):
        return "None means never got there, the slowest there is, not 0 steps: skip it."
    if isinstance(err, KeyError):
        return "the rows are named 'relu' and 'tanh'; look them up by name, not by position."
    return RACE_HINT


def _race_answers(fn):
    """``(answers, problem)``: the learner's function's results on the tables, as floats, up to
    the first table it fails on; ``problem`` is None (all fine), ``NOT_ATTEMPTED`` (the stub)
    or the feedback for that failure (an exception, or something that is not a number)."""
    answers = []
    for table in RACE_TABLES:
        try:
            got = fn(copy.deepcopy(table))  # a copy: a function that edits its table harms none
        except NotImplementedError:
            got = None
        except Exception as err:  # a learner's bug: report it as feedback, not a traceback
            return answers, (
                f"fair_race_ratio({table!r}) raised {type(err).__name__}: {err}. "
                f"Hint: {_error_hint(err)}"
            )
        if is_stub(got):
            return answers, NOT_ATTEMPTED
        got = _plain_number(got)
        if isinstance(got, bool) or not isinstance(got, int | float | np.integer | np.floating):
            return answers, (
                f"fair_race_ratio should return a number; it returned a {type(got).__name__} "
                f"for {table!r}."
            )
        try:
            answers.append(float(got))
        except OverflowError:  # an int beyond float64's range
            return answers, f"fair_race_ratio({table!r}) returned an int too large for a float."
    return answers, None


def _same(answers, rule):
    """``answers`` (possibly fewer than the tables) are what ``rule`` gives on those tables."""
    for table, got in zip(RACE_TABLES, answers, strict=False):
        expected = rule(table)
        if expected is None or not np.isclose(got, expected, rtol=1e-6):
            return False
    return bool(answers)


def check_race_function(fn, must_pass=False):
    """Notebook 05, exercise 2: ``fn(table)`` returns tanh's median steps over ReLU's, each at
    its own best learning rate, for any race table like the notebook's."""
    attempt = "fill in fair_race_ratio above, then run this cell again."
    if is_stub(fn):
        return verdict(NOT_ATTEMPTED, attempt, must_pass)
    if not callable(fn):
        name = type(fn).__name__
        return verdict(False, f"fair_race_ratio should be a function; got {name}.", must_pass)
    answers, problem = _race_answers(fn)
    if problem is NOT_ATTEMPTED:
        return verdict(NOT_ATTEMPTED, attempt, must_pass)
    if problem is None and _same(answers, _race_right):
        return verdict(
            True,
            "each activation at its own best rate: on the first table tanh takes 150 steps, "
            "ReLU 120, ratio 1.25. On the notebook's own race it gives the 'x ReLU' figure of "
            "tanh printed there.",
            must_pass,
        )
    # A known mistake, recognised on every table it ran on (a same-rate comparison can fail
    # only later, on a table where the other activation never got there at that rate).
    for mistake, hint in RACE_MISTAKES:
        if _same(answers, mistake):
            return verdict(False, f"fair_race_ratio is not it yet: {hint}", must_pass)
    if problem is not None:
        return verdict(False, problem, must_pass)
    for table, got in zip(RACE_TABLES, answers, strict=True):
        if not np.isclose(got, _race_right(table), rtol=1e-6):
            return verdict(
                False,
                f"fair_race_ratio({table!r}) returned {got:.4g}, expected "
                f"{_race_right(table):.4g}. Hint: {RACE_HINT}",
                must_pass,
            )
    return verdict(False, RACE_HINT, must_pass)  # not reached: some table differs


# Exercise 3: ReLU's forward on a bfloat16 activation, at a laptop GPU's bandwidth. No table in
# the notebook gives the answer: the learner applies the memory-bound model of section 3.
BANDWIDTH_B_PER_S = 256e9  # bytes per second (256 GB/s, GB = 10^9 bytes)
TOKENS, UNITS = 2048, 11008
BFLOAT16_BYTES = 2
H200_B_PER_S = 4.1e12


def _ms(n_bytes, bandwidth=BANDWIDTH_B_PER_S):
    return n_bytes / bandwidth * 1e3


def check_memory_bound_time(value, must_pass=False):
    """Notebook 05, exercise 3: the least time, in ms, of ReLU's forward on a bfloat16 tensor
    of 2048 x 11008 elements at 256 GB/s, when memory is the only limit (every element read
    once and written once)."""
    value = _plain_number(value)
    numel = TOKENS * UNITS
    moved = 2 * BFLOAT16_BYTES * numel
    expected = _ms(moved)
    return check_number(
        value,
        "least_ms",
        expected=expected,
        success=(
            f"2 x 2 bytes x {TOKENS} x {UNITS} = {moved / 1e6:.1f} MB at 256 GB/s is "
            f"{expected:.3f} ms, whatever the activation, as long as its arithmetic keeps up "
            "with the memory."
        ),
        must_pass=must_pass,
        rtol=0.03,
        wrong=[
            (
                _ms(2 * 4 * numel),
                "that counts 4 bytes per number; bfloat16 numbers are 2 bytes each.",
            ),
            (
                _ms(BFLOAT16_BYTES * numel),
                "that moves 2 bytes per element: ReLU reads each input AND writes each output, "
                "2 bytes each.",
            ),
            (
                _ms(numel),
                "that moves 1 byte per element; a bfloat16 is 2 bytes, read once and written once.",
            ),
            (
                _ms(moved, H200_B_PER_S),
                "that uses the H200's 4.1 TB/s; this laptop GPU moves 256 GB/s.",
            ),
            (
                moved / (256 * 2**30) * 1e3,
                "that reads 256 GB/s as 256 x 2^30 bytes; here a GB is 10^9 bytes.",
            ),
            (expected / 1e3, "that is the time in seconds; the answer is asked in milliseconds."),
            (
                expected * 1e3,
                "that is the time in microseconds; the answer is asked in milliseconds.",
            ),
        ],
        hint=(
            "bytes moved = 2 (read + write) x 2 (bytes per bfloat16) x 2048 x 11008; time = "
            "bytes / (256e9 bytes per second), then convert to milliseconds."
        ),
    )
