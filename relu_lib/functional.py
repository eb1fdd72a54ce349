r"""NumPy reference implementations of ReLU, its variants and the classic saturating activations.

Every function takes an array-like of real numbers and returns a NumPy array of the same shape:
a scalar or a 0-d input gives a 0-d array, never a NumPy scalar. A torch tensor is read as its
values (detached from autograd and copied to the CPU): the result is a NumPy array, outside
autograd; for gradients, use torch's functions or ``ReLUFunction``.

* Dtype: ``relu`` keeps the input's dtype (ints stay ints). Every other function returns a
  floating array: float inputs keep their precision, integer inputs become float64.
* NaN in, NaN out, for the functions *and* their derivatives: a missing value never turns
  into a plausible-looking 0 or 1.
* At a kink (x = 0) the derivative is the value PyTorch's autograd returns there.
* Complex, boolean, string or object input raises ``TypeError``; an invalid parameter
  raises ``ValueError``. Both name what was wrong. A slope too large for the input's dtype
  (``alpha=1e300`` with float32 input) is a ``ValueError``, as in torch, not a slope of inf.
* No spurious warnings: a product is computed only where its result is kept, so NumPy warns
  (overflow, invalid value) only when the result itself gets an inf or NaN the input did not
  have, e.g. a float16 input whose slope times x is beyond float16's range.
"""

import numpy as np
import torch

from ._checks import check_real, shown
from .seeds import shifted_seed

__all__ = [
    "relu",
    "relu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "prelu",
    "prelu_grad",
    "rrelu",
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
]

_REAL_KINDS = {"i": "integer", "u": "unsigned integer", "f": "float"}


def _tensor_values(t, name):
    """A torch tensor's values as a NumPy array: detached, on the CPU."""
    try:
        return t.detach().cpu().numpy()
    except TypeError as err:  # dtypes NumPy does not have, such as bfloat16
        raise TypeError(
            f"{name} is a torch tensor of dtype {t.dtype}, which NumPy has no dtype for: "
            f"convert it first, e.g. {name}.float()"
        ) from err


def as_real_array(x, name="x"):
    """``np.asarray(x)``, refusing anything that is not an array of real numbers. A torch
    tensor gives its values (detached, on the CPU)."""
    if isinstance(x, torch.Tensor):
        x = _tensor_values(x, name)
    if isinstance(x, np.ma.MaskedArray):  # np.asarray would drop the mask: a masked -1 -> 0
        raise TypeError(
            f"{name} is a masked array, whose mask the result would lose: pass "
            f"{name}.filled(value) for the values you want, and mask the result again"
        )
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


def _slope(alpha, dtype, name="alpha"):
    """``alpha`` in ``dtype``, refusing a value that overflows it (it would be a slope of inf)."""
    with np.errstate(over="ignore"):
        slope = dtype.type(alpha)
    if not np.isfinite(slope):
        raise ValueError(
            f"{name}={alpha!r} is beyond the range of the input's dtype {dtype} (at most "
            f"{np.finfo(dtype).max:.5g}): pass a smaller {name}, or the input as float64"
        )
    return slope


