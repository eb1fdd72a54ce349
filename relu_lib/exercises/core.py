"""The machinery every checker shares. Each checker prints one line of feedback and returns
nothing, so a notebook cell that ends with the call shows just that line:

* ``○ Not attempted yet`` for the untouched stub (it returns ``None``/``...`` or raises
  ``NotImplementedError``);
* ``✗ Not yet`` with what was wrong and a hint, for a wrong answer;
* ``✓ Correct`` for a right one.

``must_pass=True`` (used for the worked solutions, so CI checks them) raises
``AssertionError`` for anything but a correct answer.
"""

import numpy as np
import torch

NOT_ATTEMPTED = object()


def verdict(ok, message, must_pass):
    """Print the feedback line for ``ok`` (True, False or ``NOT_ATTEMPTED``)."""
    if ok is NOT_ATTEMPTED:
        text = f"○ Not attempted yet: {message}"
    elif ok:
        text = f"✓ Correct: {message}"
    else:
        text = f"✗ Not yet: {message}"
    if must_pass and ok is not True:
        raise AssertionError(text)
    print(text)


def is_stub(value):
    """An untouched stub: ``None`` (a function whose body is ``...``) or ``...`` itself."""
    return value is None or value is Ellipsis


def shorten(text, limit=200):
    """The first line of ``text``, cut to ``limit`` characters, so feedback stays one short line."""
    lines = str(text).splitlines()
    text = lines[0] if lines else ""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def call_learner(fn, call, *args):
    """``fn(*args)`` as a checker runs a learner's function: ``(result, None)``, or
    ``(None, feedback)`` when it raises, the feedback naming ``call`` (such as
    ``"kappa_uniform(2)"``) and the error; ``(None, None)`` for an untouched stub that raises
    ``NotImplementedError``. Pass copies of what the function must not change."""
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, None
    except Exception as err:  # a learner's bug: report it as feedback, not a traceback
        return None, f"{call} raised {type(err).__name__}: {shorten(err)}."


def scalar_answer(value):
    """The Python number a one-element NumPy array or torch tensor holds (``np.float32(...)``
    arrays, ``torch.tensor(0.5)``, a tensor that requires grad); anything else unchanged, for
    :func:`numeric_answer` to judge (a bool or complex item is still refused there)."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return value.item()
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "biufc":
        return value.item()
    return value


def numeric_answer(value, name, must_pass):
    """The learner's answer ``value`` as a float; or None, once the feedback for an untouched
    stub or for something that is not a number has been given."""
    if is_stub(value):
        verdict(NOT_ATTEMPTED, f"set `{name}` to your answer, then run this cell again.", must_pass)
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        verdict(False, f"{name} should be a number; got {type(value).__name__}.", must_pass)
        return None
    try:
        return float(value)
    except OverflowError:  # a Python int beyond float64's range, such as 10**309
        digits = int(abs(int(value)).bit_length() * 0.30103) + 1  # str() fails past 4300 digits
        verdict(
            False,
            f"{name} is an int of about {digits} digits, beyond the range of float64 (about "
            "±1.8e308), so it cannot be used as a float64 number. Hint: give a float.",
            must_pass,
        )
        return None


def check_number(value, name, expected, success, must_pass, rtol=1e-6, atol=0.0, wrong=(), hint=""):
    """A numeric answer ``value`` for ``name``, right when close to ``expected``.

    ``wrong`` lists ``(known wrong value, hint)`` pairs, matched with the same tolerance, so a
    common mistake gets its own explanation; any other wrong number gets ``hint``.
    """
    if numeric_answer(value, name, must_pass) is None:
        return
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return verdict(True, success, must_pass)
    for known, known_hint in wrong:
        if np.isclose(value, known, rtol=rtol, atol=atol):
            return verdict(False, f"{name} = {value!r} is not it. Hint: {known_hint}", must_pass)
    return verdict(False, f"{name} = {value!r} is not it. Hint: {hint}", must_pass)
