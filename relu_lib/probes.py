r"""What the notebooks measure inside a network: gradients per layer, zeros per activation layer.

All probes run the model without changing it: no parameter, no ``.grad`` and no train/eval
mode is left different from how it was found.
"""

import contextlib
import functools

import torch
import torch.nn.functional as F
from torch import nn

from ._checks import shown
from .nets import ACTIVATIONS, linear_layers

__all__ = [
    "layer_grad_norms",
    "activation_grad_norms",
    "gradient_profile",
    "activations",
    "dead_unit_fraction",
    "zero_gradient_units",
    "zero_gradient_fraction",
    "sparsity",
]


@functools.cache
def _activation_types():
    return tuple({type(factory(1)) for factory in ACTIVATIONS.values()} - {nn.Identity})


def _check_model(model):
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module; got {shown(model)}")


def _has_activation_layers(model):
    """Whether ``model`` has a layer the probes measure: an activation of ``ACTIVATIONS``
    other than ``"identity"``. A net with no hidden layer, or with ``"identity"``, has none."""
    _check_model(model)
    return any(isinstance(m, _activation_types()) for m in model.modules())


def _check_input(x):
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        raise TypeError(
            f"x must be a floating-point torch.Tensor; got {type(x).__name__}"
            + (f" of dtype {x.dtype}" if isinstance(x, torch.Tensor) else "")
        )
    if x.dim() != 2 or x.shape[0] == 0:
        raise ValueError(
            f"x must be a non-empty batch of shape (rows, features); got {tuple(x.shape)}"
        )


def loss_for(outputs, y=None):
    """Cross-entropy for integer labels ``y``; without labels, the mean of the squared outputs."""
    if y is None:
        return outputs.pow(2).mean()
    if not isinstance(y, torch.Tensor) or y.dtype not in (torch.int64, torch.int32):
        raise TypeError(
            f"y must be a tensor of integer class labels; got "
            f"{getattr(y, 'dtype', type(y).__name__)}"
        )
    return F.cross_entropy(outputs, y.long())


def layer_grad_norms(model, x, y=None):
    r"""One number per ``nn.Linear`` layer, in order: :math:`\lVert \partial L/\partial W_l\rVert_2`
    (Frobenius norm of the weight gradient), for the loss of :func:`loss_for`.

    Gradients are taken with ``torch.autograd.grad``, so the parameters' ``.grad`` are left
    exactly as they were.
    """
    _check_model(model)
    _check_input(x)
    weights = [lin.weight for lin in linear_layers(model)]
    if not weights:
        raise ValueError("model has no nn.Linear layer")
    grads = torch.autograd.grad(loss_for(model(x), y), weights)
    return [g.norm().item() for g in grads]


def activation_grad_norms(model, x, y=None):
    r"""One number per activation layer, in order: :math:`\lVert \partial L/\partial h_l\rVert_2`,
    the norm (over the whole batch) of the gradient of the loss of :func:`loss_for` with respect
    to the layer's output :math:`h_l`: the back-propagated gradient that reaches that layer.

    :func:`layer_grad_norms` measures :math:`\partial L/\partial W_l`, which multiplies this
    backward signal by the forward signal :math:`h_{l-1}`; this probe shows the backward signal
    alone. Parameters' ``.grad`` are left exactly as they were. Plain models only (for a
    :class:`StackedMLP` with labels the cross-entropy would not be per model).
    """
    _check_model(model)
    _check_input(x)
    with _recorded_activations(model) as outputs:
        loss = loss_for(model(x), y)
    grads = torch.autograd.grad(loss, outputs)
    return [g.norm().item() for g in grads]


def gradient_profile(model, x, y=None):
    r""":func:`layer_grad_norms`, :func:`activation_grad_norms` and the activation layers'
    outputs, from one forward and one backward pass: a dict with ``"weight"`` (one norm per
    ``nn.Linear``), ``"backward"`` (one norm per activation layer) and ``"outputs"`` (each
    activation layer's output, detached, from that same forward pass, in the model's current
    train/eval mode). The norms equal those of the two probes called separately; this costs about
    half as much. Parameters' ``.grad`` are left exactly as they were. Plain models only.
    """
    _check_input(x)
    weights = [lin.weight for lin in linear_layers(model)]
    if not weights:
        raise ValueError("model has no nn.Linear layer")
    with _recorded_activations(model) as outputs:
        loss = loss_for(model(x), y)
    grads = torch.autograd.grad(loss, weights + outputs)
    return {
        "weight": [g.norm().item() for g in grads[: len(weights)]],
        "backward": [g.norm().item() for g in grads[len(weights) :]],
        "outputs": [out.detach() for out in outputs],
    }


