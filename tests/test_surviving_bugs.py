"""Bugs that once survived every test (issue 11): each test here fails on its bug.

The bugs, as one-line changes to relu_lib: ``sparsity`` counting ``<= 0``; ``activations``
probing in training mode, or its eval-mode helper restoring ``training=True`` everywhere;
``activation_costs``' ``vs_copy`` inverted; the training loop shuffling once instead of each
epoch; ``ReLUFunction`` saving its input instead of its output.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import relu_lib as rl
from relu_lib import bench

# --- sparsity counts exact zeros only ---------------------------------------------------------


@pytest.mark.parametrize("activation", ["leaky_relu", "prelu", "tanh", "elu"])
def test_negative_outputs_are_not_zeros(activation):
    net = rl.make_mlp([2, 4, 1], activation=activation, seed=0)
    with torch.no_grad():
        net[0].bias.fill_(-5.0)  # every pre-activation negative: outputs negative, never 0
    x = 0.1 * torch.randn(6, 2, generator=torch.Generator().manual_seed(0))
    assert (rl.activations(net, x)[0] < 0).all()
    assert rl.sparsity(net, x) == [0.0]
    assert rl.dead_unit_fraction(net, x) == [0.0]


def test_the_same_negative_pre_activations_through_relu_are_all_zeros():
    net = rl.make_mlp([2, 4, 1], seed=0)
    with torch.no_grad():
        net[0].bias.fill_(-5.0)
    x = 0.1 * torch.randn(6, 2, generator=torch.Generator().manual_seed(0))
    assert rl.sparsity(net, x) == [1.0] and rl.dead_unit_fraction(net, x) == [1.0]


# --- probes run in eval mode and restore each module's own mode -------------------------------


def test_activations_are_probed_in_eval_mode():
    # RReLU draws a random slope per element in training mode; in eval mode it is (l + u) / 2.
    net = rl.make_mlp([3, 50, 2], activation="rrelu", seed=0)
    net.train()
    x = torch.randn(20, 3, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = F.rrelu(net[0](x), training=False)
    (hidden,) = rl.activations(net, x)
    assert torch.equal(hidden, expected)
    assert rl.sparsity(net, x) == [(expected == 0).float().mean().item()]


@pytest.mark.parametrize("probe", [rl.activations, rl.sparsity, rl.dead_unit_fraction])
@pytest.mark.parametrize("modes", ["train", "eval", "mixed"])
def test_probes_leave_every_module_in_its_own_mode(probe, modes):
    net = rl.make_mlp([3, 4, 4, 2], activation="rrelu", seed=0)
    net.train(modes == "train")
    if modes == "mixed":
        net[1].train()  # one activation in training mode inside a model in eval mode
    before = [m.training for m in net.modules()]
    probe(net, torch.randn(5, 3))
    assert [m.training for m in net.modules()] == before


# --- the benchmark's ratio is activation time over copy time ----------------------------------


def test_vs_copy_is_the_time_over_the_copys(monkeypatch):
    times = iter([0.002, 0.003, 0.008])  # copy, relu, tanh: in the order they are timed
    monkeypatch.setattr(bench, "time_call", lambda *args, **kwargs: next(times))
    rows = rl.activation_costs(["relu", "tanh"], numel=16)
    assert [(r["op"], r["ms"], r["vs_copy"]) for r in rows] == [
        ("copy", 2.0, 1.0),
        ("relu", 3.0, 1.5),
        ("tanh", 8.0, 4.0),
    ]


def test_vs_copy_matches_the_measured_times_for_every_row():
    rows = rl.activation_costs(["relu", "tanh", "gelu"], numel=4096, repeat=3, warmup=1)
    copy_ms = rows[0]["ms"]
    for row in rows:
        assert row["vs_copy"] == pytest.approx(row["ms"] / copy_ms, rel=1e-9), row["op"]


# --- mini-batches are reshuffled every epoch --------------------------------------------------


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


# --- ReLUFunction keeps its output for backward, not its input --------------------------------


def test_relu_function_saves_its_output_not_its_input():
    a = torch.randn(1000, requires_grad=True, generator=torch.Generator().manual_seed(0))
    # a * 2 is a fresh tensor that only the ReLU's backward could keep alive.
    out, memory = rl.count_tensor_memory(lambda: rl.ReLUFunction.apply(a * 2))
    assert memory.held == out.numel() * out.element_size() == 4000  # the output alone
    ref, torch_memory = rl.count_tensor_memory(lambda: torch.relu(a * 2))
    assert torch_memory.held == memory.held  # what torch.relu keeps too
    (saved,) = out.grad_fn.saved_tensors
    assert saved.data_ptr() == out.data_ptr()


def test_in_place_relu_function_saves_the_overwritten_input():
    a = torch.randn(1000, requires_grad=True, generator=torch.Generator().manual_seed(0))
    out, memory = rl.count_tensor_memory(lambda: rl.ReLUFunction.apply(a * 2, True))
    assert memory.held == 4000
    (saved,) = out.grad_fn.saved_tensors
    assert saved.data_ptr() == out.data_ptr()
    np.testing.assert_array_equal(out.detach().numpy(), torch.relu(a * 2).detach().numpy())
