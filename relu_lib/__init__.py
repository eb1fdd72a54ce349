"""relu_lib: the shared code of the ReLU course. Every public name is re-exported here flat.

Modules by concern: ``functional`` (NumPy reference functions), ``claims`` (``claim``),
``session`` (notebook set-up), ``plotting`` (the course's figures), ``exercises`` (checkers).
"""

from .claims import claim
from .exercises import check_abs_formula_breaks_at, check_relu, check_relu_from_abs
from .functional import (
    leaky_relu,
    leaky_relu_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    tanh,
    tanh_grad,
)
from .plotting import (
    new_figure,
    plot_curves,
    plot_function_and_derivative,
    plot_per_layer,
    use_course_style,
)
from .session import get_device, setup_notebook

__all__ = [
    "claim",
    "check_abs_formula_breaks_at",
    "check_relu",
    "check_relu_from_abs",
    "leaky_relu",
    "leaky_relu_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
    "new_figure",
    "plot_curves",
    "plot_function_and_derivative",
    "plot_per_layer",
    "use_course_style",
    "get_device",
    "setup_notebook",
]
