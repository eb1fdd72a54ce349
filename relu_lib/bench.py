"""What activations cost on this machine, measured against a plain copy of the same tensor.

Elementwise activations read and write every element once, like a copy: where memory
bandwidth is the limit (large tensors, GPUs) they all cost about one copy, whatever their
arithmetic. Timings are medians of repeated runs after warm-up; CUDA is synchronised around
each run.
"""

import statistics
import time

import torch
import torch.nn.functional as F

__all__ = ["ACTIVATION_OPS", "time_call", "activation_costs"]

# name -> function of a tensor. "copy" is the baseline: it moves the same bytes, no arithmetic.
ACTIVATION_OPS = {
    "copy": lambda x: x.clone(),
    "relu": torch.relu,
    "leaky_relu": F.leaky_relu,
    "elu": F.elu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "gelu": F.gelu,
    "silu": F.silu,
}


def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_call(fn, device=None, repeat=20, warmup=3):
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs, after ``warmup`` runs."""
    if repeat < 1 or warmup < 0:
        raise ValueError(f"repeat must be >= 1 and warmup >= 0; got {repeat}, {warmup}")
    device = torch.device(device or "cpu")
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        _sync(device)
        start = time.perf_counter()
        fn()
        _sync(device)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def activation_costs(
    names=None,
    numel=2**22,
    device="cpu",
    dtype=torch.float32,
    backward=False,
    repeat=20,
    warmup=3,
    seed=0,
):
    """One row per activation: ``{"op", "ms", "vs_copy"}``, the median time of the forward
    (or, with ``backward=True``, forward plus the gradient back to the input) on a tensor of
    ``numel`` standard-normal elements, and that time over the copy's.
    """
    names = list(ACTIVATION_OPS if names is None else names)
    unknown = [n for n in names if n not in ACTIVATION_OPS]
    if unknown:
        raise ValueError(f"unknown ops {unknown}; choose from {sorted(ACTIVATION_OPS)}")
    if "copy" not in names:
        names = ["copy", *names]
    device = torch.device(device)
    x = torch.randn(numel, generator=torch.Generator().manual_seed(seed)).to(device, dtype)
    x.requires_grad_(backward)
    upstream = torch.ones_like(x)

    def run(op):
        if not backward:
            with torch.no_grad():
                return op(x)
        return torch.autograd.grad(op(x), x, upstream)

    times = {
        n: time_call(lambda op=ACTIVATION_OPS[n]: run(op), device, repeat, warmup) for n in names
    }
    return [{"op": n, "ms": 1e3 * t, "vs_copy": t / times["copy"]} for n, t in times.items()]
