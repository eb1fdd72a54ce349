r"""A small, deterministic training loop for classification, recording what the probes measure.

The loss is cross-entropy. For a :class:`StackedMLP` of M models it is the *sum* of the M
per-model mean losses, so each model gets exactly its own gradient and all M train at once.
"""

import contextlib
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ._checks import check_bool, check_int, check_real, check_seed, shown
from .data import Dataset
from .nets import StackedMLP, linear_layers
from .probes import _eval_mode, _has_activation_layers, dead_unit_fraction, sparsity
from .seeds import generator, manual_seed

__all__ = ["OPTIMIZERS", "History", "train", "accuracy", "StepHistory", "train_steps"]

OPTIMIZERS = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "adam": torch.optim.Adam}


@dataclass(frozen=True)
class History:
    """Per-epoch records; row 0 is before the first update.

    ``loss`` is the mean training loss over the epoch's steps (row 0: on the whole training
    set before training). ``loss``, ``train_acc``, ``test_acc``: shape ``(epochs + 1,)``, or
    ``(epochs + 1, M)`` for a StackedMLP. ``dead`` and ``sparsity`` (measured on the training
    inputs): shape ``(epochs + 1, layers)``, or ``(epochs + 1, M, layers)``; empty when not
    probed.
    ``steps_per_epoch``: optimiser steps in one epoch.
    """

    loss: np.ndarray
    train_acc: np.ndarray
    test_acc: np.ndarray
    dead: np.ndarray
    sparsity: np.ndarray
    steps_per_epoch: int

    @property
    def train_error(self):
        return 1 - self.train_acc

    def first_epoch_below(self, error):
        """The first epoch whose training error is at most ``error`` (per model for a
        StackedMLP); -1 where it never gets there."""
        reached = self.train_error <= error
        return np.where(reached.any(axis=0), reached.argmax(axis=0), -1)


def _per_model_losses(outputs, y):
    if outputs.dim() == 2:
        return F.cross_entropy(outputs, y)
    n_models, n_rows, n_classes = outputs.shape
    losses = F.cross_entropy(outputs.reshape(-1, n_classes), y.repeat(n_models), reduction="none")
    return losses.view(n_models, n_rows).mean(dim=1)


@torch.no_grad()
def accuracy(model, x, y):
    """Fraction of rows classified correctly (eval mode), per model for a StackedMLP."""
    was_training = model.training
    model.eval()
    try:
        correct = (model(x).argmax(dim=-1) == y).float().mean(dim=-1)
    finally:
        model.train(was_training)
    return correct.cpu().numpy() if correct.dim() else correct.item()


def _check_data(data):
    if not isinstance(data, Dataset):
        raise TypeError(f"data must be a relu_lib Dataset; got {type(data).__name__}")
    for name in ("y_train", "y_test"):
        labels = getattr(data, name)
        if labels.dtype != torch.int64:
            raise TypeError(
                f"data.{name} must hold int64 class labels; got {labels.dtype} "
                f"(convert it with .long())"
            )


