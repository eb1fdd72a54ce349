import pytest
import torch

import relu_lib as rl


def test_time_call_is_a_positive_median():
    calls = []
    t = rl.time_call(lambda: calls.append(1), repeat=5, warmup=2)
    assert t > 0 and len(calls) == 7


def test_activation_costs_rows_and_copy_baseline():
    rows = rl.activation_costs(["relu", "tanh"], numel=1024, repeat=3, warmup=1)
    assert [r["op"] for r in rows] == ["copy", "relu", "tanh"]
    assert rows[0]["vs_copy"] == 1.0 and all(r["ms"] > 0 for r in rows)
    back = rl.activation_costs(["relu"], numel=1024, backward=True, repeat=2, warmup=1)
    assert back[1]["ms"] > 0


def test_every_op_computes_its_activation():
    x = torch.linspace(-3, 3, 7)
    assert torch.equal(rl.ACTIVATION_OPS["relu"](x), torch.relu(x))
    assert torch.equal(rl.ACTIVATION_OPS["copy"](x), x)


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown ops"):
        rl.activation_costs(["swish"])
    with pytest.raises(ValueError, match="repeat"):
        rl.time_call(lambda: None, repeat=0)
