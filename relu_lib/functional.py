r"""NumPy reference implementations of ReLU, its variants and the classic saturating activations.

Every function takes an array-like of real numbers and returns a NumPy array of the same shape.

* Dtype: ``relu`` keeps the input's dtype (ints stay ints). Every other function returns a
  floating array: float inputs keep their precision, integer inputs become float64.
* NaN in, NaN out, for the functions *and* their derivatives: a missing value never turns
  into a plausible-looking 0 or 1.
* At a kink (x = 0) the derivative is the value PyTorch's autograd returns there.
* Complex, boolean, string or object input raises ``TypeError``; an invalid parameter
  raises ``ValueError``. Both name what was wrong.
"""

import numbers

import numpy as np

__all__ = [
    "relu",
    "relu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
]

_REAL_KINDS = {"i": "integer", "u": "unsigned integer", "f": "float"}


def as_real_array(x, name="x"):
    """``np.asarray(x)``, refusing anything that is not an array of real numbers."""
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as err:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of real numbers; got {x!r:.80}") from err
    if arr.dtype.kind not in _REAL_KINDS:
        what = {
            "b": "booleans",
            "c": "complex numbers",
            "U": "strings",
            "S": "bytes",
            "O": "Python objects",
        }.get(arr.dtype.kind, f"dtype {arr.dtype}")
        raise TypeError(
            f"{name} must hold real numbers (int or float); got an array of {what} "
            f"(dtype {arr.dtype}) from {type(x).__name__}"
        )
    return arr


def _as_float_array(x, name="x"):
    arr = as_real_array(x, name)
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def _real_scalar(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r} ({type(value).__name__})")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}")
    return float(value)


def _keep_nan(grad, x):
    """Derivatives are NaN where the input is NaN (autograd would pass a 0 or 1 through)."""
    return np.where(np.isnan(x), x, grad)


def relu(x):
    r"""Rectified linear unit, :math:`\mathrm{relu}(x) = \max(0, x)`.

    Written as "0 where x < 0, else x" so that NaN stays NaN and -0.0 stays -0.0, bit for bit
    what ``torch.relu`` returns. Integer arrays stay integer arrays.
    """
    arr = as_real_array(x)
    return np.where(arr < 0, arr.dtype.type(0), arr)


def relu_grad(x):
    r"""Derivative of ReLU: :math:`1` for :math:`x > 0`, :math:`0` for :math:`x \le 0`.

    At x = 0 ReLU has no derivative (every value in [0, 1] is a subgradient); 0 is the value
    PyTorch's autograd uses. NaN gives NaN (autograd would give 1).
    """
    arr = _as_float_array(x)
    return _keep_nan((arr > 0).astype(arr.dtype), arr)


def leaky_relu(x, alpha=0.01):
    r"""Leaky ReLU: :math:`x` for :math:`x > 0`, :math:`\alpha x` for :math:`x \le 0`.

    Defined piecewise on purpose: :math:`\max(\alpha x, x)` equals it only for
    :math:`0 \le \alpha \le 1`.
    """
    alpha = _real_scalar(alpha, "alpha")
    arr = _as_float_array(x)
    return np.where(arr > 0, arr, arr * arr.dtype.type(alpha))


def leaky_relu_grad(x, alpha=0.01):
    r"""Derivative of Leaky ReLU: 1 for :math:`x > 0`, :math:`\alpha` for :math:`x \le 0`
    (PyTorch's value at 0). NaN gives NaN."""
    alpha = _real_scalar(alpha, "alpha")
    arr = _as_float_array(x)
    return _keep_nan(np.where(arr > 0, arr.dtype.type(1), arr.dtype.type(alpha)), arr)


def sigmoid(x):
    r"""Logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`, computed without overflow.

    With :math:`e = e^{-|x|} \in (0, 1]`: :math:`\sigma(x) = 1/(1+e)` for :math:`x \ge 0` and
    :math:`e/(1+e)` for :math:`x < 0`, so no exponential of a large positive number is taken.
    """
    arr = _as_float_array(x)
    e = np.exp(-np.abs(arr))
    return np.where(arr >= 0, 1 / (1 + e), e / (1 + e)).astype(arr.dtype, copy=False)


def sigmoid_grad(x):
    r""":math:`\sigma'(x) = \sigma(x)\,(1 - \sigma(x)) \le 1/4`, with equality at 0."""
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x):
    r"""Hyperbolic tangent :math:`\tanh(x) = (e^x - e^{-x}) / (e^x + e^{-x})`."""
    return np.tanh(_as_float_array(x))


def tanh_grad(x):
    r""":math:`\tanh'(x) = 1 - \tanh^2(x) \le 1`, with equality only at 0."""
    t = tanh(x)
    return 1 - t * t
