"""Tests of relu_lib.data: the digits and spirals datasets (split, standardisation, seeds, bad
arguments) and the measurements that ship with relu_lib (load_measurements)."""

import pytest
import torch

import relu_lib as rl


def test_digits_split_is_standardised_with_training_statistics_only():
    d = rl.digits(seed=0)
    assert d.x_train.shape == (1348, 64) and d.x_test.shape == (449, 64)
    assert d.n_classes == 10 and d.x_train.dtype == torch.float32
    assert d.x_train.mean(0).abs().max() < 1e-5
    assert d.x_test.mean(0).abs().max() > 1e-3
    assert torch.equal(rl.digits(seed=0).x_train, d.x_train)
    assert not torch.equal(rl.digits(seed=1).x_train, d.x_train)
    assert len(rl.digits(n_train=100).x_train) == 100


def test_spirals_and_bad_data_arguments():
    s = rl.spirals(n_per_class=50, n_classes=4)
    assert s.n_features == 2 and s.n_classes == 4 and len(s.x_train) + len(s.x_test) == 200
    with pytest.raises(ValueError, match="test_fraction"):
        rl.digits(test_fraction=1.5)
    with pytest.raises(ValueError, match="n_train"):
        rl.digits(n_train=5000)
    with pytest.raises(ValueError, match="spirals"):
        rl.spirals(n_classes=1)


def test_the_h200_measurements_ship_with_relu_lib():
    cost = rl.load_measurements("h200_activation_cost")
    relu = next(r for r in cost if r["op"] == "relu" and r["dtype"] == "float32")
    assert relu["device"] == "NVIDIA H200" and 0.9 < relu["fwd_vs_copy"] < 1.1
    copy = next(r for r in cost if r["op"] == "copy" and r["dtype"] == "float32")
    assert copy["fwdbwd_ms"] is None
    memory = rl.load_measurements("h200_inplace_relu_memory")
    assert [r["inplace"] for r in memory] == [False, True]
    assert memory[0]["fwd_peak_MiB"] == 1185.0
    with pytest.raises(ValueError, match="unknown measurements"):
        rl.load_measurements("h100")
