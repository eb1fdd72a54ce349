"""``claim``: how a notebook states a result, so that CI fails the day the result stops holding."""

import numpy as np

__all__ = ["claim"]


def _as_bool(condition):
    if isinstance(condition, bool | np.bool_):
        return bool(condition)
    size = getattr(condition, "size", None)
    size = size() if callable(size) else size
    if size is not None and np.prod(size) == 1:  # a one-element array or tensor
        return bool(condition)
    raise TypeError(
        "claim needs a single True/False condition; got "
        f"{type(condition).__name__}{'' if size is None else f' of size {size}'}"
        " (wrap an array comparison in .all() or .any())"
    )


def claim(condition, statement, **measured):
    """Print ``✓ statement`` when ``condition`` holds; raise ``AssertionError`` when not.

    The keyword arguments are the measured values behind the statement: they are shown in the
    error, so a failing claim says what was measured instead of only that it failed.
    """
    if not isinstance(statement, str) or not statement.strip():
        raise TypeError("claim needs a statement: a non-empty string saying what is claimed")
    if not _as_bool(condition):
        details = ", ".join(f"{name}={value!r}" for name, value in measured.items())
        raise AssertionError(
            f"Claim does not hold: {statement}" + (f" (measured: {details})" if details else "")
        )
    print(f"✓ {statement}")
