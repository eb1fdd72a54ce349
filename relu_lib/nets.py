r"""Multi-layer perceptrons by name: depth, width, activation and initialisation.

Initialisations (weights :math:`W` of a layer with fan-in :math:`n_\text{in}`, fan-out
:math:`n_\text{out}`):

* ``"he"`` (Kaiming normal, He et al. 2015): :math:`W \sim \mathcal N(0, 2/n_\text{in})`, zero
  bias. Keeps the second moment of the signal constant through ReLU layers.
* ``"xavier"`` (Glorot normal, Glorot & Bengio 2010):
  :math:`W \sim \mathcal N(0, 2/(n_\text{in} + n_\text{out}))`, zero bias. Derived for
  activations that are linear and symmetric around 0; with ReLU it halves the variance per
  layer (when :math:`n_\text{in} = n_\text{out}`).
* ``"torch"``: PyTorch's own ``nn.Linear`` default,
  :math:`W, b \sim \mathcal U(-1/\sqrt{n_\text{in}}, 1/\sqrt{n_\text{in}})`, one sixth of He's
  variance.
* a positive number ``g``: :math:`W \sim \mathcal N(0, g/n_\text{in})`, zero bias. ``2.0`` is He;
  ``4.0`` is twice He (explodes through depth), ``1.0`` is LeCun's.
"""

import copy
import math
import numbers

import torch
from torch import nn

from ._checks import check_bool, check_int, check_seed, is_finite, shown
from .seeds import shifted_seed
from .torch_ops import ReLU

__all__ = ["ACTIVATIONS", "make_activation", "make_mlp", "StackedMLP", "linear_layers"]

# name -> factory taking the layer width (PReLU learns one slope per unit: channel-wise).
ACTIVATIONS = {
    "relu": lambda width: nn.ReLU(),
    "relu_lib": lambda width: ReLU(),
    "leaky_relu": lambda width: nn.LeakyReLU(),
    "prelu": lambda width: nn.PReLU(num_parameters=width),
    "prelu_shared": lambda width: nn.PReLU(),
    "rrelu": lambda width: nn.RReLU(),
    "sigmoid": lambda width: nn.Sigmoid(),
    "tanh": lambda width: nn.Tanh(),
    "elu": lambda width: nn.ELU(),
    "gelu": lambda width: nn.GELU(),
    "silu": lambda width: nn.SiLU(),
    "identity": lambda width: nn.Identity(),
}
INITS = ("he", "xavier", "torch")


def make_activation(name, width=1):
    """The activation module called ``name`` (a key of ``ACTIVATIONS``) for ``width`` units."""
    if not isinstance(name, str):
        raise TypeError(
            f"activation must be a name, one of {sorted(ACTIVATIONS)}; got {shown(name)}"
        )
    width = check_int(width, "width", minimum=1, what="a positive int")
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name](width)


def _check_init(init):
    if isinstance(init, str):
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; choose one of {INITS} or a positive number")
    elif isinstance(init, bool) or not isinstance(init, numbers.Real):
        raise TypeError(f"init must be one of {INITS} or a positive number; got {shown(init)}")
    elif not (init > 0 and is_finite(init)):
        raise ValueError(
            f"init must be one of {INITS} or a finite positive number; got {init!r:.80}"
        )


def _check_finite_weights(layers, init):
    """A gain so large that the weights overflow float32 builds a model of inf and NaN; one so
    small that they underflow builds a model of zeros, which nothing can train."""
    for i, linear in enumerate(layers, start=1):
        std = math.sqrt(float(init) / linear.in_features)
        if not torch.isfinite(linear.weight).all():
            raise ValueError(
                f"init={init!r} draws weights with standard deviation sqrt(init / fan_in) = "
                f"{std:.3g} in layer {i}, beyond {linear.weight.dtype}'s range: they overflow "
                "to inf. Choose a smaller gain."
            )
        if not linear.weight.any():
            raise ValueError(
                f"init={init!r} draws weights with standard deviation sqrt(init / fan_in) = "
                f"{std:.3g} in layer {i}, below {linear.weight.dtype}'s smallest number: every "
                "weight underflows to 0. Choose a larger gain."
            )


def _check_sizes(sizes):
    try:
        if isinstance(sizes, str | bytes):
            raise TypeError
        sizes = list(sizes)
    except TypeError:
        raise TypeError(
            f"sizes must be a sequence of at least two positive ints [in, ..., out]; "
            f"got {shown(sizes)}"
        ) from None
    if len(sizes) < 2:
        raise ValueError(f"sizes must be at least two positive ints [in, ..., out]; got {sizes}")
    what = "a positive int (sizes must be at least two positive ints [in, ..., out])"
    return [check_int(s, f"sizes[{i}]", minimum=1, what=what) for i, s in enumerate(sizes)]