def _check_model(model, data):
    """Refuses, with a message naming what to change, a model that cannot train on ``data``:
    instead of an error from deep inside torch, or a model trained on nonsense."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module; got {shown(model)}")
    params = list(model.parameters())
    if not params:
        raise ValueError("model has no parameters to train")
    x = data.x_train
    if params[0].device != x.device:
        raise ValueError(
            f"model is on {params[0].device} but data.x_train is on {x.device}: move one "
            f"(model.to(device), data.to(device))"
        )
    dtypes = {p.dtype for p in params if p.is_floating_point()}
    if dtypes and x.dtype not in dtypes:
        raise TypeError(
            f"data.x_train is {x.dtype} but the model's parameters are "
            f"{', '.join(sorted(map(str, dtypes)))}: convert one to the other "
            f"(model.to(data.x_train.dtype), or a Dataset whose inputs have the model's dtype)"
        )
    devices = [x.device.index or 0] if x.is_cuda else []
    try:
        with torch.no_grad(), torch.random.fork_rng(devices=devices), _eval_mode(model):
            outputs = model(x[:1])
    except RuntimeError as err:
        weights = (
            model.weights
            if isinstance(model, StackedMLP)
            else [lin.weight for lin in linear_layers(model)]
        )
        takes = f"; its first layer takes {weights[0].shape[-1]}" if weights else ""
        raise ValueError(
            f"model cannot take the rows of data.x_train: they have {x.shape[1]} features"
            f"{takes} ({err})"
        ) from err
    if outputs.dim() not in (2, 3) or outputs.shape[-2] != 1:
        raise ValueError(
            "model must map a batch of rows (rows, features) to (rows, classes) (a StackedMLP "
            f"to (models, rows, classes)); one row gave an output of shape {tuple(outputs.shape)}"
        )
    if outputs.shape[-1] < data.n_classes:
        raise ValueError(
            f"model has {outputs.shape[-1]} outputs but data has {data.n_classes} classes "
            f"(labels 0 to {data.n_classes - 1}): its last layer needs one output per class"
        )


def _check_batch_size(batch_size, n_rows, full_batch_allowed):
    if batch_size is None and full_batch_allowed:
        return None
    what = f"an int between 1 and {n_rows}" + (" or None" if full_batch_allowed else "")
    return check_int(batch_size, "batch_size", 1, n_rows, what=what)


@contextlib.contextmanager
def _seeded(data, seed):
    """Seeds torch inside the block only (RReLU, dropout), leaving the global state as it was;
    yields the generator that shuffles the mini-batches."""
    devices = [data.x_train.device.index or 0] if data.x_train.is_cuda else []
    with torch.random.fork_rng(devices=devices):
        manual_seed(seed)
        yield generator(seed)


def _batches(n_rows, batch_size, shuffle):
    """Row indices of the mini-batches, epoch after epoch, without end: a fresh permutation
    each epoch (the epoch's last batch may be smaller); ``batch_size=None``: all rows in order."""
    step = n_rows if batch_size is None else batch_size
    while True:
        order = (
            torch.arange(n_rows)
            if batch_size is None
            else torch.randperm(n_rows, generator=shuffle)
        )
        for start in range(0, n_rows, step):
            yield order[start : start + step]


def _sgd_step(model, opt, data, rows, grad_scale=None):
    """One optimiser step on the rows ``rows`` of the training set; returns the per-model
    losses. ``grad_scale`` multiplies each model's gradients (one factor per model)."""
    rows = rows.to(data.x_train.device)
    losses = _per_model_losses(model(data.x_train[rows]), data.y_train[rows])
    opt.zero_grad(set_to_none=True)
    losses.sum().backward()
    if grad_scale is not None:
        for p in model.parameters():
            p.grad.mul_(grad_scale.view(-1, *[1] * (p.dim() - 1)))
    opt.step()
    return losses.detach()


def train(
    model,
    data,
    optimizer="sgd",
    lr=0.1,
    epochs=10,
    batch_size=None,
    seed=0,
    momentum=0.0,
    weight_decay=0.0,
    probe=True,
):
    """Train ``model`` in place on ``data`` (a :class:`Dataset`) and return its :class:`History`.

    ``optimizer`` is ``"sgd"``, ``"adagrad"`` or ``"adam"``; ``batch_size=None`` means
    full-batch gradient descent, else mini-batches reshuffled each epoch. ``seed`` fixes the
    shuffling and any randomness inside the model (RReLU, dropout) without touching torch's
    global random state; like every seed in relu_lib it is an int in [0, 2**32 - 1].
    ``probe=True`` records the dead-unit fraction and sparsity of every activation layer after
    each epoch (a model with no activation layer, e.g. no hidden layer or ``"identity"``,
    records empty arrays). A diverged run (loss NaN or inf) is recorded as it is.

    ``lr`` is a finite positive number, ``momentum`` and ``weight_decay`` finite and >= 0. The
    model must take ``data``'s inputs (same dtype, device and number of features) and give at
    least one output per class. Anything else is a ``TypeError`` (wrong type) or a
    ``ValueError`` (wrong value) naming the argument, raised before any training.
    """
    _check_data(data)
    if not isinstance(optimizer, str):
        raise TypeError(f"optimizer must be one of {sorted(OPTIMIZERS)}; got {shown(optimizer)}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose one of {sorted(OPTIMIZERS)}")
    check_real(lr, "lr", minimum=0, strict=True)
    check_real(momentum, "momentum", minimum=0)
    check_real(weight_decay, "weight_decay", minimum=0)
    epochs = check_int(epochs, "epochs", minimum=0, what="a non-negative int")
    seed = check_seed(seed)
    probe = check_bool(probe, "probe")
    n_rows = len(data.x_train)
    batch_size = _check_batch_size(batch_size, n_rows, full_batch_allowed=True)
    _check_model(model, data)
    options = {"lr": lr, "weight_decay": weight_decay}
    if optimizer == "sgd":
        options["momentum"] = momentum
    elif momentum:
        raise ValueError(f"momentum applies to sgd only; {optimizer} got momentum={momentum}")
    opt = OPTIMIZERS[optimizer](model.parameters(), **options)

    records = {"loss": [], "train_acc": [], "test_acc": [], "dead": [], "sparsity": []}
    # A model with no activation layer has nothing to probe: one empty row per record.
    no_layers = np.zeros((model.n_models, 0)) if isinstance(model, StackedMLP) else []
    probed = probe and _has_activation_layers(model)

    def record(loss):
        records["loss"].append(loss)
        records["train_acc"].append(accuracy(model, data.x_train, data.y_train))
        records["test_acc"].append(accuracy(model, data.x_test, data.y_test))
        if probed:
            records["dead"].append(dead_unit_fraction(model, data.x_train))
            records["sparsity"].append(sparsity(model, data.x_train))
        elif probe:
            records["dead"].append(no_layers)
            records["sparsity"].append(no_layers)

    with torch.no_grad():
        record(_loss_value(_per_model_losses(model(data.x_train), data.y_train)))
    steps = -(-n_rows // (n_rows if batch_size is None else batch_size))
    with _seeded(data, seed) as shuffle:
        batches = _batches(n_rows, batch_size, shuffle)
        model.train()
        for _ in range(epochs):
            epoch_losses = [_sgd_step(model, opt, data, next(batches)) for _ in range(steps)]
            record(_loss_value(torch.stack(epoch_losses).mean(dim=0)))
    return History(
        **{k: np.asarray(v, dtype=float) for k, v in records.items()}, steps_per_epoch=steps
    )


@dataclass(frozen=True)
class StepHistory:
    """The training error on the whole training set, recorded every few optimiser steps.

    ``steps``: shape ``(records,)``, the optimiser steps taken at each record (0: before
    training). ``train_error``: shape ``(records,)``, or ``(records, M)`` for a StackedMLP.
    """

    steps: np.ndarray
    train_error: np.ndarray

    def first_step_below(self, error):
        """The first recorded step count at which the training error is at most ``error`` (per
        model for a StackedMLP); -1 where it never gets there."""
        reached = self.train_error <= error
        return np.where(reached.any(axis=0), self.steps[reached.argmax(axis=0)], -1)


def train_steps(
    model,
    data,
    lr,
    steps,
    batch_size=32,
    every=1,
    momentum=0.0,
    seed=0,
    stop_below=None,
    stop_when=None,
):
    """Mini-batch SGD on ``data`` for ``steps`` optimiser steps, recording the training error
    on the whole training set every ``every`` steps: the measurement for a race ("how many
    steps to reach 5% training error?"), finer than :func:`train`'s once per epoch.

    ``lr`` is a number, or for a :class:`StackedMLP` one learning rate per model (a sequence
    of M): each model's gradient is scaled by its own rate and the optimiser steps with rate 1,
    which is exactly SGD with that rate, momentum included (the momentum buffer is linear in
    the gradients). Mini-batches are drawn as in :func:`train` (a fresh shuffle each epoch).
    ``stop_below`` stops early once every model's training error is at most that;
    ``stop_when``, a function of the :class:`StepHistory` so far, stops early when it returns
    True (e.g. once some learning rate has won a race). ``seed``
    fixes the shuffling and any randomness inside the model without touching torch's global
    random state; like every seed in relu_lib it is an int in [0, 2**32 - 1]. Bad arguments
    are refused as in :func:`train`, before any step.
    """
    _check_data(data)
    steps = check_int(steps, "steps", minimum=1, what="a positive int")
    every = check_int(every, "every", minimum=1, what="a positive int")
    check_real(momentum, "momentum", minimum=0)
    seed = check_seed(seed)
    n_rows = len(data.x_train)
    batch_size = _check_batch_size(batch_size, n_rows, full_batch_allowed=False)
    _check_model(model, data)
    params = list(model.parameters())
    n_models = model.n_models if hasattr(model, "n_models") else 1
    rule = f"lr must be a positive number or one positive rate per model ({n_models}), finite"
    if isinstance(lr, str | bytes) or isinstance(lr, bool | np.bool_):
        raise TypeError(f"{rule}; got {shown(lr)}")
    try:
        rates = torch.as_tensor(lr, dtype=params[0].dtype, device=params[0].device).flatten()
    except (TypeError, ValueError, RuntimeError) as err:
        raise TypeError(f"{rule}; got {shown(lr)}") from err
    if rates.numel() not in (1, n_models) or not bool((torch.isfinite(rates) & (rates > 0)).all()):
        raise ValueError(f"{rule}; got {lr!r}")
    per_model = rates.numel() > 1
    opt = torch.optim.SGD(params, lr=1.0 if per_model else rates.item(), momentum=momentum)

    def error():
        return 1 - accuracy(model, data.x_train, data.y_train)

    records, at = [error()], [0]
    with _seeded(data, seed) as shuffle:
        batches = _batches(n_rows, batch_size, shuffle)
        model.train()
        for step in range(1, steps + 1):
            _sgd_step(model, opt, data, next(batches), rates if per_model else None)
            if step % every == 0 or step == steps:
                records.append(error())
                at.append(step)
                if stop_below is not None and bool(np.all(records[-1] <= stop_below)):
                    break
                if stop_when is not None and bool(stop_when(_step_history(at, records))):
                    break
    return _step_history(at, records)


def _step_history(at, records):
    return StepHistory(np.asarray(at), np.asarray(records, dtype=float))


def _loss_value(losses):
    return losses.cpu().numpy() if losses.dim() else losses.item()
