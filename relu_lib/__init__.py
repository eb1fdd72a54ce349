"""relu_lib: the shared code of the ReLU course. Every public name is re-exported here flat.

Modules by concern:

- ``functional``: NumPy reference activations and their derivatives
- ``torch_ops``: ``ReLUFunction`` (autograd from scratch) and ``ReLU`` (an ``nn.ReLU`` twin)
- ``nets``: ``make_mlp`` by depth, width, activation and initialisation; ``StackedMLP``
- ``probes``: gradient norms per layer, dead units and sparsity per activation layer
- ``training``: a small deterministic training loop that records the probes
- ``data``: data sets made locally or shipped inside scikit-learn (never downloaded)
- ``plotting``: the course's figure style and plot shapes
- ``claims``: ``claim``, how a notebook states a checked result
- ``session``: ``setup_notebook``, called once at the top of every notebook
- ``exercises``: one checker per exercise
"""

from types import ModuleType

from .claims import claim
from .data import Dataset, digits, spirals
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
from .nets import ACTIVATIONS, StackedMLP, linear_layers, make_activation, make_mlp
from .plotting import (
    new_figure,
    plot_curves,
    plot_function_and_derivative,
    plot_per_layer,
    use_course_style,
)
from .probes import activations, dead_unit_fraction, layer_grad_norms, sparsity
from .session import get_device, setup_notebook
from .torch_ops import ReLU, ReLUFunction
from .training import OPTIMIZERS, History, accuracy, train

__all__ = sorted(
    name
    for name, value in dict(globals()).items()
    if not name.startswith("_") and not isinstance(value, ModuleType)
)
