"""What activations cost on this machine, measured against a plain copy of the same tensor,
and what ``nn.ReLU(inplace=True)`` saves in a small MLP. ``make bench`` prints both as one
table (it calls :func:`main`).

Elementwise activations read and write every element once, like a copy: where memory
bandwidth is the limit (large tensors, GPUs) they all cost about one copy, whatever their
arithmetic. Timings are medians of repeated runs after warm-up; CUDA is synchronised around
each run.

Memory is counted exactly, in bytes of tensors, not read from the process or the allocator:
:func:`count_tensor_memory` watches every PyTorch operation that runs and adds up the bytes
of the new tensors it returns, minus those freed, so the figures are the same on every
machine and every run.
"""

import argparse
import math
import os
import platform
import statistics
import sys
import time
import weakref
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten

from ._checks import check_seed
from .nets import make_mlp
from .seeds import generator

__all__ = [
    "ACTIVATION_OPS",
    "time_call",
    "time_interleaved",
    "median_interval",
    "PairedTiming",
    "time_paired",
    "activation_costs",
    "TensorMemory",
    "count_tensor_memory",
    "relu_mlp",
    "mlp_step",
    "inplace_relu_memory",
    "machine_info",
]

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
    return time_interleaved({"fn": fn}, device, repeat, warmup)["fn"]


def time_interleaved(fns, device=None, repeat=20, warmup=3):
    """Median wall time in seconds of each function in ``fns`` (a dict name -> function), the
    functions run in turn, one call each per round: whatever else the machine is doing slows
    them alike, so their ratios stay steady where separate timings would drift apart."""
    if repeat < 1 or warmup < 0:
        raise ValueError(f"repeat must be >= 1 and warmup >= 0; got {repeat}, {warmup}")
    device = torch.device(device or "cpu")
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    times = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            _sync(device)
            start = time.perf_counter()
            fn()
            _sync(device)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def median_interval(values, confidence=0.95):
    """``(low, median, high)``: the median of ``values`` and a distribution-free confidence
    interval for it, from order statistics (the interval of the sign test).

    The interval is ``[x_(k), x_(n+1-k)]`` of the sorted values, with the largest ``k`` whose
    coverage, ``1 - 2 P(Binomial(n, 1/2) < k)``, is at least ``confidence``; it assumes only
    that the values are independent draws. NaN among the values gives NaN for all three.
    """
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise TypeError(f"confidence must be a number in (0, 1); got {confidence!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1); got {confidence!r}")
    try:
        if isinstance(values, str | bytes):
            raise TypeError
        xs = sorted(float(v) for v in values)
    except (TypeError, ValueError) as err:
        raise TypeError(f"values must be real numbers; got {values!r}") from err
    n = len(xs)
    if any(math.isnan(v) for v in xs):
        return (math.nan, math.nan, math.nan)
    # P(Binomial(n, 1/2) <= j) for j = 0, 1, ...: the tail the interval leaves out on each side.
    alpha, tail, k = 1 - confidence, 0.0, 0
    for j in range(n):
        tail += math.comb(n, j) / 2**n
        if 2 * tail > alpha:
            break
        k = j + 1
    if k == 0:
        need = math.ceil(math.log2(2 / alpha))  # the least n with 2 / 2**n <= alpha
        raise ValueError(
            f"values: a {confidence:g} interval for the median needs at least {need} values; "
            f"got {n}"
        )
    return (xs[k - 1], statistics.median(xs), xs[n - k])


@dataclass(frozen=True)
class PairedTiming:
    """What :func:`time_paired` measured: the seconds of ``fn_a`` and ``fn_b`` in each round,
    their ratios ``b / a`` round by round, the median ratio and its confidence interval
    (:func:`median_interval`), and which clock was read."""

    a: tuple
    b: tuple
    ratios: tuple
    ratio: float
    low: float
    high: float
    confidence: float
    clock: str


