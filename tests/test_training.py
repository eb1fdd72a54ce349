"""Tests of relu_lib.training: train (determinism, learning, its History, bad settings, plain SGD
leaving killed units dead), train_steps and its StepHistory (records, seeds, one rate per stacked
model, stopping, bad arguments), that train_steps takes exactly the optimiser steps train takes
(notebook 07 relies on it), and the regression of issue 11 in both: mini-batches are reshuffled
every epoch."""

import math

import numpy as np
import pytest
import torch
from torch import nn

import relu_lib as rl


@pytest.fixture(scope="module")
def digits_200():
    return rl.digits(n_train=200)


# --- train ------------------------------------------------------------------------------------


def test_training_is_deterministic_and_learns():
    data = rl.digits()
    runs = [
        rl.train(rl.make_mlp([64, 32, 10], seed=0), data, lr=0.1, epochs=8, batch_size=64, seed=1)
        for _ in range(2)
    ]
    np.testing.assert_array_equal(runs[0].loss, runs[1].loss)
    h = runs[0]
    assert h.loss.shape == (9,) and h.dead.shape == (9, 1)
    assert h.train_acc[-1] > 0.9 and h.test_acc[-1] > 0.85
    assert h.steps_per_epoch == math.ceil(len(data.x_train) / 64)


def test_first_epoch_below():
    data = rl.spirals(n_per_class=20)
    h = rl.train(rl.make_mlp([2, 8, 3], seed=0), data, epochs=2)
    assert h.first_epoch_below(1.0) == 0 and h.first_epoch_below(-1.0) == -1


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"optimizer": "rmsprop"}, ValueError, "unknown optimizer 'rmsprop'"),
        ({"lr": 0}, ValueError, "lr must be positive"),
        ({"epochs": -1}, ValueError, "epochs"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 2.5}, TypeError, "batch_size must be an int"),
        ({"optimizer": "adam", "momentum": 0.9}, ValueError, "momentum applies to sgd"),
    ],
)
def test_training_refuses_bad_settings(kwargs, error, match):
    with pytest.raises(error, match=match):
        rl.train(rl.make_mlp([2, 3, 3]), rl.spirals(n_per_class=10), **kwargs)


def test_training_needs_a_dataset():
    with pytest.raises(TypeError, match="Dataset"):
        rl.train(rl.make_mlp([2, 3, 3]), (torch.zeros(3, 2), torch.zeros(3)))


# Notebook 05 kills units (incoming weights 0, bias -1) and says that relu_lib's plain SGD
# leaves them dead: checked here.
def killed_network(fraction, seed=0, sizes=(64, 32, 32, 10)):
    net = rl.make_mlp(list(sizes), activation="relu", init="he", seed=seed)
    with torch.no_grad():
        for layer in rl.linear_layers(net)[:2]:  # both hidden layers, as in the notebook
            k = round(fraction * layer.out_features)
            layer.weight[:k] = 0.0
            layer.bias[:k] = -1.0
    return net


@pytest.mark.parametrize("fraction", [1 / 2, 3 / 4])
def test_train_with_plain_sgd_leaves_killed_units_dead(digits_200, fraction):
    stack = rl.StackedMLP([killed_network(fraction, seed=s) for s in range(3)])
    rl.train(stack, digits_200, lr=0.1, epochs=5, batch_size=50, probe=False)
    inputs = torch.cat([digits_200.x_train, digits_200.x_test])
    dead = rl.dead_unit_fraction(stack, inputs)  # (networks, hidden layers)
    assert np.all(dead >= fraction - 1e-9)


def test_train_with_plain_sgd_does_not_move_the_killed_units_parameters(digits_200):
    net = killed_network(1 / 2)
    rl.train(net, digits_200, lr=0.1, epochs=3, batch_size=50, probe=False)
    for layer in rl.linear_layers(net)[:2]:
        k = layer.out_features // 2
        assert torch.equal(layer.weight[:k], torch.zeros_like(layer.weight[:k]))
        assert torch.equal(layer.bias[:k], torch.full_like(layer.bias[:k], -1.0))


def test_weight_decay_would_move_them_so_the_check_can_fail(digits_200):
    # The same kill with weight decay: the bias decays toward 0, so the parameters do change.
    # (This is why the notebook uses plain SGD; a training loop that always applied decay or
    # momentum from other units' history would fail the test above.)
    net = killed_network(1 / 2)
    rl.train(net, digits_200, lr=0.1, epochs=3, batch_size=50, probe=False, weight_decay=0.1)
    layer = rl.linear_layers(net)[0]
    k = layer.out_features // 2
    assert not torch.equal(layer.bias[:k], torch.full_like(layer.bias[:k], -1.0))


