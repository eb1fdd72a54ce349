"""Tests of relu_lib.torch_ops: ReLUFunction and the ReLU module against torch.relu and nn.ReLU
(forward and backward bit for bit, gradcheck, in place, bad input), and the regression of issue 11
in ReLUFunction: it keeps its output for backward, not its input."""

import numpy as np
import pytest
import torch
from torch import nn

import relu_lib as rl

EDGE = torch.tensor([float("nan"), float("inf"), -float("inf"), -0.0, 0.0, -1.0, 2.0])


def test_forward_matches_torch_bitwise():
    ours, theirs = rl.ReLUFunction.apply(EDGE), torch.relu(EDGE)
    assert torch.equal(torch.isnan(ours), torch.isnan(theirs))
    assert torch.equal(ours.nan_to_num(), theirs.nan_to_num())
    assert torch.equal(torch.signbit(ours), torch.signbit(theirs))


def test_backward_matches_torch_everywhere_including_zero_and_nan():
    x1 = EDGE.clone().requires_grad_()
    x2 = EDGE.clone().requires_grad_()
    upstream = torch.arange(1.0, 8.0)
    rl.ReLUFunction.apply(x1).backward(upstream)
    torch.relu(x2).backward(upstream)
    assert torch.equal(x1.grad, x2.grad)
    assert x1.grad[3] == 0 and x1.grad[4] == 0  # at exactly 0, PyTorch's convention


def test_gradcheck_in_float64():
    x = torch.randn(20, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    x = (x + torch.sign(x) * 0.1).requires_grad_()  # keep away from the kink
    assert torch.autograd.gradcheck(rl.ReLUFunction.apply, (x,))


def test_a_wrong_backward_would_fail_the_comparison():
    x = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)
    (g,) = torch.autograd.grad(rl.ReLUFunction.apply(x).sum(), x)
    assert g.tolist() == [0.0, 0.0, 1.0]
    assert not torch.equal(g, (x >= 0).float())  # the clamp-like convention differs at 0


def test_module_matches_nn_relu_and_its_repr():
    x = torch.randn(4, 5)
    assert torch.equal(rl.ReLU()(x), nn.ReLU()(x))
    assert repr(rl.ReLU()) == repr(nn.ReLU()) == "ReLU()"
    assert repr(rl.ReLU(inplace=True)) == repr(nn.ReLU(inplace=True)) == "ReLU(inplace=True)"


def test_inplace_returns_the_input_storage_and_out_of_place_does_not():
    x = torch.randn(10)
    before = x.clone()
    y = rl.ReLU(inplace=True)(x)
    assert y.data_ptr() == x.data_ptr() and torch.equal(x, torch.relu(before))
    x = torch.randn(10)
    before = x.clone()
    y = rl.ReLU()(x)
    assert y.data_ptr() != x.data_ptr() and torch.equal(x, before)


def test_inplace_backward_inside_a_network_matches_nn_relu():
    torch.manual_seed(0)
    a = nn.Sequential(nn.Linear(3, 4), rl.ReLU(inplace=True), nn.Linear(4, 1))
    b = nn.Sequential(nn.Linear(3, 4), nn.ReLU(inplace=True), nn.Linear(4, 1))
    b.load_state_dict(a.state_dict())
    x = torch.randn(8, 3)
    a(x).sum().backward()
    b(x).sum().backward()
    assert torch.allclose(a[0].weight.grad, b[0].weight.grad)


def test_inplace_on_a_leaf_that_requires_grad_is_refused_like_torch():
    x = torch.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        rl.ReLU(inplace=True)(x)


def test_bad_inputs_are_named():
    with pytest.raises(TypeError, match="torch.Tensor"):
        rl.ReLUFunction.apply(np.zeros(3))
    with pytest.raises(TypeError, match="complex"):
        rl.ReLU()(torch.zeros(2, dtype=torch.complex64))
    with pytest.raises(TypeError, match="inplace"):
        rl.ReLU(inplace="yes")


def test_integer_tensors_stay_integer():
    assert rl.ReLU()(torch.tensor([-2, 3])).tolist() == [0, 3]


# From notebook 08, whose lesson is PyTorch's own spellings of ReLU, not the course's module.
MODULE_EDGES = [
    0.0,
    -0.0,
    float("nan"),
    float("inf"),
    float("-inf"),
    1e-45,
    -1e-45,
    3.4e38,
    -3.4e38,
]


@pytest.mark.parametrize("inplace", [False, True])
def test_module_gives_the_bits_of_nn_relu_and_rl_relu_on_edge_cases(inplace):
    draws = torch.randn(10_000, generator=torch.Generator().manual_seed(0))
    x = torch.cat([draws, torch.tensor(MODULE_EDGES)])
    ours, theirs = rl.ReLU(inplace=inplace)(x.clone()), nn.ReLU(inplace=inplace)(x.clone())
    reference = torch.from_numpy(rl.relu(x.numpy()))
    assert torch.equal(ours.view(torch.int32), theirs.view(torch.int32))  # -0.0 and NaN too
    assert torch.equal(ours.view(torch.int32), reference.view(torch.int32))


# --- regression: ReLUFunction keeps its output for backward, not its input --------------------
# Issue 11: a bug that once survived every test, caught by the tests below: ``ReLUFunction`` saving
# its input for backward instead of its output.


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