def time_paired(fn_a, fn_b, rounds=41, warmup=3, device=None, confidence=0.95):
    """Time ``fn_a`` against ``fn_b`` in pairs: each round runs both, in alternating order
    (a, b, then b, a), and their ratio ``b / a`` is taken within the round; the result is the
    median of those ratios with a distribution-free confidence interval (a
    :class:`PairedTiming`).

    On the CPU the clock is the process's CPU time (``time.process_time``): it does not count
    the time other programs hold the core, so a busy machine slows neither side of a pair by
    being busy at the wrong moment. On Windows, whose process clock ticks every 15.6 ms, and
    on a GPU (synchronised around each call) it is the wall clock.
    """
    for name, fn in (("fn_a", fn_a), ("fn_b", fn_b)):
        if not callable(fn):
            raise TypeError(f"{name} must be a function; got {type(fn).__name__}")
    for name, value, least in (("rounds", rounds, 1), ("warmup", warmup, 0)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int; got {value!r}")
        if value < least:
            raise ValueError(f"{name} must be >= {least}; got {value!r}")
    try:
        median_interval(range(rounds), confidence)
    except ValueError as err:
        if "values" not in str(err):
            raise
        raise ValueError(f"rounds: {str(err).split(': ', 1)[1]}") from None
    device = torch.device(device or "cpu")
    cpu_clock = device.type == "cpu" and sys.platform != "win32"
    clock = time.process_time if cpu_clock else time.perf_counter
    for _ in range(warmup):
        fn_a()
        fn_b()
    seconds = {"a": [], "b": []}
    for i in range(rounds):
        for name in ("a", "b") if i % 2 == 0 else ("b", "a"):
            fn = fn_a if name == "a" else fn_b
            _sync(device)
            start = clock()
            fn()
            _sync(device)
            seconds[name].append(clock() - start)
    if min(seconds["a"]) <= 0:
        raise ValueError("fn_a took no measurable time on the clock: time a longer call")
    ratios = [b / a for a, b in zip(seconds["a"], seconds["b"], strict=True)]
    low, ratio, high = median_interval(ratios, confidence)
    return PairedTiming(
        a=tuple(seconds["a"]),
        b=tuple(seconds["b"]),
        ratios=tuple(ratios),
        ratio=ratio,
        low=low,
        high=high,
        confidence=confidence,
        clock="process CPU time" if cpu_clock else "wall time",
    )


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
    ``numel`` standard-normal elements, and that time over the copy's. ``seed`` (an int in
    [0, 2**32 - 1], like every seed in relu_lib) draws the elements.
    """
    seed = check_seed(seed)
    names = list(ACTIVATION_OPS if names is None else names)
    unknown = [n for n in names if n not in ACTIVATION_OPS]
    if unknown:
        raise ValueError(f"unknown ops {unknown}; choose from {sorted(ACTIVATION_OPS)}")
    if "copy" not in names:
        names = ["copy", *names]
    device = torch.device(device)
    x = torch.randn(numel, generator=generator(seed)).to(device, dtype)
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


# --- Memory: bytes of tensors, counted exactly ------------------------------------------------


@dataclass(frozen=True)
class TensorMemory:
    """Bytes of tensor memory allocated while a function ran, above what existed before.

    ``peak``: the most held at any moment while it ran; ``held``: what was still held when it
    returned (by its result, and by the autograd graph hanging from the result).
    """

    peak: int
    held: int


def _is_dense(t):
    return isinstance(t, torch.Tensor) and t.layout == torch.strided and not t.is_meta


class _TensorBytes(TorchDispatchMode):
    """Counts the storages that PyTorch operations return: a storage is new when it is not one
    of the operation's inputs' (views and in-place results share their input's storage), and
    it is freed when its last tensor goes (a weak reference's callback)."""

    def __init__(self):
        super().__init__()
        self.live = {}  # storage data_ptr -> weak reference to the storage
        self.current = 0
        self.peak = 0

    def _track(self, storage):
        key, nbytes = storage.data_ptr(), storage.nbytes()

        def freed(ref):
            if self.live.get(key) is ref:
                del self.live[key]
            self.current -= nbytes

        self.live[key] = weakref.ref(storage, freed)
        self.current += nbytes
        self.peak = max(self.peak, self.current)

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        inputs = {
            t.untyped_storage().data_ptr() for t in tree_flatten((args, kwargs))[0] if _is_dense(t)
        }
        out = func(*args, **kwargs)
        for t in tree_flatten(out)[0]:
            if not _is_dense(t):
                continue
            storage = t.untyped_storage()
            key = storage.data_ptr()
            known = self.live.get(key)
            if storage.nbytes() == 0 or key in inputs or (known is not None and known()):
                continue
            self._track(storage)
        return out


def count_tensor_memory(fn, *args, **kwargs):
    """Run ``fn(*args, **kwargs)``; return ``(its result, TensorMemory)``.

    Counts the bytes of every tensor that a PyTorch operation allocates while ``fn`` runs,
    forward and backward alike, and subtracts those freed: exact and deterministic, the same
    on every machine, unlike the process's memory. Tensors that existed before (parameters,
    inputs) are not counted; scratch memory inside an operation is not seen.
    """
    counter = _TensorBytes()
    with counter:
        result = fn(*args, **kwargs)
    return result, TensorMemory(peak=counter.peak, held=counter.current)


# --- In-place ReLU in a small MLP ----------------------------------------------------------


def relu_mlp(width=256, depth=8, n_out=10, inplace=False, seed=0):
    """``depth`` x (Linear(width, width) + nn.ReLU(inplace=inplace)), then Linear(width, n_out):
    the shape of the H200 measurement in ``measurements/`` (He initialisation, seeded)."""
    if not isinstance(inplace, bool):
        raise TypeError(f"inplace must be True or False; got {inplace!r}")
    model = make_mlp([width] * (depth + 1) + [n_out], activation="relu", seed=seed)
    for i, module in enumerate(model):
        if isinstance(module, nn.ReLU):
            model[i] = nn.ReLU(inplace=inplace)
    return model


def mlp_step(model, x):
    """Forward and backward of ``loss = mean(model(x) ** 2)``, gradients set afresh (no
    optimiser update: the step the H200 measurement times). Returns the loss, detached."""
    model.zero_grad(set_to_none=True)
    loss = model(x).pow(2).mean()
    loss.backward()
    return loss.detach()


def inplace_relu_memory(width=256, depth=8, batch=512, device="cpu", dtype=torch.float32, seed=0):
    """The tensor memory of :func:`relu_mlp` with ``nn.ReLU()`` and with ``inplace=True``.

    Two rows, ``inplace`` False then True, each with (in bytes, above the model and input):
    ``activation_bytes`` (one hidden activation, batch x width), ``fwd_peak`` and ``fwd_held``
    (peak during the forward, and what the output and its autograd graph keep for backward),
    ``step_peak`` (peak through forward and backward, :func:`mlp_step`).
    """
    seed = check_seed(seed)
    device = torch.device(device)
    x = torch.randn(batch, width, generator=generator(seed)).to(device, dtype)
    rows = []
    for inplace in (False, True):
        model = relu_mlp(width, depth, inplace=inplace, seed=seed).to(device, dtype)
        mlp_step(model, x)  # warm-up: anything done once happens outside the count
        model.zero_grad(set_to_none=True)
        out, fwd = count_tensor_memory(model, x)
        del out
        _, step = count_tensor_memory(mlp_step, model, x)
        rows.append(
            {
                "inplace": inplace,
                "activation_bytes": batch * width * x.element_size(),
                "fwd_peak": fwd.peak,
                "fwd_held": fwd.held,
                "step_peak": step.peak,
            }
        )
    return rows


# --- The machine and the table ---------------------------------------------------------------


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    if platform.system() == "Darwin":
        import subprocess

        try:
            brand = subprocess.run(
                ["sysctl", "-n", "machdep.cpu.brand_string"],
                capture_output=True,
                text=True,
                timeout=5,
                check=True,
            ).stdout.strip()
            if brand:
                return brand
        except (OSError, subprocess.SubprocessError):
            pass
    return platform.processor() or platform.machine() or "unknown CPU"


def machine_info():
    """What a timing depends on: CPU model and cores, torch's thread count, torch and Python
    versions, the operating system, the GPU's name (None without CUDA), and the load average
    over the last minute (None where the system has none): how busy the CPU already is."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}".strip(),
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


MiB = 2**20


def _bench_rows(device, numel, repeat, width, depth, batch):
    """Table rows (device, measurement, forward, forward + backward) for one device."""
    kw = {"numel": numel, "device": device, "repeat": repeat, "warmup": 2}
    fwd = activation_costs(**kw)
    bwd = {r["op"]: r for r in activation_costs(backward=True, **kw)}
    rows = [
        (
            device,
            r["op"],
            f"{r['ms']:8.3f} ms {r['vs_copy']:5.2f}x",
            f"{bwd[r['op']]['ms']:8.3f} ms {bwd[r['op']]['vs_copy']:5.2f}x",
        )
        for r in fwd
    ]
    memory = inplace_relu_memory(width, depth, batch, device)
    x = torch.randn(batch, width, generator=generator(0)).to(device)
    models = {flag: relu_mlp(width, depth, inplace=flag).to(device) for flag in (False, True)}
    fwd_t = time_interleaved({k: (lambda m=m: m(x)) for k, m in models.items()}, device, repeat)
    step_t = time_interleaved(
        {k: (lambda m=m: mlp_step(m, x)) for k, m in models.items()}, device, repeat
    )
    times = {flag: (fwd_t[flag], step_t[flag]) for flag in models}
    base = memory[0]
    for row in memory:
        name = "nn.ReLU(inplace=True)" if row["inplace"] else "nn.ReLU()"
        cells = []
        for key in ("fwd_peak", "step_peak"):
            change = f"{row[key] / base[key] - 1:+6.1%}" if row["inplace"] else ""
            cells.append(f"{row[key] / MiB:8.3f} MiB {change}")
        rows.append((device, f"MLP peak memory, {name}", *cells))
    for inplace, (t_fwd, t_step) in times.items():
        name = "nn.ReLU(inplace=True)" if inplace else "nn.ReLU()"
        rows.append(
            (
                device,
                f"MLP time, {name}",
                f"{1e3 * t_fwd:8.3f} ms {t_fwd / times[False][0]:5.2f}x",
                f"{1e3 * t_step:8.3f} ms {t_step / times[False][1]:5.2f}x",
            )
        )
    return rows


def _format_table(rows, header=("device", "measurement", "forward", "forward + backward")):
    """Rows of strings as a plain-text table with a header and aligned columns."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    cells = ["  ".join(f"{c:<{w}}" for c, w in zip(r, widths, strict=True)) for r in rows]
    header = "  ".join(f"{h:<{w}}" for h, w in zip(header, widths, strict=True))
    return "\n".join(text.rstrip() for text in [header, line, *cells])


def main(argv=None):
    """``make bench``: the cost of ReLU and the other activations against a copy,
    forward and forward + backward, and what in-place ReLU saves in a small MLP, on the CPU
    and on the GPU when there is one, printed as one table."""
    parser = argparse.ArgumentParser(
        prog="make bench ARGS=...",
        description="The cost of ReLU and other activations against a copy of the same tensor, "
        "forward and forward + backward, and what nn.ReLU(inplace=True) saves in a small MLP; "
        "on the CPU, and on the GPU when torch sees one.",
    )
    parser.add_argument("--numel", type=int, default=2**22, help="elements per tensor")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per measurement")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    parser.add_argument("--width", type=int, default=256, help="MLP width")
    parser.add_argument("--depth", type=int, default=8, help="MLP hidden layers")
    parser.add_argument("--batch", type=int, default=512, help="MLP batch size")
    parser.add_argument("--cpu-only", action="store_true", help="skip the GPU")
    args = parser.parse_args(argv)
    if min(args.numel, args.repeat, args.width, args.depth, args.batch, args.threads or 1) < 1:
        parser.error("--numel, --repeat, --threads, --width, --depth, --batch must be positive")
    if args.threads:
        torch.set_num_threads(args.threads)

    info = machine_info()
    devices = ["cpu"] + (["cuda"] if info["gpu"] and not args.cpu_only else [])
    start = time.perf_counter()
    rows = [row for device in devices for row in _bench_rows(device, **_sizes(args))]
    w, n = args.width, args.repeat
    print(
        f"ReLU bench: torch {info['torch']}, Python {info['python']}, {info['os']}\n"
        f"CPU: {info['cpu']}, {info['cores']} cores; torch threads: {info['threads']}\n"
        f"GPU: {info['gpu'] or 'none (torch sees no CUDA device)'}\n\n"
        f"Activations (copy ... silu): one float32 tensor of {args.numel:,} standard-normal "
        f"elements ({4 * args.numel / MiB:g} MiB),\n"
        f"  median time of {n} runs; Nx = that time over the copy's (x.clone(); forward + "
        "backward: the clone's).\n"
        f"MLP: {args.depth} x (Linear({w}, {w}) + ReLU) + Linear({w}, 10), batch "
        f"{args.batch}, float32; forward + backward = one step, no optimiser.\n"
        "  peak memory: tensor bytes above the model and input, counted exactly; "
        "% = change against nn.ReLU().\n"
        f"  time: median of {n} runs, the two versions in turn; Nx = that time over "
        "nn.ReLU()'s.\n"
    )
    if info["load"] is not None and info["load"] >= (info["cores"] or 1) / 2:
        print(
            f"Note: the load average is {info['load']:.1f} on {info['cores']} cores: other "
            "programs are using the CPU, so the timings will vary.\n"
            "  Close them, or try --threads 1.\n"
        )
    print(_format_table(rows))
    print(f"\n({time.perf_counter() - start:.0f} s)")


def _sizes(args):
    return {
        "numel": args.numel,
        "repeat": args.repeat,
        "width": args.width,
        "depth": args.depth,
        "batch": args.batch,
    }


if __name__ == "__main__":
    main()