# --- train_steps and StepHistory --------------------------------------------------------------


def mlp(seed, activation="relu"):
    return rl.make_mlp([64, 16, 10], activation=activation, seed=seed)


def weights(model):
    return [p.detach().clone() for p in model.parameters()]


def test_records_every_few_steps_and_the_last_step(digits_200):
    history = rl.train_steps(mlp(0), digits_200, lr=0.1, steps=23, every=5)
    assert history.steps.tolist() == [0, 5, 10, 15, 20, 23]
    assert history.train_error.shape == (6,)
    assert 0.8 < history.train_error[0] <= 1.0  # ten classes, before training
    assert history.train_error[-1] < 0.5  # it learns


def test_deterministic_and_leaves_the_global_random_state_alone(digits_200):
    torch.manual_seed(5)
    expected = torch.rand(1)
    torch.manual_seed(5)
    a, b = mlp(0), mlp(0)
    ha = rl.train_steps(a, digits_200, lr=0.1, steps=12, seed=3)
    assert torch.rand(1) == expected
    hb = rl.train_steps(b, digits_200, lr=0.1, steps=12, seed=3)
    assert np.array_equal(ha.train_error, hb.train_error)
    assert all(torch.equal(p, q) for p, q in zip(weights(a), weights(b), strict=True))


def test_same_batches_as_train_for_whole_epochs(digits_200):
    """Ten steps of 20 rows are one epoch of 200 rows, shuffled exactly as ``train`` does."""
    a, b = mlp(1), mlp(1)
    rl.train(a, digits_200, lr=0.1, epochs=2, batch_size=20, seed=4, probe=False)
    rl.train_steps(b, digits_200, lr=0.1, steps=20, batch_size=20, seed=4)
    assert all(torch.allclose(p, q, atol=1e-6) for p, q in zip(weights(a), weights(b), strict=True))


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_one_rate_per_stacked_model_is_that_model_trained_alone(digits_200, momentum):
    rates = [0.05, 0.2, 0.5]
    stack = rl.StackedMLP([mlp(s) for s in range(3)])
    stacked = rl.train_steps(stack, digits_200, lr=rates, steps=15, every=3, momentum=momentum)
    assert stacked.train_error.shape == (6, 3)
    for k, (rate, trained) in enumerate(zip(rates, stack.unstack(), strict=True)):
        alone = mlp(k)
        history = rl.train_steps(alone, digits_200, lr=rate, steps=15, every=3, momentum=momentum)
        assert np.allclose(history.train_error, stacked.train_error[:, k], atol=1e-3)
        for p, q in zip(weights(alone), weights(trained), strict=True):
            assert torch.allclose(p, q, atol=1e-5)


def test_a_single_rate_for_a_stack(digits_200):
    stack = rl.StackedMLP([mlp(s) for s in range(2)])
    history = rl.train_steps(stack, digits_200, lr=0.1, steps=4)
    assert history.train_error.shape == (5, 2)


def test_stop_below_stops_once_every_model_gets_there(digits_200):
    stack = rl.StackedMLP([mlp(s) for s in range(2)])
    history = rl.train_steps(stack, digits_200, lr=0.3, steps=2000, every=5, stop_below=0.5)
    assert history.steps[-1] < 2000
    assert (history.train_error[-1] <= 0.5).all()
    assert not (history.train_error[-2] <= 0.5).all()


def test_stop_when_is_called_with_the_history_so_far(digits_200):
    seen = []

    def some_model_below_half(history):
        seen.append(history)
        return (history.first_step_below(0.5) >= 0).any()

    stack = rl.StackedMLP([mlp(0), mlp(1)])
    history = rl.train_steps(
        stack, digits_200, lr=[0.3, 0.01], steps=2000, every=5, stop_when=some_model_below_half
    )
    assert history.steps[-1] < 2000 and len(seen) == len(history.steps) - 1
    assert np.array_equal(seen[-1].train_error, history.train_error)
    assert np.array_equal(seen[0].steps, [0, 5])
    assert (history.train_error[-1] <= 0.5).any() and not (history.train_error[-2] <= 0.5).any()


def test_first_step_below():
    history = rl.StepHistory(
        steps=np.array([0, 5, 10, 15]),
        train_error=np.array([[0.9, 0.9], [0.4, 0.8], [0.2, 0.6], [0.3, 0.55]]),
    )
    assert history.first_step_below(0.5).tolist() == [5, -1]
    assert history.first_step_below(0.9).tolist() == [0, 0]
    single = rl.StepHistory(np.array([0, 2, 4]), np.array([0.9, 0.1, 0.0]))
    assert int(single.first_step_below(0.1)) == 2
    assert int(single.first_step_below(-1.0)) == -1


