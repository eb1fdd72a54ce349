"""The argument checks relu_lib's modules share: one rule per kind of argument, one wording.

A wrong type is a ``TypeError``, a value of the right type outside its range a ``ValueError``;
both name the argument and show what was given. NumPy integers are ints and NumPy floats are
real numbers; ``True`` and ``False`` are neither (a bool where a number is asked is a mistake).

Seeds follow one rule everywhere in relu_lib: an int in [0, 2**32 - 1]. That is the range
every generator relu_lib seeds accepts: ``np.random.seed`` (in ``setup_notebook``) takes
nothing larger, ``np.random.default_rng`` nothing negative, and ``torch.manual_seed`` all of it.
"""

import math
import numbers

import numpy as np

SEED_MAX = 2**32 - 1
SEED_RULE = "an int in [0, 2**32 - 1]"


def shown(value):
    """``value`` as an error message shows it: its repr (cut at 80 characters) and its type."""
    return f"{value!r:.80} ({type(value).__name__})"


def is_bool(value):
    return isinstance(value, bool | np.bool_)


def is_finite(value):
    """``math.isfinite`` that also answers for ints too large for a float (they are not)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def check_int(value, name, minimum=None, maximum=None, what="an int"):
    """``value`` as a Python int; ``minimum`` and ``maximum`` are inclusive bounds."""
    if is_bool(value) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {what}; got {shown(value)}")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be {what}; got {name}={value!r:.80}")
    return value


def check_seed(seed, name="seed"):
    """``seed`` as a Python int, if it is one by the course's rule: an int (NumPy integers
    included, bools refused) in [0, 2**32 - 1]."""
    return check_int(seed, name, 0, SEED_MAX, what=SEED_RULE)


def check_bool(value, name):
    """``value`` as a Python bool: ``True``, ``False`` or a NumPy bool, nothing else."""
    if not is_bool(value):
        raise TypeError(f"{name} must be True or False; got {shown(value)}")
    return bool(value)


def check_real(value, name, minimum=None, strict=False):
    """``value`` if it is a finite real number (ints and NumPy numbers included, bools refused),
    at least ``minimum`` (above it with ``strict=True``). Returned unchanged: the caller's
    arithmetic stays exactly what it was."""
    if is_bool(value) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {shown(value)}")
    if not is_finite(value):
        raise ValueError(f"{name} must be finite; got {name}={value!r:.80}")
    if minimum is not None and (value <= minimum if strict else value < minimum):
        if minimum == 0:
            bound = "positive" if strict else ">= 0"
        else:
            bound = f"> {minimum}" if strict else f">= {minimum}"
        raise ValueError(f"{name} must be {bound}; got {name}={value!r:.80}")
    return value
