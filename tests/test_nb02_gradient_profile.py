"""What notebook 02 added to relu_lib: ``probes.gradient_profile``, the two gradient probes and the
activations from one forward and one backward pass."""

import pytest
import torch
from torch import nn

import relu_lib as rl


@pytest.mark.parametrize("activation, init", [("sigmoid", 16.0), ("tanh", "torch"), ("relu", "he")])
@pytest.mark.parametrize("labels", [True, False])
def test_gradient_profile_equals_the_separate_probes(activation, init, labels):
    m = rl.make_mlp([5, 7, 6, 7, 3], activation, init, seed=0)
    x = torch.randn(9, 5, generator=torch.Generator().manual_seed(1))
    y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2]) if labels else None
    profile = rl.gradient_profile(m, x, y)
    assert profile["weight"] == rl.layer_grad_norms(m, x, y)
    assert profile["backward"] == rl.activation_grad_norms(m, x, y)
    recorded = rl.activations(m, x)
    assert len(profile["outputs"]) == len(recorded) == 3
    for got, expected in zip(profile["outputs"], recorded, strict=True):
        assert torch.equal(got, expected) and not got.requires_grad


def test_gradient_profile_refuses_bad_input():
    with pytest.raises(ValueError, match="no activation layer"):
        rl.gradient_profile(nn.Sequential(nn.Linear(3, 2)), torch.randn(4, 3))
    with pytest.raises(ValueError, match="no nn.Linear layer"):
        rl.gradient_profile(nn.Sequential(nn.ReLU()), torch.randn(4, 3))
    with pytest.raises(TypeError, match="floating-point"):
        rl.gradient_profile(rl.make_mlp([3, 4, 2]), torch.zeros(4, 3, dtype=torch.int64))
    with pytest.raises(TypeError, match="integer class labels"):
        rl.gradient_profile(rl.make_mlp([3, 4, 2]), torch.randn(2, 3), torch.tensor([0.5, 1]))