def _positive_or_scaled(arr, slopes):
    """``arr`` where it is > 0, ``slopes * arr`` elsewhere (NaN included). The product is
    computed only where it is kept: ``np.where`` would compute it everywhere and warn about
    overflows and inf * 0 in elements it then throws away."""
    out = arr.copy()
    np.multiply(arr, slopes, out=out, where=~(arr > 0))
    return out


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
    :math:`\alpha \le 1` (negative :math:`\alpha` included); for :math:`\alpha > 1` it is
    :math:`\alpha\,\mathrm{leaky\_relu}(x, 1/\alpha)`, a different function.
    """
    alpha = float(check_real(alpha, "alpha"))
    arr = _as_float_array(x)
    return _positive_or_scaled(arr, _slope(alpha, arr.dtype))


def leaky_relu_grad(x, alpha=0.01):
    r"""Derivative of Leaky ReLU: 1 for :math:`x > 0`, :math:`\alpha` for :math:`x \le 0`
    (PyTorch's value at 0). NaN gives NaN."""
    alpha = float(check_real(alpha, "alpha"))
    arr = _as_float_array(x)
    return _keep_nan(np.where(arr > 0, arr.dtype.type(1), _slope(alpha, arr.dtype)), arr)


def _prelu_slopes(x, alpha):
    """``alpha`` checked against ``x`` like ``torch.nn.functional.prelu`` and shaped to broadcast
    along axis 1, in ``x``'s dtype."""
    a = as_real_array(alpha, "alpha")
    if not np.isfinite(a).all():
        raise ValueError(f"alpha must be finite; got {alpha!r:.80}")
    with np.errstate(over="ignore"):
        if a.size and not np.isfinite(a.astype(x.dtype)).all():
            raise ValueError(
                f"alpha={alpha!r:.80} is beyond the range of the input's dtype {x.dtype} (at "
                f"most {np.finfo(x.dtype).max:.5g}): pass a smaller alpha, or the input as float64"
            )
    if a.ndim > 1:
        raise ValueError(
            f"alpha must be 1-D, of shape (1,) or (channels,); got shape {a.shape} "
            "(torch.nn.functional.prelu takes a scalar or 1-D weight only)"
        )
    if x.ndim < 2:
        if a.size != 1:
            raise ValueError(
                f"an input of shape {x.shape} has a single channel (channels are axis 1, and "
                f"only inputs with 2 or more dims have one), so alpha must have shape (1,); "
                f"got shape {a.shape}"
            )
        return a.reshape(()).astype(x.dtype)
    channels = x.shape[1]
    if a.size == 1:
        return a.reshape(()).astype(x.dtype)
    if a.size != channels:
        raise ValueError(
            f"alpha must have shape (1,) (one shared slope) or ({channels},) (one slope per "
            f"channel, axis 1 of the input of shape {x.shape}); got shape {a.shape}"
        )
    return a.reshape((channels,) + (1,) * (x.ndim - 2)).astype(x.dtype)


def prelu(x, alpha):
    r"""Parametric ReLU (He et al. 2015): :math:`x` for :math:`x > 0`, :math:`a_c x` otherwise.

    ``alpha`` follows ``torch.nn.functional.prelu``: shape ``(1,)`` (one slope shared by all
    units, a 0-d array is accepted too) or ``(C,)`` (one slope per channel), where the channels
    are axis 1 of ``x``. A 0-d or 1-D ``x`` has a single channel, so it takes one slope only.
    Any other shape is a ``ValueError`` naming the expected and the given shape. The result
    has ``x``'s float dtype (``alpha`` is cast to it); integer ``x`` gives float64.
    """
    arr = _as_float_array(x)
    return _positive_or_scaled(arr, _prelu_slopes(arr, alpha))


def prelu_grad(x, alpha):
    r"""Derivative of PReLU with respect to ``x``: 1 for :math:`x > 0`, the unit's slope
    :math:`a_c` for :math:`x \le 0` (PyTorch's value at 0). NaN gives NaN. Same ``alpha`` rules
    as :func:`prelu`; the result has the shape of ``x``."""
    arr = _as_float_array(x)
    slopes = _prelu_slopes(arr, alpha)
    return _keep_nan(np.where(arr > 0, arr.dtype.type(1), slopes), arr)


def _generator(rng):
    if isinstance(rng, np.random.Generator):
        return rng
    try:
        return np.random.default_rng(shifted_seed(rng, "rng"))
    except (TypeError, ValueError) as err:
        raise type(err)(
            f"rng must be a numpy Generator (np.random.default_rng(seed)) or an int seed in "
            f"[0, 2**32 - 1]; got {shown(rng)}"
        ) from None


def rrelu(x, lower=1 / 8, upper=1 / 3, training=False, rng=None):
    r"""Randomised leaky ReLU (Xu et al. 2015), with PyTorch's conventions (``nn.RReLU``).

    :math:`x` for :math:`x > 0`, :math:`a x` otherwise, where the slope :math:`a` is

    * ``training=False`` (evaluation, ``F.rrelu``'s default): fixed at
      :math:`(\text{lower} + \text{upper}) / 2`, 11/48 for the defaults;
    * ``training=True``: drawn independently for every element from
      :math:`\mathcal U(\text{lower}, \text{upper})` with ``rng``, a NumPy ``Generator`` or an int
      seed. ``rng`` is required in training (``rng=None`` is a ``ValueError``): every random
      draw in the course must be reproducible, and the same ``rng`` state gives the same output.
      It is not used in evaluation.

    ``lower`` and ``upper`` are slopes in [0, 1] with ``lower <= upper``; anything else is a
    ``ValueError`` naming the offending bound. Float dtype is kept; integers give float64.
    """
    lower = float(check_real(lower, "lower"))
    upper = float(check_real(upper, "upper"))
    for name, value in (("lower", lower), ("upper", upper)):
        if not 0 <= value <= 1:
            raise ValueError(f"{name} must be a slope in [0, 1]; got {name}={value!r}")
    if lower > upper:
        raise ValueError(f"lower must not exceed upper; got lower={lower!r} > upper={upper!r}")
    if not isinstance(training, bool | np.bool_):
        raise TypeError(f"training must be True or False; got {training!r}")
    arr = _as_float_array(x)
    if not training:
        return _positive_or_scaled(arr, arr.dtype.type((lower + upper) / 2))
    if rng is None:
        raise ValueError(
            "training=True draws random slopes: pass rng, a numpy Generator "
            "(np.random.default_rng(seed)) or an int seed, so that the draw is reproducible"
        )
    slopes = _generator(rng).uniform(lower, upper, size=arr.shape).astype(arr.dtype)
    return _positive_or_scaled(arr, slopes)


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
    return np.asarray(s * (1 - s))


def tanh(x):
    r"""Hyperbolic tangent :math:`\tanh(x) = (e^x - e^{-x}) / (e^x + e^{-x})`."""
    return np.asarray(np.tanh(_as_float_array(x)))


def tanh_grad(x):
    r""":math:`\tanh'(x) = 1 - \tanh^2(x) \le 1`, with equality only at 0."""
    t = tanh(x)
    return np.asarray(1 - t * t)
