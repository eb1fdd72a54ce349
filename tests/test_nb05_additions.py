"""What notebook 05 added to relu_lib.training: ``train_steps`` and its ``StepHistory``."""

import numpy as np
import pytest
import torch

import relu_lib as rl


@pytest.fixture(scope="module")
def data():
    return rl.digits(n_train=200)


def mlp(seed, activation="relu"):
    return rl.make_mlp([64, 16, 10], activation=activation, seed=seed)


def weights(model):
    return [p.detach().clone() for p in model.parameters()]


def test_records_every_few_steps_and_the_last_step(data):
    history = rl.train_steps(mlp(0), data, lr=0.1, steps=23, every=5)
    assert history.steps.tolist() == [0, 5, 10, 15, 20, 23]
    assert history.train_error.shape == (6,)
    assert 0.8 < history.train_error[0] <= 1.0  # ten classes, before training
    assert history.train_error[-1] < 0.5  # it learns


def test_deterministic_and_leaves_the_global_random_state_alone(data):
    torch.manual_seed(5)
    expected = torch.rand(1)
    torch.manual_seed(5)
    a, b = mlp(0), mlp(0)
    ha = rl.train_steps(a, data, lr=0.1, steps=12, seed=3)
    assert torch.rand(1) == expected
    hb = rl.train_steps(b, data, lr=0.1, steps=12, seed=3)
    assert np.array_equal(ha.train_error, hb.train_error)
    assert all(torch.equal(p, q) for p, q in zip(weights(a), weights(b), strict=True))


def test_same_batches_as_train_for_whole_epochs(data):
    """Ten steps of 20 rows are one epoch of 200 rows, shuffled exactly as ``train`` does."""
    a, b = mlp(1), mlp(1)
    rl.train(a, data, lr=0.1, epochs=2, batch_size=20, seed=4, probe=False)
    rl.train_steps(b, data, lr=0.1, steps=20, batch_size=20, seed=4)
    assert all(torch.allclose(p, q, atol=1e-6) for p, q in zip(weights(a), weights(b), strict=True))


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_one_rate_per_stacked_model_is_that_model_trained_alone(data, momentum):
    rates = [0.05, 0.2, 0.5]
    stack = rl.StackedMLP([mlp(s) for s in range(3)])
    stacked = rl.train_steps(stack, data, lr=rates, steps=15, every=3, momentum=momentum)
    assert stacked.train_error.shape == (6, 3)
    for k, (rate, trained) in enumerate(zip(rates, stack.unstack(), strict=True)):
        alone = mlp(k)
        history = rl.train_steps(alone, data, lr=rate, steps=15, every=3, momentum=momentum)
        assert np.allclose(history.train_error, stacked.train_error[:, k], atol=1e-3)
        for p, q in zip(weights(alone), weights(trained), strict=True):
            assert torch.allclose(p, q, atol=1e-5)


def test_a_single_rate_for_a_stack(data):
    stack = rl.StackedMLP([mlp(s) for s in range(2)])
    history = rl.train_steps(stack, data, lr=0.1, steps=4)
    assert history.train_error.shape == (5, 2)


def test_stop_below_stops_once_every_model_gets_there(data):
    stack = rl.StackedMLP([mlp(s) for s in range(2)])
    history = rl.train_steps(stack, data, lr=0.3, steps=2000, every=5, stop_below=0.5)
    assert history.steps[-1] < 2000
    assert (history.train_error[-1] <= 0.5).all()
    assert not (history.train_error[-2] <= 0.5).all()


def test_stop_when_is_called_with_the_history_so_far(data):
    seen = []

    def some_model_below_half(history):
        seen.append(history)
        return (history.first_step_below(0.5) >= 0).any()

    stack = rl.StackedMLP([mlp(0), mlp(1)])
    history = rl.train_steps(
        stack, data, lr=[0.3, 0.01], steps=2000, every=5, stop_when=some_model_below_half
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


def test_a_diverging_model_does_not_disturb_the_others(data):
    stack = rl.StackedMLP([mlp(0), mlp(0)])
    history = rl.train_steps(stack, data, lr=[0.1, 1e6], steps=10)
    assert history.train_error[-1, 0] < 0.6
    alone = mlp(0)
    rl.train_steps(alone, data, lr=0.1, steps=10)
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
def test_bad_arguments(data, kwargs, error, match):
    arguments = {"data": data, "lr": 0.1, "steps": 3, **kwargs}
    with pytest.raises(error, match=match):
        rl.train_steps(mlp(0), **arguments)
