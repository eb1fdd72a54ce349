"""Tests of relu_lib.bench: timing (time_call, time_interleaved, time_paired and the median's
confidence interval), the activation cost table (activation_costs, ACTIVATION_OPS) with the
regression of issue 11 in its vs_copy, tensor memory (count_tensor_memory), in-place ReLU in an
MLP (relu_mlp, mlp_step, inplace_relu_memory), machine_info and the command line (main)."""

import time

import numpy as np
import pytest
import torch

import relu_lib as rl
from relu_lib import bench


def test_time_call_is_a_positive_median():
    calls = []
    t = rl.time_call(lambda: calls.append(1), repeat=5, warmup=2)
    assert t > 0 and len(calls) == 7


def test_time_interleaved_runs_the_functions_in_turn():
    calls = []
    times = rl.time_interleaved(
        {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, repeat=3, warmup=1
    )
    assert set(times) == {"a", "b"} and all(t > 0 for t in times.values())
    assert calls == ["a", "b"] * 4
    with pytest.raises(ValueError, match="repeat"):
        rl.time_interleaved({"a": lambda: None}, repeat=0)


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


# --- regression: the benchmark's ratio is activation time over copy time ----------------------
# Issue 11: a bug that once survived every test, caught by the tests below: ``activation_costs``'
# ``vs_copy`` inverted (the copy's time over the activation's).


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


# --- count_tensor_memory ---------------------------------------------------------------------


def test_count_tensor_memory_counts_new_tensors_and_their_release():
    _, memory = rl.count_tensor_memory(lambda: (torch.ones(1000) + 1).sum())
    # ones (4000 B) and ones + 1 (4000 B) live together; then only the 4-byte sum is left.
    assert memory == rl.TensorMemory(peak=8000, held=4)
    result, memory = rl.count_tensor_memory(torch.zeros, 10, 10, dtype=torch.float64)
    assert memory == rl.TensorMemory(peak=800, held=800) and result.shape == (10, 10)


def test_views_in_place_ops_and_existing_tensors_are_not_new_memory():
    x = torch.randn(1000)
    for fn in (lambda: x.relu_(), lambda: x[::2], lambda: x.view(10, 100).t(), x.detach):
        _, memory = rl.count_tensor_memory(fn)
        assert memory == rl.TensorMemory(peak=0, held=0)

    def fresh_then_in_place():
        y = torch.ones(250)
        return y.mul_(2).relu_().view(5, 50)

    assert rl.count_tensor_memory(fresh_then_in_place)[1] == rl.TensorMemory(1000, 1000)


def test_count_tensor_memory_sees_the_backward_pass():
    w = torch.randn(64, 64, requires_grad=True)
    _, memory = rl.count_tensor_memory(lambda: (w @ w).sum().backward())
    assert memory.held == w.grad.numel() * 4 and memory.peak > memory.held


# --- in-place ReLU in an MLP -----------------------------------------------------------------


def test_relu_mlp_shape_seed_and_inplace_flag():
    plain, in_place = rl.relu_mlp(16, 3, inplace=False), rl.relu_mlp(16, 3, inplace=True)
    relus = [m for m in in_place if isinstance(m, torch.nn.ReLU)]
    assert len(relus) == 3 and all(m.inplace for m in relus)
    assert not any(getattr(m, "inplace", False) for m in plain)
    assert [type(m).__name__ for m in plain][-1] == "Linear" and plain[-1].out_features == 10
    for a, b in zip(plain.parameters(), in_place.parameters(), strict=True):
        assert torch.equal(a, b)
    with pytest.raises(TypeError, match="inplace"):
        rl.relu_mlp(inplace=1)


def test_mlp_step_gives_the_same_loss_and_gradients_in_place_or_not():
    x = torch.randn(4, 16)
    models = [rl.relu_mlp(16, 3, inplace=flag) for flag in (False, True)]
    losses = [rl.mlp_step(m, x) for m in models]
    assert torch.equal(losses[0], losses[1]) and not losses[0].requires_grad
    for a, b in zip(models[0].parameters(), models[1].parameters(), strict=True):
        assert torch.equal(a.grad, b.grad)


def test_inplace_relu_memory_saves_exactly_one_transient_activation():
    width, depth, batch = 16, 3, 4
    plain, in_place = rl.inplace_relu_memory(width, depth, batch)
    activation, output = batch * width * 4, batch * 10 * 4
    assert plain["inplace"] is False and in_place["inplace"] is True
    assert plain["activation_bytes"] == in_place["activation_bytes"] == activation
    # Kept for backward: one activation per ReLU (shared with the next Linear) and the output.
    assert plain["fwd_held"] == in_place["fwd_held"] == depth * activation + output
    # Out of place, the last pre-activation and its ReLU output live together for a moment.
    assert plain["fwd_peak"] == (depth + 1) * activation
    assert in_place["fwd_peak"] == in_place["fwd_held"]
    assert plain["step_peak"] == in_place["step_peak"] > plain["fwd_peak"]


# --- the machine and the command -------------------------------------------------------------


def test_machine_info_names_the_machine():
    info = rl.machine_info()
    assert set(info) == {"cpu", "cores", "threads", "torch", "python", "os", "gpu", "load"}
    assert info["load"] is None or info["load"] >= 0
    assert info["cpu"] and info["torch"] == torch.__version__
    assert info["threads"] == torch.get_num_threads() >= 1
    assert (info["gpu"] is None) == (not torch.cuda.is_available())


def test_main_prints_one_table_with_the_machine(capsys):
    threads = torch.get_num_threads()
    try:
        bench.main(
            "--numel 1024 --repeat 1 --width 16 --depth 2 --batch 4 --cpu-only --threads 1".split()
        )
    finally:
        torch.set_num_threads(threads)
    out = capsys.readouterr().out
    assert "CPU: " in out and "torch threads: 1" in out and "GPU: " in out
    table = out[out.index("device  measurement") :].split("\n\n")[0].splitlines()
    assert len(table) == 2 + 8 + 4  # header, rule, 8 ops, 2 memory rows, 2 time rows
    assert all(line.startswith("cpu ") for line in table[2:])
    assert "MLP peak memory, nn.ReLU(inplace=True)" in out and "-" in table[-3]


def test_main_refuses_bad_arguments(capsys):
    with pytest.raises(SystemExit):
        bench.main(["--repeat", "0"])
    assert "must be positive" in capsys.readouterr().err


# --- paired timing and the median's confidence interval (notebook 08) ------------------------


def test_median_interval_uses_the_sign_test_order_statistics():
    # n = 20: [x_(6), x_(15)], coverage 95.9%; n = 41: [x_(14), x_(28)]; n = 6: the extremes.
    assert rl.median_interval(range(1, 21)) == (6.0, 10.5, 15.0)
    assert rl.median_interval(range(1, 42)) == (14.0, 21.0, 28.0)
    assert rl.median_interval([3, 1, 2, 6, 5, 4]) == (1.0, 3.5, 6.0)
    assert rl.median_interval(range(1, 21), confidence=0.5)[0] > 6


def test_median_interval_covers_the_true_median_as_promised():
    rng = np.random.default_rng(0)
    samples = rng.standard_normal((2000, 41))
    covered = [low <= 0 <= high for low, _, high in map(rl.median_interval, samples)]
    assert 0.95 <= np.mean(covered) <= 0.985  # exact coverage for n = 41: 0.972


def test_median_interval_bad_input():
    assert all(np.isnan(v) for v in rl.median_interval([1, 2, float("nan"), 4, 5, 6]))
    with pytest.raises(ValueError, match="values: .* at least 6 values; got 5"):
        rl.median_interval(range(5))
    with pytest.raises(ValueError, match="confidence"):
        rl.median_interval(range(10), confidence=1)
    with pytest.raises(TypeError, match="confidence"):
        rl.median_interval(range(10), confidence="95%")
    for values in ("123456", [1, "a"], None, 5):
        with pytest.raises(TypeError, match="values"):
            rl.median_interval(values)


def test_time_paired_alternates_the_order_and_pairs_the_rounds(monkeypatch):
    # A fake process clock that fn_a advances by 1 s and fn_b by 2 s.
    now, calls = [0.0], []

    def run(name, seconds):
        calls.append(name)
        now[0] += seconds

    monkeypatch.setattr(time, "process_time", lambda: now[0])
    result = rl.time_paired(lambda: run("a", 1.0), lambda: run("b", 2.0), rounds=6, warmup=1)
    assert calls == ["a", "b"] + ["a", "b", "b", "a"] * 3
    assert result.a == (1.0,) * 6 and result.b == (2.0,) * 6 and result.ratios == (2.0,) * 6
    assert (result.low, result.ratio, result.high) == (2.0, 2.0, 2.0)
    assert result.clock == "process CPU time" and result.confidence == 0.95


def test_time_paired_measures_real_work():
    x = torch.randn(256, 256)
    result = rl.time_paired(lambda: x @ x, lambda: x @ x, rounds=7, warmup=1)
    assert len(result.ratios) == 7 and all(r > 0 for r in result.ratios)
    assert result.low <= result.ratio <= result.high
    assert rl.median_interval(result.ratios) == (result.low, result.ratio, result.high)


def test_time_paired_bad_arguments(monkeypatch):
    with pytest.raises(TypeError, match="fn_a"):
        rl.time_paired(None, lambda: None)
    with pytest.raises(TypeError, match="fn_b"):
        rl.time_paired(lambda: None, 3)
    with pytest.raises(ValueError, match="rounds: .* at least 6"):
        rl.time_paired(lambda: None, lambda: None, rounds=3)
    with pytest.raises(TypeError, match="rounds"):
        rl.time_paired(lambda: None, lambda: None, rounds=7.0)
    with pytest.raises(ValueError, match="warmup"):
        rl.time_paired(lambda: None, lambda: None, warmup=-1)
    with pytest.raises(ValueError, match="confidence"):
        rl.time_paired(lambda: None, lambda: None, confidence=0)
    monkeypatch.setattr(time, "process_time", lambda: 0.0)  # a clock too coarse to see fn_a
    with pytest.raises(ValueError, match="fn_a took no measurable time"):
        rl.time_paired(lambda: None, lambda: None, rounds=6, warmup=0)
