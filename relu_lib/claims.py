"""``claim``: how a notebook states a result, so that CI fails the day the result stops holding."""

import os

import numpy as np
import torch

__all__ = ["claim", "CLAIMS_VARIABLE"]

# `make robustness` sets it to "record": a claim that does not hold is printed with a cross and
# its measurements, and the notebook goes on, so that one run lists every claim that fails.
CLAIMS_VARIABLE = "RELU_LIB_CLAIMS"
RECORDED = "✗ Claim does not hold: "


def _as_bool(condition):
    """``condition`` as a Python bool, if it is a truth value: ``True``/``False``, a NumPy bool,
    or a one-element boolean array or tensor. A number is refused, NaN included: a claim whose
    computation went wrong must not pass because its result happens to be truthy."""
    if isinstance(condition, bool | np.bool_):
        return bool(condition)
    if isinstance(condition, np.ndarray | torch.Tensor):
        is_boolean = condition.dtype in (np.bool_, torch.bool)
        size = condition.numel() if isinstance(condition, torch.Tensor) else condition.size
        if is_boolean and size == 1:
            return bool(condition.reshape(()).item())
        what = f"{type(condition).__name__} of dtype {condition.dtype} and size {size}"
        hint = (
            " (wrap an array comparison in .all() or .any())"
            if size != 1
            else " (compare it with something: a number is not a truth value)"
        )
    else:
        what = f"{condition!r:.80} ({type(condition).__name__})"
        hint = " (compare it with something: a number is not a truth value)"
        if isinstance(condition, list | tuple):
            hint = " (wrap it in all() or any())"
    raise TypeError(f"claim needs a single True/False condition; got {what}{hint}")


def _claims_mode():
    mode = os.environ.get(CLAIMS_VARIABLE, "").strip().lower() or "raise"
    if mode not in ("raise", "record"):
        raise ValueError(
            f"{CLAIMS_VARIABLE} must be 'raise' (the default) or 'record'; got {mode!r}"
        )
    return mode


def claim(condition, statement, **measured):
    """Print ``✓ statement`` when ``condition`` holds; raise ``AssertionError`` when not.

    ``condition`` is ``True`` or ``False``: a Python or NumPy bool, or a one-element boolean
    array or tensor; anything else (a number, NaN, a list, a longer array) is a ``TypeError``.
    The keyword arguments are the measured values behind the statement: they are shown in the
    error, so a failing claim says what was measured instead of only that it failed. With
    ``RELU_LIB_CLAIMS=record`` in the environment a failing claim prints that message after a
    cross instead of raising (``make robustness`` collects them).
    """
    if not isinstance(statement, str) or not statement.strip():
        raise TypeError("claim needs a statement: a non-empty string saying what is claimed")
    if _as_bool(condition):
        print(f"✓ {statement}")
        return
    details = ", ".join(f"{name}={value!r}" for name, value in measured.items())
    failure = statement + (f" (measured: {details})" if details else "")
    if _claims_mode() == "record":
        print(RECORDED + " ".join(failure.split()))  # one line: an array's repr spans several
    else:
        raise AssertionError("Claim does not hold: " + failure)