@torch.no_grad()
def _initialise(linear, init):
    if init == "torch":
        return  # nn.Linear initialised itself on construction
    if init == "he":
        nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
    elif init == "xavier":
        nn.init.xavier_normal_(linear.weight)
    else:
        linear.weight.normal_(0.0, (float(init) / linear.in_features) ** 0.5)
    if linear.bias is not None:
        linear.bias.zero_()


def make_mlp(sizes, activation="relu", init="he", bias=True, seed=None):
    """``nn.Sequential`` of Linear layers ``sizes[0] -> sizes[1] -> ... -> sizes[-1]`` with the
    activation between them and none after the last.

    ``sizes`` is ``[in, hidden..., out]`` (at least two positive ints; NumPy integers and
    arrays of them count). ``activation`` is a name from ``ACTIVATIONS``; ``init`` is
    ``"he"``, ``"xavier"``, ``"torch"`` or a finite positive number (see the module docstring)
    small enough for the weights to stay finite; ``bias`` is True or False. ``seed`` is None
    (torch's global random state draws the weights) or, like every seed in relu_lib, an int in
    [0, 2**32 - 1]. The same ``seed`` gives the same weights, and building with a seed leaves
    torch's global random state untouched. Anything else is a ``TypeError`` (wrong type) or a
    ``ValueError`` (wrong value) naming the argument.
    """
    sizes = _check_sizes(sizes)
    make_activation(activation)  # validates the name
    _check_init(init)
    bias = check_bool(bias, "bias")
    if seed is not None:
        seed = check_seed(seed)

    def build():
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            linear = nn.Linear(n_in, n_out, bias=bias)
            _initialise(linear, init)
            layers.append(linear)
            if i < len(sizes) - 2:
                layers.append(make_activation(activation, n_out))
        if not isinstance(init, str):
            _check_finite_weights(layers[::2], init)
        return nn.Sequential(*layers)

    if seed is None:
        return build()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(shifted_seed(seed))
        return build()


def linear_layers(model):
    """The ``nn.Linear`` layers of ``model``, in order."""
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


class StackedMLP(nn.Module):
    r"""Several MLPs of the same shape and activation, run as one batched model.

    Built from a list of ``make_mlp`` models (different seeds or initialisations); layer
    :math:`l` holds the stacked weights :math:`W_l \in \mathbb R^{M \times n_\text{out} \times
    n_\text{in}}`. The forward maps ``x`` of shape ``(batch, in)`` (shared by all models) or
    ``(M, batch, in)`` to ``(M, batch, out)``. The models share no parameter, so with a loss
    that is the *sum* of the per-model losses each model gets exactly its own gradient, and an
    elementwise optimiser (SGD, Adagrad, Adam) trains each exactly as if alone: one training
    run of M small nets instead of M runs. ``unstack()`` gives the separate models back.
    Activations must have no parameters (PReLU cannot be stacked).
    """

    def __init__(self, models):
        super().__init__()
        models = list(models)
        if not models:
            raise ValueError("StackedMLP needs at least one model")
        shapes = [
            [(lin.in_features, lin.out_features, lin.bias is not None) for lin in linear_layers(m)]
            for m in models
        ]
        if any(s != shapes[0] for s in shapes):
            raise ValueError("all models must have the same layer sizes and bias setting")
        kinds = [[type(m).__name__ for m in model] for model in models]
        if any(k != kinds[0] for k in kinds):
            raise ValueError("all models must use the same activation")
        self.activations = nn.ModuleList(m for m in models[0] if not isinstance(m, nn.Linear))
        if any(any(True for _ in a.parameters()) for a in self.activations):
            raise ValueError("activations with parameters (e.g. PReLU) cannot be stacked")
        layers = [linear_layers(m) for m in models]
        self.weights = nn.ParameterList(
            nn.Parameter(torch.stack([ls[i].weight.detach() for ls in layers]).clone())
            for i in range(len(layers[0]))
        )
        self.biases = nn.ParameterList(
            nn.Parameter(torch.stack([ls[i].bias.detach() for ls in layers]).clone())
            for i in range(len(layers[0]))
            if layers[0][i].bias is not None
        )
        self.has_bias = layers[0][0].bias is not None
        # In a list, so that its parameters are not registered as this module's.
        self._template = [copy.deepcopy(models[0])]

    @property
    def n_models(self):
        return self.weights[0].shape[0]

    def forward(self, x):
        h = x.expand(self.n_models, *x.shape) if x.dim() == 2 else x
        for i, w in enumerate(self.weights):
            h = h @ w.transpose(1, 2)
            if self.has_bias:
                h = h + self.biases[i].unsqueeze(1)
            if i < len(self.activations):
                h = self.activations[i](h)
        return h

    @torch.no_grad()
    def unstack(self):
        """The M models as separate ``nn.Sequential`` copies with the current weights."""
        models = []
        for k in range(self.n_models):
            model = copy.deepcopy(self._template[0]).to(self.weights[0].device)
            for i, linear in enumerate(linear_layers(model)):
                linear.weight.copy_(self.weights[i][k])
                if self.has_bias:
                    linear.bias.copy_(self.biases[i][k])
            models.append(model)
        return models
