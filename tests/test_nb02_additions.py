"""What notebook 02 added to relu_lib: ``probes.activation_grad_norms``."""

import pytest
import torch
from torch import nn

import relu_lib as rl


def manual_activation_grads(model, x, loss_fn):
    """dL/dh for every activation output, by running the Sequential layer by layer."""
    h, outputs = x, []
    for layer in model:
        h = layer(h)
        if not isinstance(layer, nn.Linear):
            h.retain_grad()
            outputs.append(h)
    loss_fn(h).backward()
    return [o.grad.norm().item() for o in outputs]


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "leaky_relu"])
def test_activation_grad_norms_match_a_manual_backward(activation):
    m = rl.make_mlp([4, 6, 5, 6, 3], activation=activation, seed=0)
    x, y = torch.randn(10, 4), torch.randint(0, 3, (10,))
    norms = rl.activation_grad_norms(m, x, y)
    assert len(norms) == 3
    expected = manual_activation_grads(m, x, lambda out: nn.functional.cross_entropy(out, y))
    assert norms == pytest.approx(expected)


def test_activation_grad_norms_without_labels_use_the_mean_squared_output():
    m = rl.make_mlp([4, 5, 5, 2], activation="tanh", seed=1)
    x = torch.randn(6, 4)
    expected = manual_activation_grads(m, x, lambda out: out.pow(2).mean())
    assert rl.activation_grad_norms(m, x) == pytest.approx(expected)


@pytest.mark.parametrize("probe", [rl.activation_grad_norms, rl.gradient_profile])
def test_backward_probes_leave_grad_and_hooks_alone(probe):
    m = rl.make_mlp([4, 6, 3], seed=0)
    m[0].weight.grad = torch.full_like(m[0].weight, 7.0)
    probe(m, torch.randn(5, 4), torch.tensor([0, 1, 2, 0, 1]))
    assert torch.equal(m[0].weight.grad, torch.full_like(m[0].weight, 7.0))
    assert m[2].weight.grad is None
    assert all(not layer._forward_hooks for layer in m)


def test_the_last_layer_gradient_of_a_linear_net_is_the_output_gradient_through_w():
    # One hidden layer: dL/dh = dL/dout W2, worked out by hand.
    m = rl.make_mlp([3, 4, 2], activation="relu", seed=0)
    x = torch.randn(5, 3)
    out = m(x)
    d_out = 2 * out / out.numel()  # gradient of mean(out^2)
    expected = (d_out @ m[2].weight).norm().item()
    assert rl.activation_grad_norms(m, x) == pytest.approx([expected])


def test_activation_grad_norms_refuse_bad_input():
    with pytest.raises(ValueError, match="no activation layer"):
        rl.activation_grad_norms(nn.Sequential(nn.Linear(3, 2)), torch.randn(4, 3))
    with pytest.raises(TypeError, match="floating-point"):
        rl.activation_grad_norms(rl.make_mlp([3, 4, 2]), torch.zeros(4, 3, dtype=torch.int64))
    with pytest.raises(TypeError, match="integer class labels"):
        rl.activation_grad_norms(rl.make_mlp([3, 4, 2]), torch.randn(2, 3), torch.tensor([0.5, 1]))
