r"""A small, deterministic training loop for classification, recording what the probes measure.

The loss is cross-entropy. For a :class:`StackedMLP` of M models it is the *sum* of the M
per-model mean losses, so each model gets exactly its own gradient and all M train at once.
"""

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .data import Dataset
from .probes import dead_unit_fraction, sparsity

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
    global random state. ``probe=True`` records the dead-unit fraction and sparsity of every
    activation layer after each epoch. A diverged run (loss NaN or inf) is recorded as it is.
    """
    if not isinstance(data, Dataset):
        raise TypeError(f"data must be a relu_lib Dataset; got {type(data).__name__}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose one of {sorted(OPTIMIZERS)}")
    if not lr > 0:
        raise ValueError(f"lr must be positive; got {lr!r}")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be a non-negative int; got {epochs!r}")
    n_rows = len(data.x_train)
    if batch_size is not None and not 1 <= batch_size <= n_rows:
        raise ValueError(f"batch_size must be None or between 1 and {n_rows}; got {batch_size!r}")
    options = {"lr": lr, "weight_decay": weight_decay}
    if optimizer == "sgd":
        options["momentum"] = momentum
    elif momentum:
        raise ValueError(f"momentum applies to sgd only; {optimizer} got momentum={momentum}")
    opt = OPTIMIZERS[optimizer](model.parameters(), **options)

    records = {"loss": [], "train_acc": [], "test_acc": [], "dead": [], "sparsity": []}

    def record(loss):
        records["loss"].append(loss)
        records["train_acc"].append(accuracy(model, data.x_train, data.y_train))
        records["test_acc"].append(accuracy(model, data.x_test, data.y_test))
        if probe:
            records["dead"].append(dead_unit_fraction(model, data.x_train))
            records["sparsity"].append(sparsity(model, data.x_train))

    with torch.no_grad():
        record(_loss_value(_per_model_losses(model(data.x_train), data.y_train)))
    batch = n_rows if batch_size is None else batch_size
    steps = -(-n_rows // batch)
    with torch.random.fork_rng(
        devices=[data.x_train.device.index or 0] if data.x_train.is_cuda else []
    ):
        torch.manual_seed(seed)
        shuffle = torch.Generator().manual_seed(seed)
        model.train()
        for _ in range(epochs):
            order = (
                torch.arange(n_rows)
                if batch_size is None
                else torch.randperm(n_rows, generator=shuffle)
            )
            epoch_losses = []
            for start in range(0, n_rows, batch):
                rows = order[start : start + batch].to(data.x_train.device)
                losses = _per_model_losses(model(data.x_train[rows]), data.y_train[rows])
                opt.zero_grad(set_to_none=True)
                losses.sum().backward()
                opt.step()
                epoch_losses.append(losses.detach())
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
    random state. Trains ``model`` in place; returns a :class:`StepHistory`.
    """
    if not isinstance(data, Dataset):
        raise TypeError(f"data must be a relu_lib Dataset; got {type(data).__name__}")
    for name, value in (("steps", steps), ("every", every)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int; got {value!r}")
    n_rows = len(data.x_train)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int):
        raise ValueError(f"batch_size must be an int between 1 and {n_rows}; got {batch_size!r}")
    if not 1 <= batch_size <= n_rows:
        raise ValueError(f"batch_size must be between 1 and {n_rows}; got {batch_size!r}")
    params = list(model.parameters())
    rates = torch.as_tensor(lr, dtype=params[0].dtype, device=params[0].device).flatten()
    n_models = model.n_models if hasattr(model, "n_models") else 1
    if rates.numel() not in (1, n_models) or not bool((rates > 0).all()):
        raise ValueError(
            f"lr must be a positive number or one positive rate per model ({n_models}); got {lr!r}"
        )
    per_model = rates.numel() > 1
    opt = torch.optim.SGD(params, lr=1.0 if per_model else rates.item(), momentum=momentum)

    def error():
        return 1 - accuracy(model, data.x_train, data.y_train)

    records, at = [error()], [0]
    with torch.random.fork_rng(
        devices=[data.x_train.device.index or 0] if data.x_train.is_cuda else []
    ):
        torch.manual_seed(seed)
        shuffle = torch.Generator().manual_seed(seed)
        model.train()
        order, start = torch.randperm(n_rows, generator=shuffle), 0
        for step in range(1, steps + 1):
            if start >= n_rows:
                order, start = torch.randperm(n_rows, generator=shuffle), 0
            rows = order[start : start + batch_size].to(data.x_train.device)
            start += batch_size
            losses = _per_model_losses(model(data.x_train[rows]), data.y_train[rows])
            opt.zero_grad(set_to_none=True)
            losses.sum().backward()
            if per_model:
                for p in params:
                    p.grad.mul_(rates.view(-1, *[1] * (p.dim() - 1)))
            opt.step()
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
