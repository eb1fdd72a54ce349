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

__all__ = ["OPTIMIZERS", "History", "train", "accuracy"]

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


def _loss_value(losses):
    return losses.cpu().numpy() if losses.dim() else losses.item()