@contextlib.contextmanager
def _hooked(model, register):
    """``register(layer)`` for every activation layer of ``model`` (it returns a hook handle);
    the hooks are removed when the block ends."""
    types = _activation_types()
    hooks = [register(m) for m in model.modules() if isinstance(m, types)]
    if not hooks:
        raise ValueError("model has no activation layer")
    try:
        yield
    finally:
        for h in hooks:
            h.remove()


@contextlib.contextmanager
def _recorded_activations(model):
    """Collects, in order, the output of every activation layer in the forward passes inside."""
    outputs = []
    with _hooked(
        model, lambda m: m.register_forward_hook(lambda mod, inp, out: outputs.append(out))
    ):
        yield outputs


@contextlib.contextmanager
def _eval_mode(model):
    was_training = [m.training for m in model.modules()]
    model.eval()
    try:
        yield
    finally:
        for m, mode in zip(model.modules(), was_training, strict=True):
            m.training = mode


@torch.no_grad()
def activations(model, x):
    """The output of every activation layer of ``model`` on ``x`` (eval mode), in order.

    For a :class:`StackedMLP` each output has shape ``(models, rows, units)``."""
    _check_model(model)
    _check_input(x)
    with _recorded_activations(model) as outputs, _eval_mode(model):
        model(x)
    return outputs


def _per_layer(values):
    """Floats for a plain model; an array of shape (models, layers) for a StackedMLP."""
    if values[0].dim() == 0:
        return [v.item() for v in values]
    return torch.stack(values, dim=1).cpu().numpy()


def dead_unit_fraction(model, x):
    """One number per activation layer: the fraction of its units whose output is exactly 0 for
    every row of ``x`` (dead on that data). Only the ReLU family outputs exact zeros; Leaky ReLU,
    PReLU and smooth activations give 0 here unless a unit's input is exactly 0 everywhere.
    A unit whose output is NaN (a diverged network) is not counted as dead.
    For a :class:`StackedMLP`, an array of shape ``(models, layers)``."""
    return _per_layer(
        [(out == 0).all(dim=-2).float().mean(dim=-1) for out in activations(model, x)]
    )


def sparsity(model, x):
    """One number per activation layer: the fraction of exact zeros among all its outputs.
    For a :class:`StackedMLP`, an array of shape ``(models, layers)``."""
    return _per_layer(
        [(out == 0).flatten(-2).float().mean(dim=-1) for out in activations(model, x)]
    )


@contextlib.contextmanager
def _recorded_inputs(model):
    """Collects, in order, (layer, a copy of its input) for every activation layer in the forward
    passes inside. A copy, because an in-place activation overwrites its input."""
    inputs = []

    def record(mod, inp):
        inputs.append((mod, inp[0].detach().clone()))

    with _hooked(model, lambda m: m.register_forward_pre_hook(record)):
        yield inputs


def zero_gradient_units(model, x):
    r"""One boolean array per activation layer, one entry per unit: True where the activation's
    derivative is exactly 0 at the unit's input (its pre-activation) for every row of ``x``.

    Such a unit is dead on that data: the gradient its incoming weights get from row :math:`n`
    is :math:`(\partial L/\partial h_n)\, f'(z_n)\, x_n`, exactly 0 for every row and every
    loss, so plain SGD leaves them unchanged. This is the definition that fits every
    activation: for ReLU it counts the same units as :func:`dead_unit_fraction` (output exactly
    0 on every row), while a Leaky ReLU unit is never dead and a smooth activation is dead only
    where its derivative rounds to 0 in the network's floating-point type. Derivatives are
    PyTorch's own (autograd through the layer), in eval mode (RReLU: its fixed slope). A NaN
    derivative is not 0. For a :class:`StackedMLP`, arrays of shape ``(models, units)``.
    """
    _check_model(model)
    _check_input(x)
    with _eval_mode(model):
        with _recorded_inputs(model) as inputs, torch.no_grad():
            model(x)
        masks = []
        for layer, z in inputs:  # the hooks are gone: this call records nothing
            z.requires_grad_(True)
            with torch.enable_grad():
                (derivative,) = torch.autograd.grad(layer(z.clone()).sum(), z)
            masks.append((derivative == 0).all(dim=-2).cpu().numpy())
    return masks


def zero_gradient_fraction(model, x):
    """One number per activation layer: the fraction of its units that :func:`zero_gradient_units`
    finds dead on ``x`` (derivative exactly 0 on every row). For a :class:`StackedMLP`, an array
    of shape ``(models, layers)``."""
    return _per_layer(
        [torch.from_numpy(m).float().mean(dim=-1) for m in zero_gradient_units(model, x)]
    )