def test_a_diverging_model_does_not_disturb_the_others(digits_200):
    stack = rl.StackedMLP([mlp(0), mlp(0)])
    history = rl.train_steps(stack, digits_200, lr=[0.1, 1e6], steps=10)
    assert history.train_error[-1, 0] < 0.6
    alone = mlp(0)
    rl.train_steps(alone, digits_200, lr=0.1, steps=10)
    assert torch.allclose(stack.unstack()[0][0].weight, alone[0].weight, atol=1e-5)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"steps": 0}, ValueError, "steps must be a positive int"),
        ({"every": 0}, ValueError, "every must be a positive int"),
        ({"steps": 2.5}, TypeError, "steps must be a positive int"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 10_000}, ValueError, "batch_size"),
        ({"lr": 0.0}, ValueError, "lr must be a positive number"),
        ({"lr": [0.1, 0.2]}, ValueError, "one positive rate per model \\(1\\)"),
        ({"data": "digits"}, TypeError, "relu_lib Dataset"),
    ],
)
def test_bad_arguments(digits_200, kwargs, error, match):
    arguments = {"data": digits_200, "lr": 0.1, "steps": 3, **kwargs}
    with pytest.raises(error, match=match):
        rl.train_steps(mlp(0), **arguments)


# --- train_steps takes the steps train takes --------------------------------------------------


@pytest.mark.parametrize("activation", ["relu", "prelu"])
def test_train_steps_takes_the_steps_train_takes(activation):
    data = rl.digits(n_train=300)
    sizes = [64, 16, 16, 10]
    a = rl.make_mlp(sizes, activation=activation, seed=3)
    b = rl.make_mlp(sizes, activation=activation, seed=3)
    history = rl.train(
        a, data, "sgd", lr=0.05, momentum=0.9, epochs=3, batch_size=128, seed=0, probe=False
    )
    steps = 3 * history.steps_per_epoch
    record = rl.train_steps(b, data, lr=0.05, steps=steps, batch_size=128, momentum=0.9, seed=0)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    # with every=1, the records at the ends of the epochs are train's per-epoch errors
    per_epoch = record.train_error[:: history.steps_per_epoch]
    np.testing.assert_allclose(per_epoch, history.train_error)


# --- regression: mini-batches are reshuffled every epoch --------------------------------------
# Issue 11: a bug that once survived every test, caught by the tests below: the training loop
# shuffling the rows once instead of afresh each epoch.


class RowRecorder(nn.Module):
    """A linear classifier that records which rows each training step sees."""

    def __init__(self, n_features, n_classes):
        super().__init__()
        self.linear = nn.Linear(n_features, n_classes)
        self.seen = []

    def forward(self, x):
        if self.training and torch.is_grad_enabled():  # an optimiser step, not a measurement
            self.seen.append(x[:, 0].round().long().tolist())
        return self.linear(x)


def indexed_data(n_rows=20):
    """Feature 0 of each training row is its index, so a batch says which rows it holds."""
    x = torch.stack([torch.arange(n_rows, dtype=torch.float32), torch.zeros(n_rows)], dim=1)
    y = torch.arange(n_rows) % 2
    return rl.Dataset(x, y, x[:4], y[:4], "indexed")


def epochs_seen(recorder, steps_per_epoch):
    """The row indices each epoch's steps saw, in order, one list per epoch."""
    batches = recorder.seen
    return [
        sum(batches[start : start + steps_per_epoch], [])
        for start in range(0, len(batches), steps_per_epoch)
    ]


def test_train_shuffles_afresh_each_epoch():
    data = indexed_data()
    recorder = RowRecorder(2, 2)
    history = rl.train(recorder, data, lr=1e-3, epochs=4, batch_size=6, seed=0, probe=False)
    assert history.steps_per_epoch == 4
    epochs = epochs_seen(recorder, 4)
    assert len(epochs) == 4
    for order in epochs:
        assert sorted(order) == list(range(20))  # every row once per epoch
    assert epochs[0] != list(range(20))  # shuffled at all
    assert len({tuple(order) for order in epochs}) == 4  # a new order every epoch
    again = RowRecorder(2, 2)
    rl.train(again, data, lr=1e-3, epochs=4, batch_size=6, seed=0, probe=False)
    assert again.seen == recorder.seen  # the same seed, the same batches


def test_train_steps_shuffles_afresh_each_epoch():
    recorder = RowRecorder(2, 2)
    rl.train_steps(recorder, indexed_data(), lr=1e-3, steps=12, batch_size=5, seed=0)
    epochs = epochs_seen(recorder, 4)
    assert len(epochs) == 3 and all(sorted(order) == list(range(20)) for order in epochs)
    assert len({tuple(order) for order in epochs}) == 3
