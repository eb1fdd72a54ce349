"""Data sets for the experiments. Nothing is downloaded: the digits ship inside scikit-learn,
everything else is generated locally from a seed. Also the course's GPU measurements, which
ship inside relu_lib (``measurements/``, described in its README).
"""

import csv
from dataclasses import dataclass
from importlib import resources

import numpy as np
import torch
from sklearn.datasets import load_digits

from ._checks import check_seed, shown
from .seeds import rng

__all__ = ["Dataset", "digits", "spirals", "load_measurements", "MEASUREMENTS"]

MEASUREMENTS = ("h200_activation_cost", "h200_inplace_relu_memory")


@dataclass(frozen=True)
class Dataset:
    """A classification task split into train and test tensors (float32 inputs, int64 labels)."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    name: str = ""

    def __post_init__(self):
        """Refuses, naming the field, what no classifier can train or be tested on: inputs that
        are not (rows, features) with finite values, the two inputs with different features,
        labels that are not one whole number >= 0 per row, an empty training or test set."""
        for field in ("x_train", "y_train", "x_test", "y_test"):
            if not isinstance(getattr(self, field), torch.Tensor):
                raise TypeError(
                    f"{field} must be a torch.Tensor; got {shown(getattr(self, field))}"
                )
        for x, y in (("x_train", "y_train"), ("x_test", "y_test")):
            inputs, labels = getattr(self, x), getattr(self, y)
            if inputs.dim() != 2:
                raise ValueError(
                    f"{x} must be 2-D (rows, features); got shape {tuple(inputs.shape)}"
                )
            if len(inputs) == 0:
                raise ValueError(
                    f"{x} has no rows: a model can be neither trained nor tested on it"
                )
            if not (inputs.is_floating_point() and torch.isfinite(inputs).all()):
                raise ValueError(f"{x} must hold finite floating-point numbers (no NaN or inf)")
            if labels.dim() != 1 or len(labels) != len(inputs):
                raise ValueError(
                    f"{y} must hold one class label per row of {x} ({len(inputs)}); "
                    f"got shape {tuple(labels.shape)}"
                )
            if labels.is_floating_point() or labels.is_complex() or labels.dtype == torch.bool:
                raise TypeError(
                    f"{y} must hold whole-number class labels; got {labels.dtype} "
                    "(convert them with .long())"
                )
            if labels.min() < 0:
                raise ValueError(
                    f"{y} must hold class labels 0, 1, 2, ...; got {labels.min().item()}"
                )
        if self.x_test.shape[1] != self.x_train.shape[1]:
            raise ValueError(
                f"x_test must have x_train's {self.x_train.shape[1]} features; "
                f"got {self.x_test.shape[1]}"
            )

    @property
    def n_features(self):
        return self.x_train.shape[1]

    @property
    def n_classes(self):
        return int(torch.cat([self.y_train, self.y_test]).max().item()) + 1

    def to(self, device):
        return Dataset(
            self.x_train.to(device),
            self.y_train.to(device),
            self.x_test.to(device),
            self.y_test.to(device),
            self.name,
        )

    def __repr__(self):
        return (
            f"Dataset({self.name!r}: {len(self.x_train)} train / {len(self.x_test)} test, "
            f"{self.n_features} features, {self.n_classes} classes)"
        )


def _split(x, y, test_fraction, seed, name, n_train=None):
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1; got {test_fraction!r}")
    order = rng(seed).permutation(len(x))
    n_test = round(len(x) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    if n_train is not None:
        if not 0 < n_train <= len(train):
            raise ValueError(f"n_train must be between 1 and {len(train)}; got {n_train!r}")
        train = train[:n_train]
    # Standardise with the training set's statistics only: the test set stays unseen.
    mean, std = x[train].mean(axis=0), x[train].std(axis=0)
    std = np.where(std > 0, std, 1.0)
    x = (x - mean) / std

    def tensors(idx):
        return torch.tensor(x[idx], dtype=torch.float32), torch.tensor(y[idx], dtype=torch.int64)

    return Dataset(*tensors(train), *tensors(test), name=name)


def digits(test_fraction=0.25, seed=0, n_train=None):
    """scikit-learn's 1,797 handwritten digits, 8x8 pixels (64 features), 10 classes.

    Shuffled with ``seed`` and split; ``n_train`` keeps only that many training rows (a small
    training set makes overfitting visible). Features are standardised per pixel with the
    training rows' mean and standard deviation. ``seed``, like every seed in relu_lib, is an
    int in [0, 2**32 - 1].
    """
    seed = check_seed(seed)
    bunch = load_digits()
    return _split(
        bunch.data.astype(np.float64), bunch.target, test_fraction, seed, "digits", n_train
    )


def spirals(n_per_class=200, n_classes=3, noise=0.2, test_fraction=0.25, seed=0):
    """Interleaved 2-D spirals, one arm per class: a small task no linear model can solve.
    ``seed``, like every seed in relu_lib, is an int in [0, 2**32 - 1]."""
    seed = check_seed(seed)
    if n_per_class < 1 or n_classes < 2 or noise < 0:
        raise ValueError(
            "spirals needs n_per_class >= 1, n_classes >= 2 and noise >= 0; got "
            f"{n_per_class}, {n_classes}, {noise}"
        )
    draw = rng(seed)
    radius = np.tile(np.linspace(0.05, 1.0, n_per_class), n_classes)
    label = np.repeat(np.arange(n_classes), n_per_class)
    angle = (
        label * 2 * np.pi / n_classes
        + radius * 1.75 * 2 * np.pi
        + draw.normal(scale=noise, size=radius.shape)
    )
    x = np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1)
    return _split(x, label, test_fraction, seed, "spirals")


def _parse(value):
    if value in ("True", "False"):
        return value == "True"
    try:
        return float(value)
    except ValueError:
        return value if value else None


def load_measurements(name):
    """The rows of ``measurements/<name>.csv`` as dicts: numbers as floats, empty cells as None,
    True/False as bools. ``name`` is one of ``MEASUREMENTS``."""
    if name not in MEASUREMENTS:
        raise ValueError(f"unknown measurements {name!r}; choose one of {MEASUREMENTS}")
    text = resources.files("relu_lib").joinpath("measurements", f"{name}.csv").read_text()
    return [{k: _parse(v) for k, v in row.items()} for row in csv.DictReader(text.splitlines())]
